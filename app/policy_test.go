package app

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// newPolicyTestEnv is the demo station plus the sample policies, with a
// short search pause.
func newPolicyTestEnv(t *testing.T) (*Env, *policyLibrary) {
	t.Helper()
	st := newPolicyTestStore(t)
	if _, err := st.ImportPolicies(t.Context(), "../data/testdata/policy"); err != nil {
		t.Fatal(err)
	}
	old := searchDelay
	searchDelay = 5 * time.Millisecond
	t.Cleanup(func() { searchDelay = old })
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	lib := newPolicyLibrary(e)
	e.showForTest(lib.root)
	return e, lib
}

// newPolicyTestStore is a demo station with officers, policies, guides and
// handouts but no residents (cheaper under -race).
func newPolicyTestStore(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	if _, err := demo.Run(t.Context(), st, demo.Options{Policies: 60, Seed: 1, Until: fixedNow}); err != nil {
		t.Fatal(err)
	}
	return st
}

func richText(rt *widget.RichText) string {
	var b strings.Builder
	for _, s := range rt.Segments {
		if ts, ok := s.(*widget.TextSegment); ok {
			b.WriteString(ts.Text)
		}
	}
	return b.String()
}

func TestPolicySearchAsYouType(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	if len(lib.hits) == 0 {
		t.Fatal("library empty before typing")
	}
	test.Type(lib.query, "档案")
	e.wait()
	if len(lib.hits) == 0 {
		t.Fatal("no results for 档案")
	}
	for _, h := range lib.hits {
		p, err := e.Store.Policy(t.Context(), h.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := p.Title + p.DocNo + p.Summary + p.Body + strings.Join(p.Tags, " ")
		if !strings.Contains(all, "档案") {
			t.Fatalf("false hit %q", h.Title)
		}
	}
	if !strings.Contains(lib.hits[0].Title, "档案") {
		t.Fatalf("title hit not first: %q", lib.hits[0].Title)
	}
	// The row shows the title and the snippet with 档案 highlighted.
	item := lib.list.CreateItem()
	setHitItem(item, lib.hits[0])
	title := item.(*fyne.Container).Objects[0].(*widget.RichText)
	bold := false
	for _, s := range title.Segments {
		if ts := s.(*widget.TextSegment); ts.Text == "档案" && ts.Style.ColorName != "" {
			bold = true
		}
	}
	if richText(title) != lib.hits[0].Title || !bold {
		t.Fatalf("title row %q, highlighted %v", richText(title), bold)
	}
	// A 文号 fragment and a filter.
	lib.query.SetText("〔2014〕21")
	e.wait()
	if len(lib.hits) != 1 || lib.hits[0].DocNo != "武人社发〔2014〕21号" {
		t.Fatalf("文号 search: %+v", lib.hits)
	}
	lib.query.SetText("医保")
	e.wait()
	all := len(lib.hits)
	lib.category.SetSelected("社保卡")
	e.wait()
	if len(lib.hits) == 0 || len(lib.hits) >= all {
		t.Fatalf("category filter: %d of %d", len(lib.hits), all)
	}
	for _, h := range lib.hits {
		if h.Category != "社保卡" {
			t.Fatalf("filter let through %s", h.Category)
		}
	}
}

func TestPolicySearchDropsStaleResults(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	old := searchDelay
	searchDelay = 0
	defer func() { searchDelay = old }()
	// Two searches in flight: only the newer one's results may land.
	lib.query.SetText("不存在的词语")
	lib.query.SetText("档案")
	e.wait()
	if len(lib.hits) == 0 || !strings.Contains(lib.count.Text, "共") {
		t.Fatalf("stale result shown: %d hits, %q", len(lib.hits), lib.count.Text)
	}
}

func TestPolicyOpenDetail(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	ctx := t.Context()
	// A bureau policy superseding a local one.
	newer := data.Policy{Title: "区局下发的医保新办法", DocNo: "武人社发〔2016〕1号", Category: "医疗保险", Source: data.SourceBureau, Body: "新办法正文"}
	if err := e.Store.AddPolicy(ctx, &newer); err != nil {
		t.Fatal(err)
	}
	hits, _ := e.Store.SearchPolicies(ctx, data.PolicyQuery{Text: "〔2014〕21"})
	if err := e.Store.SupersedePolicy(ctx, hits[0].ID, newer.ID); err != nil {
		t.Fatal(err)
	}
	lib.query.SetText("〔2014〕21")
	e.wait()
	lib.list.Select(0)
	e.wait()
	d := lib.detail
	if d.title.Text != hits[0].Title || d.docNo.Text != "武人社发〔2014〕21号" || d.category.Selected != "医疗保险" || d.effective.Text != "2014-09-01" {
		t.Fatalf("detail shows %q %q %q", d.title.Text, d.docNo.Text, d.effective.Text)
	}
	if d.title.Disabled() {
		t.Fatal("local policy read-only")
	}
	// The successor link opens the bureau policy, whose fields are read-only
	// and which links back.
	link := findButton(d.body, "区局下发的医保新办法")
	if link == nil {
		t.Fatal("no link to the successor")
	}
	test.Tap(link)
	e.wait()
	if d.p.ID != newer.ID || !d.title.Disabled() || !d.text.Disabled() || d.notes.Disabled() {
		t.Fatalf("bureau policy: %q disabled=%v notes disabled=%v", d.p.Title, d.title.Disabled(), d.notes.Disabled())
	}
	if findButton(d.body, "武人社发〔2014〕21号") == nil {
		t.Fatal("no link back to the replaced policy")
	}
	test.Type(d.notes, "已张贴在服务大厅")
	test.Tap(findButton(d.body, "保存备注"))
	e.wait()
	got, _ := e.Store.Policy(ctx, newer.ID)
	if got.LocalNotes != "已张贴在服务大厅" {
		t.Fatalf("notes %q", got.LocalNotes)
	}
	// Print a card from the detail view.
	printed := stubPrinter(t)
	test.Tap(findButton(d.body, "打印政策卡片"))
	e.wait()
	if len(*printed) != 1 || !strings.Contains(pdfText(t, (*printed)[0]), newer.Title[:9]) {
		t.Fatalf("card not printed: %v", *printed)
	}
	if lastSaved == nil || lastSaved.path != (*printed)[0] || lastSaved.saveAs == nil {
		t.Fatal("no message with the printed file and 另存为")
	}
	// 另存为 keeps a private copy of what was printed.
	home := inAppDialogs(t)
	test.Tap(lastSaved.saveAs)
	e.wait()
	test.Tap(lastChooser.save)
	e.wait()
	kept := filepath.Join(home, "桌面", lastChooser.name)
	want, _ := os.ReadFile((*printed)[0])
	if got, err := os.ReadFile(kept); err != nil || len(want) == 0 || !bytes.Equal(got, want) {
		t.Fatalf("the copy at %s: %d bytes of %d, %v", kept, len(got), len(want), err)
	}
	if fi, _ := os.Stat(kept); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("the copy's mode %v, want 0600", fi.Mode().Perm())
	}
	if lastSaved.path != kept {
		t.Fatalf("no message naming the copy: %s", lastSaved.path)
	}
}

