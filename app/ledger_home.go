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

func init() { homePanels = append(homePanels, ledgerHomePanel) }

// ledgerHomePanel flags on 首页 every personnel file still out after its due
// date, until it is returned; it shows nothing while none is overdue.
func ledgerHomePanel(e *Env) fyne.CanvasObject {
	box := container.NewVBox()
	at := now()
	Go(e, func(ctx context.Context) ([]data.Lending, error) { return e.Store.OverdueLendings(ctx, at) },
		func(od []data.Lending, err error) {
			if err != nil || len(od) == 0 {
				return
			}
			lines := container.NewVBox()
			for i, l := range od {
				if i == 5 {
					lines.Add(widget.NewLabel(fmt.Sprintf(lang.L("另有 %d 份，请在台账中查看"), len(od)-5)))
					break
				}
				lines.Add(ledgerWarn(fmt.Sprintf(lang.L("%s 的档案：%s %s 借出，应于 %s 归还，已逾期 %d 天"),
					l.HolderName, l.BorrowerUnit, l.Borrower, l.DateDue, l.DaysOverdue(at))))
			}
			open := widget.NewButtonWithIcon(lang.L("打开档案外借台账"), theme.ListIcon(), func() { e.Show("ledgers") })
			box.Add(card(fmt.Sprintf(lang.L("人事档案逾期未还 %d 份"), len(od)), lang.L("请督促借阅单位尽快归还"),
				container.NewVBox(lines, container.NewHBox(open))))
			box.Refresh()
		})
	return box
}

// ledgerWarn is a line in the warning colour.
func ledgerWarn(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}
