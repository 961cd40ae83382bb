package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// session is who is signed in to one window; it is the ActorSource of the
// window's context, so every write records that officer.
type session struct {
	mu      sync.Mutex
	account data.Account
	signed  bool
}

func (s *session) Actor() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.signed {
		return ""
	}
	return s.account.Login
}

func (s *session) set(a data.Account) {
	s.mu.Lock()
	s.account, s.signed = a, true
	s.mu.Unlock()
}

func (s *session) current() (data.Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account, s.signed
}

var sessions sync.Map // *Env → *session

var gateForms sync.Map // *Env → the sign-in form shown at start (tests drive it)

func sessionOf(e *Env) *session {
	v, _ := sessions.LoadOrStore(e, &session{})
	return v.(*session)
}

// Actor is the name of the officer signed in to e's window ("" before
// sign-in, or when the installation has no accounts).
func (e *Env) Actor() string { return sessionOf(e).Actor() }

// withActor makes e's context name the signed-in officer on every write.
func withActor(e *Env) {
	e.Ctx = data.WithActorSource(e.Ctx, sessionOf(e))
}

// signInGate shows next once an officer has signed in, or at once when no
// officer has an account yet (first start, or a station without accounts).
func signInGate(e *Env, next func() fyne.CanvasObject) fyne.CanvasObject {
	holder := container.NewStack(widget.NewLabel(lang.L("正在载入…")))
	show := func(o fyne.CanvasObject) {
		holder.Objects = []fyne.CanvasObject{o}
		holder.Refresh()
	}
	Go(e, func(ctx context.Context) (bool, error) {
		return e.Store.HasAccounts(ctx)
	}, func(has bool, err error) {
		switch {
		case err != nil:
			show(widget.NewLabel(UserMessage(err)))
		case !has:
			show(next())
		default:
			f := newSignInForm(e, "", func() { gateForms.Delete(e); show(next()) })
			gateForms.Store(e, f)
			show(container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 330), f.content(lang.L("请登录"), lang.L("选择您的姓名并输入密码")))))
			e.Win.Canvas().Focus(f.pass)
		}
	})
	return holder
}

// signInForm asks for a name and password; after a reset it asks for a new one.
type signInForm struct {
	e     *Env
	login *widget.Select
	pass  *widget.Entry
	ok    *widget.Button
	msgs  *fieldMessages
	done  func()

	newPass, newPass2 *widget.Entry
	changeBox         *fyne.Container
	pending           data.Account
}

func newSignInForm(e *Env, login string, done func()) *signInForm {
	f := &signInForm{e: e, done: done}
	f.login = widget.NewSelect(nil, nil)
	f.login.PlaceHolder = lang.L("选择姓名")
	f.pass = widget.NewPasswordEntry()
	f.pass.SetPlaceHolder(lang.L("密码"))
	f.pass.OnSubmitted = func(string) { f.submit() }
	f.ok = widget.NewButtonWithIcon(lang.L("登录"), theme.LoginIcon(), f.submit)
	f.ok.Importance = widget.HighImportance
	f.msgs = newFieldMessages(e.Win)
	f.newPass = widget.NewPasswordEntry()
	f.newPass.SetPlaceHolder(fmt.Sprintf(lang.L("新密码，至少 %d 位"), data.MinPasswordLen))
	f.newPass2 = widget.NewPasswordEntry()
	f.newPass2.SetPlaceHolder(lang.L("再输入一遍新密码"))
	f.newPass2.OnSubmitted = func(string) { f.submit() }
	f.changeBox = container.NewVBox(widget.NewLabel(lang.L("密码已被重置，请设置新密码")),
		f.msgs.at(f.newPass, "new_password"), f.msgs.at(f.newPass2, "new_password2"))
	f.changeBox.Hide()
	Go(e, func(ctx context.Context) ([]data.Account, error) {
		return e.Store.Accounts(ctx)
	}, func(list []data.Account, err error) {
		if err != nil {
			f.msgs.report(err)
			return
		}
		var names []string
		for _, a := range list {
			if !a.Disabled {
				names = append(names, a.Login)
			}
		}
		f.login.SetOptions(names)
		if login != "" {
			f.login.SetSelected(login)
		} else if len(names) == 1 {
			f.login.SetSelected(names[0])
		}
	})
	return f
}

