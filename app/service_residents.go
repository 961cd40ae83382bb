package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func asDataError(err error, de **data.Error) bool { return errors.As(err, de) }

// residentTab is 服务对象: the paged list on the left, one resident's
// details and history on the right.
type residentTab struct {
	u       *serviceUI
	filter  data.ResidentFilter
	search  *widget.Entry
	village *widget.Select
	cat     *widget.Select
	count   *widget.Label
	pager   *pager[data.Resident, data.ResidentFilter]
	detail  *residentDetail
	content fyne.CanvasObject

	notFound *widget.Label // 没有找到 …, over the empty list
	addFound *widget.Button
	empty    *fyne.Container

	form          *residentForm // the open add/edit form, for tests
	importPreview *importPreview
	station       *stationFilter
}

func newResidentTab(u *serviceUI) *residentTab {
	t := &residentTab{u: u}
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder(lang.L("输入姓名、住址或身份证号后几位，边输入边查找"))
	t.search.OnSubmitted = t.searchFor
	t.search.OnChanged = typingPause(u.e, t.searchFor)
	t.village = selectWithAll(lang.L("全部村(社区)"), func(v string) { t.filter.Village = v; t.reload() })
	t.cat = selectWithAll(lang.L("全部类别"), func(v string) { t.filter.Category = v; t.reload() })
	setSelectOptions(t.cat, lang.L("全部类别"), data.ResidentCategories)
	t.station = newStationFilter(u.e, func(code string) { t.filter.Station = code; t.reload() })
	t.count = widget.NewLabel("")
	st := u.e.Store
	t.pager = newPager(u.e,
		func(ctx context.Context, f data.ResidentFilter, off, limit int) ([]data.Resident, error) {
			f.Offset, f.Limit = off, limit
			return st.Residents(ctx, f)
		},
		func(ctx context.Context, f data.ResidentFilter) (int, error) { return st.CountResidents(ctx, f) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("欧阳秀英", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			info := widget.NewLabel("女 · 86岁 · 马家湾村")
			ids := widget.NewLabel("430702********123X  138****1234")
			ids.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, container.NewHBox(name, info), nil, ids)
		},
		func(r data.Resident, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			left.Objects[0].(*widget.Label).SetText(r.Name)
			left.Objects[1].(*widget.Label).SetText(t.station.prefix(r.Origin) + residentInfo(r))
			box.Objects[0].(*widget.Label).SetText(strings.TrimSpace(r.IDNumber + "  " + r.Phone + "  " + strings.Join(r.Categories, "、")))
			box.Refresh()
		},
		func(o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			left.Objects[0].(*widget.Label).SetText(lang.L("正在载入…"))
			left.Objects[1].(*widget.Label).SetText("")
			box.Objects[0].(*widget.Label).SetText("")
		})
	t.notFound = widget.NewLabel("")
	t.notFound.Wrapping = fyne.TextWrapWord
	t.notFound.Alignment = fyne.TextAlignCenter
	t.addFound = widget.NewButtonWithIcon(lang.L("新增服务对象"), theme.ContentAddIcon(), func() {
		r := data.Resident{}
		if q := strings.TrimSpace(t.filter.Query); q != "" && !strings.ContainsAny(q, "0123456789") {
			r.Name = q // what was searched for is most likely the name
		}
		t.openForm(r)
	})
	t.addFound.Importance = widget.HighImportance
	t.empty = container.NewCenter(container.NewVBox(t.notFound, container.NewCenter(t.addFound)))
	t.empty.Hide()
	t.pager.onCount = func(n int) {
		t.count.SetText(countText("共 %d 人", n))
		if n == 0 && (t.filter.Query != "" || t.filter.Village != "" || t.filter.Category != "") {
			t.notFound.SetText(fmt.Sprintf(lang.L("没有找到“%s”"), strings.TrimSpace(t.filter.Query+" "+t.filter.Village+" "+t.filter.Category)))
			t.empty.Show()
		} else {
			t.empty.Hide()
		}
	}
	t.pager.list.OnSelected = func(i widget.ListItemID) {
		if r, ok := t.pager.item(i); ok {
			t.detail.note.Hide()
			t.detail.open(r.ID)
		}
	}
	t.detail = newResidentDetail(u)
	add := widget.NewButtonWithIcon(lang.L("新增服务对象"), theme.ContentAddIcon(), func() { t.openForm(data.Resident{}) })
	add.Importance = widget.HighImportance
	imp := widget.NewButtonWithIcon(lang.L("导入名单"), theme.FolderOpenIcon(), t.chooseImport)
	exp := widget.NewButtonWithIcon(lang.L("导出 Excel"), theme.DocumentSaveIcon(), t.chooseExport)
	form := widget.NewButtonWithIcon(lang.L("空白记录表"), theme.DocumentPrintIcon(), func() { u.chooseVisitForm(nil) })
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(t.village, t.cat), t.search)
	tools := buttonRow(add, imp, exp, form)
	top := container.NewVBox(tools, filters, widget.NewSeparator())
	if t.station != nil { // the bureau: every station's residents, one station at a time if chosen
		top.Objects = append([]fyne.CanvasObject{tools, t.station.sel}, top.Objects[1:]...)
	}
	left := container.NewBorder(top, t.count, nil, nil, container.NewStack(t.pager.list, t.empty))
	split := container.NewHSplit(left, t.detail.content)
	split.Offset = 0.5
	t.content = split
	return t
}

