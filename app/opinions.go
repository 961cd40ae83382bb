package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// opinionsUI is 群众意见: opinions by status, one opinion's detail with its
// history, the bureau's reply and the next step.
type opinionsUI struct {
	e           *Env
	filter      data.OpinionFilter
	status      *widget.RadioGroup
	counts      map[string]int
	pager       *pager[data.Opinion, data.OpinionFilter]
	names       map[string]string
	cur         data.Opinion
	title       *widget.Label
	meta        *widget.Label
	body        *widget.Label
	history     *widget.Label
	reply       *widget.Entry
	stationNote *widget.Label // at a station: the answer is the bureau's
	next        *widget.Button
	msgs        *fieldMessages
	detail      *fyne.Container
	empty       *widget.Label
	form        *opinionForm // the open form, for tests
	station     *stationFilter
}

func opinionsScreen(e *Env) fyne.CanvasObject {
	u := newOpinionsUI(e)
	e.setView("opinions", u)
	return page(lang.L("群众意见"), u.content())
}

func statusOption(s string, n int) string { return fmt.Sprintf("%s (%d)", lang.L(s), n) }

func newOpinionsUI(e *Env) *opinionsUI {
	u := &opinionsUI{e: e, counts: map[string]int{}, names: map[string]string{}}
	st := e.Store
	u.status = widget.NewRadioGroup(nil, func(s string) {
		u.filter.Status = ""
		for _, k := range data.OpinionStatuses {
			if strings.HasPrefix(s, lang.L(k)+" ") {
				u.filter.Status = k
			}
		}
		u.pager.reset(u.filter)
	})
	u.status.Horizontal = true
	u.station = newStationFilter(e, func(code string) { u.filter.Station = code; u.pager.reset(u.filter) })
	u.pager = newPager(e,
		func(ctx context.Context, f data.OpinionFilter, off, limit int) ([]data.Opinion, error) {
			f.Offset, f.Limit = off, limit
			return st.Opinions(ctx, f)
		},
		func(ctx context.Context, f data.OpinionFilter) (int, error) {
			counts, err := st.CountOpinions(ctx, f)
			if err != nil {
				return 0, err
			}
			total := 0
			for _, n := range counts {
				total += n
			}
			e.onUI(func() { u.setCounts(counts, total) })
			if f.Status != "" {
				return counts[f.Status], nil
			}
			return total, nil
		},
		visitRowObject,
		func(o data.Opinion, obj fyne.CanvasObject) {
			who := u.station.prefix(o.Origin) + lang.L(o.Source)
			if o.ResidentName != "" {
				who += " · " + o.ResidentName
			}
			setVisitRow(obj, o.Date, who, o.Category+"  "+o.Content, lang.L(o.Status), o.Status == data.OpinionStatuses[0])
		}, visitPlaceholder)
	u.pager.list.OnSelected = func(i widget.ListItemID) {
		if o, ok := u.pager.item(i); ok {
			u.open(o)
		}
	}
	u.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.meta = widget.NewLabel("")
	u.meta.Wrapping = fyne.TextWrapWord
	u.body = widget.NewLabel("")
	u.body.Wrapping = fyne.TextWrapWord
	u.history = widget.NewLabel("")
	u.history.Wrapping = fyne.TextWrapWord
	u.reply = widget.NewMultiLineEntry()
	u.reply.SetMinRowsVisible(3)
	u.reply.SetPlaceHolder(lang.L("还没有答复。"))
	// One short line: a wrapped label here was overlapped by the reply box at 特大.
	u.stationNote = widget.NewLabel(lang.L("答复和办结由区局下发。"))
	u.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), u.advance)
	u.next.Importance = widget.HighImportance
	u.msgs = newFieldMessages(e.Win)
	u.detail = container.NewVBox(u.title, u.meta, widget.NewSeparator(), u.body, widget.NewSeparator(),
		heading(lang.L("办理经过")), u.history, heading(lang.L("答复")), u.stationNote, u.msgs.at(u.reply, "reply"),
		u.msgs.line(u.next, "status", "status_by"), u.msgs.status, container.NewHBox(u.next))
	u.detail.Hide()
	u.empty = widget.NewLabel(lang.L("在左侧选择一条意见，查看办理经过并推进办理。"))
	u.empty.Wrapping = fyne.TextWrapWord
	u.setCounts(map[string]int{}, 0)
	Go(e, func(ctx context.Context) ([]data.Officer, error) { return st.Officers(ctx, false) }, func(list []data.Officer, err error) {
		for _, o := range list {
			u.names[o.ID] = o.Name
		}
		u.pager.reset(u.filter)
	})
	return u
}

