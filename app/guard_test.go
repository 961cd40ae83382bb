package app

import (
	"reflect"
	"testing"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"stationdesk/data"
)

// opinionCount is how many opinions the store holds.
func opinionCount(t *testing.T, st *data.Store) int {
	t.Helper()
	ops, err := st.Opinions(t.Context(), data.OpinionFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(ops)
}

// guardedOpinionForm opens the opinion form in a shell on 群众意见.
func guardedOpinionForm(t *testing.T) (*Env, *data.Store) {
	t.Helper()
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	installKeys(e)
	e.showForTest(newShell(e))
	e.Show("opinions")
	e.wait()
	openOpinionForm(e, nil, "", nil)
	e.wait()
	return e, st
}

func formOpen(f *opinionForm) bool { return !f.closed }

func TestGuardCancelAsksOnlyWhenChanged(t *testing.T) {
	e, st := guardedOpinionForm(t)
	f := lastOpinionForm
	test.Tap(f.cancel) // nothing typed: closes without asking
	if e.guard.asking != nil || formOpen(f) {
		t.Fatalf("unchanged form: asking=%v open=%v", e.guard.asking != nil, formOpen(f))
	}

	openOpinionForm(e, nil, "", nil)
	f = lastOpinionForm
	test.Type(f.content, "村口路灯坏了三个月")
	test.Tap(f.cancel)
	if e.guard.asking == nil {
		t.Fatal("取消 with typed text did not ask")
	}
	test.Tap(e.guard.asking.cancel) // 返回: the form stays with its text
	if !formOpen(f) || f.content.Text != "村口路灯坏了三个月" {
		t.Fatalf("返回 lost the form: open=%v text=%q", formOpen(f), f.content.Text)
	}
	test.Tap(f.cancel)
	test.Tap(e.guard.asking.drop) // 不保存
	e.wait()
	if formOpen(f) || opinionCount(t, st) != 0 {
		t.Fatalf("不保存: open=%v opinions=%d", formOpen(f), opinionCount(t, st))
	}

	openOpinionForm(e, nil, "", nil)
	f = lastOpinionForm
	test.Type(f.content, "希望增加医保报销窗口")
	test.Tap(f.cancel)
	test.Tap(e.guard.asking.save) // 保存
	e.wait()
	if formOpen(f) || opinionCount(t, st) != 1 {
		t.Fatalf("保存: open=%v opinions=%d", formOpen(f), opinionCount(t, st))
	}
}

func TestGuardSaveRefusedKeepsForm(t *testing.T) {
	e, st := guardedOpinionForm(t)
	f := lastOpinionForm
	f.date.SetText("2026-13-45") // a bad date: 保存 is refused at the field
	test.Tap(f.cancel)
	test.Tap(e.guard.asking.save)
	e.wait()
	if !formOpen(f) || opinionCount(t, st) != 0 || f.msgs.msg("date").Text == "" {
		t.Fatalf("refused save: open=%v opinions=%d msg=%q", formOpen(f), opinionCount(t, st), f.msgs.msg("date").Text)
	}
	f.date.SetText("2026-11-17") // fixed: the message goes
	if f.msgs.msg("date").Visible() {
		t.Fatal("the date's message stays after the date was fixed")
	}
}

func TestGuardEscapeAndEnter(t *testing.T) {
	e, st := guardedOpinionForm(t)
	f := lastOpinionForm
	press := func(k fyne.KeyName) {
		e.Win.Canvas().Unfocus()
		e.Win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
		e.wait()
	}
	test.Type(f.content, "社保卡补办太慢")
	press(fyne.KeyEscape)
	if e.guard.asking == nil {
		t.Fatal("Esc with typed text did not ask")
	}
	press(fyne.KeyEscape) // Esc on the question is 返回
	if e.guard.asking != nil || !formOpen(f) || f.content.Text != "社保卡补办太慢" {
		t.Fatalf("Esc on the question: asking=%v open=%v", e.guard.asking != nil, formOpen(f))
	}
	// Esc while the text box has the focus: the entry swallows it, the driver's hook (EscapeKey) closes the form.
	e.Win.Canvas().Focus(f.content)
	f.content.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	EscapeKey(e.Win)
	if e.guard.asking == nil {
		t.Fatal("Esc in the focused text box did not ask")
	}
	test.Tap(e.guard.asking.cancel)
	press(fyne.KeyReturn) // Enter confirms the form: it saves
	if formOpen(f) || opinionCount(t, st) != 1 {
		t.Fatalf("Enter: open=%v opinions=%d", formOpen(f), opinionCount(t, st))
	}

	// Fyne's own dialogs: Enter presses the main button, Esc the other.
	confirmed := 0
	dialog.ShowConfirm("删除", "确定删除？", func(ok bool) {
		if ok {
			confirmed++
		}
	}, e.Win)
	press(fyne.KeyEscape)
	if confirmed != 0 || e.Win.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc on a confirmation: confirmed=%d top=%v", confirmed, e.Win.Canvas().Overlays().Top())
	}
	dialog.ShowConfirm("删除", "确定删除？", func(ok bool) {
		if ok {
			confirmed++
		}
	}, e.Win)
	press(fyne.KeyReturn)
	if confirmed != 1 || e.Win.Canvas().Overlays().Top() != nil {
		t.Fatalf("Enter on a confirmation: confirmed=%d", confirmed)
	}
}

