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
	modeLabels := make([]string, len(ThemeModes))
	for i, m := range ThemeModes {
		modeLabels[i] = lang.L(m.Label)
	}
	modeSel := widget.NewSelect(modeLabels, nil)
	e.setView("settings", &settingsView{mode: modeSel, scale: scaleSel})

	Go(e, func(ctx context.Context) ([3]string, error) {
		l, err := e.Store.Setting(ctx, data.SettingLanguage, Languages[0].Code)
		if err != nil {
			return [3]string{}, err
		}
		s, err := e.Store.Setting(ctx, data.SettingTextScale, "1")
		if err != nil {
			return [3]string{}, err
		}
		m, err := e.Store.Setting(ctx, settingThemeMode, "system")
		return [3]string{l, s, m}, err
	}, func(v [3]string, err error) {
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
		for i, m := range ThemeModes {
			if m.Code == v[2] {
				modeSel.SetSelected(modeLabels[i])
			}
		}
		scaleSel.OnChanged = func(label string) {
			for i, s := range TextScales {
				if scaleLabels[i] == label {
					e.App.Settings().SetTheme(NewThemeMode(s.Scale, currentMode(e)))
					save(e, data.SettingTextScale, strconv.FormatFloat(float64(s.Scale), 'f', 2, 32), nil)
				}
			}
		}
		modeSel.OnChanged = func(label string) {
			for i, m := range ThemeModes {
				if modeLabels[i] == label {
					e.App.Settings().SetTheme(NewThemeMode(currentScale(e), m.Code))
					save(e, settingThemeMode, m.Code, nil)
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
		widget.NewFormItem(lang.L("外观"), modeSel),
	)
	about := widget.NewLabel(fmt.Sprintf("%s %s\n%s", lang.L("劳保站工作台"), assets.Version,
		lang.L("乡镇劳动保障站与区县人社局的政策资料、培训、上门服务和群众意见工作台")))
	about.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		card(lang.L("显示"), "", form),
		card(lang.L("数据文件夹"), lang.L("所有数据都保存在本机这个文件夹中"), container.NewVBox(dir, container.NewHBox(open))),
	)
	for _, p := range settingsPanels {
		body.Add(p(e))
	}
	body.Add(card(lang.L("关于"), "", about))
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

// settingsView is what tests drive on 设置.
type settingsView struct {
	mode, scale *widget.Select
}

// currentScale and currentMode are the theme's text scale and light/dark choice now.
func currentScale(e *Env) float32 {
	if t, ok := e.App.Settings().Theme().(*deskTheme); ok {
		return t.scale
	}
	return 1
}

func currentMode(e *Env) string {
	if t, ok := e.App.Settings().Theme().(*deskTheme); ok {
		return t.mode
	}
	return "system"
}

// LoadTheme is the theme the settings in st ask for (text size, light or dark).
func LoadTheme(ctx context.Context, st *data.Store) fyne.Theme {
	scale, _ := st.Setting(ctx, data.SettingTextScale, "1")
	f, _ := strconv.ParseFloat(scale, 32)
	mode, _ := st.Setting(ctx, settingThemeMode, "system")
	return NewThemeMode(float32(f), mode)
}
