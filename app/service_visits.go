package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// visitRowObject is the list row of a visit or a follow-up.
func visitRowObject() fyne.CanvasObject {
	date := widget.NewLabelWithStyle("2026-11-17", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who := widget.NewLabel("欧阳秀英 · 马家湾村")
	what := widget.NewLabel("")
	what.Truncation = fyne.TextTruncateEllipsis
	state := widget.NewLabel("待跟进 2026-12-01")
	return container.NewBorder(nil, nil, container.NewHBox(date, who), state, what)
}

func setVisitRow(o fyne.CanvasObject, date, who, what, state string, warn bool) {
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(what)
	left := box.Objects[1].(*fyne.Container)
	left.Objects[0].(*widget.Label).SetText(date)
	left.Objects[1].(*widget.Label).SetText(who)
	st := box.Objects[2].(*widget.Label)
	st.Importance = widget.MediumImportance
	if warn {
		st.Importance = widget.DangerImportance
	}
	st.SetText(state)
	box.Refresh()
}

func visitPlaceholder(o fyne.CanvasObject) {
	setVisitRow(o, lang.L("正在载入…"), "", "", "", false)
}

// visitTab is 上门记录: every visit, filtered by village, category, officer and month.
type visitTab struct {
	u                     *serviceUI
	filter                data.VisitFilter
	village, cat, officer *widget.Select
	month                 *widget.Entry
	monthMsgs             *fieldMessages
	count                 *widget.Label
	pager                 *pager[data.VisitRow, data.VisitFilter]
	content               fyne.CanvasObject
	form                  *visitForm // the open visit form, for tests
	station               *stationFilter
}

// visitFilterSelects builds the village, category and officer filters of a
// visit list: each writes into f and calls reload.
func visitFilterSelects(u *serviceUI, f *data.VisitFilter, reload func()) (village, cat, officer *widget.Select) {
	village = selectWithAll(lang.L("全部村(社区)"), func(v string) { f.Village = v; reload() })
	cat = selectWithAll(lang.L("全部类别"), func(v string) { f.Category = v; reload() })
	setSelectOptions(cat, lang.L("全部类别"), data.ResidentCategories)
	officer = selectWithAll(lang.L("全部人员"), func(v string) {
		f.OfficerID = ""
		for _, o := range u.officers {
			if officerLabel(o) == v {
				f.OfficerID = o.ID
			}
		}
		reload()
	})
	return village, cat, officer
}

func newVisitTab(u *serviceUI) *visitTab {
	t := &visitTab{u: u}
	st := u.e.Store
	t.village, t.cat, t.officer = visitFilterSelects(u, &t.filter, func() { t.reload() })
	t.station = newStationFilter(u.e, func(code string) { t.filter.Station = code; t.reload() })
	t.month = widget.NewEntry()
	t.month.SetPlaceHolder(lang.L("月份，如 2026-11"))
	t.monthMsgs = newFieldMessages(u.e.Win)
	t.month.OnSubmitted = func(s string) {
		s = strings.TrimSpace(s)
		if _, err := time.Parse("2006-01", s); s != "" && err != nil {
			t.monthMsgs.refuse("month", "月份格式应为 年-月")
			return
		}
		t.monthMsgs.clear()
		t.filter.Month = s
		t.reload()
	}
	t.count = widget.NewLabel("")
	t.pager = newPager(u.e,
		func(ctx context.Context, f data.VisitFilter, off, limit int) ([]data.VisitRow, error) {
			f.Offset, f.Limit = off, limit
			return st.Visits(ctx, f)
		},
		func(ctx context.Context, f data.VisitFilter) (int, error) { return st.CountVisits(ctx, f) },
		visitRowObject,
		func(v data.VisitRow, o fyne.CanvasObject) {
			state := lang.L("无需跟进")
			switch {
			case v.FollowupNeeded && v.FollowupDoneAt == "":
				state = fmt.Sprintf(lang.L("待跟进 %s"), v.FollowupDue)
			case v.FollowupNeeded:
				state = fmt.Sprintf(lang.L("已跟进 %s"), v.FollowupDoneAt)
			}
			setVisitRow(o, v.Date, t.station.prefix(v.Origin)+v.ResidentName+" · "+v.Village, strings.Join(v.Services, "、")+"  "+v.Outcome+"  "+u.officerNames(v.OfficerIDs), state, v.Overdue)
		}, visitPlaceholder)
	t.pager.onCount = func(n int) { t.count.SetText(countText("共 %d 次", n)) }
	t.pager.list.OnSelected = func(i widget.ListItemID) {
		t.pager.list.UnselectAll()
		if v, ok := t.pager.item(i); ok {
			u.tabs.SelectIndex(0)
			u.residents.detail.open(v.ResidentID)
		}
	}
	add := widget.NewButtonWithIcon(lang.L("记录上门"), theme.ContentAddIcon(), func() { u.openVisitForm(nil) })
	add.Importance = widget.HighImportance
	exp := widget.NewButtonWithIcon(lang.L("导出 Excel"), theme.DocumentSaveIcon(), func() {
		chooseSave(u.e, lang.L("上门服务记录")+now().Format("20060102")+".xlsx", t.exportTo)
	})
	form := widget.NewButtonWithIcon(lang.L("空白记录表"), theme.DocumentPrintIcon(), func() { u.chooseVisitForm(nil) })
	t.count.Alignment = fyne.TextAlignTrailing
	tools := container.NewBorder(nil, nil, container.NewHBox(add, exp, form), nil, t.count)
	cells := append(t.station.objects(), t.village, t.cat, t.officer, t.monthMsgs.at(t.month, "month"))
	filters := container.NewGridWithColumns(len(cells), cells...)
	t.content = container.NewBorder(container.NewVBox(tools, filters, widget.NewSeparator()), nil, nil, nil, t.pager.list)
	return t
}

func (t *visitTab) setFilters() {
	setSelectOptions(t.village, lang.L("全部村(社区)"), t.u.villages)
	opts := make([]string, len(t.u.officers))
	for i, o := range t.u.officers {
		opts[i] = officerLabel(o)
	}
	setSelectOptions(t.officer, lang.L("全部人员"), opts)
}

func (t *visitTab) reload() { t.pager.reset(t.filter) }

func (t *visitTab) exportTo(path string) {
	f := t.filter
	Go(t.u.e, func(ctx context.Context) (int, error) { return t.u.e.Store.ExportVisitsXLSX(ctx, path, f) }, func(n int, err error) {
		if err != nil {
			t.u.e.ShowError(err)
			return
		}
		showSaved(t.u.e, lang.L("导出完成"), fmt.Sprintf(lang.L("已导出 %d 条上门记录。"), n), path)
	})
}

// visitForm records one visit: squad, services, outcome, follow-up, cards
// handed out and an opinion the resident gave.
type visitForm struct {
	*formDialog
	u          *serviceUI
	resident   *data.Resident
	who        *widget.Label
	find       *widget.Entry
	matches    *widget.Select
	found      []data.Resident
	date       *widget.Entry
	squad      *checkGrid
	services   *checkGrid
	outcome    *widget.SelectEntry
	notes      *widget.Entry
	follow     *widget.Check
	due        *widget.Entry
	policy     *widget.Select
	policies   []data.PolicyChoice
	cards      *widget.Entry
	opinion    *widget.Entry
	opCat      *widget.Select
	reach      *reachList // policies to explain (reach.go)
	saveBtn    *widget.Button
	residentID string // of the saved visit
	onSaved    func()
}

// openVisitForm opens the visit form, for r or (nil) for a resident to find.
func (u *serviceUI) openVisitForm(r *data.Resident) {
	f := &visitForm{u: u}
	msgs := newFieldMessages(u.e.Win)
	u.visits.form = f
	if r != nil {
		rc := *r
		f.resident = &rc
	}
	f.who = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.find = widget.NewEntry()
	f.find.SetPlaceHolder(lang.L("输入姓名或身份证号后几位，边输入边查找"))
	f.matches = widget.NewSelect(nil, func(s string) {
		for _, m := range f.found {
			if residentChoice(m) == s {
				mc := m
				f.resident = &mc
				f.showWho()
			}
		}
	})
	f.matches.PlaceHolder = lang.L("查找结果")
	f.find.OnSubmitted = func(q string) {
		Go(u.e, func(ctx context.Context) ([]data.Resident, error) {
			return u.e.Store.Residents(ctx, data.ResidentFilter{Query: q, Limit: 30})
		}, func(list []data.Resident, err error) {
			if err != nil {
				u.e.ShowError(err)
				return
			}
			f.found = list
			opts := make([]string, len(list))
			for i, m := range list {
				opts[i] = residentChoice(m)
			}
			f.matches.Options = opts
			f.matches.ClearSelected()
			if len(list) == 1 {
				f.matches.SetSelectedIndex(0)
			}
			f.matches.Refresh()
		})
	}
	f.find.OnChanged = typingPause(u.e, f.find.OnSubmitted)
	f.date = widget.NewEntry()
	f.date.SetText(now().Format("2006-01-02"))
	names := make([]string, len(u.officers))
	for i, o := range u.officers {
		names[i] = officerLabel(o)
	}
	f.squad = newCheckGrid(3, names)
	for _, o := range u.officers {
		if o.ID == u.actorID {
			f.squad.SetSelected([]string{officerLabel(o)})
		}
	}
	f.services = newCheckGrid(3, u.services)
	f.outcome = widget.NewSelectEntry(data.VisitOutcomes)
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetMinRowsVisible(2)
	f.notes.SetPlaceHolder(lang.L("办理情况、老人身体和生活情况等"))
	f.due = widget.NewEntry()
	f.due.SetText(now().AddDate(0, 0, 14).Format("2006-01-02"))
	f.due.Disable()
	f.follow = widget.NewCheck(lang.L("需要跟进"), func(on bool) {
		if on {
			f.due.Enable()
		} else {
			f.due.Disable()
		}
	})
	f.policy = widget.NewSelect(nil, nil)
	f.policy.PlaceHolder = lang.L("（未发放政策卡片）")
	f.cards = widget.NewEntry()
	f.cards.SetText("1")
	f.opinion = widget.NewMultiLineEntry()
	f.opinion.SetMinRowsVisible(2)
	f.opinion.SetPlaceHolder(lang.L("群众当面提出的意见或建议（可不填）"))
	f.opCat = widget.NewSelect(data.PolicyCategories, nil)
	f.opCat.SetSelected("其他")
	f.reach = newReachList(u.e, true)
	Go(u.e, func(ctx context.Context) ([]data.PolicyChoice, error) { return u.e.Store.PolicyChoices(ctx, "", 300) },
		func(list []data.PolicyChoice, err error) {
			if err != nil {
				return
			}
			opts := []string{}
			for _, p := range list {
				if p.Status == "" || p.Status == "现行有效" {
					f.policies = append(f.policies, p)
					opts = append(opts, p.Title)
				}
			}
			f.policy.Options = opts
			f.policy.Refresh()
		})
	var whoBox fyne.CanvasObject = f.who
	if f.resident == nil {
		whoBox = container.NewVBox(container.NewGridWithColumns(2, f.find, f.matches), f.who)
	}
	f.showWho()
	cards := container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewLabel(lang.L("份数")), container.NewGridWrap(fyne.NewSize(60, f.cards.MinSize().Height), f.cards)), f.policy)
	follow := container.NewBorder(nil, nil, f.follow, nil, container.NewBorder(nil, nil, widget.NewLabel(lang.L("期限")), nil, f.due))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("服务对象"), msgs.at(whoBox, "resident_id")),
		widget.NewFormItem(lang.L("上门日期"), msgs.at(f.date, "date")),
		widget.NewFormItem(lang.L("服务小分队"), msgs.at(f.squad.box, "officer_ids")),
		widget.NewFormItem(lang.L("服务项目"), msgs.at(f.services.box, "services")),
		widget.NewFormItem(lang.L("办理结果"), msgs.at(f.outcome, "outcome")),
		widget.NewFormItem(lang.L("情况记录"), msgs.at(f.notes, "notes")),
		widget.NewFormItem(lang.L("跟进"), container.NewVBox(follow, msgs.line(f.due, "followup_due", "followup_needed"))),
		widget.NewFormItem(lang.L("发放政策卡片"), container.NewVBox(cards, msgs.line(f.cards, "cards", "count", "policy_id"))),
		widget.NewFormItem(lang.L("讲解政策"), msgs.at(f.reach.box, "policies_explained")),
		widget.NewFormItem(lang.L("群众意见"), container.NewVBox(container.NewBorder(nil, nil, nil, f.opCat, f.opinion), msgs.line(f.opinion, "content", "category"))),
	)
	f.formDialog = newFormDialog(u.e, lang.L("记录上门服务"), lang.L("保存"), container.NewVScroll(form), msgs, f.submit, f.afterSave)
	f.saveBtn = f.formDialog.save
	mode := "find"
	if r != nil {
		mode = "resident"
	}
	f.keepDrafts("visit", func() map[string]string {
		m := map[string]string{"mode": mode}
		if f.resident != nil {
			m["resident"] = f.resident.ID
		}
		return m
	})
	f.show(fyne.NewSize(820, 680))
}

