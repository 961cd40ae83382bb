package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
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
