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

func init() { homePanels = append(homePanels, policyHomePanel) }

type handoutFigures struct {
	sum    data.HandoutSummary
	top    []data.HandoutTotal
	months []data.HandoutTotal
}

func loadHandoutFigures(ctx context.Context, st *data.Store) (handoutFigures, error) {
	var f handoutFigures
	today := now()
	var err error
	if f.sum, err = st.HandoutSummaryFor(ctx, "", today); err != nil {
		return f, err
	}
	first := today.Format("2006-01") + "-01"
	if f.top, err = st.HandoutsByPolicy(ctx, first, today.Format("2006-01-02")); err != nil {
		return f, err
	}
	f.months, err = st.HandoutsByMonth(ctx, "")
	return f, err
}

// policyHomePanel is the 首页 card of policy cards handed out this month.
func policyHomePanel(e *Env) fyne.CanvasObject {
	text := widget.NewLabel(lang.L("正在载入…"))
	text.Wrapping = fyne.TextWrapWord
	open := widget.NewButtonWithIcon(lang.L("打开政策资料"), theme.DocumentIcon(), func() { e.Show("policies") })
	Go(e, func(ctx context.Context) (handoutFigures, error) { return loadHandoutFigures(ctx, e.Store) },
		func(f handoutFigures, err error) {
			if err != nil {
				text.SetText(UserMessage(err))
				return
			}
			text.SetText(handoutHomeText(f))
		})
	return card(lang.L("本月政策卡片发放"), "", container.NewVBox(text, container.NewHBox(open)))
}

func handoutHomeText(f handoutFigures) string {
	s := f.sum
	lines := []string{fmt.Sprintf(lang.L("本月已发放 %d 份，涉及 %d 份政策（窗口 %d，上门服务 %d，村民会议 %d）"),
		s.ThisMonth, s.Policies, s.ByPlace["窗口"], s.ByPlace["上门服务"], s.ByPlace["村民会议"])}
	for i, t := range f.top {
		if i >= 3 {
			break
		}
		lines = append(lines, fmt.Sprintf(lang.L("%d. %s：%d 份"), i+1, t.Title, t.Cards))
	}
	return strings.Join(lines, "\n")
}

// newHandoutStats is the 发放统计 tab: totals per month and, this month, per policy.
func newHandoutStats(e *Env) fyne.CanvasObject {
	months := widget.NewLabel(lang.L("正在载入…"))
	perPolicy := widget.NewLabel("")
	perPolicy.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(
		card(lang.L("每月发放"), "", months),
		card(lang.L("本月各政策发放"), "", perPolicy),
	)
	Go(e, func(ctx context.Context) (handoutFigures, error) { return loadHandoutFigures(ctx, e.Store) },
		func(f handoutFigures, err error) {
			if err != nil {
				months.SetText(UserMessage(err))
				return
			}
			var ml []string
			for _, m := range f.months {
				ml = append(ml, fmt.Sprintf(lang.L("%s：%d 份（窗口 %d，上门服务 %d，村民会议 %d）"), m.Key, m.Cards,
					m.ByPlace["窗口"], m.ByPlace["上门服务"], m.ByPlace["村民会议"]))
			}
			if len(ml) == 0 {
				ml = []string{lang.L("还没有发放记录")}
			}
			months.SetText(strings.Join(ml, "\n"))
			var pl []string
			for _, t := range f.top {
				pl = append(pl, fmt.Sprintf(lang.L("%s：%d 份"), t.Title, t.Cards))
			}
			if len(pl) == 0 {
				pl = []string{lang.L("本月还没有发放记录")}
			}
			perPolicy.SetText(strings.Join(pl, "\n"))
		})
	return container.NewVScroll(box)
}
