package app

// The unsaved-work guard: one mechanism for every form and editable screen.
//
// Nothing that drops typed work does so without asking. Closing the window
// (SetCloseIntercept), switching screens (the navigation, Ctrl+1…8, Env.Show),
// 取消 and Esc all go through Env.leave(then): when no held work has changed,
// then runs at once; otherwise a dialog asks 保存 / 不保存 / 返回 — 保存 runs
// then only once the save went through (a refusal shows at its field and the
// work stays), 不保存 drops the work and runs then, 返回 runs nothing.
//
// How a screen uses it:
//
//   - A form dialog built with newFormDialog is guarded already: its fields
//     (entries, selects, checks, radio and check groups, anywhere in its body)
//     are read when it opens and compared when it would close. A form whose
//     fields are filled after a load calls fd.rebase() once they are.
//     fd.keepDrafts(kind, ctx) also keeps it as a draft (see draft.go).
//   - An editable screen that is not a dialog (attendance, a bureau's table)
//     calls
//
//     release := e.hold(&unsaved{what: lang.L("出勤登记"), dirty: func() bool { return v.dirty },
//     save: func(done func(bool)) { v.saveThen(func() { done(true) }) }})
//
//     when it is shown, and release() when it is done. The shell releases
//     every screen's holds when it switches screens, so a screen only needs
//     release for views it replaces itself. Its own 返回 / 关闭 buttons call
//     e.leave(next) so that they ask too.
//   - A widget of its own that holds a value implements guardValue so that
//     form snapshots see it.

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// unsaved is work a form or screen holds.
type unsaved struct {
	what    string                      // what is being edited, in the officer's words (already translated)
	dirty   func() bool                 // changed since it was opened or last saved
	save    func(done func(saved bool)) // saves; done(false) when refused (the work stays open)
	discard func()                      // drops the work (may be nil): closes the form, resets the screen
}

// guard is the work an Env holds, oldest first.
type guard struct {
	held   []*unsaved
	asking *unsavedAsk // the question shown now, nil when none (tests press its buttons)
	offer  *draftOffer // the draft offered back now (draft.go)
}

// unsavedAsk is the 保存 / 不保存 / 返回 question.
type unsavedAsk struct {
	dlg                *dialog.CustomDialog
	save, drop, cancel *widget.Button
}

// hold registers work; the returned func releases it (calling it twice is fine).
func (e *Env) hold(u *unsaved) (release func()) {
	e.guard.held = append(e.guard.held, u)
	return func() { e.release(u) }
}

func (e *Env) release(u *unsaved) {
	h := e.guard.held
	for i, x := range h {
		if x == u {
			e.guard.held = append(h[:i:i], h[i+1:]...)
			return
		}
	}
}

// releaseAll forgets every hold: the shell switched screens.
func (e *Env) releaseAll() { e.guard.held = nil }

// dirtyWork is the newest held work that has changed, nil when none has.
func (e *Env) dirtyWork() *unsaved {
	for i := len(e.guard.held) - 1; i >= 0; i-- {
		if u := e.guard.held[i]; u.dirty() {
			return u
		}
	}
	return nil
}

// leave runs then when no held work has changed, else asks about the newest
// changed work first, then about the next, and runs then when all are settled.
func (e *Env) leave(then func()) {
	u := e.dirtyWork()
	if u == nil {
		then()
		return
	}
	e.askUnsaved(u, func() { e.leave(then) }, nil)
}

// leaveOne asks about u alone (its own 取消 or Esc): then runs when it is
// unchanged, saved or dropped.
func (e *Env) leaveOne(u *unsaved, then func()) {
	if !u.dirty() {
		then()
		return
	}
	e.askUnsaved(u, then, nil)
}

// askUnsaved shows the question about u; settled runs after a save that went
// through or a drop, back after 返回.
func (e *Env) askUnsaved(u *unsaved, settled, back func()) {
	if e.guard.asking != nil {
		return // one question at a time
	}
	a := &unsavedAsk{}
	msg := widget.NewLabel(fmt.Sprintf(lang.L("“%s”里的内容还没有保存。"), u.what))
	msg.Wrapping = fyne.TextWrapWord
	a.dlg = dialog.NewCustomWithoutButtons(lang.L("有未保存的内容"), msg, e.Win)
	done := func() {
		e.guard.asking = nil
		a.dlg.Hide()
	}
	a.cancel = widget.NewButton(lang.L("返回"), func() {
		done()
		if back != nil {
			back()
		}
	})
	a.drop = widget.NewButton(lang.L("不保存"), func() {
		done()
		e.release(u)
		if u.discard != nil {
			u.discard()
		}
		settled()
	})
	a.drop.Importance = widget.DangerImportance
	a.save = widget.NewButton(lang.L("保存"), func() {
		done()
		u.save(func(ok bool) {
			if ok {
				e.release(u)
				settled()
			}
		})
	})
	a.save.Importance = widget.HighImportance
	a.dlg.SetButtons([]fyne.CanvasObject{a.cancel, a.drop, a.save})
	e.guard.asking = a
	a.dlg.Resize(fyne.NewSize(420, 160))
	a.dlg.Show()
}

