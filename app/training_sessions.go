package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// sessionList is the 培训场次 tab: the year's sessions, newest first.
type sessionList struct {
	u       *trainingUI
	items   []data.TrainingSummary
	list    *widget.List
	empty   *widget.Label
	add     *widget.Button
	content fyne.CanvasObject
}

func newSessionList(u *trainingUI) *sessionList {
	s := &sessionList{u: u}
	s.list = widget.NewList(func() int { return len(s.items) },
		func() fyne.CanvasObject {
			date := widget.NewLabelWithStyle("2026-11-20 14:30", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			kind := widget.NewLabel("干部学习日")
			topic := widget.NewLabel("")
			topic.Truncation = fyne.TextTruncateEllipsis
			rate := widget.NewLabel("出勤 8/8 人 100%")
			return container.NewBorder(nil, nil, container.NewHBox(date, kind), rate, topic)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := s.items[i]
			box := o.(*fyne.Container)
			topic := box.Objects[0].(*widget.Label)
			left := box.Objects[1].(*fyne.Container)
			rate := box.Objects[2].(*widget.Label)
			left.Objects[0].(*widget.Label).SetText(t.Date + " " + t.Start)
			left.Objects[1].(*widget.Label).SetText(lang.L(data.TrainingTypeLabel(t.Type)))
			text := t.Topic
			if text == "" {
				text = lang.L("（未填写主题）")
			}
			if t.MovedFrom != "" {
				text += "  " + fmt.Sprintf(lang.L("（原定%s）"), t.MovedFrom)
			}
			topic.SetText(text)
			if t.Recorded == 0 {
				rate.SetText(lang.L("未登记出勤"))
			} else {
				rate.SetText(fmt.Sprintf(lang.L("出勤 %d/%d 人 %d%%"), t.Attended, t.Recorded, trPercent(t.Rate())))
			}
		})
	s.list.OnSelected = func(i widget.ListItemID) {
		s.list.UnselectAll()
		if i < len(s.items) {
			u.openSession(s.items[i].ID)
		}
	}
	s.empty = widget.NewLabel(lang.L("这一年还没有培训记录。"))
	s.empty.Hide()
	s.add = widget.NewButtonWithIcon(lang.L("新建培训"), theme.ContentAddIcon(), func() {
		u.editSession(data.Training{Type: data.TrainingSpecial, Date: trDay(now()).Format("2006-01-02"), Start: "09:00", End: "11:30"})
	})
	s.add.Importance = widget.HighImportance
	top := container.NewHBox(s.add, layoutSpacer(), widget.NewLabel(lang.L("点一条记录打开，登记出勤、导出签到表")))
	s.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, container.NewStack(s.list, s.empty))
	return s
}

func trPercent(r float64) int { return int(r*100 + 0.5) }

