package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

func init() {
	register("policy", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "import PATH...", Short: "导入政策资料 / import policies"}
		c.Long = c.Short + "\n\n" + ".md/.txt with front matter, .docx, or folders"
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"name at least one file or folder"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			rep, err := st.ImportPolicies(e.ctx, args...)
			if err != nil {
				return err
			}
			if err := e.emit(map[string]any{"added": rep.Added, "updated": rep.Updated, "unchanged": rep.Unchanged, "failed": rep.Failed, "files": rep.Items},
				func(w io.Writer) {
					for _, it := range rep.Items {
						label := map[string]string{data.ImportAdded: "新增", data.ImportUpdated: "更新", data.ImportUnchanged: "未变", data.ImportFailed: "失败"}[it.Action]
						line := fmt.Sprintf("%s  %s", label, it.File)
						if it.Title != "" {
							line += "  " + it.Title
						}
						if it.Reason != "" {
							line += "：" + it.Reason
						}
						fmt.Fprintln(w, line)
					}
					fmt.Fprintf(w, "新增 %d，更新 %d，未变 %d，失败 %d\n", rep.Added, rep.Updated, rep.Unchanged, rep.Failed)
				}); err != nil {
				return err
			}
			if rep.Failed > 0 {
				return fmt.Errorf("%d 个文件未能导入 / %d file(s) not imported", rep.Failed, rep.Failed)
			}
			return nil
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		var q data.PolicyQuery
		c := &cobra.Command{Use: "search QUERY [--limit N] [--category C] [--status S] [--year YYYY]", Short: "搜索政策 / search policies"}
		fs := c.Flags()
		fs.IntVar(&q.Limit, "limit", 20, "most results to print")
		fs.StringVar(&q.Category, "category", "", "only this category (养老保险, 医疗保险, ...)")
		fs.StringVar(&q.Status, "status", "", "only this status (现行有效, 已废止, 已被替代)")
		fs.IntVar(&q.Year, "year", 0, "only policies effective in this year")
		c.RunE = func(_ *cobra.Command, args []string) error {
			q.Text = strings.Join(args, " ")
			if q.Limit <= 0 {
				return usageError{"--limit must be positive"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			hits, err := st.SearchPolicies(e.ctx, q)
			if err != nil {
				return err
			}
			type item struct {
				data.PolicyHit
				Snippet string `json:"snippet"`
				Plain   string `json:"snippet_plain"`
			}
			out := make([]item, len(hits))
			for i, h := range hits {
				out[i] = item{h, data.Highlight(h.Snippet, h.Marks, "【", "】"), h.Snippet}
			}
			return e.emit(out, func(w io.Writer) {
				for _, h := range hits {
					fmt.Fprintf(w, "%s  %s  %s  [%s]\n    %s\n", h.ID, h.Title, h.DocNo, h.StatusText, data.Highlight(h.Snippet, h.Marks, "【", "】"))
				}
				fmt.Fprintf(w, "共 %d 条\n", len(hits))
			})
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		var out string
		var sheet bool
		c := &cobra.Command{Use: "card ID... --out FILE.pdf [--sheet]", Short: "打印政策卡片 PDF / policy cards as PDF"}
		fs := c.Flags()
		fs.StringVar(&out, "out", "", "PDF file to write")
		fs.BoolVar(&sheet, "sheet", false, "four A6 cards per A4 sheet (default: one A6 card per page)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) == 0 || out == "" {
				return usageError{"give the policy ID(s) and --out FILE.pdf"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.PolicyCardsPDF(e.ctx, args, data.CardLayout{Sheet: sheet}, out); err != nil {
				return err
			}
			return e.emit(map[string]any{"out": out, "cards": len(args)}, func(w io.Writer) {
				fmt.Fprintf(w, "已生成 %d 张政策卡片：%s\n", len(args), out)
			})
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		var h data.CardHandout
		c := &cobra.Command{Use: "handout ID --count N --place 窗口|上门服务|村民会议 [--date YYYY-MM-DD] [--officer ID]", Short: "登记卡片发放 / record cards handed out"}
		fs := c.Flags()
		fs.IntVar(&h.Count, "count", 0, "cards handed out")
		fs.StringVar(&h.Place, "place", "窗口", "where: 窗口, 上门服务 or 村民会议")
		fs.StringVar(&h.HandedOn, "date", "", "when (default: today)")
		fs.StringVar(&h.OfficerID, "officer", "", "officer ID")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"give one policy ID"}
			}
			h.PolicyID = args[0]
			if h.HandedOn == "" {
				h.HandedOn = time.Now().Format("2006-01-02")
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.RecordHandout(e.ctx, &h); err != nil {
				return err
			}
			return e.emit(h, func(w io.Writer) {
				fmt.Fprintf(w, "已登记：%s 发放 %d 份（%s）\n", h.HandedOn, h.Count, h.Place)
			})
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "handouts [ID]", Short: "卡片发放统计 / cards handed out per month"}
		c.Long = c.Short + "\n\n" + "totals per month; with no ID, per policy this month too"
		c.RunE = func(_ *cobra.Command, args []string) error {
			id := ""
			if len(args) > 0 {
				id = args[0]
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			months, err := st.HandoutsByMonth(e.ctx, id)
			if err != nil {
				return err
			}
			return e.emit(months, func(w io.Writer) {
				for _, m := range months {
					fmt.Fprintf(w, "%s  %5d 份  窗口 %d  上门服务 %d  村民会议 %d\n", m.Key, m.Cards, m.ByPlace["窗口"], m.ByPlace["上门服务"], m.ByPlace["村民会议"])
				}
			})
		}
		return c
	})

	register("policy", func(e *env) *cobra.Command {
		var guideOut string
		c := &cobra.Command{Use: "guide [ID --out FILE.pdf]", Short: "办事指南与流程图 / service guides and flow charts"}
		c.Long = c.Short + "\n\n" + "lists service guides, or prints one as a flow chart"
		fs := c.Flags()
		fs.StringVar(&guideOut, "out", "", "PDF file to write")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			if len(args) == 0 {
				gs, err := st.ServiceGuides(e.ctx)
				if err != nil {
					return err
				}
				return e.emit(gs, func(w io.Writer) {
					for _, g := range gs {
						fmt.Fprintf(w, "%s  %s  %d 步  %s\n", g.ID, g.Matter, len(g.Steps), g.TimeLimit)
					}
				})
			}
			if guideOut == "" {
				return usageError{"--out FILE.pdf is required to print a guide"}
			}
			if err := st.ServiceGuidePDF(e.ctx, args[0], guideOut); err != nil {
				return err
			}
			return e.emit(map[string]any{"out": guideOut}, func(w io.Writer) { fmt.Fprintf(w, "已生成办事流程图：%s\n", guideOut) })
		}
		return c
	})
}
