package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// Key lifecycle on screen: the one-time code of an enrolment file, re-keying
// a station (数据同步), the bureau's recovery file and a station's
// re-enrolment (设置), and restoring a bureau from its recovery file (the
// set-up wizard).

func init() { settingsPanels = append(settingsPanels, keysPanel) }

// File name endings of the sealed files this program writes.
const (
	enrolExt    = ".stenrol"
	recoveryExt = ".strecovery"
)

// codeText shows a code large, in fixed-width digits, to be read aloud.
func codeText(code string) *canvas.Text {
	t := canvas.NewText(code, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextSize() * 2.4
	t.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	t.Alignment = fyne.TextAlignCenter
	return t
}

// keysUI holds what a test needs to reach inside the dialogs below.
type keysUI struct {
	shown  *canvas.Text // the code last shown
	prompt *codePrompt  // the code prompt open now
	// confirm is the confirmation open now; tests answer it.
	confirm func(bool)
}

func keysOf(e *Env) *keysUI {
	if v, ok := e.views["keys"].(*keysUI); ok {
		return v
	}
	k := &keysUI{}
	e.setView("keys", k)
	return k
}

// showCode shows a code once, large, with what to do with it.
func showCode(e *Env, title, code, what string) {
	t := codeText(code)
	keysOf(e).shown = t
	note := widget.NewLabel(what)
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, lang.L("我已记下"), container.NewVBox(container.NewPadded(t), note), e.Win)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}

// confirmThen asks before something that cannot be undone.
func confirmThen(e *Env, title, msg string, yes func()) {
	k := keysOf(e)
	var d *dialog.ConfirmDialog
	answer := func(ok bool) {
		k.confirm = nil
		if ok {
			yes()
		}
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustomConfirm(title, lang.L("确定"), lang.L("取消"), l, answer, e.Win)
	k.confirm = func(ok bool) { d.Hide(); answer(ok) }
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}

// codePrompt asks for a code read out on the phone or kept on paper.
type codePrompt struct {
	entry  *widget.Entry
	msg    *widget.Label
	dlg    *dialog.CustomDialog
	submit func()
	cancel func()
}

// askCode opens a prompt; got runs with the typed code and says what was
// wrong with it ("" closes the prompt).
func askCode(e *Env, title, hint, wrong string, got func(code string), cancelled func()) *codePrompt {
	p := &codePrompt{entry: widget.NewEntry(), msg: widget.NewLabel(wrong)}
	p.entry.SetPlaceHolder("0000-0000-0000-0000")
	p.entry.TextStyle = fyne.TextStyle{Monospace: true}
	p.msg.Importance = widget.DangerImportance
	p.msg.Wrapping = fyne.TextWrapWord
	if wrong == "" {
		p.msg.Hide()
	}
	h := widget.NewLabel(hint)
	h.Wrapping = fyne.TextWrapWord
	k := keysOf(e)
	p.submit = func() {
		code := strings.TrimSpace(p.entry.Text)
		p.dlg.Hide()
		k.prompt = nil
		got(code)
	}
	p.cancel = func() {
		p.dlg.Hide()
		k.prompt = nil
		if cancelled != nil {
			cancelled()
		}
	}
	p.entry.OnSubmitted = func(string) { p.submit() }
	ok := widget.NewButtonWithIcon(lang.L("确定"), theme.ConfirmIcon(), p.submit)
	ok.Importance = widget.HighImportance
	no := widget.NewButton(lang.L("取消"), p.cancel)
	p.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(h, p.entry, p.msg), e.Win)
	p.dlg.SetButtons([]fyne.CanvasObject{no, ok})
	p.dlg.Resize(fyne.NewSize(520, 260))
	k.prompt = p
	p.dlg.Show()
	e.Win.Canvas().Focus(p.entry)
	return p
}

// codeWrong reports whether err refuses the code rather than the file.
func codeWrong(err error) bool {
	var de *data.Error
	return errors.As(err, &de) && de.Kind == data.KindInvalid && de.Field == "code"
}

