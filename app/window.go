package app

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/assets"
	"stationdesk/data"
)

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", assets.Icon)

// Run opens the main window over st and runs the app until it is closed.
func Run(a fyne.App, st *data.Store) {
	a.SetIcon(Icon)
	w := a.NewWindow(lang.L("劳保站工作台"))
	w.SetContent(Create(a, w, st))
	w.Resize(fyne.NewSize(1100, 720))
	w.CenterOnScreen()
	w.SetMaster()
	w.ShowAndRun()
}

// ShowStartError is the window shown when the database cannot be opened:
// what happened, in plain words, and where the data folder is.
func ShowStartError(a fyne.App, dir string, err error) {
	a.SetIcon(Icon)
	w := a.NewWindow(lang.L("劳保站工作台"))
	msg := widget.NewLabel(UserMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	where := widget.NewLabel(lang.L("数据文件夹：") + dir)
	where.Wrapping = fyne.TextWrapBreak
	open := widget.NewButtonWithIcon(lang.L("打开数据文件夹"), theme.FolderOpenIcon(), func() {
		_ = a.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)})
	})
	quit := widget.NewButton(lang.L("退出"), a.Quit)
	w.SetContent(container.NewPadded(container.NewVBox(
		heading(lang.L("无法打开数据库")), msg, where, container.NewHBox(open, quit))))
	w.Resize(fyne.NewSize(560, 260))
	w.ShowAndRun()
}
