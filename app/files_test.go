package app

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stationdesk/data"
)

// stubPrinter records what would go to the printer instead of printing.
func stubPrinter(t *testing.T) *[]string {
	t.Helper()
	var mu sync.Mutex
	var got []string
	old := printFile
	printFile = func(path string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, path)
		return "printer", nil
	}
	t.Cleanup(func() { printFile = old })
	return &got
}

// pdfText is the text of a PDF (pdftotext).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// inAppDialogs drives the in-app save dialog with HOME in a temp folder that
// has 桌面 and 文档.
func inAppDialogs(t *testing.T) string {
	t.Helper()
	old := nativeDialogs
	nativeDialogs = false
	t.Cleanup(func() { nativeDialogs = old })
	home := t.TempDir()
	for _, d := range []string{"桌面", "文档", ".hidden"} {
		if err := os.Mkdir(filepath.Join(home, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	return home
}

func TestInAppSaveDialogIsChineseAndStartsAtDesktop(t *testing.T) {
	home := inAppDialogs(t)
	if err := os.Mkdir(filepath.Join(home, "桌面", "报表"), 0o755); err != nil {
		t.Fatal(err)
	}
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	var got string
	chooseSave(e, "群众意见.xlsx", func(p string) { got = p })
	e.wait()
	c := lastChooser
	if len(c.places) < 3 || c.places[0].Label != "桌面" || c.places[1].Label != "文档" || c.places[len(c.places)-1].Label != "个人文件夹" {
		t.Fatalf("places: %+v", c.places)
	}
	if c.dir != filepath.Join(home, "桌面") || len(c.entries) != 1 || c.entries[0].Name() != "报表" {
		t.Fatalf("starts at %q with %v", c.dir, c.entries)
	}
	// Every text the dialog shows is Chinese (no Home, Computer, Save File).
	for _, s := range trainingTexts(e.Win.Canvas().Overlays().Top()) {
		for _, en := range []string{"Home", "Computer", "Save", "File", "Cancel"} {
			if strings.Contains(s, en) && !strings.Contains(s, home) {
				t.Errorf("English in the dialog: %q", s)
			}
		}
	}
	c.list.Select(0) // into 报表
	e.wait()
	c.file.SetText("十一月意见") // no extension typed: the export's is added
	test.Tap(c.save)
	if want := filepath.Join(home, "桌面", "报表", "十一月意见.xlsx"); got != want {
		t.Fatalf("saved to %q, want %q", got, want)
	}

	chooseSave(e, "a.pdf", func(p string) { got = p })
	e.wait()
	lastChooser.file.SetText("../b.pdf")
	got = ""
	test.Tap(lastChooser.save)
	if got != "" || !lastChooser.msg.Visible() {
		t.Fatalf("a name with a separator was taken: %q", got)
	}
}

func TestSavedMessageShowsWholePathAndOpens(t *testing.T) {
	home := inAppDialogs(t)
	st := serviceStation(t)
	addServiceResident(t, st)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newServiceUI(e)
	e.showForTest(u.content())
	u.residents.chooseExport()
	e.wait()
	test.Tap(lastChooser.save)
	e.wait()
	want := filepath.Join(home, "桌面", lastChooser.name)
	if lastSaved == nil || lastSaved.path != want {
		t.Fatalf("saved message for %v, want %s", lastSaved, want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
	if !trHasText(e.Win.Canvas().Overlays().Top(), "已保存到："+want) {
		t.Fatalf("message lacks the whole path: %q", trainingTexts(e.Win.Canvas().Overlays().Top()))
	}
	if lastSaved.open.Text != "打开" || lastSaved.folder.Text != "打开所在文件夹" {
		t.Fatal("no 打开 / 打开所在文件夹")
	}
}

func TestResidentSearchAsYouTypeAndNotFound(t *testing.T) {
	st := serviceStation(t)
	r := addServiceResident(t, st)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newServiceUI(e)
	e.showForTest(u.content())
	rt := u.residents
	test.Type(rt.search, "李德") // no Enter
	e.wait()
	if rt.pager.total != 1 || rt.empty.Visible() {
		t.Fatalf("typing 李德: %d found, empty shown %v", rt.pager.total, rt.empty.Visible())
	}
	test.Type(rt.search, "华")
	e.wait()
	if rt.pager.total != 0 || !rt.empty.Visible() || rt.notFound.Text != "没有找到“李德华”" {
		t.Fatalf("李德华: %d found, %q, shown %v", rt.pager.total, rt.notFound.Text, rt.empty.Visible())
	}
	test.Tap(rt.addFound)
	e.wait()
	if rt.form == nil || rt.form.name.Text != "李德华" {
		t.Fatal("新增服务对象 did not open the form with the name searched for")
	}
	_ = r
}

func TestEmptyPolicyLibrarySaysWherePoliciesComeFrom(t *testing.T) {
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	l := newPolicyLibrary(e)
	e.showForTest(l.root)
	if !l.emptyNote.Visible() || !strings.Contains(l.emptyNote.Text, "同步包") {
		t.Fatalf("empty library: %q shown %v", l.emptyNote.Text, l.emptyNote.Visible())
	}
	l.query.SetText("养老")
	e.wait()
	if l.emptyNote.Visible() {
		t.Fatal("a search with no hit explains the empty library")
	}
}

func TestTrainingCalendarOpensAtNextStudyDay(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 600))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	// fixedNow is 17 November: ten study days of the year lie before the next one (20 November).
	want := fyne.Min(u.nextOffset, u.calendar.Size().Height-u.calScroll.Size().Height) // at most scrolled to the end
	if u.nextOffset <= 0 || want <= 0 || u.calScroll.Offset.Y != want {
		t.Fatalf("calendar offset %v, want %v (next study day at %v)", u.calScroll.Offset.Y, want, u.nextOffset)
	}
}

func TestCalendarAttendanceOpensTheRoster(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newTrainingUI(e)
	e.showForTest(u.root)
	var nov data.StudyDay
	for _, d := range u.days {
		if d.Date.Month() == 10 {
			nov = d // October's, already past
		}
	}
	u.attendStudyDay(nov)
	e.wait()
	if u.attendance == nil || len(u.attendance.rows) != 3 || u.attendance.t.ID == "" {
		t.Fatal("出勤登记 did not open the roster of a saved session")
	}
}

// Saving over a file asks first, and an export that fails leaves the file it
// would have replaced as it was.
func TestSaveOverAFileAsksAndAFailedWriteKeepsIt(t *testing.T) {
	home := inAppDialogs(t)
	old := filepath.Join(home, "桌面", "月报.pdf")
	if err := os.WriteFile(old, []byte("上个月的月报"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	writes := 0
	saveDoc(e, "月报.pdf", "月报", func(ctx context.Context, path string) error {
		writes++
		return &data.Error{Kind: data.KindIO, Op: "write .pdf", Err: errors.New("disk full")}
	})
	e.wait()
	test.Tap(lastChooser.save)
	e.wait()
	if writes != 0 {
		t.Fatal("an existing file was replaced without asking")
	}
	replace := svcButton(t, e.Win.Canvas().Overlays().Top(), "替换")
	if !trHasText(e.Win.Canvas().Overlays().Top(), "“月报.pdf”已经存在。要用新文件替换它吗？") {
		t.Fatalf("no question before replacing: %q", trainingTexts(e.Win.Canvas().Overlays().Top()))
	}
	test.Tap(replace)
	e.wait()
	if writes != 1 {
		t.Fatalf("write called %d times after 替换", writes)
	}
	if got, err := os.ReadFile(old); err != nil || string(got) != "上个月的月报" {
		t.Fatalf("the failed export removed or changed the old file: %q %v", got, err)
	}
}
