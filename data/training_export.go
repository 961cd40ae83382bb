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

// SignInSheet is what a printed 签到表 shows.
type SignInSheet struct {
	Unit     string // the installation's name
	Training Training
	Roster   []AttendanceEntry
}

// SignInSheet gathers a session's sign-in sheet: the session and its roster.
func (s *Store) SignInSheet(ctx context.Context, trainingID string) (SignInSheet, error) {
	t, err := s.Training(ctx, trainingID)
	if err != nil {
		return SignInSheet{}, err
	}
	roster, err := s.Attendance(ctx, trainingID)
	if err != nil {
		return SignInSheet{}, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return SignInSheet{}, err
	}
	// A study day is the station's own: other stations' officers appear only
	// when they were recorded there (a joint session).
	if t.Type == TrainingStudyDay && ident.Code != "" {
		own := roster[:0:0]
		for _, e := range roster {
			if e.StationCode == ident.Code || e.Recorded {
				own = append(own, e)
			}
		}
		roster = own
	}
	return SignInSheet{Unit: ident.Name, Training: t, Roster: roster}, nil
}

// trainingLine writes one centred or left line of mixed text and moves down.
func trainingLine(p *fpdf.Fpdf, h float64, s, style string, size float64, align string) {
	left, _, right, _ := p.GetMargins()
	pw, _ := p.GetPageSize()
	x := left
	if align == "C" {
		x = left + (pw-left-right-render.TextWidth(p, s, size, style == "B"))/2
	}
	p.SetX(x)
	render.WriteText(p, h, s, size, style == "B")
	p.Ln(h)
}

// trainingChineseDate writes 2026年11月20日（星期五）.
func trainingChineseDate(d time.Time) string {
	wd := []string{"日", "一", "二", "三", "四", "五", "六"}[d.Weekday()]
	return fmt.Sprintf("%d年%d月%d日（星期%s）", d.Year(), int(d.Month()), d.Day(), wd)
}

// WriteSignInSheetPDF renders the sheet as an A4 PDF: a heading with the
// session, then one line per officer with an empty signature column.
func WriteSignInSheetPDF(sh SignInSheet, w io.Writer) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	t := sh.Training
	p := render.NewPDF("P", "A4")
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(false, 12)
	p.SetTitle(TrainingTypeLabel(t.Type)+"签到表 "+t.Topic, true)
	cols := []struct {
		title string
		w     float64
	}{{"序号", 12}, {"姓名", 26}, {"职务", 30}, {"所属站点", 46}, {"签名", 36}, {"备注", 30}}
	const rowH = 10.0
	_, pageH := p.GetPageSize()
	header := func() {
		p.SetFillColor(235, 235, 235)
		for _, c := range cols {
			render.DrawCell(p, c.w, rowH, c.title, 11, true, "C", true)
		}
		p.Ln(-1)
	}
	p.AddPage()
	trainingLine(p, 10, strings.TrimSpace(sh.Unit+" "+TrainingTypeLabel(t.Type)+"签到表"), "B", 18, "C")
	p.Ln(2)
	day := t.Day()
	info := [][2]string{
		{"日期", trainingChineseDate(day) + "  " + t.Start + " - " + t.End},
		{"主题", t.Topic},
		{"地点", t.Place},
		{"主讲人", t.Speaker},
	}
	if t.MovedFrom != "" {
		if from, err := time.ParseInLocation(studyDateLayout, t.MovedFrom, time.Local); err == nil {
			info = append(info, [2]string{"说明", fmt.Sprintf("原定%s，因%s调整", trainingChineseDate(from), t.MoveReason)})
		}
	}
	left, _, _, _ := p.GetMargins()
	for _, kv := range info {
		p.SetX(left)
		render.WriteText(p, 8, kv[0]+"：", 12, true)
		p.SetLeftMargin(left + 22)
		p.SetX(left + 22)
		render.WriteText(p, 8, kv[1], 12, false)
		p.SetLeftMargin(left)
		p.Ln(8)
	}
	p.Ln(3)
	header()
	for i, e := range sh.Roster {
		if p.GetY()+rowH > pageH-20 {
			p.AddPage()
			header()
		}
		note := ""
		if e.Recorded && e.Status != Present {
			note = e.Status.Label()
			if e.Reason != "" {
				note += "：" + e.Reason
			}
		}
		for j, v := range []string{fmt.Sprint(i + 1), e.Name, e.Role, e.StationName, "", note} {
			align := "L"
			if j == 0 {
				align = "C"
			}
			render.DrawCell(p, cols[j].w, rowH, v, 11, false, align, false)
		}
		p.Ln(-1)
	}
	if p.GetY()+20 > pageH-12 {
		p.AddPage()
	}
	p.Ln(6)
	trainingLine(p, 8, fmt.Sprintf("应到 %d 人    实到 ______ 人    记录人：____________", len(sh.Roster)), "", 12, "L")
	return render.WritePDF(p, w)
}

