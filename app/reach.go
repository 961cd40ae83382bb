package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// 政策找人 in the app: the criteria of a policy (policy page), the policies
// a resident may qualify for (resident page, visit form), the outreach list
// (上门服务 → 告知清单), 待认证 on 首页 and the bureau's shares.

// 待认证 comes before the figures, after the study day (training_home.go).
func init() { homeFirst = append(homeFirst, pensionHomePanel) }

// reachList shows the policies a resident may qualify for and was not told
// of. In the visit form (pick) each has a check: explained on this visit.
type reachList struct {
	e      *Env
	pick   bool
	box    *fyne.Container
	checks map[string]*widget.Check // policy ID → 本次已讲解
	untold int
	onLoad func(untold int)
}

func newReachList(e *Env, pick bool) *reachList {
	l := &reachList{e: e, pick: pick, box: container.NewVBox(), checks: map[string]*widget.Check{}}
	l.box.Add(widget.NewLabel(lang.L("尚未选择服务对象")))
	return l
}

// load reads the resident's list off the event thread and shows it.
func (l *reachList) load(residentID string) {
	Go(l.e, func(ctx context.Context) (data.ResidentReach, error) {
		return l.e.Store.ResidentPolicies(ctx, residentID)
	},
		func(r data.ResidentReach, err error) {
			if err != nil {
				l.box.Objects = []fyne.CanvasObject{widget.NewLabel(UserMessage(err))}
				l.box.Refresh()
				return
			}
			l.show(r)
		})
}