func (s *sessionList) load() {
	year := s.u.year
	Go(s.u.e, func(ctx context.Context) ([]data.TrainingSummary, error) {
		return s.u.e.Store.Trainings(ctx, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	}, func(list []data.TrainingSummary, err error) {
		if err != nil {
			s.u.e.ShowError(err)
			return
		}
		s.items = list
		s.empty.Hidden = len(list) > 0
		s.empty.Refresh()
		s.list.Refresh()
	})
}

// sessionEditor is the form of one session, with its linked policies,
// material files and the buttons for attendance and exports.
type sessionEditor struct {
	u *trainingUI
	t data.Training

	kind                                      *widget.Select
	date, start, end, topic, speaker, place   *widget.Entry
	notes                                     *widget.Entry
	moved                                     *widget.Label
	policies                                  []data.PolicyChoice
	policyBox, materialBox                    *fyne.Container
	status                                    *widget.Label // what was saved
	msgs                                      *fieldMessages
	save, attend, sheet, xlsx, remove, addMat *widget.Button
	pickPolicy                                *widget.Button
	formW                                     *widget.Form
}

func (u *trainingUI) editSession(t data.Training) {
	ed := &sessionEditor{u: u, t: t, msgs: newFieldMessages(u.e.Win)}
	m := ed.msgs
	u.editor = ed
	labels := make([]string, len(data.TrainingTypes))
	for i, k := range data.TrainingTypes {
		labels[i] = lang.L(k.Label)
	}
	ed.kind = widget.NewSelect(labels, nil)
	for i, k := range data.TrainingTypes {
		if k.Code == t.Type {
			ed.kind.SetSelectedIndex(i)
		}
	}
	entry := func(v, ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(ph)
		return e
	}
	ed.date = entry(t.Date, "2026-11-20")
	ed.start = entry(t.Start, "14:30")
	ed.end = entry(t.End, "17:30")
	ed.topic = entry(t.Topic, lang.L("例如：城乡居民养老保险资格认证新规解读"))
	ed.speaker = entry(t.Speaker, lang.L("主讲人姓名"))
	ed.place = entry(t.Place, lang.L("例如：站会议室"))
	ed.notes = widget.NewMultiLineEntry()
	ed.notes.SetText(t.Notes)
	ed.notes.SetMinRowsVisible(3)
	ed.moved = widget.NewLabel("")
	ed.moved.Wrapping = fyne.TextWrapWord
	if t.MovedFrom != "" {
		ed.moved.SetText(fmt.Sprintf(lang.L("原定 %s，调整原因：%s（在学习日历中修改）"), t.MovedFrom, t.MoveReason))
	} else {
		ed.moved.Hide()
	}
	ed.policyBox = container.NewVBox()
	ed.materialBox = container.NewVBox()
	ed.status = widget.NewLabel("")
	ed.status.Wrapping = fyne.TextWrapWord
	ed.pickPolicy = widget.NewButtonWithIcon(lang.L("选择政策"), theme.SearchIcon(), ed.choosePolicies)
	ed.addMat = widget.NewButtonWithIcon(lang.L("添加材料"), theme.FileIcon(), ed.addMaterial)
	ed.save = widget.NewButtonWithIcon(lang.L("保存"), theme.DocumentSaveIcon(), func() { ed.doSave(nil) })
	ed.save.Importance = widget.HighImportance
	ed.attend = widget.NewButtonWithIcon(lang.L("出勤登记"), theme.AccountIcon(), func() {
		ed.doSave(func(t data.Training) { u.showAttendance(t) })
	})
	ed.sheet = widget.NewButtonWithIcon(lang.L("签到表 PDF"), theme.DocumentPrintIcon(), func() {
		ed.doSave(func(t data.Training) { exportSignInSheet(u.e, t) })
	})
	ed.xlsx = widget.NewButtonWithIcon(lang.L("导出出勤 Excel"), theme.DownloadIcon(), func() {
		ed.doSave(func(t data.Training) { exportAttendance(u.e, t) })
	})
	ed.remove = widget.NewButtonWithIcon(lang.L("删除"), theme.DeleteIcon(), ed.askDelete)
	ed.remove.Importance = widget.DangerImportance
	if t.ID == "" {
		ed.remove.Disable()
		ed.addMat.Disable()
	}
	back := widget.NewButtonWithIcon(lang.L("返回"), theme.NavigateBackIcon(), u.showTabs)
	times := container.NewGridWithColumns(3, m.at(ed.date, "date"), m.at(ed.start, "start"), m.at(ed.end, "end"))
	form := widget.NewForm(
		widget.NewFormItem(lang.L("类型"), m.at(ed.kind, "type")),
		widget.NewFormItem(lang.L("日期 / 开始 / 结束"), times))
	if t.MovedFrom != "" {
		form.AppendItem(widget.NewFormItem("", m.at(ed.moved, "moved_from", "move_reason")))
	}
	form.Items = append(form.Items,
		widget.NewFormItem(lang.L("主题"), m.at(ed.topic, "topic")),
		widget.NewFormItem(lang.L("主讲人"), m.at(ed.speaker, "speaker")),
		widget.NewFormItem(lang.L("地点"), m.at(ed.place, "place")),
		widget.NewFormItem(lang.L("关联政策"), container.NewVBox(ed.policyBox, container.NewHBox(ed.pickPolicy), m.line(ed.pickPolicy, "policy_ids"))),
		widget.NewFormItem(lang.L("培训材料"), container.NewVBox(ed.materialBox, container.NewHBox(ed.addMat), m.line(ed.addMat, "material", "name", "content"))),
		widget.NewFormItem(lang.L("备注"), m.at(ed.notes, "notes")),
	)
	ed.formW = form
	title := lang.L("新建培训")
	if t.ID != "" {
		title = lang.L("培训记录")
	}
	buttons := buttonRow(ed.save, ed.attend, ed.sheet, ed.xlsx, ed.remove)
	top := container.NewVBox(container.NewHBox(back, heading(title)), widget.NewSeparator())
	u.showPage(container.NewBorder(top, container.NewVBox(widget.NewSeparator(), m.status, ed.status, buttons), nil, nil, container.NewVScroll(form)))
	ed.loadLinks()
}

// loadLinks fetches the linked policies and the material files.
func (ed *sessionEditor) loadLinks() {
	ids := append([]string(nil), ed.t.PolicyIDs...)
	id := ed.t.ID
	type links struct {
		policies  []data.PolicyChoice
		materials []data.Material
	}
	Go(ed.u.e, func(ctx context.Context) (links, error) {
		var l links
		var err error
		if l.policies, err = ed.u.e.Store.PoliciesByID(ctx, ids); err != nil || id == "" {
			return l, err
		}
		l.materials, err = ed.u.e.Store.Materials(ctx, id)
		return l, err
	}, func(l links, err error) {
		if err != nil {
			ed.u.e.ShowError(err)
			return
		}
		ed.policies = l.policies
		ed.showPolicies()
		ed.showMaterials(l.materials)
	})
}

func trPolicyText(p data.PolicyChoice) string {
	s := p.Title
	if p.DocNo != "" {
		s += "（" + p.DocNo + "）"
	}
	if p.Status != "" && p.Status != "现行有效" {
		s += " [" + lang.L(p.Status) + "]"
	}
	return s
}

func (ed *sessionEditor) showPolicies() {
	ed.policyBox.Objects = nil
	if len(ed.policies) == 0 {
		ed.policyBox.Objects = append(ed.policyBox.Objects, widget.NewLabel(lang.L("未关联政策")))
	}
	for i, p := range ed.policies {
		i := i
		l := widget.NewLabel(trPolicyText(p))
		l.Truncation = fyne.TextTruncateEllipsis
		rm := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
			ed.policies = append(ed.policies[:i:i], ed.policies[i+1:]...)
			ed.showPolicies()
		})
		ed.policyBox.Objects = append(ed.policyBox.Objects, container.NewBorder(nil, nil, nil, rm, l))
	}
	ed.policyBox.Refresh()
	ed.formW.Refresh()
}