// requestClose is the window's close intercept: it asks about unsaved work,
// then closes the window.
func (e *Env) requestClose() {
	e.leave(func() {
		e.busy.Wait() // a save or a draft's delete under way finishes before the program ends
		e.Win.Close()
	})
}

// installCloseGuard makes closing the window ask about unsaved work first.
func installCloseGuard(e *Env) {
	e.Win.SetCloseIntercept(e.requestClose)
}

// Form snapshots: the values of every field in a form, in the order laid out.

// guardValue is a widget of our own that holds a value a form snapshot sees.
type guardValue interface {
	guardValue() string
	setGuardValue(string)
}

// fieldValue is one field's value: its kind, its label (checks) and value.
type fieldValue struct {
	Kind  string `json:"k"`
	Label string `json:"l,omitempty"`
	Value string `json:"v"`
}

// formValues reads every field under o.
func formValues(o fyne.CanvasObject) []fieldValue {
	var out []fieldValue
	walkFields(o, func(f fyne.CanvasObject) {
		switch x := f.(type) {
		case guardValue:
			out = append(out, fieldValue{Kind: "custom", Value: x.guardValue()})
		case *widget.Entry:
			out = append(out, fieldValue{Kind: "entry", Value: x.Text})
		case *widget.SelectEntry:
			out = append(out, fieldValue{Kind: "entry", Value: x.Text})
		case *widget.Select:
			out = append(out, fieldValue{Kind: "select", Value: x.Selected})
		case *widget.Check:
			out = append(out, fieldValue{Kind: "check", Label: x.Text, Value: strconv.FormatBool(x.Checked)})
		case *widget.RadioGroup:
			out = append(out, fieldValue{Kind: "radio", Value: x.Selected})
		case *widget.CheckGroup:
			out = append(out, fieldValue{Kind: "checks", Value: strings.Join(x.Selected, "\x1f")})
		}
	})
	return out
}

// setFormValues puts values read by formValues back into the fields under o,
// field by field while their kinds match (a form laid out differently keeps
// what matches up to the first difference).
func setFormValues(o fyne.CanvasObject, vals []fieldValue) {
	i := 0
	walkFields(o, func(f fyne.CanvasObject) {
		if i >= len(vals) {
			return
		}
		v := vals[i]
		ok := true
		switch x := f.(type) {
		case guardValue:
			ok = v.Kind == "custom"
			if ok {
				x.setGuardValue(v.Value)
			}
		case *widget.Entry:
			ok = v.Kind == "entry"
			if ok {
				x.SetText(v.Value)
			}
		case *widget.SelectEntry:
			ok = v.Kind == "entry"
			if ok {
				x.SetText(v.Value)
			}
		case *widget.Select:
			ok = v.Kind == "select"
			if ok {
				// Options may still be loading: keep the choice, it is found once they are.
				x.Selected = v.Value
				x.Refresh()
			}
		case *widget.Check:
			ok = v.Kind == "check" && v.Label == x.Text
			if ok {
				x.SetChecked(v.Value == "true")
			}
		case *widget.RadioGroup:
			ok = v.Kind == "radio"
			if ok {
				x.SetSelected(v.Value)
			}
		case *widget.CheckGroup:
			ok = v.Kind == "checks"
			if ok {
				var sel []string
				if v.Value != "" {
					sel = strings.Split(v.Value, "\x1f")
				}
				x.SetSelected(sel)
			}
		default:
			return
		}
		if !ok {
			i = len(vals) // the layout differs from here on
			return
		}
		i++
	})
}

// walkFields calls fn for o and everything laid out inside it, in order,
// hidden objects included (a hidden field still holds its value).
func walkFields(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkFields(c, fn)
		}
	case *container.Scroll:
		walkFields(x.Content, fn)
	case *widget.Form:
		for _, it := range x.Items {
			walkFields(it.Widget, fn)
		}
	case *widget.Card:
		walkFields(x.Content, fn)
	case *container.AppTabs:
		for _, it := range x.Items {
			walkFields(it.Content, fn)
		}
	case *container.Split:
		walkFields(x.Leading, fn)
		walkFields(x.Trailing, fn)
	}
}

// sameValues says whether two snapshots are equal.
func sameValues(a, b []fieldValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
