package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// wizard is the first-start set-up: who this installation is and its roster.
type wizard struct {
	e    *Env
	done func(data.Identity)

	role       *widget.RadioGroup
	name, code *widget.Entry
	offName    *widget.Entry
	offRole    *choiceEntry
	offPhone   *widget.Entry
	addOfficer *widget.Button
	roster     []data.Officer
	rosterList *widget.List
	adminPass  *widget.Entry // the first officer on the roster signs in with it as administrator
	adminPass2 *widget.Entry
	msgs       *fieldMessages // the unit, the roster and the password
	offMsgs    *fieldMessages // the officer being added
	message    *widget.Label  // what the wizard is doing
	finish     *widget.Button
	demo       *widget.Button
	enroll     *widget.Button
	recover    *widget.Button // a bureau from its recovery file
}

var roleLabels = map[data.Role]string{data.RoleStation: "乡镇/社区劳动保障站", data.RoleBureau: "区县人社局"}

func newWizard(e *Env, done func(data.Identity)) fyne.CanvasObject {
	return buildWizard(e, done).content()
}

func buildWizard(e *Env, done func(data.Identity)) *wizard {
	w := &wizard{e: e, done: done}
	w.role = widget.NewRadioGroup([]string{lang.L(roleLabels[data.RoleStation]), lang.L(roleLabels[data.RoleBureau])}, nil)
	w.role.Horizontal = true
	w.role.SetSelected(lang.L(roleLabels[data.RoleStation]))
	w.name = widget.NewEntry()
	w.name.SetPlaceHolder(lang.L("例如：桃花镇劳动保障站"))
	w.code = widget.NewEntry()
	w.code.SetPlaceHolder(lang.L("6 到 12 位数字，例如 430702101"))
	w.offName = widget.NewEntry()
	w.offName.SetPlaceHolder(lang.L("姓名"))
	w.offRole = newChoiceEntry(data.OfficerRoles)
	w.offRole.SetPlaceHolder(lang.L("职务"))
	w.offPhone = widget.NewEntry()
	w.offPhone.SetPlaceHolder(lang.L("手机或座机"))
	w.offPhone.OnSubmitted = func(string) { w.onAddOfficer() }
	w.addOfficer = widget.NewButtonWithIcon(lang.L("添加人员"), theme.ContentAddIcon(), w.onAddOfficer)
	w.rosterList = widget.NewList(
		func() int { return len(w.roster) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButtonWithIcon("", theme.DeleteIcon(), nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			off := w.roster[i]
			c.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%s　%s　%s", off.Name, off.Role, data.MaskPhone(off.Phone)))
			c.Objects[1].(*widget.Button).OnTapped = func() {
				w.roster = append(w.roster[:i], w.roster[i+1:]...)
				w.rosterList.Refresh()
			}
		})
	w.adminPass = widget.NewPasswordEntry()
	w.adminPass.SetPlaceHolder(fmt.Sprintf(lang.L("至少 %d 位"), data.MinPasswordLen))
	w.adminPass2 = widget.NewPasswordEntry()
	w.adminPass2.SetPlaceHolder(lang.L("再输入一遍"))
	w.msgs, w.offMsgs = newFieldMessages(e.Win), newFieldMessages(e.Win)
	w.message = widget.NewLabel("")
	w.message.Wrapping = fyne.TextWrapWord
	w.finish = widget.NewButtonWithIcon(lang.L("完成设置"), theme.ConfirmIcon(), w.onFinish)
	w.finish.Importance = widget.HighImportance
	w.demo = widget.NewButtonWithIcon(lang.L("先用示例数据体验"), theme.MediaPlayIcon(), w.onDemo)
	w.enroll = widget.NewButtonWithIcon(lang.L("用区局发来的登记文件开始"), theme.FileIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			w.enrollFrom(r.URI().Path())
		}, e.Win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{enrolExt, ".json"}))
		d.Show()
	})
	w.recover = widget.NewButtonWithIcon(lang.L("用恢复文件恢复区局"), theme.HistoryIcon(), func() {
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			w.recoverFrom(r.URI().Path())
		}, e.Win)
	})
	return w
}

func (w *wizard) content() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem(lang.L("单位类型"), w.msgs.at(w.role, "role")),
		widget.NewFormItem(lang.L("单位名称"), w.msgs.at(w.name, "name")),
		widget.NewFormItem(lang.L("行政区划代码"), w.msgs.at(w.code, "code", "division_code")),
	)
	officerRow := container.NewVBox(
		container.NewGridWithColumns(4, w.offMsgs.at(w.offName, "name"), w.offMsgs.at(w.offRole, "role"), w.offMsgs.at(w.offPhone, "phone"), w.addOfficer),
		w.offMsgs.line(w.offName, "duties", "station_code"), w.offMsgs.status, w.msgs.line(w.offName, "roster", "officers"))
	intro := widget.NewLabel(lang.L("欢迎使用劳保站工作台。请填写本单位信息和工作人员名单，以后可在“设置”中修改。"))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(
		heading(lang.L("首次设置")),
		intro,
		card(lang.L("本单位"), "", form),
		card(lang.L("工作人员名单"), lang.L("逐个添加：姓名、职务、电话"), officerRow),
	)
	admin := card(lang.L("管理员密码"), lang.L("名单中的第一位为管理员（站长），以后用这个密码登录、管理其他人员的账号"),
		container.NewGridWithColumns(2, w.msgs.at(w.adminPass, "password", "admin"), w.msgs.at(w.adminPass2, "password2")))
	bottom := container.NewVBox(admin, w.msgs.status, w.message, container.NewHBox(w.demo, w.enroll, w.recover, layoutSpacer(), w.finish))
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, w.rosterList))
}

