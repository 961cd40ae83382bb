package data

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetWriter streams rows into the first sheet of a new workbook.
type sheetWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

func newSheetWriter(sheet string, headers []string, widths []float64) (*sheetWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	w := &sheetWriter{f: f, sw: sw, row: 1}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{}); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *sheetWriter) add(vals ...string) error {
	w.row++
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = v // always text: ID numbers must never become numbers
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	return w.sw.SetRow(cell, cells)
}

// save writes the workbook to path, replacing it only once complete.
func (w *sheetWriter) save(path string) error {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("data: write xlsx: %w", err)
	}
	// Personal data: a private file, never written through a planted link.
	return writeFileAtomic(path, func(out io.Writer) error {
		_, err := w.f.WriteTo(out)
		return err
	})
}

// ResidentExportHeaders are the columns of the resident export; the import
// reads the same headers back.
var ResidentExportHeaders = []string{"姓名", "性别", "身份证号", "出生日期", "年龄", "联系电话", "村(社区)", "住址", "服务类别", "需求", "已同意保存信息", "最近上门", "备注"}

// ExportResidentsXLSX writes the residents a filter matches to an .xlsx
// file. ID numbers and phones are masked unless full is set; a full export
// is written to the audit log under actor. It returns the number of rows.
func (s *Store) ExportResidentsXLSX(ctx context.Context, path string, f ResidentFilter, full bool, actor string) (int, error) {
	if full && strings.TrimSpace(actor) == "" {
		return 0, Invalid("actor", "请先选择经办人")
	}
	w, err := newSheetWriter("服务对象", ResidentExportHeaders, []float64{10, 6, 22, 12, 6, 15, 12, 26, 16, 20, 8, 12, 24})
	if err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	where, args := f.where()
	rows, err := s.r.QueryContext(ctx, "SELECT "+residentCols+residentFrom+where+" ORDER BY r.village, r.name, r.id", args...)
	if err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	defer rows.Close()
	n := 0
	today := clock()
	for rows.Next() {
		r, err := scanResident(rows)
		if err != nil {
			return 0, fmt.Errorf("data: export residents: %w", err)
		}
		if !full {
			r.mask()
		}
		consent := "否"
		if r.Consent {
			consent = "是"
		}
		age := ""
		if a := r.Age(today); a >= 0 {
			age = fmt.Sprint(a)
		}
		if err := w.add(r.Name, r.Gender, r.IDNumber, r.BirthDate, age, r.Phone, r.Village, r.Address, strings.Join(r.Categories, "、"),
			r.Needs, consent, r.LastVisit, r.Notes); err != nil {
			return 0, fmt.Errorf("data: export residents: %w", err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	rows.Close()
	if err := w.save(path); err != nil {
		return 0, err
	}
	if full {
		if err := s.Write(ctx, func(tx *sql.Tx) error {
			return svcAudit(ctx, tx, actor, "export_full", "residents", "", fmt.Sprintf("%d rows", n))
		}); err != nil {
			return n, err
		}
	}
	return n, nil
}
