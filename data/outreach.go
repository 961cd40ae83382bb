package data

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"stationdesk/data/render"
)

// The outreach list (告知清单) printed for a walking round, with a column for
// the resident to sign, and as a workbook. It names people and addresses, so
// its files are private (0600) and every export is in the audit log.

// OutreachSheet is what a printed outreach list shows.
type OutreachSheet struct {
	Unit    string // the installation's name
	Village string // "" = every village
	Day     time.Time
	Entries []OutreachEntry
}

// OutreachSheetFor gathers the outreach list of a village ("" = all).
func (s *Store) OutreachSheetFor(ctx context.Context, village string) (OutreachSheet, error) {
	entries, err := s.Outreach(ctx, village)
	if err != nil {
		return OutreachSheet{}, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return OutreachSheet{}, err
	}
	return OutreachSheet{Unit: ident.Name, Village: village, Day: clock(), Entries: entries}, nil
}

// outreachMaxLines bounds the policies printed for one resident: more than
// a page's worth goes to the workbook.
const outreachMaxLines = 24

// WriteOutreachPDF renders the list on A4 landscape: a page (or more) per
// village, one row per resident with the policies to explain, numbered,
// and empty columns to sign and date.
func WriteOutreachPDF(sh OutreachSheet, w io.Writer) error {
	p := render.NewPDF("L", "A4")
	p.SetMargins(12, 12, 12)
	p.SetAutoPageBreak(false, 10)
	p.SetTitle("政策告知清单 "+sh.Village, true)
	cols := []struct {
		title string
		w     float64
	}{{"序号", 12}, {"姓名", 24}, {"住址", 52}, {"待告知的政策（可能符合条件）", 123}, {"本人签字", 34}, {"告知日期", 28}}
	const lineH, pad = 5.5, 1.5
	pageW, pageH := p.GetPageSize()
	left, _, _, _ := p.GetMargins()
	header := func(village string) {
		p.SetXY(left, 12)
		title := strings.TrimSpace(sh.Unit + " 政策告知清单")
		render.DrawText(p, left, 12, pageW-2*left, 9, title, 16, true, "C")
		p.SetXY(left, 22)
		info := fmt.Sprintf("村（社区）：%s    制表日期：%s    告知人：____________", village, sh.Day.Format("2006年1月2日"))
		render.DrawText(p, left, 22, pageW-2*left, 7, info, 11, false, "L")
		p.SetXY(left, 31)
		p.SetFillColor(235, 235, 235)
		for _, c := range cols {
			render.DrawCell(p, c.w, 8, c.title, 10.5, true, "C", true)
		}
		p.SetXY(left, 39)
	}
	footer := func() {
		render.DrawText(p, left, pageH-10, pageW-2*left, 5, fmt.Sprintf("第 %d 页    “可能符合”由系统按政策的享受对象条件推算，请当面核实。", p.PageNo()), 8.5, false, "C")
	}
	if len(sh.Entries) == 0 {
		p.AddPage()
		header(sh.Village)
		render.DrawText(p, left, p.GetY()+4, pageW-2*left, 8, "没有需要告知的居民。", 12, false, "L")
		footer()
		return render.WritePDF(p, w)
	}
	village, n := "", 0
	for i, e := range sh.Entries {
		var lines []string
		for k, pol := range e.Policies {
			if k == outreachMaxLines {
				lines = append(lines, fmt.Sprintf("……另有 %d 项，见电子表格", len(e.Policies)-k))
				break
			}
			title := pol.Title
			if pol.DocNo != "" {
				title += "（" + pol.DocNo + "）"
			}
			for j, l := range render.WrapText(p, fmt.Sprintf("%d. %s", k+1, title), cols[3].w-2*pad, 10, false) {
				if j > 0 {
					l = "    " + l
				}
				lines = append(lines, l)
			}
		}
		addrLines := render.WrapText(p, e.Address, cols[2].w-2*pad, 10, false)
		rows := max(len(lines), len(addrLines), 1)
		h := max(float64(rows)*lineH+2*pad, 12) // room to sign
		if e.Village != village || i == 0 || p.GetY()+h > pageH-14 {
			if i > 0 {
				footer()
			}
			if e.Village != village {
				n = 0
			}
			village = e.Village
			p.AddPage()
			header(village)
		}
		n++
		x, y := left, p.GetY()
		cells := [][]string{{fmt.Sprint(n)}, {e.Name}, addrLines, lines, nil, nil}
		for c, col := range cols {
			p.Rect(x, y, col.w, h, "D")
			align := "L"
			if c == 0 {
				align = "C"
			}
			for k, l := range cells[c] {
				render.DrawText(p, x+pad, y+pad+float64(k)*lineH, col.w-2*pad, lineH, l, 10, false, align)
			}
			x += col.w
		}
		p.SetXY(left, y+h)
	}
	footer()
	return render.WritePDF(p, w)
}

// OutreachHeaders are the columns of the outreach workbook: one row per
// resident and policy, so that it sorts and filters.
var OutreachHeaders = []string{"序号", "村(社区)", "姓名", "住址", "政策", "文号", "享受对象", "告知日期", "本人签字"}

// writeOutreachXLSX writes the list as a workbook to w.
func writeOutreachXLSX(sh OutreachSheet, out io.Writer) error {
	w, err := render.NewSheetWriter("告知清单", OutreachHeaders, []float64{6, 12, 10, 24, 48, 22, 40, 12, 12})
	if err != nil {
		return fmt.Errorf("data: outreach xlsx: %w", err)
	}
	defer w.Close()
	for i, e := range sh.Entries {
		for _, p := range e.Policies {
			if err := w.Add(fmt.Sprint(i+1), e.Village, e.Name, e.Address, p.Title, p.DocNo, p.Criteria, "", ""); err != nil {
				return fmt.Errorf("data: outreach xlsx: %w", err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("data: outreach xlsx: %w", err)
	}
	if _, err := w.WriteTo(out); err != nil {
		return fmt.Errorf("data: outreach xlsx: %w", err)
	}
	return nil
}

// SaveOutreach writes the outreach list of a village ("" = all) to path,
// as a PDF or, for a path ending in .xlsx, a workbook; the export is
// logged under actor. It returns the number of residents listed.
func (s *Store) SaveOutreach(ctx context.Context, village, path, actor string) (int, error) {
	sh, err := s.OutreachSheetFor(ctx, village)
	if err != nil {
		return 0, err
	}
	write := func(w io.Writer) error { return WriteOutreachPDF(sh, w) }
	kind := "pdf"
	if strings.EqualFold(strings.TrimSpace(path[max(0, len(path)-5):]), ".xlsx") {
		write, kind = func(w io.Writer) error { return writeOutreachXLSX(sh, w) }, "xlsx"
	}
	if err := writeFileAtomic(path, write); err != nil { // a fresh name (O_EXCL), never through a planted link
		return 0, err
	}
	what := fmt.Sprintf("outreach list (%s, %d residents)", kind, len(sh.Entries))
	return len(sh.Entries), s.AuditExport(ctx, actor, what)
}