func residentChoice(r data.Resident) string {
	return r.Name + " · " + r.Village + " · " + r.IDNumber
}

func (f *visitForm) showWho() {
	if f.resident == nil {
		f.who.SetText(lang.L("尚未选择服务对象"))
		return
	}
	f.who.SetText(f.resident.Name + "  " + residentInfo(*f.resident) + "  " + f.resident.IDNumber)
	f.reach.load(f.resident.ID)
}

// submit saves the visit, its cards and its opinion off the event thread;
// done shows a refusal.
func (f *visitForm) submit(done func(error)) {
	u := f.u
	v := data.Visit{Date: f.date.Text, Outcome: f.outcome.Text, Notes: f.notes.Text, FollowupNeeded: f.follow.Checked, FollowupDue: f.due.Text}
	if f.resident != nil {
		v.ResidentID = f.resident.ID
	}
	for _, o := range u.officers {
		for _, s := range f.squad.Selected() {
			if s == officerLabel(o) {
				v.OfficerIDs = append(v.OfficerIDs, o.ID)
			}
		}
	}
	v.Services = append(v.Services, f.services.Selected()...)
	v.PoliciesExplained = f.reach.explained()
	var cards []data.VisitCard
	if i := f.policy.SelectedIndex(); i >= 0 && i < len(f.policies) {
		n, err := parseCount(f.cards.Text, data.Invalid("cards", "政策卡片数量应为正整数"))
		if err != nil {
			done(err)
			return
		}
		cards = append(cards, data.VisitCard{PolicyID: f.policies[i].ID, Count: n})
	}
	var op *data.Opinion
	if strings.TrimSpace(f.opinion.Text) != "" {
		op = &data.Opinion{Content: f.opinion.Text, Category: f.opCat.Selected}
	}
	f.residentID = v.ResidentID
	saveOff(u.e, func(ctx context.Context) error { return u.e.Store.AddVisit(u.writeCtx(ctx), &v, cards, op) }, done)
}

