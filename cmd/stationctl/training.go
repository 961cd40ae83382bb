package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// studyDayJSON is one line of `training calendar --json`.
type studyDayJSON struct {
	Date       string `json:"date"`
	Weekday    string `json:"weekday"`
	Start      string `json:"start"`
	End        string `json:"end"`
	MovedFrom  string `json:"moved_from,omitempty"`
	MoveReason string `json:"move_reason,omitempty"`
	TrainingID string `json:"training_id,omitempty"`
	Topic      string `json:"topic,omitempty"`
}

var weekdays = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func parseDay(s, flagName string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return t, usageError{"--" + flagName + " wants YYYY-MM-DD"}
	}
	return t, nil
}

func init() {
	register("training", func(e *env) *cobra.Command {
		var year int
		c := &cobra.Command{Use: "calendar --year YYYY", Short: "干部学习日日历 / study-day calendar"}
		fs := c.Flags()
		fs.IntVar(&year, "year", time.Now().Year(), "year of the calendar")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if year < 1900 || year > 9999 {
				return usageError{"--year wants a year such as " + strconv.Itoa(time.Now().Year())}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			days, err := st.StudyCalendar(e.ctx, year)
			if err != nil {
				return err
			}
			out := make([]studyDayJSON, len(days))
			for i, d := range days {
				out[i] = studyDayJSON{Date: d.Date.Format("2006-01-02"), Weekday: weekdays[d.Date.Weekday()], Start: d.Start, End: d.End,
					MoveReason: d.MoveReason, TrainingID: d.TrainingID, Topic: d.Topic}
				if d.Moved() {
					out[i].MovedFrom = d.MovedFrom.Format("2006-01-02")
				}
			}
			return e.emit(out, func(w io.Writer) {
				fmt.Fprintf(w, "%d年干部学习日\n", year)
				for _, d := range out {
					fmt.Fprintf(w, "%s %s %s–%s", d.Date, d.Weekday, d.Start, d.End)
					if d.MovedFrom != "" {
						fmt.Fprintf(w, "  调整（原定 %s，原因：%s）", d.MovedFrom, d.MoveReason)
					}
					if d.Topic != "" {
						fmt.Fprintf(w, "  %s", d.Topic)
					}
					fmt.Fprintln(w)
				}
			})
		}
		return c
	})

	register("training", func(e *env) *cobra.Command {
		var from, to, reason string
		c := &cobra.Command{Use: "move --from YYYY-MM-DD --to YYYY-MM-DD --reason TEXT", Short: "调整学习日 / move a study day"}
		fs := c.Flags()
		fs.StringVar(&from, "from", "", "the study day's third Friday")
		fs.StringVar(&to, "to", "", "the day it is held instead (the third Friday again undoes a move)")
		fs.StringVar(&reason, "reason", "", "why it moves, e.g. 法定节假日")
		c.RunE = func(_ *cobra.Command, args []string) error {
			f, err := parseDay(from, "from")
			if err != nil {
				return err
			}
			t, err := parseDay(to, "to")
			if err != nil {
				return err
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			tr, err := st.MoveStudyDay(e.ctx, f, t, reason)
			if err != nil {
				return err
			}
			return e.emit(tr, func(w io.Writer) {
				if tr.MovedFrom == "" {
					fmt.Fprintf(w, "干部学习日恢复为 %s\n", tr.Date)
					return
				}
				fmt.Fprintf(w, "干部学习日 %s 调整到 %s（%s）\n", tr.MovedFrom, tr.Date, tr.MoveReason)
			})
		}
		return c
	})

	register("training", func(e *env) *cobra.Command {
		var listYear int
		c := &cobra.Command{Use: "list [--year YYYY]", Short: "培训列表 / training sessions"}
		fs := c.Flags()
		fs.IntVar(&listYear, "year", time.Now().Year(), "year of the sessions")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			list, err := st.Trainings(e.ctx, fmt.Sprintf("%04d-01-01", listYear), fmt.Sprintf("%04d-12-31", listYear))
			if err != nil {
				return err
			}
			if list == nil {
				list = []data.TrainingSummary{}
			}
			return e.emit(list, func(w io.Writer) {
				for _, t := range list {
					fmt.Fprintf(w, "%s %s %-6s %s  出勤 %d/%d  %s\n", t.Date, t.Start, data.TrainingTypeLabel(t.Type), t.Topic, t.Attended, t.Recorded, t.ID)
				}
			})
		}
		return c
	})
}

func init() {
	for _, x := range []struct {
		use, short, kind string
		save             func(st *data.Store, e *env, id, path string) error
	}{
		{"sheet ID --out FILE.pdf", "签到表 PDF / sign-in sheet", "sign-in sheet",
			func(st *data.Store, e *env, id, path string) error { return st.SaveSignInSheetPDF(e.ctx, id, path) }},
		{"export ID --out FILE.xlsx", "出勤表 xlsx / attendance sheet", "attendance",
			func(st *data.Store, e *env, id, path string) error { return st.SaveAttendanceXLSX(e.ctx, id, path) }},
	} {
		register("training", func(e *env) *cobra.Command {
			c := &cobra.Command{Use: x.use, Short: x.short}
			out := c.Flags().String("out", "", "file to write")
			c.RunE = func(_ *cobra.Command, args []string) error {
				if len(args) != 1 || *out == "" {
					return usageError{"give the session ID and --out FILE"}
				}
				st, err := e.open()
				if err != nil {
					return err
				}
				if err := x.save(st, e, args[0], *out); err != nil {
					return err
				}
				return e.emit(map[string]string{"training_id": args[0], "kind": x.kind, "path": *out}, func(w io.Writer) {
					fmt.Fprintf(w, "已写入 %s\n", *out)
				})
			}
			return c
		})
	}
}

func init() {
	register("training", func(e *env) *cobra.Command {
		var year int
		c := &cobra.Command{Use: "figures [--year YYYY]", Short: "出勤统计 / attendance figures"}
		fs := c.Flags()
		fs.IntVar(&year, "year", time.Now().Year(), "year of the figures")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			f, err := st.AttendanceFigures(e.ctx, year)
			if err != nil {
				return err
			}
			return e.emit(f, func(w io.Writer) {
				pct := func(r float64) int { return int(r*100 + 0.5) }
				fmt.Fprintf(w, "%d年：培训 %d 场，登记 %d 人次，出勤率 %d%%，请假 %d，缺席 %d\n", year, f.Total.Sessions, f.Total.Recorded, pct(f.Total.Rate), f.Total.Leave, f.Total.Absent)
				for _, m := range f.Months {
					if m.Sessions > 0 {
						fmt.Fprintf(w, "  %s  %d 场  出勤率 %3d%%  缺席 %d\n", m.Period, m.Sessions, pct(m.Rate), m.Absent)
					}
				}
				for _, o := range f.Officers {
					fmt.Fprintf(w, "  %-6s %-8s %3d%%  场次 %d 迟到 %d 请假 %d 缺席 %d\n", o.Name, o.Role, pct(o.Rate), o.Sessions, o.Late, o.Leave, o.Absent)
				}
			})
		}
		return c
	})
}
