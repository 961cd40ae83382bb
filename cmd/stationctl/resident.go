package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

func init() {
	register("resident", func(e *env) *cobra.Command {
		var dryRun bool
		c := &cobra.Command{Use: "import FILE [--dry-run]", Short: "导入服务对象 / import residents"}
		fs := c.Flags()
		fs.BoolVar(&dryRun, "dry-run", false, "check every row and report, write nothing")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"name one .xlsx or .csv file"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			rep, err := st.ImportResidentsFile(e.ctx, args[0], dryRun, data.ActorFrom(e.ctx))
			if err != nil {
				return err
			}
			out := struct {
				Imported int                    `json:"imported"`
				Updated  int                    `json:"updated"`
				Rejected []data.ImportRejection `json:"rejected"`
			}{rep.Imported, rep.Updated, rep.Rejected}
			return e.emit(out, func(w io.Writer) {
				verb := "已导入"
				if dryRun {
					verb = "试导入（未写入）"
				}
				fmt.Fprintf(w, "%s：新增 %d 人，更新 %d 人，拒绝 %d 行\n", verb, rep.Imported, rep.Updated, len(rep.Rejected))
				for _, r := range rep.Rejected {
					fmt.Fprintf(w, "  第 %d 行：%s\n", r.Row, r.Reason)
				}
			})
		}
		return c
	})

	// The three exports share their flags; each filters on those it knows.
	for _, x := range []struct {
		parent, use, short string
	}{
		{"resident", "export --out FILE.xlsx [--village V --category C] [--full]", "导出服务对象 / export residents"},
		{"visit", "export --out FILE.xlsx [--village V --category C --month YYYY-MM]", "导出上门服务记录 / export visits"},
		{"opinion", "export --out FILE.xlsx [--month YYYY-MM]", "导出群众意见 / export opinions"},
	} {
		register(x.parent, func(e *env) *cobra.Command {
			c := &cobra.Command{Use: x.use, Short: x.short}
			fs := c.Flags()
			out := fs.String("out", "", "the .xlsx file to write")
			village := fs.String("village", "", "only this village or community")
			category := fs.String("category", "", "only this category of resident (e.g. 高龄)")
			month := fs.String("month", "", "only this month, YYYY-MM (visits, opinions)")
			full := fs.Bool("full", false, "residents: full ID numbers and phones (recorded in the audit log under --as)")
			c.RunE = func(_ *cobra.Command, args []string) error {
				if *out == "" {
					return usageError{"--out FILE.xlsx is required"}
				}
				st, err := e.open()
				if err != nil {
					return err
				}
				var n int
				switch x.parent {
				case "resident":
					n, err = st.ExportResidentsXLSX(e.ctx, *out, data.ResidentFilter{Village: *village, Category: *category}, *full, data.ActorFrom(e.ctx))
				case "visit":
					n, err = st.ExportVisitsXLSX(e.ctx, *out, data.VisitFilter{Village: *village, Category: *category, Month: *month})
				case "opinion":
					n, err = st.ExportOpinionsXLSX(e.ctx, *out, data.OpinionFilter{Month: *month})
				}
				if err != nil {
					return err
				}
				return e.emit(map[string]any{"rows": n, "out": *out}, func(w io.Writer) { fmt.Fprintf(w, "已导出 %d 行到 %s\n", n, *out) })
			}
			return c
		})
	}

	register("visit", func(e *env) *cobra.Command {
		var out string
		c := &cobra.Command{Use: "form --out FILE.pdf [RESIDENT_ID...]", Short: "上门服务记录表 PDF / visit form PDF"}
		c.Flags().StringVar(&out, "out", "", "the .pdf file to write")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usageError{"--out FILE.pdf is required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.VisitFormPDF(e.ctx, out, args); err != nil {
				return err
			}
			return e.emit(map[string]any{"out": out, "pages": max(1, len(args))}, func(w io.Writer) { fmt.Fprintf(w, "已生成上门服务记录表 %s\n", out) })
		}
		return c
	})

	register("visit", func(e *env) *cobra.Command {
		var village string
		var limit int
		c := &cobra.Command{Use: "followups [--village V --limit N]", Short: "待办跟进 / follow-ups due"}
		fs := c.Flags()
		fs.StringVar(&village, "village", "", "only this village or community")
		fs.IntVar(&limit, "limit", 50, "rows to list")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			rows, err := st.FollowupQueue(e.ctx, data.VisitFilter{Village: village, Limit: limit})
			if err != nil {
				return err
			}
			return e.emit(rows, func(w io.Writer) {
				for _, v := range rows {
					mark := ""
					if v.Overdue {
						mark = "（已逾期）"
					}
					fmt.Fprintf(w, "%s  %s  %s  上门 %s  %s%s\n", v.FollowupDue, v.ResidentName, v.Village, v.Date, v.Outcome, mark)
				}
			})
		}
		return c
	})
}
