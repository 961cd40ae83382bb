package app

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() { homePanels = append(homePanels, bureauHomePanel) }

// bureauHomePanel is the bureau's desk on 首页: every station at a glance,
// the drill-down into one, the opinion queue, conflicts and policy delivery.
// At a station it is empty.
func bureauHomePanel(e *Env) fyne.CanvasObject {
	if e.Ident.Role != data.RoleBureau {
		return container.NewVBox()
	}
	v := newBureauView(e)
	v.reload()
	return v.card
}

type bureauView struct {
	e     *Env
	month time.Time

	card      *widget.Card
	monthText *widget.Label
	status    *widget.Label
	tabs      *container.AppTabs
	overview  *fyne.Container // the overview tab's content, or a station's drill-down
	opinions  *fyne.Container
	replies   []bureauReply // the reply rows shown, for tests
	conflicts *fyne.Container
	policies  *fyne.Container
	names     map[string]string // station code -> name
}

func newBureauView(e *Env) *bureauView {
	n := now()
	v := &bureauView{e: e, month: time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, time.Local), names: map[string]string{}}
	v.monthText = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.status = widget.NewLabel(lang.L("正在载入…"))
	v.status.Wrapping = fyne.TextWrapWord
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.month = v.month.AddDate(0, -1, 0); v.reload() })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.month = v.month.AddDate(0, 1, 0); v.reload() })
	xlsx := widget.NewButtonWithIcon(lang.L("导出月报 Excel"), theme.DocumentSaveIcon(), func() { v.askReport(".xlsx") })
	pdf := widget.NewButtonWithIcon(lang.L("导出月报 PDF"), theme.DocumentPrintIcon(), func() { v.askReport(".pdf") })
	bar := container.NewHBox(prev, v.monthText, next, layout.NewSpacer(), xlsx, pdf)
	v.overview = container.NewVBox()
	v.opinions = container.NewVBox()
	v.conflicts = container.NewVBox()
	v.policies = container.NewVBox()
	v.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("各站概况"), v.overview),
		container.NewTabItem(lang.L("群众意见"), v.opinions),
		container.NewTabItem(lang.L("冲突裁定"), v.conflicts),
		container.NewTabItem(lang.L("政策送达"), v.policies),
	)
	v.card = widget.NewCard(lang.L("区县人社局工作台"), lang.L("各站点的上门服务、培训学习、政策宣传和群众意见"),
		container.NewVBox(bar, v.status, v.tabs))
	return v
}

// bureauState is everything the desk shows, loaded in one go.
type bureauState struct {
	ov        data.BureauOverview
	opinions  []data.Opinion
	conflicts []data.Conflict
	policies  []data.PolicyDelivery
}

func (v *bureauView) reload() {
	month := v.month.Format("2006-01")
	v.monthText.SetText(fmt.Sprintf(lang.L("%d年%d月"), v.month.Year(), int(v.month.Month())))
	at := now()
	Go(v.e, func(ctx context.Context) (bureauState, error) {
		var s bureauState
		var err error
		if s.ov, err = v.e.Store.BureauOverview(ctx, month, at, data.DefaultStaleDays); err != nil {
			return s, err
		}
		if s.opinions, err = v.e.Store.OpinionQueue(ctx, "", "", 200); err != nil {
			return s, err
		}
		if s.conflicts, err = v.e.Store.Conflicts(ctx, false, 50); err != nil {
			return s, err
		}
		s.policies, err = v.e.Store.PolicyDeliveries(ctx, 50)
		return s, err
	}, func(s bureauState, err error) {
		if err != nil {
			v.status.SetText(UserMessage(err))
			v.status.Show()
			return
		}
		for _, st := range s.ov.Stations {
			v.names[st.Code] = st.Name
		}
		v.showStatus(s.ov)
		v.showOverview(s.ov)
		v.showOpinions(s.opinions)
		v.showConflicts(s.conflicts)
		v.showPolicies(s.policies)
		v.tabs.Items[1].Text = fmt.Sprintf(lang.L("群众意见（%d 条待答复）"), unanswered(s.opinions))
		v.tabs.Items[2].Text = fmt.Sprintf(lang.L("冲突裁定（%d）"), len(s.conflicts))
		v.tabs.Refresh()
		v.card.Refresh()
	})
}

func unanswered(list []data.Opinion) int {
	n := 0
	for _, o := range list {
		if o.Status == "已记录" || o.Status == "已上报" {
			n++
		}
	}
	return n
}

