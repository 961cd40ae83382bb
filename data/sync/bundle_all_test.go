package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"stationdesk/data"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// TestExportBundleAll: 发送给全部站点 writes one bundle per station into one
// folder; each station imports its own from the whole folder and leaves the
// others; the bureau reading the same folder recognises its own bundles.
func TestExportBundleAll(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 3)
	edit(t, net.bureau, `INSERT INTO policies(id, origin, created_at, updated_at, title, source) VALUES (?, '430702', 1, 1, '关于做好资格认证工作的通知', 'local')`, data.NewID())
	if _, err := net.bureau.SetHoliday(ctx, "2027-02-08", data.DayHoliday, "春节"); err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	var calls []string
	res, err := net.bureau.ExportBundleAll(ctx, stick, func(done, total int, name string) {
		if total != 3 {
			t.Errorf("progress total %d", total)
		}
		calls = append(calls, name)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || len(calls) != 4 || calls[0] != "桃花镇劳动保障站" || calls[3] != "" {
		t.Fatalf("results %+v, progress %q", res, calls)
	}
	files, _ := filepath.Glob(filepath.Join(stick, "*"+dsync.BundleExt))
	if len(files) != 3 {
		t.Fatalf("%d bundles on the stick, want 3", len(files))
	}
	for i, r := range res {
		if r.Err != nil || r.Code != net.codes[i] || r.Result == nil || r.Result.Receiver != net.codes[i] {
			t.Fatalf("station %d: %+v", i, r)
		}
		if fi, err := os.Stat(r.Result.Path); err != nil || fi.Size() == 0 {
			t.Fatalf("station %d: bundle %s: %v", i, r.Result.Path, err)
		}
	}
	for i, st := range net.stations {
		rs := st.ImportBundles(ctx, files, nil)
		imported := 0
		for _, r := range rs {
			switch r.Status {
			case "imported":
				imported++
			case "refused":
				if r.Reason != "not_for_us" {
					t.Errorf("station %d: %s refused as %s", i, filepath.Base(r.Path), r.Reason)
				}
			}
		}
		if imported != 1 {
			t.Fatalf("station %d imported %d bundles from the stick", i, imported)
		}
		if n := count(t, st, `SELECT count(*) FROM policies WHERE title = '关于做好资格认证工作的通知'`); n != 1 {
			t.Fatalf("station %d lacks the policy", i)
		}
		if c, _ := st.HolidayCalendar(ctx, 2027, 2027); c.WorkingDay(day("2027-02-08")) {
			t.Fatalf("station %d lacks the holiday", i)
		}
	}
	for _, r := range net.bureau.ImportBundles(ctx, files, nil) {
		if r.Status != "refused" || r.Reason != "own" {
			t.Fatalf("the bureau's own bundle read back as %s/%s", r.Status, r.Reason)
		}
	}
	if _, err := net.stations[0].ExportBundleAll(ctx, stick, nil); data.ErrorKind(err) != data.KindInvalid {
		t.Fatalf("a station sent to all: %v", err)
	}
}

// TestGapClearsWhenContentArrives: a lost bundle is reported on the import
// of the next one, whose content covers it, and no gap stays on the board.
func TestGapClearsWhenContentArrives(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	lost := data.NewID()
	edit(t, st, `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, 1, 1, '2026-11-01', '希望增加办理点')`, lost, net.codes[0])
	net.up(0) // written, never carried to the bureau
	edit(t, st, `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, 1, 1, '2026-11-02', '建议延长窗口时间')`, data.NewID(), net.codes[0])
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if r.Gap != "1" {
		t.Fatalf("gap %q, want 1", r.Gap)
	}
	if n := count(t, net.bureau, `SELECT count(*) FROM opinions WHERE id = ?`, lost); n != 1 {
		t.Fatal("the lost bundle's opinion did not arrive with the next")
	}
	board, err := net.bureau.SyncBoard(ctx, store.Now())
	if err != nil {
		t.Fatal(err)
	}
	if board[0].Gaps != "" {
		t.Fatalf("gap marker %q stays after its content arrived", board[0].Gaps)
	}
	// 本月新增记录: records the station created this month, not what sync applied.
	if board[0].RecordsThisMonth != 0 {
		t.Fatalf("records of 1970 counted as this month's: %d", board[0].RecordsThisMonth)
	}
	edit(t, st, `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, ?, ?, '2026-11-03', '新的意见')`, data.NewID(), net.codes[0], store.NowMillis(), store.NowMillis())
	mustImport(t, net.bureau, net.up(0), "imported")
	board, _ = net.bureau.SyncBoard(ctx, store.Now())
	if board[0].RecordsThisMonth != 1 {
		t.Fatalf("本月新增记录 %d, want 1", board[0].RecordsThisMonth)
	}
}
