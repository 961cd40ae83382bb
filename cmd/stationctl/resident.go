package main

import (
	"flag"
	"fmt"
	"io"

	"stationdesk/data"
)

func init() {
	var dryRun bool
	var as string
	register("resident import", &command{usage: "resident import FILE [--dry-run] [--as OFFICER]",
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&dryRun, "dry-run", false, "check every row and report, write nothing")
			fs.StringVar(&as, "as", "stationctl", "who the import is recorded as (audit log)")
		},
		run: func(e *env, fs *flag.FlagSet, args []string) error {
			if len(args) != 1 {
				return usageError{"name one .xlsx or .csv file"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			rep, err := st.ImportResidentsFile(e.ctx, args[0], dryRun, as)
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
}
