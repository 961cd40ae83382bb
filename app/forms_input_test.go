package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// Issue 8: bad input on every form (empty, too long, wrong type, dates out of
// range, pasted control characters) gets a message at the field, never a
// crash, and nothing is saved. TestFormsRefuseBadInput has one row per form
// of app/: how to open it on a real database, its fields with good values,
// its save button and what it would change in the database. For every field
// and every bad input that applies, it fills the good values, puts the bad
// one in, taps save and checks: no panic, a visible message under that very
// field, the field still holding what was typed and focused, the database
// unchanged. Last, the good values must save (so that the refusals were the
// bad field's, not another's).

// fieldKind says which bad inputs besides the common ones apply.
type fieldKind int

const (
	kindText     fieldKind = iota
	kindDate               // YYYY-MM-DD: letters, 1850, 2099
	kindNumber             // a whole number: letters
	kindTime               // HH:MM: letters
	kindCode               // digits with a fixed form (ID number, phone, division code): letters
	kindMonth              // YYYY-MM: letters
	kindPassword           // like text
)

// formField is one field of a form under test.
type formField struct {
	key      string         // the field's name in the form's messages
	entry    *widget.Entry  // where the bad input goes
	focus    fyne.Focusable // what a refusal focuses; nil: entry
	good     string
	kind     fieldKind
	required bool
	long     int            // characters of the too-long input (default 5,000; -1: none)
	list     bool           // a multi-line list, one item a line: the too-long input is one line
	late     string         // a date too late for this field (default 2099-12-31)
	twin     *widget.Entry  // takes the same bad input (a password's confirmation)
	msgs     *fieldMessages // the field's messages when not the form's
	mayClear bool           // a refused sign-in empties the password on purpose
}

// openForm is a form opened for the test.
type openForm struct {
	e       *Env
	msgs    func() *fieldMessages // the form's messages (some forms build theirs again)
	fields  []formField
	fill    func() // sets what is not a field (selects, checks), may be nil
	good    func() // may be nil: for the good save, after fill (another officer signs in: five wrong passwords pause a name)
	save    func() // taps the save button
	state   func() string
	noSaves bool // a search: the good values change nothing stored
}

// formCase opens one form.
type formCase struct {
	name string
	open func(t *testing.T) *openForm
}

// badInput is one bad value for a field.
type badInput struct{ name, value string }

func badInputs(f formField) []badInput {
	var out []badInput
	if f.required {
		out = append(out, badInput{"empty", ""})
	}
	n := 5000
	if f.long != 0 {
		n = f.long
	}
	long := strings.Repeat("张", max(n, 0))
	if f.entry.MultiLine && !f.list && n > 0 {
		// Pasted pages: lines of 50 characters (a single line of thousands
		// takes Fyne minutes to wrap).
		long = strings.Repeat(strings.Repeat("张", 49)+"\n", n/50+1)
	}
	if n > 0 {
		out = append(out, badInput{"too_long", long})
	}
	out = append(out,
		badInput{"nul", "张\x00三"},
		badInput{"escape", "\x1b[31m王五"},
		badInput{"bidi", "\u202e李四"},
	)
	switch f.kind {
	case kindDate:
		late := "2099-12-31"
		if f.late != "" {
			late = f.late
		}
		out = append(out, badInput{"wrong_type", "下周三"}, badInput{"year_1850", "1850-01-01"}, badInput{"too_late", late})
	case kindNumber:
		out = append(out, badInput{"wrong_type", "三份"})
	case kindTime:
		out = append(out, badInput{"wrong_type", "下午三点"})
	case kindCode:
		out = append(out, badInput{"wrong_type", "abc"})
	case kindMonth:
		out = append(out, badInput{"wrong_type", "十一月"})
	}
	return out
}

// stateOf is what a form would change, as text to compare.
func stateOf(t *testing.T, v any, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onScreen says whether obj is shown in e's window (content or a dialog).
func onScreen(e *Env, obj fyne.CanvasObject) bool {
	c := e.Win.Canvas()
	for _, root := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
		if svcWalk(root, func(o fyne.CanvasObject) bool { return o == obj }) {
			return true
		}
	}
	return false
}

// laidOutBelow says whether line is drawn below field at its full height
// (not over it, not squeezed).
func laidOutBelow(line, field fyne.CanvasObject) bool {
	d := fyne.CurrentApp().Driver()
	l, f := d.AbsolutePositionForObject(line), d.AbsolutePositionForObject(field)
	return l.Y >= f.Y+field.Size().Height-1 && line.Size().Height >= line.MinSize().Height-1 && line.Size().Width > 0
}

// tapSafely runs fn and returns what it panicked with, if it did.
func tapSafely(fn func()) (p any) {
	defer func() { p = recover() }()
	fn()
	return nil
}

func (f *openForm) fillGood() {
	if f.fill != nil {
		f.fill()
	}
	for _, fld := range f.fields {
		fld.entry.SetText(fld.good)
		if fld.twin != nil {
			fld.twin.SetText(fld.good)
		}
	}
}

// typeBad puts v into en: typed by key when it is a mistyped value, pasted
// (SetText) when it is long or carries control characters.
func typeBad(en *widget.Entry, bad badInput) {
	en.SetText("")
	switch bad.name {
	case "wrong_type", "year_1850", "too_late":
		test.Type(en, bad.value)
	default:
		en.SetText(bad.value)
	}
}

