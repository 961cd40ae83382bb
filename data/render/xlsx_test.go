package render

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A table sheet: header in its row, bold on grey, frozen above the body;
// rates shown as 87.5%.
func TestTableSheet(t *testing.T) {
	f, err := NewWorkbook("出勤登记")
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"序号", "姓名", "出勤率"}
	if err := SetHeader(f, "出勤登记", 2, head); err != nil {
		t.Fatal(err)
	}
	FreezeRows(f, "出勤登记", 2)
	f.SetSheetRow("出勤登记", "A3", &[]any{1, "王秀英", 0.875})
	f.SetCellStyle("出勤登记", "C3", "C3", PercentStyle(f, false))
	f.SetSheetRow("出勤登记", "A4", &[]any{"", "合计", 0.5})
	f.SetCellStyle("出勤登记", "A4", "B4", HeaderStyle(f))
	f.SetCellStyle("出勤登记", "C4", "C4", PercentStyle(f, true))
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()

	r, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.GetSheetList(); len(got) != 1 || got[0] != "出勤登记" {
		t.Fatalf("sheets %q", got)
	}
	for i, h := range head {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if v, _ := r.GetCellValue("出勤登记", cell); v != h {
			t.Errorf("%s = %q, want %q", cell, v, h)
		}
		id, _ := r.GetCellStyle("出勤登记", cell)
		st, _ := r.GetStyle(id)
		if st == nil || st.Font == nil || !st.Font.Bold || len(st.Fill.Color) != 1 || st.Fill.Color[0] != "EBEBEB" {
			t.Errorf("%s not in the header style: %+v", cell, st)
		}
	}
	if v, _ := r.GetCellValue("出勤登记", "C3"); v != "87.5%" {
		t.Errorf("rate shows %q", v)
	}
	id, _ := r.GetCellStyle("出勤登记", "C4")
	if st, _ := r.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold || fmt.Sprint(st.Fill.Color) != "[EBEBEB]" {
		t.Errorf("the total's rate is not bold on grey: %+v", st)
	}
	if v, _ := r.GetCellValue("出勤登记", "C4"); v != "50.0%" {
		t.Errorf("total rate shows %q", v)
	}
	panes, err := r.GetPanes("出勤登记")
	if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Fatalf("panes %+v, %v", panes, err)
	}
}

// A streamed list: header row first and frozen, every value text (an ID
// number must not become a number).
func TestSheetWriter(t *testing.T) {
	w, err := NewSheetWriter("服务对象", []string{"姓名", "身份证号"}, []float64{10, 22})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := w.Add(fmt.Sprintf("居民%d", i), "43070219800101001"+fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	w.Close()

	r, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, err := r.GetRows("服务对象")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][1] != "身份证号" || rows[3][0] != "居民2" || rows[3][1] != "430702198001010012" {
		t.Fatalf("rows %q", rows)
	}
	if typ, _ := r.GetCellType("服务对象", "B2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("an ID number stored as %v", typ)
	}
	id, _ := r.GetCellStyle("服务对象", "A1")
	if st, _ := r.GetStyle(id); st == nil || st.Font == nil || !st.Font.Bold || fmt.Sprint(st.Fill.Color) != "[DDEBF7]" {
		t.Errorf("header style %+v", st)
	}
	if width, _ := r.GetColWidth("服务对象", "B"); width != 22 {
		t.Errorf("column B is %v wide", width)
	}
	panes, err := r.GetPanes("服务对象")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Fatalf("panes %+v, %v", panes, err)
	}
}
