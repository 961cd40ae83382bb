package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// ledgerBureau is a set-up bureau with three leaders, a cadre and two
// enrolled stations.
func ledgerBureau(t *testing.T) *data.Store {
	t.Helper()
	st := newTestStore(t, false)
	roster := []data.Officer{
		{Name: "周建华", Role: "局长", Phone: "13873600001", Duties: "主持全面工作"},
		{Name: "孙丽", Role: "副局长", Phone: "13873600002", Duties: "分管人才中心和档案管理"},
		{Name: "钱国强", Role: "副局长", Phone: "13873600003"},
		{Name: "吴卫东", Role: "科室干部", Phone: "13873600004", Duties: "联系桃花镇、柳树镇"},
	}
	ctx := t.Context()
	if err := st.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, roster); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range [][2]string{{"430702101", "桃花镇劳动保障站"}, {"430702102", "柳树镇劳动保障站"}} {
		if _, err := st.AddStation(ctx, s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// ledgerButton finds the visible button whose text is text under obj.
func ledgerButton(t *testing.T, obj fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func ledgerOfficerID(t *testing.T, st *data.Store, name string) string {
	t.Helper()
	all, err := st.Officers(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		if o.Name == name {
			return o.ID
		}
	}
	t.Fatalf("no officer %s", name)
	return ""
}

func TestLedgerLendingWithReview(t *testing.T) {
	st := ledgerBureau(t)
	// An older loan, two days overdue on the UI clock (2026-11-17).
	old := data.Lending{HolderName: "赵敏", BorrowerUnit: "区纪委", Borrower: "陈刚", Purpose: "核查", ApprovedBy: "周敏",
		DateOut: "2026-11-02", DateDue: "2026-11-15"}
	if err := st.SaveLending(t.Context(), &old); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newLedgersUI(e)
	e.showForTest(u.root)
	v := u.lending
	if !trHasText(v.list, "逾期 2 天未还") {
		t.Fatalf("the overdue loan is not marked: %v", trainingTexts(v.list))
	}
	// 首页 flags it too.
	home := ledgerHomePanel(e)
	e.wait()
	if !trHasText(home, "人事档案逾期未还 1 份") || !trHasText(home, "赵敏") {
		t.Fatalf("home card: %v", trainingTexts(home))
	}
	// A new loan through the form; the first try lacks the approver.
	test.Type(v.holder, "张三")
	test.Type(v.unit, "区委组织部")
	test.Type(v.borrower, "刘军")
	test.Type(v.purpose, "干部考察")
	test.Tap(v.save)
	e.wait()
	if m := v.msgs.msg("approved_by"); !m.Visible() || !strings.Contains(m.Text, "审批人不能为空") {
		t.Fatalf("missing approver: %q", msgText(v.msgs))
	}
	test.Type(v.approved, "周敏")
	test.Tap(v.save)
	e.wait()
	if !strings.Contains(v.formMsg.Text, "已登记 张三") || v.holder.Text != "" {
		t.Fatalf("after save: %q, holder %q", v.formMsg.Text, v.holder.Text)
	}
	if len(v.entries) != 2 || v.entries[0].HolderName != "张三" || v.entries[0].DateOut != "2026-11-17" || v.entries[0].DateDue != "2026-12-01" {
		t.Fatalf("ledger %+v", v.entries)
	}
	// The week under review (16–22 Nov) holds the new loan only.
	if len(v.weekItems) != 1 || v.weekItems[0].HolderName != "张三" || !strings.Contains(v.reviewNote.Text, "本周尚未审核") {
		t.Fatalf("week %+v, note %q", v.weekItems, v.reviewNote.Text)
	}
	test.Type(v.reviewer, "孙丽")
	test.Type(v.remarks, "手续齐全")
	test.Tap(v.reviewBtn)
	e.wait()
	if !strings.Contains(v.reviewNote.Text, "已由 孙丽") || !strings.Contains(v.reviewNote.Text, "手续齐全") {
		t.Fatalf("review note %q", v.reviewNote.Text)
	}
	r, ok, err := st.WeekReview(t.Context(), fixedNow)
	if err != nil || !ok || r.Reviewer != "孙丽" || r.Entries != 1 || r.Week != "2026-11-16" {
		t.Fatalf("stored review %+v %v %v", r, ok, err)
	}
	// Correct the new loan's due date through 修改.
	var row fyne.CanvasObject
	for i, l := range v.shown {
		if l.HolderName == "张三" {
			row = v.list.Objects[i]
		}
	}
	test.Tap(ledgerButton(t, row, "修改"))
	if v.holder.Text != "张三" || v.save.Text != "保存修改" {
		t.Fatalf("editing: holder %q, button %q", v.holder.Text, v.save.Text)
	}
	v.due.SetText("2026-12-15")
	test.Tap(v.save)
	e.wait()
	if got, err := st.Lendings(t.Context()); err != nil || len(got) != 2 || got[0].HolderName != "张三" || got[0].DateDue != "2026-12-15" {
		t.Fatalf("after the correction %+v %v", got, err)
	}
	if v.save.Text != "登记外借" || v.holder.Text != "" {
		t.Fatalf("form not reset: %q %q", v.save.Text, v.holder.Text)
	}
	// The week before holds the old loan and is not reviewed.
	v.week = v.week.AddDate(0, 0, -7)
	v.loadWeek()
	e.wait()
	if len(v.weekItems) != 0 || !strings.Contains(v.reviewNote.Text, "本周尚未审核") {
		t.Fatalf("previous week %+v %q", v.weekItems, v.reviewNote.Text)
	}
	// Returning the overdue file clears the flag.
	test.Tap(ledgerButton(t, v.list.Objects[0], "归还")) // overdue files come first
	e.wait()
	if trHasText(v.list, "逾期") {
		t.Fatalf("still overdue after return: %v", trainingTexts(v.list))
	}
	home = ledgerHomePanel(e)
	e.wait()
	if trHasText(home, "逾期") {
		t.Fatal("home still flags a returned file")
	}
}

func TestLedgerRotaSwap(t *testing.T) {
	st := ledgerBureau(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newLedgersUI(e)
	e.showForTest(u.root)
	u.tabs.SelectIndex(1)
	e.wait()
	v := u.rota
	if v.from.Text != "2026-11-01" || v.to.Text != "2026-11-30" || len(v.checks) != 4 {
		t.Fatalf("range %s–%s, %d leaders", v.from.Text, v.to.Text, len(v.checks))
	}
	// Tick in the turn wanted: 钱国强, 周建华, 孙丽 (the roster lists them otherwise).
	for _, name := range []string{"钱国强", "周建华", "孙丽"} {
		for i, o := range v.officers {
			if o.Name == name {
				test.Tap(v.checks[i])
			}
		}
	}
	if v.orderLabel.Text != "轮流顺序：钱国强 → 周建华 → 孙丽" {
		t.Fatalf("order %q", v.orderLabel.Text)
	}
	test.Tap(v.generate)
	e.wait()
	if len(v.duties) != 21 {
		t.Fatalf("November has 21 working days, rota %d", len(v.duties))
	}
	names := func() []string {
		var out []string
		for _, d := range v.duties[:4] {
			out = append(out, d.OfficerName)
		}
		return out
	}
	first := names()
	if strings.Join(first, ",") != "钱国强,周建华,孙丽,钱国强" || v.duties[0].Date != "2026-11-02" || v.duties[5].Date != "2026-11-09" {
		t.Fatalf("not round-robin in the ticked turn: %v", first)
	}
	// Swap the first duty with the second day's leader.
	test.Tap(ledgerButton(t, v.list.Objects[0], "调换"))
	s := v.swap
	if s == nil {
		t.Fatal("no swap dialog")
	}
	test.Tap(s.confirm)
	e.wait()
	if !strings.Contains(msgText(s.msgs), "请选择对调的日期") || v.swap == nil {
		t.Fatalf("swap without a day: %q", msgText(s.msgs))
	}
	want := v.duties[1]
	for i, d := range s.days {
		if d.ID == want.ID {
			s.other.SetSelectedIndex(i)
		}
	}
	test.Type(s.by, "办公室")
	test.Tap(s.confirm)
	e.wait()
	if !strings.Contains(msgText(s.msgs), "调换原因不能为空") {
		t.Fatalf("swap without a reason: %q", msgText(s.msgs))
	}
	test.Type(s.reason, "外出开会")
	test.Tap(s.confirm)
	e.wait()
	if v.swap != nil {
		t.Fatalf("dialog still open: %q", msgText(s.msgs))
	}
	got := names()
	if got[0] != first[1] || got[1] != first[0] || got[2] != first[2] {
		t.Fatalf("after swap %v, before %v", got, first)
	}
	if !trHasText(v.swaps, "外出开会") || !trHasText(v.swaps, "办公室") {
		t.Fatalf("swap not listed: %v", trainingTexts(v.swaps))
	}
	sw, err := st.DutySwaps(t.Context(), "2026-11-01", "2026-11-30")
	if err != nil || len(sw) != 1 || sw[0].FromName != first[0] || sw[0].ToName != first[1] || sw[0].Reason != "外出开会" {
		t.Fatalf("stored swaps %+v %v", sw, err)
	}
	// A substitute instead: 吴卫东 stands in on the third day.
	test.Tap(ledgerButton(t, v.list.Objects[2], "调换"))
	s = v.swap
	s.subst.SetSelected("吴卫东")
	test.Type(s.reason, "病假")
	test.Tap(s.confirm)
	e.wait()
	if v.duties[2].OfficerName != "吴卫东" {
		t.Fatalf("substitute: %s", v.duties[2].OfficerName)
	}
	// An opinion heard on duty today goes into 群众意见.
	var today int
	for i, d := range v.duties {
		if d.Date == "2026-11-17" {
			today = i
		}
	}
	test.Tap(ledgerButton(t, v.list.Objects[today], "记录意见"))
	o := v.opinion
	test.Type(o.content, "希望周末也能办社保卡")
	test.Tap(o.save)
	e.wait()
	ops, err := st.HallOpinions(t.Context(), "2026-11-17")
	if err != nil || len(ops) != 1 || ops[0].Content != "希望周末也能办社保卡" {
		t.Fatalf("hall opinions %+v %v", ops, err)
	}
	o.close()
	e.wait()
	if !trHasText(v.list.Objects[today], "意见 1 条") {
		t.Fatalf("row %v", trainingTexts(v.list.Objects[today]))
	}
}

// ledgerFill gives the bureau a month of ledgers for the screenshots.
func ledgerFill(t *testing.T, st *data.Store) {
	t.Helper()
	ctx := t.Context()
	for _, l := range []data.Lending{
		{HolderName: "赵敏", BorrowerUnit: "区纪委", Borrower: "陈刚", Purpose: "案件核查", ApprovedBy: "周敏", DateOut: "2026-11-02", DateDue: "2026-11-12"},
		{HolderName: "李娟", BorrowerUnit: "区教育局", Borrower: "王芳", Purpose: "职称评审", ApprovedBy: "周敏", DateOut: "2026-11-05", DateDue: "2026-11-19", DateReturned: "2026-11-10"},
		{HolderName: "张三", BorrowerUnit: "区委组织部", Borrower: "刘军", Purpose: "干部考察", ApprovedBy: "周敏", DateOut: "2026-11-16", DateDue: "2026-11-30"},
		{HolderName: "黄海", BorrowerUnit: "市人社局", Borrower: "邓磊", Purpose: "工龄认定", ApprovedBy: "周敏", DateOut: "2026-11-17", DateDue: "2026-11-24"},
	} {
		if err := st.SaveLending(ctx, &l); err != nil {
			t.Fatal(err)
		}
	}
	ids := []string{ledgerOfficerID(t, st, "周建华"), ledgerOfficerID(t, st, "孙丽"), ledgerOfficerID(t, st, "钱国强")}
	rota, err := st.GenerateRota(ctx, "2026-11-01", "2026-11-30", ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SwapDuties(ctx, rota[3].ID, rota[4].ID, "参加市局会议", "办公室"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddHallOpinion(ctx, rota[11].ID, "社保卡", "希望周末也能办社保卡"); err != nil {
		t.Fatal(err)
	}
	cadre := ledgerOfficerID(t, st, "吴卫东")
	if err := st.AssignStations(ctx, cadre, []string{"430702101", "430702102"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AssignStations(ctx, ids[1], []string{"430702101"}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []data.LiaisonVisit{
		{OfficerID: cadre, StationCode: "430702101", Date: "2026-11-10", Discussed: "养老金资格认证进度", Problems: "两个村网络不通，无法刷脸认证", Help: "协调移动公司上门检修", Followup: "月底回访认证率"},
		{OfficerID: cadre, StationCode: "430702102", Date: "2026-11-13", Discussed: "就业援助月准备", Help: "送去招聘会宣传单 200 份"},
		{OfficerID: ids[1], StationCode: "430702101", Date: "2026-10-20", Discussed: "干部学习日出勤", Problems: "社区专干请假较多"},
	} {
		if err := st.AddLiaisonVisit(ctx, &x); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScreenshotsLedgers(t *testing.T) {
	st := ledgerBureau(t)
	ledgerFill(t, st)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newLedgersUI(e)
	e.showForTest(u.root)
	snap(t, e.Win, "ledger-lending")
	for i, name := range []string{"ledger-rota", "ledger-liaison", "ledger-dutycards"} {
		u.tabs.SelectIndex(i + 1)
		e.wait()
		snap(t, e.Win, name)
	}
	if !trHasText(u.cards.list, "周建华") || len(u.cards.cards) != 4 {
		t.Fatalf("duty cards tab: %v", trainingTexts(u.cards.list))
	}
	if !trHasText(u.liaison.cadres, "联系 2 个站点") {
		t.Fatalf("liaison tab: %v", trainingTexts(u.liaison.cadres))
	}
}

func TestLedgerStationSeesVisitsNotTheLendingLedger(t *testing.T) {
	st := trainingStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newLedgersUI(e)
	e.showForTest(u.root)
	if !trHasText(u.root, "本站无需登记") {
		t.Fatalf("station lending tab: %v", trainingTexts(u.root))
	}
	u.tabs.SelectIndex(2)
	e.wait()
	if !trHasText(u.liaison.content, "区人社局干部到本站走访的记录") {
		t.Fatalf("station liaison tab: %v", trainingTexts(u.liaison.content))
	}
	u.tabs.SelectIndex(3)
	e.wait()
	// The station's own three officers, not the neighbour's two.
	if len(u.cards.cards) != 3 || !trHasText(u.cards.preview, "桃花镇劳动保障站") {
		t.Fatalf("cards %d, preview %v", len(u.cards.cards), trainingTexts(u.cards.preview))
	}
	test.Tap(ledgerButton(t, u.cards.list, "张志强"))
	if !trHasText(u.cards.preview, "张志强") || !trHasText(u.cards.preview, "社区专干") {
		t.Fatalf("preview %v", trainingTexts(u.cards.preview))
	}
}

func TestLedgerLiaisonVisitAndAssignment(t *testing.T) {
	st := ledgerBureau(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	u := newLedgersUI(e)
	e.showForTest(u.root)
	u.tabs.SelectIndex(2)
	e.wait()
	v := u.liaison
	if len(v.officers) != 4 || len(v.stations) != 2 {
		t.Fatalf("officers %d, stations %d", len(v.officers), len(v.stations))
	}
	test.Tap(v.save)
	e.wait()
	if m := msgText(v.msgs); !strings.Contains(m, "交流内容不能为空") && !strings.Contains(m, "请选择联系干部") {
		t.Fatalf("empty visit: %q", m)
	}
	v.cadre.SetSelected("吴卫东")
	v.station.SetSelected("柳树镇劳动保障站")
	v.date.SetText("2026-11-16")
	test.Type(v.discussed, "就业援助月准备")
	test.Type(v.problems, "招聘信息发布不及时")
	test.Tap(v.save)
	e.wait()
	if !strings.Contains(v.msg.Text, "已登记 吴卫东 走访 柳树镇劳动保障站") {
		t.Fatalf("after save: %q", v.msg.Text)
	}
	got, err := st.LiaisonVisits(t.Context(), "430702102", "")
	if err != nil || len(got) != 1 || got[0].Problems != "招聘信息发布不及时" || got[0].Date != "2026-11-16" {
		t.Fatalf("stored %+v %v", got, err)
	}
	if !trHasText(v.visits, "吴卫东 走访 柳树镇劳动保障站") {
		t.Fatalf("visit list %v", trainingTexts(v.visits))
	}
	if err := st.AssignStations(t.Context(), ledgerOfficerID(t, st, "吴卫东"), []string{"430702102"}); err != nil {
		t.Fatal(err)
	}
	v.load()
	e.wait()
	if !trHasText(v.cadres, "联系 1 个站点：柳树镇劳动保障站") {
		t.Fatalf("cadres %v", trainingTexts(v.cadres))
	}
}
