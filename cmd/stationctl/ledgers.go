package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// ledgerOfficer finds an officer by ID or by exact name.
func ledgerOfficer(ctx context.Context, st *data.Store, who string) (data.Officer, error) {
	all, err := st.Officers(ctx, false)
	if err != nil {
		return data.Officer{}, err
	}
	var found []data.Officer
	for _, o := range all {
		if o.ID == who || o.Name == who {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 0:
		return data.Officer{}, usageError{"no officer " + who}
	case 1:
		return found[0], nil
	}
	return data.Officer{}, usageError{"several officers are called " + who + ": give the ID"}
}

func ledgerDay(s, flagName string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	return parseDay(s, flagName)
}

func init() {
	register("lending", func(e *env) *cobra.Command {
		var l data.Lending
		c := &cobra.Command{Use: "add --holder NAME --unit UNIT --borrower NAME --purpose TEXT --approved-by NAME --out DATE --due DATE", Short: "档案外借登记 / record a file lent"}
		fs := c.Flags()
		l = data.Lending{}
		fs.StringVar(&l.HolderName, "holder", "", "whose personnel file")
		fs.StringVar(&l.BorrowerUnit, "unit", "", "borrowing unit")
		fs.StringVar(&l.Borrower, "borrower", "", "person who borrows it")
		fs.StringVar(&l.Purpose, "purpose", "", "purpose")
		fs.StringVar(&l.ApprovedBy, "approved-by", "", "the talent-centre director who approved")
		fs.StringVar(&l.DateOut, "out", "", "date out, YYYY-MM-DD")
		fs.StringVar(&l.DateDue, "due", "", "date due back, YYYY-MM-DD")
		fs.StringVar(&l.Notes, "notes", "", "notes")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.SaveLending(e.ctx, &l); err != nil {
				return err
			}
			return e.emit(l, func(w io.Writer) { fmt.Fprintf(w, "已登记 %s 的档案外借（%s）\n", l.HolderName, l.ID) })
		}
		return c
	})

	register("lending", func(e *env) *cobra.Command {
		var retDate string
		c := &cobra.Command{Use: "return ID [--date YYYY-MM-DD]", Short: "档案归还 / record a file returned"}
		fs := c.Flags()
		fs.StringVar(&retDate, "date", "", "date returned (default today)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"lending return wants the entry's ID"}
			}
			if retDate == "" {
				retDate = time.Now().Format("2006-01-02")
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.ReturnLending(e.ctx, args[0], retDate); err != nil {
				return err
			}
			return e.emit(map[string]string{"id": args[0], "date_returned": retDate}, func(w io.Writer) { fmt.Fprintf(w, "已登记归还 %s\n", retDate) })
		}
		return c
	})

	register("lending", func(e *env) *cobra.Command {
		var overdue bool
		var weekOf string
		c := &cobra.Command{Use: "list [--overdue | --week YYYY-MM-DD]", Short: "档案外借台账 / lending register"}
		fs := c.Flags()
		fs.BoolVar(&overdue, "overdue", false, "only files overdue today")
		fs.StringVar(&weekOf, "week", "", "only the week (Monday–Sunday) holding this date: the weekly review list")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			var list []data.Lending
			switch {
			case overdue:
				list, err = st.OverdueLendings(e.ctx, time.Now())
			case weekOf != "":
				var d time.Time
				if d, err = parseDay(weekOf, "week"); err != nil {
					return err
				}
				list, err = st.WeekLendings(e.ctx, d)
			default:
				list, err = st.Lendings(e.ctx)
			}
			if err != nil {
				return err
			}
			if list == nil {
				list = []data.Lending{}
			}
			return e.emit(list, func(w io.Writer) {
				for _, l := range list {
					fmt.Fprintf(w, "%s  %s  %s %s  借出 %s 应还 %s  %s\n", l.ID, l.HolderName, l.BorrowerUnit, l.Borrower, l.DateOut, l.DateDue,
						data.LendingStatus(l, time.Now()))
				}
			})
		}
		return c
	})

	register("lending", func(e *env) *cobra.Command {
		var reviewer, remarks, reviewWeek string
		c := &cobra.Command{Use: "review --reviewer NAME [--remarks TEXT] [--week YYYY-MM-DD]", Short: "每周审核 / weekly review"}
		fs := c.Flags()
		fs.StringVar(&reviewer, "reviewer", "", "the deputy director who reviewed")
		fs.StringVar(&remarks, "remarks", "", "remarks")
		fs.StringVar(&reviewWeek, "week", "", "a day of the week reviewed (default this week)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			d, err := ledgerDay(reviewWeek, "week")
			if err != nil {
				return err
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			r, err := st.ReviewWeek(e.ctx, d, reviewer, remarks)
			if err != nil {
				return err
			}
			return e.emit(r, func(w io.Writer) {
				fmt.Fprintf(w, "%s 起一周（%d 条）已由 %s 审核\n", r.Week, r.Entries, r.Reviewer)
			})
		}
		return c
	})

	register("lending", func(e *env) *cobra.Command {
		var xlsx string
		c := &cobra.Command{Use: "export --out FILE.xlsx", Short: "导出外借台账 / export the register"}
		fs := c.Flags()
		fs.StringVar(&xlsx, "out", "", "the .xlsx file to write")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if xlsx == "" {
				return usageError{"--out is required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			n, err := st.ExportLendingsXLSX(e.ctx, xlsx)
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"rows": n, "path": xlsx}, func(w io.Writer) { fmt.Fprintf(w, "已导出 %d 条到 %s\n", n, xlsx) })
		}
		return c
	})

	register("rota", func(e *env) *cobra.Command {
		var from, to, leaders string
		c := &cobra.Command{Use: "generate --from DATE --to DATE --leaders NAME,NAME,...", Short: "生成值班表 / make the duty rota"}
		fs := c.Flags()
		fs.StringVar(&from, "from", "", "first day, YYYY-MM-DD")
		fs.StringVar(&to, "to", "", "last day, YYYY-MM-DD")
		fs.StringVar(&leaders, "leaders", "", "leaders in turn, names or IDs separated by commas")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			var ids []string
			for _, n := range strings.Split(leaders, ",") {
				if n = strings.TrimSpace(n); n == "" {
					continue
				}
				o, err := ledgerOfficer(e.ctx, st, n)
				if err != nil {
					return err
				}
				ids = append(ids, o.ID)
			}
			rota, err := st.GenerateRota(e.ctx, from, to, ids)
			if err != nil {
				return err
			}
			return e.emit(rota, func(w io.Writer) { ledgerPrintRota(w, rota) })
		}
		return c
	})

	register("rota", func(e *env) *cobra.Command {
		var listFrom, listTo string
		c := &cobra.Command{Use: "list [--from DATE --to DATE]", Short: "值班表 / the duty rota"}
		c.Long = c.Short + "\n\n" + "default: this month"
		fs := c.Flags()
		fs.StringVar(&listFrom, "from", "", "first day")
		fs.StringVar(&listTo, "to", "", "last day")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if listFrom == "" || listTo == "" {
				listFrom, listTo = data.MonthRange(time.Now())
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			rota, err := st.Rota(e.ctx, listFrom, listTo)
			if err != nil {
				return err
			}
			if rota == nil {
				rota = []data.Duty{}
			}
			return e.emit(rota, func(w io.Writer) { ledgerPrintRota(w, rota) })
		}
		return c
	})

	register("rota", func(e *env) *cobra.Command {
		var swapReason, swapBy, swapTo string
		c := &cobra.Command{Use: "swap DUTY_ID (OTHER_DUTY_ID | --to LEADER) --reason TEXT [--by NAME]", Short: "调班 / swap duties"}
		fs := c.Flags()
		fs.StringVar(&swapReason, "reason", "", "why")
		fs.StringVar(&swapBy, "by", "", "who records the change")
		fs.StringVar(&swapTo, "to", "", "hand the duty to this leader instead of exchanging days")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			switch {
			case len(args) == 2 && swapTo == "":
				err = st.SwapDuties(e.ctx, args[0], args[1], swapReason, swapBy)
			case len(args) == 1 && swapTo != "":
				var o data.Officer
				if o, err = ledgerOfficer(e.ctx, st, swapTo); err != nil {
					return err
				}
				err = st.ReassignDuty(e.ctx, args[0], o.ID, swapReason, swapBy)
			default:
				return usageError{"rota swap wants two duty IDs, or one and --to"}
			}
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"swapped": args}, func(w io.Writer) { fmt.Fprintln(w, "已调换并登记") })
		}
		return c
	})

	register("rota", func(e *env) *cobra.Command {
		var pdfOut, month, week string
		c := &cobra.Command{Use: "pdf --out FILE.pdf", Short: "值班表 PDF / duty rota PDF"}
		c.Long = c.Short + "\n\n" + "--month YYYY-MM | --week YYYY-MM-DD"
		fs := c.Flags()
		fs.StringVar(&pdfOut, "out", "", "the PDF to write")
		fs.StringVar(&month, "month", "", "the month to print")
		fs.StringVar(&week, "week", "", "a day of the week to print")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if pdfOut == "" {
				return usageError{"--out is required"}
			}
			var title, a, b string
			switch {
			case month != "":
				m, err := time.ParseInLocation("2006-01", month, time.Local)
				if err != nil {
					return usageError{"--month wants YYYY-MM"}
				}
				a, b = data.MonthRange(m)
				title = fmt.Sprintf("%d年%d月大厅值班表", m.Year(), int(m.Month()))
			default:
				d, err := ledgerDay(week, "week")
				if err != nil {
					return err
				}
				a, b = data.WeekRange(d)
				title = "大厅值班表（" + a + " 起一周）"
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.RotaPDF(e.ctx, pdfOut, title, a, b); err != nil {
				return err
			}
			return e.emit(map[string]string{"path": pdfOut, "from": a, "to": b}, func(w io.Writer) { fmt.Fprintf(w, "已生成 %s\n", pdfOut) })
		}
		return c
	})

	register("liaison", func(e *env) *cobra.Command {
		var v data.LiaisonVisit
		var cadre string
		c := &cobra.Command{Use: "visit --cadre NAME --station CODE --date DATE --discussed TEXT [--problems --help-given --followup]", Short: "联系点走访登记 / record a liaison visit"}
		fs := c.Flags()
		v = data.LiaisonVisit{}
		fs.StringVar(&cadre, "cadre", "", "the bureau cadre (name or ID)")
		fs.StringVar(&v.StationCode, "station", "", "code of the station visited")
		fs.StringVar(&v.Date, "date", "", "date of the visit")
		fs.StringVar(&v.Discussed, "discussed", "", "what was discussed")
		fs.StringVar(&v.Problems, "problems", "", "problems found")
		fs.StringVar(&v.Help, "help-given", "", "help given")
		fs.StringVar(&v.Followup, "followup", "", "follow-up")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			o, err := ledgerOfficer(e.ctx, st, cadre)
			if err != nil {
				return err
			}
			v.OfficerID = o.ID
			if err := st.AddLiaisonVisit(e.ctx, &v); err != nil {
				return err
			}
			return e.emit(v, func(w io.Writer) { fmt.Fprintf(w, "已登记 %s 走访 %s（%s）\n", o.Name, v.StationCode, v.Date) })
		}
		return c
	})

	register("liaison", func(e *env) *cobra.Command {
		var assignStations string
		c := &cobra.Command{Use: "assign CADRE --stations CODE,CODE,...", Short: "分配联系站点 / assign stations to a cadre"}
		fs := c.Flags()
		fs.StringVar(&assignStations, "stations", "", "station codes, separated by commas (empty: none)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"liaison assign wants the cadre's name or ID"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			o, err := ledgerOfficer(e.ctx, st, args[0])
			if err != nil {
				return err
			}
			var codes []string
			for _, c := range strings.Split(assignStations, ",") {
				if c = strings.TrimSpace(c); c != "" {
					codes = append(codes, c)
				}
			}
			if err := st.AssignStations(e.ctx, o.ID, codes); err != nil {
				return err
			}
			return e.emit(map[string]any{"officer_id": o.ID, "stations": codes}, func(w io.Writer) {
				fmt.Fprintf(w, "%s 联系 %d 个站点\n", o.Name, len(codes))
			})
		}
		return c
	})

	register("liaison", func(e *env) *cobra.Command {
		var year int
		c := &cobra.Command{Use: "summary [--year YYYY]", Short: "联系点走访统计 / liaison summary"}
		fs := c.Flags()
		fs.IntVar(&year, "year", time.Now().Year(), "year of the visits counted")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			sum, err := st.LiaisonSummary(e.ctx, year)
			if err != nil {
				return err
			}
			return e.emit(sum, func(w io.Writer) {
				for _, c := range sum {
					fmt.Fprintf(w, "%s  联系站点 %d 个（%s）  %d年走访 %d 次\n", c.OfficerName, len(c.Stations), strings.Join(c.Stations, "、"), year, c.Visits)
				}
			})
		}
		return c
	})

	register("", func(e *env) *cobra.Command {
		var cardOut, cardOfficer string
		c := &cobra.Command{Use: "dutycard --out FILE.pdf [--officer NAME]", Short: "工作牌 PDF / duty cards"}
		c.Long = c.Short + "\n\n" + "default: every active officer"
		fs := c.Flags()
		fs.StringVar(&cardOut, "out", "", "the PDF to write")
		fs.StringVar(&cardOfficer, "officer", "", "only this officer (name or ID)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if cardOut == "" {
				return usageError{"--out is required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			var ids []string
			if cardOfficer != "" {
				o, err := ledgerOfficer(e.ctx, st, cardOfficer)
				if err != nil {
					return err
				}
				ids = append(ids, o.ID)
			}
			n, err := st.DutyCardsPDF(e.ctx, cardOut, ids...)
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"cards": n, "path": cardOut}, func(w io.Writer) { fmt.Fprintf(w, "已生成 %d 张工作牌：%s\n", n, cardOut) })
		}
		return c
	})
}