func (f *visitForm) afterSave() {
	u := f.u
	u.residents.detail.open(f.residentID)
	u.residents.detail.note.SetText(fmt.Sprintf(lang.L("已保存：%s 的上门服务记录"), f.date.Text))
	u.residents.detail.note.Show()
	u.visits.reload()
	u.follow.reload()
	if f.onSaved != nil {
		f.onSaved()
	}
}

// chooseVisitForm saves the printable visit form: blank, or for residents.
func (u *serviceUI) chooseVisitForm(residentIDs []string) {
	chooseSave(u.e, lang.L("上门服务记录表")+".pdf", func(path string) { u.writeVisitForm(path, residentIDs) })
}

func (u *serviceUI) writeVisitForm(path string, residentIDs []string) {
	Go(u.e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, u.e.Store.VisitFormPDF(ctx, path, residentIDs)
	}, func(_ struct{}, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		showSaved(u.e, lang.L("记录表已生成"), lang.L("请打印后带到上门服务现场填写，回站后在此录入。"), path)
	})
}

// followupTab is 待跟进: open follow-ups, the most overdue first.
type followupTab struct {
	u       *serviceUI
	filter  data.VisitFilter
	village *widget.Select
	cat     *widget.Select
	officer *widget.Select
	count   *widget.Label
	pager   *pager[data.VisitRow, data.VisitFilter]
	content fyne.CanvasObject
	closer  *followupCloser
	station *stationFilter
}

