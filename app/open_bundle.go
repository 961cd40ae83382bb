package app

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"stationdesk/data"
)

// A bundle named on the command line, as the file association passes it when
// an officer double-clicks a .stbundle file: once the main window is up (after
// the wizard and sign-in), 数据同步 opens and asks whether to import it.
var opened struct {
	sync.Mutex
	path string
}

// OpenBundle remembers path for the main window to offer for import.
func OpenBundle(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	opened.Lock()
	opened.path = path
	opened.Unlock()
}

func takeOpenedBundle() string {
	opened.Lock()
	defer opened.Unlock()
	p := opened.path
	opened.path = ""
	return p
}

// offerOpenedBundle shows 数据同步 and, once the bundle is verified (nothing
// written), asks before importing it. Called when the navigation is built.
func offerOpenedBundle(e *Env) {
	path := takeOpenedBundle()
	if path == "" {
		return
	}
	e.Show("sync")
	type checked struct {
		info   *data.BundleInfo
		sender string
	}
	Go(e, func(ctx context.Context) (checked, error) {
		info, err := e.Store.VerifyBundle(ctx, path)
		if err != nil {
			return checked{}, err
		}
		c := checked{info: info, sender: info.Header.Sender}
		if peers, err := e.Store.Peers(ctx); err == nil {
			for _, p := range peers {
				if p.Code == info.Header.Sender {
					c.sender = p.Name + "（" + p.Code + "）"
				}
			}
		}
		return c, nil
	}, func(c checked, err error) {
		name := filepath.Base(path)
		if err != nil {
			msg := UserMessage(err)
			if r, ok := data.RefusalOf(err); ok {
				msg = lang.L("拒绝：") + refusalText(r.Reason)
			}
			dialog.ShowInformation(lang.L("无法导入这个同步包"), name+"\n"+msg, e.Win)
			return
		}
		if c.info.Already {
			dialog.ShowInformation(lang.L("导入同步包"), name+"\n"+lang.L("已导入过，跳过"), e.Win)
			return
		}
		n := 0
		for _, k := range c.info.Records {
			n += k
		}
		q := fmt.Sprintf(lang.L("%s\n发送方：%s\n第 %d 号包，共 %s 条记录。\n现在导入吗？"), name, c.sender, c.info.Header.Seq, thousands(n))
		d := dialog.NewConfirm(lang.L("导入同步包？"), q, func(yes bool) {
			if yes {
				importOpenedBundle(e, path)
			}
		}, e.Win)
		d.SetConfirmText(lang.L("导入"))
		d.SetDismissText(lang.L("暂不导入"))
		d.Show()
	})
}

// importOpenedBundle imports the bundle the officer agreed to, says how it
// went and shows 数据同步 afresh with the new state.
func importOpenedBundle(e *Env, path string) {
	Go(e, func(ctx context.Context) (*data.ImportResult, error) {
		return e.Store.ImportBundles(ctx, []string{path}, nil)[0], nil
	}, func(r *data.ImportResult, _ error) {
		if e.shell != nil {
			e.shell.current = ""
			e.Show("sync")
		}
		dialog.ShowInformation(lang.L("导入同步包"), filepath.Base(path)+"\n"+importText(r), e.Win)
	})
}
