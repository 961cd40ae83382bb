package app

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// TestSyncSendToAllGUI: 发送给全部站点 writes one bundle per station into the
// chosen folder in one action; the bureau reading that folder back skips its
// own bundles quietly; a station imports its own, named by its sender.
func TestSyncSendToAllGUI(t *testing.T) {
	n := newBureauNetOf(t, 8, 24)
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

// TestStaffAndHolidaysGUI: the bureau adds a leader in 设置 → 本单位人员 and
// ticks him on the duty rota; it enters a holiday, which the rota skips.
func TestStaffAndHolidaysGUI(t *testing.T) {
	n := newBureauNetOf(t, 8, 24)
	e := newTestEnv(t, n.bureau, fyne.NewSize(1280, 900))
	sv := newStaffView(e)
	e.showForTest(container.NewVScroll(sv.card))
	if !strings.Contains(bwTexts(sv.list), "还没有本单位人员") {
		t.Fatalf("staff list: %s", bwTexts(sv.list))
	}
	test.Type(sv.name, "周建华")
	sv.role.SetText("局领导")
	test.Type(sv.phone, "13873600001")
	test.Tap(sv.add)
	e.wait()
	if len(sv.shown) != 1 || sv.shown[0].Name != "周建华" || !strings.Contains(bwTexts(sv.list), "138****0001") {
		t.Fatalf("after adding: %+v %s", sv.shown, bwTexts(sv.list))
	}
	// A wrong phone is refused at its field, nothing added.
	test.Type(sv.name, "孙丽")
	test.Type(sv.phone, "12345")
	test.Tap(sv.add)
	e.wait()
	if len(sv.shown) != 1 || sv.msgs.msg("phone").Text == "" {
		t.Fatalf("a bad phone: %d shown, message %q", len(sv.shown), sv.msgs.msg("phone").Text)
	}
	rv := newRotaView(e)
	e.showForTest(rv.content)
	rv.load()
	e.wait()
	if len(rv.checks) != 1 || !strings.Contains(rv.checks[0].Text, "周建华") {
		t.Fatalf("rota offers %d leaders", len(rv.checks))
	}

	hv := newHolidaysView(e)
	e.showForTest(container.NewVScroll(hv.card))
	hv.year = 2027
	hv.load()
	e.wait()
	if !strings.Contains(hv.note.Text, "尚未录入") {
		t.Fatalf("2027 note: %q", hv.note.Text)
	}
	test.Type(hv.date, "2027-02-08")
	test.Type(hv.name, "春节")
	test.Tap(hv.set)
	e.wait()
	if !strings.Contains(bwTexts(hv.list), "2027-02-08") {
		t.Fatalf("holiday list: %s", bwTexts(hv.list))
	}
	got, err := n.bureau.GenerateRota(t.Context(), "2027-02-08", "2027-02-09", []string{sv.shown[0].ID})
	if err != nil || len(got) != 1 || got[0].Date != "2027-02-09" {
		t.Fatalf("rota over the entered holiday: %+v %v", got, err)
	}
	// A station reads the calendar but has no form.
	se := newTestEnv(t, n.stations[0], fyne.NewSize(1280, 900))
	shv := newHolidaysView(se)
	se.showForTest(container.NewVScroll(shv.card))
	if shv.set.Visible() && strings.Contains(bwTexts(shv.card), "保存这一天") {
		t.Fatal("a station can edit the holiday calendar")
	}
}

// TestBureauFitsAtLargestText: with stations, opinions and a conflict, every
// tab of the bureau's desk, the drill-down, 数据同步 and the staff and
// holiday cards need no more width at 特大 than the shell gives a screen.
func TestBureauFitsAtLargestText(t *testing.T) {
	withLargestText(t)
	n := newBureauNetOf(t, 8, 24)
	e := newTestEnv(t, n.bureau, fyne.NewSize(1280, 720))
	e.showForTest(newShell(e))
	room := e.shell.content.Size().Width
	if room < 900 {
		t.Fatalf("the shell gives a screen %.0f", room)
	}
	check := func(name string, o fyne.CanvasObject) {
		t.Helper()
		if w := o.MinSize().Width; w > room {
			t.Errorf("%s needs %.0f wide at 特大, has %.0f; widest rows: %s", name, w, room, widestRows(o, room))
		}
	}
	v := newBureauView(e)
	v.reload()
	e.wait()
	for i, tab := range v.tabs.Items {
		v.tabs.SelectIndex(i)
		check("bureau desk, tab "+tab.Text, v.card)
	}
	v.tabs.SelectIndex(0)
	test.Tap(bwButton(t, v.overview, "查看"))
	e.wait()
	check("drill-down", v.card)
	sv := newSyncView(e)
	c := sv.content()
	sv.reload()
	e.wait()
	check("数据同步", c)
	check("本单位人员", newStaffView(e).card)
	e.wait()
	check("节假日安排", newHolidaysView(e).card)
}

// TestBureauMergedListsByStation: at the bureau, 上门服务 and 群众意见 hold
// every station's records; a station filter narrows them and each row names
// its station; the default 经办人 is never a station's officer.
func TestBureauMergedListsByStation(t *testing.T) {
	n := newBureauNetOf(t, 8, 24)
	e := newTestEnv(t, n.bureau, fyne.NewSize(1280, 900))
	u := newServiceUI(e)
	e.showForTest(u.content())
	allResidents := u.residents.pager.total
	u.residents.station.sel.SetSelected("柳树镇劳动保障站")
	e.wait()
	var residents int
	n.bureau.Read().QueryRow(`SELECT count(*) FROM residents WHERE deleted = 0 AND origin = ?`, n.codes[1]).Scan(&residents)
	if got := u.residents.pager.total; got != residents || got == 0 || got >= allResidents {
		t.Fatalf("residents of one station: %d, want %d (all %d)", got, residents, allResidents)
	}
	u.tabs.SelectIndex(1)
	e.wait()
	if u.visits.station == nil {
		t.Fatal("no station filter on the bureau's visit list")
	}
	total := u.visits.pager.total
	u.visits.station.sel.SetSelected("柳树镇劳动保障站")
	e.wait()
	var want int
	n.bureau.Read().QueryRow(`SELECT count(*) FROM visits WHERE deleted = 0 AND origin = ?`, n.codes[1]).Scan(&want)
	if got := u.visits.pager.total; got != want || got == 0 || got >= total {
		t.Fatalf("visits of one station: %d, want %d (all %d)", got, want, total)
	}
	if v, ok := u.visits.pager.item(0); !ok || v.Origin != n.codes[1] {
		t.Fatalf("first row %+v", v)
	}
	if u.actor.Selected != "" {
		t.Fatalf("the bureau's default 经办人 is a station's officer: %q", u.actor.Selected)
	}

	ou := newOpinionsUI(e)
	e.showForTest(ou.content())
	all := ou.pager.total
	ou.station.sel.SetSelected("桃花镇劳动保障站")
	e.wait()
	n.bureau.Read().QueryRow(`SELECT count(*) FROM opinions WHERE deleted = 0 AND origin = ?`, n.codes[0]).Scan(&want)
	if got := ou.pager.total; got != want || got >= all {
		t.Fatalf("opinions of one station: %d, want %d (all %d)", got, want, all)
	}
	// At a station there is no station filter.
	se := newTestEnv(t, n.stations[0], fyne.NewSize(1280, 900))
	if su := newOpinionsUI(se); su.station != nil {
		t.Fatal("a station's opinion list has a station filter")
	}
}

// TestStationSeesTheSettlement: the station whose edit lost reads the
// bureau's decision in 数据同步 after importing the bureau's next bundle.
func TestStationSeesTheSettlement(t *testing.T) {
	n := newBureauNetOf(t, 8, 24)
	cs, err := n.bureau.Conflicts(t.Context(), false, 10)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v %v", cs, err)
	}
	if err := n.bureau.SettleConflict(t.Context(), cs[0].N, false, "王科长"); err != nil {
		t.Fatal(err)
	}
	bwSync(t, n.bureau, n.stations[0], n.codes[0])
	se := newTestEnv(t, n.stations[0], fyne.NewSize(1100, 800))
	sv := newSyncView(se)
	se.showForTest(container.NewVScroll(sv.content()))
	sv.reload()
	se.wait()
	got := bwTexts(sv.outcomes)
	if !strings.Contains(got, cs[0].Summary) || !strings.Contains(got, "王科长") || !strings.Contains(got, "区县人社局裁定保留") {
		t.Fatalf("the station reads %q", got)
	}
}

