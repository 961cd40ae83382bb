package data

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestMonthlyReportXLSXAndPDF(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "月报.xlsx")
	if _, err := net.bureau.SaveMonthlyXLSX(ctx, "2026-10", time.Now(), xlsx); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != strings.Join(ReportSheets, ",")+","+reachSheet {
		t.Fatalf("sheets %s", got)
	}
	month := `substr(%s, 1, 7) = '2026-10'`
	in := func(col string) string { return strings.Replace(month, "%s", col, 1) }
	// Each sheet: its header, the column checked, and the count straight from the records.
	for _, c := range []struct {
		sheet, header, q string
	}{
		{"上门服务", "上门服务次数", `SELECT count(*) FROM visits WHERE deleted = 0 AND ` + in("date")},
		{"上门服务", "服务人数", `SELECT count(*) FROM (SELECT DISTINCT origin, resident_id FROM visits WHERE deleted = 0 AND ` + in("date") + `)`},
		{"培训学习", "学习日场次", `SELECT count(*) FROM trainings WHERE deleted = 0 AND type = 'study_day' AND ` + in("date")},
		{"培训学习", "应到人次", `SELECT count(*) FROM attendance a, trainings t WHERE t.id = a.training_id AND a.deleted = 0 AND t.deleted = 0 AND t.type = 'study_day' AND ` + in("t.date")},
		{"培训学习", "实到人次", `SELECT count(*) FROM attendance a, trainings t WHERE t.id = a.training_id AND a.deleted = 0 AND t.deleted = 0 AND t.type = 'study_day' AND a.status IN ('present','late') AND ` + in("t.date")},
		{"政策宣传", "发放政策卡片（张）", `SELECT coalesce(sum(count), 0) FROM card_handouts WHERE deleted = 0 AND ` + in("handed_on")},
		{"群众意见", "意见总数", `SELECT count(*) FROM opinions WHERE deleted = 0 AND ` + in("date")},
		{"群众意见", "已办结", `SELECT count(*) FROM opinions WHERE deleted = 0 AND status = '已办结' AND ` + in("date")},
	} {
		rows, err := f.GetRows(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3+3+1 {
			t.Fatalf("%s: %d rows, want title, note, header, 3 stations and the total", c.sheet, len(rows))
		}
		if !strings.Contains(rows[0][0], "2026年10月") || !strings.Contains(rows[1][0], "统计截至") {
			t.Fatalf("%s: the sheet does not name the month: %v %v", c.sheet, rows[0], rows[1])
		}
		head := rows[2]
		col := -1
		for i, h := range head {
			if h == c.header {
				col = i
			}
		}
		if col < 0 || head[1] != "站点名称" {
			t.Fatalf("%s: headers %v", c.sheet, head)
		}
		total := rows[len(rows)-1]
		if total[1] != ReportTotalLabel {
			t.Fatalf("%s: last row %v", c.sheet, total)
		}
		got, _ := strconv.Atoi(total[col])
		want := count(t, net.bureau, c.q)
		sum := 0
		for _, r := range rows[3 : len(rows)-1] {
			n, _ := strconv.Atoi(r[col])
			sum += n
		}
		if got != want || sum != want {
			t.Errorf("%s %s: total %d, stations add up to %d, records %d", c.sheet, c.header, got, sum, want)
		}
		if c.header == "上门服务次数" && want == 0 {
			t.Fatal("no visits in the month: the test checks nothing")
		}
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	pdf := filepath.Join(dir, "月报.pdf")
	r, err := net.bureau.SaveMonthlyPDF(ctx, "2026-10", time.Now(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"2026年10月劳动保障站工作月报", "上门服务", "培训学习", "政策宣传", "群众意见", "合计", "桃花镇劳动保障站",
		"出勤率", "本月上门服务次数", strconv.Itoa(r.Overview.MonthAll.Visits), "制表人", "审核人"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	if out := os.Getenv("STATIONDESK_REPORT_PDF"); out != "" {
		b, _ := os.ReadFile(pdf)
		os.WriteFile(out, b, 0o644)
	}
}

func TestMonthlyReportBadMonth(t *testing.T) {
	net := newSyncNet(t, 1)
	if _, err := net.bureau.SaveMonthlyXLSX(context.Background(), "2026/10", time.Now(), filepath.Join(t.TempDir(), "x.xlsx")); err == nil {
		t.Fatal("a bad month was accepted")
	}
}

func TestMonthlyReportRateIsANumber(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	r, err := net.bureau.SaveMonthlyXLSX(ctx, "2026-10", time.Now(), xlsx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := f.GetCellValue("培训学习", "F4", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue("培训学习", "F4")
	got, err := strconv.ParseFloat(raw, 64)
	if err != nil || got != r.Overview.Stations[0].Month.Rate || !strings.HasSuffix(shown, "%") {
		t.Fatalf("rate cell %q shown %q, want %v", raw, shown, r.Overview.Stations[0].Month.Rate)
	}
	if silent, _ := f.GetCellValue("培训学习", "F6"); silent != "—" {
		t.Fatalf("the silent station's rate %q", silent)
	}
	// The total too reads as a percentage (its bold style kept the number format).
	total, _ := f.GetCellValue("培训学习", "F7")
	want := strconv.FormatFloat(r.Overview.MonthAll.Rate*100, 'f', 1, 64) + "%"
	if total != want {
		t.Fatalf("total rate shown %q, want %q", total, want)
	}
}