func (w *wizard) identity() data.Identity {
	role := data.RoleStation
	if w.role.Selected == lang.L(roleLabels[data.RoleBureau]) {
		role = data.RoleBureau
	}
	return data.Identity{Role: role, Name: w.name.Text, Code: w.code.Text}
}

func (w *wizard) onAddOfficer() {
	o := data.Officer{Name: w.offName.Text, Role: w.offRole.Text, Phone: w.offPhone.Text}
	err := o.Validate()
	w.offMsgs.report(err)
	if err != nil {
		return
	}
	w.msgs.clear()
	w.roster = append(w.roster, o)
	w.rosterList.Refresh()
	w.offName.SetText("")
	w.offRole.SetText("") // the next officer's role is chosen afresh
	w.offPhone.SetText("")
	w.e.Win.Canvas().Focus(w.offName)
}

func (w *wizard) setBusy(busy bool) {
	if busy {
		w.finish.Disable()
		w.demo.Disable()
		w.enroll.Disable()
		w.recover.Disable()
		return
	}
	w.finish.Enable()
	w.demo.Enable()
	w.enroll.Enable()
	w.recover.Enable()
}

func (w *wizard) onFinish() {
	id := w.identity()
	err := id.Validate()
	w.msgs.report(err)
	if err != nil {
		return
	}
	// A name typed but not yet added still belongs on the roster.
	if w.offName.Text != "" {
		w.onAddOfficer()
		if w.offName.Text != "" {
			return
		}
	}
	if len(w.roster) == 0 {
		w.msgs.refuse("roster", "请至少添加一名工作人员")
		return
	}
	if err := data.ValidatePassword(w.adminPass.Text); err != nil {
		w.msgs.report(err)
		return
	}
	if w.adminPass.Text != w.adminPass2.Text {
		w.msgs.refuse("password2", "两次输入的管理员密码不一样")
		return
	}
	roster := append([]data.Officer(nil), w.roster...)
	pw := w.adminPass.Text
	w.setBusy(true)
	w.message.SetText(lang.L("正在保存…"))
	Go(w.e, func(ctx context.Context) (data.Account, error) {
		if err := w.e.Store.SetupWithAdmin(ctx, id, roster, pw); err != nil {
			return data.Account{}, err
		}
		return w.e.Store.SignIn(ctx, roster[0].Name, pw)
	}, func(a data.Account, err error) {
		w.setBusy(false)
		w.message.SetText("")
		w.msgs.report(err)
		if err != nil {
			return
		}
		sessionOf(w.e).set(a)
		w.adminPass.SetText("")
		w.adminPass2.SetText("")
		w.message.SetText("")
		w.done(id)
		if id.Role == data.RoleBureau {
			offerRecoveryFile(w.e)
		}
	})
}

func (w *wizard) onDemo() {
	w.setBusy(true)
	w.message.SetText(lang.L("正在生成示例数据…"))
	Go(w.e, func(ctx context.Context) (data.Identity, error) {
		if _, err := demo.Run(ctx, w.e.Store, demo.Default(now())); err != nil {
			return data.Identity{}, err
		}
		id, _, err := w.e.Store.Identity(ctx)
		return id, err
	}, func(id data.Identity, err error) {
		w.setBusy(false)
		w.message.SetText("")
		w.msgs.report(err)
		if err != nil {
			return
		}
		w.done(id)
	})
}

// enrollFrom starts a station from the enrolment file the bureau wrote for
// it (stationctl station add, or 数据同步 at the bureau): identity, keys and
// the bureau's public keys; the roster comes with the bureau's bundles.
func (w *wizard) enrollFrom(path string) {
	w.setBusy(true)
	w.message.SetText(lang.L("正在读取登记文件…"))
	enrolFromFile(w.e, path, w.started, func() { w.started(data.Identity{}, nil) })
}

// recoverFrom rebuilds a bureau from its recovery file (sync_keys.go).
func (w *wizard) recoverFrom(path string) {
	w.setBusy(true)
	restoreFromRecovery(w.e, path, w.started, func() { w.started(data.Identity{}, nil) })
}

// started ends an enrolment or recovery: an empty identity means cancelled.
func (w *wizard) started(id data.Identity, err error) {
	w.setBusy(false)
	w.message.SetText("")
	w.msgs.report(err)
	if err != nil || id.Code == "" {
		return
	}
	w.done(id)
}