func (v *bureauView) showStatus(ov data.BureauOverview) {
	if len(ov.Stations) == 0 {
		v.status.SetText(lang.L("还没有登记站点：请在“数据同步”中添加站点。"))
		v.status.Importance = widget.MediumImportance
		v.status.Show()
		return
	}
	stale := ov.StaleStations()
	if len(stale) == 0 {
		v.status.Hide()
		return
	}
	var names []string
	for _, s := range stale {
		names = append(names, s.Name)
	}
	v.status.SetText(fmt.Sprintf(lang.L("%d 个站点超过 %d 天未送来数据包：%s"), len(stale), ov.StaleDays, strings.Join(names, "、")))
	v.status.Importance = widget.WarningImportance
	v.status.Show()
}

func bwCell(s string, bold bool) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
}

func (v *bureauView) showOverview(ov data.BureauOverview) {
	head := []string{lang.L("站点"), lang.L("本月上门"), lang.L("服务人数"), lang.L("待办跟进"), lang.L("逾期"), lang.L("学习日"), lang.L("出勤率"),
		lang.L("政策卡片"), lang.L("群众意见"), lang.L("最近数据包"), ""}
	grid := container.NewGridWithColumns(len(head))
	for _, h := range head {
		grid.Add(bwCell(h, true))
	}
	row := func(name string, f data.StationFigures, last string, stale bool, open func()) {
		grid.Add(bwCell(name, open == nil))
		for _, n := range []int{f.Visits, f.Residents, f.OpenFollowups, f.OverdueFollowups, f.StudyDays} {
			grid.Add(bwCell(fmt.Sprint(n), open == nil))
		}
		rate := "—"
		if f.Recorded > 0 {
			rate = fmt.Sprintf("%.0f%%", f.Rate*100)
		}
		grid.Add(bwCell(rate, open == nil))
		grid.Add(bwCell(fmt.Sprint(f.Cards), open == nil))
		grid.Add(bwCell(fmt.Sprint(f.OpinionTotal()), open == nil))
		l := bwCell(last, false)
		if stale {
			l.Importance = widget.WarningImportance
		}
		grid.Add(l)
		if open != nil {
			grid.Add(widget.NewButton(lang.L("查看"), open))
		} else {
			grid.Add(widget.NewLabel(""))
		}
	}
	for _, st := range ov.Stations {
		st := st
		last := lang.L("从未收到")
		if !st.LastBundle.IsZero() {
			last = st.LastBundle.Format("2006-01-02")
		}
		if st.Stale {
			last += lang.L("（超期未报）")
		}
		row(st.Name, st.Month, last, st.Stale, func() { v.openStation(st.Code) })
	}
	row(lang.L("合计"), ov.MonthAll, "", false, nil)
	year := widget.NewLabel(fmt.Sprintf(lang.L("%d年累计：上门服务 %d 次，服务 %d 人，学习日 %d 场，出勤率 %.0f%%，政策卡片 %d 张，群众意见 %d 条"),
		ov.Year, ov.YearAll.Visits, ov.YearAll.Residents, ov.YearAll.StudyDays, ov.YearAll.Rate*100, ov.YearAll.Cards, ov.YearAll.OpinionTotal()))
	year.Wrapping = fyne.TextWrapWord
	charts := container.NewHBox(
		container.NewVBox(heading(fmt.Sprintf(lang.L("%d年各月上门服务次数"), ov.Year)), visitsChart(ov)),
		container.NewVBox(heading(fmt.Sprintf(lang.L("%d年学习日出勤率"), ov.Year)), rateChart(ov)),
	)
	v.overview.Objects = []fyne.CanvasObject{grid, year, charts}
	v.overview.Refresh()
}

// chartColors tell the stations apart in the charts.
var chartColors = []color.NRGBA{{52, 101, 164, 255}, {204, 102, 0, 255}, {78, 154, 6, 255}, {117, 80, 123, 255}, {193, 125, 17, 255}, {32, 74, 135, 255}}

func chartText(s string, size float32, x, y float32) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.Move(fyne.NewPos(x, y))
	return t
}

func fixedBox(size fyne.Size, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewGridWrapLayout(size), container.NewWithoutLayout(objs...))
}