// searchFor filters the list by q.
func (t *residentTab) searchFor(q string) {
	if q == t.filter.Query {
		return
	}
	t.filter.Query = q
	t.reload()
}

func residentInfo(r data.Resident) string {
	parts := []string{r.Gender}
	if a := r.Age(now()); a >= 0 {
		parts = append(parts, fmt.Sprintf(lang.L("%d岁"), a))
	}
	if r.Village != "" {
		parts = append(parts, r.Village)
	}
	return strings.Join(parts, " · ")
}

func (t *residentTab) setVillages(v []string) {
	setSelectOptions(t.village, lang.L("全部村(社区)"), v)
}

func (t *residentTab) reload() { t.pager.reset(t.filter) }

// residentDetail is the right-hand side: fields, masks with an audited
// reveal, consent, actions and the history timeline.
type residentDetail struct {
	u        *serviceUI
	r        data.Resident
	name     *widget.Label
	note     *widget.Label // 已保存 … after a save from this detail
	fields   *widget.Form
	idLabel  *widget.Label
	phone    *widget.Label
	reveal   *widget.Button
	consent  *widget.Label
	timeline *fyne.Container
	actions  *fyne.Container
	empty    *widget.Label
	body     *fyne.Container
	tabs     *container.AppTabs
	content  fyne.CanvasObject
	other    map[string]*widget.Label
	reach    *reachList // policies they may qualify for (reach.go)
}