func (u *opinionsUI) setCounts(counts map[string]int, total int) {
	u.counts = counts
	opts := []string{statusOption("全部", total)}
	sel := opts[0]
	for _, k := range data.OpinionStatuses {
		opts = append(opts, statusOption(k, counts[k]))
		if k == u.filter.Status {
			sel = opts[len(opts)-1]
		}
	}
	changed := u.status.OnChanged
	u.status.OnChanged = nil
	u.status.Options = opts
	u.status.Selected = sel
	u.status.Refresh()
	u.status.OnChanged = changed
}

func (u *opinionsUI) content() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("记录意见"), theme.ContentAddIcon(), func() {
		openOpinionForm(u.e, nil, u.e.Actor(), func() { u.pager.reset(u.filter) })
		u.form = lastOpinionForm
	})
	add.Importance = widget.HighImportance
	exp := widget.NewButtonWithIcon(lang.L("导出 Excel"), theme.DocumentSaveIcon(), func() {
		chooseSave(u.e, lang.L("群众意见")+now().Format("20060102")+".xlsx", u.exportTo)
	})
	left := container.NewBorder(container.NewVBox(buttonRow(append([]fyne.CanvasObject{add, exp}, u.station.objects()...)...), u.status, widget.NewSeparator()), nil, nil, nil, u.pager.list)
	right := container.NewStack(u.empty, container.NewVScroll(u.detail))
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	return split
}

func (u *opinionsUI) open(o data.Opinion) {
	u.cur = o
	u.title.SetText(fmt.Sprintf(lang.L("%s · %s · %s"), o.Date, lang.L(o.Source), o.Category))
	who := lang.L("未留姓名")
	if o.ResidentName != "" {
		who = o.ResidentName
	}
	u.meta.SetText(fmt.Sprintf(lang.L("群众：%s　当前状态：%s"), who, lang.L(o.Status)))
	u.body.SetText(o.Content)
	u.reply.SetText(o.Reply)
	u.msgs.clear()
	if i := slices.Index(data.OpinionStatuses, o.Status); i >= 0 && i+1 < u.lastStep() {
		u.next.SetText(fmt.Sprintf(lang.L("推进到「%s」"), lang.L(data.OpinionStatuses[i+1])))
		u.next.Show()
	} else {
		u.next.Hide()
	}
	if u.bureau() && o.Status != data.OpinionStatuses[len(data.OpinionStatuses)-1] {
		u.reply.Enable()
	} else {
		u.reply.Disable()
	}
	if u.bureau() {
		u.stationNote.Hide()
	} else {
		u.stationNote.Show()
	}
	u.history.SetText(lang.L("正在载入…"))
	id := o.ID
	Go(u.e, func(ctx context.Context) ([]data.OpinionStep, error) { return u.e.Store.OpinionHistory(ctx, id) }, func(steps []data.OpinionStep, err error) {
		if err != nil || u.cur.ID != id {
			return
		}
		var lines []string
		for _, s := range steps {
			who := u.names[s.Actor]
			if who == "" {
				who = s.Actor
			}
			lines = append(lines, fmt.Sprintf("%s  %s  %s", s.At.Format("2006-01-02 15:04"), lang.L(s.Status), who))
		}
		// A step made elsewhere (the bureau's reply arrives by sync) is not in
		// this log: its stamp and who made it come with the record.
		if (len(steps) == 0 || steps[len(steps)-1].Status != o.Status) && !o.StatusAt.IsZero() {
			who := u.names[o.StatusBy]
			if who == "" {
				who = o.StatusBy
			}
			lines = append(lines, fmt.Sprintf("%s  %s  %s", o.StatusAt.Format("2006-01-02 15:04"), lang.L(o.Status), who))
		}
		if len(lines) == 0 {
			lines = append(lines, fmt.Sprintf("%s  %s", o.Date, lang.L(o.Status)))
		}
		u.history.SetText(strings.Join(lines, "\n"))
	})
	u.empty.Hide()
	u.detail.Show()
}

// bureau says whether this desk is the bureau's: the reply and a status
// from 已答复 on are the bureau's, so a station reports and no further.
func (u *opinionsUI) bureau() bool { return u.e.Ident.Role == data.RoleBureau }

// lastStep is how many statuses this desk may reach.
func (u *opinionsUI) lastStep() int {
	if u.bureau() {
		return len(data.OpinionStatuses)
	}
	return slices.Index(data.OpinionStatuses, "已答复")
}

