package app

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	xcontainer "fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// bureauNet is a bureau with two demo stations whose bundles it imported,
// and a conflict on one visit waiting to be settled.
type bureauNet struct {
	bureau   *data.Store
	stations []*data.Store
	codes    []string
	visitID  string
}

func bwEdit(t *testing.T, st *data.Store, q string, args ...any) {
	t.Helper()
	if err := st.Write(t.Context(), func(tx *sql.Tx) error { _, err := tx.Exec(q, args...); return err }); err != nil {
		t.Fatal(err)
	}
}

func bwSync(t *testing.T, from, to *data.Store, station string) {
	t.Helper()
	r, err := from.ExportBundle(t.Context(), t.TempDir(), station, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := to.ImportBundle(t.Context(), r.Path); err != nil || res.Status != "imported" {
		t.Fatalf("import: %+v %v", res, err)
	}
}

func newBureauNet(t *testing.T) *bureauNet { t.Helper(); return newBureauNetOf(t, 30, 120) }

// newBureauNetOf is newBureauNet with residents and visits per station
// (small under -race, where each record costs).
func newBureauNetOf(t *testing.T, residents, visits int) *bureauNet {
	t.Helper()
	ctx := t.Context()
	n := &bureauNet{bureau: newTestStore(t, false)}
	if err := n.bureau.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := n.bureau.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"桃花镇劳动保障站", "柳树镇劳动保障站"} {
		code := []string{"430702101", "430702102"}[i]
		file, err := n.bureau.AddStation(ctx, code, name)
		if err != nil {
			t.Fatal(err)
		}
		st := newTestStore(t, false)
		if _, err := st.Enroll(ctx, file); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Run(ctx, st, demo.Options{Residents: residents, Visits: visits, Policies: 3, Seed: uint64(21 + i), Until: fixedNow}); err != nil {
			t.Fatal(err)
		}
		bwSync(t, st, n.bureau, "")
		n.stations = append(n.stations, st)
		n.codes = append(n.codes, code)
	}
	// Both sides change the same visit's notes between bundles: a conflict at the bureau.
	n.bureau.Read().QueryRow(`SELECT id FROM visits WHERE origin = ? ORDER BY id LIMIT 1`, n.codes[0]).Scan(&n.visitID)
	bwEdit(t, n.stations[0], `UPDATE visits SET notes = '站点：老人已入院，改日再访' WHERE id = ?`, n.visitID)
	bwEdit(t, n.bureau, `UPDATE visits SET notes = '局端：已电话核实' WHERE id = ?`, n.visitID)
	bwSync(t, n.stations[0], n.bureau, "")
	return n
}

func bwWalk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			bwWalk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			bwWalk(c, fn)
		}
	}
}

func bwTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	bwWalk(o, func(c fyne.CanvasObject) {
		if l, ok := c.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

func bwButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	bwWalk(o, func(c fyne.CanvasObject) {
		if b, ok := c.(*widget.Button); ok && found == nil && strings.Contains(b.Text, text) {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func bureauEnv(t *testing.T) (*bureauNet, *Env, *bureauView) {
	n := newBureauNet(t)
	e := newTestEnv(t, n.bureau, fyne.NewSize(1280, 900))
	v := newBureauView(e)
	v.reload()
	e.showForTest(v.card)
	return n, e, v
}

func countRects(o fyne.CanvasObject) int {
	n := 0
	bwWalk(o, func(c fyne.CanvasObject) {
		if _, ok := c.(*canvas.Rectangle); ok {
			n++
		}
	})
	return n
}

func TestBureauOverviewGUI(t *testing.T) {
	n, _, v := bureauEnv(t)
	ov, err := n.bureau.BureauOverview(t.Context(), "2026-11", fixedNow, data.DefaultStaleDays)
	if err != nil {
		t.Fatal(err)
	}
	text := bwTexts(v.overview)
	for _, want := range []string{"桃花镇劳动保障站", "柳树镇劳动保障站", "合计", "2026年各月上门服务次数"} {
		if !strings.Contains(text, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	if ov.MonthAll.Visits == 0 || !strings.Contains(text, "\n"+strconv.Itoa(ov.MonthAll.Visits)+"\n") {
		t.Errorf("overview does not show the month's %d visits", ov.MonthAll.Visits)
	}
	bars := countRects(v.overview)
	if bars < 24 {
		t.Errorf("%d chart rectangles, want a bar per month and station", bars)
	}
	if !strings.Contains(v.monthText.Text, "2026年11月") {
		t.Errorf("month %q", v.monthText.Text)
	}
	test.Tap(bwButton(t, v.card, "")) // previous month
	v.e.wait()
	if !strings.Contains(v.monthText.Text, "2026年10月") {
		t.Errorf("after the back button: %q", v.monthText.Text)
	}
}

func TestBureauDrillDownGUI(t *testing.T) {
	n, e, v := bureauEnv(t)
	test.Tap(bwButton(t, v.overview, "查看"))
	e.wait()
	text := bwTexts(v.overview)
	var name, idn string
	n.stations[0].Read().QueryRow(`SELECT name, id_number FROM residents ORDER BY village, name, id LIMIT 1`).Scan(&name, &idn)
	if !strings.Contains(text, name) || !strings.Contains(text, data.MaskIDNumber(idn)) {
		t.Fatalf("drill-down lacks the first resident %s (masked number)", name)
	}
	if strings.Contains(text, idn) {
		t.Fatal("the drill-down shows a full ID number")
	}
	var tabs *xcontainer.AppTabs
	bwWalk(v.overview, func(c fyne.CanvasObject) {
		if a, ok := c.(*xcontainer.AppTabs); ok {
			tabs = a
		}
	})
	if tabs == nil || len(tabs.Items) != 4 || tabs.Items[0].Text != "服务对象（30）" {
		t.Fatal("drill-down tabs missing or miscounted")
	}
	test.Tap(bwButton(t, v.overview, "返回各站概况"))
	e.wait()
	if !strings.Contains(bwTexts(v.overview), "柳树镇劳动保障站") {
		t.Fatal("back did not return to the overview")
	}
}

func TestBureauSettleConflictGUI(t *testing.T) {
	n, e, v := bureauEnv(t)
	v.tabs.SelectIndex(2)
	text := bwTexts(v.conflicts.box)
	if !strings.Contains(text, "站点：老人已入院，改日再访") || !strings.Contains(text, "局端：已电话核实") {
		t.Fatalf("conflict not side by side: %s", text)
	}
	if !strings.Contains(text, "本局") || !strings.Contains(text, "桃花镇劳动保障站") || !strings.Contains(text, "备注") {
		t.Fatalf("conflict does not name the sides and the field: %s", text)
	}
	test.Tap(bwButton(t, v.conflicts.box, "改用"))
	// Nothing is settled before the confirmation.
	if open, _ := n.bureau.Conflicts(t.Context(), false, 10); len(open) != 1 {
		t.Fatalf("settled without asking: %d open", len(open))
	}
	test.Tap(bwButton(t, e.Win.Canvas().Overlays().Top(), "确认"))
	e.wait()
	if open, _ := n.bureau.Conflicts(t.Context(), false, 10); len(open) != 0 {
		t.Fatalf("still open after settling: %d", len(open))
	}
	if !strings.Contains(bwTexts(v.conflicts.box), "没有待裁定的冲突") {
		t.Fatal("the settled conflict is still listed")
	}
	// 撤销 takes it back: open again, the record as before.
	var taken string
	n.bureau.Read().QueryRow(`SELECT notes FROM visits WHERE id = ?`, n.visitID).Scan(&taken)
	test.Tap(bwButton(t, v.conflicts.box, "撤销"))
	e.wait()
	if open, _ := n.bureau.Conflicts(t.Context(), false, 10); len(open) != 1 {
		t.Fatalf("undo left %d open conflicts", len(open))
	}
	var back string
	n.bureau.Read().QueryRow(`SELECT notes FROM visits WHERE id = ?`, n.visitID).Scan(&back)
	if back == taken {
		t.Fatalf("undo left the record at %q", back)
	}
	test.Tap(bwButton(t, v.conflicts.box, "改用"))
	test.Tap(bwButton(t, e.Win.Canvas().Overlays().Top(), "确认"))
	e.wait()
	// The choice travels down.
	var want string
	n.bureau.Read().QueryRow(`SELECT notes FROM visits WHERE id = ?`, n.visitID).Scan(&want)
	bwSync(t, n.bureau, n.stations[0], n.codes[0])
	var got string
	n.stations[0].Read().QueryRow(`SELECT notes FROM visits WHERE id = ?`, n.visitID).Scan(&got)
	if got != want {
		t.Fatalf("station has %q, bureau settled on %q", got, want)
	}
}

func TestBureauAnswerOpinionGUI(t *testing.T) {
	n, e, v := bureauEnv(t)
	v.tabs.SelectIndex(1)
	var entry *widget.Entry
	bwWalk(v.opinions, func(c fyne.CanvasObject) {
		if en, ok := c.(*widget.Entry); ok && entry == nil {
			entry = en
		}
	})
	if entry == nil {
		t.Fatal("no reply field in the opinion queue")
	}
	before, _ := n.bureau.OpinionQueue(t.Context(), "", "已答复", 1000)
	test.Type(entry, "已转区医保局办理")
	test.Tap(bwButton(t, v.opinions, "答复"))
	e.wait()
	after, _ := n.bureau.OpinionQueue(t.Context(), "", "已答复", 1000)
	if len(after) != len(before)+1 {
		t.Fatalf("answered: %d before, %d after", len(before), len(after))
	}
	// An answered opinion is closed (办结) by the bureau too.
	closed, _ := n.bureau.CountOpinions(t.Context(), data.OpinionFilter{})
	test.Tap(bwButton(t, v.opinions, "办结"))
	e.wait()
	now, _ := n.bureau.CountOpinions(t.Context(), data.OpinionFilter{})
	if now["已办结"] != closed["已办结"]+1 || now["已答复"] != closed["已答复"]-1 {
		t.Fatalf("办结: before %v, after %v", closed, now)
	}
}

func TestBureauPanelOnlyAtBureau(t *testing.T) {
	st := newTestStore(t, true)
	e := newTestEnv(t, st, fyne.NewSize(800, 600))
	if c, ok := bureauHomePanel(e).(*fyne.Container); !ok || len(c.Objects) != 0 {
		t.Fatal("a station shows the bureau's desk")
	}
}

func TestScreenshotsBureau(t *testing.T) {
	n, e, v := bureauEnv(t)
	e.Win.SetContent(xcontainer.NewVScroll(v.card))
	e.wait()
	snap(t, e.Win, "bureau-overview")
	v.tabs.SelectIndex(2)
	e.wait()
	snap(t, e.Win, "bureau-conflict")
	v.tabs.SelectIndex(0)
	test.Tap(bwButton(t, v.overview, "查看"))
	e.wait()
	snap(t, e.Win, "bureau-drilldown")
	home := homeScreen(e)
	e.showForTest(home)
	snap(t, e.Win, "bureau-home")
	// 设置 → 本单位人员 with two leaders, and the holiday calendar.
	for _, o := range []data.Officer{{Name: "周建华", Role: "局领导", Phone: "13873600001"}, {Name: "孙丽", Role: "局领导", Phone: "13873600002"}, {Name: "王敏", Role: "科室干部"}} {
		if err := n.bureau.AddOfficer(t.Context(), &o); err != nil {
			t.Fatal(err)
		}
	}
	staff := newStaffView(e)
	hol := newHolidaysView(e)
	e.showForTest(xcontainer.NewVScroll(xcontainer.NewVBox(staff.card, hol.card)))
	snap(t, e.Win, "bureau-staff")
	dir := os.Getenv("STATIONDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	pdf := filepath.Join(t.TempDir(), "月报.pdf")
	if _, err := n.bureau.SaveMonthlyPDF(context.Background(), "2026-10", fixedNow, pdf); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, filepath.Join(dir, "bureau-report")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
}

func TestBureauReportButtons(t *testing.T) {
	_, e, v := bureauEnv(t)
	dir := t.TempDir()
	for _, ext := range []string{".xlsx", ".pdf"} {
		path := filepath.Join(dir, "月报"+ext)
		v.saveReport("2026-11", ext, path)
		e.wait()
		if fi, err := os.Stat(path); err != nil || fi.Size() < 1000 {
			t.Fatalf("%s not written: %v", ext, err)
		}
		// The saved message names the whole path and offers to open it.
		if lastSaved == nil || lastSaved.path != path || lastSaved.open == nil {
			t.Fatalf("%s: no saved message with 打开: %+v", ext, lastSaved)
		}
	}
	test.Tap(bwButton(t, v.card, "导出月报 Excel")) // opens the save dialog
	if len(e.Win.Canvas().Overlays().List()) == 0 {
		t.Fatal("no save dialog")
	}
}

func TestBureauPolicyDeliveryGUI(t *testing.T) {
	n, e, v := bureauEnv(t)
	bwEdit(t, n.bureau, `INSERT INTO policies(id, origin, created_at, updated_at, title, doc_no, source) VALUES (?, '430702', 1, 1, '关于做好养老金资格认证的通知', '示人社发〔2026〕8号', 'local')`, data.NewID())
	bwSync(t, n.bureau, n.stations[1], n.codes[1])
	bwSync(t, n.stations[1], n.bureau, "") // its receipt
	v.reload()
	e.wait()
	v.tabs.SelectIndex(3)
	text := bwTexts(v.policies)
	if !strings.Contains(text, "关于做好养老金资格认证的通知") || !strings.Contains(text, "\n柳树镇\n桃花镇\n") {
		t.Fatalf("policy delivery: %s", text)
	}
	// The stale flag: three weeks on, no station has sent a bundle.
	old := now
	now = func() time.Time { return time.Now().AddDate(0, 0, 21) }
	defer func() { now = old }()
	v.reload()
	e.wait()
	if !strings.Contains(v.status.Text, "2 个站点超过 14 天未送来数据包") {
		t.Fatalf("status %q", v.status.Text)
	}
}
