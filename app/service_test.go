package app

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"stationdesk/data"
)

// svcWalk visits every visible object under o, into widgets' renderers.
func svcWalk(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if fn(o) {
		return true
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			if svcWalk(c, fn) {
				return true
			}
		}
	case *container.Scroll:
		return svcWalk(x.Content, fn)
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if svcWalk(c, fn) {
				return true
			}
		}
	}
	return false
}

func svcButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	svcWalk(o, func(c fyne.CanvasObject) bool {
		if b, ok := c.(*widget.Button); ok && strings.Contains(b.Text, text) {
			found = b
			return true
		}
		return false
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func svcHasText(o fyne.CanvasObject, text string) bool {
	return svcWalk(o, func(c fyne.CanvasObject) bool {
		l, ok := c.(*widget.Label)
		return ok && strings.Contains(l.Text, text)
	})
}

func writeTestFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// serviceStation is a set-up station with a roster of three.
func serviceStation(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	roster := []data.Officer{{Name: "王建军", Role: "站长"}, {Name: "李春梅", Role: "劳保专干"}, {Name: "张志强", Role: "服务小分队队员"}}
	if err := st.Setup(t.Context(), data.Identity{Role: data.RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, roster); err != nil {
		t.Fatal(err)
	}
	return st
}

// svcID makes a valid ID number from 17 digits.
func svcID(first17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

func showService(t *testing.T, st *data.Store, size fyne.Size) (*Env, *serviceUI) {
	t.Helper()
	e := newTestEnv(t, st, size)
	u := newServiceUI(e)
	e.showForTest(page("上门服务", u.content()))
	return e, u
}

func TestServiceAddResidentBadIDThenGood(t *testing.T) {
	st := serviceStation(t)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	if u.actorID == "" {
		t.Fatal("no 经办人 chosen")
	}
	test.Tap(svcButton(t, e.Win.Canvas().Content(), "新增服务对象"))
	f := u.residents.form
	if f == nil {
		t.Fatal("form not open")
	}
	good := svcID("43070219400312002")
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	test.Type(f.name, "王秀英")
	test.Type(f.idn, bad)
	test.Type(f.phone, "138 1234 5678")
	f.consent.SetChecked(true)
	test.Tap(f.saveBtn)
	e.wait()
	msg := f.msgs.msg("id_number")
	if !msg.Visible() || !strings.Contains(msg.Text, "校验位错误") {
		t.Fatalf("bad ID: message %q visible=%v", msg.Text, msg.Visible())
	}
	if n, _ := st.CountResidents(t.Context(), data.ResidentFilter{}); n != 0 || f.saved {
		t.Fatalf("a bad ID saved %d residents", n)
	}
	f.idn.SetText("")
	test.Type(f.idn, strings.ToLower(good))
	e.wait()
	if !strings.Contains(f.derived.Text, "1940-03-12") || !strings.Contains(f.derived.Text, "女") {
		t.Fatalf("derived %q", f.derived.Text)
	}
	test.Tap(f.saveBtn)
	e.wait()
	if !f.saved {
		t.Fatalf("good resident not saved: %q %q", msgText(f.msgs), f.msgs.msg("id_number").Text)
	}
	if n, _ := st.CountResidents(t.Context(), data.ResidentFilter{}); n != 1 {
		t.Fatalf("%d residents", n)
	}
	d := u.residents.detail
	if d.name.Text != "王秀英" || d.idLabel.Text != data.MaskIDNumber(good) || d.phone.Text != "138****5678" {
		t.Fatalf("detail %q %q %q", d.name.Text, d.idLabel.Text, d.phone.Text)
	}
	if u.residents.pager.total != 1 {
		t.Fatalf("list shows %d", u.residents.pager.total)
	}
	test.Tap(d.reveal)
	e.wait()
	if d.idLabel.Text != good || d.phone.Text != "13812345678" {
		t.Fatalf("revealed %q %q", d.idLabel.Text, d.phone.Text)
	}
	log, _ := st.RecordAudit(t.Context(), "residents", d.r.ID)
	reveals := 0
	for _, a := range log {
		if a.Action == "reveal" && a.Actor == u.names[u.actorID] {
			reveals++
		}
	}
	if reveals != 1 {
		t.Fatalf("reveal not audited: %+v", log)
	}

	// Typing the same number again points at the existing resident.
	test.Tap(svcButton(t, e.Win.Canvas().Content(), "新增服务对象"))
	f2 := u.residents.form
	test.Type(f2.name, "王秀英")
	test.Type(f2.idn, good)
	e.wait()
	if !f2.open.Visible() || !strings.Contains(f2.derived.Text, "已登记") {
		t.Fatalf("existing resident not offered: %q", f2.derived.Text)
	}
	test.Tap(f2.saveBtn)
	e.wait()
	if n, _ := st.CountResidents(t.Context(), data.ResidentFilter{}); n != 1 || f2.saved {
		t.Fatalf("duplicate saved: %d", n)
	}
	if m := f2.msgs.msg("id_number"); !m.Visible() || !strings.Contains(m.Text, "已登记") {
		t.Fatalf("duplicate message %q", m.Text)
	}
	test.Tap(f2.open)
	e.wait()
	if d.r.ID == "" || d.name.Text != "王秀英" {
		t.Fatal("existing resident not opened")
	}
	f2.dlg.Hide()

	// Editing keeps the hidden ID number and phone as they were.
	test.Tap(svcButton(t, d.content, "编辑"))
	f3 := u.residents.form
	if f3.idn.Text != data.MaskIDNumber(good) {
		t.Fatalf("edit form shows %q", f3.idn.Text)
	}
	test.Type(f3.address, "桃花村3组12号")
	test.Tap(f3.saveBtn)
	e.wait()
	if !f3.saved {
		t.Fatalf("edit not saved: %q", msgText(f3.msgs))
	}
	sec, _ := st.RevealResident(t.Context(), d.r.ID, "test")
	got, _ := st.Resident(t.Context(), d.r.ID)
	if sec.IDNumber != good || sec.Phone != "13812345678" || got.Address != "桃花村3组12号" || got.BirthDate != "1940-03-12" {
		t.Fatalf("after edit %+v %+v", sec, got)
	}
}

func addServiceResident(t *testing.T, st *data.Store) data.Resident {
	t.Helper()
	r := data.Resident{Name: "李德明", IDNumber: svcID("43070219350101001"), Village: "柳树村", Categories: []string{"高龄", "独居"}, Phone: "0736-7654321"}
	if err := st.AddResident(t.Context(), &r, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Resident(t.Context(), r.ID)
	return got
}

func TestServiceVisitWithFollowupThenClose(t *testing.T) {
	st := serviceStation(t)
	r := addServiceResident(t, st)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	u.residents.detail.open(r.ID)
	e.wait()
	test.Tap(svcButton(t, u.residents.detail.content, "记录上门"))
	f := u.visits.form
	if f == nil || f.resident == nil || f.resident.ID != r.ID {
		t.Fatal("visit form not open for the resident")
	}
	f.squad.SetSelected(f.squad.Options[:2])
	f.services.SetSelected([]string{"医保报销代办"})
	f.outcome.SetText("资料不全，待补交")
	test.Type(f.notes, "缺少住院发票原件")
	test.Tap(f.follow)
	f.due.SetText("2026-11-20")
	test.Type(f.opinion, "希望医保报销能在村里直接办理")
	test.Tap(f.saveBtn)
	e.wait()
	if !f.saved {
		t.Fatalf("visit not saved: %q", msgText(f.msgs))
	}
	visits, _ := st.Visits(t.Context(), data.VisitFilter{})
	if len(visits) != 1 || !visits[0].FollowupNeeded || visits[0].FollowupDue != "2026-11-20" || len(visits[0].OfficerIDs) != 2 {
		t.Fatalf("visits %+v", visits)
	}
	ops, _ := st.Opinions(t.Context(), data.OpinionFilter{ResidentID: r.ID})
	if len(ops) != 1 || ops[0].VisitID != visits[0].ID {
		t.Fatalf("opinion of the visit %+v", ops)
	}
	// The timeline shows the visit.
	u.residents.detail.tabs.SelectIndex(1)
	if !svcHasText(u.residents.detail.timeline, "医保报销代办") {
		t.Fatal("timeline lacks the visit")
	}

	u.tabs.SelectIndex(2)
	e.wait()
	if u.follow.pager.total != 1 {
		t.Fatalf("follow-up queue %d", u.follow.pager.total)
	}
	u.follow.cat.SetSelected("失能")
	e.wait()
	if u.follow.pager.total != 0 {
		t.Fatalf("category filter: %d", u.follow.pager.total)
	}
	u.follow.cat.SetSelected("全部类别")
	u.follow.village.SetSelected("柳树村")
	e.wait()
	if u.follow.pager.total != 1 || !strings.Contains(u.follow.count.Text, "已逾期") {
		t.Fatalf("village filter: %d %q", u.follow.pager.total, u.follow.count.Text)
	}
	v, ok := u.follow.pager.item(0)
	if !ok {
		t.Fatal("row not loaded")
	}
	u.follow.openCloser(v)
	c := u.follow.closer
	test.Type(c.result, "已补交发票，报销已受理")
	test.Tap(c.save)
	e.wait()
	if !c.saved {
		t.Fatalf("follow-up not closed: %q", msgText(c.msgs))
	}
	if open, _, _ := st.CountFollowups(t.Context(), data.VisitFilter{}); open != 0 || u.follow.pager.total != 0 {
		t.Fatalf("still open: %d / list %d", open, u.follow.pager.total)
	}
	got, _ := st.Visit(t.Context(), v.ID)
	if got.FollowupDoneBy != u.actorID || got.FollowupResult != "已补交发票，报销已受理" {
		t.Fatalf("closed %+v", got)
	}
}

func TestOpinionsRecordAndAdvance(t *testing.T) {
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newOpinionsUI(e)
	e.showForTest(page("群众意见", u.content()))
	test.Tap(svcButton(t, e.Win.Canvas().Content(), "记录意见"))
	f := u.form
	test.Tap(f.saveBtn)
	e.wait()
	if m := f.msgs.msg("content"); !m.Visible() || f.saved {
		t.Fatal("empty opinion saved or no message")
	}
	f.source.SetSelected("电话")
	test.Type(f.content, "养老金认证能否在手机上完成")
	test.Tap(f.saveBtn)
	e.wait()
	if !f.saved || u.pager.total != 1 {
		t.Fatalf("opinion not recorded: %d", u.pager.total)
	}
	o, _ := u.pager.item(0)
	u.open(o)
	e.wait()
	test.Tap(u.next) // → 已上报
	e.wait()
	if u.cur.Status != "已上报" {
		t.Fatalf("status %s", u.cur.Status)
	}
	// A station goes no further: the answer and 已办结 are the bureau's and
	// come down in a bundle; the reply box only shows it.
	if u.next.Visible() || !u.reply.Disabled() || !u.stationNote.Visible() {
		t.Fatalf("at a station after 已上报: next shown %v, reply editable %v", u.next.Visible(), !u.reply.Disabled())
	}
	list, _ := st.Opinions(t.Context(), data.OpinionFilter{})
	if list[0].Status != "已上报" || list[0].Reply != "" {
		t.Fatalf("stored %+v", list[0])
	}
	if !strings.Contains(u.history.Text, "已记录") || !strings.Contains(u.history.Text, "已上报") {
		t.Fatalf("history %q", u.history.Text)
	}
}

func TestServiceImportPreviewThenConfirm(t *testing.T) {
	st := serviceStation(t)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	path := t.TempDir() + "/名单.csv"
	csv := "姓名,身份证号,村(社区)\n王秀英," + svcID("43070219400312002") + ",桃花村\n张三,430702195001010011,桃花村\n"
	if err := writeTestFile(path, csv); err != nil {
		t.Fatal(err)
	}
	u.residents.previewImport(path)
	e.wait()
	p := u.residents.importPreview
	if p == nil || p.report.Imported != 1 || len(p.report.Rejected) != 1 || p.report.Rejected[0].Row != 3 {
		t.Fatalf("preview %+v", p)
	}
	if n, _ := st.CountResidents(t.Context(), data.ResidentFilter{}); n != 0 {
		t.Fatal("preview wrote")
	}
	p.confirm()
	e.wait()
	if n, _ := st.CountResidents(t.Context(), data.ResidentFilter{}); n != 1 || u.residents.pager.total != 1 {
		t.Fatalf("after confirm %d", n)
	}
	// Export (masked) and the printable form from the buttons' handlers.
	dir := t.TempDir()
	u.residents.exportTo(dir + "/r.xlsx")
	u.writeVisitForm(dir+"/form.pdf", nil)
	e.wait()
	for _, f := range []string{"/r.xlsx", "/form.pdf"} {
		if fi, err := os.Stat(dir + f); err != nil || fi.Size() < 1000 {
			t.Fatalf("%s not written: %v", f, err)
		}
	}
	x, err := excelize.OpenFile(dir + "/r.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(x.GetSheetList()[0])
	if len(rows) != 2 || rows[0][2] != "身份证号" || rows[1][2] != data.MaskIDNumber(svcID("43070219400312002")) {
		t.Fatalf("export %v", rows)
	}
}

func TestScreenshotsService(t *testing.T) {
	st := newTestStore(t, true)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	rows, _ := st.Residents(t.Context(), data.ResidentFilter{Limit: 1, Category: "高龄"})
	// A resident with some history for the timeline.
	var pick data.Resident
	for off := 0; off < 200 && pick.ID == ""; off += 20 {
		list, _ := st.Residents(t.Context(), data.ResidentFilter{Limit: 20, Offset: off})
		for _, r := range list {
			if n, _ := st.CountVisits(t.Context(), data.VisitFilter{ResidentID: r.ID}); n >= 4 {
				pick = r
				break
			}
		}
	}
	if pick.ID == "" && len(rows) > 0 {
		pick = rows[0]
	}
	u.residents.pager.list.Select(0)
	e.wait()
	snap(t, e.Win, "residents")
	u.residents.detail.open(pick.ID)
	e.wait()
	u.residents.detail.tabs.SelectIndex(1)
	snap(t, e.Win, "resident-timeline")
	if !svcHasText(u.residents.detail.timeline, "上门服务") {
		t.Fatal("timeline without visits")
	}
	u.openVisitForm(&u.residents.detail.r)
	e.wait()
	snap(t, e.Win, "visit-form")
	u.visits.form.dlg.Hide()
	u.tabs.SelectIndex(2)
	e.wait()
	if u.follow.pager.total == 0 {
		t.Fatal("demo has no open follow-ups")
	}
	snap(t, e.Win, "followups")

	e2 := newTestEnv(t, st, fyne.NewSize(1280, 800))
	ou := newOpinionsUI(e2)
	e2.showForTest(page("群众意见", ou.content()))
	ou.pager.list.Select(0)
	e2.wait()
	snap(t, e2.Win, "opinions")
}

func TestServicePanels(t *testing.T) {
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(900, 700))
	panel := serviceCataloguePanel(e)
	e.showForTest(panel)
	var entry *widget.Entry
	svcWalk(panel, func(o fyne.CanvasObject) bool {
		if en, ok := o.(*widget.Entry); ok && en.MultiLine {
			entry = en
			return true
		}
		return false
	})
	if entry == nil || !strings.Contains(entry.Text, "养老金领取资格认证") {
		t.Fatal("catalogue not shown")
	}
	entry.SetText("养老金领取资格认证\n高龄津贴申领\n\n养老金领取资格认证")
	test.Tap(svcButton(t, panel, "保存服务项目"))
	e.wait()
	list, _ := st.VisitServices(t.Context())
	if strings.Join(list, ",") != "养老金领取资格认证,高龄津贴申领" {
		t.Fatalf("catalogue %v", list)
	}
	addServiceResident(t, st)
	home := serviceHomePanel(e)
	e.showForTest(home)
	if !svcHasText(home, "应上门 1 人") {
		t.Fatal("home card lacks the due resident")
	}
}

func TestServiceListsLoadPagesOnDemand(t *testing.T) {
	st := newTestStore(t, true) // 200 residents, 600 visits
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	p := u.residents.pager
	if p.total != 200 || len(p.pages) != 1 {
		t.Fatalf("total %d, %d pages loaded at first", p.total, len(p.pages))
	}
	p.list.ScrollToBottom()
	e.wait()
	if len(p.pages) != 2 {
		t.Fatalf("%d pages after scrolling to the end", len(p.pages))
	}
	if r, ok := p.item(199); !ok || r.Name == "" || !strings.Contains(r.IDNumber, "********") {
		t.Fatalf("last row %+v %v", r, ok)
	}
	u.residents.village.SetSelected("桃花村")
	e.wait()
	if p.total == 0 || p.total >= 200 {
		t.Fatalf("village filter: %d", p.total)
	}
	u.tabs.SelectIndex(1)
	e.wait()
	if n, _ := st.CountVisits(t.Context(), data.VisitFilter{}); u.visits.pager.total != n {
		t.Fatalf("visit list %d of %d", u.visits.pager.total, n)
	}
	u.tabs.SelectIndex(3)
	e.wait()
	if n, _ := st.CountDueResidents(t.Context(), data.DueFilter{}); u.plan.pager.total != n || n == 0 {
		t.Fatalf("plan %d of %d", u.plan.pager.total, n)
	}
}