func newFollowupTab(u *serviceUI) *followupTab {
	t := &followupTab{u: u}
	st := u.e.Store
	t.village, t.cat, t.officer = visitFilterSelects(u, &t.filter, func() { t.reload() })
	t.station = newStationFilter(u.e, func(code string) { t.filter.Station = code; t.reload() })
	t.count = widget.NewLabel("")
	t.pager = newPager(u.e,
		func(ctx context.Context, f data.VisitFilter, off, limit int) ([]data.VisitRow, error) {
			f.Offset, f.Limit = off, limit
			return st.FollowupQueue(ctx, f)
		},
		func(ctx context.Context, f data.VisitFilter) (int, error) {
			n, overdue, err := st.CountFollowups(ctx, f)
			if err == nil {
				text := fmt.Sprintf(lang.L("待跟进 %d 项，其中已逾期 %d 项"), n, overdue)
				u.e.onUI(func() { t.count.SetText(text) })
			}
			return n, err
		},
		func() fyne.CanvasObject {
			row := visitRowObject()
			done := widget.NewButtonWithIcon(lang.L("办结"), theme.ConfirmIcon(), nil)
			return container.NewBorder(nil, nil, nil, done, row)
		},
		func(v data.VisitRow, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			state := fmt.Sprintf(lang.L("期限 %s"), v.FollowupDue)
			if v.Overdue {
				state = fmt.Sprintf(lang.L("已逾期（期限 %s）"), v.FollowupDue)
			}
			setVisitRow(box.Objects[0], v.Date, t.station.prefix(v.Origin)+v.ResidentName+" · "+v.Village, strings.Join(v.Services, "、")+"  "+v.Outcome+"  "+v.Notes, state, v.Overdue)
			btn := box.Objects[1].(*widget.Button)
			btn.OnTapped = func() { t.openCloser(v) }
			btn.Show()
		},
		func(o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			visitPlaceholder(box.Objects[0])
			box.Objects[1].(*widget.Button).Hide()
		})
	t.pager.list.OnSelected = func(i widget.ListItemID) { t.pager.list.UnselectAll() }
	tools := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(170, t.village.MinSize().Height), append(t.station.objects(), t.village, t.cat, t.officer)...), t.count)
	t.content = container.NewBorder(container.NewVBox(tools, widget.NewSeparator()), nil, nil, nil, t.pager.list)
	return t
}