func (l *reachList) show(r data.ResidentReach) {
	l.checks = map[string]*widget.Check{}
	l.untold = len(r.Untold)
	objs := []fyne.CanvasObject{}
	if len(r.Untold) == 0 {
		objs = append(objs, widget.NewLabel(lang.L("没有尚未告知的政策。")))
	} else {
		hint := lang.L("按政策的享受对象条件推算，可能符合、尚未告知：请带上这些政策卡片，当面核实。")
		if l.pick {
			hint = lang.L("可能符合、尚未告知的政策：本次讲解了哪项就勾选哪项（记为政策宣传）。")
		}
		h := widget.NewLabel(hint)
		h.Wrapping = fyne.TextWrapWord
		h.Importance = widget.LowImportance
		objs = append(objs, h)
	}
	for _, p := range r.Untold {
		var head fyne.CanvasObject
		if l.pick {
			c := widget.NewCheck(p.Title, nil)
			l.checks[p.ID] = c
			head = c
		} else {
			t := widget.NewLabelWithStyle(p.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			t.Wrapping = fyne.TextWrapWord
			head = t
		}
		detail := widget.NewLabel(policyBriefLine(p))
		detail.Wrapping = fyne.TextWrapWord
		detail.Importance = widget.LowImportance
		objs = append(objs, container.NewVBox(head, detail))
	}
	if len(r.Told) > 0 {
		var titles []string
		for _, p := range r.Told {
			titles = append(titles, p.Title)
		}
		told := widget.NewLabel(fmt.Sprintf(lang.L("已告知（%d 项）：%s"), len(r.Told), strings.Join(titles, "；")))
		told.Wrapping = fyne.TextWrapWord
		told.Importance = widget.SuccessImportance
		objs = append(objs, told)
	}
	l.box.Objects = objs
	l.box.Refresh()
	// The list's height changed: lay the form or page around it out again.
	newFieldMessages(l.e.Win).relayout()
	if l.onLoad != nil {
		l.onLoad(l.untold)
	}
}

// policyBriefLine is a policy's 文号 and whom it is for.
func policyBriefLine(p data.PolicyBrief) string {
	s := fmt.Sprintf(lang.L("享受对象：%s"), p.Criteria)
	if p.DocNo != "" {
		s = p.DocNo + " · " + s
	}
	return s
}

// explained are the policies checked as explained on this visit.
func (l *reachList) explained() []string {
	var out []string
	for id, c := range l.checks {
		if c.Checked {
			out = append(out, id)
		}
	}
	return out
}

// criteriaEditor sets whom a policy is for, with plain controls; the
// sentence under it says it back, and the policy's reach shows below.
type criteriaEditor struct {
	e                                   *Env
	id                                  string
	readOnly                            bool
	minAge, maxAge, ageOn, villages     *widget.Entry
	days                                *widget.Entry
	gender, service                     *widget.Select
	anyOf, allOf                        *checkGrid
	sentence, reach                     *widget.Label
	save, clear, people                 *widget.Button
	msgs                                *fieldMessages
	card                                *widget.Card
	last                                data.PolicyReach
	loading                             bool // controls are being filled: no sentence updates
	onSaved                             func()
	serviceNone, genderAny, allVillages string
}

func newCriteriaEditor(e *Env, policyID string, readOnly bool) *criteriaEditor {
	c := &criteriaEditor{e: e, id: policyID, readOnly: readOnly, serviceNone: lang.L("（不限）"), genderAny: lang.L("不限")}
	entry := func(place string) *widget.Entry {
		w := widget.NewEntry()
		w.SetPlaceHolder(place)
		w.OnChanged = func(string) { c.update() }
		return w
	}
	c.minAge, c.maxAge = entry(lang.L("最低")), entry(lang.L("最高"))
	c.ageOn = entry(lang.L("留空为当天，如 2026-12-31"))
	c.villages = entry(lang.L("留空为全乡；多个用、分隔"))
	c.days = entry(lang.L("天数"))
	c.gender = widget.NewSelect([]string{c.genderAny, "男", "女"}, func(string) { c.update() })
	c.gender.SetSelected(c.genderAny)
	c.service = widget.NewSelect([]string{c.serviceNone}, func(string) { c.update() })
	c.service.SetSelected(c.serviceNone)
	c.anyOf, c.allOf = newCheckGrid(3, data.ResidentCategories), newCheckGrid(3, data.ResidentCategories)
	for _, g := range []*checkGrid{c.anyOf, c.allOf} {
		objs := make([]fyne.CanvasObject, len(g.checks))
		for i, ch := range g.checks {
			ch.OnChanged = func(bool) { c.update() }
			objs[i] = ch
		}
		g.box = buttonRow(objs...) // wraps: as narrow as the window needs
	}
	c.sentence = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.sentence.Wrapping = fyne.TextWrapWord
	c.reach = widget.NewLabel(lang.L("正在载入…"))
	c.reach.Wrapping = fyne.TextWrapWord
	c.save = widget.NewButtonWithIcon(lang.L("保存条件"), theme.DocumentSaveIcon(), c.doSave)
	c.save.Importance = widget.HighImportance
	c.clear = widget.NewButtonWithIcon(lang.L("清除条件"), theme.ContentClearIcon(), func() { c.set(data.Criteria{}); c.doSave() })
	c.people = widget.NewButtonWithIcon(lang.L("查看名单"), theme.ListIcon(), c.showPeople)
	c.people.Disable()
	c.msgs = newFieldMessages(e.Win)
	m := c.msgs
	ages := container.NewHBox(container.NewGridWrap(fyne.NewSize(70, c.minAge.MinSize().Height), c.minAge), widget.NewLabel(lang.L("至")),
		container.NewGridWrap(fyne.NewSize(70, c.maxAge.MinSize().Height), c.maxAge), widget.NewLabel(lang.L("周岁")))
	noVisit := container.NewVBox(c.service, container.NewHBox(widget.NewLabel(lang.L("近")),
		container.NewGridWrap(fyne.NewSize(70, c.days.MinSize().Height), c.days), widget.NewLabel(lang.L("天未办理上述服务"))))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("年龄"), container.NewVBox(m.at(ages, "min_age", "max_age"))),
		widget.NewFormItem(lang.L("年龄计算日"), m.at(c.ageOn, "age_on")),
		widget.NewFormItem(lang.L("性别"), m.at(c.gender, "gender")),
		widget.NewFormItem(lang.L("属于其一"), m.at(c.anyOf.box, "any_of")),
		widget.NewFormItem(lang.L("同时属于"), m.at(c.allOf.box, "all_of")),
		widget.NewFormItem(lang.L("村（社区）"), m.at(c.villages, "villages")),
		widget.NewFormItem(lang.L("服务间隔"), m.at(noVisit, "no_visit", "no_visit_days")),
	)
	buttons := buttonRow(c.people, layoutSpacer(), c.clear, c.save)
	if readOnly {
		for _, w := range []fyne.Disableable{c.minAge, c.maxAge, c.ageOn, c.villages, c.days, c.gender, c.service} {
			w.Disable()
		}
		for _, g := range []*checkGrid{c.anyOf, c.allOf} {
			for _, ch := range g.checks {
				ch.Disable()
			}
		}
		c.save.Hide()
		c.clear.Hide()
	}
	sub := lang.L("谁可能符合这项政策：条件都满足的居民列入“可能符合”，上门和告知清单据此提示。")
	if readOnly {
		sub = lang.L("由区人社局设定，随政策下发；本站只读。")
	}
	intro := widget.NewLabel(sub)
	intro.Wrapping = fyne.TextWrapWord
	intro.Importance = widget.LowImportance
	c.card = widget.NewCard(lang.L("享受对象条件（政策找人）"), "", container.NewVBox(intro, form, c.sentence, m.status, c.reach, buttons))
	c.load()
	return c
}

