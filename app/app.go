// Package app is Station Desk's Fyne user interface: screens, dialogs and the
// theme. It holds no SQL: every query goes through package data, off the
// event thread, and results come back through fyne.Do.
package app

import (
	"context"
	"errors"
	"log"
	"runtime/debug"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// Env is what every screen is built over.
type Env struct {
	App   fyne.App
	Win   fyne.Window
	Store *data.Store
	Ident data.Identity
	Ctx   context.Context

	shell *shell
	guard guard          // unsaved work held by forms and screens (guard.go)
	views map[string]any // a screen's own state by screen ID, set by its constructor (drafts reopen forms through it)
	busy  sync.WaitGroup // work started by Go and not yet handed back
	do    func(func())   // hands results to the UI thread; nil means fyne.Do (tests queue them)
}

// Create returns the window's content: the set-up wizard on first start,
// the main window afterwards.
func Create(a fyne.App, w fyne.Window, st *data.Store) fyne.CanvasObject {
	e := &Env{App: a, Win: w, Store: st, Ctx: context.Background()}
	return e.root()
}

func (e *Env) root() fyne.CanvasObject {
	st := e.Store
	holder := container.NewStack(widget.NewLabel(lang.L("正在载入…")))
	Go(e, func(ctx context.Context) (data.Identity, error) {
		id, ok, err := st.Identity(ctx)
		if err == nil && !ok {
			err = errNotSetUp
		}
		return id, err
	}, func(id data.Identity, err error) {
		switch {
		case err == errNotSetUp:
			holder.Objects = []fyne.CanvasObject{newWizard(e, func(id data.Identity) {
				e.Ident = id
				holder.Objects = []fyne.CanvasObject{newShell(e)}
				holder.Refresh()
			})}
		case err != nil:
			holder.Objects = []fyne.CanvasObject{widget.NewLabel(UserMessage(err))}
		default:
			e.Ident = id
			holder.Objects = []fyne.CanvasObject{newShell(e)}
			offerDrafts(e)
		}
		holder.Refresh()
	})
	return holder
}

var errNotSetUp = errors.New("not set up")

// setView records the state of the screen id (its constructor calls it).
func (e *Env) setView(id string, v any) {
	if e.views == nil {
		e.views = map[string]any{}
	}
	e.views[id] = v
}

// Go runs work off the event thread and hands its result (and error) to
// done on it.
func Go[T any](e *Env, work func(ctx context.Context) (T, error), done func(T, error)) {
	e.busy.Add(1)
	go func() {
		defer e.busy.Done()
		v, err := safeWork(e.Ctx, work)
		e.onUI(func() { done(v, err) })
	}()
}

// onUI runs fn on the event thread through fyne.Do (in tests, on their queue):
// the one way a goroutine hands anything to the screen.
func (e *Env) onUI(fn func()) {
	if e.do != nil {
		e.do(fn)
		return
	}
	fyne.Do(fn)
}

// errPanicked: the work of a screen panicked (a library met a broken file);
// the officer is told, and the program goes on.
var errPanicked = errors.New("work panicked")

// safeWork runs work, turning a panic into an error shown like any other.
func safeWork[T any](ctx context.Context, work func(ctx context.Context) (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("app: panic in background work: %v\n%s", r, debug.Stack())
			var zero T
			v, err = zero, errPanicked
		}
	}()
	return work(ctx)
}

// ShowError tells the officer what went wrong in words they understand.
func (e *Env) ShowError(err error) {
	if err == nil {
		return
	}
	dialog.ShowError(errors.New(UserMessage(err)), e.Win)
}

// UserMessage is the sentence a person reads for err: never a Go error string.
func UserMessage(err error) string {
	var de *data.Error
	if errors.As(err, &de) {
		switch de.Kind {
		case data.KindInvalid:
			return lang.L(de.Msg)
		case data.KindForeign:
			return lang.L("这个文件夹里的数据库不是劳保站工作台的，程序没有改动它。请在设置中选择正确的数据文件夹。")
		case data.KindTooNew:
			return lang.L("数据库由更新版本的劳保站工作台写入。请安装新版本后再打开，数据未被改动。")
		case data.KindDamaged:
			return lang.L("数据库文件已损坏。请从备份恢复，或联系区人社局信息管理员。")
		case data.KindLocked:
			return lang.L("数据库正被另一个程序使用。请关闭另一个劳保站工作台窗口后重试。")
		case data.KindNotFound:
			return lang.L("找不到这条记录，它可能已被删除。")
		case data.KindConflict:
			return lang.L("这条记录已存在或已被修改，请刷新后重试。")
		case data.KindIO:
			return lang.L("无法读写数据文件夹，请检查磁盘空间和权限。")
		}
	}
	if errors.Is(err, errPanicked) {
		return lang.L("操作没有完成：程序处理其中的文件或图片时出错，程序其余部分不受影响。请检查后重试，或联系区人社局信息管理员。")
	}
	return lang.L("操作没有完成，请重试。如果问题持续，请联系区人社局信息管理员。")
}