func TestPolicyRecordHandout(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	ctx := t.Context()
	lib.list.Select(0)
	e.wait()
	d := lib.detail
	id := d.p.ID
	before, _ := e.Store.HandoutSummaryFor(ctx, id, fixedNow)
	test.Type(d.count, "12")
	d.place.SetSelected("村民会议")
	d.officer.SetSelectedIndex(0)
	test.Tap(d.record)
	e.wait()
	after, _ := e.Store.HandoutSummaryFor(ctx, id, fixedNow)
	if after.ThisMonth != before.ThisMonth+12 || after.ByPlace["村民会议"] != before.ByPlace["村民会议"]+12 {
		t.Fatalf("before %+v after %+v", before, after)
	}
	list, _ := e.Store.Handouts(ctx, id, 1)
	if len(list) != 1 || list[0].Count != 12 || list[0].HandedOn != "2026-11-17" || list[0].OfficerID == "" {
		t.Fatalf("register %+v", list)
	}
	if !strings.Contains(d.totals.Text, "本月") || !strings.Contains(d.recorded.Text, "12") {
		t.Fatalf("totals %q, recorded %q", d.totals.Text, d.recorded.Text)
	}
	// A bad count is refused without writing.
	test.Type(d.count, "0")
	test.Tap(d.record)
	e.wait()
	again, _ := e.Store.HandoutSummaryFor(ctx, id, fixedNow)
	if again.Total != after.Total {
		t.Fatal("bad handout written")
	}
}

func TestPolicyGuideFlowChart(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	lib.tabs.SelectIndex(1)
	e.wait()
	g := lib.guides
	if len(g.guides) != len(demo.Guides) || g.chart == nil {
		t.Fatalf("%d guides, chart %v", len(g.guides), g.chart)
	}
	boxes, arrows, texts := 0, 0, 0
	for _, o := range test.WidgetRenderer(g.chart).Objects() {
		switch o := o.(type) {
		case *canvas.Rectangle:
			boxes++
		case *canvas.Line:
			arrows++
		case *canvas.Text:
			if o.Text == g.guides[0].Steps[0].Name {
				texts++
			}
		}
	}
	n := len(g.guides[0].Steps)
	if boxes != n || arrows != 3*(n-1) || texts != 1 {
		t.Fatalf("chart of %d steps: %d boxes, %d arrow lines, first step named %d times", n, boxes, arrows, texts)
	}
	printed := stubPrinter(t)
	for _, b := range trFind[*widget.Button](g.view) {
		if b.Text == "打印流程图" {
			test.Tap(b)
		}
	}
	e.wait()
	if len(*printed) != 1 || !strings.Contains(pdfText(t, (*printed)[0]), g.guides[0].Matter) {
		t.Fatalf("flow chart not printed: %v", *printed)
	}
}

