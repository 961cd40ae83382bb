package app

import (
	"context"
	"fmt"
	"net/url"
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

// policyDetail is the right-hand side of 政策资料: every field of the chosen
// policy, its links, attachments, notes, card printing and the register.
type policyDetail struct {
	e       *Env
	root    fyne.CanvasObject
	body    *fyne.Container
	scroll  *container.Scroll
	follow  func(id string) // open another policy (supersession links)
	changed func()          // the policy was edited: refresh the results

	p        data.Policy
	officers []data.Officer

	// Widgets of the shown policy (tests drive them).
	title, docNo, issuer, effective, expires, tags, summary, text *widget.Entry
	category, status                                              *widget.Select
	save                                                          *widget.Button
	notes                                                         *widget.Entry
	sheet                                                         *widget.Check
	count, date                                                   *widget.Entry
	place, officer                                                *widget.Select
	record                                                        *widget.Button
	totals                                                        *widget.Label
	recorded                                                      *widget.Label
	msgs, notesMsgs, handMsgs                                     *fieldMessages  // under the content, the notes, the register
	supersede                                                     *formDialog     // the open 设为已被替代 dialog, for tests
	criteria                                                      *criteriaEditor // 享受对象条件 (reach.go)
}

type policyDetailData struct {
	p        data.Policy
	atts     []data.Attachment
	sum      data.HandoutSummary
	months   []data.HandoutTotal
	officers []data.Officer
}

func newPolicyDetail(e *Env, follow func(string), changed func()) *policyDetail {
	d := &policyDetail{e: e, follow: follow, changed: changed}
	hint := widget.NewLabel(lang.L("在左侧选择一份政策，查看全文、打印卡片或登记发放。"))
	hint.Wrapping = fyne.TextWrapWord
	d.body = container.NewVBox(hint)
	d.scroll = container.NewVScroll(container.NewPadded(d.body))
	d.root = d.scroll
	return d
}

// open loads a policy and shows it.
func (d *policyDetail) open(id string) {
	at := now()
	Go(d.e, func(ctx context.Context) (policyDetailData, error) {
		var v policyDetailData
		var err error
		if v.p, err = d.e.Store.Policy(ctx, id); err != nil {
			return v, err
		}
		if v.atts, err = d.e.Store.Attachments(ctx, id); err != nil {
			return v, err
		}
		if v.sum, err = d.e.Store.HandoutSummaryFor(ctx, id, at); err != nil {
			return v, err
		}
		if v.months, err = d.e.Store.HandoutsByMonth(ctx, id); err != nil {
			return v, err
		}
		v.officers, err = d.e.Store.Officers(ctx, true)
		return v, err
	}, func(v policyDetailData, err error) {
		if err != nil {
			d.e.ShowError(err)
			return
		}
		d.show(v)
	})
}

func (d *policyDetail) show(v policyDetailData) {
	d.p, d.officers = v.p, v.officers
	p := &d.p
	today := now()
	readOnly := p.ReadOnly(d.e.Ident.Role)
	objs := []fyne.CanvasObject{}

	title := widget.NewLabelWithStyle(p.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	title.SizeName = theme.SizeNameSubHeadingText
	objs = append(objs, title)

	state := widget.NewLabelWithStyle(lang.L(p.StatusText(today)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if p.InForce(today) {
		state.Importance = widget.SuccessImportance
	} else {
		state.Importance = widget.DangerImportance
	}
	source := widget.NewLabel(lang.L("本站录入"))
	if p.Source == data.SourceBureau {
		source.SetText(lang.L("区人社局下发"))
		if readOnly {
			source.SetText(lang.L("区人社局下发：内容只读，可修改本站备注"))
		}
	}
	source.TextStyle = fyne.TextStyle{Italic: true}
	objs = append(objs, container.NewHBox(state, source))

	// Supersession, both ways.
	if p.Status == data.PolicySuperseded {
		if p.Successor != nil {
			succ := *p.Successor
			objs = append(objs, container.NewHBox(widget.NewLabel(lang.L("已被替代，新政策：")),
				widget.NewButtonWithIcon(refText(succ), theme.NavigateNextIcon(), func() { d.follow(succ.ID) })))
		} else {
			objs = append(objs, widget.NewLabel(lang.L("已被替代（新政策尚未导入）")))
		}
	}
	for _, old := range p.Supersedes {
		old := old
		b := widget.NewButtonWithIcon(refText(old), theme.NavigateBackIcon(), func() { d.follow(old.ID) })
		b.Importance = widget.LowImportance
		objs = append(objs, container.NewHBox(widget.NewLabel(lang.L("本政策替代了：")), b))
	}

	// Printing.
	d.sheet = widget.NewCheck(lang.L("A4 纸每页 4 张"), nil)
	printBtn := widget.NewButtonWithIcon(lang.L("打印政策卡片"), theme.DocumentPrintIcon(), d.askPrintCard)
	printBtn.Importance = widget.HighImportance
	actions := buttonRow(printBtn, d.sheet)
	if !readOnly && p.Status != data.PolicySuperseded {
		actions.Add(layoutSpacer())
		actions.Add(widget.NewButtonWithIcon(lang.L("设为已被替代…"), theme.ContentRedoIcon(), d.askSupersede))
	}
	objs = append(objs, actions)

	// Fields: editable for local policies, read-only for the bureau's.
	entry := func(s string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(s)
		return e
	}
	d.title, d.docNo, d.issuer = entry(p.Title), entry(p.DocNo), entry(p.Issuer)
	d.effective, d.expires = entry(p.Effective), entry(p.Expires)
	d.tags = entry(strings.Join(p.Tags, "，"))
	d.summary = widget.NewMultiLineEntry()
	d.summary.SetText(p.Summary)
	d.summary.Wrapping = fyne.TextWrapWord
	d.summary.SetMinRowsVisible(3)
	d.text = widget.NewMultiLineEntry()
	d.text.SetText(p.Body)
	d.text.Wrapping = fyne.TextWrapWord
	d.text.SetMinRowsVisible(10)
	d.category = widget.NewSelect(data.PolicyCategories, nil)
	d.category.SetSelected(p.Category)
	d.status = widget.NewSelect(data.PolicyStatuses, nil)
	d.status.SetSelected(p.Status)
	m := newFieldMessages(d.e.Win)
	d.msgs = m
	form := widget.NewForm(
		widget.NewFormItem(lang.L("标题"), m.at(d.title, "title")),
		widget.NewFormItem(lang.L("文号"), m.at(d.docNo, "doc_no")),
		widget.NewFormItem(lang.L("发文单位"), m.at(d.issuer, "issuer")),
		widget.NewFormItem(lang.L("类别"), m.at(d.category, "category")),
		widget.NewFormItem(lang.L("生效日期"), m.at(d.effective, "effective")),
		widget.NewFormItem(lang.L("失效日期"), m.at(d.expires, "expires")),
		widget.NewFormItem(lang.L("状态"), m.at(d.status, "status", "superseded_by")),
		widget.NewFormItem(lang.L("标签"), m.at(d.tags, "tags")),
		widget.NewFormItem(lang.L("摘要（卡片文字）"), m.at(d.summary, "summary")),
		widget.NewFormItem(lang.L("正文"), m.at(d.text, "body")),
	)
	d.save = widget.NewButtonWithIcon(lang.L("保存修改"), theme.DocumentSaveIcon(), d.saveFields)
	if readOnly {
		for _, w := range []fyne.Disableable{d.title, d.docNo, d.issuer, d.effective, d.expires, d.tags, d.summary, d.text, d.category, d.status, d.save} {
			w.Disable()
		}
		d.save.Hide()
	}
	objs = append(objs, card(lang.L("政策内容"), "", container.NewVBox(form, m.status, container.NewHBox(layoutSpacer(), d.save))))
	d.criteria = newCriteriaEditor(d.e, p.ID, readOnly)
	objs = append(objs, d.criteria.card)

	// Attachments, opened with the system's viewer.
	{
		box := container.NewVBox()
		for _, a := range v.atts {
			a := a
			box.Add(widget.NewButtonWithIcon(fmt.Sprintf("%s（%s）", a.Name, policySizeText(a.Size)), theme.FileIcon(), func() { d.openAttachment(a.ID) }))
		}
		if len(v.atts) == 0 {
			box.Add(widget.NewLabel(lang.L("没有附件")))
		}
		if !readOnly {
			add := widget.NewButtonWithIcon(lang.L("添加附件…"), theme.ContentAddIcon(), d.askAttachment)
			add.Importance = widget.LowImportance
			box.Add(container.NewHBox(add))
		}
		objs = append(objs, card(lang.L("附件（原始文件）"), "", box))
	}

	// Local notes: always editable.
	d.notes = widget.NewMultiLineEntry()
	d.notes.SetText(p.LocalNotes)
	d.notes.Wrapping = fyne.TextWrapWord
	d.notes.SetPlaceHolder(lang.L("本站备注，例如张贴位置、宣传安排"))
	saveNotes := widget.NewButtonWithIcon(lang.L("保存备注"), theme.DocumentSaveIcon(), d.saveNotes)
	d.notesMsgs = newFieldMessages(d.e.Win)
	objs = append(objs, card(lang.L("本站备注"), "", container.NewVBox(d.notesMsgs.at(d.notes, "local_notes", "notes"), d.notesMsgs.status,
		container.NewHBox(layoutSpacer(), saveNotes))))

	// Distribution register.
	d.count = widget.NewEntry()
	d.count.SetPlaceHolder(lang.L("份数"))
	d.place = widget.NewSelect(data.HandoutPlaces, nil)
	d.place.SetSelected(data.HandoutPlaces[0])
	d.date = widget.NewEntry()
	d.date.SetText(today.Format("2006-01-02"))
	names := make([]string, len(d.officers))
	for i, o := range d.officers {
		names[i] = o.Name + "（" + o.Role + "）"
	}
	d.officer = widget.NewSelect(names, nil)
	d.officer.PlaceHolder = lang.L("经办人（可不选）")
	d.record = widget.NewButtonWithIcon(lang.L("登记发放"), theme.ContentAddIcon(), d.recordHandout)
	d.recorded = widget.NewLabel("")
	d.totals = widget.NewLabel(handoutTotalsText(v.sum, v.months))
	d.totals.Wrapping = fyne.TextWrapWord
	h := newFieldMessages(d.e.Win)
	d.handMsgs = h
	regForm := widget.NewForm(
		widget.NewFormItem(lang.L("份数"), h.at(d.count, "count")),
		widget.NewFormItem(lang.L("地点"), h.at(d.place, "place")),
		widget.NewFormItem(lang.L("日期"), h.at(d.date, "handed_on")),
		widget.NewFormItem(lang.L("经办人"), h.at(d.officer, "officer_id")),
	)
	objs = append(objs, card(lang.L("卡片发放登记"), "", container.NewVBox(d.totals, regForm, h.status, container.NewHBox(d.recorded, layoutSpacer(), d.record))))

	d.body.Objects = objs
	d.body.Refresh()
	d.scroll.ScrollToTop()
}

func refText(r data.PolicyRef) string {
	if r.DocNo != "" {
		return r.Title + "（" + r.DocNo + "）"
	}
	return r.Title
}

func policySizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// handoutTotalsText is the register's totals: all time, this month, recent months.
func handoutTotalsText(s data.HandoutSummary, months []data.HandoutTotal) string {
	lines := []string{fmt.Sprintf(lang.L("累计发放 %d 份，本月 %d 份"), s.Total, s.ThisMonth)}
	for i, m := range months {
		if i >= 6 {
			break
		}
		lines = append(lines, fmt.Sprintf(lang.L("%s：%d 份（窗口 %d，上门服务 %d，村民会议 %d）"), m.Key, m.Cards,
			m.ByPlace["窗口"], m.ByPlace["上门服务"], m.ByPlace["村民会议"]))
	}
	return strings.Join(lines, "\n")
}

func (d *policyDetail) saveFields() {
	p := d.p
	p.Title, p.DocNo, p.Issuer = d.title.Text, d.docNo.Text, d.issuer.Text
	p.Effective, p.Expires = d.effective.Text, d.expires.Text
	p.Category, p.Status = d.category.Selected, d.status.Selected
	p.Summary, p.Body = d.summary.Text, d.text.Text
	p.Tags = strings.FieldsFunc(d.tags.Text, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' })
	d.msgs.clear()
	saveOff(d.e, func(ctx context.Context) error { return d.e.Store.UpdatePolicy(ctx, &p) }, func(err error) {
		d.msgs.report(err)
		if err != nil {
			return
		}
		d.open(p.ID)
		d.changed()
	})
}

func (d *policyDetail) saveNotes() {
	id, notes := d.p.ID, d.notes.Text
	d.notesMsgs.clear()
	saveOff(d.e, func(ctx context.Context) error { return d.e.Store.SetPolicyNotes(ctx, id, notes) }, func(err error) {
		d.notesMsgs.report(err)
		if err == nil {
			d.p.LocalNotes = notes
		}
	})
}

func (d *policyDetail) recordHandout() {
	d.recorded.SetText("")
	n, err := parseCount(d.count.Text, data.Invalid("count", "发放份数应大于 0"))
	d.handMsgs.report(err)
	if err != nil {
		return
	}
	h := data.CardHandout{PolicyID: d.p.ID, Count: n, HandedOn: strings.TrimSpace(d.date.Text), Place: d.place.Selected}
	if i := d.officer.SelectedIndex(); i >= 0 && i < len(d.officers) {
		h.OfficerID = d.officers[i].ID
	}
	at := now()
	Go(d.e, func(ctx context.Context) (policyDetailData, error) {
		var v policyDetailData
		if err := d.e.Store.RecordHandout(ctx, &h); err != nil {
			return v, err
		}
		var err error
		if v.sum, err = d.e.Store.HandoutSummaryFor(ctx, h.PolicyID, at); err != nil {
			return v, err
		}
		v.months, err = d.e.Store.HandoutsByMonth(ctx, h.PolicyID)
		return v, err
	}, func(v policyDetailData, err error) {
		d.handMsgs.report(err)
		if err != nil {
			return
		}
		d.totals.SetText(handoutTotalsText(v.sum, v.months))
		d.recorded.SetText(fmt.Sprintf(lang.L("已登记 %d 份"), h.Count))
		d.count.SetText("")
	})
}

func (d *policyDetail) askPrintCard() {
	name := "政策卡片.pdf"
	if d.p.DocNo != "" {
		name = "政策卡片-" + d.p.DocNo + ".pdf"
	}
	printDoc(d.e, name, lang.L("政策卡片"), d.cardWriter(d.sheet.Checked))
}

// cardWriter writes the shown policy's card (or a sheet of four) to a path.
func (d *policyDetail) cardWriter(sheet bool) func(ctx context.Context, path string) error {
	ids := []string{d.p.ID}
	if sheet {
		ids = []string{d.p.ID, d.p.ID, d.p.ID, d.p.ID}
	}
	return func(ctx context.Context, path string) error {
		return d.e.Store.PolicyCardsPDF(ctx, ids, data.CardLayout{Sheet: sheet}, path)
	}
}

func (d *policyDetail) openAttachment(id string) {
	Go(d.e, func(ctx context.Context) (string, error) { return d.e.Store.ExportAttachment(ctx, id) }, func(path string, err error) {
		if err != nil {
			d.e.ShowError(err)
			return
		}
		u, err := url.Parse(storage.NewFileURI(path).String())
		if err == nil {
			err = d.e.App.OpenURL(u)
		}
		if err != nil {
			dialog.ShowInformation(lang.L("附件已保存"), path, d.e.Win)
		}
	})
}

func (d *policyDetail) askAttachment() {
	id := d.p.ID
	dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		Go(d.e, func(ctx context.Context) (struct{}, error) { return struct{}{}, d.e.Store.AddAttachment(ctx, id, path) },
			func(_ struct{}, err error) {
				if err != nil {
					d.e.ShowError(err)
					return
				}
				d.open(id)
			})
	}, d.e.Win).Show()
}

// askSupersede links the shown policy to the new one that replaces it,
// named by its 文号.
func (d *policyDetail) askSupersede() {
	docNo := widget.NewEntry()
	docNo.SetPlaceHolder(lang.L("例如 武人社发〔2016〕1号"))
	msgs := newFieldMessages(d.e.Win)
	form := widget.NewForm(widget.NewFormItem(lang.L("新政策的文号"), msgs.at(docNo, "superseded_by", "doc_no")))
	oldID := d.p.ID
	d.supersede = newFormDialog(d.e, lang.L("设为已被替代"), lang.L("确定"), form, msgs, func(done func(error)) {
		d.supersedeBy(strings.TrimSpace(docNo.Text), done)
	}, func() {
		d.open(oldID)
		d.changed()
	})
	d.supersede.show(fyne.NewSize(480, 0))
}

// supersedeBy marks the shown policy as replaced by the one numbered docNo;
// done gets the refusal, nil when done.
func (d *policyDetail) supersedeBy(docNo string, done func(error)) {
	oldID := d.p.ID
	saveOff(d.e, func(ctx context.Context) error {
		if docNo == "" {
			return data.Invalid("superseded_by", "请填写新政策的文号")
		}
		hits, err := d.e.Store.SearchPolicies(ctx, data.PolicyQuery{Text: docNo, Limit: 20})
		if err != nil {
			return err
		}
		for _, h := range hits {
			if h.DocNo == docNo && h.ID != oldID {
				return d.e.Store.SupersedePolicy(ctx, oldID, h.ID)
			}
		}
		return data.Invalid("superseded_by", "找不到替代它的新政策")
	}, done)
}
