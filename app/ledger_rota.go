package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// rotaView is the 大厅值班 tab: generate a month's rota round-robin, see it,
// swap duties (recorded), record opinions heard on duty, print it.
type rotaView struct {
	e       *Env
	content fyne.CanvasObject

	month      time.Time
	monthLabel *widget.Label
	from, to   *widget.Entry
	leaders    *fyne.Container // one check per officer
	checks     []*widget.Check
	order      []string // officer IDs in the turn ticked
	orderLabel *widget.Label
	officers   []data.Officer
	generate   *widget.Button
	genMsg     *widget.Label // what was generated
	genMsgs    *fieldMessages

	list   *fyne.Container
	duties []data.Duty
	swaps  *fyne.Container

	side   *fyne.Container
	scroll *container.Scroll

	swap    *swapDialog    // open, or nil
	opinion *opinionDialog // open, or nil
}

func newRotaView(e *Env) *rotaView {
	v := &rotaView{e: e}
	t := now()
	v.month = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.Local)
	v.monthLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.setMonth(v.month.AddDate(0, -1, 0)) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.setMonth(v.month.AddDate(0, 1, 0)) })
	printMonth := widget.NewButtonWithIcon(lang.L("打印本月值班表"), theme.DocumentPrintIcon(), func() { v.askPrint(false) })
	printWeek := widget.NewButtonWithIcon(lang.L("打印本周值班表"), theme.DocumentPrintIcon(), func() { v.askPrint(true) })
	top := container.NewBorder(nil, nil, container.NewHBox(prev, v.monthLabel, next), buttonRow(printWeek, printMonth))

	v.from, v.to = ledgerEntry("2026-11-01"), ledgerEntry("2026-11-30")
	v.leaders = container.NewVBox()
	v.orderLabel = widget.NewLabel("")
	v.orderLabel.Wrapping = fyne.TextWrapWord
	v.genMsg = ledgerMessage()
	v.genMsgs = newFieldMessages(e.Win)
	g := v.genMsgs
	v.generate = widget.NewButtonWithIcon(lang.L("按顺序轮流排班"), theme.ViewRefreshIcon(), v.doGenerate)
	v.generate.Importance = widget.HighImportance
	gen := widget.NewCard(lang.L("生成值班表"), lang.L("工作日按勾选顺序轮流，已有的排班会被替换"),
		container.NewVBox(widget.NewForm(widget.NewFormItem(lang.L("开始日期"), g.at(v.from, "from")), widget.NewFormItem(lang.L("结束日期"), g.at(v.to, "to"))),
			widget.NewLabel(lang.L("值班领导：")), v.leaders, v.orderLabel, g.line(v.leaders, "officers"), g.status, v.genMsg, container.NewHBox(layoutSpacer(), v.generate)))
	v.swaps = container.NewVBox()
	v.side = container.NewVBox(gen, widget.NewCard(lang.L("调换记录"), "", v.swaps))
	side := container.NewVScroll(v.side)

	v.list = container.NewVBox()
	v.scroll = container.NewVScroll(v.list)
	split := container.NewHSplit(container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, v.scroll), side)
	split.Offset = 0.62
	v.content = split
	v.setRange()
	return v
}

func (v *rotaView) setRange() {
	a, b := data.MonthRange(v.month)
	v.from.SetText(a)
	v.to.SetText(b)
	v.monthLabel.SetText(fmt.Sprintf(lang.L("%d年%d月"), v.month.Year(), int(v.month.Month())))
}

func (v *rotaView) setMonth(m time.Time) {
	v.month = m
	v.setRange()
	v.load()
}

type rotaData struct {
	officers []data.Officer
	duties   []data.Duty
	swaps    []data.DutySwap
	heard    map[string]int // opinions heard per date
}

func (v *rotaView) load() {
	month := v.month
	a, b := data.MonthRange(month)
	Go(v.e, func(ctx context.Context) (rotaData, error) {
		var d rotaData
		var err error
		if d.officers, err = v.e.Store.Officers(ctx, true); err != nil {
			return d, err
		}
		if d.duties, err = v.e.Store.Rota(ctx, a, b); err != nil {
			return d, err
		}
		if d.swaps, err = v.e.Store.DutySwaps(ctx, a, b); err != nil {
			return d, err
		}
		d.heard = map[string]int{}
		for _, du := range d.duties {
			if _, ok := d.heard[du.Date]; ok {
				continue
			}
			ops, err := v.e.Store.HallOpinions(ctx, du.Date)
			if err != nil {
				return d, err
			}
			d.heard[du.Date] = len(ops)
		}
		return d, nil
	}, func(d rotaData, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		if !month.Equal(v.month) {
			return
		}
		v.show(d)
	})
}