// TestBureauOpinionQueueByStation: the desk's queue counts every opinion
// waiting for a reply, and one station's when one is chosen.
func TestBureauOpinionQueueByStation(t *testing.T) {
	n, e, v := bureauEnv(t)
	var all, one int
	n.bureau.Read().QueryRow(`SELECT count(*) FROM opinions WHERE deleted = 0 AND status IN ('已记录', '已上报')`).Scan(&all)
	n.bureau.Read().QueryRow(`SELECT count(*) FROM opinions WHERE deleted = 0 AND status IN ('已记录', '已上报') AND origin = ?`, n.codes[1]).Scan(&one)
	if !strings.Contains(v.tabs.Items[1].Text, strconv.Itoa(all)) || all == 0 {
		t.Fatalf("tab %q, %d waiting", v.tabs.Items[1].Text, all)
	}
	v.tabs.SelectIndex(1)
	v.opStation.SetSelected("柳树镇劳动保障站")
	e.wait()
	text := bwTexts(v.opinions)
	if !strings.Contains(text, "待答复 "+strconv.Itoa(one)+" 条") || one >= all {
		t.Fatalf("one station's queue: %d of %d; shows %s", one, all, text)
	}
	if strings.Contains(text, "桃花镇劳动保障站") && !strings.Contains(text, "柳树镇劳动保障站") {
		t.Fatal("another station's opinion in the filtered queue")
	}
}
