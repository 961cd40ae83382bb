package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// syncPair is a demo station enrolled with a fresh bureau.
func syncPair(t *testing.T) (station, bureau *data.Store) {
	t.Helper()
	station = newTestStore(t, true) // the demo station, set up on its own
	bureau = newTestStore(t, false)
	ctx := t.Context()
	if err := bureau.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := bureau.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	id, _, _ := station.Identity(ctx)
	file, err := bureau.AddStation(ctx, id.Code, id.Name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := station.Enroll(ctx, file); err != nil {
		t.Fatal(err)
	}
	for _, s := range [][2]string{{"430702102", "柳树镇劳动保障站"}, {"430702103", "石门镇劳动保障站"}} {
		if _, err := bureau.AddStation(ctx, s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	return station, bureau
}

func resultTexts(v *syncView) string {
	var out []string
	for _, o := range v.results.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestSyncScreenExportImport exports from a station through its screen and
// imports at the bureau through the bureau's, twice.
func TestSyncScreenExportImport(t *testing.T) {
	station, bureau := syncPair(t)
	dir := t.TempDir()

	e := newTestEnv(t, station, fyne.NewSize(1100, 800))
	v := newSyncView(e)
	e.showForTest(page(lang.L("数据同步"), v.content()))
	v.reload()
	e.wait()
	if v.exportBtn.Disabled() {
		t.Fatal("an enrolled station cannot export")
	}
	test.Type(v.outDir, dir)
	test.Tap(v.exportBtn)
	e.wait()
	if !strings.HasPrefix(v.exportDone.Text, "共 ") || !strings.Contains(v.exportDone.Text, dir) {
		t.Fatalf("export summary %q", v.exportDone.Text)
	}
	if v.exportBar.Value != 1 {
		t.Fatalf("progress %v after export", v.exportBar.Value)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"+data.BundleExt))
	if len(files) != 1 {
		t.Fatalf("%d bundles written", len(files))
	}

	be := newTestEnv(t, bureau, fyne.NewSize(1100, 800))
	bv := newSyncView(be)
	be.showForTest(page(lang.L("数据同步"), bv.content()))
	bv.reload()
	be.wait()
	test.Type(bv.inPaths, dir)
	test.Tap(bv.importBtn)
	be.wait()
	if got := resultTexts(bv); !strings.Contains(got, "已导入：") {
		t.Fatalf("first import says %q", got)
	}
	want, _ := station.Stats(t.Context())
	got, _ := bureau.Stats(t.Context())
	if got["visits"] != want["visits"] || got["residents"] != want["residents"] || want["visits"] == 0 {
		t.Fatalf("bureau has %v, station %v", got, want)
	}
	test.Tap(bv.importBtn)
	be.wait()
	if got := resultTexts(bv); !strings.Contains(got, "已导入过，跳过") {
		t.Fatalf("second import says %q", got)
	}
	// A damaged file is refused, in words.
	b, _ := os.ReadFile(files[0])
	b[len(b)/2] ^= 1
	bad := filepath.Join(t.TempDir(), "bad"+data.BundleExt)
	os.WriteFile(bad, b, 0o600)
	bv.inPaths.SetText(bad)
	test.Tap(bv.importBtn)
	be.wait()
	if got := resultTexts(bv); !strings.Contains(got, "拒绝：") {
		t.Fatalf("damaged import says %q", got)
	}
	// The board shows the station's bundle.
	if !strings.Contains(boardText(bv), "桃花") && !strings.Contains(boardText(bv), "示例镇") {
		t.Fatalf("board: %s", boardText(bv))
	}
}

func boardText(v *syncView) string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(v.board)
	return strings.Join(out, " ")
}

func TestSyncScreenUnenrolledStation(t *testing.T) {
	st := newTestStore(t, true)
	e := newTestEnv(t, st, fyne.NewSize(1100, 800))
	v := newSyncView(e)
	e.showForTest(page(lang.L("数据同步"), v.content()))
	v.reload()
	e.wait()
	if !v.exportBtn.Disabled() || !v.enrollCard.Visible() {
		t.Fatal("an unenrolled station should be offered enrolment, not export")
	}
}

func TestScreenshotsSync(t *testing.T) {
	station, bureau := syncPair(t)
	dir := t.TempDir()
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
	v.outDir.SetText(`E:\同步包`)
	v.inPaths.SetText(`E:\同步包\430702101-430702-000001.stbundle`)
	snap(t, e.Win, "sync")
}