// visitsChart is a grouped bar chart: for each month, one bar per station.
func visitsChart(ov data.BureauOverview) fyne.CanvasObject {
	const w, h, left, base = 560, 200, 30, 160
	top := 1
	for _, st := range ov.Stations {
		for _, n := range st.VisitsByMonth {
			top = max(top, n)
		}
	}
	var objs []fyne.CanvasObject
	axis := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
	axis.Move(fyne.NewPos(left, base))
	axis.Resize(fyne.NewSize(w-left, 1))
	objs = append(objs, axis, chartText(fmt.Sprint(top), 10, 0, 0), chartText("0", 10, 12, base-12))
	slot := float32(w-left) / 12
	ns := max(len(ov.Stations), 1)
	bw := (slot - 6) / float32(ns)
	for m := 0; m < 12; m++ {
		x := left + slot*float32(m) + 3
		for i, st := range ov.Stations {
			bh := float32(base-10) * float32(st.VisitsByMonth[m]) / float32(top)
			r := canvas.NewRectangle(chartColors[i%len(chartColors)])
			r.Move(fyne.NewPos(x+bw*float32(i), base-bh))
			r.Resize(fyne.NewSize(max(bw-1, 1), bh))
			objs = append(objs, r)
		}
		objs = append(objs, chartText(fmt.Sprintf(lang.L("%d月"), m+1), 10, x, base+2))
	}
	lx := float32(left)
	for i, st := range ov.Stations {
		sw := canvas.NewRectangle(chartColors[i%len(chartColors)])
		sw.Move(fyne.NewPos(lx, base+22))
		sw.Resize(fyne.NewSize(10, 10))
		name := chartName(st.Name)
		objs = append(objs, sw, chartText(name, 11, lx+14, base+19))
		lx += 24 + fyne.MeasureText(name, 11, fyne.TextStyle{}).Width
	}
	return fixedBox(fyne.NewSize(w, h), objs...)
}

// rateChart is a horizontal bar per station: the year's study-day attendance.
func rateChart(ov data.BureauOverview) fyne.CanvasObject {
	const w, left, barH = 380, 90, 18
	var objs []fyne.CanvasObject
	for i, st := range ov.Stations {
		y := float32(i) * (barH + 8)
		objs = append(objs, chartText(chartName(st.Name), 11, 0, y+2))
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		bg.Move(fyne.NewPos(left, y))
		bg.Resize(fyne.NewSize(w-left-50, barH))
		r := canvas.NewRectangle(chartColors[i%len(chartColors)])
		r.Move(fyne.NewPos(left, y))
		r.Resize(fyne.NewSize(float32(w-left-50)*float32(st.Year.Rate), barH))
		objs = append(objs, bg, r, chartText(fmt.Sprintf("%.0f%%", st.Year.Rate*100), 11, w-45, y+2))
	}
	h := max(float32(len(ov.Stations))*(barH+8), 30)
	return fixedBox(fyne.NewSize(w, h), objs...)
}

func chartName(s string) string {
	for _, suf := range []string{"劳动保障站", "社区服务中心", "服务中心"} {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			return t
		}
	}
	return s
}

// openStation replaces the overview with one station's records, read-only.
func (v *bureauView) openStation(code string) {
	name := v.names[code]
	back := widget.NewButtonWithIcon(lang.L("返回各站概况"), theme.NavigateBackIcon(), func() { v.reload() })
	loading := widget.NewLabel(lang.L("正在载入…"))
	v.overview.Objects = []fyne.CanvasObject{container.NewHBox(back, heading(name)), loading}
	v.overview.Refresh()
	Go(v.e, func(ctx context.Context) (data.StationDrill, error) {
		return v.e.Store.StationDrill(ctx, code, data.DrillQuery{})
	},
		func(d data.StationDrill, err error) {
			if err != nil {
				loading.SetText(UserMessage(err))
				return
			}
			loading.Hide()
			v.overview.Add(stationDrillTabs(d))
			v.overview.Refresh()
		})
}

func drillList[T any](items []T, cols []string, row func(T) []string) fyne.CanvasObject {
	if len(items) == 0 {
		return widget.NewLabel(lang.L("没有记录。"))
	}
	grid := container.NewGridWithColumns(len(cols))
	for _, c := range cols {
		grid.Add(bwCell(c, true))
	}
	for _, it := range items {
		for _, s := range row(it) {
			l := widget.NewLabel(s)
			l.Truncation = fyne.TextTruncateEllipsis
			grid.Add(l)
		}
	}
	s := container.NewVScroll(grid)
	s.SetMinSize(fyne.NewSize(0, 360))
	return s
}

