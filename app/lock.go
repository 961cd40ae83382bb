package app

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// settingLockMinutes is how long the window may stay idle before it locks
// (0 = never), kept in the settings table.
const settingLockMinutes = "lock_minutes"

// defaultLockMinutes applies until the administrator chooses otherwise.
const defaultLockMinutes = 10

// lockChoices are the idle times offered in 设置, in minutes.
var lockChoices = []int{5, 10, 15, 30, 60, 0}

// idleLock covers the window after a while without activity, when an
// officer is signed in. Activity is what the program can observe: keys
// typed outside a field, the mouse over the window's background, and any
// change of focus, of a focused field's text or cursor, or of the screen.
type idleLock struct {
	e     *Env
	clock func() time.Time
	after time.Duration

	last    time.Time
	mark    string
	overlay fyne.CanvasObject
	form    *signInForm
	stop    chan struct{}
}

var locks sync.Map // *Env → *idleLock

func lockOf(e *Env) *idleLock {
	if v, ok := locks.Load(e); ok {
		return v.(*idleLock)
	}
	return nil
}

// installLock wraps content so that activity over it is seen, and returns
// the lock; start() runs its clock.
func installLock(e *Env, content fyne.CanvasObject, clock func() time.Time) (fyne.CanvasObject, *idleLock) {
	l := &idleLock{e: e, clock: clock, after: defaultLockMinutes * time.Minute}
	l.last = clock()
	locks.Store(e, l)
	c := e.Win.Canvas()
	prevKey, prevRune := c.OnTypedKey(), c.OnTypedRune()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		l.activity()
		if prevKey != nil {
			prevKey(k)
		}
	})
	c.SetOnTypedRune(func(r rune) {
		l.activity()
		if prevRune != nil {
			prevRune(r)
		}
	})
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { l.activity() })
	}
	Go(e, func(ctx context.Context) (string, error) {
		return e.Store.Setting(ctx, settingLockMinutes, strconv.Itoa(defaultLockMinutes))
	}, func(v string, err error) {
		if m, perr := strconv.Atoi(v); err == nil && perr == nil && m >= 0 {
			l.after = time.Duration(m) * time.Minute
		}
	})
	return container.NewStack(newActivityCatcher(l.activity), content), l
}

// start checks for idleness every few seconds until the window closes,
// and every hour sees that today's automatic backup exists (a station PC
// may run for days).
func (l *idleLock) start() {
	l.stop = make(chan struct{})
	stop := l.stop
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		hourly := time.NewTicker(time.Hour)
		defer hourly.Stop()
		for {
			select {
			case <-t.C:
				l.e.onUI(l.tick)
			case <-hourly.C:
				startBackup(l.e)
			case <-stop:
				return
			}
		}
	}()
}

func (l *idleLock) activity() { l.last = l.clock() }

// close stops the lock's clock (the window starts over on another database).
func (l *idleLock) close() {
	if l.stop != nil {
		close(l.stop)
		l.stop = nil
	}
	locks.Delete(l.e)
}

// fingerprint is what the officer's work changes: focus, typing, screen.
func (l *idleLock) fingerprint() string {
	f := l.e.Win.Canvas().Focused()
	s := fmt.Sprintf("%p|%s", f, l.e.Current())
	if en, ok := f.(*widget.Entry); ok {
		s += fmt.Sprintf("|%d|%d|%d", len(en.Text), en.CursorRow, en.CursorColumn)
	}
	return s
}

// tick locks the window when it has been idle long enough; run on the event thread.
func (l *idleLock) tick() {
	if l.overlay != nil {
		return
	}
	if _, ok := sessionOf(l.e).current(); !ok || l.after <= 0 {
		l.last = l.clock()
		return
	}
	if m := l.fingerprint(); m != l.mark {
		l.mark = m
		l.last = l.clock()
		return
	}
	if l.clock().Sub(l.last) >= l.after {
		l.lock()
	}
}

// Locked says whether the window is covered by the lock.
func (l *idleLock) Locked() bool { return l.overlay != nil }

// lock covers the whole window (nothing of the work behind stays visible)
// and asks for a password; another officer may sign in instead.
func (l *idleLock) lock() {
	a, _ := sessionOf(l.e).current()
	l.form = newSignInForm(l.e, a.Login, l.unlock)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.FillColor = opaque(bg.FillColor)
	card := l.form.content(lang.L("已锁定"), fmt.Sprintf(lang.L("离开超过 %d 分钟，程序已锁定。请输入密码继续。"), int(l.after/time.Minute)))
	l.overlay = container.NewStack(bg, container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 330), card)))
	c := l.e.Win.Canvas()
	c.Overlays().Add(l.overlay)
	l.overlay.Resize(c.Size())
	c.Focus(l.form.pass)
}

func (l *idleLock) unlock() {
	if l.overlay != nil {
		l.e.Win.Canvas().Overlays().Remove(l.overlay)
	}
	l.overlay, l.form = nil, nil
	l.last = l.clock()
	l.mark = ""
}

func opaque(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}
}

// activityCatcher lies under the content: the mouse moving over any part
// of the window that is not itself a hoverable widget reaches it.
type activityCatcher struct {
	widget.BaseWidget
	seen func()
}

func newActivityCatcher(seen func()) *activityCatcher {
	c := &activityCatcher{seen: seen}
	c.ExtendBaseWidget(c)
	return c
}

func (c *activityCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
func (c *activityCatcher) MouseIn(*desktop.MouseEvent)    { c.seen() }
func (c *activityCatcher) MouseMoved(*desktop.MouseEvent) { c.seen() }
func (c *activityCatcher) MouseOut()                      {}

// lockSettingRow chooses the idle time in the accounts card.
func lockSettingRow(e *Env) fyne.CanvasObject {
	labels := make([]string, len(lockChoices))
	for i, m := range lockChoices {
		if m == 0 {
			labels[i] = lang.L("从不")
		} else {
			labels[i] = fmt.Sprintf(lang.L("%d 分钟"), m)
		}
	}
	sel := widget.NewSelect(labels, nil)
	Go(e, func(ctx context.Context) (string, error) {
		return e.Store.Setting(ctx, settingLockMinutes, strconv.Itoa(defaultLockMinutes))
	}, func(v string, err error) {
		for i, m := range lockChoices {
			if strconv.Itoa(m) == v {
				sel.SetSelected(labels[i])
			}
		}
		sel.OnChanged = func(label string) {
			for i, m := range lockChoices {
				if labels[i] == label {
					save(e, settingLockMinutes, strconv.Itoa(m), func() {
						if l := lockOf(e); l != nil {
							l.after = time.Duration(m) * time.Minute
						}
					})
				}
			}
		}
	})
	return container.NewHBox(widget.NewLabel(lang.L("无人操作多久后自动锁定")), sel)
}