func (v *rotaView) show(d rotaData) {
	// The turn follows the order leaders are ticked in; on first load it is
	// the order they come on the month's rota.
	if len(v.checks) == 0 {
		seen := map[string]bool{}
		for _, du := range d.duties {
			if !seen[du.OfficerID] {
				seen[du.OfficerID] = true
				v.order = append(v.order, du.OfficerID)
			}
		}
	}
	// Leaders are this installation's own staff, not the stations' rosters.
	v.officers, v.checks = nil, nil
	own := map[string]bool{}
	for _, o := range d.officers {
		if o.StationCode == v.e.Ident.Code {
			v.officers = append(v.officers, o)
			own[o.ID] = true
		}
	}
	v.order = slices.DeleteFunc(v.order, func(id string) bool { return !own[id] })
	v.leaders.Objects = nil
	for _, o := range v.officers {
		id := o.ID
		c := widget.NewCheck(fmt.Sprintf("%s（%s）", o.Name, o.Role), nil)
		c.Checked = slices.Contains(v.order, id)
		c.OnChanged = func(on bool) {
			v.order = slices.DeleteFunc(v.order, func(x string) bool { return x == id })
			if on {
				v.order = append(v.order, id)
			}
			v.showOrder()
		}
		v.checks = append(v.checks, c)
		v.leaders.Add(c)
	}
	if len(v.officers) == 0 {
		l := widget.NewLabel(lang.L("还没有本单位人员：请在“设置 → 本单位人员”中添加领导。"))
		l.Wrapping = fyne.TextWrapWord
		v.leaders.Add(l)
	}
	v.showOrder()
	v.leaders.Refresh()

	v.duties = d.duties
	v.list.Objects = nil
	today := now().Format("2006-01-02")
	for _, du := range d.duties {
		v.list.Add(v.row(du, today, d.heard[du.Date]))
	}
	if len(d.duties) == 0 {
		v.list.Add(widget.NewLabel(lang.L("这个月还没有排班。请在右侧勾选值班领导，生成值班表。")))
	}
	v.list.Refresh()

	v.swaps.Objects = nil
	for _, w := range d.swaps {
		var s string
		if w.OtherDate != "" {
			s = fmt.Sprintf(lang.L("%s %s 与 %s %s 对调，原因：%s"), w.Date, w.FromName, w.OtherDate, w.ToName, w.Reason)
		} else {
			s = fmt.Sprintf(lang.L("%s 由 %s 改为 %s，原因：%s"), w.Date, w.FromName, w.ToName, w.Reason)
		}
		s += "  " + fmt.Sprintf(lang.L("（%s 登记于 %s）"), w.RecordedBy, w.SwappedAt.Format("01-02 15:04"))
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		v.swaps.Add(l)
	}
	if len(d.swaps) == 0 {
		v.swaps.Add(widget.NewLabel(lang.L("本月没有调换。")))
	}
	v.swaps.Refresh()
	v.side.Refresh()
	v.scroll.Refresh()
}