// SaveSignInSheetPDF writes a session's sign-in sheet to path.
func (s *Store) SaveSignInSheetPDF(ctx context.Context, trainingID, path string) error {
	sh, err := s.SignInSheet(ctx, trainingID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return WriteSignInSheetPDF(sh, w) })
}

// AttendanceHeaders are the columns of the attendance workbook.
var AttendanceHeaders = []string{"序号", "姓名", "职务", "所属站点", "出勤情况", "请假事由"}

// WriteAttendanceXLSX writes a session's attendance as a workbook: sheet
// 出勤登记 has the Chinese headers in row 1 and one row per officer; sheet
// 培训信息 describes the session.
func WriteAttendanceXLSX(sh SignInSheet, w io.Writer) error {
	const sheet = "出勤登记"
	f, err := render.NewWorkbook(sheet)
	if err != nil {
		return fmt.Errorf("data: attendance xlsx: %w", err)
	}
	defer f.Close()
	if err := render.SetHeader(f, sheet, 1, AttendanceHeaders); err != nil {
		return fmt.Errorf("data: attendance xlsx: %w", err)
	}
	for i, e := range sh.Roster {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{i + 1, e.Name, e.Role, e.StationName, e.Status.Label(), e.Reason}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("data: attendance xlsx: %w", err)
		}
	}
	for col, width := range map[string]float64{"A": 6, "B": 12, "C": 16, "D": 24, "E": 10, "F": 24} {
		_ = f.SetColWidth(sheet, col, col, width)
	}
	render.FreezeRows(f, sheet, 1)

	const info = "培训信息"
	if _, err := f.NewSheet(info); err != nil {
		return fmt.Errorf("data: attendance xlsx: %w", err)
	}
	t := sh.Training
	n := map[AttendanceStatus]int{}
	for _, e := range sh.Roster {
		n[e.Status]++
	}
	rows := [][]any{
		{"单位", sh.Unit}, {"类型", TrainingTypeLabel(t.Type)}, {"日期", t.Date}, {"时间", t.Start + "–" + t.End},
		{"主题", t.Topic}, {"主讲人", t.Speaker}, {"地点", t.Place}, {"原定日期", t.MovedFrom}, {"调整原因", t.MoveReason},
		{"应到人数", len(sh.Roster)}, {"出席", n[Present]}, {"迟到", n[Late]}, {"请假", n[Leave]}, {"缺席", n[Absent]},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(info, cell, &r); err != nil {
			return fmt.Errorf("data: attendance xlsx: %w", err)
		}
	}
	_ = f.SetColWidth(info, "A", "A", 12)
	_ = f.SetColWidth(info, "B", "B", 48)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("data: attendance xlsx: %w", err)
	}
	return nil
}

// SaveAttendanceXLSX writes a session's attendance workbook to path.
func (s *Store) SaveAttendanceXLSX(ctx context.Context, trainingID, path string) error {
	sh, err := s.SignInSheet(ctx, trainingID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return WriteAttendanceXLSX(sh, w) })
}