// withCode runs use with the code the person types, asking again while the
// code is wrong; cancelled runs when they give up.
func withCode[T any](e *Env, title, hint string, use func(ctx context.Context, code string) (T, error), done func(T, error), cancelled func()) {
	var ask func(wrong string)
	ask = func(wrong string) {
		askCode(e, title, hint, wrong, func(code string) {
			Go(e, func(ctx context.Context) (T, error) { return use(ctx, code) }, func(v T, err error) {
				if codeWrong(err) {
					ask(UserMessage(err))
					return
				}
				done(v, err)
			})
		}, cancelled)
	}
	ask("")
}

// enrolFromFile starts (or re-enrols) this station from an enrolment file,
// asking for the one-time code when the file is sealed.
func enrolFromFile(e *Env, path string, done func(data.Identity, error), cancelled func()) {
	Go(e, func(ctx context.Context) ([]byte, error) { return readEnrolment(path) }, func(b []byte, err error) {
		if err != nil {
			done(data.Identity{}, err)
			return
		}
		use := func(ctx context.Context, code string) (data.Identity, error) {
			return e.Store.EnrollWithCode(ctx, b, code)
		}
		if !data.EnrolmentSealed(b) {
			Go(e, func(ctx context.Context) (data.Identity, error) { return use(ctx, "") }, done)
			return
		}
		withCode(e, lang.L("输入验证码"), lang.L("请输入区县人社局电话告知的 16 位验证码（登记文件已用它加密）。"), use, done, cancelled)
	})
}

// writeSecretFile writes a file holding keys, readable by its owner only.
func writeSecretFile(path string, b []byte) error {
	// 0600 under a fresh name, never through a link planted at path.
	return data.WritePrivateFile(path, b)
}

// sealedEnrolment writes an enrolment file into dir and returns its path.
func sealedEnrolment(dir, code string, file []byte) (string, error) {
	if err := checkFolder("dir", dir); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "enrol-"+code+enrolExt)
	return out, writeSecretFile(out, file)
}

// showEnrolmentCode tells the bureau what to do with a new enrolment file.
func showEnrolmentCode(e *Env, out, otc string) {
	showCode(e, lang.L("一次性验证码"), otc, fmt.Sprintf(lang.L("登记文件已写入 %s。请把文件交给站点，并电话告知这个验证码；不要把验证码和文件放在一起。验证码只显示这一次。"), out))
}

// rekeyCard is the bureau's 重新发放密钥 in 数据同步.
func rekeyCard(e *Env) fyne.CanvasObject {
	codes := map[string]string{}
	sel := widget.NewSelect(nil, nil)
	sel.PlaceHolder = lang.L("选择站点")
	dir := widget.NewEntry()
	dir.SetPlaceHolder(lang.L("新登记文件保存到的文件夹"))
	msgs := newFieldMessages(e.Win)
	load := func() {
		Go(e, func(ctx context.Context) ([]data.Peer, error) { return e.Store.Peers(ctx) }, func(ps []data.Peer, err error) {
			if err != nil {
				msgs.report(err)
				return
			}
			var opts []string
			for _, p := range ps {
				if p.Role == data.RoleStation {
					l := fmt.Sprintf("%s（%s）", p.Name, p.Code)
					codes[l] = p.Code
					opts = append(opts, l)
				}
			}
			sel.Options = opts
			sel.Refresh()
		})
	}
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.L("重新发放密钥…"), theme.ViewRefreshIcon(), func() {
		code, folder := codes[sel.Selected], strings.TrimSpace(dir.Text)
		if code == "" {
			msgs.refuse("station", "请选择站点")
			return
		}
		if folder == "" {
			msgs.refuse("dir", "请选择新登记文件保存到的文件夹")
			return
		}
		msgs.clear()
		confirmThen(e, lang.L("重新发放密钥"), fmt.Sprintf(lang.L("为 %s 重新发放密钥？旧密钥立即作废：该站点导入新的登记文件之前发来的同步包都将被拒绝（密钥已作废）。站点的数据不会丢失。"), sel.Selected), func() {
			btn.Disable()
			Go(e, func(ctx context.Context) ([2]string, error) {
				if err := checkFolder("dir", folder); err != nil {
					return [2]string{}, err
				}
				file, otc, err := e.Store.RekeyStationSealed(ctx, code)
				if err != nil {
					return [2]string{}, err
				}
				out, err := sealedEnrolment(folder, code, file)
				return [2]string{out, otc}, err
			}, func(r [2]string, err error) {
				btn.Enable()
				msgs.report(err)
				if err == nil {
					showEnrolmentCode(e, r[0], r[1])
				}
			})
		})
	})
	browse := widget.NewButtonWithIcon(lang.L("浏览…"), theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				dir.SetText(u.Path())
			}
		}, e.Win)
	})
	load()
	body := container.NewVBox(msgs.at(sel, "station"), msgs.at(container.NewBorder(nil, nil, nil, container.NewHBox(browse, btn), dir), "dir"), msgs.status)
	return noteCard(lang.L("重新发放密钥"), lang.L("站点换了电脑、登记文件遗失或密钥可能泄露时使用：旧密钥作废，站点导入新的登记文件后继续同步，并重新收到全部记录"), body)
}