// The roster commands live here because the duty rota and duty cards need
// officers and no other command group adds them.
func init() {
	register("officer", func(e *env) *cobra.Command {
		var o data.Officer
		c := &cobra.Command{Use: "add --name NAME --role ROLE [--phone PHONE --duties TEXT --station CODE]", Short: "新增工作人员 / add an officer"}
		fs := c.Flags()
		o = data.Officer{}
		fs.StringVar(&o.Name, "name", "", "name")
		fs.StringVar(&o.Role, "role", "", "role, e.g. 站长, 副局长")
		fs.StringVar(&o.Phone, "phone", "", "work phone, printed on the duty card")
		fs.StringVar(&o.Duties, "duties", "", "duties, printed on the duty card")
		fs.StringVar(&o.StationCode, "station", "", "station code (default: this installation)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.AddOfficer(e.ctx, &o); err != nil {
				return err
			}
			return e.emit(map[string]string{"id": o.ID, "name": o.Name}, func(w io.Writer) { fmt.Fprintf(w, "已添加 %s（%s）\n", o.Name, o.ID) })
		}
		return c
	})
	register("officer", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "list", Short: "工作人员名单 / list officers"}
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			all, err := st.Officers(e.ctx, false)
			if err != nil {
				return err
			}
			type row struct {
				ID      string `json:"id"`
				Name    string `json:"name"`
				Role    string `json:"role"`
				Station string `json:"station_code"`
				Phone   string `json:"phone"` // masked
				Active  bool   `json:"active"`
			}
			out := []row{}
			for _, o := range all {
				out = append(out, row{o.ID, o.Name, o.Role, o.StationCode, data.MaskPhone(o.Phone), o.Active})
			}
			return e.emit(out, func(w io.Writer) {
				for _, r := range out {
					fmt.Fprintf(w, "%s  %s  %s  %s  %s\n", r.ID, r.Name, r.Role, r.Station, r.Phone)
				}
			})
		}
		return c
	})
}

func ledgerPrintRota(w io.Writer, rota []data.Duty) {
	for _, d := range rota {
		fmt.Fprintf(w, "%s %s  %s  %s\n", d.Date, data.WeekdayName(d.Date), d.OfficerName, d.ID)
	}
}
