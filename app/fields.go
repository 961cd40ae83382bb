package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// fieldMessages is how every form in app/ tells the officer what is wrong:
// a refusal (a *data.Error of kind invalid, from package data or from the
// form's own parsing) shows in a danger line under the field it names, and
// the field gets the focus. What names no field of the form goes to the
// form's status line. Nothing typed is changed.
type fieldMessages struct {
	win    fyne.Window
	slots  map[string]*fieldSlot // by field name, aliases included
	all    []*fieldSlot
	status *widget.Label
}

// fieldSlot is one field's message line and the widget to focus.
type fieldSlot struct {
	line     *widget.Label
	focus    fyne.Focusable
	watching bool // clearOnEdit waits for the entry to change
}

func newFieldMessages(win fyne.Window) *fieldMessages {
	return &fieldMessages{win: win, slots: map[string]*fieldSlot{}, status: dangerLine()}
}

// dangerLine is a hidden, wrapping label in the danger colour.
func dangerLine() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// at returns obj with the message line of field under it. aliases are other
// names the same field has in package data's errors. A refusal focuses obj,
// or the first widget in it that takes the focus.
func (m *fieldMessages) at(obj fyne.CanvasObject, field string, aliases ...string) fyne.CanvasObject {
	return container.NewVBox(obj, m.line(obj, field, aliases...))
}

// line makes the message line of field, to be placed by the form itself;
// a refusal focuses focus (may be nil) or the first widget in it that takes
// the focus.
func (m *fieldMessages) line(focus fyne.CanvasObject, field string, aliases ...string) *widget.Label {
	s := &fieldSlot{line: dangerLine(), focus: firstFocusable(focus)}
	m.all = append(m.all, s)
	for _, name := range append([]string{field}, aliases...) {
		m.slots[name] = s
	}
	return s.line
}

func firstFocusable(o fyne.CanvasObject) fyne.Focusable {
	switch x := o.(type) {
	case fyne.Focusable:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if f := firstFocusable(c); f != nil {
				return f
			}
		}
	}
	return nil
}

// drop forgets every field's line (the status line stays): for a view that
// builds its rows again.
func (m *fieldMessages) drop() {
	m.slots, m.all = map[string]*fieldSlot{}, nil
}

// msg is the message line of field, nil when the form has none (tests read it).
func (m *fieldMessages) msg(field string) *widget.Label {
	if s, ok := m.slots[field]; ok {
		return s.line
	}
	return nil
}

// clear hides every message.
func (m *fieldMessages) clear() {
	shown := m.status.Visible()
	for _, s := range m.all {
		shown = shown || s.line.Visible()
		s.line.SetText("")
		s.line.Hide()
	}
	m.status.SetText("")
	m.status.Hide()
	if shown {
		m.relayout()
	}
}

// relayout lays the window out again: a line shown or hidden changes the
// height of its field, and Fyne lays out a container only when it is
// refreshed (else the message is drawn over the field).
func (m *fieldMessages) relayout() {
	if m.win == nil {
		return
	}
	c := m.win.Canvas()
	if c.Content() != nil {
		c.Content().Refresh()
	}
	for _, o := range c.Overlays().List() {
		o.Refresh()
	}
}

// show puts err under its field, focuses the field and says whether it
// found one.
func (m *fieldMessages) show(err error) bool {
	var de *data.Error
	if !errors.As(err, &de) || (de.Kind != data.KindInvalid && de.Kind != data.KindConflict) || de.Msg == "" {
		return false
	}
	s, ok := m.slots[de.Field]
	if !ok {
		return false
	}
	s.line.SetText(lang.L(de.Msg))
	s.line.Show()
	m.relayout()
	m.clearOnEdit(s)
	if s.focus != nil && m.win != nil {
		if d, ok := s.focus.(fyne.Disableable); !ok || !d.Disabled() {
			m.win.Canvas().Focus(s.focus)
		}
	}
	return true
}

// clearOnEdit hides s's message as soon as its entry is changed: the
// officer is fixing it (emptying it is not). The entry's own OnChanged still runs.
func (m *fieldMessages) clearOnEdit(s *fieldSlot) {
	var en *widget.Entry
	switch x := s.focus.(type) {
	case *widget.Entry:
		en = x
	case *widget.SelectEntry:
		en = &x.Entry
	}
	if en == nil || s.watching {
		return
	}
	s.watching = true
	prev := en.OnChanged
	en.OnChanged = func(text string) {
		if text == "" { // emptied (a refused password is cleared on purpose): not fixed yet
			if prev != nil {
				prev(text)
			}
			return
		}
		en.OnChanged = prev
		s.watching = false
		if s.line.Visible() {
			s.line.Hide()
			m.relayout()
		}
		if prev != nil {
			prev(text)
		}
	}
}

// report clears the old messages and shows err: at its field, else on the
// status line. A nil err only clears.
func (m *fieldMessages) report(err error) {
	m.clear()
	if err == nil || m.show(err) {
		return
	}
	m.status.SetText(UserMessage(err))
	m.status.Show()
	m.relayout()
}

// refuse shows a refusal the form found itself at field.
func (m *fieldMessages) refuse(field, msg string) { m.report(data.Invalid(field, msg)) }