func (ed *sessionEditor) showMaterials(ms []data.Material) {
	ed.materialBox.Objects = nil
	if ed.t.ID == "" {
		ed.materialBox.Objects = append(ed.materialBox.Objects, widget.NewLabel(lang.L("保存后可添加材料文件")))
	} else if len(ms) == 0 {
		ed.materialBox.Objects = append(ed.materialBox.Objects, widget.NewLabel(lang.L("没有材料文件")))
	}
	for _, m := range ms {
		m := m
		l := widget.NewLabel(fmt.Sprintf("%s  (%s)", m.Name, trSize(m.Size)))
		l.Truncation = fyne.TextTruncateEllipsis
		saveAs := widget.NewButtonWithIcon("", theme.DownloadIcon(), func() { ed.saveMaterial(m) })
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			dialog.ShowConfirm(lang.L("删除材料"), fmt.Sprintf(lang.L("删除材料文件“%s”？"), m.Name), func(ok bool) {
				if !ok {
					return
				}
				Go(ed.u.e, func(ctx context.Context) (struct{}, error) { return struct{}{}, ed.u.e.Store.DeleteMaterial(ctx, m.ID) },
					func(_ struct{}, err error) {
						ed.u.e.ShowError(err)
						ed.loadLinks()
					})
			}, ed.u.e.Win)
		})
		ed.materialBox.Objects = append(ed.materialBox.Objects, container.NewBorder(nil, nil, nil, container.NewHBox(saveAs, rm), l))
	}
	ed.materialBox.Refresh()
	ed.formW.Refresh()
}

func trSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// form reads the fields into a session.
func (ed *sessionEditor) form() data.Training {
	t := ed.t
	if i := ed.kind.SelectedIndex(); i >= 0 {
		t.Type = data.TrainingTypes[i].Code
	}
	t.Date, t.Start, t.End = ed.date.Text, ed.start.Text, ed.end.Text
	t.Topic, t.Speaker, t.Place, t.Notes = ed.topic.Text, ed.speaker.Text, ed.place.Text, ed.notes.Text
	t.PolicyIDs = make([]string, len(ed.policies))
	for i, p := range ed.policies {
		t.PolicyIDs[i] = p.ID
	}
	return t
}

// doSave saves the form; then runs next (if any) with the saved session.
func (ed *sessionEditor) doSave(next func(data.Training)) {
	t := ed.form()
	ed.status.SetText("")
	ed.msgs.clear()
	Go(ed.u.e, func(ctx context.Context) (data.Training, error) {
		err := ed.u.e.Store.SaveTraining(ctx, &t)
		return t, err
	}, func(t data.Training, err error) {
		ed.msgs.report(err)
		if err != nil {
			return
		}
		wasNew := ed.t.ID == ""
		ed.t = t
		ed.status.SetText(lang.L("已保存"))
		ed.remove.Enable()
		ed.addMat.Enable()
		if wasNew {
			ed.loadLinks()
		}
		if next != nil {
			next(t)
		}
	})
}

func (ed *sessionEditor) askDelete() {
	dialog.ShowConfirm(lang.L("删除培训记录"), lang.L("删除这条培训记录及其出勤登记和材料？"), func(ok bool) {
		if !ok {
			return
		}
		id := ed.t.ID
		Go(ed.u.e, func(ctx context.Context) (struct{}, error) { return struct{}{}, ed.u.e.Store.DeleteTraining(ctx, id) },
			func(_ struct{}, err error) {
				if err != nil {
					ed.u.e.ShowError(err)
					return
				}
				ed.u.showTabs()
			})
	}, ed.u.e.Win)
}

