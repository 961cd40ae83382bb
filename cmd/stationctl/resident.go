package main

import (
	"flag"
	"fmt"
	"io"

	"stationdesk/data"
)

func init() {
	var dryRun bool
	register("resident import", &command{usage: "resident import FILE [--dry-run]",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&dryRun, "dry-run", false, "check every row and report, write nothing")
		},
		run: func(e *env, fs *flag.FlagSet, args []string) error {
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
		}})

	var out, village, category, month string
	var full bool
	exportFlags := func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "the .xlsx file to write")
		fs.StringVar(&village, "village", "", "only this village or community")
		fs.StringVar(&category, "category", "", "only this category of resident (e.g. 高龄)")
		fs.StringVar(&month, "month", "", "only this month, YYYY-MM (visits, opinions)")
		fs.BoolVar(&full, "full", false, "residents: full ID numbers and phones (recorded in the audit log under --as)")
	}
	export := func(what string) func(e *env, fs *flag.FlagSet, args []string) error {
		return func(e *env, fs *flag.FlagSet, args []string) error {
			if out == "" {
				return usageError{"--out FILE.xlsx is required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			var n int
			switch what {
			case "residents":
				n, err = st.ExportResidentsXLSX(e.ctx, out, data.ResidentFilter{Village: village, Category: category}, full, data.ActorFrom(e.ctx))
			case "visits":
				n, err = st.ExportVisitsXLSX(e.ctx, out, data.VisitFilter{Village: village, Category: category, Month: month})
			case "opinions":
				n, err = st.ExportOpinionsXLSX(e.ctx, out, data.OpinionFilter{Month: month})
			}
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"rows": n, "out": out}, func(w io.Writer) { fmt.Fprintf(w, "已导出 %d 行到 %s\n", n, out) })
		}
	}
	register("resident export", &command{usage: "resident export --out FILE.xlsx [--village V --category C] [--full]", flags: exportFlags, run: export("residents")})
	register("visit export", &command{usage: "visit export --out FILE.xlsx [--village V --category C --month YYYY-MM]", flags: exportFlags, run: export("visits")})
	register("opinion export", &command{usage: "opinion export --out FILE.xlsx [--month YYYY-MM]", flags: exportFlags, run: export("opinions")})

	register("visit form", &command{usage: "visit form --out FILE.pdf [RESIDENT_ID...]", flags: func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "the .pdf file to write")
	}, run: func(e *env, fs *flag.FlagSet, args []string) error {
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
	}})

	var limit int
	register("visit followups", &command{usage: "visit followups [--village V --limit N]", flags: func(fs *flag.FlagSet) {
		fs.StringVar(&village, "village", "", "only this village or community")
		fs.IntVar(&limit, "limit", 50, "rows to list")
	}, run: func(e *env, fs *flag.FlagSet, args []string) error {
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
	}})
}