func runForm(t *testing.T, c formCase) {
	t.Helper()
	f := c.open(t)
	for i := range f.fields {
		for _, bad := range badInputs(f.fields[i]) {
			saved := false
			t.Run(f.fields[i].key+"/"+bad.name, func(t *testing.T) { saved = runBadInput(t, f, f.fields[i], bad) })
			if saved {
				f = c.open(t) // a form may close or be built again once saved
			}
		}
	}
	t.Run("good_values_save", func(t *testing.T) {
		f.fillGood()
		if f.good != nil {
			f.good()
		}
		f.e.wait()
		before := f.state()
		f.save()
		f.e.wait()
		if m := msgText(f.msgs()); m != "" {
			t.Fatalf("good values refused: %s", m)
		}
		if after := f.state(); after == before && !f.noSaves {
			t.Fatal("good values saved nothing")
		}
	})
}

// runBadInput tries one bad input on one field and says whether it was
// (wrongly) saved.
func runBadInput(t *testing.T, f *openForm, fld formField, bad badInput) (saved bool) {
	f.fillGood()
	f.e.wait()
	before := f.state()
	typeBad(fld.entry, bad)
	if fld.twin != nil {
		typeBad(fld.twin, bad)
	}
	f.e.Win.Canvas().Unfocus()
	if p := tapSafely(f.save); p != nil {
		t.Fatalf("save panicked: %v", p)
	}
	if p := tapSafely(f.e.wait); p != nil {
		t.Fatalf("saving panicked: %v", p)
	}
	m := fld.msgs
	if m == nil {
		m = f.msgs()
	}
	line := m.msg(fld.key)
	if line == nil {
		t.Fatalf("the form has no message line for %s", fld.key)
	}
	if !line.Visible() || strings.TrimSpace(line.Text) == "" || !onScreen(f.e, line) {
		t.Errorf("no message under %s (the form shows %q)", fld.key, msgText(m))
	} else if !laidOutBelow(line, fld.entry) {
		t.Errorf("the message of %s is not laid out under the field", fld.key)
	}
	if after := f.state(); after != before {
		t.Errorf("%.40q was saved: %.300s", bad.value, after)
		saved = true
	}
	if !fld.mayClear && fld.entry.Text != bad.value {
		t.Errorf("what was typed became %.40q", fld.entry.Text)
	}
	want := fld.focus
	if want == nil {
		want = fld.entry
	}
	if got := f.e.Win.Canvas().Focused(); got != want {
		t.Errorf("focus is on %T, not on the field", got)
	}
	return saved
}

func TestFormsRefuseBadInput(t *testing.T) {
	for _, c := range formCases {
		t.Run(c.name, func(t *testing.T) { runForm(t, c) })
	}
}

