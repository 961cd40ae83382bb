package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

func init() {
	register("report", func(e *env) *cobra.Command {
		var month, out string
		c := &cobra.Command{Use: "monthly --month YYYY-MM --out FILE.xlsx|FILE.pdf", Short: "月报 / monthly report"}
		fs := c.Flags()
		fs.StringVar(&month, "month", time.Now().Format("2006-01"), "month of the report")
		fs.StringVar(&out, "out", "", "file to write: .xlsx (one sheet per topic) or .pdf (printable, with charts)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usageError{"give --out FILE.xlsx or --out FILE.pdf"}
			}
			if _, err := time.ParseInLocation("2006-01", month, time.Local); err != nil {
				return usageError{"--month wants YYYY-MM"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			var r data.MonthlyReport
			switch strings.ToLower(filepath.Ext(out)) {
			case ".xlsx":
				r, err = st.SaveMonthlyXLSX(e.ctx, month, time.Now(), out)
			case ".pdf":
				r, err = st.SaveMonthlyPDF(e.ctx, month, time.Now(), out)
			default:
				return usageError{"--out must end in .xlsx or .pdf"}
			}
			if err != nil {
				return err
			}
			ov := r.Overview
			return e.emit(map[string]any{"out": out, "month": ov.Month, "stations": len(ov.Stations), "total": ov.MonthAll}, func(w io.Writer) {
				fmt.Fprintf(w, "已生成 %s 月报（%d 个站点）：%s\n", ov.Month, len(ov.Stations), out)
				fmt.Fprintf(w, "合计：上门服务 %d 次，服务 %d 人，学习日 %d 场，出勤率 %.1f%%，政策卡片 %d 张，群众意见 %d 条\n",
					ov.MonthAll.Visits, ov.MonthAll.Residents, ov.MonthAll.StudyDays, ov.MonthAll.Rate*100, ov.MonthAll.Cards, ov.MonthAll.OpinionTotal())
			})
		}
		return c
	})
}

func init() {
	register("report", func(e *env) *cobra.Command {
		var month string
		var stale int
		c := &cobra.Command{Use: "overview [--month YYYY-MM] [--stale-days N]", Short: "各站概况 / overview of the stations"}
		fs := c.Flags()
		fs.StringVar(&month, "month", time.Now().Format("2006-01"), "month of the overview")
		fs.IntVar(&stale, "stale-days", data.DefaultStaleDays, "flag stations without a bundle for this many days")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if _, err := time.ParseInLocation("2006-01", month, time.Local); err != nil {
				return usageError{"--month wants YYYY-MM"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			ov, err := st.BureauOverview(e.ctx, month, time.Now(), stale)
			if err != nil {
				return err
			}
			return e.emit(ov, func(w io.Writer) {
				fmt.Fprintf(w, "%s 各站概况（本月 / 本年）\n", ov.Month)
				for _, s := range ov.Stations {
					warn := ""
					if s.Stale {
						warn = fmt.Sprintf("  ⚠ 超过 %d 天未收到数据包", ov.StaleDays)
					}
					fmt.Fprintf(w, "%s %s：上门服务 %d/%d 次，服务 %d/%d 人，待办跟进 %d（逾期 %d），学习日 %d/%d 场，政策卡片 %d/%d 张，群众意见 %d/%d 条%s\n",
						s.Code, s.Name, s.Month.Visits, s.Year.Visits, s.Month.Residents, s.Year.Residents, s.Month.OpenFollowups, s.Month.OverdueFollowups,
						s.Month.StudyDays, s.Year.StudyDays, s.Month.Cards, s.Year.Cards, s.Month.OpinionTotal(), s.Year.OpinionTotal(), warn)
				}
			})
		}
		return c
	})
}