// saveOff runs work off the event thread, then done with its error on it.
func saveOff(e *Env, work func(ctx context.Context) error, done func(error)) {
	Go(e, func(ctx context.Context) (struct{}, error) { return struct{}{}, work(ctx) }, func(_ struct{}, err error) { done(err) })
}

// renamed is err with its field named to instead of from: for a form where
// two fields share a name in package data (a new password and the old one).
func renamed(err error, from, to string) error {
	var de *data.Error
	if errors.As(err, &de) && de.Field == from {
		c := *de
		c.Field = to
		return &c
	}
	return err
}

// openForms is the form dialog each window opened last (tests drive it).
var openForms sync.Map // *Env → *formDialog

// formDialog is a dialog over a form that stays open until its save
// succeeds: a refusal shows at the field, and what was typed stays. It is
// guarded (guard.go): 取消, Esc, switching screens and closing the window ask
// before typed work is dropped.
type formDialog struct {
	e      *Env
	title  string
	body   fyne.CanvasObject
	dlg    *dialog.CustomDialog
	msgs   *fieldMessages
	save   *widget.Button
	cancel *widget.Button
	submit func(done func(error))
	after  func()
	saved  bool
	closed bool

	base    []fieldValue // the fields as opened (or last rebased)
	work    *unsaved
	release func()
	draft   *formDraft // nil unless keepDrafts was called
}

// newFormDialog builds the dialog; body is the form (its fields placed with
// msgs.at), the status line goes under it. submit reads the form and calls
// done with the refusal or the save's error, nil when saved: then the
// dialog closes and after (may be nil) runs.
func newFormDialog(e *Env, title, confirm string, body fyne.CanvasObject, msgs *fieldMessages, submit func(done func(error)), after func()) *formDialog {
	fd := &formDialog{e: e, title: title, body: body, msgs: msgs, submit: submit, after: after}
	fd.dlg = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, msgs.status, nil, nil, fitted(body)), e.Win)
	fd.save = widget.NewButtonWithIcon(confirm, theme.DocumentSaveIcon(), func() { fd.trySave(nil) })
	fd.save.Importance = widget.HighImportance
	fd.cancel = widget.NewButton(lang.L("取消"), fd.tryCancel)
	fd.dlg.SetButtons([]fyne.CanvasObject{fd.cancel, fd.save})
	fd.dlg.SetOnClosed(fd.onClosed)
	fd.work = &unsaved{what: title, dirty: fd.dirty, save: fd.trySave, discard: fd.hide}
	openForms.Store(e, fd)
	return fd
}

// trySave saves as the save button does; done (may be nil) hears whether it went through.
func (fd *formDialog) trySave(done func(bool)) {
	fd.msgs.clear()
	fd.submit(func(err error) {
		if err != nil {
			fd.msgs.report(err)
			if done != nil {
				done(false)
			}
			return
		}
		fd.saved = true
		fd.hide()
		if fd.after != nil {
			fd.after()
		}
		if done != nil {
			done(true)
		}
	})
}

// tryCancel is 取消 and Esc: it asks first when something was typed.
func (fd *formDialog) tryCancel() { fd.e.leaveOne(fd.work, fd.hide) }

// dirty says whether any field differs from when the form was opened.
func (fd *formDialog) dirty() bool {
	return !fd.saved && !fd.closed && !sameValues(fd.base, formValues(fd.body))
}

// rebase takes the fields as they are now as unchanged: for a form filled after a load.
func (fd *formDialog) rebase() { fd.base = formValues(fd.body) }

func (fd *formDialog) hide() {
	if !fd.closed {
		fd.dlg.Hide()
	}
}

// onClosed runs however the dialog closed: the work is no longer held and
// its draft is no longer needed (saved, dropped, or unchanged).
func (fd *formDialog) onClosed() {
	if fd.closed {
		return
	}
	fd.closed = true
	if fd.release != nil {
		fd.release()
	}
	if fd.draft != nil {
		fd.draft.stop()
	}
}

// show resizes the dialog to at least size (at most what the window
// allows, see fit.go) and shows it.
func (fd *formDialog) show(size fyne.Size) {
	fd.base = formValues(fd.body)
	fd.release = fd.e.hold(fd.work)
	fd.dlg.Resize(dialogSize(fd.e, size.Max(dialogNatural(fd.body))))
	fd.dlg.Show()
	if fd.draft != nil {
		fd.draft.start()
	}
}

// Dates and numbers the forms read themselves.

// parseFormDate reads a YYYY-MM-DD date typed into field; empty gives the
// zero time. Like package data, it refuses dates before 2000 and more than
// five years ahead: such a year is a typo.
func parseFormDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, data.Invalid(field, "日期格式应为 年-月-日，例如 2026-11-01")
	}
	if t.Year() < 2000 {
		return time.Time{}, data.Invalid(field, "日期不能早于 2000 年，请检查年份")
	}
	if t.After(now().AddDate(5, 0, 0)) {
		return time.Time{}, data.Invalid(field, "日期不能晚于五年以后，请检查年份")
	}
	return t, nil
}

// parseCount reads a whole number above 0 typed into a field; bad is the
// refusal (naming the field) when it is not one.
func parseCount(s string, bad error) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, bad
	}
	return n, nil
}