// formStation is a station with a roster of three, a resident and two of
// its own policies.
func formStation(t *testing.T) (*data.Store, data.Resident, []data.Policy) {
	t.Helper()
	st := serviceStation(t)
	r := addServiceResident(t, st)
	var ps []data.Policy
	for _, p := range []data.Policy{
		{Title: "城乡居民基本养老保险实施办法", DocNo: "武人社发〔2014〕21号", Category: "养老保险"},
		{Title: "城乡居民基本养老保险实施细则", DocNo: "武人社发〔2026〕3号", Category: "养老保险"},
	} {
		if err := st.AddPolicy(t.Context(), &p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return st, r, ps
}

// entriesIn lists the entries of the top dialog, in order.
func entriesIn(t *testing.T, e *Env) []*widget.Entry {
	t.Helper()
	top := e.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	return trFind[*widget.Entry](top)
}

func lastForm(t *testing.T, e *Env) *formDialog {
	t.Helper()
	v, ok := openForms.Load(e)
	if !ok {
		t.Fatal("no form dialog opened")
	}
	return v.(*formDialog)
}

func fixed(m *fieldMessages) func() *fieldMessages { return func() *fieldMessages { return m } }

var formCases = []formCase{
	{"wizard", func(t *testing.T) *openForm {
		st := newTestStore(t, false)
		e := newTestEnv(t, st, fyne.NewSize(1000, 700))
		w := buildWizard(e, func(data.Identity) {})
		e.showForTest(w.content())
		return &openForm{e: e, msgs: fixed(w.msgs),
			fields: []formField{
				{key: "name", entry: w.name, good: "桃花镇劳动保障站", required: true},
				{key: "code", entry: w.code, good: "430702101", kind: kindCode, required: true},
				{key: "name", entry: w.offName, good: "王秀英", msgs: w.offMsgs},
				{key: "role", entry: &w.offRole.Entry, focus: w.offRole, good: "站长", msgs: w.offMsgs},
				{key: "phone", entry: w.offPhone, good: "13800001234", kind: kindCode, msgs: w.offMsgs},
				{key: "password", entry: w.adminPass, good: "站长的密码2026", kind: kindPassword, required: true, twin: w.adminPass2},
				{key: "password2", entry: w.adminPass2, good: "站长的密码2026", kind: kindPassword},
			},
			fill:  func() { w.roster = nil; w.rosterList.Refresh() },
			save:  func() { test.Tap(w.finish) },
			state: func() string { id, ok, err := st.Identity(t.Context()); return stateOf(t, []any{id, ok}, err) },
		}
	}},
	{"sign_in", func(t *testing.T) *openForm {
		st := newAccountStore(t)
		e := newTestEnv(t, st, fyne.NewSize(1100, 720))
		withActor(e)
		shown := false
		e.showForTest(signInGate(e, func() fyne.CanvasObject { shown = true; return widget.NewLabel("主界面") }))
		f := findSignIn(t, e)
		return &openForm{e: e, msgs: fixed(f.msgs),
			fields: []formField{{key: "password", entry: f.pass, good: "李建国的密码01", kind: kindPassword, required: true, mayClear: true}},
			fill:   func() { f.login.SetSelected("李建国") },
			good:   func() { f.login.SetSelected("王秀英"); f.pass.SetText("站长的密码2026") },
			save:   func() { test.Tap(f.ok) },
			state:  func() string { return fmt.Sprint(shown) },
		}
	}},
	{"lock_screen", func(t *testing.T) *openForm {
		st := newAccountStore(t)
		e := newTestEnv(t, st, fyne.NewSize(1100, 720))
		withActor(e)
		a, err := st.SignIn(t.Context(), "王秀英", "站长的密码2026")
		if err != nil {
			t.Fatal(err)
		}
		sessionOf(e).set(a)
		content, l := installLock(e, widget.NewLabel("主界面"), now)
		t.Cleanup(l.close)
		e.showForTest(content)
		l.lock()
		e.wait()
		f := l.form
		return &openForm{e: e, msgs: fixed(f.msgs),
			fields: []formField{{key: "password", entry: f.pass, good: "站长的密码2026", kind: kindPassword, required: true, mayClear: true}},
			good:   func() { f.login.SetSelected("李建国"); f.pass.SetText("李建国的密码01") },
			save:   func() { test.Tap(f.ok) },
			state:  func() string { return fmt.Sprint(l.Locked()) },
		}
	}},
	{"account_create", func(t *testing.T) *openForm {
		e, st := accountsEnv(t, "王秀英", "站长的密码2026")
		if err := st.AddOfficer(t.Context(), &data.Officer{Name: "张志强", Role: "社区专干"}); err != nil {
			t.Fatal(err)
		}
		panel := accountsPanel(e)
		e.showForTest(panel)
		svcWalk(panel, func(o fyne.CanvasObject) bool {
			if s, ok := o.(*widget.Select); ok && s.PlaceHolder == "选择工作人员" {
				s.SetSelected("张志强")
				return true
			}
			return false
		})
		test.Tap(svcButton(t, panel, "设置登录密码"))
		return passwordCase(t, e, func() string { a, err := st.Accounts(t.Context()); return stateOf(t, a, err) })
	}},
	{"account_reset", func(t *testing.T) *openForm {
		e, st := accountsEnv(t, "王秀英", "站长的密码2026")
		panel := accountsPanel(e)
		e.showForTest(panel)
		test.Tap(svcButton(t, panel, "重置密码"))
		return passwordCase(t, e, func() string { a, err := st.Accounts(t.Context()); return stateOf(t, a, err) })
	}},
	{"account_change_own", func(t *testing.T) *openForm {
		e, st := accountsEnv(t, "李建国", "李建国的密码01")
		panel := accountsPanel(e)
		e.showForTest(panel)
		test.Tap(svcButton(t, panel, "修改密码"))
		f := passwordCase(t, e, func() string {
			_, err := st.SignIn(context.Background(), "李建国", "李建国的密码01")
			return fmt.Sprint(err == nil)
		})
		entries := entriesIn(t, e)
		f.fields = append([]formField{{key: "old_password", entry: entries[0], good: "李建国的密码01", kind: kindPassword, required: true}}, f.fields...)
		return f
	}},
	{"resident_add", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 800))
		test.Tap(svcButton(t, e.Win.Canvas().Content(), "新增服务对象"))
		return residentCase(t, e, u.residents.form, func() string {
			rs, err := st.Residents(t.Context(), data.ResidentFilter{Limit: 100})
			return stateOf(t, rs, err)
		}, svcID("43070219400312002"))
	}},
	{"resident_edit", func(t *testing.T) *openForm {
		st, r, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 800))
		u.residents.openForm(r)
		e.wait()
		return residentCase(t, e, u.residents.form, func() string {
			got, err := st.Resident(t.Context(), r.ID)
			return stateOf(t, got, err)
		}, r.IDNumber)
	}},
	{"visit_add", func(t *testing.T) *openForm {
		st, r, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 900))
		u.openVisitForm(&r)
		e.wait()
		f := u.visits.form
		return &openForm{e: e, msgs: func() *fieldMessages { return f.msgs },
			fields: []formField{
				{key: "date", entry: f.date, good: fixedNow.Format("2006-01-02"), kind: kindDate, required: true},
				{key: "outcome", entry: &f.outcome.Entry, focus: f.outcome, good: "已办结"},
				{key: "notes", entry: f.notes, good: "老人身体尚好"},
				{key: "followup_due", entry: f.due, good: fixedNow.AddDate(0, 0, 14).Format("2006-01-02"), kind: kindDate, required: true},
				{key: "cards", entry: f.cards, good: "2", kind: kindNumber, required: true},
				{key: "content", entry: f.opinion, good: "希望增加上门认证次数"},
			},
			fill: func() {
				f.follow.SetChecked(true)
				f.services.checks[0].SetChecked(true)
				f.policy.SetSelectedIndex(0)
			},
			save: func() { test.Tap(f.saveBtn) },
			state: func() string {
				vs, err := st.Visits(t.Context(), data.VisitFilter{Limit: 100})
				ops, err2 := st.Opinions(t.Context(), data.OpinionFilter{Limit: 100})
				if err == nil {
					err = err2
				}
				return stateOf(t, []any{vs, ops}, err)
			},
		}
	}},
	{"followup_close", func(t *testing.T) *openForm {
		st, r, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 800))
		offs, _ := st.Officers(t.Context(), true)
		v := data.Visit{Date: fixedNow.AddDate(0, 0, -3).Format("2006-01-02"), ResidentID: r.ID, OfficerIDs: []string{offs[0].ID},
			Services: []string{data.DefaultServices[0]}, FollowupNeeded: true, FollowupDue: fixedNow.AddDate(0, 0, 10).Format("2006-01-02")}
		if err := st.AddVisit(t.Context(), &v, nil, nil); err != nil {
			t.Fatal(err)
		}
		rows, err := st.FollowupQueue(t.Context(), data.VisitFilter{Limit: 10})
		if err != nil || len(rows) != 1 {
			t.Fatalf("follow-ups %d %v", len(rows), err)
		}
		u.follow.openCloser(rows[0])
		c := u.follow.closer
		return &openForm{e: e, msgs: func() *fieldMessages { return c.msgs },
			fields: []formField{
				{key: "followup_done_at", entry: c.date, good: fixedNow.Format("2006-01-02"), kind: kindDate, required: true},
				{key: "followup_result", entry: c.result, good: "已补交材料，待遇已发放"},
			},
			save:  func() { test.Tap(c.save) },
			state: func() string { got, err := st.Visit(t.Context(), v.ID); return stateOf(t, got, err) },
		}
	}},
	{"opinion_add", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e := newTestEnv(t, st, fyne.NewSize(1280, 800))
		u := newOpinionsUI(e)
		e.showForTest(u.content())
		openOpinionForm(e, nil, "", nil)
		f := lastOpinionForm
		return &openForm{e: e, msgs: func() *fieldMessages { return f.msgs },
			fields: []formField{
				{key: "date", entry: f.date, good: fixedNow.Format("2006-01-02"), kind: kindDate, required: true},
				{key: "content", entry: f.content, good: "养老金认证能否在手机上完成", required: true},
			},
			save: func() { test.Tap(f.saveBtn) },
			state: func() string {
				ops, err := st.Opinions(t.Context(), data.OpinionFilter{Limit: 100})
				return stateOf(t, ops, err)
			},
		}
	}},
	{"opinion_reply", func(t *testing.T) *openForm {
		// The reply is the bureau's: at a station the box only shows it.
		st := newTestStore(t, false)
		if err := st.Setup(t.Context(), data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
			t.Fatal(err)
		}
		o := data.Opinion{Date: fixedNow.Format("2006-01-02"), Source: data.OpinionSources[0], Category: "其他", Content: "办事指南能否张贴在村部"}
		if err := st.AddOpinion(t.Context(), &o, data.SystemActor); err != nil {
			t.Fatal(err)
		}
		if err := st.AdvanceOpinion(t.Context(), o.ID, "已上报", "", data.SystemActor); err != nil {
			t.Fatal(err)
		}
		e := newTestEnv(t, st, fyne.NewSize(1280, 800))
		u := newOpinionsUI(e)
		e.showForTest(u.content())
		got, _ := st.Opinions(t.Context(), data.OpinionFilter{Limit: 1})
		u.open(got[0])
		e.wait()
		return &openForm{e: e, msgs: fixed(u.msgs),
			fields: []formField{{key: "reply", entry: u.reply, good: "已在各村部张贴", required: true}},
			save:   func() { test.Tap(u.next) },
			state: func() string {
				ops, err := st.Opinions(t.Context(), data.OpinionFilter{Limit: 100})
				return stateOf(t, ops, err)
			},
		}
	}},
	{"policy_add", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e := newTestEnv(t, st, fyne.NewSize(1280, 800))
		lib := newPolicyLibrary(e)
		e.showForTest(lib.root)
		fd := lib.askNew()
		en := entriesIn(t, e)
		return &openForm{e: e, msgs: fixed(fd.msgs),
			fields: []formField{
				{key: "title", entry: en[0], good: "关于调整失业保险金标准的通知", required: true},
				{key: "doc_no", entry: en[1], good: "武人社发〔2026〕9号"},
			},
			save:  func() { test.Tap(fd.save) },
			state: func() string { ps, err := st.PolicyChoices(t.Context(), "", 1000); return stateOf(t, ps, err) },
		}
	}},
	{"policy_edit", func(t *testing.T) *openForm {
		e, st, d, p := policyDetailEnv(t)
		return &openForm{e: e, msgs: func() *fieldMessages { return d.msgs },
			fields: []formField{
				{key: "title", entry: d.title, good: "城乡居民基本养老保险实施办法（修订）", required: true},
				{key: "doc_no", entry: d.docNo, good: "武人社发〔2014〕21号"},
				{key: "issuer", entry: d.issuer, good: "武陵区人力资源和社会保障局"},
				// A policy's dates are not work dates: package data takes 1949
				// to 2200 (a law may run until 2099).
				{key: "effective", entry: d.effective, good: "2014-07-01", kind: kindDate, late: "2250-01-01"},
				{key: "expires", entry: d.expires, good: "2030-12-31", kind: kindDate, late: "2250-01-01"},
				{key: "tags", entry: d.tags, good: "养老，城乡居民"},
				{key: "summary", entry: d.summary, good: "年满 60 周岁可按月领取养老金。"},
				// The body may hold 200,000 characters: a text over that takes
				// Fyne about a minute to lay out in the entry, so its length is
				// left to the data tests.
				{key: "body", entry: d.text, good: "第一条 为了……", long: -1},
			},
			save:  func() { test.Tap(d.save) },
			state: func() string { got, err := st.Policy(t.Context(), p.ID); return stateOf(t, got, err) },
		}
	}},
	{"policy_notes", func(t *testing.T) *openForm {
		e, st, d, p := policyDetailEnv(t)
		return &openForm{e: e, msgs: func() *fieldMessages { return d.notesMsgs },
			fields: []formField{{key: "local_notes", entry: d.notes, good: "已张贴在便民服务大厅", long: 20001}},
			save:   func() { test.Tap(svcButton(t, d.body, "保存备注")) },
			state:  func() string { got, err := st.Policy(t.Context(), p.ID); return stateOf(t, got.LocalNotes, err) },
		}
	}},
	{"card_handout", func(t *testing.T) *openForm {
		e, st, d, p := policyDetailEnv(t)
		return &openForm{e: e, msgs: func() *fieldMessages { return d.handMsgs },
			fields: []formField{
				{key: "count", entry: d.count, good: "20", kind: kindNumber, required: true},
				{key: "handed_on", entry: d.date, good: fixedNow.Format("2006-01-02"), kind: kindDate, required: true},
			},
			save: func() { test.Tap(d.record) },
			state: func() string {
				s, err := st.HandoutSummaryFor(t.Context(), p.ID, fixedNow)
				return stateOf(t, s, err)
			},
		}
	}},
	{"policy_supersede", func(t *testing.T) *openForm {
		e, st, d, p := policyDetailEnv(t)
		d.askSupersede()
		en := entriesIn(t, e)
		return &openForm{e: e, msgs: fixed(d.supersede.msgs),
			fields: []formField{{key: "superseded_by", entry: en[0], good: "武人社发〔2026〕3号", required: true}},
			save:   func() { test.Tap(d.supersede.save) },
			state:  func() string { got, err := st.Policy(t.Context(), p.ID); return stateOf(t, got.Status, err) },
		}
	}},
	{"service_guide", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e := newTestEnv(t, st, fyne.NewSize(1280, 900))
		g := newGuideTab(e)
		e.showForTest(g.root)
		g.edit(data.ServiceGuide{})
		en := entriesIn(t, e)
		return &openForm{e: e, msgs: fixed(g.form.msgs),
			fields: []formField{
				{key: "matter", entry: en[0], good: "就业登记", required: true},
				{key: "steps", entry: en[1], good: "申请：到窗口填表\n办结", required: true},
				{key: "materials", entry: en[2], good: "居民身份证", list: true},
				{key: "location", entry: en[3], good: "1 号窗口"},
				{key: "time_limit", entry: en[4], good: "当场办结"},
				{key: "officer", entry: en[5], good: "李春梅"},
				{key: "phone", entry: en[6], good: "0736-7221234", kind: kindCode},
			},
			save:  func() { test.Tap(g.form.save) },
			state: func() string { gs, err := st.ServiceGuides(t.Context()); return stateOf(t, gs, err) },
		}
	}},
	{"training_add", func(t *testing.T) *openForm {
		e, st, u := trainingEnv(t)
		u.editSession(data.Training{Type: data.TrainingSpecial, Date: "2026-11-10", Start: "09:00", End: "11:30"})
		e.wait()
		return sessionCase(t, e, st, u.editor)
	}},
	{"training_edit", func(t *testing.T) *openForm {
		e, st, u := trainingEnv(t)
		tr := savedTraining(t, st)
		u.openSession(tr.ID)
		e.wait()
		return sessionCase(t, e, st, u.editor)
	}},
	{"study_day_move", func(t *testing.T) *openForm {
		e, st, u := trainingEnv(t)
		fd := u.askMove(u.days[11]) // 2026-12-18
		en := entriesIn(t, e)
		return &openForm{e: e, msgs: fixed(fd.msgs),
			fields: []formField{
				{key: "date", entry: en[0], good: "2026-12-25", kind: kindDate, required: true},
				{key: "move_reason", entry: en[1], good: "与年终考核冲突", required: true},
			},
			save:  func() { test.Tap(fd.save) },
			state: func() string { ds, err := st.StudyCalendar(t.Context(), 2026); return stateOf(t, ds, err) },
		}
	}},
	{"study_time_dialog", func(t *testing.T) *openForm {
		e, st, u := trainingEnv(t)
		fd := u.askStudyTime()
		e.wait()
		return &openForm{e: e, msgs: fixed(fd.msgs),
			fields: []formField{{key: "time", entry: entriesIn(t, e)[0], good: "15:00", kind: kindTime, required: true}},
			save:   func() { test.Tap(fd.save) },
			state:  func() string { s, err := st.StudyTime(t.Context()); return stateOf(t, s, err) },
		}
	}},
	{"study_time_settings", func(t *testing.T) *openForm {
		st := trainingStation(t)
		e := newTestEnv(t, st, fyne.NewSize(1000, 700))
		s := newTrainingSettings(e)
		e.showForTest(s.card)
		return &openForm{e: e, msgs: fixed(s.msgs),
			fields: []formField{{key: "time", entry: s.start, good: "15:00", kind: kindTime, required: true}},
			save:   func() { test.Tap(s.save) },
			state:  func() string { v, err := st.StudyTime(t.Context()); return stateOf(t, v, err) },
		}
	}},
	{"attendance_reason", func(t *testing.T) *openForm {
		e, st, u := trainingEnv(t)
		tr := savedTraining(t, st)
		u.showAttendance(tr)
		e.wait()
		v := u.attendance
		v.set(0, data.Leave)
		row := v.rows[0]
		return &openForm{e: e, msgs: fixed(v.msgs),
			fields: []formField{{key: "reason:" + v.entries[0].OfficerID, entry: row.reason, good: "外出开会"}},
			save:   func() { test.Tap(v.save) },
			state:  func() string { a, err := st.Attendance(t.Context(), tr.ID); return stateOf(t, a, err) },
		}
	}},
	{"lending", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e := newTestEnv(t, st, fyne.NewSize(1400, 900))
		v := newLendingView(e)
		e.showForTest(v.content)
		v.load()
		e.wait()
		today := fixedNow.Format("2006-01-02")
		return &openForm{e: e, msgs: fixed(v.msgs),
			fields: []formField{
				{key: "holder_name", entry: v.holder, good: "张三", required: true},
				{key: "borrower_unit", entry: v.unit, good: "区委组织部", required: true},
				{key: "borrower", entry: v.borrower, good: "李四", required: true},
				{key: "purpose", entry: v.purpose, good: "干部考察", required: true},
				{key: "approved_by", entry: v.approved, good: "孙丽", required: true},
				{key: "date_out", entry: v.out, good: today, kind: kindDate, required: true},
				{key: "date_due", entry: v.due, good: fixedNow.AddDate(0, 0, 14).Format("2006-01-02"), kind: kindDate, required: true},
			},
			save:  func() { test.Tap(v.save) },
			state: func() string { ls, err := st.Lendings(t.Context()); return stateOf(t, ls, err) },
		}
	}},
	{"lending_review", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e := newTestEnv(t, st, fyne.NewSize(1400, 900))
		v := newLendingView(e)
		e.showForTest(v.content)
		v.load()
		e.wait()
		return &openForm{e: e, msgs: fixed(v.reviewMsgs),
			fields: []formField{
				{key: "reviewer", entry: v.reviewer, good: "孙丽", required: true},
				{key: "remarks", entry: v.remarks, good: "手续齐全"},
			},
			save: func() { test.Tap(v.reviewBtn) },
			state: func() string {
				r, ok, err := st.WeekReview(t.Context(), v.week)
				return stateOf(t, []any{r, ok}, err)
			},
		}
	}},
	{"liaison_visit", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e := newTestEnv(t, st, fyne.NewSize(1400, 900))
		v := newLiaisonView(e)
		e.showForTest(v.content)
		v.load()
		e.wait()
		return &openForm{e: e, msgs: func() *fieldMessages { return v.msgs },
			fields: []formField{
				{key: "date", entry: v.date, good: fixedNow.Format("2006-01-02"), kind: kindDate, required: true},
				{key: "discussed", entry: v.discussed, good: "上门服务台账", required: true},
				{key: "problems", entry: v.problems, good: "部分记录未录入"},
				{key: "help", entry: v.help, good: "现场指导录入"},
				{key: "followup", entry: v.followup, good: "下月复查"},
			},
			fill:  func() { v.cadre.SetSelectedIndex(0); v.station.SetSelectedIndex(0) },
			save:  func() { test.Tap(v.save) },
			state: func() string { xs, err := st.LiaisonVisits(t.Context(), "", ""); return stateOf(t, xs, err) },
		}
	}},
	{"rota_generate", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e := newTestEnv(t, st, fyne.NewSize(1400, 900))
		v := newRotaView(e)
		e.showForTest(v.content)
		v.load()
		e.wait()
		return &openForm{e: e, msgs: fixed(v.genMsgs),
			fields: []formField{
				{key: "from", entry: v.from, good: "2026-12-01", kind: kindDate, required: true},
				{key: "to", entry: v.to, good: "2026-12-31", kind: kindDate, required: true},
			},
			fill:  func() { v.checks[0].SetChecked(true) },
			save:  func() { test.Tap(v.generate) },
			state: func() string { ds, err := st.Rota(t.Context(), "2026-01-01", "2027-12-31"); return stateOf(t, ds, err) },
		}
	}},
	{"rota_swap", func(t *testing.T) *openForm {
		e, st, v := rotaEnv(t)
		v.openSwap(v.duties[3])
		s := v.swap
		return &openForm{e: e, msgs: fixed(s.msgs),
			fields: []formField{
				{key: "reason", entry: s.reason, good: "外出开会", required: true},
				{key: "recorded_by", entry: s.by, good: "吴卫东"},
			},
			fill: func() { s.subst.SetSelectedIndex(0) },
			save: func() { test.Tap(s.confirm) },
			state: func() string {
				ws, err := st.DutySwaps(t.Context(), "2026-11-01", "2026-11-30")
				return stateOf(t, ws, err)
			},
		}
	}},
	{"hall_opinion", func(t *testing.T) *openForm {
		e, st, v := rotaEnv(t)
		du := v.duties[0]
		v.openOpinion(du)
		o := v.opinion
		return &openForm{e: e, msgs: fixed(o.msgs),
			fields: []formField{
				{key: "category", entry: &o.category.Entry, focus: o.category, good: "养老保险"},
				{key: "content", entry: o.content, good: "希望延长周六服务时间", required: true},
			},
			save:  func() { test.Tap(o.save) },
			state: func() string { ops, err := st.HallOpinions(t.Context(), du.Date); return stateOf(t, ops, err) },
		}
	}},
	{"visit_intervals", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 800))
		u.plan.editIntervals()
		e.wait()
		f := u.plan.intervals
		c := data.ResidentCategories[0]
		return &openForm{e: e, msgs: fixed(f.msgs),
			fields: []formField{{key: "interval:" + c, entry: f.entries[c], good: "45", kind: kindNumber}},
			save:   func() { test.Tap(f.save) },
			state:  func() string { m, err := st.VisitIntervals(t.Context()); return stateOf(t, m, err) },
		}
	}},
	{"visit_services", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e := newTestEnv(t, st, fyne.NewSize(1000, 700))
		p := newCataloguePanel(e)
		e.showForTest(p.card)
		return &openForm{e: e, msgs: fixed(p.msgs),
			fields: []formField{{key: "services", entry: p.entry, good: "政策咨询\n代办社保\n养老认证", required: true, list: true}},
			save:   func() { test.Tap(p.save) },
			state:  func() string { s, err := st.VisitServices(t.Context()); return stateOf(t, s, err) },
		}
	}},
	{"visit_month_filter", func(t *testing.T) *openForm {
		st, _, _ := formStation(t)
		e, u := showService(t, st, fyne.NewSize(1280, 800))
		u.tabs.SelectIndex(1)
		e.wait()
		vt := u.visits
		return &openForm{e: e, msgs: fixed(vt.monthMsgs), noSaves: true,
			fields: []formField{{key: "month", entry: vt.month, good: "2026-11", kind: kindMonth}},
			save:   func() { vt.month.OnSubmitted(vt.month.Text) },
			state:  func() string { return vt.filter.Month },
		}
	}},
	{"sync_add_station", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e, v := syncEnv(t, st)
		return &openForm{e: e, msgs: fixed(v.addMsgs),
			fields: []formField{
				{key: "code", entry: v.addCode, good: "430702103", kind: kindCode, required: true},
				{key: "name", entry: v.addName, good: "杏花镇劳动保障站", required: true},
				{key: "dir", entry: v.addDir, good: t.TempDir(), required: true},
			},
			save: func() { test.Tap(v.addBtn) },
			state: func() string {
				ps, err := st.SyncBoard(t.Context(), fixedNow)
				var codes []string
				for _, p := range ps {
					codes = append(codes, p.Code+" "+p.Name)
				}
				return stateOf(t, codes, err)
			},
		}
	}},
	{"sync_export", func(t *testing.T) *openForm {
		st := ledgerBureau(t)
		e, v := syncEnv(t, st)
		return &openForm{e: e, msgs: fixed(v.exportMsgs),
			fields: []formField{{key: "dir", entry: v.outDir, good: t.TempDir(), required: true}},
			save:   func() { test.Tap(v.exportBtn) },
			state: func() string {
				ps, err := st.SyncBoard(t.Context(), fixedNow)
				var seqs []int64
				for _, p := range ps {
					seqs = append(seqs, p.OutSeq)
				}
				return stateOf(t, seqs, err)
			},
		}
	}},
	{"sync_enrol", func(t *testing.T) *openForm {
		st := serviceStation(t) // 桃花镇, set up on its own
		bureau := newTestStore(t, false)
		if err := bureau.Setup(t.Context(), data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := bureau.EnsureKeys(t.Context()); err != nil {
			t.Fatal(err)
		}
		file, err := bureau.AddStation(t.Context(), "430702101", "桃花镇劳动保障站")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "enrol.json")
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		e, v := syncEnv(t, st)
		return &openForm{e: e, msgs: fixed(v.enrollMsgs),
			fields: []formField{{key: "file", entry: v.enrollPath, good: path, required: true}},
			save:   func() { test.Tap(v.enrollBtn) },
			state: func() string {
				ps, err := st.SyncBoard(t.Context(), fixedNow)
				return stateOf(t, len(ps), err)
			},
		}
	}},
	{"audit_search", func(t *testing.T) *openForm {
		st := newAccountStore(t)
		e := newTestEnv(t, st, fyne.NewSize(1100, 720))
		v := newAuditView(e, data.AuditQuery{})
		e.showForTest(v.content())
		v.load()
		e.wait()
		return &openForm{e: e, msgs: fixed(v.msgs), noSaves: true,
			fields: []formField{
				{key: "from", entry: v.from, good: "2026-01-01", kind: kindDate},
				{key: "to", entry: v.to, good: "2030-12-31", kind: kindDate},
			},
			save:  func() { test.Tap(v.search) },
			state: func() string { return fmt.Sprint(len(v.lines)) },
		}
	}},
	{"bureau_reply", func(t *testing.T) *openForm {
		bureau := ledgerBureau(t)
		station := newTestStore(t, false)
		file, err := bureau.AddStation(t.Context(), "430702103", "杏花镇劳动保障站")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := station.Enroll(t.Context(), file); err != nil {
			t.Fatal(err)
		}
		o := data.Opinion{Date: fixedNow.Format("2006-01-02"), Source: data.OpinionSources[0], Category: "其他", Content: "希望增加社保卡补办网点"}
		if err := station.AddOpinion(t.Context(), &o, data.SystemActor); err != nil {
			t.Fatal(err)
		}
		bwSync(t, station, bureau, "")
		e := newTestEnv(t, bureau, fyne.NewSize(1280, 900))
		v := newBureauView(e)
		v.reload()
		e.showForTest(v.card)
		v.tabs.SelectIndex(1) // 群众意见
		if len(v.replies) != 1 {
			t.Fatalf("%d opinions to answer", len(v.replies))
		}
		r := v.replies[0]
		return &openForm{e: e, msgs: fixed(r.msgs),
			fields: []formField{{key: "reply", entry: r.entry, good: "已在城区新增两个网点", required: true}},
			save:   func() { test.Tap(r.send) },
			state: func() string {
				ops, err := bureau.Opinions(t.Context(), data.OpinionFilter{Limit: 10})
				return stateOf(t, ops, err)
			},
		}
	}},
}

