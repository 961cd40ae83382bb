package app

// Fitting the screens of township PCs: 1366×768 at every text size.
//
// The window opens at a size that fits the screen it is on (maximised on
// screens up to 1366×768, see FitScreen), and its minimum size at 特大 stays
// within fitWidth × fitHeight because no screen can widen or heighten it:
//
//   - the shell puts every screen into fitted(...), and newFormDialog every
//     form body: when the window is smaller than what the screen needs, the
//     screen scrolls instead of pushing the window's minimum size up;
//   - a row of buttons or filters is buttonRow(...) instead of
//     container.NewHBox(...): it wraps onto a second line when the window is
//     narrow, its minimum width is its widest button;
//   - a dialog is sized with dialogSize(e, want), never larger than the window.
//
// TestEveryScreenFitsAtLargestText and TestEveryFormFitsAtLargestText lay
// every screen and form out at 特大 and hold the limits; a new screen only
// has to use the helpers above.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitWidth and fitHeight bound the window's minimum size at 特大: a 1366×768
// screen less a title bar, a taskbar and a margin.
const (
	fitWidth  = 1280
	fitHeight = 720
)

// fitted lets obj scroll when the window is smaller than obj needs; when the
// window is larger, obj fills it as before.
func fitted(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewScroll(obj)
}

// buttonRow lays objs out left to right, wrapping onto further lines when
// the row is narrower than they need. A layoutSpacer() among them is dropped
// (a wrapping row has no stretch).
func buttonRow(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapLayout{}, objs...)
}

// wrapLayout is a row that wraps: its minimum width is its widest object,
// its minimum height as many lines as the last width it was given needed.
type wrapLayout struct {
	lines int
}

func (l *wrapLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		if !o.Visible() || isSpacer(o) {
			continue
		}
		s := o.MinSize()
		w = fyne.Max(w, s.Width)
		h = fyne.Max(h, s.Height)
	}
	lines := l.lines
	if lines < 1 {
		lines = 1
	}
	return fyne.NewSize(w, h*float32(lines)+theme.Padding()*float32(lines-1))
}

func (l *wrapLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	var h float32
	for _, o := range objs {
		if o.Visible() && !isSpacer(o) {
			h = fyne.Max(h, o.MinSize().Height)
		}
	}
	x, y, lines := float32(0), float32(0), 1
	for _, o := range objs {
		if !o.Visible() || isSpacer(o) {
			continue
		}
		s := o.MinSize()
		if x > 0 && x+s.Width > size.Width {
			x, y = 0, y+h+pad
			lines++
		}
		o.Resize(fyne.NewSize(s.Width, h))
		o.Move(fyne.NewPos(x, y))
		x += s.Width + pad
	}
	l.lines = lines // the canvas sees the new minimum height and lays the parent out again
}

func isSpacer(o fyne.CanvasObject) bool {
	_, ok := o.(interface{ ExpandHorizontal() bool })
	return ok
}

// openSize is the window's size when it opens: within a 1280×720 screen's
// work area; FitScreen then maximises it on small screens.
var openSize = fyne.NewSize(1180, 660)

// FitScreen, when set (by cmd/stationdesk, which knows the desktop driver),
// fits the opened window to the screen it is on: maximised on screens up to
// 1366×768. It runs on the event thread once the window exists.
var FitScreen func(w fyne.Window)

// dialogNatural is the size a dialog over body needs to show body without
// scrolling: body, the title above and the buttons below.
func dialogNatural(body fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	chrome := 2 * (2*theme.TextSize() + 4*pad)
	return body.MinSize().AddWidthHeight(4*pad, chrome)
}

// dialogSize is want, shrunk to what the window leaves for a dialog.
func dialogSize(e *Env, want fyne.Size) fyne.Size {
	c := e.Win.Canvas().Size()
	if c.Width <= 0 || c.Height <= 0 {
		return want
	}
	m := 4 * theme.Padding()
	return fyne.NewSize(fyne.Min(want.Width, c.Width-m), fyne.Min(want.Height, c.Height-m))
}

// card is widget.NewCard with its subtitle wrapping under the title (a
// card's own subtitle is one line, as wide as its text at the largest size).
func card(title, sub string, content fyne.CanvasObject) *widget.Card {
	if sub == "" {
		return widget.NewCard(title, "", content)
	}
	l := widget.NewLabel(sub)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle = fyne.TextStyle{Italic: true}
	if content == nil {
		return widget.NewCard(title, "", l)
	}
	return widget.NewCard(title, "", container.NewVBox(l, content))
}
