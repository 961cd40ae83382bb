package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() {
	// Real costs (64 MiB) under -race would take seconds per hash.
	data.PasswordParams = data.ArgonParams{Time: 1, MemoryKiB: 1024, Threads: 1}
}

// newAccountStore is a station with two officers; 王秀英 is the administrator.
func newAccountStore(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	ctx := context.Background()
	if err := st.SetupWithAdmin(ctx, data.Identity{Role: data.RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"},
		[]data.Officer{{Name: "王秀英", Role: "站长"}, {Name: "李建国", Role: "劳保专干"}}, "站长的密码2026"); err != nil {
		t.Fatal(err)
	}
	offs, _ := st.Officers(ctx, false)
	for _, o := range offs {
		if o.Name == "李建国" {
			if err := st.CreateAccount(ctx, o.ID, "李建国的密码01", false); err != nil {
				t.Fatal(err)
			}
		}
	}
	return st
}

func TestSignInGateThenActorRecorded(t *testing.T) {
	st := newAccountStore(t)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	withActor(e)
	shown := false
	gate := signInGate(e, func() fyne.CanvasObject { shown = true; return widget.NewLabel("主界面") })
	e.showForTest(gate)
	if shown {
		t.Fatal("main window shown before sign-in")
	}
	f := findSignIn(t, e)
	f.login.SetSelected("李建国")
	test.Type(f.pass, "错误的密码0000")
	test.Tap(f.ok)
	e.wait()
	if shown || msgText(f.msgs) == "" {
		t.Fatalf("wrong password let in (message %q)", msgText(f.msgs))
	}
	test.Type(f.pass, "李建国的密码01")
	f.pass.OnSubmitted(f.pass.Text)
	e.wait()
	if !shown || e.Actor() != "李建国" {
		t.Fatalf("after sign-in: shown %v actor %q (%q)", shown, e.Actor(), msgText(f.msgs))
	}
	// A write through the window's context is recorded as the officer.
	if err := st.SetSetting(e.Ctx, "probe", "1"); err != nil {
		t.Fatal(err)
	}
	if err := st.AddOfficer(e.Ctx, &data.Officer{Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	log, _ := st.AuditLog(context.Background(), data.AuditQuery{Kind: "officers", Action: "create", Limit: 1})
	if len(log) != 1 || log[0].Actor != "李建国" {
		t.Fatalf("write recorded as %+v", log)
	}
}

func TestSignInAfterResetAsksForNewPassword(t *testing.T) {
	st := newAccountStore(t)
	if err := st.ResetPassword(context.Background(), "李建国", "临时密码00001"); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	shown := false
	e.showForTest(signInGate(e, func() fyne.CanvasObject { shown = true; return widget.NewLabel("主界面") }))
	f := findSignIn(t, e)
	f.login.SetSelected("李建国")
	test.Type(f.pass, "临时密码00001")
	test.Tap(f.ok)
	e.wait()
	if shown || !f.changeBox.Visible() {
		t.Fatal("a reset password let in without a new one")
	}
	test.Type(f.newPass, "自己的新密码01")
	test.Type(f.newPass2, "自己的新密码02")
	test.Tap(f.ok)
	e.wait()
	if shown {
		t.Fatal("mismatched new passwords accepted")
	}
	f.newPass2.SetText("自己的新密码01")
	test.Tap(f.ok)
	e.wait()
	if !shown {
		t.Fatalf("not let in: %q", msgText(f.msgs))
	}
	if _, err := st.SignIn(context.Background(), "李建国", "自己的新密码01"); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestNoAccountsNoSignIn(t *testing.T) {
	st := newTestStore(t, true)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	shown := false
	e.showForTest(signInGate(e, func() fyne.CanvasObject { shown = true; return widget.NewLabel("主界面") }))
	if !shown {
		t.Fatal("sign-in asked without accounts")
	}
}

func TestIdleLockWithFakeClock(t *testing.T) {
	st := newAccountStore(t)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	withActor(e)
	clock := fixedNow
	field := widget.NewEntry()
	content, l := installLock(e, fyneBox(field), func() time.Time { return clock })
	e.showForTest(content)
	a, err := st.SignIn(context.Background(), "王秀英", "站长的密码2026")
	if err != nil {
		t.Fatal(err)
	}
	sessionOf(e).set(a)
	l.after = 10 * time.Minute
	l.tick()

	// Typing in a field is activity: no lock 9 minutes after the last key.
	clock = clock.Add(8 * time.Minute)
	e.Win.Canvas().Focus(field)
	test.Type(field, "上门服务记录")
	l.tick()
	clock = clock.Add(9 * time.Minute)
	l.tick()
	if l.Locked() {
		t.Fatal("locked although the officer typed 9 minutes ago")
	}
	// Keys typed outside a field and the mouse over the window count too.
	e.Win.Canvas().Unfocus()
	l.tick()
	clock = clock.Add(9 * time.Minute)
	test.TypeOnCanvas(e.Win.Canvas(), "x")
	clock = clock.Add(9 * time.Minute)
	l.tick()
	if l.Locked() {
		t.Fatal("locked although a key was typed 9 minutes ago")
	}
	test.MoveMouse(e.Win.Canvas(), fyne.NewPos(500, 600))
	clock = clock.Add(9 * time.Minute)
	l.tick()
	if l.Locked() {
		t.Fatal("locked although the mouse moved 9 minutes ago")
	}
	clock = clock.Add(2 * time.Minute)
	l.tick()
	if !l.Locked() {
		t.Fatal("not locked after 11 idle minutes")
	}
	if top := e.Win.Canvas().Overlays().Top(); top != l.overlay {
		t.Fatal("lock is not the top overlay")
	}
	if l.overlay.Size() != e.Win.Canvas().Size() {
		t.Fatalf("lock covers %v of %v", l.overlay.Size(), e.Win.Canvas().Size())
	}
	snap(t, e.Win, "safety-lock")

	// A wrong password keeps it locked; the right one opens it.
	f := l.form
	e.wait()
	if f.login.Selected != "王秀英" {
		t.Fatalf("lock offers %q", f.login.Selected)
	}
	test.Type(f.pass, "不对的密码0000")
	test.Tap(f.ok)
	e.wait()
	if !l.Locked() {
		t.Fatal("wrong password unlocked")
	}
	test.Type(f.pass, "站长的密码2026")
	test.Tap(f.ok)
	e.wait()
	if l.Locked() || e.Win.Canvas().Overlays().Top() != nil {
		t.Fatalf("right password did not unlock: %q", msgText(f.msgs))
	}
	// Another officer may take over at the lock.
	l.tick()
	clock = clock.Add(20 * time.Minute)
	l.tick()
	if !l.Locked() {
		t.Fatal("not locked again")
	}
	f = l.form
	e.wait()
	f.login.SetSelected("李建国")
	test.Type(f.pass, "李建国的密码01")
	test.Tap(f.ok)
	e.wait()
	if l.Locked() || e.Actor() != "李建国" {
		t.Fatalf("takeover: locked %v actor %q", l.Locked(), e.Actor())
	}
	// Never: no lock however long.
	l.after = 0
	clock = clock.Add(24 * time.Hour)
	l.tick()
	if l.Locked() {
		t.Fatal("locked with the lock off")
	}
}

func TestStartErrorOffersNewestGoodBackup(t *testing.T) {
	st := newTestStore(t, true)
	dir := st.Dir
	ctx := context.Background()
	want, _ := st.Stats(ctx)
	if _, err := st.AutoBackup(ctx, fixedNow); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Wreck the database.
	path := filepath.Join(dir, data.DBFileName)
	b, _ := os.ReadFile(path)
	for i := 100; i < len(b); i++ {
		b[i] = 0x42
	}
	os.WriteFile(path, b, 0o600)
	os.Remove(path + "-wal")
	_, openErr := data.Open(dir)
	if data.ErrorKind(openErr) != data.KindDamaged {
		t.Fatalf("open damaged: %v", openErr)
	}

	e := newTestEnv(t, newTestStore(t, false), fyne.NewSize(600, 300))
	e.Store = nil
	var opened *data.Store
	s := &startError{e: e, dir: dir, opened: func(st *data.Store) { opened = st }}
	e.showForTest(s.content(openErr))
	if !s.restore.Visible() || s.backup.Path == "" {
		t.Fatalf("no backup offered: %q", s.status.Text)
	}
	snap(t, e.Win, "safety-start-damaged")
	test.Tap(s.restore)
	if e.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("restore without asking")
	}
	s.doRestore()
	e.wait()
	if opened == nil {
		t.Fatalf("not reopened: %q", s.status.Text)
	}
	defer opened.Close()
	got, _ := opened.Stats(ctx)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d after restore, want %d", k, got[k], n)
		}
	}
	if err := opened.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func findSignIn(t *testing.T, e *Env) *signInForm {
	t.Helper()
	v, ok := gateForms.Load(e)
	if !ok {
		t.Fatal("no sign-in form shown")
	}
	return v.(*signInForm)
}

func fyneBox(o ...fyne.CanvasObject) fyne.CanvasObject { return container.NewVBox(o...) }