func (f *signInForm) content(title, sub string) fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem(lang.L("姓名"), f.msgs.at(f.login, "login")),
		widget.NewFormItem(lang.L("密码"), f.msgs.at(f.pass, "password", "old_password")),
	)
	return card(title, sub, container.NewVBox(form, f.changeBox, f.msgs.status, container.NewHBox(layoutSpacer(), f.ok)))
}

func (f *signInForm) submit() {
	if f.changeBox.Visible() {
		f.changePassword()
		return
	}
	login, pw := f.login.Selected, f.pass.Text
	if login == "" {
		f.msgs.refuse("login", "请选择您的姓名")
		return
	}
	f.ok.Disable()
	f.msgs.clear()
	Go(f.e, func(ctx context.Context) (data.Account, error) {
		return f.e.Store.SignIn(ctx, login, pw)
	}, func(a data.Account, err error) {
		f.ok.Enable()
		f.msgs.report(err)
		if errors.Is(err, data.ErrBadSignIn) {
			f.pass.SetText("") // a wrong password is typed again from the start
		}
		if err != nil {
			return
		}
		if a.MustChange {
			f.pending = a
			f.changeBox.Show()
			f.e.Win.Canvas().Focus(f.newPass)
			return
		}
		f.finish(a)
	})
}

func (f *signInForm) changePassword() {
	if f.newPass.Text != f.newPass2.Text {
		f.msgs.refuse("new_password2", "两次输入的新密码不一样")
		return
	}
	a, old, pw := f.pending, f.pass.Text, f.newPass.Text
	f.ok.Disable()
	f.msgs.clear()
	Go(f.e, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f.e.Store.ChangePassword(data.WithActor(ctx, a.Login), a.Login, old, pw)
	}, func(_ struct{}, err error) {
		f.ok.Enable()
		f.msgs.report(renamed(err, "password", "new_password"))
		if err != nil {
			return
		}
		a.MustChange = false
		f.finish(a)
	})
}

func (f *signInForm) finish(a data.Account) {
	sessionOf(f.e).set(a)
	f.pass.SetText("")
	f.newPass.SetText("")
	f.newPass2.SetText("")
	f.changeBox.Hide()
	f.msgs.clear()
	f.done()
}

func init() {
	settingsPanels = append(settingsPanels, accountsPanel)
}

// accountsPanel is the 设置 card where the administrator gives officers
// sign-ins and resets forgotten passwords; others change their own.
func accountsPanel(e *Env) fyne.CanvasObject {
	box := container.NewVBox(widget.NewLabel(lang.L("正在载入…")))
	var reload func()
	reload = func() {
		type state struct {
			accounts []data.Account
			officers []data.Officer
		}
		Go(e, func(ctx context.Context) (state, error) {
			a, err := e.Store.Accounts(ctx)
			if err != nil {
				return state{}, err
			}
			o, err := e.Store.Officers(ctx, true)
			return state{a, o}, err
		}, func(s state, err error) {
			if err != nil {
				box.Objects = []fyne.CanvasObject{widget.NewLabel(UserMessage(err))}
				box.Refresh()
				return
			}
			box.Objects = accountRows(e, s.accounts, s.officers, reload)
			box.Refresh()
		})
	}
	reload()
	// Rows arrive after the card is laid out: a fixed height keeps the cards below in place.
	rows := container.NewVScroll(box)
	rows.SetMinSize(fyne.NewSize(0, 200))
	return card(lang.L("登录账号"), lang.L("每位工作人员用自己的密码登录；站长（管理员）管理账号、重置密码"), container.NewVBox(rows, lockSettingRow(e)))
}