func (u *opinionsUI) advance() {
	o := u.cur
	i := slices.Index(data.OpinionStatuses, o.Status)
	if i < 0 || i+1 >= u.lastStep() {
		return
	}
	to, reply := data.OpinionStatuses[i+1], u.reply.Text
	if !u.bureau() {
		reply = "" // the bureau's, never the station's
	}
	actor := u.e.Actor()
	if actor == "" {
		actor = data.SystemActor
	}
	Go(u.e, func(ctx context.Context) (data.Opinion, error) {
		if err := u.e.Store.AdvanceOpinion(ctx, o.ID, to, reply, actor); err != nil {
			return o, err
		}
		o.Status = to
		if strings.TrimSpace(reply) != "" {
			o.Reply = strings.TrimSpace(reply)
		}
		return o, nil
	}, func(o data.Opinion, err error) {
		u.msgs.report(err)
		if err != nil {
			return
		}
		u.pager.reset(u.filter)
		u.open(o)
	})
}

func (u *opinionsUI) exportTo(path string) {
	f := u.filter
	Go(u.e, func(ctx context.Context) (int, error) { return u.e.Store.ExportOpinionsXLSX(ctx, path, f) }, func(n int, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		showSaved(u.e, lang.L("导出完成"), fmt.Sprintf(lang.L("已导出 %d 条意见。"), n), path)
	})
}

// opinionForm records an opinion, optionally for a resident.
type opinionForm struct {
	*formDialog
	date    *widget.Entry
	source  *widget.Select
	cat     *widget.Select
	content *widget.Entry
	saveBtn *widget.Button
}

// lastOpinionForm is the form opened last (tests drive it).
var lastOpinionForm *opinionForm

// openOpinionForm opens the form; r (may be nil) is the resident it is from.
func openOpinionForm(e *Env, r *data.Resident, actor string, saved func()) {
	f := &opinionForm{}
	msgs := newFieldMessages(e.Win)
	lastOpinionForm = f
	f.date = widget.NewEntry()
	f.date.SetText(now().Format("2006-01-02"))
	f.source = widget.NewSelect(data.OpinionSources, nil)
	f.source.SetSelected(data.OpinionSources[0])
	f.cat = widget.NewSelect(data.PolicyCategories, nil)
	f.cat.SetSelected("其他")
	f.content = widget.NewMultiLineEntry()
	f.content.SetMinRowsVisible(5)
	f.content.SetPlaceHolder(lang.L("群众的原话或要点"))
	who := lang.L("（不记名）")
	if r != nil {
		who = r.Name + " · " + r.Village
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("群众"), widget.NewLabel(who)),
		widget.NewFormItem(lang.L("日期"), msgs.at(f.date, "date")),
		widget.NewFormItem(lang.L("来源"), msgs.at(f.source, "source")),
		widget.NewFormItem(lang.L("类别"), msgs.at(f.cat, "category")),
		widget.NewFormItem(lang.L("意见内容"), msgs.at(f.content, "content")),
	)
	if actor == "" {
		actor = data.SystemActor
	}
	submit := func(done func(error)) {
		o := data.Opinion{Date: f.date.Text, Source: f.source.Selected, Category: f.cat.Selected, Content: f.content.Text}
		if r != nil {
			o.ResidentID = r.ID
		}
		saveOff(e, func(ctx context.Context) error { return e.Store.AddOpinion(ctx, &o, actor) }, done)
	}
	f.formDialog = newFormDialog(e, lang.L("记录群众意见"), lang.L("保存"), form, msgs, submit, saved)
	f.saveBtn = f.formDialog.save
	f.keepDrafts("opinion", func() map[string]string {
		m := map[string]string{"actor": actor}
		if r != nil {
			m["resident"] = r.ID
		}
		return m
	})
	f.show(fyne.NewSize(620, 480))
}

func init() {
	// An opinion form left by a crash opens again on 群众意见.
	draftForms["opinion"] = func(e *Env, ctx map[string]string, open func(*formDialog)) {
		e.Show("opinions")
		u, _ := e.views["opinions"].(*opinionsUI)
		if u == nil || e.Current() != "opinions" {
			return
		}
		loadDraftResident(e, ctx["resident"], func(r *data.Resident) {
			openOpinionForm(e, r, ctx["actor"], func() { u.pager.reset(u.filter) })
			open(lastOpinionForm.formDialog)
		})
	}
}