func (v *rotaView) row(du data.Duty, today string, heard int) fyne.CanvasObject {
	date := widget.NewLabel(fmt.Sprintf("%s %s", du.Date[5:], lang.L(data.WeekdayName(du.Date))))
	name := widget.NewLabelWithStyle(du.OfficerName, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if du.Date == today {
		date.Importance, name.Importance = widget.HighImportance, widget.HighImportance
		date.SetText(date.Text + " " + lang.L("（今天）"))
	}
	d := du
	swapBtn := widget.NewButtonWithIcon(lang.L("调换"), theme.MailReplyAllIcon(), func() { v.openSwap(d) })
	opBtn := widget.NewButtonWithIcon(lang.L("记录意见"), theme.DocumentCreateIcon(), func() { v.openOpinion(d) })
	if du.Date > today {
		opBtn.Disable()
	}
	heardLabel := widget.NewLabel("")
	if heard > 0 {
		heardLabel.SetText(fmt.Sprintf(lang.L("意见 %d 条"), heard))
	}
	return container.NewBorder(nil, nil, container.NewHBox(date, name), container.NewHBox(heardLabel, opBtn, swapBtn))
}

// showOrder says in which turn the ticked leaders go.
func (v *rotaView) showOrder() {
	var names []string
	for _, id := range v.order {
		for _, o := range v.officers {
			if o.ID == id {
				names = append(names, o.Name)
			}
		}
	}
	if len(names) == 0 {
		v.orderLabel.SetText(lang.L("请按轮流顺序勾选值班领导。"))
		return
	}
	v.orderLabel.SetText(lang.L("轮流顺序：") + strings.Join(names, " → "))
}

func (v *rotaView) doGenerate() {
	ids := slices.Clone(v.order)
	from, to := v.from.Text, v.to.Text
	v.genMsgs.clear()
	Go(v.e, func(ctx context.Context) ([]data.Duty, error) { return v.e.Store.GenerateRota(ctx, from, to, ids) }, func(r []data.Duty, err error) {
		v.genMsgs.report(err)
		if err != nil {
			v.genMsg.Hide()
			return
		}
		ledgerSay(v.genMsg, fmt.Sprintf(lang.L("已排 %d 个工作日。"), len(r)), false)
		v.load()
	})
}

// swapDialog changes who is on duty on one day: an exchange with another
// day's leader, or a substitute; the reason is required and recorded.
type swapDialog struct {
	v       *rotaView
	duty    data.Duty
	dlg     dialog.Dialog
	other   *widget.Select // another day of the month, to exchange with
	subst   *widget.Select // or a leader who stands in
	reason  *widget.Entry
	by      *widget.Entry
	msgs    *fieldMessages
	confirm *widget.Button
	days    []data.Duty
}

func (v *rotaView) openSwap(du data.Duty) {
	s := &swapDialog{v: v, duty: du}
	var dayOpts []string
	for _, o := range v.duties {
		if o.ID != du.ID && o.OfficerID != du.OfficerID {
			s.days = append(s.days, o)
			dayOpts = append(dayOpts, fmt.Sprintf("%s %s %s", o.Date, lang.L(data.WeekdayName(o.Date)), o.OfficerName))
		}
	}
	var names []string
	for _, o := range v.officers {
		if o.ID != du.OfficerID {
			names = append(names, o.Name)
		}
	}
	s.other = widget.NewSelect(dayOpts, func(string) {
		if s.other.SelectedIndex() >= 0 {
			s.subst.ClearSelected()
		}
	})
	s.other.PlaceHolder = lang.L("与另一天的值班对调")
	s.subst = widget.NewSelect(names, func(string) {
		if s.subst.SelectedIndex() >= 0 {
			s.other.ClearSelected()
		}
	})
	s.subst.PlaceHolder = lang.L("或改由一位领导代班")
	s.reason = ledgerEntry(lang.L("如：外出开会"))
	s.by = ledgerEntry(lang.L("登记人"))
	s.msgs = newFieldMessages(v.e.Win)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("对调"), s.msgs.at(s.other, "other")),
		widget.NewFormItem(lang.L("代班"), s.msgs.at(s.subst, "officer")),
		widget.NewFormItem(lang.L("原因"), s.msgs.at(s.reason, "reason")),
		widget.NewFormItem(lang.L("登记人"), s.msgs.at(s.by, "recorded_by", "by")),
	)
	title := fmt.Sprintf(lang.L("调换 %s（%s）%s 的值班"), du.Date, lang.L(data.WeekdayName(du.Date)), du.OfficerName)
	s.confirm = widget.NewButtonWithIcon(lang.L("确定调换"), theme.ConfirmIcon(), s.submit)
	s.confirm.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("取消"), func() { s.close() })
	s.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(form, s.msgs.status), v.e.Win)
	s.dlg.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{cancel, s.confirm})
	s.dlg.Resize(fyne.NewSize(520, 0))
	v.swap = s
	s.dlg.Show()
}

func (s *swapDialog) close() {
	s.dlg.Hide()
	if s.v.swap == s {
		s.v.swap = nil
	}
}

