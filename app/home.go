package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// homePanels are extra cards on 首页; features add theirs from their own
// file's init. homeFirst cards come before the figures: what an officer
// needs to see first (the next study day).
var homePanels, homeFirst []func(e *Env) fyne.CanvasObject

// firstFigures, when set, is called once the home screen's figures are shown
// (the start-up benchmark uses it).
var firstFigures func()

// now is the clock of the UI; tests replace it.
var now = time.Now

// homeScreen shows the counts of the main records, then the cards that
// features add (the next study day comes from the training records' card).
func homeScreen(e *Env) fyne.CanvasObject {
	figures := container.NewGridWithColumns(3)
	status := widget.NewLabel(lang.L("正在载入…"))
	body := container.NewVBox()
	for _, p := range homeFirst {
		body.Add(p(e))
	}
	body.Add(status)
	body.Add(figures)
	for _, p := range homePanels {
		body.Add(p(e))
	}
	Go(e, func(ctx context.Context) (map[string]int, error) { return e.Store.Stats(ctx) },
		func(counts map[string]int, err error) {
			if err != nil {
				status.SetText(UserMessage(err))
				return
			}
			status.Hide()
			for _, k := range []struct{ key, label string }{
				{"policies", "政策资料"}, {"residents", "服务对象"}, {"visits", "上门服务记录"},
				{"trainings", "培训场次"}, {"officers", "工作人员"}, {"opinions", "群众意见"},
			} {
				figures.Add(figureCard(lang.L(k.label), counts[k.key]))
			}
			body.Refresh()
			if firstFigures != nil {
				firstFigures()
				firstFigures = nil
			}
		})
	return page(lang.L("首页"), container.NewVScroll(body))
}

func figureCard(label string, n int) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(fmt.Sprintf("%d", n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	num.SizeName = "headingText"
	return card("", "", container.NewVBox(num, widget.NewLabelWithStyle(label, fyne.TextAlignCenter, fyne.TextStyle{})))
}