// syncEnv is the 数据同步 screen over st.
func syncEnv(t *testing.T, st *data.Store) (*Env, *syncView) {
	t.Helper()
	e := newTestEnv(t, st, fyne.NewSize(1280, 900))
	v := newSyncView(e)
	e.showForTest(v.content())
	v.reload()
	e.wait()
	return e, v
}

// accountsEnv is the accounts store with login signed in to a window.
func accountsEnv(t *testing.T, login, pw string) (*Env, *data.Store) {
	t.Helper()
	st := newAccountStore(t)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	withActor(e)
	a, err := st.SignIn(t.Context(), login, pw)
	if err != nil {
		t.Fatal(err)
	}
	sessionOf(e).set(a)
	t.Cleanup(func() { sessions.Delete(e) })
	return e, st
}

// passwordCase is the open new-password dialog.
func passwordCase(t *testing.T, e *Env, state func() string) *openForm {
	t.Helper()
	fd := lastForm(t, e)
	en := entriesIn(t, e)
	p1, p2 := en[len(en)-2], en[len(en)-1]
	return &openForm{e: e, msgs: fixed(fd.msgs),
		fields: []formField{
			{key: "password", entry: p1, good: "新的密码2026", kind: kindPassword, required: true, twin: p2},
			{key: "password2", entry: p2, good: "新的密码2026", kind: kindPassword},
		},
		save:  func() { test.Tap(fd.save) },
		state: state,
	}
}

