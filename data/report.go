package data

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"

	"stationdesk/data/render"
)

// MonthlyReport (月报) is the month's figures of every station, with totals.
type MonthlyReport struct {
	Bureau   string         `json:"bureau"`
	Overview BureauOverview `json:"overview"`
	Reach    []PolicyShares `json:"reach"` // 政策找人 per policy and station (reach_bureau.go)
}

// ReportSheets are the workbook's sheets, one per topic, in order.
var ReportSheets = []string{"上门服务", "培训学习", "政策宣传", "群众意见"}

// ReportTotalLabel names the total row.
const ReportTotalLabel = "合计"

// MonthlyReport gathers the report of month (YYYY-MM), judged on asOf.
func (s *Store) MonthlyReport(ctx context.Context, month string, asOf time.Time) (MonthlyReport, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return MonthlyReport{}, err
	}
	ov, err := s.BureauOverview(ctx, month, asOf, DefaultStaleDays)
	if err != nil {
		return MonthlyReport{}, err
	}
	reach, err := s.ReachByStation(ctx)
	if err != nil {
		return MonthlyReport{}, err
	}
	return MonthlyReport{Bureau: ident.Name, Overview: ov, Reach: reach}, nil
}

func ratePercent(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }

// reportTable is one topic: headers and one row per station plus the total.
func (r MonthlyReport) reportTable(sheet string) ([]string, [][]any) {
	var head []string
	row := func(f StationFigures) []any { return nil }
	switch sheet {
	case "上门服务":
		head = []string{"上门服务次数", "服务人数", "待办跟进", "其中逾期"}
		row = func(f StationFigures) []any { return []any{f.Visits, f.Residents, f.OpenFollowups, f.OverdueFollowups} }
	case "培训学习":
		head = []string{"学习日场次", "应到人次", "实到人次", "出勤率"}
		row = func(f StationFigures) []any {
			var rate any = "—"
			if f.Recorded > 0 {
				rate = f.Rate // a number in the workbook, shown as a percentage
			}
			return []any{f.StudyDays, f.Recorded, f.Attended, rate}
		}
	case "政策宣传":
		head = []string{"发放登记次数", "发放政策卡片（张）"}
		row = func(f StationFigures) []any { return []any{f.Handouts, f.Cards} }
	case "群众意见":
		head = append([]string{"意见总数"}, OpinionStatuses...)
		row = func(f StationFigures) []any {
			out := []any{f.OpinionTotal()}
			for _, st := range OpinionStatuses {
				out = append(out, f.Opinions[st])
			}
			return out
		}
	}
	var rows [][]any
	for _, st := range r.Overview.Stations {
		rows = append(rows, append([]any{st.Code, st.Name}, row(st.Month)...))
	}
	rows = append(rows, append([]any{"", ReportTotalLabel}, row(r.Overview.MonthAll)...))
	return append([]string{"站点代码", "站点名称"}, head...), rows
}

func (r MonthlyReport) title() string {
	m, _ := ParseMonth(r.Overview.Month)
	return fmt.Sprintf("%d年%d月劳动保障站工作月报", m.Year(), int(m.Month()))
}

