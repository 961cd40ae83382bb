package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() {
	homePanels = append(homePanels, serviceHomePanel)
	settingsPanels = append(settingsPanels, serviceCataloguePanel)
}

type serviceFigures struct {
	open, overdue, due int
	opinions           map[string]int
}

// serviceHomePanel is the 首页 card: follow-ups waiting, residents due for
// a visit and opinions not yet answered.
func serviceHomePanel(e *Env) fyne.CanvasObject {
	text := widget.NewLabel(lang.L("正在载入…"))
	text.Wrapping = fyne.TextWrapWord
	open := widget.NewButton(lang.L("打开上门服务"), func() { e.Show("service") })
	Go(e, func(ctx context.Context) (serviceFigures, error) {
		var f serviceFigures
		var err error
		if f.open, f.overdue, err = e.Store.CountFollowups(ctx, data.VisitFilter{}); err != nil {
			return f, err
		}
		if f.due, err = e.Store.CountDueResidents(ctx, data.DueFilter{}); err != nil {
			return f, err
		}
		f.opinions, err = e.Store.CountOpinions(ctx, data.OpinionFilter{})
		return f, err
	}, func(f serviceFigures, err error) {
		if err != nil {
			text.SetText(UserMessage(err))
			return
		}
		text.SetText(fmt.Sprintf(lang.L("待跟进 %d 项（已逾期 %d 项）；按走访间隔应上门 %d 人；群众意见待上报 %d 条、待答复 %d 条。"),
			f.open, f.overdue, f.due, f.opinions["已记录"], f.opinions["已上报"]))
	})
	return card(lang.L("上门服务"), "", container.NewVBox(text, container.NewHBox(open)))
}

// serviceCataloguePanel lets the station edit its catalogue of visit services.
func serviceCataloguePanel(e *Env) fyne.CanvasObject { return newCataloguePanel(e).card }

// cataloguePanel is the 设置 card of the visit services.
type cataloguePanel struct {
	entry *widget.Entry
	save  *widget.Button
	msg   *widget.Label // what was saved
	msgs  *fieldMessages
	card  *widget.Card
}

func newCataloguePanel(e *Env) *cataloguePanel {
	p := &cataloguePanel{entry: widget.NewMultiLineEntry(), msg: widget.NewLabel(""), msgs: newFieldMessages(e.Win)}
	p.entry.SetMinRowsVisible(5)
	p.msg.Wrapping = fyne.TextWrapWord
	Go(e, func(ctx context.Context) ([]string, error) { return e.Store.VisitServices(ctx) }, func(list []string, err error) {
		if err == nil {
			p.entry.SetText(strings.Join(list, "\n"))
		}
	})
	p.save = widget.NewButton(lang.L("保存服务项目"), func() {
		list := strings.Split(p.entry.Text, "\n")
		p.msg.SetText("")
		p.msgs.clear()
		saveOff(e, func(ctx context.Context) error { return e.Store.SetVisitServices(ctx, list) }, func(err error) {
			p.msgs.report(err)
			if err == nil {
				p.msg.SetText(lang.L("已保存。新的服务项目在下次打开上门服务时生效。"))
			}
		})
	})
	hint := widget.NewLabel(lang.L("上门服务记录中可选的服务项目，每行一项。"))
	hint.Wrapping = fyne.TextWrapWord
	p.card = card(lang.L("上门服务项目"), "", container.NewVBox(hint, p.msgs.at(p.entry, "services"), p.msgs.status, container.NewHBox(p.save), p.msg))
	return p
}