func residentCase(t *testing.T, e *Env, f *residentForm, state func() string, id string) *openForm {
	t.Helper()
	if f == nil {
		t.Fatal("resident form not open")
	}
	return &openForm{e: e, msgs: fixed(f.msgs),
		fields: []formField{
			{key: "name", entry: f.name, good: "王秀英", required: true},
			{key: "id_number", entry: f.idn, good: id, kind: kindCode, required: true},
			{key: "phone", entry: f.phone, good: "13812345678", kind: kindCode},
			{key: "village", entry: &f.village.Entry, focus: f.village, good: "马家湾村"},
			{key: "address", entry: f.address, good: "马家湾村三组 12 号"},
			{key: "needs", entry: f.needs, good: "代办养老认证"},
			{key: "notes", entry: f.notes, good: "独居，耳背"},
		},
		fill:  func() { f.consent.SetChecked(true) },
		save:  func() { test.Tap(f.saveBtn) },
		state: state,
	}
}

// policyDetailEnv is the policy library showing a policy of the station's own.
func policyDetailEnv(t *testing.T) (*Env, *data.Store, *policyDetail, data.Policy) {
	t.Helper()
	st, _, ps := formStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 900))
	lib := newPolicyLibrary(e)
	e.showForTest(lib.root)
	lib.detail.open(ps[0].ID)
	e.wait()
	return e, st, lib.detail, ps[0]
}

