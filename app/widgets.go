package app

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
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

// chooseSave asks where to save a file named name (its extension filters the
// dialog) and calls write with the chosen path; write does the work off the
// event thread itself (through Go).
func chooseSave(e *Env, name string, write func(path string)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		write(path)
	}, e.Win)
	d.SetFileName(name)
	if ext := filepath.Ext(name); ext != "" {
		d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
