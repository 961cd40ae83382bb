package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// attendanceView is the whole roster of a session on one screen: one tap per
// officer on 出席 / 迟到 / 请假 / 缺席, everyone present until changed.
type attendanceView struct {
	u       *trainingUI
	t       data.Training
	all     []data.AttendanceEntry // the whole roster of every station
	entries []data.AttendanceEntry // those shown and saved
	others  *widget.Check          // include other stations' officers (joint training)
	rows    []*attendanceRow
	list    *fyne.Container
	summary *widget.Label
	status  *widget.Label // unsaved changes, or saved
	msgs    *fieldMessages
	save    *widget.Button
	allIn   *widget.Button
	dirty   bool
}

// attendanceRow is one officer's line: a segmented choice and a leave reason.
type attendanceRow struct {
	v       *attendanceView
	i       int
	choices []*widget.Button // in data.AttendanceStatuses order
	reason  *widget.Entry
	line    *widget.Label // the reason's message line
}

func (u *trainingUI) showAttendance(t data.Training) {
	v := &attendanceView{u: u, t: t, msgs: newFieldMessages(u.e.Win)}
	u.attendance = v
	v.list = container.NewVBox()
	v.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary.Wrapping = fyne.TextWrapWord
	v.status = widget.NewLabel("")
	v.save = widget.NewButtonWithIcon(lang.L("保存出勤"), theme.DocumentSaveIcon(), v.doSave)
	v.save.Importance = widget.HighImportance
	v.allIn = widget.NewButtonWithIcon(lang.L("全部出席"), theme.ConfirmIcon(), func() {
		for i := range v.entries {
			v.set(i, data.Present)
		}
	})
	v.others = widget.NewCheck(lang.L("包括其他站点人员（联合培训）"), func(bool) { v.filter() })
	v.others.Hide()
	sheet := widget.NewButtonWithIcon(lang.L("签到表 PDF"), theme.DocumentPrintIcon(), func() { exportSignInSheet(u.e, v.t) })
	xlsx := widget.NewButtonWithIcon(lang.L("导出出勤 Excel"), theme.DownloadIcon(), func() {
		if v.dirty {
			v.saveThen(func() { exportAttendance(u.e, v.t) })
			return
		}
		exportAttendance(u.e, v.t)
	})
	title := fmt.Sprintf(lang.L("出勤登记：%s"), t.Topic)
	release := u.e.hold(&unsaved{what: title, dirty: func() bool { return v.dirty },
		save: func(done func(bool)) { v.saveThen(func() { done(true) }) }})
	back := widget.NewButtonWithIcon(lang.L("返回"), theme.NavigateBackIcon(), func() {
		u.e.leave(func() {
			release()
			u.editSession(v.t)
		})
	})
	when := fmt.Sprintf("%s %s–%s  %s", trLongDate(t.Day()), t.Start, t.End, t.Place)
	head := container.NewVBox(
		container.NewHBox(back, heading(title)),
		widget.NewLabel(when),
		container.NewBorder(nil, nil, nil, container.NewHBox(v.others, v.allIn), v.summary),
		widget.NewSeparator(),
	)
	foot := container.NewVBox(widget.NewSeparator(), v.msgs.status, buttonRow(v.save, sheet, xlsx, v.status))
	u.showPage(container.NewBorder(head, foot, nil, nil, container.NewVScroll(v.list)))
	v.load()
}

func (v *attendanceView) load() {
	id := v.t.ID
	Go(v.u.e, func(ctx context.Context) ([]data.AttendanceEntry, error) { return v.u.e.Store.Attendance(ctx, id) },
		func(entries []data.AttendanceEntry, err error) {
			if err != nil {
				v.u.e.ShowError(err)
				return
			}
			v.all = entries
			own, mixed := v.u.e.Ident.Code, false
			for _, en := range entries {
				if en.StationCode != own {
					mixed = true
					if en.Recorded {
						v.others.Checked = true
					}
				}
			}
			// A study day is the station's own; special trainings are often joint.
			if own == "" || v.t.Type != data.TrainingStudyDay {
				v.others.Checked = true
			}
			v.others.Hidden = !mixed
			v.others.Refresh()
			v.filter()
		})
}

// filter shows this station's officers, and the others when asked, keeping
// the choices made so far.
func (v *attendanceView) filter() {
	byID := map[string]data.AttendanceEntry{}
	for _, en := range v.entries {
		byID[en.OfficerID] = en
	}
	v.entries = nil
	for i, en := range v.all {
		if got, ok := byID[en.OfficerID]; ok {
			v.all[i], en = got, got
		}
		if v.others.Checked || en.StationCode == v.u.e.Ident.Code || v.u.e.Ident.Code == "" {
			v.entries = append(v.entries, en)
		}
	}
	v.build()
}