func trainingEnv(t *testing.T) (*Env, *data.Store, *trainingUI) {
	t.Helper()
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 900))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	return e, st, u
}

// savedTraining is a special training session in the store.
func savedTraining(t *testing.T, st *data.Store) data.Training {
	t.Helper()
	tr := data.Training{Type: data.TrainingSpecial, Date: "2026-11-10", Start: "09:00", End: "11:30", Topic: "社保卡激活业务辅导"}
	if err := st.SaveTraining(t.Context(), &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func sessionCase(t *testing.T, e *Env, st *data.Store, ed *sessionEditor) *openForm {
	t.Helper()
	if ed == nil {
		t.Fatal("session editor not open")
	}
	return &openForm{e: e, msgs: fixed(ed.msgs),
		fields: []formField{
			{key: "date", entry: ed.date, good: "2026-11-12", kind: kindDate, required: true},
			{key: "start", entry: ed.start, good: "09:00", kind: kindTime}, // empty: the study time
			{key: "end", entry: ed.end, good: "11:30", kind: kindTime},     // empty: three hours after the start
			{key: "topic", entry: ed.topic, good: "城乡居民养老保险资格认证新规解读", required: true},
			{key: "speaker", entry: ed.speaker, good: "李建国"},
			{key: "place", entry: ed.place, good: "站会议室"},
			{key: "notes", entry: ed.notes, good: "请带笔记本"},
		},
		save: func() { test.Tap(ed.save) },
		state: func() string {
			ts, err := st.Trainings(t.Context(), "2000-01-01", "2099-12-31")
			return stateOf(t, ts, err)
		},
	}
}

// rotaEnv is the bureau's hall rota of November 2026, generated.
func rotaEnv(t *testing.T) (*Env, *data.Store, *rotaView) {
	t.Helper()
	st := ledgerBureau(t)
	offs, _ := st.Officers(t.Context(), true)
	if _, err := st.GenerateRota(t.Context(), "2026-11-01", "2026-11-30", []string{offs[0].ID, offs[1].ID}); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1400, 900))
	v := newRotaView(e)
	e.showForTest(v.content)
	v.load()
	e.wait()
	if len(v.duties) < 4 {
		t.Fatalf("rota has %d duties", len(v.duties))
	}
	return e, st, v
}