type criteriaData struct {
	c        data.Criteria
	services []string
	reach    data.PolicyReach
}

func (c *criteriaEditor) load() {
	Go(c.e, func(ctx context.Context) (criteriaData, error) {
		var v criteriaData
		var err error
		if v.c, err = c.e.Store.PolicyCriteria(ctx, c.id); err != nil {
			return v, err
		}
		if v.services, err = c.e.Store.VisitServices(ctx); err != nil {
			return v, err
		}
		v.reach, err = c.e.Store.PolicyReach(ctx, c.id, "")
		return v, err
	}, func(v criteriaData, err error) {
		if err != nil {
			c.reach.SetText(UserMessage(err))
			return
		}
		opts := append([]string{c.serviceNone}, v.services...)
		if v.c.NoVisit != "" && !slices.Contains(opts, v.c.NoVisit) {
			opts = append(opts, v.c.NoVisit)
		}
		c.service.Options = opts
		c.set(v.c)
		c.showReach(v.reach)
		newFieldMessages(c.e.Win).relayout()
	})
}

// set fills the controls from criteria.
func (c *criteriaEditor) set(v data.Criteria) {
	c.loading = true
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	c.minAge.SetText(num(v.MinAge))
	c.maxAge.SetText(num(v.MaxAge))
	c.ageOn.SetText(v.AgeOn)
	c.villages.SetText(strings.Join(v.Villages, "、"))
	c.days.SetText(num(v.NoVisitDays))
	if v.Gender == "" {
		c.gender.SetSelected(c.genderAny)
	} else {
		c.gender.SetSelected(v.Gender)
	}
	if v.NoVisit == "" {
		c.service.SetSelected(c.serviceNone)
	} else {
		c.service.SetSelected(v.NoVisit)
	}
	c.anyOf.SetSelected(v.AnyOf)
	c.allOf.SetSelected(v.AllOf)
	c.loading = false
	c.update()
}