// choosePolicies lets the trainer pick policies from the library.
func (ed *sessionEditor) choosePolicies() {
	chosen := map[string]data.PolicyChoice{}
	order := []string{}
	for _, p := range ed.policies {
		chosen[p.ID] = p
		order = append(order, p.ID)
	}
	var found []data.PolicyChoice
	list := widget.NewList(func() int { return len(found) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := found[i]
			c := o.(*widget.Check)
			c.OnChanged = nil
			c.Text = trPolicyText(p)
			_, on := chosen[p.ID]
			c.SetChecked(on)
			c.OnChanged = func(on bool) {
				if on {
					if _, had := chosen[p.ID]; !had {
						order = append(order, p.ID)
					}
					chosen[p.ID] = p
				} else {
					delete(chosen, p.ID)
				}
			}
		})
	query := widget.NewEntry()
	query.SetPlaceHolder(lang.L("按标题或文号查找"))
	search := func(q string) {
		Go(ed.u.e, func(ctx context.Context) ([]data.PolicyChoice, error) { return ed.u.e.Store.PolicyChoices(ctx, q, 100) },
			func(ps []data.PolicyChoice, err error) {
				if err != nil {
					ed.u.e.ShowError(err)
					return
				}
				found = ps
				list.Refresh()
			})
	}
	query.OnChanged = search
	search("")
	content := container.NewBorder(query, nil, nil, nil, list)
	dlg := dialog.NewCustomConfirm(lang.L("关联政策"), lang.L("确定"), lang.L("取消"), content, func(ok bool) {
		if !ok {
			return
		}
		ed.policies = nil
		for _, id := range order {
			if p, on := chosen[id]; on {
				ed.policies = append(ed.policies, p)
			}
		}
		ed.showPolicies()
	}, ed.u.e.Win)
	dlg.Resize(fyne.NewSize(720, 480))
	dlg.Show()
}

func (ed *sessionEditor) addMaterial() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			ed.u.e.ShowError(err)
			return
		}
		ed.addMaterialFrom(r)
	}, ed.u.e.Win)
}

// addMaterialFrom stores the file r as a material of the session; a
// refusal (its name, its size) shows under the materials.
func (ed *sessionEditor) addMaterialFrom(r fyne.URIReadCloser) {
	id := ed.t.ID
	ed.msgs.clear()
	Go(ed.u.e, func(ctx context.Context) (data.Material, error) {
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, data.MaxMaterialSize+1))
		if err != nil {
			return data.Material{}, &data.Error{Kind: data.KindIO, Op: "read material", Err: err}
		}
		return ed.u.e.Store.AddMaterial(ctx, id, r.URI().Name(), b)
	}, func(_ data.Material, err error) {
		ed.msgs.report(err)
		if err == nil {
			ed.loadLinks()
		}
	})
}

func (ed *sessionEditor) saveMaterial(m data.Material) {
	e := ed.u.e
	saveDoc(e, m.Name, lang.L("已导出"), func(ctx context.Context, path string) error {
		_, b, err := e.Store.MaterialContent(ctx, m.ID)
		if err != nil {
			return err
		}
		return data.WritePrivateFile(path, b)
	})
}

func trExportName(prefix string, t data.Training, ext string) string {
	topic := []rune(strings.NewReplacer("/", "", `\`, "", ":", "", "*", "", "?", "", `"`, "", "<", "", ">", "", "|", "").Replace(t.Topic))
	if len(topic) > 20 {
		topic = topic[:20]
	}
	return fmt.Sprintf("%s-%s-%s%s", prefix, t.Date, string(topic), ext)
}

// exportSignInSheet asks where to save the session's 签到表 and writes it.
func exportSignInSheet(e *Env, t data.Training) {
	exportSheet(e, t, lang.L("签到表"), ".pdf", e.Store.SaveSignInSheetPDF)
}

// exportAttendance asks where to save the session's attendance workbook.
func exportAttendance(e *Env, t data.Training) {
	exportSheet(e, t, lang.L("出勤登记"), ".xlsx", e.Store.SaveAttendanceXLSX)
}

// exportSheet asks where to save a file made from the session's sign-in
// sheet by save, and writes it off the event thread.
func exportSheet(e *Env, t data.Training, prefix, ext string, save func(ctx context.Context, trainingID, path string) error) {
	saveDoc(e, trExportName(prefix, t, ext), lang.L("已导出"), func(ctx context.Context, path string) error {
		return save(ctx, t.ID, path)
	})
}
