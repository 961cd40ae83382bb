package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// screen is one entry of the navigation: each is a constructor over Env,
// kept in its own file.
type screen struct {
	ID    string
	Title string // Chinese; shown through lang.L
	Icon  fyne.Resource
	Make  func(e *Env) fyne.CanvasObject
}

// screens is the navigation, in order.
func screens() []screen {
	return []screen{
		{"home", "首页", theme.HomeIcon(), homeScreen},
		{"policies", "政策资料", theme.DocumentIcon(), policiesScreen},
		{"training", "培训记录", theme.CalendarIcon(), trainingScreen},
		{"service", "上门服务", theme.AccountIcon(), serviceScreen},
		{"opinions", "群众意见", theme.MailComposeIcon(), opinionsScreen},
		{"ledgers", "台账", theme.ListIcon(), ledgersScreen},
		{"sync", "数据同步", theme.MailSendIcon(), syncScreen},
		{"settings", "设置", theme.SettingsIcon(), settingsScreen},
	}
}

// shell is the main window: navigation on the left, the current screen right.
type shell struct {
	e       *Env
	list    *widget.List
	content *fyne.Container
	items   []screen
	current string
	screen  fyne.CanvasObject // the current screen's own content (inside fitted)
	root    fyne.CanvasObject
}

func newShell(e *Env) fyne.CanvasObject {
	s := &shell{e: e, items: screens(), content: container.NewStack()}
	e.shell = s
	s.list = widget.NewList(
		func() int { return len(s.items) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("政策资料管理"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Icon).SetResource(s.items[i].Icon)
			box.Objects[1].(*widget.Label).SetText(lang.L(s.items[i].Title))
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.show(s.items[i].ID) }
	title := widget.NewLabelWithStyle(e.Ident.Name, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	roleText := lang.L("乡镇/社区劳动保障站")
	if e.Ident.Role == "bureau" {
		roleText = lang.L("区县人社局")
	}
	role := widget.NewLabelWithStyle(roleText, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	nav := container.NewBorder(container.NewVBox(title, role, widget.NewSeparator()), nil, nil, nil, s.list)
	split := container.NewHSplit(nav, s.content)
	split.Offset = 0.17
	s.root = split
	s.list.Select(0)
	s.addShortcuts()
	offerOpenedBundle(e) // a bundle double-clicked to start the program
	return split
}

// show switches to the screen with the given ID; unsaved work on the screen
// shown is asked about first (guard.go), and 返回 stays where it is.
func (s *shell) show(id string) {
	for i, it := range s.items {
		if it.ID != id || s.current == id {
			continue
		}
		if s.current == "" {
			s.switchTo(i)
			return
		}
		for j, cur := range s.items {
			if cur.ID == s.current {
				s.list.Select(j) // the navigation keeps showing where the officer is until settled
			}
		}
		s.e.leave(func() { s.switchTo(i) })
		return
	}
}

func (s *shell) switchTo(i int) {
	it := s.items[i]
	s.e.releaseAll()
	s.current = it.ID
	s.screen = it.Make(s.e)
	s.content.Objects = []fyne.CanvasObject{fitted(s.screen)}
	s.content.Refresh()
	s.list.Select(i)
}

// Current is the ID of the screen shown.
func (e *Env) Current() string {
	if e.shell == nil {
		return ""
	}
	return e.shell.current
}

// Show switches the main window to a screen (home, policies, training, ...).
func (e *Env) Show(id string) {
	if e.shell != nil {
		e.shell.show(id)
	}
}

// addShortcuts binds Ctrl+1 … Ctrl+8 to the navigation entries (keys.go).
func (s *shell) addShortcuts() {
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}
	for i, it := range s.items {
		if i >= len(keys) {
			break
		}
		id := it.ID
		s.e.Win.Canvas().AddShortcut(navShortcut(keys[i]), func(fyne.Shortcut) { s.show(id) })
	}
}