func TestGuardNavigationKeepsAttendance(t *testing.T) {
	st := trainingStation(t)
	tr := data.Training{Type: data.TrainingSpecial, Date: "2026-11-10", Start: "09:00", End: "11:30", Topic: "社保卡激活业务辅导"}
	if err := st.SaveTraining(t.Context(), &tr); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(newShell(e))
	ctrl := func(k fyne.KeyName) {
		// The shortcut exactly as the desktop driver builds it for Ctrl+digit.
		e.Win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
		e.wait()
	}
	ctrl(fyne.Key3)
	if e.Current() != "training" {
		t.Fatalf("Ctrl+3 shows %q", e.Current())
	}
	u := e.views["training"].(*trainingUI)
	u.showAttendance(tr)
	e.wait()
	v := u.attendance
	recorded := func() int {
		list, err := st.Attendance(t.Context(), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, en := range list {
			if en.Recorded && en.Status == data.Absent {
				n++
			}
		}
		return n
	}
	test.Tap(v.rows[0].choices[3]) // 缺席

	ctrl(fyne.Key1)
	if e.guard.asking == nil || e.Current() != "training" {
		t.Fatalf("Ctrl+1 with unsaved attendance: asking=%v current=%q", e.guard.asking != nil, e.Current())
	}
	test.Tap(e.guard.asking.cancel) // 返回: still on the roster, still changed
	if e.Current() != "training" || !v.dirty || recorded() != 0 {
		t.Fatalf("返回: current=%q dirty=%v", e.Current(), v.dirty)
	}
	e.shell.list.Select(0) // a click on 首页 in the navigation asks the same
	if e.guard.asking == nil || e.Current() != "training" {
		t.Fatal("navigation click did not ask")
	}
	test.Tap(e.guard.asking.save)
	e.wait()
	if e.Current() != "home" || recorded() != 1 {
		t.Fatalf("保存 then switch: current=%q absent=%d", e.Current(), recorded())
	}

	ctrl(fyne.Key3)
	u = e.views["training"].(*trainingUI)
	u.showAttendance(tr)
	e.wait()
	test.Tap(u.attendance.rows[1].choices[3])
	ctrl(fyne.Key2)
	test.Tap(e.guard.asking.drop) // 不保存: switched, the second officer not recorded absent
	e.wait()
	if e.Current() != "policies" || recorded() != 1 {
		t.Fatalf("不保存 then switch: current=%q absent=%d", e.Current(), recorded())
	}
	ctrl(fyne.Key4) // nothing held: no question
	if e.guard.asking != nil || e.Current() != "service" {
		t.Fatalf("unchanged switch: asking=%v current=%q", e.guard.asking != nil, e.Current())
	}
}

// closeIntercept is the callback the window's SetCloseIntercept holds (the
// test driver keeps it but has no close button to press).
func closeIntercept(t *testing.T, w fyne.Window) func() {
	t.Helper()
	f := reflect.ValueOf(w).Elem().FieldByName("onCloseIntercepted")
	if !f.IsValid() {
		t.Fatal("test window has no close intercept field")
	}
	fn := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(func())
	if fn == nil {
		t.Fatal("no close intercept set")
	}
	return fn
}

func windowOpen(w fyne.Window) bool {
	for _, x := range fyne.CurrentApp().Driver().AllWindows() {
		if x == w {
			return true
		}
	}
	return false
}

func TestGuardClosingTheWindow(t *testing.T) {
	for _, choice := range []string{"save", "drop"} {
		t.Run(choice, func(t *testing.T) {
			e, st := guardedOpinionForm(t)
			installCloseGuard(e)
			f := lastOpinionForm
			test.Type(f.content, "敬老院需要一台轮椅")
			closeIntercept(t, e.Win)()
			if e.guard.asking == nil || !windowOpen(e.Win) {
				t.Fatalf("closing with typed text: asking=%v open=%v", e.guard.asking != nil, windowOpen(e.Win))
			}
			test.Tap(e.guard.asking.cancel)
			if !windowOpen(e.Win) || !formOpen(f) {
				t.Fatal("返回 closed the window")
			}
			closeIntercept(t, e.Win)()
			want := 0
			if choice == "save" {
				want = 1
				test.Tap(e.guard.asking.save)
			} else {
				test.Tap(e.guard.asking.drop)
			}
			e.wait()
			if windowOpen(e.Win) || opinionCount(t, st) != want {
				t.Fatalf("%s: window open=%v opinions=%d", choice, windowOpen(e.Win), opinionCount(t, st))
			}
		})
	}
}

func TestGuardCloseUnchangedClosesAtOnce(t *testing.T) {
	e, _ := guardedOpinionForm(t)
	installCloseGuard(e)
	closeIntercept(t, e.Win)()
	if e.guard.asking != nil || windowOpen(e.Win) {
		t.Fatalf("unchanged: asking=%v open=%v", e.guard.asking != nil, windowOpen(e.Win))
	}
}

func TestDraftOfferedBackAfterCrash(t *testing.T) {
	st := serviceStation(t)
	r := addServiceResident(t, st)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(e.root())
	if e.guard.offer != nil {
		t.Fatal("a draft offered on a fresh store")
	}
	e.Show("service")
	e.wait()
	u := e.views["service"].(*serviceUI)
	u.openVisitForm(&r)
	e.wait()
	f := u.visits.form
	test.Type(f.notes, "老人腿脚不便，资格认证已在家完成")
	f.outcome.SetText("已办结")
	test.Tap(f.services.checks[1])
	f.draft.tick() // what the form's ticker does every few seconds
	e.wait()
	if d, ok, err := st.DraftOf(t.Context(), "visit"); !ok || err != nil || d.Body == "" {
		t.Fatalf("no draft kept: %v %v", ok, err)
	}

	// The program dies here: the form is never closed. The next start opens the same file.
	dir := st.Dir
	st.Close()
	st2, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	e2 := newTestEnv(t, st2, fyne.NewSize(1280, 800))
	e2.showForTest(e2.root())
	if e2.guard.offer == nil {
		t.Fatal("the draft was not offered back")
	}
	test.Tap(e2.guard.offer.resume)
	e2.wait()
	u2 := e2.views["service"].(*serviceUI)
	f2 := u2.visits.form
	if e2.Current() != "service" || f2 == nil || f2.resident == nil || f2.resident.ID != r.ID {
		t.Fatalf("resumed form: current=%q", e2.Current())
	}
	if f2.notes.Text != "老人腿脚不便，资格认证已在家完成" || f2.outcome.Text != "已办结" || !f2.services.checks[1].Checked {
		t.Fatalf("resumed fields: notes=%q outcome=%q", f2.notes.Text, f2.outcome.Text)
	}
	test.Tap(f2.saveBtn)
	e2.wait()
	if m := msgText(f2.msgs); m != "" {
		t.Fatalf("resumed form refused: %s", m)
	}
	if n := u2.residents.detail.note; !n.Visible() || n.Text != "已保存：2026-11-17 的上门服务记录" {
		t.Fatalf("no 已保存 after the visit: %q", n.Text)
	}
	if _, ok, _ := st2.DraftOf(t.Context(), "visit"); ok {
		t.Fatal("the draft outlived the saved visit")
	}
	visits, err := st2.Visits(t.Context(), data.VisitFilter{Limit: 10})
	if err != nil || len(visits) != 1 || visits[0].Notes != "老人腿脚不便，资格认证已在家完成" {
		t.Fatalf("saved visits: %+v %v", visits, err)
	}
}

func TestDraftDiscarded(t *testing.T) {
	st := serviceStation(t)
	if err := st.SaveDraft(t.Context(), "opinion", `{"title":"记录群众意见","fields":[{"k":"entry","v":"2026-11-17"}]}`, fixedNow); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(e.root())
	if e.guard.offer == nil {
		t.Fatal("not offered")
	}
	test.Tap(e.guard.offer.delete)
	e.wait()
	if list, _ := st.Drafts(t.Context()); len(list) != 0 || e.Current() != "home" {
		t.Fatalf("丢弃 kept %d drafts, current %q", len(list), e.Current())
	}
}