func accountRows(e *Env, accounts []data.Account, officers []data.Officer, reload func()) []fyne.CanvasObject {
	me, signed := sessionOf(e).current()
	isAdmin := !signed || me.Admin // without accounts, whoever sets them up is in charge
	var rows []fyne.CanvasObject
	if len(accounts) == 0 {
		hint := lang.L("还没有登录账号：任何人打开程序都能直接使用。建议为站长设置密码。")
		if e.Ident.Role == data.RoleBureau {
			hint = lang.L("还没有登录账号：任何人打开程序都能直接使用。建议为本局负责同步和裁定的工作人员设置密码。")
		}
		rows = append(rows, widget.NewLabel(hint))
	}
	has := map[string]bool{}
	for _, a := range accounts {
		a := a
		has[a.OfficerID] = true
		status := lang.L("工作人员")
		if a.Admin {
			status = lang.L("管理员")
		}
		if a.Disabled {
			status = lang.L("已停用")
		}
		last := lang.L("从未登录")
		if !a.LastSignIn.IsZero() {
			last = lang.L("上次登录 ") + a.LastSignIn.Format("2006-01-02 15:04")
		}
		line := widget.NewLabel(fmt.Sprintf("%s　%s　%s　%s", a.Login, a.Role, status, last))
		var buttons []fyne.CanvasObject
		if isAdmin {
			buttons = append(buttons, widget.NewButton(lang.L("重置密码"), func() {
				askPassword(e, fmt.Sprintf(lang.L("为 %s 设置新密码"), a.Login), func(ctx context.Context, pw string) error {
					return e.Store.ResetPassword(ctx, a.Login, pw)
				}, reload)
			}))
			label := lang.L("停用")
			if a.Disabled {
				label = lang.L("启用")
			}
			buttons = append(buttons, widget.NewButton(label, func() {
				Go(e, func(ctx context.Context) (struct{}, error) {
					return struct{}{}, e.Store.SetAccount(ctx, a.Login, a.Admin, !a.Disabled)
				}, func(_ struct{}, err error) { e.ShowError(err); reload() })
			}))
		} else if signed && me.OfficerID == a.OfficerID {
			buttons = append(buttons, widget.NewButton(lang.L("修改密码"), func() { changeOwnPassword(e, a.Login) }))
		}
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), line))
	}
	if isAdmin {
		var names []string
		byName := map[string]string{}
		for _, o := range officers {
			if !has[o.ID] {
				names = append(names, o.Name)
				byName[o.Name] = o.ID
			}
		}
		if len(names) > 0 {
			pick := widget.NewSelect(names, nil)
			pick.PlaceHolder = lang.L("选择工作人员")
			admin := widget.NewCheck(lang.L("管理员"), nil)
			msgs := newFieldMessages(e.Win)
			add := widget.NewButtonWithIcon(lang.L("设置登录密码"), theme.ContentAddIcon(), func() {
				id := byName[pick.Selected]
				if id == "" {
					msgs.refuse("officer", "请选择工作人员")
					return
				}
				msgs.clear()
				isAdmin := admin.Checked
				askPassword(e, fmt.Sprintf(lang.L("为 %s 设置登录密码"), pick.Selected), func(ctx context.Context, pw string) error {
					return e.Store.CreateAccount(ctx, id, pw, isAdmin)
				}, reload)
			})
			rows = append(rows, container.NewHBox(pick, admin, add), msgs.line(pick, "officer"))
		}
	}
	return rows
}

// passwordForm is the dialog that asks for a new password twice (and the
// old one when officers change their own).
type passwordForm struct {
	*formDialog
	old, p1, p2 *widget.Entry
}

// askPassword asks for a new password twice, then runs save off the event thread.
func askPassword(e *Env, title string, save func(ctx context.Context, pw string) error, after func()) *passwordForm {
	return newPasswordForm(e, title, false, func(ctx context.Context, _, pw string) error { return save(ctx, pw) }, after)
}

func changeOwnPassword(e *Env, login string) *passwordForm {
	return newPasswordForm(e, lang.L("修改密码"), true, func(ctx context.Context, old, pw string) error {
		return e.Store.ChangePassword(ctx, login, old, pw)
	}, nil)
}

func newPasswordForm(e *Env, title string, withOld bool, save func(ctx context.Context, old, pw string) error, after func()) *passwordForm {
	f := &passwordForm{old: widget.NewPasswordEntry(), p1: widget.NewPasswordEntry(), p2: widget.NewPasswordEntry()}
	msgs := newFieldMessages(e.Win)
	f.p1.SetPlaceHolder(fmt.Sprintf(lang.L("新密码，至少 %d 位"), data.MinPasswordLen))
	f.p2.SetPlaceHolder(lang.L("再输入一遍新密码"))
	form := widget.NewForm()
	if withOld {
		form.Append(lang.L("原密码"), msgs.at(f.old, "old_password"))
	}
	form.Append(lang.L("新密码"), msgs.at(f.p1, "password"))
	form.Append(lang.L("确认"), msgs.at(f.p2, "password2"))
	submit := func(done func(error)) {
		if f.p1.Text != f.p2.Text {
			done(data.Invalid("password2", "两次输入的新密码不一样"))
			return
		}
		old, pw := f.old.Text, f.p1.Text
		saveOff(e, func(ctx context.Context) error { return save(ctx, old, pw) }, done)
	}
	f.formDialog = newFormDialog(e, title, lang.L("保存"), form, msgs, submit, after)
	f.show(fyne.NewSize(420, 0))
	return f
}
