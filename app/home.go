package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// homePanels are extra cards on 首页; features add theirs from their own file's init.
var homePanels []func(e *Env) fyne.CanvasObject

// firstFigures, when set, is called once the home screen's figures are shown
// (the start-up benchmark uses it).
var firstFigures func()

// now is the clock of the UI; tests replace it.
var now = time.Now

// homeFigures is what 首页 loads in one go.
type homeFigures struct {
	counts    map[string]int
	studyDay  time.Time
	studyTime string
}

func loadHomeFigures(ctx context.Context, st *data.Store) (homeFigures, error) {
	var f homeFigures
	var err error
	if f.counts, err = st.Stats(ctx); err != nil {
		return f, err
	}
	if f.studyTime, err = st.Setting(ctx, data.SettingStudyTime, data.DefaultStudyTime); err != nil {
		return f, err
	}
	f.studyDay = data.NextStudyDay(now())
	return f, nil
}

func homeScreen(e *Env) fyne.CanvasObject {
	figures := container.NewGridWithColumns(3)
	study := widget.NewLabel(lang.L("正在载入…"))
	study.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		widget.NewCard(lang.L("下一个干部学习日"), "", study),
		figures,
	)
	for _, p := range homePanels {
		body.Add(p(e))
	}
	Go(e, func(ctx context.Context) (homeFigures, error) { return loadHomeFigures(ctx, e.Store) },
		func(f homeFigures, err error) {
			if err != nil {
				study.SetText(UserMessage(err))
				return
			}
			study.SetText(studyDayText(f.studyDay, f.studyTime, now()))
			for _, k := range []struct{ key, label string }{
				{"policies", "政策资料"}, {"residents", "服务对象"}, {"visits", "上门服务记录"},
				{"trainings", "培训场次"}, {"officers", "工作人员"}, {"opinions", "群众意见"},
			} {
				figures.Add(figureCard(lang.L(k.label), f.counts[k.key]))
			}
			figures.Refresh()
			if firstFigures != nil {
				firstFigures()
				firstFigures = nil
			}
		})
	return page(lang.L("首页"), container.NewVScroll(body))
}

// studyDayText says when the next study day is and how many days remain.
func studyDayText(day time.Time, at string, today time.Time) string {
	t0 := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, day.Location())
	days := int(day.Sub(t0).Hours()/24 + 0.5)
	date := fmt.Sprintf(lang.L("%d年%d月%d日（星期五）%s"), day.Year(), int(day.Month()), day.Day(), at)
	if days == 0 {
		return date + "  " + lang.L("就是今天")
	}
	return date + "  " + fmt.Sprintf(lang.L("还有 %d 天"), days)
}

func figureCard(label string, n int) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(fmt.Sprintf("%d", n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	num.SizeName = "headingText"
	return widget.NewCard("", "", container.NewVBox(num, widget.NewLabelWithStyle(label, fyne.TextAlignCenter, fyne.TextStyle{})))
}