func (v *attendanceView) build() {
	v.list.Objects = nil
	v.rows = nil
	v.msgs.drop()
	if len(v.entries) == 0 {
		v.list.Objects = append(v.list.Objects, widget.NewLabel(lang.L("名册里还没有工作人员。请先在设置中添加工作人员。")))
	}
	station := ""
	for i, en := range v.entries {
		if en.StationName != station {
			station = en.StationName
			v.list.Objects = append(v.list.Objects, widget.NewLabelWithStyle(station, fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Italic: true}))
		}
		r := &attendanceRow{v: v, i: i}
		for _, st := range data.AttendanceStatuses {
			st := st
			b := widget.NewButton(lang.L(st.Label()), func() { v.set(r.i, st) })
			r.choices = append(r.choices, b)
		}
		r.reason = widget.NewEntry()
		r.reason.SetPlaceHolder(lang.L("请假事由"))
		r.reason.SetText(en.Reason)
		r.reason.OnChanged = func(s string) {
			v.entries[r.i].Reason = s
			v.dirty = true
		}
		r.line = v.msgs.line(r.reason, "reason:"+en.OfficerID)
		name := widget.NewLabelWithStyle(en.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		role := widget.NewLabel(en.Role)
		who := container.NewGridWrap(fyne.NewSize(240, 36), container.NewHBox(name, role))
		seg := container.NewGridWithColumns(4)
		for _, b := range r.choices {
			seg.Add(b)
		}
		segBox := container.NewGridWrap(fyne.NewSize(320, 36), seg)
		v.list.Objects = append(v.list.Objects, container.NewBorder(nil, nil, container.NewHBox(who, segBox), nil, container.NewVBox(r.reason, r.line)))
		v.rows = append(v.rows, r)
		r.show()
	}
	v.list.Refresh()
	v.showSummary()
}

// show paints the row's choice: the chosen status stands out.
func (r *attendanceRow) show() {
	cur := r.v.entries[r.i].Status
	for j, b := range r.choices {
		st := data.AttendanceStatuses[j]
		switch {
		case st != cur:
			b.Importance = widget.LowImportance
		case st == data.Present:
			b.Importance = widget.SuccessImportance
		case st == data.Late:
			b.Importance = widget.WarningImportance
		case st == data.Leave:
			b.Importance = widget.HighImportance
		default:
			b.Importance = widget.DangerImportance
		}
		b.Refresh()
	}
	if cur == data.Leave {
		r.reason.Enable()
		r.reason.Show()
	} else {
		r.reason.Hide()
		r.line.Hide()
	}
}

// set changes one officer's status.
func (v *attendanceView) set(i int, st data.AttendanceStatus) {
	if i >= len(v.entries) || v.entries[i].Status == st {
		return
	}
	v.entries[i].Status = st
	v.dirty = true
	v.rows[i].show()
	v.showSummary()
	v.status.SetText(lang.L("有未保存的修改"))
}

func (v *attendanceView) showSummary() {
	n := map[data.AttendanceStatus]int{}
	for _, e := range v.entries {
		n[e.Status]++
	}
	v.summary.SetText(fmt.Sprintf(lang.L("应到 %d 人：出席 %d，迟到 %d，请假 %d，缺席 %d"), len(v.entries),
		n[data.Present], n[data.Late], n[data.Leave], n[data.Absent]))
}

func (v *attendanceView) doSave() { v.saveThen(nil) }

// reasonRow names the row of a refused leave reason: package data says
// "reason" (or "reason:<officer>"); when only one officer on leave has a
// reason, it is that one's.
func (v *attendanceView) reasonRow(err error) error {
	var de *data.Error
	if !errors.As(err, &de) || de.Field != "reason" {
		return err
	}
	row := ""
	for _, en := range v.entries {
		if en.Status == data.Leave && strings.TrimSpace(en.Reason) != "" {
			if row != "" {
				return err // two or more: the status line says it
			}
			row = en.OfficerID
		}
	}
	if row == "" {
		return err
	}
	return renamed(err, "reason", "reason:"+row)
}

func (v *attendanceView) saveThen(next func()) {
	entries := append([]data.AttendanceEntry(nil), v.entries...)
	id := v.t.ID
	v.save.Disable()
	v.msgs.clear()
	Go(v.u.e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, v.u.e.Store.SaveAttendance(ctx, id, entries)
	}, func(_ struct{}, err error) {
		v.save.Enable()
		v.msgs.report(v.reasonRow(err))
		if err != nil {
			return
		}
		v.dirty = false
		for i := range v.entries {
			v.entries[i].Recorded = true
		}
		v.status.SetText(lang.L("出勤已保存"))
		if next != nil {
			next()
		}
	})
}