// namedFile is a material file with any name (the picker hands one over).
type namedFile struct {
	*strings.Reader
	uri fyne.URI
}

func (f namedFile) Close() error  { return nil }
func (f namedFile) URI() fyne.URI { return f.uri }

// A material's file name comes from the file picker, not the keyboard: a
// name with control characters or far too long is refused under the
// materials, and nothing is stored.
func TestFormsMaterialNameRefused(t *testing.T) {
	e, st, u := trainingEnv(t)
	tr := savedTraining(t, st)
	u.openSession(tr.ID)
	e.wait()
	ed := u.editor
	for _, name := range []string{"讲义\x00.pdf", "\x1b[31m讲义.pdf", "\u202efdp.exe", strings.Repeat("讲", 5000) + ".pdf"} {
		ed.addMaterialFrom(namedFile{strings.NewReader("%PDF-1.4"), storage.NewFileURI("/tmp/" + name)})
		e.wait()
		if m := ed.msgs.msg("material"); !m.Visible() || m.Text == "" || !onScreen(e, m) {
			t.Errorf("%.20q: no message under the materials (%q)", name, msgText(ed.msgs))
		}
		if ms, _ := st.Materials(t.Context(), tr.ID); len(ms) != 0 {
			t.Fatalf("%.20q stored", name)
		}
	}
	ed.addMaterialFrom(namedFile{strings.NewReader("%PDF-1.4"), storage.NewFileURI("/tmp/讲义.pdf")})
	e.wait()
	if ms, _ := st.Materials(t.Context(), tr.ID); len(ms) != 1 || msgText(ed.msgs) != "" {
		t.Fatalf("a good file: %d stored (%q)", len(ms), msgText(ed.msgs))
	}
}

// One refused form as the officer sees it: the resident form with an empty
// name. The picture goes to $STATIONDESK_SCREENSHOTS/forms-refused.png.
func TestFormsRefusalScreenshot(t *testing.T) {
	st, _, _ := formStation(t)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	test.Tap(svcButton(t, e.Win.Canvas().Content(), "新增服务对象"))
	f := u.residents.form
	f.idn.SetText(svcID("43070219400312002"))
	f.address.SetText("马家湾村三组 12 号")
	test.Tap(f.saveBtn)
	e.wait()
	if m := f.msgs.msg("name"); !m.Visible() || m.Text == "" {
		t.Fatalf("no message under the name: %q", msgText(f.msgs))
	}
	snap(t, e.Win, "forms-refused")
}