func (t *followupTab) setVillages(v []string) {
	setSelectOptions(t.village, lang.L("全部村(社区)"), v)
}
func (t *followupTab) reload() { t.pager.reset(t.filter) }

// followupCloser is the dialog that closes one follow-up.
type followupCloser struct {
	*formDialog
	v      data.VisitRow
	date   *widget.Entry
	by     *widget.Select
	result *widget.Entry
}

func (t *followupTab) openCloser(v data.VisitRow) {
	u := t.u
	c := &followupCloser{v: v}
	msgs := newFieldMessages(u.e.Win)
	t.closer = c
	c.date = widget.NewEntry()
	c.date.SetText(now().Format("2006-01-02"))
	names := make([]string, len(u.officers))
	for i, o := range u.officers {
		names[i] = officerLabel(o)
	}
	c.by = widget.NewSelect(names, nil)
	for _, o := range u.officers {
		if o.ID == u.actorID {
			c.by.SetSelected(officerLabel(o))
		}
	}
	c.result = widget.NewMultiLineEntry()
	c.result.SetMinRowsVisible(3)
	c.result.SetPlaceHolder(lang.L("跟进办理的结果"))
	info := widget.NewLabel(fmt.Sprintf(lang.L("%s · %s，%s 上门：%s"), v.ResidentName, v.Village, v.Date, strings.Join(v.Services, "、")))
	info.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("完成日期"), msgs.at(c.date, "followup_done_at", "date")),
		widget.NewFormItem(lang.L("经办人"), msgs.at(c.by, "followup_done_by")),
		widget.NewFormItem(lang.L("跟进结果"), msgs.at(c.result, "followup_result", "result")),
	)
	c.formDialog = newFormDialog(u.e, lang.L("办结跟进事项"), lang.L("办结"), container.NewVBox(info, form), msgs,
		func(done func(error)) { t.closeFollowup(c, done) }, func() { t.reload(); u.visits.reload() })
	c.save.SetIcon(theme.ConfirmIcon())
	c.show(fyne.NewSize(560, 380))
}

