package app

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	showMain(a, w, st)
	w.Resize(openSize)
	w.CenterOnScreen()
	w.SetMaster()
	if FitScreen != nil {
		a.Lifecycle().SetOnStarted(func() { FitScreen(w) })
	}
	if os.Getenv("STATIONDESK_EXIT_AFTER_FIRST_FRAME") != "" {
		// make bench: say when the home screen's figures are up, then quit.
		firstFigures = func() {
			fmt.Println("first-frame")
			a.Quit()
		}
	}
	w.ShowAndRun()
}

// showMain puts the program over st into w: today's automatic backup in
// the background, sign-in when officers have accounts, the idle lock.
func showMain(a fyne.App, w fyne.Window, st *data.Store) {
	e := &Env{App: a, Win: w, Store: st, Ctx: context.Background()}
	withActor(e)
	installCloseGuard(e)
	installKeys(e)
	startBackup(e)
	content, lock := installLock(e, signInGate(e, e.root), time.Now)
	lock.start()
	w.SetContent(fitted(content)) // no screen makes the window's minimum size larger than a small screen (fit.go)
}

// startBackup writes today's automatic backup off the event thread; a
// failure is shown, it never stops the program.
func startBackup(e *Env) {
	Go(e, func(ctx context.Context) (string, error) {
		return e.Store.AutoBackup(ctx, now())
	}, func(_ string, err error) {
		if err != nil {
			e.ShowError(fmt.Errorf("backup: %w", err))
		}
	})
}

// ShowStartError is the window shown when the database cannot be opened:
// what happened, in plain words, and where the data folder is. A damaged
// database is offered the newest good backup; once restored the program
// opens as usual.
func ShowStartError(a fyne.App, dir string, err error) {
	a.SetIcon(Icon)
	w := a.NewWindow(lang.L("劳保站工作台"))
	e := &Env{App: a, Win: w, Ctx: context.Background()}
	w.SetContent(startErrorContent(e, dir, err, func(st *data.Store) {
		w.SetOnClosed(func() { st.Close() })
		w.Resize(openSize)
		showMain(a, w, st)
	}))
	w.Resize(fyne.NewSize(600, 300))
	w.ShowAndRun()
}

// startError is the content of the start-error window.
type startError struct {
	e       *Env
	dir     string
	opened  func(*data.Store)
	status  *widget.Label
	restore *widget.Button
	backup  data.BackupInfo
	box     *fyne.Container
}

func startErrorContent(e *Env, dir string, err error, opened func(*data.Store)) fyne.CanvasObject {
	s := &startError{e: e, dir: dir, opened: opened}
	return s.content(err)
}

func (s *startError) content(err error) fyne.CanvasObject {
	a := s.e.App
	msg := widget.NewLabel(UserMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	where := widget.NewLabel(lang.L("数据文件夹：") + s.dir)
	where.Wrapping = fyne.TextWrapBreak
	open := widget.NewButtonWithIcon(lang.L("打开数据文件夹"), theme.FolderOpenIcon(), func() {
		_ = a.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(s.dir)})
	})
	quit := widget.NewButton(lang.L("退出"), a.Quit)
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.status.Hide()
	s.restore = widget.NewButtonWithIcon(lang.L("从备份恢复"), theme.HistoryIcon(), s.confirm)
	s.restore.Importance = widget.HighImportance
	s.restore.Hide()
	s.box = container.NewVBox(heading(lang.L("无法打开数据库")), msg, where, s.status, container.NewHBox(s.restore, open, quit))
	if data.ErrorKind(err) == data.KindDamaged {
		s.findBackup()
	}
	return container.NewPadded(s.box)
}

// findBackup looks for the newest backup that passes its check.
func (s *startError) findBackup() {
	s.status.SetText(lang.L("正在查找可用的备份…"))
	s.status.Show()
	s.box.Refresh()
	Go(s.e, func(ctx context.Context) (*data.BackupInfo, error) {
		b, ok, err := data.NewestGoodBackup(ctx, s.dir)
		if !ok {
			return nil, err
		}
		return &b, err
	}, func(b *data.BackupInfo, err error) {
		if err != nil || b == nil {
			s.status.SetText(lang.L("没有找到可用的备份。请联系区人社局信息管理员。"))
			s.box.Refresh()
			return
		}
		s.backup = *b
		s.status.SetText(fmt.Sprintf(lang.L("找到 %s 的备份，检查完好。恢复后，这之后录入的内容需要重新录入；损坏的数据库会另存一份。"),
			b.Time.Format("2006-01-02 15:04")))
		s.restore.Show()
		s.box.Refresh()
	})
}

func (s *startError) confirm() {
	dialog.ShowConfirm(lang.L("从备份恢复"),
		fmt.Sprintf(lang.L("用 %s 的备份替换损坏的数据库？"), s.backup.Time.Format("2006-01-02 15:04")),
		func(ok bool) {
			if ok {
				s.doRestore()
			}
		}, s.e.Win)
}

// doRestore restores the chosen backup and opens the program over it.
func (s *startError) doRestore() {
	s.restore.Disable()
	s.status.SetText(lang.L("正在恢复…"))
	path := s.backup.Path
	Go(s.e, func(ctx context.Context) (*data.Store, error) {
		if _, err := data.Restore(ctx, s.dir, path, ""); err != nil {
			return nil, err
		}
		return data.Open(s.dir)
	}, func(st *data.Store, err error) {
		if err != nil {
			s.restore.Enable()
			s.status.SetText(UserMessage(err))
			return
		}
		s.status.SetText(lang.L("已恢复"))
		s.opened(st)
	})
}
