package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() { settingsPanels = append(settingsPanels, holidaysPanel) }

// holidaysPanel is 设置 → 节假日安排: the public holidays and the weekend
// days worked instead, by year. The bureau keeps them (its entries go down
// to every station with its next bundles); a station reads them. The duty
// rota and the study-day calendar follow them.
func holidaysPanel(e *Env) fyne.CanvasObject { return newHolidaysView(e).card }

type holidaysView struct {
	e      *Env
	year   int
	card   *widget.Card
	title  *widget.Label
	note   *widget.Label
	list   *fyne.Container
	date   *widget.Entry
	kind   *widget.Select
	name   *widget.Entry
	set    *widget.Button
	msgs   *fieldMessages
	bureau bool
}

var holidayKinds = []struct{ kind, label string }{{data.DayHoliday, "放假"}, {data.DayWorkday, "调休上班"}, {data.DayNormal, "正常工作日（取消内置安排）"}}

func newHolidaysView(e *Env) *holidaysView {
	v := &holidaysView{e: e, year: now().Year(), title: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		note: widget.NewLabel(""), list: container.NewVBox(), date: widget.NewEntry(), name: widget.NewEntry(), msgs: newFieldMessages(e.Win),
		bureau: e.Ident.Role == data.RoleBureau}
	v.note.Wrapping = fyne.TextWrapWord
	var labels []string
	for _, k := range holidayKinds {
		labels = append(labels, lang.L(k.label))
	}
	v.kind = widget.NewSelect(labels, nil)
	v.kind.SetSelectedIndex(0)
	v.date.SetPlaceHolder(lang.L("日期，例如 2027-02-08"))
	v.name.SetPlaceHolder(lang.L("节日，例如 春节"))
	v.set = widget.NewButtonWithIcon(lang.L("保存这一天"), theme.DocumentSaveIcon(), v.onSet)
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.year--; v.load() })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.year++; v.load() })
	body := container.NewVBox(container.NewHBox(prev, v.title, next), v.note)
	sub := lang.L("区县人社局维护，随同步包发到各站点；大厅值班和学习日安排按此避开节假日")
	if v.bureau {
		m := v.msgs
		body.Add(widget.NewSeparator())
		body.Add(container.NewGridWithColumns(2, m.at(v.date, "date"), m.at(v.name, "name")))
		body.Add(m.at(v.kind, "kind"))
		body.Add(container.NewHBox(v.set))
		body.Add(m.status)
		body.Add(widget.NewSeparator())
		sub = lang.L("国务院公布放假安排后在此补录或修改；保存后随同步包发到各站点。大厅值班和学习日安排按此避开节假日、照常安排调休上班日")
	}
	body.Add(v.list)
	v.card = noteCard(lang.L("节假日安排"), sub, body)
	v.load()
	return v
}

func (v *holidaysView) load() {
	year := v.year
	v.title.SetText(fmt.Sprintf(lang.L("%d年"), year))
	Go(v.e, func(ctx context.Context) (data.HolidayCalendar, error) {
		return v.e.Store.HolidayCalendar(ctx, year, year)
	},
		func(c data.HolidayCalendar, err error) {
			if year != v.year {
				return
			}
			v.list.Objects = nil
			if err != nil {
				v.list.Add(widget.NewLabel(UserMessage(err)))
				v.list.Refresh()
				relayoutWindow(v.e)
				return
			}
			if c.Announced(year) {
				v.note.SetText(fmt.Sprintf(lang.L("%d年的放假安排已录入。"), year))
				v.note.Importance = widget.MediumImportance
			} else {
				v.note.SetText(fmt.Sprintf(lang.L("%d年的放假安排尚未录入：暂按法定日期标出元旦、劳动节、国庆节；春节、清明、端午、中秋和调休上班日请在国务院公布后补录。"), year))
				v.note.Importance = widget.WarningImportance
			}
			v.note.Refresh()
			weights := []float32{1.3, 0.8, 2, 1.2, 0.8}
			for _, h := range c.Entries(fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)) {
				h := h
				kind := bwCell(lang.L("放假"), false)
				if h.Kind == data.DayWorkday {
					kind = bwCell(lang.L("调休上班"), false)
					kind.Importance = widget.WarningImportance
				}
				src := lang.L("内置")
				switch h.Source {
				case "bureau":
					src = lang.L("区县人社局")
				case "statutory":
					src = lang.L("法定日期")
				}
				var act fyne.CanvasObject = widget.NewLabel("")
				if v.bureau && h.Source == "bureau" {
					act = widget.NewButtonWithIcon(lang.L("删除"), theme.DeleteIcon(), func() { v.remove(h.Date) })
				}
				v.list.Add(tableRow(weights, bwCell(h.Date, false), kind, bwCell(h.Name, false), bwCell(src, false), act))
			}
			v.list.Refresh()
			relayoutWindow(v.e)
		})
}

func (v *holidaysView) onSet() {
	kind := holidayKinds[max(0, v.kind.SelectedIndex())].kind
	date, name := v.date.Text, v.name.Text
	v.msgs.clear()
	saveOff(v.e, func(ctx context.Context) error {
		_, err := v.e.Store.SetHoliday(ctx, date, kind, name)
		return err
	}, func(err error) {
		v.msgs.report(err)
		if err != nil {
			return
		}
		v.msgs.status.SetText(fmt.Sprintf(lang.L("已保存 %s；下次发送同步包时发到各站点。"), date))
		v.msgs.status.Show()
		if t, e := data.ParseMonth(date[:min(7, len(date))]); e == nil {
			v.year = t.Year()
		}
		v.load()
	})
}

func (v *holidaysView) remove(date string) {
	saveOff(v.e, func(ctx context.Context) error { return v.e.Store.RemoveHoliday(ctx, date) }, func(err error) {
		if err != nil {
			v.e.ShowError(err)
		}
		v.load()
	})
}
