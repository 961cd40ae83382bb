package app

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// trainingStation is a set-up station with a roster of five, two of them
// from a neighbouring station (a joint training).
func trainingStation(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	roster := []data.Officer{{Name: "王秀英", Role: "站长"}, {Name: "李建国", Role: "劳保专干"}, {Name: "张志强", Role: "社区专干"}}
	if err := st.Setup(t.Context(), data.Identity{Role: data.RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, roster); err != nil {
		t.Fatal(err)
	}
	for _, o := range []data.Officer{{Name: "赵红霞", Role: "劳保专干", StationCode: "430702102"}, {Name: "陈美玲", Role: "组织委员", StationCode: "430702102"}} {
		if err := st.AddOfficer(t.Context(), &o); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// trainingDemo is the demo station with a year of study days, but few
// residents and visits: the training screens do not need them, and the
// machine running the tests is small.
func trainingDemo(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	if _, err := demo.Run(t.Context(), st, demo.Options{Residents: 5, Visits: 5, Policies: 12, Seed: 1, Until: fixedNow}); err != nil {
		t.Fatal(err)
	}
	return st
}

// trainingTexts collects every text shown under obj.
func trainingTexts(obj fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Card:
			out = append(out, x.Title)
			walk(x.Content)
		case *container.Scroll:
			walk(x.Content)
		case *container.AppTabs:
			if x.Selected() != nil {
				walk(x.Selected().Content)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	return out
}

func trHasText(obj fyne.CanvasObject, want string) bool {
	for _, s := range trainingTexts(obj) {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func trStatuses(v *attendanceView) map[string]data.AttendanceStatus {
	out := map[string]data.AttendanceStatus{}
	for _, e := range v.entries {
		out[e.Name] = e.Status
	}
	return out
}

func trRowOf(t *testing.T, v *attendanceView, name string) *attendanceRow {
	t.Helper()
	for i, e := range v.entries {
		if e.Name == name {
			return v.rows[i]
		}
	}
	t.Fatalf("%s is not on the roster", name)
	return nil
}

func TestTrainingAttendanceTapSaveReopen(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	if len(u.days) != 12 {
		t.Fatalf("calendar shows %d study days", len(u.days))
	}
	// Log November's study day from the calendar: topic, then 出勤登记.
	nov := u.days[10]
	if nov.Date.Format("2006-01-02") != "2026-11-20" {
		t.Fatalf("November study day %s", nov.Date)
	}
	u.openStudyDay(nov)
	e.wait()
	ed := u.editor
	if ed == nil || ed.date.Text != "2026-11-20" || ed.start.Text != "14:30" {
		t.Fatalf("editor not opened for the study day: %+v", ed)
	}
	test.Tap(ed.attend) // no topic yet: refused, nothing saved
	e.wait()
	if m := ed.msgs.msg("topic"); u.attendance != nil || !m.Visible() || !strings.Contains(m.Text, "主题") {
		t.Fatalf("saved without a topic (message %q)", msgText(ed.msgs))
	}
	test.Type(ed.topic, "城乡居民养老保险资格认证新规解读")
	test.Type(ed.place, "站会议室")
	test.Tap(ed.attend)
	e.wait()
	v := u.attendance
	if v == nil {
		t.Fatalf("attendance did not open (status %q)", ed.status.Text)
	}
	e.wait()
	if len(v.rows) != 3 || !v.others.Visible() || v.others.Checked {
		t.Fatalf("study day roster shows %d officers, want this station's 3", len(v.rows))
	}
	test.Tap(trRowOf(t, v, "李建国").choices[3]) // 缺席, kept while the roster grows
	test.Tap(v.others)                        // the neighbouring station joins
	if len(v.rows) != 5 || trStatuses(v)["李建国"] != data.Absent {
		t.Fatalf("joint roster shows %d officers, want 5 from both stations", len(v.rows))
	}
	test.Tap(trRowOf(t, v, "李建国").choices[0])
	for name, s := range trStatuses(v) {
		if s != data.Present {
			t.Fatalf("%s defaults to %s", name, s)
		}
	}
	if !trHasText(u.root, "应到 5 人：出席 5") || !trHasText(u.root, "430702102") {
		t.Fatalf("summary or station missing: %q", trainingTexts(u.root))
	}
	// One tap per person.
	test.Tap(trRowOf(t, v, "李建国").choices[3]) // 缺席
	test.Tap(trRowOf(t, v, "赵红霞").choices[1]) // 迟到
	leave := trRowOf(t, v, "张志强")
	if leave.reason.Visible() {
		t.Fatal("the leave reason shows before 请假 is chosen")
	}
	test.Tap(leave.choices[2]) // 请假
	if !leave.reason.Visible() {
		t.Fatal("no leave reason entry after 请假")
	}
	test.Type(leave.reason, "下村入户")
	test.Tap(trRowOf(t, v, "陈美玲").choices[3]) // 缺席, then changed back
	test.Tap(trRowOf(t, v, "陈美玲").choices[0])
	if !trHasText(u.root, "出席 2，迟到 1，请假 1，缺席 1") {
		t.Fatalf("summary after taps: %q", v.summary.Text)
	}
	test.Tap(v.save)
	e.wait()
	if v.status.Text != "出勤已保存" {
		t.Fatalf("save status %q", v.status.Text)
	}

	// Reopen through the session list: the statuses come back from the database.
	u.showTabs()
	e.wait()
	u.tabs.SelectIndex(1)
	e.wait()
	if len(u.sessions.items) != 1 || u.sessions.items[0].Recorded != 5 {
		t.Fatalf("session list = %+v", u.sessions.items)
	}
	u.sessions.list.Select(0)
	e.wait()
	test.Tap(u.editor.attend)
	e.wait()
	v2 := u.attendance
	if v2 == v {
		t.Fatal("attendance not reopened")
	}
	want := map[string]data.AttendanceStatus{"王秀英": data.Present, "李建国": data.Absent, "张志强": data.Leave, "赵红霞": data.Late, "陈美玲": data.Present}
	got := trStatuses(v2)
	for name, s := range want {
		if got[name] != s {
			t.Errorf("%s came back as %s, want %s", name, got[name], s)
		}
	}
	if r := trRowOf(t, v2, "张志强"); r.reason.Text != "下村入户" || r.choices[2].Importance != widget.HighImportance {
		t.Errorf("leave row came back as %q / %v", r.reason.Text, r.choices[2].Importance)
	}
	if r := trRowOf(t, v2, "李建国"); r.choices[3].Importance != widget.DangerImportance || r.choices[0].Importance != widget.LowImportance {
		t.Errorf("absent row not marked")
	}
	// And straight from the store.
	rows, _ := st.Attendance(t.Context(), v2.t.ID)
	for _, r := range rows {
		if !r.Recorded || r.Status != want[r.Name] {
			t.Errorf("stored %s = %s (recorded %v)", r.Name, r.Status, r.Recorded)
		}
	}
}

func TestTrainingCalendarMarksMovedDays(t *testing.T) {
	st := trainingStation(t)
	ctx := t.Context()
	if _, err := st.MoveStudyDay(ctx, time.Date(2026, 2, 20, 0, 0, 0, 0, time.Local), time.Date(2026, 2, 27, 0, 0, 0, 0, time.Local), "春节假期，顺延一周"); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	if !trHasText(u.calendar, "已调整：原定2月20日，春节假期，顺延一周") || !trHasText(u.calendar, "2月27日") {
		t.Fatalf("moved day not marked: %q", trainingTexts(u.calendar))
	}
	if !trHasText(u.calendar, "下一次") {
		t.Fatal("next study day not marked")
	}
	if trHasText(u.calendar, "2月20日 星期五") {
		t.Fatal("the moved-away date is still listed as a study day")
	}
	u.setYear(2027)
	e.wait()
	if !trHasText(u.calendar, "1月15日") || trHasText(u.calendar, "已调整") {
		t.Fatalf("2027: %q", trainingTexts(u.calendar))
	}
}

func TestTrainingHomePanel(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(newShell(e))
	if e.Current() != "home" {
		t.Fatalf("opened on %q on a normal day", e.Current())
	}
	if !trHasText(e.Win.Content(), "下一次：2026年11月20日（星期五） 14:30–17:30  还有 3 天") {
		t.Fatalf("home lacks the next study day: %q", trainingTexts(e.Win.Content()))
	}
	if !trHasText(e.Win.Content(), "还没有登记过学习日出勤") {
		t.Fatal("home lacks the last attendance line")
	}
}

func TestTrainingOpensOnMovedStudyDay(t *testing.T) {
	st := trainingStation(t)
	// November's study day moved to today (fixedNow, the 17th): the app opens on it, once.
	if _, err := st.MoveStudyDay(t.Context(), time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local), time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local), "区局督导"); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(newShell(e))
	if e.Current() != "training" {
		t.Fatalf("opened on %q on the study day", e.Current())
	}
	e.Show("home")
	e.wait()
	if e.Current() != "home" {
		t.Fatalf("home bounced to %q again", e.Current())
	}
	if !trHasText(e.Win.Content(), "就是今天") || !trHasText(e.Win.Content(), "已调整：原定11月20日，区局督导") {
		t.Fatalf("home: %q", trainingTexts(e.Win.Content()))
	}
}

func TestTrainingFiguresChart(t *testing.T) {
	st := trainingDemo(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	u.tabs.SelectIndex(2)
	e.wait()
	f := u.figures.f
	if f.Total.Sessions == 0 || len(f.Officers) != 8 {
		t.Fatalf("figures = %+v", f.Total)
	}
	// One column per month, each drawn with rectangles whose fill follows the rate.
	chart := u.figures.months.Objects[0].(*fyne.Container)
	if len(chart.Objects) != 12 {
		t.Fatalf("%d columns", len(chart.Objects))
	}
	rects := 0
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Rectangle:
			rects++
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(chart)
	if rects != 24 {
		t.Fatalf("%d rectangles in the month chart, want 24", rects)
	}
	if len(u.figures.people.Objects) != len(f.Officers) {
		t.Fatalf("%d officer rows for %d officers", len(u.figures.people.Objects), len(f.Officers))
	}
	if !trHasText(u.figures.content, "出勤率") {
		t.Fatal("no rate shown")
	}
}

func TestTrainingSessionEditorLinksPolicies(t *testing.T) {
	st := trainingDemo(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	u.tabs.SelectIndex(1)
	e.wait()
	test.Tap(u.sessions.add)
	e.wait()
	ed := u.editor
	test.Type(ed.topic, "失业保险稳岗返还政策专题培训")
	choices, err := st.PolicyChoices(t.Context(), "", 2)
	if err != nil || len(choices) == 0 {
		t.Skipf("no policies to link: %v", err)
	}
	ed.policies = choices
	ed.showPolicies()
	test.Tap(ed.save)
	e.wait()
	if ed.t.ID == "" {
		t.Fatalf("not saved: %q", ed.status.Text)
	}
	back, _ := st.Training(t.Context(), ed.t.ID)
	if len(back.PolicyIDs) != len(choices) || back.PolicyIDs[0] != choices[0].ID || back.Type != data.TrainingSpecial {
		t.Fatalf("saved = %+v", back)
	}
	u.openSession(back.ID)
	e.wait()
	if !trHasText(u.root, choices[0].Title) {
		t.Fatal("linked policy not shown on reopening")
	}
}

func TestScreenshotsTraining(t *testing.T) {
	st := trainingDemo(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(newShell(e))
	snap(t, e.Win, "training-home")
	e.Show("training")
	e.wait()
	u := newTrainingUI(e)
	e.shell.content.Objects = []fyne.CanvasObject{u.root}
	e.shell.content.Refresh()
	e.wait()
	snap(t, e.Win, "training-calendar")

	last, ok, err := st.LastStudyDay(t.Context(), fixedNow)
	if err != nil || !ok {
		t.Fatalf("no study day in the demo: %v", err)
	}
	u.showAttendance(last.Training)
	e.wait()
	if len(u.attendance.rows) == 0 {
		t.Fatal("empty roster")
	}
	snap(t, e.Win, "training-attendance")

	u.showTabs()
	u.tabs.SelectIndex(2)
	e.wait()
	snap(t, e.Win, "training-figures")

	u.tabs.SelectIndex(1)
	e.wait()
	u.openSession(last.ID)
	e.wait()
	snap(t, e.Win, "training-session")
}

func TestTrainingExportsWriteOffTheEventThread(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	tr := data.Training{Type: data.TrainingCoaching, Date: "2026-11-10", Start: "15:00", End: "16:30", Topic: "社保卡激活业务辅导", Place: "站会议室"}
	if err := st.SaveTraining(t.Context(), &tr); err != nil {
		t.Fatal(err)
	}
	home := inAppDialogs(t)
	for _, c := range []struct {
		export func(*Env, data.Training)
		sig    string
	}{
		{exportSignInSheet, "%PDF"},
		{exportAttendance, "PK"},
	} {
		c.export(e, tr)
		e.wait()
		test.Tap(lastChooser.save)
		e.wait()
		path := filepath.Join(home, "桌面", lastChooser.name)
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, []byte(c.sig)) {
			t.Fatalf("%s: %d bytes, %v", path, len(b), err)
		}
		if lastSaved == nil || lastSaved.path != path {
			t.Fatalf("no message naming %s", path)
		}
		// Written by data like every export: private, under a fresh name.
		if fi, err := os.Stat(path); err != nil {
			t.Fatal(err)
		} else if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, want 0600", path, fi.Mode().Perm())
		}
	}
	if got := trExportName("签到表", tr, ".pdf"); got != "签到表-2026-11-10-社保卡激活业务辅导.pdf" {
		t.Fatalf("export name %q", got)
	}
}

// trFind collects the widgets of type T under obj (dialogs included when obj is an overlay).
func trFind[T fyne.CanvasObject](obj fyne.CanvasObject) []T {
	var out []T
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	return out
}

func TestTrainingMoveDialog(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	u.askMove(u.days[11]) // December: 2026-12-18
	top := e.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	entries := trFind[*widget.Entry](top)
	if len(entries) != 2 || entries[0].Text != "2026-12-18" {
		t.Fatalf("dialog entries: %d", len(entries))
	}
	entries[0].SetText("2026-12-25")
	test.Type(entries[1], "与年终考核冲突")
	var save *widget.Button
	for _, b := range trFind[*widget.Button](top) {
		if b.Text == "保存" {
			save = b
		}
	}
	if save == nil {
		t.Fatal("no 保存 button")
	}
	test.Tap(save)
	e.wait()
	dec := u.days[11]
	if dec.Date.Format("2006-01-02") != "2026-12-25" || dec.MoveReason != "与年终考核冲突" || dec.MovedFrom.Format("2006-01-02") != "2026-12-18" {
		t.Fatalf("December after the move: %+v", dec)
	}
	if !trHasText(u.calendar, "已调整：原定12月18日，与年终考核冲突") {
		t.Fatal("calendar does not show the move")
	}
}

func TestTrainingSettingsStudyTime(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1000, 700))
	s := newTrainingSettings(e)
	e.showForTest(s.card)
	if s.start.Text != "14:30" {
		t.Fatalf("start shows %q", s.start.Text)
	}
	s.start.SetText("")
	test.Type(s.start, "下午三点")
	test.Tap(s.save)
	e.wait()
	if got, _ := st.StudyTime(t.Context()); got != "14:30" || !strings.Contains(s.msgs.msg("time").Text, "时:分") {
		t.Fatalf("bad time stored %q (message %q)", got, msgText(s.msgs))
	}
	s.start.SetText("")
	test.Type(s.start, "15:00")
	test.Tap(s.save)
	e.wait()
	if got, _ := st.StudyTime(t.Context()); got != "15:00" {
		t.Fatalf("stored %q", got)
	}
	days, _ := st.StudyCalendar(t.Context(), 2026)
	if days[0].Start != "15:00" || days[0].End != "18:00" {
		t.Fatalf("calendar ignores the new time: %+v", days[0])
	}
}
