package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
)

// A refused bundle says in plain Chinese which record of whom it carried,
// and the bureau's board flags the station that sent it.
func TestSyncRefusalNamesRecord(t *testing.T) {
	station, bureau := syncPair(t)
	dir := t.TempDir()
	// A record the forms would never store (a control character in a
	// policy's title), written behind the program's back.
	if _, err := station.Read().Exec(`UPDATE policies SET title = title || char(27), updated_at = updated_at + 1 WHERE id = (SELECT id FROM policies WHERE origin = (SELECT value FROM settings WHERE key = 'code') LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := station.ExportBundle(t.Context(), dir, "", nil); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, bureau, fyne.NewSize(1100, 900))
	v := newSyncView(e)
	e.showForTest(page(lang.L("数据同步"), v.content()))
	v.reload()
	e.wait()
	test.Type(v.inPaths, dir)
	test.Tap(v.importBtn)
	e.wait()
	got := resultTexts(v)
	if !strings.Contains(got, "拒绝：") || !strings.Contains(got, "的数据包中政策资料《") || !strings.Contains(got, "不符合录入规则（标题），已整包拒收") {
		t.Fatalf("refusal reads %q", got)
	}
	v.reload()
	e.wait()
	if b := boardText(v); !strings.Contains(b, "拒收第 1 号包") {
		t.Fatalf("the board does not flag the station: %s", b)
	}
	snap(t, e.Win, "sync-refused")
}
