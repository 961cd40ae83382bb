package app

import (
	"context"
	"fmt"
	"image/color"
	"sort"
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

// The bureau's desk comes first on its 首页: it is what the bureau opens the program for.
func init() { homeFirst = append([]func(e *Env) fyne.CanvasObject{bureauHomePanel}, homeFirst...) }

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
	conflicts *conflictPanel
	policies  *fyne.Container
	names     map[string]string // station code -> name
	stations  []data.StationOverview

	opStation *widget.Select // the opinion queue's station filter
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
	v.conflicts = newConflictPanel(e, v.reload)
	v.policies = container.NewVBox()
	v.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("各站概况"), v.overview),
		container.NewTabItem(lang.L("群众意见"), v.opinions),
		container.NewTabItem(lang.L("冲突裁定"), v.conflicts.box),
		container.NewTabItem(lang.L("政策送达"), v.policies),
		container.NewTabItem(lang.L("政策找人"), bureauReachPanel(e)),
	)
	v.card = widget.NewCard(lang.L("区县人社局工作台"), lang.L("各站点的上门服务、培训学习、政策宣传和群众意见"),
		container.NewVBox(bar, v.status, v.tabs))
	return v
}

// bureauState is everything the desk shows, loaded in one go.
type bureauState struct {
	ov        data.BureauOverview
	opinions  opinionQueue
	conflicts conflictState
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
		if s.opinions, err = loadOpinionQueue(ctx, v.e.Store, v.opCode()); err != nil {
			return s, err
		}
		if s.conflicts, err = loadConflicts(ctx, v.e.Store); err != nil {
			return s, err
		}
		s.policies, err = v.e.Store.PolicyDeliveries(ctx, policiesShown)
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
		v.stations = s.ov.Stations
		v.showStatus(s.ov)
		v.showOverview(s.ov)
		v.showOpinions(s.opinions)
		v.conflicts.show(s.conflicts)
		v.showPolicies(s.policies)
		v.tabs.Items[1].Text = fmt.Sprintf(lang.L("群众意见（%d 条待答复）"), s.opinions.all)
		v.tabs.Items[2].Text = fmt.Sprintf(lang.L("冲突裁定（%d）"), s.conflicts.total)
		v.tabs.Refresh()
		v.card.Refresh()
	})
}

// opinionQueue is what the 群众意见 tab shows for the chosen station (or all):
// the oldest opinions waiting for a reply, how many wait, the latest replies.
type opinionQueue struct {
	waiting  []data.Opinion
	answered []data.Opinion
	count    int // waiting, of the chosen station
	all      int // waiting, of every station (the tab's title)
}

func loadOpinionQueue(ctx context.Context, st *data.Store, code string) (opinionQueue, error) {
	var q opinionQueue
	counts, err := st.CountOpinions(ctx, data.OpinionFilter{Station: code})
	if err != nil {
		return q, err
	}
	q.count = counts["已记录"] + counts["已上报"]
	q.all = q.count
	if code != "" {
		all, err := st.CountOpinions(ctx, data.OpinionFilter{})
		if err != nil {
			return q, err
		}
		q.all = all["已记录"] + all["已上报"]
	}
	for _, status := range []string{"已记录", "已上报"} {
		list, err := st.OpinionQueue(ctx, code, status, opinionsShown)
		if err != nil {
			return q, err
		}
		q.waiting = append(q.waiting, list...)
	}
	sort.SliceStable(q.waiting, func(i, j int) bool { return q.waiting[i].Date < q.waiting[j].Date })
	q.waiting = q.waiting[:min(len(q.waiting), opinionsShown)]
	q.answered, err = st.Opinions(ctx, data.OpinionFilter{Station: code, Status: "已答复", Limit: 10})
	return q, err
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
	var never, late []string
	for _, s := range stale {
		if s.LastBundle.IsZero() {
			never = append(never, s.Name)
		} else {
			late = append(late, s.Name)
		}
	}
	var lines []string
	if len(late) > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("%d 个站点超过 %d 天未送来数据包：%s"), len(late), ov.StaleDays, strings.Join(late, "、")))
	}
	if len(never) > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("%d 个站点从未送来数据包：%s"), len(never), strings.Join(never, "、")))
	}
	v.status.SetText(strings.Join(lines, "\n"))
	v.status.Importance = widget.WarningImportance
	v.status.Show()
}

