package app

// The keyboard: Ctrl+1…8 switch screens, Esc closes the dialog on top (as
// its 取消 / 返回 does, so the unsaved-work guard asks first), Enter confirms
// it (its main button).
//
// How a screen uses it: nothing to do for dialogs made with newFormDialog,
// the guard's question or Fyne's own dialogs (information, confirm, error).
// A dialog of another kind that needs its own Esc registers it with
// e.onEscape(obj, fn) where obj is its content.

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// navShortcut is Ctrl (Cmd on macOS) plus a digit: the very shortcut the
// desktop driver builds for the key press, so that it finds ours by name.
func navShortcut(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

// installKeys adds Esc and Enter to the window (after what handles keys already).
func installKeys(e *Env) {
	mainWindows.Store(e.Win, e)
	c := e.Win.Canvas()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		handled := false
		switch k.Name {
		case fyne.KeyEscape:
			handled = e.escape()
		case fyne.KeyReturn, fyne.KeyEnter:
			handled = e.enter()
		}
		if !handled && prev != nil {
			prev(k)
		}
	})
}

// mainWindows maps each main window to its Env, for EscapeKey.
var mainWindows sync.Map // fyne.Window → *Env

// EscapeKey is called by the desktop driver's key hook (cmd/stationdesk)
// after Fyne handled an Esc press. A text box with the focus swallows Esc, so
// then the dialog on top is closed here, as Esc does elsewhere.
func EscapeKey(w fyne.Window) {
	v, ok := mainWindows.Load(w)
	if !ok || w.Canvas().Focused() == nil {
		return // nothing had the focus: the window's own key handler did it
	}
	e := v.(*Env)
	if e.guard.asking == nil && w.Canvas().Overlays().Top() == nil {
		return // no dialog: Esc stays the text box's
	}
	w.Canvas().Unfocus()
	e.escape()
}

// escape closes the dialog on top as its way back does; false when none is open.
func (e *Env) escape() bool {
	if a := e.guard.asking; a != nil {
		a.cancel.OnTapped()
		return true
	}
	top := e.Win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	if fd := e.formOn(top); fd != nil {
		fd.tryCancel()
		return true
	}
	if b := dialogButton(top, false); b != nil {
		b.OnTapped()
		return true
	}
	top.Hide()
	e.Win.Canvas().Overlays().Remove(top)
	return true
}

// enter presses the main button of the dialog on top; false when none is open.
func (e *Env) enter() bool {
	if a := e.guard.asking; a != nil {
		a.save.OnTapped()
		return true
	}
	top := e.Win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	if fd := e.formOn(top); fd != nil {
		if !fd.save.Disabled() {
			fd.trySave(nil)
		}
		return true
	}
	if b := dialogButton(top, true); b != nil && !b.Disabled() {
		b.OnTapped()
		return true
	}
	return false
}

// formOn is the form dialog whose pop-up is top, if it is one.
func (e *Env) formOn(top fyne.CanvasObject) *formDialog {
	v, ok := openForms.Load(e)
	if !ok {
		return nil
	}
	fd := v.(*formDialog)
	if fd.closed {
		return nil
	}
	found := false
	walkObjects(top, func(o fyne.CanvasObject) {
		if o == fd.save {
			found = true
		}
	})
	if !found {
		return nil
	}
	return fd
}

// dialogButton finds a dialog's main button (main) or its way back: the
// button of high importance, and the other one, in a dialog's button row.
func dialogButton(top fyne.CanvasObject, main bool) *widget.Button {
	var buttons []*widget.Button
	walkObjects(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.OnTapped != nil {
			buttons = append(buttons, b)
		}
	})
	if len(buttons) == 1 {
		return buttons[0] // an information dialog: its one button both confirms and closes
	}
	var hi, other *widget.Button
	for _, b := range buttons {
		if b.Importance == widget.HighImportance {
			hi = b
		} else if other == nil || b.Importance == widget.MediumImportance {
			other = b
		}
	}
	if main {
		return hi
	}
	return other
}

// walkObjects calls fn for o and everything inside it, pop-ups included.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if p, ok := o.(*widget.PopUp); ok {
		walkObjects(p.Content, fn)
		return
	}
	walkFields(o, fn)
}