// WriteMonthlyXLSX writes the report as a workbook: one sheet per topic,
// each headed by the report's title (which names the month) and the day
// it was judged on, then the table; rates are numbers shown as 87.5%.
func WriteMonthlyXLSX(r MonthlyReport, w io.Writer) error {
	f, err := render.NewWorkbook(ReportSheets[0])
	if err != nil {
		return fmt.Errorf("data: report xlsx: %w", err)
	}
	defer f.Close()
	bold := render.HeaderStyle(f)
	pct := render.PercentStyle(f, false)
	boldPct := render.PercentStyle(f, true)
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	const top = 3 // the title, the note, then the header row
	for i, sheet := range ReportSheets {
		if i > 0 {
			if _, err := f.NewSheet(sheet); err != nil {
				return fmt.Errorf("data: report xlsx: %w", err)
			}
		}
		head, rows := r.reportTable(sheet)
		_ = f.SetCellValue(sheet, "A1", r.title()+"　"+sheet)
		_ = f.SetCellStyle(sheet, "A1", "A1", titleStyle)
		_ = f.SetCellValue(sheet, "A2", r.note())
		if err := render.SetHeader(f, sheet, top, head); err != nil {
			return fmt.Errorf("data: report xlsx: %w", err)
		}
		for j, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, top+1+j)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return fmt.Errorf("data: report xlsx: %w", err)
			}
		}
		totalRow := top + len(rows)
		tl, _ := excelize.CoordinatesToCellName(1, totalRow)
		tr, _ := excelize.CoordinatesToCellName(len(head), totalRow)
		_ = f.SetCellStyle(sheet, tl, tr, bold)
		if sheet == "培训学习" {
			col, _ := excelize.ColumnNumberToName(len(head))
			_ = f.SetCellStyle(sheet, fmt.Sprintf("%s%d", col, top+1), fmt.Sprintf("%s%d", col, totalRow-1), pct)
			_ = f.SetCellStyle(sheet, tr, tr, boldPct)
		}
		_ = f.SetColWidth(sheet, "A", "A", 14)
		_ = f.SetColWidth(sheet, "B", "B", 24)
		end, _ := excelize.ColumnNumberToName(len(head))
		_ = f.SetColWidth(sheet, "C", end, 16)
		render.FreezeRows(f, sheet, top)
	}
	if err := writeReachSheet(f, r.title(), r.Reach); err != nil {
		return err
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: r.title(), Creator: "Station Desk"})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("data: report xlsx: %w", err)
	}
	return nil
}

// note says whose report it is, the day it was judged on and what the
// follow-up figures mean.
func (r MonthlyReport) note() string {
	return fmt.Sprintf("%s　统计截至 %s；待办跟进为截至当日尚未办结的全部跟进事项", r.Bureau, r.Overview.AsOf)
}

// WriteMonthlyPDF writes the printable report: the four tables and bar
// charts of visits and attendance rate per station.
func WriteMonthlyPDF(r MonthlyReport, w io.Writer) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	p := render.NewPDF("P", "A4")
	p.SetMargins(15, 15, 15)
	p.AddPage()
	const left, width = 15.0, 180.0
	y := 15.0
	render.DrawText(p, left, y, width, 9, r.title(), 16, true, "C")
	y += 10
	render.DrawText(p, left, y, width, 6, r.note(), 9, false, "C")
	y += 10

	ensure := func(h float64) {
		if y+h > 282 {
			p.AddPage()
			y = 15
		}
	}
	for _, sheet := range ReportSheets {
		head, rows := r.reportTable(sheet)
		ensure(8 + 6*float64(len(rows)+1))
		render.DrawText(p, left, y, width, 7, sheet, 12, true, "L")
		y += 8
		cols := len(head)
		ws := make([]float64, cols)
		ws[0], ws[1] = 24, 46
		for i := 2; i < cols; i++ {
			ws[i] = (width - 70) / float64(cols-2)
		}
		line := func(cells []string, bold, fill bool) {
			pdfReportRow(p, left, y, ws, cells, bold, fill)
			y += 6
		}
		p.SetDrawColor(150, 150, 150)
		p.SetLineWidth(0.2)
		line(head, true, true)
		for i, row := range rows {
			cells := make([]string, len(row))
			for j, v := range row {
				if r, ok := v.(float64); ok {
					cells[j] = ratePercent(r)
				} else {
					cells[j] = fmt.Sprint(v)
				}
			}
			line(cells, i == len(rows)-1, i == len(rows)-1)
		}
		y += 5
	}

	var names []string
	var visits, rates []float64
	var rateText []string
	for _, st := range r.Overview.Stations {
		names = append(names, shortStationName(st.Name))
		visits = append(visits, float64(st.Month.Visits))
		rates = append(rates, st.Month.Rate*100)
		if st.Month.Recorded > 0 {
			rateText = append(rateText, fmt.Sprintf("%.1f", st.Month.Rate*100))
		} else {
			rateText = append(rateText, "—")
		}
	}
	ensure(88)
	half := (width - 8) / 2
	pdfBarChart(p, left, y, half, "本月上门服务次数（按站点）", names, visits, nil, "%.0f", 0)
	y = pdfBarChart(p, left+half+8, y, half, "本月学习日出勤率（%，按站点）", names, rates, rateText, "%.1f", 100)
	y = pdfReachSection(p, left, y+4, width, r.Reach)
	// Lines to sign: who drew the table up and who checked it.
	ensure(16)
	y += 6
	render.DrawText(p, left, y, width, 7, "制表人：________________　　审核人：________________　　日期：____年____月____日", 10.5, false, "L")
	return render.WritePDF(p, w)
}

