package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// ledgersUI is the 台账 screen: the service hall's other ledgers, one tab each.
type ledgersUI struct {
	e       *Env
	root    fyne.CanvasObject
	tabs    *container.AppTabs
	lending *lendingView
	rota    *rotaView
	liaison *liaisonView
	cards   *cardsView
}

func ledgersScreen(e *Env) fyne.CanvasObject { return newLedgersUI(e).root }

func newLedgersUI(e *Env) *ledgersUI {
	u := &ledgersUI{e: e}
	u.lending = newLendingView(e)
	u.rota = newRotaView(e)
	u.liaison = newLiaisonView(e)
	u.cards = newCardsView(e)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("档案外借"), theme.FolderOpenIcon(), u.lendingTab()),
		container.NewTabItemWithIcon(lang.L("大厅值班"), theme.CalendarIcon(), u.rota.content),
		container.NewTabItemWithIcon(lang.L("联系乡镇"), theme.HomeIcon(), u.liaison.content),
		container.NewTabItemWithIcon(lang.L("工作牌"), theme.AccountIcon(), u.cards.content),
	)
	u.tabs.OnSelected = func(*container.TabItem) { u.reload() }
	u.root = page(lang.L("台账"), u.tabs)
	u.reload()
	return u
}

// lendingTab is the lending ledger at the bureau; a station keeps none.
func (u *ledgersUI) lendingTab() fyne.CanvasObject {
	if u.e.Ident.Role == data.RoleBureau {
		return u.lending.content
	}
	l := widget.NewLabel(lang.L("人事档案外借台账由区人社局人才中心登记和审核，本站无需登记。"))
	l.Wrapping = fyne.TextWrapWord
	return container.NewVBox(l)
}

// reload refreshes what the current tab shows.
func (u *ledgersUI) reload() {
	switch u.tabs.SelectedIndex() {
	case 1:
		u.rota.load()
	case 2:
		u.liaison.load()
	case 3:
		u.cards.load()
	default:
		if u.e.Ident.Role == data.RoleBureau {
			u.lending.load()
		}
	}
}

// ledgerEntry is a one-line entry with a placeholder.
func ledgerEntry(placeholder string) *widget.Entry {
	en := widget.NewEntry()
	en.SetPlaceHolder(placeholder)
	return en
}

// ledgerMulti is a multi-line entry with a placeholder.
func ledgerMulti(placeholder string, rows int) *widget.Entry {
	en := widget.NewMultiLineEntry()
	en.SetPlaceHolder(placeholder)
	en.Wrapping = fyne.TextWrapWord
	en.SetMinRowsVisible(rows)
	return en
}

// ledgerMessage is the line under a form that says what happened.
func ledgerMessage() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func ledgerSay(l *widget.Label, text string, bad bool) {
	l.Importance = widget.SuccessImportance
	if bad {
		l.Importance = widget.DangerImportance
	}
	l.SetText(text)
	l.Show()
}
