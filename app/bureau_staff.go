package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() { settingsPanels = append(settingsPanels, staffPanel) }

// staffPanel is 设置 → 本单位人员: this installation's own leaders and staff
// (at the bureau its leaders, who go on the hall duty rota and get duty
// cards); the stations' rosters that reach the bureau are theirs.
func staffPanel(e *Env) fyne.CanvasObject { return newStaffView(e).card }

type staffView struct {
	e     *Env
	card  *widget.Card
	list  *fyne.Container
	name  *widget.Entry
	role  *widget.SelectEntry
	phone *widget.Entry
	add   *widget.Button
	msgs  *fieldMessages
	shown []data.Officer // for tests
}

func newStaffView(e *Env) *staffView {
	v := &staffView{e: e, list: container.NewVBox(), name: widget.NewEntry(), role: widget.NewSelectEntry(data.OfficerRoles), phone: widget.NewEntry(), msgs: newFieldMessages(e.Win)}
	v.name.SetPlaceHolder(lang.L("姓名"))
	v.role.SetPlaceHolder(lang.L("职务，例如 局领导"))
	v.phone.SetPlaceHolder(lang.L("联系电话（可不填）"))
	v.add = widget.NewButtonWithIcon(lang.L("添加人员"), theme.ContentAddIcon(), v.onAdd)
	m := v.msgs
	form := container.NewVBox(container.NewGridWithColumns(3, m.at(v.name, "name"), m.at(v.role, "role"), m.at(v.phone, "phone")),
		container.NewHBox(v.add), m.status)
	sub := lang.L("本站的工作人员：上门服务、培训出勤和工作牌都从这里选人")
	if e.Ident.Role == data.RoleBureau {
		sub = lang.L("本局的领导和工作人员：大厅值班从这里勾选领导，工作牌也从这里打印；各站点的人员由站点维护")
	}
	rota := widget.NewButtonWithIcon(lang.L("值班与工作牌"), theme.ListIcon(), func() { e.Show("ledgers") })
	v.card = noteCard(lang.L("本单位人员"), sub, container.NewVBox(v.list, widget.NewSeparator(), form, container.NewHBox(rota)))
	v.load()
	return v
}

func (v *staffView) load() {
	Go(v.e, func(ctx context.Context) ([]data.Officer, error) { return v.e.Store.Officers(ctx, false) }, func(all []data.Officer, err error) {
		if err != nil {
			v.list.Objects = []fyne.CanvasObject{widget.NewLabel(UserMessage(err))}
			v.list.Refresh()
			relayoutWindow(v.e)
			return
		}
		v.shown = nil
		for _, o := range all {
			if o.StationCode == v.e.Ident.Code {
				v.shown = append(v.shown, o)
			}
		}
		v.show()
	})
}

func (v *staffView) show() {
	v.list.Objects = nil
	if len(v.shown) == 0 {
		v.list.Add(widget.NewLabel(lang.L("还没有本单位人员：请在下面添加。")))
	}
	weights := []float32{1.2, 1.2, 1.2, 0.8, 1.6}
	for _, o := range v.shown {
		o := o
		state := lang.L("在岗")
		if !o.Active {
			state = lang.L("不在岗")
		}
		edit := widget.NewButtonWithIcon(lang.L("修改"), theme.DocumentCreateIcon(), func() { v.openEdit(o) })
		toggle := widget.NewButton(lang.L("设为不在岗"), func() { o.Active = !o.Active; v.save(o, nil) })
		if !o.Active {
			toggle.SetText(lang.L("设为在岗"))
		}
		v.list.Add(tableRow(weights, bwCell(o.Name, true), bwCell(o.Role, false), bwCell(data.MaskPhone(o.Phone), false), bwCell(state, false),
			container.NewHBox(edit, toggle)))
	}
	v.list.Refresh()
	relayoutWindow(v.e) // the card and the page around it take the list's new height
}

func (v *staffView) onAdd() {
	o := data.Officer{Name: strings.TrimSpace(v.name.Text), Role: strings.TrimSpace(v.role.Text), Phone: v.phone.Text}
	v.msgs.clear()
	v.add.Disable()
	saveOff(v.e, func(ctx context.Context) error { return v.e.Store.AddOfficer(v.writeCtx(ctx), &o) }, func(err error) {
		v.add.Enable()
		v.msgs.report(err)
		if err != nil {
			return
		}
		v.msgs.status.SetText(fmt.Sprintf(lang.L("已添加：%s"), o.Name))
		v.msgs.status.Show()
		v.name.SetText("")
		v.phone.SetText("")
		v.load()
	})
}

func (v *staffView) writeCtx(ctx context.Context) context.Context {
	if a := v.e.Actor(); a != "" {
		return data.WithActor(ctx, a)
	}
	return ctx
}

func (v *staffView) save(o data.Officer, done func(error)) {
	saveOff(v.e, func(ctx context.Context) error { return v.e.Store.UpdateOfficer(v.writeCtx(ctx), &o) }, func(err error) {
		if done != nil {
			done(err)
		} else if err != nil {
			v.e.ShowError(err)
		}
		if err == nil {
			v.load()
		}
	})
}

// openEdit changes one person's name, role, phone and duties.
func (v *staffView) openEdit(o data.Officer) {
	name, role, phone, duties := widget.NewEntry(), widget.NewSelectEntry(data.OfficerRoles), widget.NewEntry(), widget.NewMultiLineEntry()
	name.SetText(o.Name)
	role.SetText(o.Role)
	// The number stays masked: typing a new one replaces it.
	if o.Phone != "" {
		phone.SetPlaceHolder(fmt.Sprintf(lang.L("现为 %s，不改请留空"), data.MaskPhone(o.Phone)))
	}
	duties.SetText(o.Duties)
	duties.SetMinRowsVisible(3)
	duties.Wrapping = fyne.TextWrapWord
	m := newFieldMessages(v.e.Win)
	body := widget.NewForm(
		widget.NewFormItem(lang.L("姓名"), m.at(name, "name")),
		widget.NewFormItem(lang.L("职务"), m.at(role, "role")),
		widget.NewFormItem(lang.L("联系电话"), m.at(phone, "phone")),
		widget.NewFormItem(lang.L("职责"), m.at(duties, "duties")),
	)
	fd := newFormDialog(v.e, lang.L("修改人员"), lang.L("保存"), body, m, func(done func(error)) {
		o.Name, o.Role, o.Duties = strings.TrimSpace(name.Text), strings.TrimSpace(role.Text), duties.Text
		if strings.TrimSpace(phone.Text) != "" {
			o.Phone = phone.Text
		}
		v.save(o, done)
	}, nil)
	fd.show(fyne.NewSize(520, 360))
}

// noteCard is a card whose explanation wraps under the title (a card's own
// subtitle never wraps, and a long one would widen the window).
func noteCard(title, note string, body fyne.CanvasObject) *widget.Card {
	l := widget.NewLabel(note)
	l.Wrapping = fyne.TextWrapWord
	return widget.NewCard(title, "", container.NewVBox(l, body))
}

// relayoutWindow lays the window out again after a list loaded off the
// event thread changed height (Fyne lays a container out only when it is
// refreshed, else what follows is drawn over it).
func relayoutWindow(e *Env) {
	if c := e.Win.Canvas(); c.Content() != nil {
		c.Content().Refresh()
	}
}