func newResidentDetail(u *serviceUI) *residentDetail {
	d := &residentDetail{u: u, other: map[string]*widget.Label{}}
	d.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.name.SizeName = theme.SizeNameSubHeadingText
	d.idLabel = widget.NewLabel("")
	d.phone = widget.NewLabel("")
	d.reveal = widget.NewButtonWithIcon(lang.L("显示完整号码"), theme.VisibilityIcon(), d.doReveal)
	d.consent = widget.NewLabel("")
	d.consent.Wrapping = fyne.TextWrapWord
	lbl := func(key string) *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		d.other[key] = l
		return l
	}
	d.fields = widget.NewForm(
		widget.NewFormItem(lang.L("性别 / 年龄"), lbl("info")),
		widget.NewFormItem(lang.L("出生日期"), lbl("birth")),
		widget.NewFormItem(lang.L("身份证号"), container.NewBorder(nil, nil, nil, d.reveal, d.idLabel)),
		widget.NewFormItem(lang.L("联系电话"), d.phone),
		widget.NewFormItem(lang.L("住址"), lbl("address")),
		widget.NewFormItem(lang.L("服务类别"), lbl("cats")),
		widget.NewFormItem(lang.L("需求"), lbl("needs")),
		widget.NewFormItem(lang.L("备注"), lbl("notes")),
		widget.NewFormItem(lang.L("信息保存同意"), d.consent),
	)
	edit := widget.NewButtonWithIcon(lang.L("编辑"), theme.DocumentCreateIcon(), func() { u.residents.openForm(d.r) })
	visit := widget.NewButtonWithIcon(lang.L("记录上门"), theme.ContentAddIcon(), func() { u.openVisitForm(&d.r) })
	visit.Importance = widget.HighImportance
	opinion := widget.NewButtonWithIcon(lang.L("记录意见"), theme.MailComposeIcon(), func() {
		openOpinionForm(u.e, &d.r, u.actorName(), func() { d.open(d.r.ID) })
	})
	form := widget.NewButtonWithIcon(lang.L("打印记录表"), theme.DocumentPrintIcon(), func() { u.chooseVisitForm([]string{d.r.ID}) })
	d.actions = buttonRow(visit, edit, opinion, form)
	d.timeline = container.NewVBox()
	d.reach = newReachList(u.e, false)
	d.reach.onLoad = func(n int) {
		d.tabs.Items[2].Text = fmt.Sprintf(lang.L("可能符合的政策（%d）"), n)
		d.tabs.Refresh()
	}
	d.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("基本信息"), container.NewVScroll(d.fields)),
		container.NewTabItem(lang.L("服务记录"), container.NewVScroll(d.timeline)),
		container.NewTabItem(lang.L("可能符合的政策"), container.NewVScroll(d.reach.box)),
	)
	d.note = widget.NewLabel("")
	d.note.Importance = widget.SuccessImportance
	d.note.Hide()
	d.body = container.NewBorder(container.NewVBox(d.name, d.actions, d.note), nil, nil, nil, d.tabs)
	d.empty = widget.NewLabel(lang.L("在左侧选择一位服务对象，查看详情和服务记录。"))
	d.empty.Wrapping = fyne.TextWrapWord
	d.body.Hide()
	d.content = container.NewStack(d.empty, d.body)
	return d
}

type residentView struct {
	r        data.Resident
	timeline []data.TimelineEntry
}

func (d *residentDetail) open(id string) {
	st := d.u.e.Store
	Go(d.u.e, func(ctx context.Context) (residentView, error) {
		r, err := st.Resident(ctx, id)
		if err != nil {
			return residentView{}, err
		}
		tl, err := st.ResidentTimeline(ctx, id, 100)
		return residentView{r, tl}, err
	}, func(v residentView, err error) {
		if err != nil {
			d.u.e.ShowError(err)
			return
		}
		d.show(v)
	})
}

func (d *residentDetail) show(v residentView) {
	r := v.r
	d.r = r
	d.name.SetText(r.Name)
	d.other["info"].SetText(residentInfo(r))
	d.other["birth"].SetText(r.BirthDate)
	d.idLabel.SetText(r.IDNumber)
	d.phone.SetText(orDash(r.Phone))
	d.reveal.Enable()
	d.reveal.SetText(lang.L("显示完整号码"))
	d.other["address"].SetText(orDash(r.Address))
	d.other["cats"].SetText(orDash(strings.Join(r.Categories, "、")))
	d.other["needs"].SetText(orDash(r.Needs))
	d.other["notes"].SetText(orDash(r.Notes))
	if r.Consent {
		d.consent.SetText(fmt.Sprintf(lang.L("已同意（%s 记录于 %s）"), orDash(d.u.names[r.ConsentBy]), r.ConsentAt.Format("2006-01-02")))
		d.consent.Importance = widget.MediumImportance
	} else {
		d.consent.SetText(lang.L("尚未记录本人同意，请在编辑中补录"))
		d.consent.Importance = widget.WarningImportance
	}
	d.consent.Refresh()
	d.timeline.Objects = nil
	for _, e := range v.timeline {
		d.timeline.Add(timelineRow(e))
	}
	if len(v.timeline) == 0 {
		d.timeline.Add(widget.NewLabel(lang.L("暂无服务记录")))
	}
	d.timeline.Refresh()
	d.tabs.Items[1].Text = fmt.Sprintf(lang.L("服务记录（%d）"), len(v.timeline))
	d.tabs.Refresh()
	d.empty.Hide()
	d.body.Show()
	d.reach.load(r.ID)
}