// values reads the controls; a number that is not one is refused at its field.
func (c *criteriaEditor) values() (data.Criteria, error) {
	var v data.Criteria
	for _, n := range []struct {
		field string
		w     *widget.Entry
		to    *int
	}{{"min_age", c.minAge, &v.MinAge}, {"max_age", c.maxAge, &v.MaxAge}, {"no_visit_days", c.days, &v.NoVisitDays}} {
		s := strings.TrimSpace(n.w.Text)
		if s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil {
			return v, data.Invalid(n.field, "请填写整数")
		}
		*n.to = k
	}
	v.AgeOn = c.ageOn.Text
	if g := c.gender.Selected; g == "男" || g == "女" {
		v.Gender = g
	}
	v.AnyOf, v.AllOf = c.anyOf.Selected(), c.allOf.Selected()
	v.Villages = strings.FieldsFunc(c.villages.Text, func(r rune) bool { return strings.ContainsRune("、，,;； ", r) })
	if s := c.service.Selected; s != "" && s != c.serviceNone {
		v.NoVisit = s
	}
	return v, nil
}

// update says the criteria back in one sentence as they are typed.
func (c *criteriaEditor) update() {
	if c.loading || c.sentence == nil {
		return
	}
	v, err := c.values()
	if err == nil {
		err = v.Validate()
	}
	switch {
	case err != nil:
		c.sentence.SetText(lang.L("（条件尚未填写完整）"))
	case v.IsZero():
		c.sentence.SetText(lang.L("未设条件：这项政策不主动提示给任何人。"))
	default:
		c.sentence.SetText(fmt.Sprintf(lang.L("享受对象：%s"), v.Sentence()))
	}
}

func (c *criteriaEditor) doSave() {
	v, err := c.values()
	if err != nil {
		c.msgs.report(err)
		return
	}
	c.save.Disable()
	saveOff(c.e, func(ctx context.Context) error { return c.e.Store.SetPolicyCriteria(ctx, c.id, v) }, func(err error) {
		c.save.Enable()
		c.msgs.report(err)
		if err != nil {
			return
		}
		c.load()
		if c.onSaved != nil {
			c.onSaved()
		}
	})
}

func (c *criteriaEditor) showReach(r data.PolicyReach) {
	c.last = r
	if r.Criteria == "" {
		c.reach.SetText(lang.L("未设条件，不计算可能符合的人数。"))
		c.people.Disable()
		return
	}
	c.reach.SetText(fmt.Sprintf(lang.L("可能符合 %d 人，已告知 %d 人（告知：上门时发放了这项政策的卡片，或上门讲解了它）。"), r.Eligible, r.Told))
	if len(r.People) > 0 {
		c.people.Enable()
	} else {
		c.people.Disable()
	}
}