// keysPanel is the card in 设置: the bureau's recovery file, or a station's re-enrolment.
func keysPanel(e *Env) fyne.CanvasObject {
	if e.Ident.Role == data.RoleBureau {
		return recoveryCard(e)
	}
	msgs := newFieldMessages(e.Win)
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.L("导入新的登记文件…"), theme.LoginIcon(), func() {
		confirmThen(e, lang.L("重新登记"), lang.L("用区县人社局新发的登记文件替换本站的密钥？本站的全部数据都会保留，并在下次同步时全部重新发给区县人社局。"), func() {
			d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
				if err != nil || r == nil {
					return
				}
				r.Close()
				btn.Disable()
				enrolFromFile(e, r.URI().Path(), func(_ data.Identity, err error) {
					btn.Enable()
					msgs.report(err)
					if err == nil {
						msgs.status.SetText(lang.L("已重新登记。请导出同步包交给区县人社局。"))
						msgs.status.Show()
					}
				}, btn.Enable)
			}, e.Win)
			d.SetFilter(storage.NewExtensionFileFilter([]string{enrolExt, ".json"}))
			d.Show()
		})
	})
	note := widget.NewLabel(lang.L("区县人社局为本站重新发放密钥（如换电脑、密钥可能泄露）或重建后，会发来新的登记文件，并电话告知验证码。"))
	note.Wrapping = fyne.TextWrapWord
	return widget.NewCard(lang.L("本站密钥"), "", container.NewVBox(note, container.NewHBox(btn), msgs.status))
}

// recoveryCard is the bureau's recovery file in 设置.
func recoveryCard(e *Env) fyne.CanvasObject {
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	dir := widget.NewEntry()
	dir.SetPlaceHolder(lang.L("恢复文件保存到的文件夹（最好是单独保管的U盘）"))
	msgs := newFieldMessages(e.Win)
	refresh := func() {
		Go(e, func(ctx context.Context) (string, error) {
			at, newer, err := e.Store.RecoveryStatus(ctx)
			if err != nil {
				return "", err
			}
			if at.IsZero() {
				return lang.L("还没有写过恢复文件。电脑损坏或数据库丢失时，没有它就只能为每个站点重新发放登记文件。"), nil
			}
			s := fmt.Sprintf(lang.L("最近一次写出恢复文件：%s。"), at.Format("2006-01-02 15:04"))
			if newer > 0 {
				s += fmt.Sprintf(lang.L("此后有 %d 个站点新登记或重新发放了密钥，请重新写一份。"), newer)
			}
			return s, nil
		}, func(s string, err error) {
			if err != nil {
				msgs.report(err)
				return
			}
			status.SetText(s)
		})
	}
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.L("写出恢复文件…"), theme.DocumentSaveIcon(), func() {
		folder := strings.TrimSpace(dir.Text)
		if folder == "" {
			msgs.refuse("dir", "请选择恢复文件保存到的文件夹")
			return
		}
		msgs.clear()
		confirmThen(e, lang.L("写出恢复文件"), lang.L("恢复文件含有本局的密钥。程序将显示一个 24 位恢复码：请抄在纸上，与恢复文件分开保管；两者缺一不可。继续？"), func() {
			btn.Disable()
			writeRecovery(e, folder, func(err error) {
				btn.Enable()
				msgs.report(err)
				refresh()
			})
		})
	})
	browse := widget.NewButtonWithIcon(lang.L("浏览…"), theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				dir.SetText(u.Path())
			}
		}, e.Win)
	})
	refresh()
	return noteCard(lang.L("密钥恢复文件"), lang.L("本局密钥和各站点公钥的加密备份：换电脑或数据库损坏时，用它在新安装的程序上恢复，各站点无需重新登记"),
		container.NewVBox(status, msgs.at(container.NewBorder(nil, nil, nil, container.NewHBox(browse, btn), dir), "dir"), msgs.status))
}

