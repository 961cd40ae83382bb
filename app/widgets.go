package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// heading is a screen's title line.
func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = "headingText"
	return l
}

// page lays a screen out: a heading on top, the body filling the rest.
func page(title string, body fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(container.NewVBox(heading(title), widget.NewSeparator()), nil, nil, nil, body)
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
