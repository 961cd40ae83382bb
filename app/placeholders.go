package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// comingSoon stands in for a screen whose feature has not landed yet.
func comingSoon(title string) fyne.CanvasObject {
	l := widget.NewLabel(lang.L("此功能正在开发中，将在后续版本提供。"))
	l.Wrapping = fyne.TextWrapWord
	return page(lang.L(title), l)
}