// writeRecovery writes the recovery file into folder and shows its code.
func writeRecovery(e *Env, folder string, done func(error)) {
	Go(e, func(ctx context.Context) ([2]string, error) {
		if err := checkFolder("dir", folder); err != nil {
			return [2]string{}, err
		}
		file, code, err := e.Store.WriteRecovery(ctx)
		if err != nil {
			return [2]string{}, err
		}
		out := filepath.Join(folder, fmt.Sprintf("stationdesk-recovery-%s-%s%s", e.Ident.Code, time.Now().Format("20060102-150405"), recoveryExt))
		return [2]string{out, code}, writeSecretFile(out, file)
	}, func(r [2]string, err error) {
		if err == nil {
			showCode(e, lang.L("恢复码"), r[1], fmt.Sprintf(lang.L("恢复文件已写入 %s。请把这个恢复码抄在纸上，与恢复文件分开保管。恢复码只显示这一次。"), r[0]))
		}
		done(err)
	})
}

// offerRecoveryFile asks a bureau just set up to write its recovery file.
func offerRecoveryFile(e *Env) {
	confirmThen(e, lang.L("写出恢复文件"), lang.L("本局的密钥只保存在这台电脑上。建议现在写出一份加密的恢复文件，保存在单独的U盘上（以后也可在“设置”中写出）。现在选择文件夹？"), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil || u == nil {
				return
			}
			writeRecovery(e, u.Path(), e.ShowError)
		}, e.Win)
	})
}

// restoreFromRecovery rebuilds a bureau from its recovery file on a new
// installation (the set-up wizard).
func restoreFromRecovery(e *Env, path string, done func(data.Identity, error), cancelled func()) {
	Go(e, func(ctx context.Context) ([]byte, error) {
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() || fi.Size() > 4<<20 {
			return nil, data.Invalid("file", "找不到这个文件")
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, &data.Error{Kind: data.KindIO, Op: "read recovery file", Err: err}
		}
		return b, nil
	}, func(b []byte, err error) {
		if err != nil {
			done(data.Identity{}, err)
			return
		}
		withCode(e, lang.L("输入恢复码"), lang.L("请输入写出恢复文件时抄下的 24 位恢复码。"),
			func(ctx context.Context, code string) (data.Identity, error) {
				return e.Store.RestoreRecovery(ctx, b, code)
			}, done, cancelled)
	})
}

// keysImportNotes says what an imported bundle told about keys and epochs,
// and whether its sender's clock looked wrong (the remaining warnings).
func keysImportNotes(r *data.ImportResult) string {
	s, others := "", len(r.Warnings)
	if r.KeyWarning {
		s += "；" + lang.L("注意：对方收到过一个不是本机发出的同步包，本机密钥可能已泄露，请联系区县人社局重新发放密钥")
		others--
	}
	if r.NewEpoch {
		s += "；" + lang.L("对方已恢复数据或重新安装，下一个发给它的同步包将包含全部记录")
		others--
	}
	if others > 0 {
		s += "；" + lang.L("注意：发送方电脑时钟可能不准")
	}
	return s
}
