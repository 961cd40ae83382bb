package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// 政策找人: who may qualify for a policy, what a resident may qualify for,
// the outreach list and the pension certification list.
func init() {
	register("policy", func(e *env) *cobra.Command {
		var village string
		c := &cobra.Command{Use: "reach ID [--village V]", Short: "政策可能符合与已告知人数 / who may qualify, who was told"}
		c.Flags().StringVar(&village, "village", "", "only residents of this village (村/社区)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"name one policy ID"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			r, err := st.PolicyReach(e.ctx, args[0], village)
			if err != nil {
				return err
			}
			return e.emit(r, func(w io.Writer) {
				fmt.Fprintln(w, r.Title)
				if r.Criteria == "" {
					fmt.Fprintln(w, "未设享受对象条件 / no criteria")
					return
				}
				fmt.Fprintf(w, "享受对象：%s\n可能符合 %d 人，已告知 %d 人\n", r.Criteria, r.Eligible, r.Told)
				for _, p := range r.People {
					mark := "  "
					if p.Told {
						mark = "✓ "
					}
					fmt.Fprintf(w, "%s%s  %s  %s\n", mark, p.Name, p.Village, p.Address)
				}
			})
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		var c data.Criteria
		var anyOf, allOf, villages string
		var clearAll bool
		cmd := &cobra.Command{Use: "criteria ID [--min-age N --max-age N --age-on DATE --gender 男|女 --any-of A,B --all-of A,B --villages V,W --no-visit SERVICE --no-visit-days N | --clear]",
			Short: "设置政策享受对象条件 / set a policy's eligibility criteria"}
		fs := cmd.Flags()
		fs.IntVar(&c.MinAge, "min-age", 0, "年满 N 周岁")
		fs.IntVar(&c.MaxAge, "max-age", 0, "at most N years old")
		fs.StringVar(&c.AgeOn, "age-on", "", "the day ages are reckoned on (default: the day of the check)")
		fs.StringVar(&c.Gender, "gender", "", "男 or 女")
		fs.StringVar(&anyOf, "any-of", "", "categories, at least one (comma-separated)")
		fs.StringVar(&allOf, "all-of", "", "categories, every one (comma-separated)")
		fs.StringVar(&villages, "villages", "", "villages (comma-separated); none: the whole township")
		fs.StringVar(&c.NoVisit, "no-visit", "", "a service not received within --no-visit-days")
		fs.IntVar(&c.NoVisitDays, "no-visit-days", 0, "days for --no-visit")
		fs.BoolVar(&clearAll, "clear", false, "remove the criteria")
		cmd.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"name one policy ID"}
			}
			split := func(s string) []string {
				return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
			}
			c.AnyOf, c.AllOf, c.Villages = split(anyOf), split(allOf), split(villages)
			if clearAll {
				c = data.Criteria{}
			} else if c.IsZero() {
				return usageError{"name at least one condition, or --clear"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.SetPolicyCriteria(e.ctx, args[0], c); err != nil {
				return err
			}
			return e.emit(map[string]any{"id": args[0], "criteria": c, "sentence": c.Sentence()}, func(w io.Writer) {
				if c.IsZero() {
					fmt.Fprintln(w, "已清除享受对象条件")
					return
				}
				fmt.Fprintln(w, "享受对象："+c.Sentence())
			})
		}
		return cmd
	})

	register("resident", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "policies ID", Short: "服务对象可能符合的政策 / policies a resident may qualify for"}
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"name one resident ID"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			r, err := st.ResidentPolicies(e.ctx, args[0])
			if err != nil {
				return err
			}
			return e.emit(r, func(w io.Writer) {
				fmt.Fprintf(w, "尚未告知（%d）：\n", len(r.Untold))
				for _, p := range r.Untold {
					fmt.Fprintf(w, "  %s  %s\n", p.Title, p.DocNo)
				}
				fmt.Fprintf(w, "已告知（%d）：\n", len(r.Told))
				for _, p := range r.Told {
					fmt.Fprintf(w, "  %s  %s\n", p.Title, p.DocNo)
				}
			})
		}
		return c
	})

	register("resident", func(e *env) *cobra.Command {
		var village, out string
		c := &cobra.Command{Use: "outreach --out FILE.pdf|FILE.xlsx [--village V]", Short: "导出政策告知清单 / write the outreach list"}
		c.Flags().StringVar(&village, "village", "", "one village (村/社区); default every village")
		c.Flags().StringVar(&out, "out", "", "the .pdf or .xlsx file to write")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if out == "" || len(args) > 0 {
				return usageError{"name the file to write with --out"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			n, err := st.SaveOutreach(e.ctx, village, out, data.ActorFrom(e.ctx))
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"path": out, "residents": n}, func(w io.Writer) {
				fmt.Fprintf(w, "已写出 %s：%d 位居民\n", out, n)
			})
		}
		return c
	})

	register("resident", func(e *env) *cobra.Command {
		var within int
		c := &cobra.Command{Use: "pension-due [--within DAYS]", Short: "养老金领取资格待认证名单 / pension certification due"}
		c.Flags().IntVar(&within, "within", data.PensionDueWithin, "also list certifications lapsing within this many days")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) > 0 || within < 0 || within > 366 {
				return usageError{"--within takes 0 to 366 days"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			list, err := st.PensionDueList(e.ctx, within)
			if err != nil {
				return err
			}
			return e.emit(list, func(w io.Writer) {
				fmt.Fprintf(w, "待认证 %d 人\n", len(list))
				for _, d := range list {
					fmt.Fprintf(w, "  %s  %s  %s  %s\n", d.Name, d.Village, d.Address, pensionLeft(d))
				}
			})
		}
		return c
	})
}

// pensionLeft says how a certification stands, as the app says it.
func pensionLeft(d data.PensionDue) string {
	f, n := d.Standing()
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(f, n)
	}
	return f
}