func TestPolicyHomePanel(t *testing.T) {
	st := newPolicyTestStore(t)
	hits, _ := st.SearchPolicies(t.Context(), data.PolicyQuery{Limit: 1})
	if err := st.RecordHandout(t.Context(), &data.CardHandout{PolicyID: hits[0].ID, Count: 25, HandedOn: "2026-11-16", Place: "村民会议"}); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	sum, _ := st.HandoutSummaryFor(t.Context(), "", fixedNow)
	panel := policyHomePanel(e)
	e.showForTest(panel)
	card := panel.(*widget.Card)
	text := card.Content.(*fyne.Container).Objects[0].(*widget.Label).Text
	if sum.ThisMonth == 0 || !strings.Contains(text, "本月已发放 "+strconv.Itoa(sum.ThisMonth)+" 份") {
		t.Fatalf("home panel %q, want %d this month", text, sum.ThisMonth)
	}
}

// findButton finds a button whose text contains s.
func findButton(o fyne.CanvasObject, s string) *widget.Button {
	switch w := o.(type) {
	case *widget.Button:
		if strings.Contains(w.Text, s) {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := findButton(c, s); b != nil {
				return b
			}
		}
	case *widget.Card:
		if w.Content != nil {
			return findButton(w.Content, s)
		}
	}
	return nil
}

func TestScreenshotsPolicy(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	e.Win.Resize(fyne.NewSize(1280, 800))
	test.Type(lib.query, "医保")
	e.wait()
	snap(t, e.Win, "policies-library")
	lib.query.SetText("资格认证")
	e.wait()
	lib.list.Select(0)
	e.wait()
	snap(t, e.Win, "policy-detail")
	lib.tabs.SelectIndex(1)
	e.wait()
	snap(t, e.Win, "service-guide")
	if dir := os.Getenv("STATIONDESK_SCREENSHOTS"); dir != "" {
		pdf := filepath.Join(t.TempDir(), "card.pdf")
		if err := e.Store.PolicyCardsPDF(t.Context(), []string{lib.detail.p.ID}, data.CardLayout{}, pdf); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "policy-card")
		if err := exec.Command("pdftoppm", "-png", "-r", "110", "-singlefile", pdf, out).Run(); err != nil {
			t.Fatalf("pdftoppm: %v", err)
		}
	}
}

func TestPolicyNewAndSupersedeFromDetail(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	ctx := t.Context()
	fd := lib.askNew()
	entries := trFind[*widget.Entry](e.Win.Canvas().Overlays().Top())
	test.Type(entries[0], "关于调整失业保险金标准的通知")
	test.Type(entries[1], "武人社发〔2026〕3号")
	test.Tap(fd.save)
	e.wait()
	if !fd.saved {
		t.Fatalf("new policy refused: %q", msgText(fd.msgs))
	}
	newID := lib.detail.p.ID
	if lib.detail.title.Text != "关于调整失业保险金标准的通知" || newID == "" {
		t.Fatalf("new policy not shown: %q", lib.detail.title.Text)
	}
	hits, _ := e.Store.SearchPolicies(ctx, data.PolicyQuery{Text: "失业保险金申领办事指南"})
	lib.detail.open(hits[0].ID)
	e.wait()
	lib.detail.askSupersede()
	sup := lib.detail.supersede
	test.Type(trFind[*widget.Entry](e.Win.Canvas().Overlays().Top())[0], "武人社发〔2026〕3号")
	test.Tap(sup.save)
	e.wait()
	if !sup.saved {
		t.Fatalf("supersede refused: %q", msgText(sup.msgs))
	}
	old, _ := e.Store.Policy(ctx, hits[0].ID)
	if old.Status != data.PolicySuperseded || old.SupersededBy != newID || findButton(lib.detail.body, "武人社发〔2026〕3号") == nil {
		t.Fatalf("not superseded: %+v", old)
	}
}

func TestPolicyGuideEdit(t *testing.T) {
	e, lib := newPolicyTestEnv(t)
	lib.tabs.SelectIndex(1)
	e.wait()
	g := lib.guides
	steps := parseGuideSteps("申请：到窗口填表\n 审核:三个工作日内 \n\n办结")
	if len(steps) != 3 || steps[1] != (data.GuideStep{Name: "审核", Detail: "三个工作日内"}) || steps[2].Name != "办结" {
		t.Fatalf("steps %+v", steps)
	}
	var saveErr error
	g.save(data.ServiceGuide{Matter: "就业登记", Steps: steps, Materials: []string{"居民身份证"}, Location: "1 号窗口", TimeLimit: "当场办结"}, func(err error) { saveErr = err })
	e.wait()
	if saveErr != nil || len(g.guides) != len(demo.Guides)+1 || g.chart == nil || len(g.chart.steps) != 3 {
		t.Fatalf("%v: %d guides, chart %+v", saveErr, len(g.guides), g.chart)
	}
	gs, _ := e.Store.ServiceGuides(t.Context())
	found := false
	for _, sg := range gs {
		found = found || (sg.Matter == "就业登记" && len(sg.Steps) == 3)
	}
	if !found {
		t.Fatal("guide not saved")
	}
}