// showPeople lists who may qualify, in walking order, told ones marked.
func (c *criteriaEditor) showPeople() {
	r := c.last
	list := widget.NewList(func() int { return len(r.People) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := r.People[i]
			state := lang.L("未告知")
			if p.Told {
				state = lang.L("已告知")
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %s  %s  %s", state, p.Name, p.Village, p.Address))
		})
	head := widget.NewLabel(fmt.Sprintf(lang.L("可能符合 %d 人，已告知 %d 人"), r.Eligible, r.Told))
	d := dialog.NewCustom(r.Title, lang.L("关闭"), container.NewBorder(head, nil, nil, nil, list), c.e.Win)
	d.Resize(dialogSize(c.e, fyne.NewSize(640, 520)))
	d.Show()
}

// outreachTab is 上门服务 → 告知清单: per village, the residents with the
// policies to explain to each, in walking order, to print or export.
type outreachTab struct {
	e       *Env
	u       *serviceUI
	village *widget.Select
	all     string
	status  *widget.Label
	list    *widget.List
	entries []data.OutreachEntry
	content fyne.CanvasObject
}

func newOutreachTab(u *serviceUI) *outreachTab {
	e := u.e
	t := &outreachTab{e: e, u: u, all: lang.L("全部村（社区）")}
	t.village = widget.NewSelect([]string{t.all}, nil)
	t.village.SetSelected(t.all)
	t.village.OnChanged = func(string) { t.reload() } // loads when the tab is chosen
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	t.list = widget.NewList(func() int { return len(t.entries) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			pols := widget.NewLabel("")
			pols.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, pols)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			en := t.entries[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%d. %s  %s", i+1, en.Name, en.Address))
			var titles []string
			for _, p := range en.Policies {
				titles = append(titles, p.Title)
			}
			box.Objects[1].(*widget.Label).SetText(fmt.Sprintf(lang.L("待告知 %d 项：%s"), len(titles), strings.Join(titles, "；")))
		})
	pdf := widget.NewButtonWithIcon(lang.L("打印告知清单（PDF）"), theme.DocumentPrintIcon(), func() { t.export(".pdf") })
	pdf.Importance = widget.HighImportance
	xlsx := widget.NewButtonWithIcon(lang.L("导出 Excel"), theme.DocumentSaveIcon(), func() { t.export(".xlsx") })
	hint := widget.NewLabel(lang.L("按政策的享受对象条件推算可能符合、尚未告知的居民，按村和住址排序，便于逐户上门；告知后在上门记录中勾选讲解的政策或登记发放的卡片。"))
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	top := container.NewVBox(hint, buttonRow(container.NewGridWrap(fyne.NewSize(200, t.village.MinSize().Height), t.village), pdf, xlsx), t.status)
	t.content = container.NewBorder(top, nil, nil, nil, t.list)
	Go(e, func(ctx context.Context) ([]string, error) { return e.Store.Villages(ctx) }, func(v []string, err error) {
		if err == nil {
			t.village.Options = append([]string{t.all}, v...)
			t.village.Refresh()
		}
	})
	return t
}

func (t *outreachTab) selectedVillage() string {
	if t.village.Selected == t.all {
		return ""
	}
	return t.village.Selected
}

func (t *outreachTab) reload() {
	v := t.selectedVillage()
	t.status.SetText(lang.L("正在载入…"))
	Go(t.e, func(ctx context.Context) ([]data.OutreachEntry, error) { return t.e.Store.Outreach(ctx, v) },
		func(list []data.OutreachEntry, err error) {
			if err != nil {
				t.status.SetText(UserMessage(err))
				return
			}
			t.entries = list
			n := 0
			for _, e := range list {
				n += len(e.Policies)
			}
			t.status.SetText(fmt.Sprintf(lang.L("%d 位居民、共 %d 项政策待告知。"), len(list), n))
			t.list.Refresh()
		})
}

func (t *outreachTab) export(ext string) {
	v := t.selectedVillage()
	name := lang.L("政策告知清单")
	if v != "" {
		name += "-" + v
	}
	chooseSave(t.e, name+now().Format("20060102")+ext, func(path string) {
		Go(t.e, func(ctx context.Context) (int, error) {
			return t.e.Store.SaveOutreach(ctx, v, path, t.u.actorName())
		}, func(n int, err error) {
			if err != nil {
				t.e.ShowError(err)
				return
			}
			showSaved(t.e, lang.L("导出完成"), fmt.Sprintf(lang.L("告知清单已写出：%d 位居民。"), n), path)
		})
	})
}

// pensionHomePanel is 待认证 on a station's 首页: residents in the pension
// category due for their yearly certification, with the list one tap away.
func pensionHomePanel(e *Env) fyne.CanvasObject {
	if e.Ident.Role == data.RoleBureau {
		return container.NewVBox()
	}
	count := widget.NewLabelWithStyle("…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	count.SizeName = theme.SizeNameSubHeadingText
	detail := widget.NewLabel("")
	detail.Wrapping = fyne.TextWrapWord
	var due []data.PensionDue
	show := widget.NewButtonWithIcon(lang.L("查看待认证名单"), theme.ListIcon(), func() { showPensionDue(e, due) })
	show.Disable()
	Go(e, func(ctx context.Context) ([]data.PensionDue, error) {
		return e.Store.PensionDueList(ctx, data.PensionDueWithin)
	},
		func(list []data.PensionDue, err error) {
			if err != nil {
				detail.SetText(UserMessage(err))
				return
			}
			due = list
			lapsed := 0
			for _, d := range list {
				if d.DaysLeft <= 0 {
					lapsed++
				}
			}
			count.SetText(fmt.Sprintf(lang.L("待认证 %d 人"), len(list)))
			detail.SetText(fmt.Sprintf(lang.L("其中 %d 人已超过 12 个月未认证（含从未认证），%d 人将在 %d 天内到期。认证以服务项目“养老金领取资格认证”的上门记录为准。"),
				lapsed, len(list)-lapsed, data.PensionDueWithin))
			if len(list) > 0 {
				show.Enable()
			}
		})
	return widget.NewCard(lang.L("养老金领取资格认证"), "", container.NewVBox(count, detail, container.NewHBox(show)))
}

// pensionStanding is how a certification stands, in the officer's language.
func pensionStanding(d data.PensionDue) string {
	f, n := d.Standing()
	if strings.Contains(f, "%d") {
		return fmt.Sprintf(lang.L(f), n)
	}
	return lang.L(f)
}

func showPensionDue(e *Env, list []data.PensionDue) {
	l := widget.NewList(func() int { return len(list) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d := list[i]
			last := d.LastCertified
			if last == "" {
				last = "—"
			}
			o.(*widget.Label).SetText(fmt.Sprintf(lang.L("%s  %s  %s  上次认证 %s  %s"), d.Name, d.Village, d.Address, last, pensionStanding(d)))
		})
	dlg := dialog.NewCustom(lang.L("养老金领取资格待认证名单"), lang.L("关闭"), l, e.Win)
	dlg.Resize(dialogSize(e, fyne.NewSize(720, 520)))
	dlg.Show()
}

// bureauReachPanel is the bureau's tab of 政策找人: per policy of the
// bureau with criteria, each station's share of the possibly eligible told.
func bureauReachPanel(e *Env) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabel(lang.L("正在载入…")))
	Go(e, func(ctx context.Context) ([]data.PolicyShares, error) { return e.Store.ReachByStation(ctx) },
		func(list []data.PolicyShares, err error) {
			if err != nil {
				box.Objects = []fyne.CanvasObject{widget.NewLabel(UserMessage(err))}
				box.Refresh()
				return
			}
			objs := []fyne.CanvasObject{}
			hint := widget.NewLabel(lang.L("本局下发、设有享受对象条件的现行政策：各站可能符合条件的居民中已告知的比例（按各站送来的数据包计算，比例低的在前）。"))
			hint.Wrapping = fyne.TextWrapWord
			hint.Importance = widget.LowImportance
			objs = append(objs, hint)
			if len(list) == 0 {
				objs = append(objs, widget.NewLabel(lang.L("本局下发的现行政策均未设享受对象条件。")))
			}
			for _, p := range list {
				grid := container.NewGridWithColumns(4)
				for _, st := range append(p.Stations, p.All) {
					name := widget.NewLabel(st.Name)
					name.Truncation = fyne.TextTruncateEllipsis
					grid.Add(name)
					grid.Add(widget.NewLabel(fmt.Sprintf(lang.L("可能符合 %d 人"), st.Eligible)))
					grid.Add(widget.NewLabel(fmt.Sprintf(lang.L("已告知 %d 人"), st.Told)))
					share := widget.NewLabelWithStyle(st.ShareText(), fyne.TextAlignTrailing, fyne.TextStyle{Bold: st.Name == data.ReportTotalLabel})
					if st.Eligible > 0 && st.Share() < 0.5 {
						share.Importance = widget.WarningImportance
					}
					grid.Add(share)
				}
				title := widget.NewLabelWithStyle(p.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
				title.Wrapping = fyne.TextWrapWord
				crit := widget.NewLabel(fmt.Sprintf(lang.L("享受对象：%s"), p.Criteria))
				crit.Wrapping = fyne.TextWrapWord
				crit.Importance = widget.LowImportance
				objs = append(objs, widget.NewCard("", "", container.NewVBox(title, crit, grid)))
			}
			box.Objects = objs
			box.Refresh()
		})
	return box
}