func (t *followupTab) closeFollowup(c *followupCloser, done func(error)) {
	u := t.u
	by := ""
	for _, o := range u.officers {
		if officerLabel(o) == c.by.Selected {
			by = o.ID
		}
	}
	day, result, id := c.date.Text, c.result.Text, c.v.ID
	saveOff(u.e, func(ctx context.Context) error { return u.e.Store.CloseFollowup(u.writeCtx(ctx), id, by, day, result) }, done)
}

// planTab is 走访计划: residents due for a visit by their category's interval.
type planTab struct {
	u         *serviceUI
	intervals *intervalsForm // the open intervals dialog, for tests
	filter    data.DueFilter
	village   *widget.Select
	cat       *widget.Select
	count     *widget.Label
	pager     *pager[data.DueResident, data.DueFilter]
	content   fyne.CanvasObject
}

func newPlanTab(u *serviceUI) *planTab {
	t := &planTab{u: u}
	st := u.e.Store
	t.village = selectWithAll(lang.L("全部村(社区)"), func(v string) { t.filter.Village = v; t.reload() })
	t.cat = selectWithAll(lang.L("全部类别"), func(v string) { t.filter.Category = v; t.reload() })
	setSelectOptions(t.cat, lang.L("全部类别"), data.ResidentCategories)
	t.count = widget.NewLabel("")
	t.pager = newPager(u.e,
		func(ctx context.Context, f data.DueFilter, off, limit int) ([]data.DueResident, error) {
			f.Offset, f.Limit = off, limit
			return st.DueResidents(ctx, f)
		},
		func(ctx context.Context, f data.DueFilter) (int, error) { return st.CountDueResidents(ctx, f) },
		visitRowObject,
		func(d data.DueResident, o fyne.CanvasObject) {
			last := lang.L("从未上门")
			if d.DaysSince >= 0 {
				last = fmt.Sprintf(lang.L("%d 天未上门（上次 %s）"), d.DaysSince, d.LastVisit)
			}
			rule := fmt.Sprintf(lang.L("%s：每 %d 天"), d.Category, d.Interval)
			setVisitRow(o, d.Name, residentInfo(d.Resident), strings.Join(d.Categories, "、")+"  "+rule, last, d.DaysSince < 0 || d.DaysSince > 2*d.Interval)
		}, visitPlaceholder)
	t.pager.onCount = func(n int) { t.count.SetText(countText("应走访 %d 人", n)) }
	t.pager.list.OnSelected = func(i widget.ListItemID) {
		t.pager.list.UnselectAll()
		if d, ok := t.pager.item(i); ok {
			u.tabs.SelectIndex(0)
			u.residents.detail.open(d.ID)
		}
	}
	printForms := widget.NewButtonWithIcon(lang.L("打印前 50 人的记录表"), theme.DocumentPrintIcon(), func() {
		var ids []string
		for i := 0; i < min(50, t.pager.total); i++ {
			if d, ok := t.pager.item(i); ok {
				ids = append(ids, d.ID)
			}
		}
		u.chooseVisitForm(ids)
	})
	rules := widget.NewButtonWithIcon(lang.L("走访间隔"), theme.SettingsIcon(), t.editIntervals)
	t.count.Alignment = fyne.TextAlignTrailing
	tools := container.NewBorder(nil, nil, container.NewHBox(printForms, rules), nil, t.count)
	filters := container.NewGridWithColumns(2, t.village, t.cat)
	t.content = container.NewBorder(container.NewVBox(tools, filters, widget.NewSeparator()), nil, nil, nil, t.pager.list)
	return t
}