func (s *swapDialog) submit() {
	id, reason, by := s.duty.ID, s.reason.Text, s.by.Text
	other, subst := "", ""
	if i := s.other.SelectedIndex(); i >= 0 {
		other = s.days[i].ID
	}
	if i := s.subst.SelectedIndex(); i >= 0 {
		for _, o := range s.v.officers {
			if o.Name == s.subst.Selected && o.ID != s.duty.OfficerID {
				subst = o.ID
			}
		}
	}
	if other == "" && subst == "" {
		s.msgs.refuse("other", "请选择对调的日期或代班的领导。")
		return
	}
	s.msgs.clear()
	Go(s.v.e, func(ctx context.Context) (struct{}, error) {
		if other != "" {
			return struct{}{}, s.v.e.Store.SwapDuties(ctx, id, other, reason, by)
		}
		return struct{}{}, s.v.e.Store.ReassignDuty(ctx, id, subst, reason, by)
	}, func(_ struct{}, err error) {
		s.msgs.report(err)
		if err != nil {
			return
		}
		s.close()
		s.v.load()
	})
}

// opinionDialog records what a leader heard on hall duty; it joins 群众意见.
type opinionDialog struct {
	v        *rotaView
	duty     data.Duty
	dlg      dialog.Dialog
	category *widget.SelectEntry
	content  *widget.Entry
	msg      *widget.Label // what was saved
	msgs     *fieldMessages
	save     *widget.Button
}

func (v *rotaView) openOpinion(du data.Duty) {
	o := &opinionDialog{v: v, duty: du}
	o.category = widget.NewSelectEntry([]string{"养老保险", "医疗保险", "就业创业", "社保卡", "办事服务", "其他"})
	o.category.SetPlaceHolder(lang.L("类别"))
	o.content = ledgerMulti(lang.L("群众反映的意见或建议"), 4)
	o.msg = ledgerMessage()
	o.msgs = newFieldMessages(v.e.Win)
	o.save = widget.NewButtonWithIcon(lang.L("保存"), theme.DocumentSaveIcon(), o.submit)
	o.save.Importance = widget.HighImportance
	title := fmt.Sprintf(lang.L("%s %s 值班时听取的意见"), du.Date, du.OfficerName)
	o.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewForm(
		widget.NewFormItem(lang.L("类别"), o.msgs.at(o.category, "category")), widget.NewFormItem(lang.L("内容"), o.msgs.at(o.content, "content"))),
		o.msgs.status, o.msg), v.e.Win)
	o.dlg.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("关闭"), func() { o.close() }), o.save})
	o.dlg.Resize(fyne.NewSize(560, 0))
	v.opinion = o
	o.dlg.Show()
}

func (o *opinionDialog) close() {
	o.dlg.Hide()
	if o.v.opinion == o {
		o.v.opinion = nil
	}
	o.v.load()
}

func (o *opinionDialog) submit() {
	id, cat, text := o.duty.ID, o.category.Text, o.content.Text
	o.msgs.clear()
	Go(o.v.e, func(ctx context.Context) (data.Opinion, error) { return o.v.e.Store.AddHallOpinion(ctx, id, cat, text) },
		func(_ data.Opinion, err error) {
			o.msgs.report(err)
			if err != nil {
				o.msg.Hide()
				return
			}
			o.content.SetText("")
			ledgerSay(o.msg, lang.L("已记入群众意见，可继续记录下一条。"), false)
		})
}

func (v *rotaView) askPrint(week bool) {
	var title, a, b string
	if week {
		a, b = data.WeekRange(now())
		title = fmt.Sprintf("大厅值班表（%s 至 %s）", a, b) // the printed sheet is Chinese
	} else {
		a, b = data.MonthRange(v.month)
		title = fmt.Sprintf("%d年%d月大厅值班表", v.month.Year(), int(v.month.Month()))
	}
	chooseSave(v.e, title+".pdf", func(path string) { v.printTo(path, title, a, b) })
}

func (v *rotaView) printTo(path, title, a, b string) {
	Go(v.e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, v.e.Store.RotaPDF(ctx, path, title, a, b)
	}, func(_ struct{}, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		showSaved(v.e, lang.L("值班表已生成"), "", path)
	})
}
