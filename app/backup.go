package app

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() {
	settingsPanels = append(settingsPanels, backupPanel)
}

// backupPanel is the 设置 card for backups: the latest ones, a backup now
// (here or to a USB stick), and a restore.
func backupPanel(e *Env) fyne.CanvasObject {
	list := widget.NewLabel(lang.L("正在载入…"))
	list.Wrapping = fyne.TextWrapWord
	refresh := func() {
		Go(e, func(ctx context.Context) ([]data.BackupInfo, error) {
			return data.ListBackups(data.BackupDir(e.Store.Dir))
		}, func(bs []data.BackupInfo, err error) {
			if err != nil {
				list.SetText(UserMessage(err))
				return
			}
			list.SetText(backupSummary(bs))
		})
	}
	refresh()
	now := widget.NewButtonWithIcon(lang.L("立即备份"), theme.DocumentSaveIcon(), func() {
		backupTo(e, data.BackupDir(e.Store.Dir), refresh)
	})
	usb := widget.NewButtonWithIcon(lang.L("备份到U盘或其他文件夹…"), theme.FolderIcon(), func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil || u == nil {
				return
			}
			backupTo(e, u.Path(), refresh)
		}, e.Win)
		d.Show()
	})
	restore := widget.NewButtonWithIcon(lang.L("从备份恢复…"), theme.HistoryIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			path := r.URI().Path()
			r.Close()
			confirmRestore(e, path)
		}, e.Win)
		d.Show()
	})
	return card(lang.L("备份与恢复"), lang.L("程序每天自动备份一次（保留最近 7 天和 4 周），导入数据包和升级前也会备份"),
		container.NewVBox(fixedHeight(list, 4), container.NewHBox(now, usb, restore)))
}

func backupSummary(bs []data.BackupInfo) string {
	if len(bs) == 0 {
		return lang.L("还没有备份")
	}
	s := fmt.Sprintf(lang.L("共 %d 份备份，最新："), len(bs))
	for i, b := range bs {
		if i == 3 {
			break
		}
		s += fmt.Sprintf("\n%s　%s　%.1f MB", b.Time.Format("2006-01-02 15:04"), backupLabel(b.Label), float64(b.Size)/(1<<20))
	}
	return s
}

func backupLabel(l string) string {
	switch l {
	case data.BackupDaily:
		return lang.L("每日自动")
	case data.BackupPreImport:
		return lang.L("导入数据包前")
	case data.BackupPreRestore:
		return lang.L("恢复前")
	case data.BackupManual:
		return lang.L("手动")
	}
	return lang.L("升级前")
}

func backupTo(e *Env, dir string, after func()) {
	Go(e, func(ctx context.Context) (string, error) {
		return e.Store.BackupTo(ctx, dir)
	}, func(path string, err error) {
		if err != nil {
			e.ShowError(err)
			return
		}
		showSaved(e, lang.L("备份完成"), "", path)
		if after != nil {
			after()
		}
	})
}

func confirmRestore(e *Env, path string) {
	dialog.ShowConfirm(lang.L("从备份恢复"),
		fmt.Sprintf(lang.L("用 %s 替换现在的数据库？现在的数据库会先另存一份备份。"), filepath.Base(path)),
		func(ok bool) {
			if ok {
				restoreFrom(e, path, startOver(e))
			}
		}, e.Win)
}

// restoreFrom checks the file, closes the store, restores and hands the
// restored database to reopened (the program starts over on it).
func restoreFrom(e *Env, path string, reopened func(*data.Store)) {
	dir := e.Store.Dir
	old := e.Store
	actor := data.ActorFrom(e.Ctx)
	type result struct {
		st       *data.Store
		restored bool
	}
	Go(e, func(ctx context.Context) (result, error) {
		if err := data.CheckBackup(ctx, path, true); err != nil {
			return result{}, err
		}
		if err := old.Close(); err != nil {
			return result{}, err
		}
		_, rerr := data.Restore(ctx, dir, path, actor)
		st, err := data.Open(dir) // the restored database, or the old one if the restore failed
		if rerr != nil {
			return result{st: st}, rerr
		}
		return result{st: st, restored: true}, err
	}, func(r result, err error) {
		if !r.restored {
			if r.st != nil {
				e.Store = r.st
			}
			e.ShowError(err)
			return
		}
		if err != nil {
			e.ShowError(err)
			return
		}
		reopened(r.st)
	})
}

// startOver shows the program afresh over st in e's window.
func startOver(e *Env) func(*data.Store) {
	return func(st *data.Store) {
		if l := lockOf(e); l != nil {
			l.close()
		}
		e.Win.SetOnClosed(func() { st.Close() })
		showMain(e.App, e.Win, st)
	}
}

// fixedHeight keeps room for lines of text that arrive after layout.
func fixedHeight(l *widget.Label, lines int) fyne.CanvasObject {
	s := container.NewVScroll(l)
	h := fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height + theme.LineSpacing()
	s.SetMinSize(fyne.NewSize(0, float32(lines)*h+2*theme.InnerPadding()))
	return s
}