func stationDrillTabs(d data.StationDrill) fyne.CanvasObject {
	residents := drillList(d.Residents, []string{lang.L("姓名"), lang.L("性别"), lang.L("身份证号"), lang.L("联系电话"), lang.L("村(社区)"), lang.L("服务类别"), lang.L("最近上门")},
		func(r data.DrillResident) []string {
			return []string{r.Name, r.Gender, r.IDNumber, r.Phone, r.Village, strings.Join(r.Categories, "、"), r.LastVisit}
		})
	visits := drillList(d.Visits, []string{lang.L("日期"), lang.L("服务对象"), lang.L("服务事项"), lang.L("办理结果"), lang.L("跟进期限")},
		func(x data.DrillVisit) []string {
			return []string{x.Date, x.Resident, strings.Join(x.Services, "、"), x.Outcome, x.FollowupDue}
		})
	trainings := drillList(d.Trainings, []string{lang.L("日期"), lang.L("类型"), lang.L("主题"), lang.L("出勤")},
		func(t data.DrillTraining) []string {
			return []string{t.Date, data.TrainingTypeLabel(t.Type), t.Topic, fmt.Sprintf("%d/%d", t.Attended, t.Recorded)}
		})
	opinions := drillList(d.Opinions, []string{lang.L("日期"), lang.L("来源"), lang.L("类别"), lang.L("内容"), lang.L("状态")},
		func(o data.Opinion) []string { return []string{o.Date, o.Source, o.Category, o.Content, o.Status} })
	return container.NewAppTabs(
		container.NewTabItem(fmt.Sprintf(lang.L("服务对象（%d）"), len(d.Residents)), residents),
		container.NewTabItem(fmt.Sprintf(lang.L("上门服务（%d）"), len(d.Visits)), visits),
		container.NewTabItem(fmt.Sprintf(lang.L("培训学习（%d）"), len(d.Trainings)), trainings),
		container.NewTabItem(fmt.Sprintf(lang.L("群众意见（%d）"), len(d.Opinions)), opinions),
	)
}

// bureauReply is the reply row of one opinion waiting for the bureau.
type bureauReply struct {
	entry *widget.Entry
	send  *widget.Button
	msgs  *fieldMessages
}

func (v *bureauView) showOpinions(list []data.Opinion) {
	v.opinions.Objects = nil
	v.replies = nil
	shown := 0
	for _, o := range list {
		if o.Status != "已记录" && o.Status != "已上报" {
			continue
		}
		if shown++; shown > 30 {
			break
		}
		o := o
		text := widget.NewLabel(fmt.Sprintf("%s　%s　%s·%s　[%s]\n%s", o.Date, v.names[o.Origin], o.Source, o.Category, o.Status, o.Content))
		text.Wrapping = fyne.TextWrapWord
		reply := widget.NewEntry()
		reply.SetPlaceHolder(lang.L("答复内容"))
		msgs := newFieldMessages(v.e.Win)
		send := widget.NewButton(lang.L("答复"), nil)
		send.OnTapped = func() {
			r := reply.Text
			send.Disable()
			msgs.clear()
			saveOff(v.e, func(ctx context.Context) error { return v.e.Store.AnswerOpinion(ctx, o.ID, r, bureauActor(v.e)) }, func(err error) {
				send.Enable()
				msgs.report(err)
				if err == nil {
					v.reload()
				}
			})
		}
		v.replies = append(v.replies, bureauReply{reply, send, msgs})
		v.opinions.Add(container.NewVBox(text, container.NewBorder(nil, nil, nil, send, reply), msgs.line(reply, "reply"), msgs.status, widget.NewSeparator()))
	}
	if shown == 0 {
		v.opinions.Add(widget.NewLabel(lang.L("没有待答复的群众意见。")))
	}
	v.opinions.Refresh()
}

func (v *bureauView) showConflicts(list []data.Conflict) {
	v.conflicts.Objects = nil
	if len(list) == 0 {
		v.conflicts.Add(widget.NewLabel(lang.L("没有待裁定的冲突。")))
	}
	for _, c := range list {
		c := c
		who := func(code string) string {
			if n := v.names[code]; n != "" {
				return n
			}
			if code == v.e.Ident.Code {
				return lang.L("本局")
			}
			return code
		}
		title := fmt.Sprintf(lang.L("%s %s：%s 与 %s 同时修改"), c.KindLabel, shortID(c.RecordID), who(c.WinnerNode), who(c.LoserNode))
		if c.Reason == "duplicate" {
			title = fmt.Sprintf(lang.L("%s：%s 的记录与已有记录重复（如同一身份证号）"), c.KindLabel, who(c.LoserNode))
		}
		grid := container.NewGridWithColumns(3, bwCell(lang.L("字段"), true),
			bwCell(fmt.Sprintf(lang.L("现值（%s，%s）"), who(c.WinnerNode), c.WinnerAt.Format("01-02 15:04")), true),
			bwCell(fmt.Sprintf(lang.L("另一方（%s，%s）"), who(c.LoserNode), c.LoserAt.Format("01-02 15:04")), true))
		for _, f := range c.Fields {
			cur, los := widget.NewLabel(f.Current), widget.NewLabel(f.Loser)
			cur.Wrapping, los.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
			grid.Add(widget.NewLabel(fieldLabel(f.Name)))
			grid.Add(cur)
			grid.Add(los)
		}
		keep := widget.NewButtonWithIcon(lang.L("保留现值"), theme.ConfirmIcon(), func() { v.settle(c.N, false) })
		take := widget.NewButtonWithIcon(lang.L("改用另一方"), theme.ViewRefreshIcon(), func() { v.settle(c.N, true) })
		if c.Reason == "duplicate" {
			take.Hide()
			keep.SetText(lang.L("已人工处理"))
		}
		v.conflicts.Add(widget.NewCard("", title, container.NewVBox(grid, container.NewHBox(keep, take))))
	}
	v.conflicts.Refresh()
}

