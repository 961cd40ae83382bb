package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"stationdesk/data"
)

func TestBackupPanelAndRestoreFromSettings(t *testing.T) {
	st := newTestStore(t, true)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	ctx := context.Background()
	e.showForTest(backupPanel(e))
	if !containsText(labelTexts(e.Win.Content()), "还没有备份") {
		t.Fatalf("panel: %q", labelTexts(e.Win.Content()))
	}
	want, _ := st.Stats(ctx)
	usb := t.TempDir()
	backupTo(e, usb, nil)
	e.wait()
	files, _ := filepath.Glob(filepath.Join(usb, "*.db"))
	if len(files) != 1 {
		t.Fatalf("backup to folder wrote %v", files)
	}
	if err := st.AddOfficer(ctx, &data.Officer{Name: "后来的人"}); err != nil {
		t.Fatal(err)
	}

	// A file that is not a backup is refused and the store stays usable.
	junk := filepath.Join(t.TempDir(), "x.db")
	os.WriteFile(junk, []byte(strings.Repeat("不是数据库", 1000)), 0o600)
	var reopened *data.Store
	restoreFrom(e, junk, func(s *data.Store) { reopened = s })
	e.wait()
	if reopened != nil {
		t.Fatal("junk restored")
	}
	if _, err := e.Store.Stats(ctx); err != nil {
		t.Fatalf("store after refused restore: %v", err)
	}

	restoreFrom(e, files[0], func(s *data.Store) { reopened = s })
	e.wait()
	if reopened == nil {
		t.Fatal("not restored")
	}
	defer reopened.Close()
	got, _ := reopened.Stats(ctx)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d after restore, want %d", k, got[k], n)
		}
	}
	if err := reopened.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAuditViewSearchesByOfficerAndDate(t *testing.T) {
	st := newAccountStore(t)
	ctx := context.Background()
	offs, _ := st.Officers(ctx, false)
	o := offs[0]
	o.Duties = "政策宣传"
	if err := st.UpdateOfficer(data.WithActor(ctx, "李建国"), &o); err != nil {
		t.Fatal(err)
	}
	if err := st.AuditExport(ctx, "王秀英", "服务对象名单.xlsx"); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	v := newAuditView(e, data.AuditQuery{})
	e.showForTest(v.content())
	v.load()
	e.wait()
	if len(v.lines) < 3 {
		t.Fatalf("log shows %d lines", len(v.lines))
	}
	v.actor.SetSelected("李建国")
	v.load()
	e.wait()
	if len(v.lines) != 1 || !strings.Contains(auditText(v.lines[0]), "分工：") || !strings.Contains(auditText(v.lines[0]), "政策宣传") {
		t.Fatalf("by officer: %+v", v.lines)
	}
	snap(t, e.Win, "safety-audit")
	v.actor.SetSelected("全部")
	v.from.SetText("2026-13-01")
	v.load()
	e.wait()
	if m := v.msgs.msg("from"); !m.Visible() || m.Text == "" {
		t.Fatal("bad date accepted")
	}
	v.from.SetText("2000-01-01")
	v.to.SetText("2000-01-31")
	v.load()
	e.wait()
	if len(v.lines) != 0 {
		t.Fatalf("date range ignored: %d lines", len(v.lines))
	}
	v.from.SetText("")
	v.to.SetText("")
	v.action.SetSelected("导出个人信息")
	v.load()
	e.wait()
	if len(v.lines) != 1 || v.lines[0].Actor != "王秀英" {
		t.Fatalf("exports: %+v", v.lines)
	}
}

func TestScreenshotsSafety(t *testing.T) {
	size := fyne.NewSize(1100, 720)
	st := newAccountStore(t)
	e := newTestEnv(t, st, size)
	e.showForTest(signInGate(e, func() fyne.CanvasObject { return nil }))
	snap(t, e.Win, "safety-signin")
	e2 := newTestEnv(t, st, size)
	a, _ := st.SignIn(context.Background(), "王秀英", "站长的密码2026")
	sessionOf(e2).set(a)
	e2.showForTest(settingsScreen(e2))
	snap(t, e2.Win, "safety-settings")
}