func (t *planTab) setVillages(v []string) {
	setSelectOptions(t.village, lang.L("全部村(社区)"), v)
}
func (t *planTab) reload() { t.pager.reset(t.filter) }

// intervalsForm is the dialog of the visit intervals, one entry per category.
type intervalsForm struct {
	*formDialog
	entries map[string]*widget.Entry
}

// editIntervals lets the station set how often each category is visited.
func (t *planTab) editIntervals() {
	u := t.u
	Go(u.e, func(ctx context.Context) (map[string]int, error) { return u.e.Store.VisitIntervals(ctx) }, func(m map[string]int, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		f := &intervalsForm{entries: map[string]*widget.Entry{}}
		msgs := newFieldMessages(u.e.Win)
		form := widget.NewForm()
		for _, c := range data.ResidentCategories {
			en := widget.NewEntry()
			if n := m[c]; n > 0 {
				en.SetText(strconv.Itoa(n))
			}
			en.SetPlaceHolder(lang.L("不定期"))
			f.entries[c] = en
			form.Append(c, msgs.at(container.NewBorder(nil, nil, nil, widget.NewLabel(lang.L("天")), en), "interval:"+c))
		}
		submit := func(done func(error)) {
			set := map[string]int{}
			for _, c := range data.ResidentCategories {
				s := strings.TrimSpace(f.entries[c].Text)
				if s == "" {
					continue
				}
				n, err := parseCount(s, data.Invalid("interval:"+c, "走访间隔应为天数（整数），不定期请留空"))
				if err != nil {
					done(err)
					return
				}
				set[c] = n
			}
			saveOff(u.e, func(ctx context.Context) error { return u.e.Store.SetVisitIntervals(u.writeCtx(ctx), set) }, done)
		}
		body := container.NewVBox(form, msgs.line(nil, "interval"))
		f.formDialog = newFormDialog(u.e, lang.L("走访间隔（天）"), lang.L("保存"), body, msgs, submit, t.reload)
		t.intervals = f
		f.show(fyne.NewSize(420, 0))
	})
}

func init() {
	// A visit form left by a crash opens again on 上门服务, for its resident.
	draftForms["visit"] = func(e *Env, ctx map[string]string, open func(*formDialog)) {
		e.Show("service")
		u, _ := e.views["service"].(*serviceUI)
		if u == nil || e.Current() != "service" {
			return
		}
		loadDraftResident(e, ctx["resident"], func(r *data.Resident) {
			u.reloadBasics(func() {
				if ctx["mode"] == "resident" && r != nil {
					u.openVisitForm(r)
				} else {
					u.openVisitForm(nil)
					if r != nil {
						u.visits.form.resident = r
						u.visits.form.showWho()
					}
				}
				open(u.visits.form.formDialog)
			})
		})
	}
}

// loadDraftResident loads the resident a draft names (nil when none or gone).
func loadDraftResident(e *Env, id string, then func(*data.Resident)) {
	Go(e, func(ctx context.Context) (*data.Resident, error) {
		if id == "" {
			return nil, nil
		}
		r, err := e.Store.Resident(ctx, id)
		if err != nil {
			return nil, err
		}
		return &r, nil
	}, func(r *data.Resident, _ error) { then(r) })
}