func timelineRow(e data.TimelineEntry) fyne.CanvasObject {
	icon := theme.DocumentIcon()
	switch e.Kind {
	case "visit":
		icon = theme.AccountIcon()
	case "followup":
		icon = theme.ConfirmIcon()
	case "opinion":
		icon = theme.MailComposeIcon()
	case "registered":
		icon = theme.ContentAddIcon()
	}
	date := widget.NewLabelWithStyle(e.Date, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	title := widget.NewLabelWithStyle(translateTimelineTitle(e.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lines := container.NewVBox(title)
	if e.Detail != "" {
		det := widget.NewLabel(e.Detail)
		det.Wrapping = fyne.TextWrapWord
		lines.Add(det)
	}
	if e.Open {
		title.Importance = widget.WarningImportance
	}
	return container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(icon), date), nil, lines)
}

// titleKey is the translatable head of a timeline title ("上门服务：…").
func titleKey(t string) string {
	head, _, _ := strings.Cut(t, "：")
	head, _, _ = strings.Cut(head, "（")
	return head
}

func translateTimelineTitle(t string) string {
	head := titleKey(t)
	return lang.L(head) + strings.TrimPrefix(t, head)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// doReveal shows the full ID number and phone; the store logs who asked.
func (d *residentDetail) doReveal() {
	actor := d.u.actorName()
	if actor == "" {
		d.u.e.ShowError(data.Invalid("actor", "请先选择经办人"))
		return
	}
	id := d.r.ID
	Go(d.u.e, func(ctx context.Context) (data.ResidentSecrets, error) {
		return d.u.e.Store.RevealResident(ctx, id, actor)
	}, func(s data.ResidentSecrets, err error) {
		if err != nil {
			d.u.e.ShowError(err)
			return
		}
		if d.r.ID != id {
			return
		}
		d.idLabel.SetText(s.IDNumber)
		d.phone.SetText(orDash(s.Phone))
		d.reveal.SetText(lang.L("已显示（已记录查看）"))
		d.reveal.Disable()
	})
}

// residentForm adds or edits a resident, with a message under each field.
type residentForm struct {
	*formDialog
	t       *residentTab
	r       data.Resident
	name    *widget.Entry
	idn     *widget.Entry
	derived *widget.Label
	phone   *widget.Entry
	village *widget.SelectEntry
	address *widget.Entry
	cats    *checkGrid
	needs   *widget.Entry
	notes   *widget.Entry
	consent *widget.Check
	open    *widget.Button // opens the resident already holding the ID number
	openID  string
	savedID string
	saveBtn *widget.Button
}

func (t *residentTab) openForm(r data.Resident) {
	f := &residentForm{t: t, r: r}
	msgs := newFieldMessages(t.u.e.Win)
	t.form = f
	f.name = widget.NewEntry()
	f.name.SetText(r.Name)
	f.idn = widget.NewEntry()
	f.idn.SetText(r.IDNumber)
	f.idn.SetPlaceHolder(lang.L("18 位，末位可为 X"))
	f.derived = widget.NewLabel("")
	f.open = widget.NewButton(lang.L("打开已登记的记录"), func() {
		f.dlg.Hide()
		t.detail.open(f.openID)
	})
	f.open.Hide()
	f.idn.OnChanged = f.checkID
	f.phone = widget.NewEntry()
	f.phone.SetText(r.Phone)
	f.phone.SetPlaceHolder(lang.L("手机或座机，如 138 1234 5678、0736-1234567"))
	f.village = widget.NewSelectEntry(t.u.villages)
	f.village.SetText(r.Village)
	f.address = widget.NewEntry()
	f.address.SetText(r.Address)
	f.cats = newCheckGrid(4, data.ResidentCategories)
	f.cats.SetSelected(r.Categories)
	f.needs = widget.NewEntry()
	f.needs.SetText(r.Needs)
	f.notes = widget.NewMultiLineEntry()
	f.notes.SetText(r.Notes)
	f.notes.SetMinRowsVisible(2)
	f.consent = widget.NewCheck(lang.L("本人已同意本站保存其个人信息（《个人信息保护法》）"), nil)
	f.consent.Checked = r.Consent
	if r.ID != "" {
		f.checkID(r.IDNumber)
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("姓名"), msgs.at(f.name, "name")),
		widget.NewFormItem(lang.L("身份证号"), container.NewVBox(f.idn, f.derived, msgs.line(f.idn, "id_number", "gender", "birth_date"), f.open)),
		widget.NewFormItem(lang.L("联系电话"), msgs.at(f.phone, "phone")),
		widget.NewFormItem(lang.L("村(社区)"), msgs.at(f.village, "village")),
		widget.NewFormItem(lang.L("住址"), msgs.at(f.address, "address")),
		widget.NewFormItem(lang.L("服务类别"), msgs.at(f.cats.box, "categories")),
		widget.NewFormItem(lang.L("需求"), msgs.at(f.needs, "needs")),
		widget.NewFormItem(lang.L("备注"), msgs.at(f.notes, "notes")),
		widget.NewFormItem("", msgs.at(f.consent, "consent")),
	)
	title := lang.L("新增服务对象")
	if r.ID != "" {
		title = lang.L("编辑服务对象")
	}
	f.formDialog = newFormDialog(t.u.e, title, lang.L("保存"), container.NewVScroll(form), msgs, f.submit, f.afterSave)
	f.saveBtn = f.formDialog.save
	f.show(fyne.NewSize(760, 640))
}

// checkID tells what the ID number says (or what is wrong with it) as it
// is typed, and whether somebody already holds it.
func (f *residentForm) checkID(s string) {
	f.open.Hide()
	card, err := data.ParseIDCard(s, now())
	if strings.Contains(s, "*") {
		f.derived.SetText(lang.L("（号码已隐藏，不修改请保持原样）"))
		return
	}
	if err != nil {
		if n := len([]rune(strings.TrimSpace(s))); n < 15 {
			f.derived.SetText("")
		} else {
			f.derived.SetText(UserMessage(err))
		}
		return
	}
	f.derived.SetText(fmt.Sprintf(lang.L("%s，%s 出生，%d 岁"), lang.L(card.Gender()), card.Birth.Format("2006-01-02"), card.Age(now())))
	self := f.r.ID
	Go(f.t.u.e, func(ctx context.Context) (data.Resident, error) {
		r, ok, err := f.t.u.e.Store.ResidentByIDNumber(ctx, s)
		if err == nil && !ok {
			r = data.Resident{}
		}
		return r, err
	}, func(r data.Resident, err error) {
		if err != nil || r.ID == "" || r.ID == self || f.idn.Text != s {
			return
		}
		f.derived.SetText(fmt.Sprintf(lang.L("该身份证号已登记：%s（%s）"), r.Name, r.Village))
		f.openID = r.ID
		f.open.Show()
	})
}

func (f *residentForm) values() data.Resident {
	r := f.r
	r.Name, r.IDNumber, r.Phone = f.name.Text, f.idn.Text, f.phone.Text
	r.Village, r.Address, r.Needs, r.Notes = f.village.Text, f.address.Text, f.needs.Text, f.notes.Text
	r.Categories = f.cats.Selected()
	for _, c := range f.r.Categories {
		if !slices.Contains(data.ResidentCategories, c) {
			r.Categories = append(r.Categories, c) // categories the form does not offer stay
		}
	}
	r.Consent = f.consent.Checked
	if f.idn.Text != f.r.IDNumber {
		r.Gender, r.BirthDate = "", ""
	}
	return r
}

// submit saves the form off the event thread; done shows a refusal.
func (f *residentForm) submit(done func(error)) {
	u := f.t.u
	r := f.values()
	officer := u.actorID
	Go(u.e, func(ctx context.Context) (string, error) {
		var err error
		if r.ID == "" {
			err = u.e.Store.AddResident(u.writeCtx(ctx), &r, officer)
		} else {
			err = u.e.Store.UpdateResident(u.writeCtx(ctx), &r, officer)
		}
		return r.ID, err
	}, func(id string, err error) {
		if existing, ok := data.ExistingResidentID(err); ok {
			f.openID = existing
			f.open.Show()
		}
		f.savedID = id
		done(err)
	})
}

func (f *residentForm) afterSave() {
	if f.r.ID == "" {
		f.t.u.reloadBasics(nil)
	}
	f.t.reload()
	f.t.detail.open(f.savedID)
}

// importPreview is the dry run of an import, waiting for the officer's OK.
type importPreview struct {
	path    string
	report  data.ResidentImportReport
	dlg     dialog.Dialog
	confirm func()
}

func (t *residentTab) chooseImport() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		t.previewImport(path)
	}, t.u.e.Win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// previewImport runs the import as a dry run and shows what it would do;
