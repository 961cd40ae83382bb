package app

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/assets"
	"stationdesk/data"
)

// settingsPanels are extra cards in 设置; features add theirs from their own file's init.
var settingsPanels []func(e *Env) fyne.CanvasObject

func settingsScreen(e *Env) fyne.CanvasObject {
	langLabels := make([]string, len(Languages))
	for i, l := range Languages {
		langLabels[i] = l.Label
	}
	note := widget.NewLabel("")
	note.Hide()
	langSel := widget.NewSelect(langLabels, nil)
	scaleLabels := make([]string, len(TextScales))
	for i, s := range TextScales {
		scaleLabels[i] = lang.L(s.Label)
	}
	scaleSel := widget.NewSelect(scaleLabels, nil)

	Go(e, func(ctx context.Context) ([2]string, error) {
		l, err := e.Store.Setting(ctx, data.SettingLanguage, Languages[0].Code)
		if err != nil {
			return [2]string{}, err
		}
		s, err := e.Store.Setting(ctx, data.SettingTextScale, "1")
		return [2]string{l, s}, err
	}, func(v [2]string, err error) {
		if err != nil {
			e.ShowError(err)
			return
		}
		for _, l := range Languages {
			if l.Code == v[0] {
				langSel.SetSelected(l.Label)
			}
		}
		scale, _ := strconv.ParseFloat(v[1], 32)
		for i, s := range TextScales {
			if float32(scale) == s.Scale {
				scaleSel.SetSelected(scaleLabels[i])
			}
		}
		langSel.OnChanged = func(label string) {
			for _, l := range Languages {
				if l.Label == label {
					save(e, data.SettingLanguage, l.Code, func() {
						note.SetText(lang.L("语言设置将在重新启动后生效"))
						note.Show()
					})
				}
			}
		}
		scaleSel.OnChanged = func(label string) {
			for i, s := range TextScales {
				if scaleLabels[i] == label {
					e.App.Settings().SetTheme(NewTheme(s.Scale))
					save(e, data.SettingTextScale, strconv.FormatFloat(float64(s.Scale), 'f', 2, 32), nil)
				}
			}
		}
	})

	dir := widget.NewLabel(e.Store.Dir)
	dir.Wrapping = fyne.TextWrapBreak
	open := widget.NewButtonWithIcon(lang.L("打开数据文件夹"), theme.FolderOpenIcon(), func() {
		u := &url.URL{Scheme: "file", Path: filepath.ToSlash(e.Store.Dir)}
		if err := e.App.OpenURL(u); err != nil {
			e.ShowError(&data.Error{Kind: data.KindIO, Op: "open folder", Err: err})
		}
	})
	form := widget.NewForm(
		widget.NewFormItem(lang.L("界面语言"), container.NewVBox(langSel, note)),
		widget.NewFormItem(lang.L("文字大小"), scaleSel),
	)
	about := widget.NewLabel(fmt.Sprintf("%s %s\n%s", lang.L("劳保站工作台"), assets.Version,
		lang.L("乡镇劳动保障站与区县人社局的政策资料、培训、上门服务和群众意见工作台")))
	about.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		widget.NewCard(lang.L("显示"), "", form),
		widget.NewCard(lang.L("数据文件夹"), lang.L("所有数据都保存在本机这个文件夹中"), container.NewVBox(dir, container.NewHBox(open))),
	)
	for _, p := range settingsPanels {
		body.Add(p(e))
	}
	body.Add(widget.NewCard(lang.L("关于"), "", about))
	return page(lang.L("设置"), container.NewVScroll(body))
}

// save stores a setting off the event thread; then runs ok on it.
func save(e *Env, key, value string, ok func()) {
	Go(e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, e.Store.SetSetting(ctx, key, value)
	}, func(_ struct{}, err error) {
		if err != nil {
			e.ShowError(err)
			return
		}
		if ok != nil {
			ok()
		}
	})
}