// shortStationName drops the common suffix so that chart labels fit.
func shortStationName(s string) string {
	for _, suf := range []string{"劳动保障站", "社区服务中心", "服务中心"} {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			return t
		}
	}
	return s
}

// pdfBarChart draws a vertical bar chart with fpdf rectangles and returns
// the y below it. top is the scale's maximum (0: the largest value).
// texts, when set, label the bars instead of the formatted values.
func pdfBarChart(p *fpdf.Fpdf, x, y, w float64, title string, labels []string, values []float64, texts []string, format string, top float64) float64 {
	const h = 38.0
	render.DrawText(p, x, y, w, 7, title, 11, true, "L")
	// The tallest bar's value sits above the bar: leave it room below the title.
	y += 15
	for _, v := range values {
		top = max(top, v)
	}
	if top <= 0 {
		top = 1
	}
	base := y + h
	p.SetDrawColor(120, 120, 120)
	p.SetLineWidth(0.3)
	p.Line(x+10, base, x+w, base)
	p.Line(x+10, y, x+10, base)
	render.DrawText(p, x, y-2, 9, 4, fmt.Sprintf(format, top), 7, false, "R")
	render.DrawText(p, x, base-3, 9, 4, "0", 7, false, "R")
	n := max(len(values), 1)
	slot := (w - 12) / float64(n)
	bw := min(slot*0.6, 20)
	// Station names under the bars, in two lines when long.
	const size = 7.5
	for i, v := range values {
		bh := h * v / top
		bx := x + 11 + slot*float64(i) + (slot-bw)/2
		p.SetFillColor(52, 101, 164)
		if bh > 0 {
			p.Rect(bx, base-bh, bw, bh, "F")
		}
		text := fmt.Sprintf(format, v)
		if i < len(texts) {
			text = texts[i]
		}
		render.DrawText(p, bx-slot/2+bw/2, base-bh-5, slot, 4, text, 7.5, false, "C")
		lines := wrapLabel(labels[i], 2)
		for j, l := range lines {
			render.DrawText(p, bx-slot/2+bw/2, base+1+float64(j)*3.8, slot, 4, l, size, false, "C")
		}
	}
	return base + 10
}

// wrapLabel splits a label into at most n lines of about equal length.
func wrapLabel(s string, n int) []string {
	r := []rune(s)
	if len(r) <= 5 || n < 2 {
		return []string{s}
	}
	half := (len(r) + 1) / 2
	return []string{string(r[:half]), string(r[half:])}
}

// SaveMonthlyXLSX writes the month's report workbook to path.
func (s *Store) SaveMonthlyXLSX(ctx context.Context, month string, asOf time.Time, path string) (MonthlyReport, error) {
	r, err := s.MonthlyReport(ctx, month, asOf)
	if err != nil {
		return r, err
	}
	return r, writeFileAtomic(path, func(w io.Writer) error { return WriteMonthlyXLSX(r, w) })
}

// SaveMonthlyPDF writes the month's printable report to path.
func (s *Store) SaveMonthlyPDF(ctx context.Context, month string, asOf time.Time, path string) (MonthlyReport, error) {
	r, err := s.MonthlyReport(ctx, month, asOf)
	if err != nil {
		return r, err
	}
	return r, writeFileAtomic(path, func(w io.Writer) error { return WriteMonthlyPDF(r, w) })
}