func (v *bureauView) settle(n int64, takeLoser bool) {
	Go(v.e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, v.e.Store.SettleConflict(ctx, n, takeLoser, bureauActor(v.e))
	}, func(_ struct{}, err error) {
		if err != nil {
			v.e.ShowError(err)
		}
		v.reload()
	})
}

func (v *bureauView) showPolicies(list []data.PolicyDelivery) {
	v.policies.Objects = nil
	if len(list) == 0 {
		v.policies.Add(widget.NewLabel(lang.L("本局还没有发布政策。")))
		v.policies.Refresh()
		return
	}
	names := func(codes []string) string {
		var out []string
		for _, c := range codes {
			out = append(out, chartName(v.names[c]))
		}
		if len(out) == 0 {
			return "—"
		}
		return strings.Join(out, "、")
	}
	grid := container.NewGridWithColumns(5, bwCell(lang.L("政策"), true), bwCell(lang.L("文号"), true), bwCell(lang.L("版本"), true),
		bwCell(lang.L("已收到"), true), bwCell(lang.L("尚未收到"), true))
	for _, d := range list {
		t := widget.NewLabel(d.Title)
		t.Truncation = fyne.TextTruncateEllipsis
		pending := widget.NewLabel(names(d.Pending))
		if len(d.Pending) > 0 {
			pending.Importance = widget.WarningImportance
		}
		grid.Add(t)
		grid.Add(widget.NewLabel(d.DocNo))
		grid.Add(widget.NewLabel(d.Version.Format("2006-01-02 15:04")))
		grid.Add(widget.NewLabel(names(d.Received)))
		grid.Add(pending)
	}
	v.policies.Add(grid)
	v.policies.Refresh()
}

// askReport asks where to save the month's report, then writes it off the UI thread.
func (v *bureauView) askReport(ext string) {
	month := v.month.Format("2006-01")
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		v.saveReport(month, ext, path)
	}, v.e.Win)
	dlg.SetFileName(fmt.Sprintf(lang.L("%s月报"), month) + ext)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	dlg.Show()
}

func (v *bureauView) saveReport(month, ext, path string) {
	at := now()
	Go(v.e, func(ctx context.Context) (data.MonthlyReport, error) {
		if ext == ".pdf" {
			return v.e.Store.SaveMonthlyPDF(ctx, month, at, path)
		}
		return v.e.Store.SaveMonthlyXLSX(ctx, month, at, path)
	}, func(_ data.MonthlyReport, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		dialog.ShowInformation(lang.L("月报已生成"), path, v.e.Win)
	})
}

// fieldLabels name the record fields a conflict may show.
var fieldLabels = map[string]string{
	"notes": "备注", "name": "姓名", "gender": "性别", "id_number": "身份证号", "phone": "联系电话", "village": "村(社区)",
	"address": "住址", "categories": "服务类别", "needs": "需求", "date": "日期", "services": "服务事项", "outcome": "办理结果",
	"followup_needed": "需要跟进", "followup_due": "跟进期限", "followup_done_at": "跟进完成日期", "followup_result": "跟进结果",
	"status": "状态", "reply": "答复", "content": "内容", "category": "类别", "source": "来源", "title": "标题", "summary": "摘要",
	"topic": "主题", "deleted": "已删除", "role": "职务", "active": "在岗",
}

func fieldLabel(name string) string {
	if l, ok := fieldLabels[name]; ok {
		return lang.L(l)
	}
	return name
}

// bureauActor is who answers and settles: the signed-in officer, or the bureau.
func bureauActor(e *Env) string {
	if a := e.Actor(); a != "" {
		return a
	}
	return e.Ident.Name
}