// 确认导入 then imports for real.
func (t *residentTab) previewImport(path string) {
	u := t.u
	actor := u.actorName()
	Go(u.e, func(ctx context.Context) (data.ResidentImportReport, error) {
		return u.e.Store.ImportResidentsFile(ctx, path, true, actor)
	}, func(rep data.ResidentImportReport, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		p := &importPreview{path: path, report: rep}
		t.importPreview = p
		summary := widget.NewLabel(fmt.Sprintf(lang.L("%s：可新增 %d 人，可更新 %d 人，有 %d 行不能导入。"), filepath.Base(path), rep.Imported, rep.Updated, len(rep.Rejected)))
		summary.Wrapping = fyne.TextWrapWord
		rows := container.NewVBox()
		for i, r := range rep.Rejected {
			if i == 200 {
				rows.Add(widget.NewLabel(fmt.Sprintf(lang.L("……另有 %d 行未列出"), len(rep.Rejected)-i)))
				break
			}
			l := widget.NewLabel(fmt.Sprintf(lang.L("第 %d 行：%s"), r.Row, r.Reason))
			l.Wrapping = fyne.TextWrapWord
			rows.Add(l)
		}
		if len(rep.Rejected) == 0 {
			rows.Add(widget.NewLabel(lang.L("所有行都可以导入。")))
		}
		note := widget.NewLabel(lang.L("这是试导入，尚未写入任何数据。不能导入的行请在表格中改正后再导入一次。"))
		note.Wrapping = fyne.TextWrapWord
		body := container.NewBorder(container.NewVBox(summary, note, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(rows))
		p.confirm = func() {
			Go(u.e, func(ctx context.Context) (data.ResidentImportReport, error) {
				return u.e.Store.ImportResidentsFile(u.writeCtx(ctx), path, false, actor)
			}, func(rep data.ResidentImportReport, err error) {
				if err != nil {
					u.e.ShowError(err)
					return
				}
				dialog.ShowInformation(lang.L("导入完成"), fmt.Sprintf(lang.L("新增 %d 人，更新 %d 人，未导入 %d 行。"), rep.Imported, rep.Updated, len(rep.Rejected)), u.e.Win)
				u.reloadBasics(nil)
				t.reload()
			})
		}
		p.dlg = dialog.NewCustomConfirm(lang.L("导入服务对象名单"), lang.L("确认导入"), lang.L("取消"), body, func(ok bool) {
			if ok && rep.Imported+rep.Updated > 0 {
				p.confirm()
			}
		}, u.e.Win)
		p.dlg.Resize(fyne.NewSize(640, 480))
		p.dlg.Show()
	})
}

func (t *residentTab) chooseExport() {
	chooseSave(t.u.e, lang.L("服务对象")+now().Format("20060102")+".xlsx", func(path string) { t.exportTo(path) })
}

// exportTo writes the listed residents, masked, to path.
func (t *residentTab) exportTo(path string) {
	f := t.filter
	Go(t.u.e, func(ctx context.Context) (int, error) {
		return t.u.e.Store.ExportResidentsXLSX(ctx, path, f, false, "")
	}, func(n int, err error) {
		if err != nil {
			t.u.e.ShowError(err)
			return
		}
		showSaved(t.u.e, lang.L("导出完成"), fmt.Sprintf(lang.L("已导出 %d 人（身份证号和电话已隐藏中间位）。"), n), path)
	})
}
