package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// overlayButton is the button labelled exactly text on the topmost overlay (a dialog).
func overlayButton(t *testing.T, e *Env, text string) *widget.Button {
	t.Helper()
	top := e.Win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog shown")
	}
	var found *widget.Button
	bwWalk(top, func(c fyne.CanvasObject) {
		if b, ok := c.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q in the dialog:\n%s", text, bwTexts(top))
	}
	return found
}

// smallPair is a bureau and an enrolled station holding one resident: a
// bundle small enough for -race.
func smallPair(t *testing.T) (station, bureau *data.Store) {
	t.Helper()
	ctx := t.Context()
	station, bureau = newTestStore(t, false), newTestStore(t, false)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(bureau.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil))
	must(bureau.EnsureKeys(ctx))
	file, err := bureau.AddStation(ctx, "430702101", "桃花镇劳动保障站")
	must(err)
	_, err = station.Enroll(ctx, file)
	must(err)
	addServiceResident(t, station)
	return station, bureau
}

// TestOpenBundleAsksBeforeImport: a bundle double-clicked to start the
// program opens 数据同步 and asks; nothing is imported before the officer says
// yes, "not now" imports nothing, and a damaged file is refused with the reason.
func TestOpenBundleAsksBeforeImport(t *testing.T) {
	station, bureau := smallPair(t)
	r, err := station.ExportBundle(t.Context(), t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	residents := func() int {
		t.Helper()
		n, err := bureau.Stats(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return n["residents"]
	}
	OpenBundle(r.Path)
	e := newTestEnv(t, bureau, fyne.NewSize(1100, 800))
	e.showForTest(newShell(e)) // the main window as it starts, bundle named
	for _, answer := range []string{"暂不导入", "导入"} {
		if e.Current() != "sync" {
			t.Fatalf("screen %q, want 数据同步", e.Current())
		}
		q := bwTexts(e.Win.Canvas().Overlays().Top())
		for _, want := range []string{"导入同步包？", filepath.Base(r.Path), "发送方：桃花镇劳动保障站（430702101）", "现在导入吗？"} {
			if !strings.Contains(q, want) {
				t.Fatalf("the question lacks %q:\n%s", want, q)
			}
		}
		if residents() != 0 {
			t.Fatal("imported before the officer answered")
		}
		test.Tap(overlayButton(t, e, answer))
		e.wait()
		if answer == "暂不导入" {
			if residents() != 0 || e.Win.Canvas().Overlays().Top() != nil {
				t.Fatal("\"not now\" imported or left a dialog")
			}
			if takeOpenedBundle() != "" {
				t.Fatal("the bundle is offered a second time")
			}
			OpenBundle(r.Path) // double-clicked again
			offerOpenedBundle(e)
			e.wait()
			continue
		}
		if got := residents(); got != 1 {
			t.Fatalf("%d residents after yes, want 1", got)
		}
		if done := bwTexts(e.Win.Canvas().Overlays().Top()); !strings.Contains(done, "已导入：新增或更新") {
			t.Fatalf("result dialog:\n%s", done)
		}
	}

	// A damaged file is refused at once, with the reason; nothing is asked.
	bad := filepath.Join(t.TempDir(), "坏的"+data.BundleExt)
	if err := os.WriteFile(bad, []byte("not a bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	OpenBundle(bad)
	offerOpenedBundle(e)
	e.wait()
	if msg := bwTexts(e.Win.Canvas().Overlays().Top()); !strings.Contains(msg, "无法导入这个同步包") || !strings.Contains(msg, "拒绝：不是同步包文件") {
		t.Fatalf("refusal dialog:\n%s", msg)
	}
}
