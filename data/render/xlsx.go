package render

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// Header rows are bold on a light fill: grey in the reports' tables (where
// total rows share the style), blue in the streamed lists.
const (
	tableFill = "EBEBEB"
	listFill  = "DDEBF7"
)

// pctFmt shows a rate stored as a number (0.875) as 87.5%.
var pctFmt = "0.0%"

func headerStyle(f *excelize.File, fill string, numFmt *string) int {
	id, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}, CustomNumFmt: numFmt})
	return id
}

// NewWorkbook starts a workbook whose first sheet is named sheet.
func NewWorkbook(sheet string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// HeaderStyle is the style of a table's header and total rows: bold on grey.
func HeaderStyle(f *excelize.File) int { return headerStyle(f, tableFill, nil) }

// PercentStyle shows a rate as 87.5%; in a total row it is bold on grey
// like the rest of the row.
func PercentStyle(f *excelize.File, total bool) int {
	if total {
		return headerStyle(f, tableFill, &pctFmt)
	}
	id, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt})
	return id
}

// SetHeader writes head into row (counted from 1) of sheet, from column A,
// in the header style.
func SetHeader(f *excelize.File, sheet string, row int, head []string) error {
	vals := make([]any, len(head))
	for i, h := range head {
		vals[i] = h
	}
	first, _ := excelize.CoordinatesToCellName(1, row)
	if err := f.SetSheetRow(sheet, first, &vals); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), row)
	_ = f.SetCellStyle(sheet, first, last, HeaderStyle(f))
	return nil
}

// FreezeRows keeps the top rows of sheet in view while the rest scrolls.
func FreezeRows(f *excelize.File, sheet string, rows int) {
	first, _ := excelize.CoordinatesToCellName(1, rows+1)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: rows, TopLeftCell: first, ActivePane: "bottomLeft"})
}

// SheetWriter streams rows of text into the one sheet of a new workbook,
// under a frozen header row: the lists officers export (residents, visits,
// opinions, …), however long.
type SheetWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewSheetWriter starts a workbook with one sheet named sheet, its columns
// widths wide and headers in its first row.
func NewSheetWriter(sheet string, headers []string, widths []float64) (*SheetWriter, error) {
	f, err := NewWorkbook(sheet)
	if err != nil {
		return nil, err
	}
	w := &SheetWriter{f: f, row: 1}
	if err := w.start(sheet, headers, widths); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

func (w *SheetWriter) start(sheet string, headers []string, widths []float64) error {
	sw, err := w.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	w.sw = sw
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	style := headerStyle(w.f, listFill, nil)
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{Value: h, StyleID: style}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", cells, excelize.RowOpts{})
}

// Add writes the next row. Every value stays text: ID numbers must never
// become numbers.
func (w *SheetWriter) Add(vals ...string) error {
	w.row++
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = v
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	return w.sw.SetRow(cell, cells)
}

// Flush ends the sheet; call it once, after the last Add.
func (w *SheetWriter) Flush() error { return w.sw.Flush() }

// WriteTo writes the workbook to out.
func (w *SheetWriter) WriteTo(out io.Writer) (int64, error) { return w.f.WriteTo(out) }

// Close releases the workbook's temporary files.
func (w *SheetWriter) Close() error { return w.f.Close() }