func bwCell(s string, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// columns lays a row's cells out side by side in proportion to weights; its
// minimum width is only what the cells need (truncating labels need little),
// so a wide table never widens the window.
type columns struct{ weights []float32 }

func (c *columns) total() float32 {
	var t float32
	for _, w := range c.weights {
		t += w
	}
	return t
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	free := size.Width - pad*float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := free * c.weights[i%len(c.weights)] / c.total()
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		m := o.MinSize()
		w += m.Width
		h = max(h, m.Height)
	}
	return fyne.NewSize(w+theme.Padding()*float32(max(len(objs)-1, 0)), h)
}

// tableRow is one row of cells laid out by weights.
func tableRow(weights []float32, cells ...fyne.CanvasObject) *fyne.Container {
	return container.New(&columns{weights}, cells...)
}

func (v *bureauView) showOverview(ov data.BureauOverview) {
	weights := []float32{2.4, 1, 1, 1, 0.8, 0.8, 1, 1, 1, 1.6, 0.9}
	head := []string{lang.L("站点"), lang.L("本月上门"), lang.L("服务人数"), lang.L("待办跟进"), lang.L("逾期"), lang.L("学习日"), lang.L("出勤率"),
		lang.L("政策卡片"), lang.L("群众意见"), lang.L("最近数据包"), ""}
	var hcells []fyne.CanvasObject
	for _, h := range head {
		hcells = append(hcells, bwCell(h, true))
	}
	table := container.NewVBox(tableRow(weights, hcells...), widget.NewSeparator())
	row := func(name string, f data.StationFigures, last string, stale bool, open func()) {
		cells := []fyne.CanvasObject{bwCell(name, open == nil)}
		for _, n := range []int{f.Visits, f.Residents, f.OpenFollowups, f.OverdueFollowups, f.StudyDays} {
			cells = append(cells, bwCell(fmt.Sprint(n), open == nil))
		}
		rate := "—"
		if f.Recorded > 0 {
			rate = fmt.Sprintf("%.1f%%", f.Rate*100)
		}
		cells = append(cells, bwCell(rate, open == nil), bwCell(fmt.Sprint(f.Cards), open == nil), bwCell(fmt.Sprint(f.OpinionTotal()), open == nil))
		l := bwCell(last, false)
		if stale {
			l.Importance = widget.WarningImportance
		}
		cells = append(cells, l)
		if open != nil {
			b := widget.NewButton(lang.L("查看"), open)
			cells = append(cells, b)
		} else {
			cells = append(cells, widget.NewLabel(""))
		}
		table.Add(tableRow(weights, cells...))
	}
	for _, st := range ov.Stations {
		st := st
		last := lang.L("从未送来")
		if !st.LastBundle.IsZero() {
			last = st.LastBundle.Format("2006-01-02")
			if st.Stale {
				last += lang.L("（超期）")
			}
		}
		row(st.Name, st.Month, last, st.Stale, func() { v.openStation(st.Code) })
	}
	table.Add(widget.NewSeparator())
	row(lang.L("合计"), ov.MonthAll, "", false, nil)
	note := widget.NewLabel(fmt.Sprintf(lang.L("待办跟进和逾期：截至 %s 尚未办结的全部跟进事项（与各站首页一致）；其余为本月数字。"), ov.AsOf))
	note.Wrapping = fyne.TextWrapWord
	year := widget.NewLabel(fmt.Sprintf(lang.L("%d年累计：上门服务 %d 次，服务 %d 人，学习日 %d 场，出勤率 %.1f%%，政策卡片 %d 张，群众意见 %d 条"),
		ov.Year, ov.YearAll.Visits, ov.YearAll.Residents, ov.YearAll.StudyDays, ov.YearAll.Rate*100, ov.YearAll.Cards, ov.YearAll.OpinionTotal()))
	year.Wrapping = fyne.TextWrapWord
	charts := container.NewVBox(
		heading(fmt.Sprintf(lang.L("%d年各月上门服务次数"), ov.Year)), visitsChart(ov),
		heading(fmt.Sprintf(lang.L("%d年学习日出勤率"), ov.Year)), rateChart(ov),
	)
	v.overview.Objects = []fyne.CanvasObject{table, note, year, charts}
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

// drillPage is how many records of each kind the drill-down shows at once.
const drillPage = 200

// stationDrill is one station's records at the bureau, read-only: a search
// over every kind, and per kind one page with its count and 上一页/下一页.
type stationDrill struct {
	v      *bureauView
	code   string
	search *widget.Entry
	offset map[string]int
	tabs   *container.AppTabs
	body   *fyne.Container
	status *widget.Label
}

// openStation replaces the overview with one station's records, read-only.
func (v *bureauView) openStation(code string) {
	name := v.names[code]
	back := widget.NewButtonWithIcon(lang.L("返回各站概况"), theme.NavigateBackIcon(), func() { v.reload() })
	d := &stationDrill{v: v, code: code, search: widget.NewEntry(), offset: map[string]int{}, body: container.NewVBox(), status: widget.NewLabel(lang.L("正在载入…"))}
	d.search.SetPlaceHolder(lang.L("搜索姓名、村(社区)、服务事项、主题或内容"))
	d.search.OnSubmitted = func(string) { d.offset = map[string]int{}; d.load() }
	find := widget.NewButtonWithIcon(lang.L("搜索"), theme.SearchIcon(), func() { d.offset = map[string]int{}; d.load() })
	top := container.NewBorder(nil, nil, container.NewHBox(back, heading(name)), find, d.search)
	v.overview.Objects = []fyne.CanvasObject{top, d.status, d.body}
	v.overview.Refresh()
	d.load()
}

func (d *stationDrill) load() {
	q := data.DrillQuery{Search: d.search.Text, Limit: drillPage, Offset: d.offset}
	Go(d.v.e, func(ctx context.Context) (data.StationDrill, error) { return d.v.e.Store.StationDrill(ctx, d.code, q) },
		func(sd data.StationDrill, err error) {
			if err != nil {
				d.status.SetText(UserMessage(err))
				d.status.Show()
				return
			}
			d.status.SetText(fmt.Sprintf(lang.L("待办跟进 %d 项，其中逾期 %d 项（截至今天，与站点首页一致）"), sd.Followups.Open, sd.Followups.Overdue))
			sel := 0
			if d.tabs != nil {
				sel = d.tabs.SelectedIndex()
			}
			d.tabs = d.tabsFor(sd)
			d.tabs.SelectIndex(sel)
			d.body.Objects = []fyne.CanvasObject{d.tabs}
			d.body.Refresh()
		})
}

// pager says which records a tab shows of how many, with 上一页/下一页.
func (d *stationDrill) pager(sd data.StationDrill, kind string, shown int) fyne.CanvasObject {
	total, off := sd.Totals[kind], sd.Offset[kind]
	text := fmt.Sprintf(lang.L("共 %s 条"), thousands(total))
	if total > shown {
		text = fmt.Sprintf(lang.L("显示第 %s–%s 条，共 %s 条"), thousands(off+1), thousands(off+shown), thousands(total))
	}
	prev := widget.NewButtonWithIcon(lang.L("上一页"), theme.NavigateBackIcon(), func() { d.offset[kind] = max(0, off-drillPage); d.load() })
	next := widget.NewButtonWithIcon(lang.L("下一页"), theme.NavigateNextIcon(), func() { d.offset[kind] = off + drillPage; d.load() })
	if off == 0 {
		prev.Disable()
	}
	if off+shown >= total {
		next.Disable()
	}
	return container.NewHBox(widget.NewLabel(text), prev, next)
}

func drillList[T any](items []T, weights []float32, cols []string, row func(T) []string) fyne.CanvasObject {
	if len(items) == 0 {
		return widget.NewLabel(lang.L("没有记录。"))
	}
	var head []fyne.CanvasObject
	for _, c := range cols {
		head = append(head, bwCell(c, true))
	}
	list := container.NewVBox()
	for _, it := range items {
		var cells []fyne.CanvasObject
		for _, s := range row(it) {
			cells = append(cells, bwCell(s, false))
		}
		list.Add(tableRow(weights, cells...))
	}
	s := container.NewVScroll(list)
	s.SetMinSize(fyne.NewSize(0, 360))
	return container.NewBorder(tableRow(weights, head...), nil, nil, nil, s)
}

func (d *stationDrill) tabsFor(sd data.StationDrill) *container.AppTabs {
	residents := drillList(sd.Residents, []float32{1, 0.5, 1.6, 1.1, 1.2, 1.5, 1}, []string{lang.L("姓名"), lang.L("性别"), lang.L("身份证号"), lang.L("联系电话"), lang.L("村(社区)"), lang.L("服务类别"), lang.L("最近上门")},
		func(r data.DrillResident) []string {
			return []string{r.Name, r.Gender, r.IDNumber, r.Phone, r.Village, strings.Join(r.Categories, "、"), r.LastVisit}
		})
	visits := drillList(sd.Visits, []float32{1, 1, 2, 2, 1.2}, []string{lang.L("日期"), lang.L("服务对象"), lang.L("服务事项"), lang.L("办理结果"), lang.L("跟进期限")},
		func(x data.DrillVisit) []string {
			due := x.FollowupDue
			if x.Overdue {
				due += lang.L("（逾期）")
			}
			return []string{x.Date, x.Resident, strings.Join(x.Services, "、"), x.Outcome, due}
		})
	trainings := drillList(sd.Trainings, []float32{1, 1, 3, 0.8}, []string{lang.L("日期"), lang.L("类型"), lang.L("主题"), lang.L("出勤")},
		func(t data.DrillTraining) []string {
			return []string{t.Date, data.TrainingTypeLabel(t.Type), t.Topic, fmt.Sprintf("%d/%d", t.Attended, t.Recorded)}
		})
	opinions := drillList(sd.Opinions, []float32{1, 0.8, 0.8, 3.5, 0.8}, []string{lang.L("日期"), lang.L("来源"), lang.L("类别"), lang.L("内容"), lang.L("状态")},
		func(o data.Opinion) []string { return []string{o.Date, o.Source, o.Category, o.Content, o.Status} })
	tab := func(title, kind string, shown int, body fyne.CanvasObject) *container.TabItem {
		return container.NewTabItem(fmt.Sprintf(title, sd.Totals[kind]), container.NewBorder(d.pager(sd, kind, shown), nil, nil, nil, body))
	}
	return container.NewAppTabs(
		tab(lang.L("服务对象（%d）"), data.DrillResidents, len(sd.Residents), residents),
		tab(lang.L("上门服务（%d）"), data.DrillVisits, len(sd.Visits), visits),
		tab(lang.L("培训学习（%d）"), data.DrillTrainings, len(sd.Trainings), trainings),
		tab(lang.L("群众意见（%d）"), data.DrillOpinions, len(sd.Opinions), opinions),
	)
}

// bureauReply is the reply row of one opinion waiting for the bureau.
type bureauReply struct {
	entry *widget.Entry
	send  *widget.Button
	msgs  *fieldMessages
}

// opinionsShown is how many opinions waiting for a reply the queue lists at once.
const opinionsShown = 30

// stationOptions are the station filter's choices: every station, then each by name.
func (v *bureauView) stationOptions() ([]string, map[string]string) {
	opts := []string{lang.L("全部站点")}
	codes := map[string]string{}
	for _, st := range v.stations {
		opts = append(opts, st.Name)
		codes[st.Name] = st.Code
	}
	return opts, codes
}

// opCode is the station chosen in the opinion queue ("" for all).
func (v *bureauView) opCode() string {
	if v.opStation == nil {
		return ""
	}
	_, codes := v.stationOptions()
	return codes[v.opStation.Selected]
}

func (v *bureauView) showOpinions(q opinionQueue) {
	opts, _ := v.stationOptions()
	if v.opStation == nil {
		v.opStation = widget.NewSelect(opts, nil)
		v.opStation.SetSelected(opts[0])
		v.opStation.OnChanged = func(string) {
			code := v.opCode()
			Go(v.e, func(ctx context.Context) (opinionQueue, error) { return loadOpinionQueue(ctx, v.e.Store, code) },
				func(q opinionQueue, err error) {
					if err != nil {
						v.e.ShowError(err)
						return
					}
					v.showOpinions(q)
				})
		}
	}
	v.opStation.Options = opts
	v.opinions.Objects = nil
	v.replies = nil
	waiting, answered := q.waiting, q.answered
	count := widget.NewLabel(fmt.Sprintf(lang.L("待答复 %d 条"), q.count))
	if q.count > len(waiting) {
		count.SetText(fmt.Sprintf(lang.L("待答复 %d 条，显示最早的 %d 条；可按站点筛选"), q.count, len(waiting)))
	}
	v.opinions.Add(container.NewBorder(nil, nil, widget.NewLabel(lang.L("站点")), count, v.opStation))
	for _, o := range waiting {
		o := o
		text := widget.NewLabel(fmt.Sprintf("%s　%s　%s·%s　[%s]\n%s", o.Date, v.names[o.Origin], lang.L(o.Source), o.Category, lang.L(o.Status), o.Content))
		text.Wrapping = fyne.TextWrapWord
		reply := widget.NewEntry()
		reply.SetPlaceHolder(lang.L("答复内容"))
		msgs := newFieldMessages(v.e.Win)
		send := widget.NewButton(lang.L("答复"), nil)
		send.OnTapped = func() {
			r := reply.Text
			send.Disable()
			msgs.clear()
			actor := bureauActor(v.e)
			saveOff(v.e, func(ctx context.Context) error {
				return v.e.Store.AnswerOpinion(data.WithActor(ctx, actor), o.ID, r, actor)
			}, func(err error) {
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
	if len(waiting) == 0 {
		v.opinions.Add(widget.NewLabel(lang.L("没有待答复的群众意见。")))
	}
	if len(answered) > 0 {
		v.opinions.Add(widget.NewLabelWithStyle(lang.L("最近的答复"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, o := range answered {
		o := o
		l := widget.NewLabel(fmt.Sprintf(lang.L("%s　%s：%s\n答复（%s，%s）：%s"), o.Date, v.names[o.Origin], o.Content, o.StatusBy, o.StatusAt.Format("2006-01-02 15:04"), o.Reply))
		l.Wrapping = fyne.TextWrapWord
		// Closing is the bureau's too (a status from 已答复 on); it goes down
		// to the station with the next bundle.
		closeIt := widget.NewButton(lang.L("办结"), nil)
		msgs := newFieldMessages(v.e.Win)
		closeIt.OnTapped = func() {
			closeIt.Disable()
			actor := bureauActor(v.e)
			saveOff(v.e, func(ctx context.Context) error {
				return v.e.Store.AdvanceOpinion(data.WithActor(ctx, actor), o.ID, "已办结", "", actor)
			}, func(err error) {
				closeIt.Enable()
				msgs.report(err)
				if err == nil {
					v.reload()
				}
			})
		}
		v.opinions.Add(container.NewVBox(container.NewBorder(nil, nil, nil, container.NewVBox(closeIt), l), msgs.status))
	}
	v.opinions.Refresh()
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
	weights := []float32{3, 1.6, 1.3, 2, 2}
	table := container.NewVBox(tableRow(weights, bwCell(lang.L("政策"), true), bwCell(lang.L("文号"), true), bwCell(lang.L("版本"), true),
		bwCell(lang.L("已收到"), true), bwCell(lang.L("尚未收到"), true)))
	for _, d := range list {
		received, pending := wrapped(names(d.Received), false), wrapped(names(d.Pending), false)
		if len(d.Pending) > 0 {
			pending.Importance = widget.WarningImportance
		}
		table.Add(tableRow(weights, bwCell(d.Title, false), bwCell(d.DocNo, false), bwCell(d.Version.Format("2006-01-02 15:04"), false), received, pending))
	}
	v.policies.Add(table)
	if len(list) >= policiesShown {
		v.policies.Add(widget.NewLabel(fmt.Sprintf(lang.L("只列出最近修改的 %d 份政策。"), policiesShown)))
	}
	v.policies.Refresh()
}

// policiesShown is how many of its policies the delivery tab lists, newest first.
const policiesShown = 50

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
		showSaved(v.e, lang.L("月报已生成"), "", path)
	})
}

// bureauActor is who answers and settles: the signed-in officer, or the bureau.
func bureauActor(e *Env) string {
	if a := e.Actor(); a != "" {
		return a
	}
	return e.Ident.Name
}
