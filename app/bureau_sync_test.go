package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// TestSyncSendToAllGUI: 发送给全部站点 writes one bundle per station into the
// chosen folder in one action; the bureau reading that folder back skips its
// own bundles quietly; a station imports its own, named by its sender.
func TestSyncSendToAllGUI(t *testing.T) {
	n := newBureauNet(t)
	e := newTestEnv(t, n.bureau, fyne.NewSize(1100, 800))
	v := newSyncView(e)
	e.showForTest(page(lang.L("数据同步"), v.content()))
	v.reload()
	e.wait()
	stick := t.TempDir()
	test.Type(v.outDir, stick)
	test.Tap(v.allBtn)
	e.wait()
	files, _ := filepath.Glob(filepath.Join(stick, "*"+data.BundleExt))
	if len(files) != 2 || v.exportBar.Value != 1 {
		t.Fatalf("%d bundles written, progress %v", len(files), v.exportBar.Value)
	}
	for _, name := range []string{"已为 2 个站点各写一个同步包", "桃花镇劳动保障站：", "柳树镇劳动保障站："} {
		if !strings.Contains(v.exportDone.Text, name) {
			t.Fatalf("summary %q lacks %q", v.exportDone.Text, name)
		}
	}
	// The same stick read back at the bureau: nothing red.
	test.Type(v.inPaths, stick)
	test.Tap(v.importBtn)
	e.wait()
	if got := resultTexts(v); !strings.Contains(got, "另有 2 个是本局发往站点的包，已跳过") || strings.Contains(got, "拒绝") {
		t.Fatalf("own bundles read back: %q", got)
	}
	for _, o := range v.results.Objects {
		if l, ok := o.(*widget.Label); ok && l.Importance == widget.DangerImportance {
			t.Fatalf("own bundle shown as a refusal: %q", l.Text)
		}
	}
	// Each station imports the whole stick: its own bundle, named by the bureau.
	for i, st := range n.stations {
		se := newTestEnv(t, st, fyne.NewSize(1100, 800))
		sv := newSyncView(se)
		se.showForTest(page(lang.L("数据同步"), sv.content()))
		sv.reload()
		se.wait()
		test.Type(sv.inPaths, stick)
		test.Tap(sv.importBtn)
		se.wait()
		got := resultTexts(sv)
		if !strings.Contains(got, "示例区人社局（第 ") || !strings.Contains(got, "已导入：") || strings.Contains(got, "拒绝") {
			t.Fatalf("station %d import: %q", i, got)
		}
	}
}
