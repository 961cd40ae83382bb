package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestReportMonthly(t *testing.T) {
	bureau, station, out := t.TempDir(), t.TempDir(), t.TempDir()
	must := func(args ...string) string {
		t.Helper()
		code, o, e := ctl(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return o
	}
	must("init", "bureau", "--name", "示例区人社局", "--code", "430702", "--data-dir", bureau)
	addAndEnrol(t, bureau, station, "430702101", "桃花镇劳动保障站")
	must("demo", "--residents", "20", "--visits", "200", "--policies", "3", "--data-dir", station)
	var exp struct{ Path string }
	json.Unmarshal([]byte(must("bundle", "export", "--out", out, "--data-dir", station, "--json")), &exp)
	must("bundle", "import", exp.Path, "--data-dir", bureau)

	month := time.Now().AddDate(0, -1, 0).Format("2006-01")
	xlsx := filepath.Join(out, "月报.xlsx")
	var rep struct {
		Stations int
		Total    struct{ Visits int }
	}
	if err := json.Unmarshal([]byte(must("report", "monthly", "--month", month, "--out", xlsx, "--json", "--data-dir", bureau)), &rep); err != nil || rep.Stations != 1 || rep.Total.Visits == 0 {
		t.Fatalf("report: %+v %v", rep, err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("上门服务")
	// Title (naming the month), a note, the header, one station, the total.
	wantMonth := strings.Replace(month, "-", "年", 1) + "月"
	wantMonth = strings.Replace(wantMonth, "年0", "年", 1)
	if len(rows) != 5 || !strings.Contains(rows[0][0], wantMonth) || rows[2][0] != "站点代码" ||
		rows[4][1] != "合计" || rows[4][2] != strconv.Itoa(rep.Total.Visits) {
		t.Fatalf("上门服务 sheet %v, total %d, month %s", rows, rep.Total.Visits, wantMonth)
	}
	must("report", "monthly", "--month", month, "--out", filepath.Join(out, "月报.pdf"), "--data-dir", bureau)
	var ov struct {
		Stations []struct {
			Code  string
			Stale bool
			Month struct{ Visits int }
		}
	}
	if err := json.Unmarshal([]byte(must("report", "overview", "--month", month, "--json", "--data-dir", bureau)), &ov); err != nil ||
		len(ov.Stations) != 1 || ov.Stations[0].Stale || ov.Stations[0].Month.Visits != rep.Total.Visits {
		t.Fatalf("overview: %+v %v", ov, err)
	}
	for _, bad := range [][]string{{"--month", "2026-13", "--out", xlsx}, {"--month", month}, {"--month", month, "--out", "x.doc"}} {
		if code, _, _ := ctl(t, append(append([]string{"report", "monthly"}, bad...), "--data-dir", bureau)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
