package app

// Drafts of forms being typed: a crash or power cut loses at most a few seconds.
//
// How a form uses it: after newFormDialog and before fd.show,
//
//	fd.keepDrafts("visit", func() map[string]string { return map[string]string{"resident": id} })
//
// and, once, registers how to open the form again from a draft:
//
//	draftForms["visit"] = func(e *Env, ctx map[string]string, open func(*formDialog)) { ...; open(fd) }
//
// While the dialog is open and changed, its fields (see formValues in
// guard.go) are written to the drafts table every draftEvery, off the event
// thread; however the dialog closes (saved, dropped, unchanged) the draft is
// deleted. At the next start offerDrafts shows what was left, newest first:
// 继续填写 opens the form again with the fields as they were, 丢弃 deletes it.

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// draftEvery is how often an open, changed form is kept.
var draftEvery = 3 * time.Second

// draftForms opens a form again from its draft, by kind: open receives the
// new form's dialog (shown) to fill.
var draftForms = map[string]func(e *Env, ctx map[string]string, open func(*formDialog)){}

// draftBody is what a draft keeps.
type draftBody struct {
	Title  string            `json:"title"`
	Ctx    map[string]string `json:"ctx,omitempty"`
	Fields []fieldValue      `json:"fields"`
}

// formDraft keeps one form dialog's draft.
type formDraft struct {
	fd      *formDialog
	kind    string
	ctx     func() map[string]string
	last    string // the body written last (event thread)
	quit    chan struct{}
	mu      sync.Mutex  // orders the writes of this draft
	dropped atomic.Bool // the form closed: no more writes but the delete
}

// keepDrafts keeps fd as a draft of kind while it is open; ctx (may be nil)
// is what opening it again needs beside its fields (a resident's ID).
func (fd *formDialog) keepDrafts(kind string, ctx func() map[string]string) {
	fd.draft = &formDraft{fd: fd, kind: kind, ctx: ctx, quit: make(chan struct{})}
}

func (d *formDraft) start() {
	e := d.fd.e
	go func() {
		t := time.NewTicker(draftEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				e.onUI(d.tick)
			case <-d.quit:
				return
			case <-e.Ctx.Done():
				return
			}
		}
	}()
}

// tick writes the draft when the form changed since the last write.
func (d *formDraft) tick() {
	fd := d.fd
	if fd.closed {
		return
	}
	if !fd.dirty() {
		if d.last != "" {
			d.last = ""
			d.write("")
		}
		return
	}
	b := draftBody{Title: fd.title, Fields: formValues(fd.body)}
	if d.ctx != nil {
		b.Ctx = d.ctx()
	}
	raw, err := json.Marshal(b)
	if err != nil || string(raw) == d.last {
		return
	}
	d.last = string(raw)
	d.write(d.last)
}

// write keeps body as the draft ("" deletes it), off the event thread.
func (d *formDraft) write(body string) {
	e, kind := d.fd.e, d.kind
	at := now()
	Go(e, func(ctx context.Context) (struct{}, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		if body == "" {
			return struct{}{}, e.Store.DropDraft(ctx, kind)
		}
		if d.dropped.Load() {
			return struct{}{}, nil
		}
		return struct{}{}, e.Store.SaveDraft(ctx, kind, body, at)
	}, func(struct{}, error) {}) // a draft that could not be kept is no reason to interrupt typing
}

// stop ends the keeping and deletes the draft: the form closed.
func (d *formDraft) stop() {
	if d.dropped.Swap(true) {
		return
	}
	close(d.quit)
	d.last = ""
	d.write("")
}

// draftOffer is the question at start (tests press its buttons).
type draftOffer struct {
	dlg            *dialog.CustomDialog
	resume, delete *widget.Button
}

// offerDrafts offers back, one by one, the forms a crash left unsaved.
func offerDrafts(e *Env) {
	Go(e, func(ctx context.Context) ([]data.Draft, error) { return e.Store.Drafts(ctx) },
		func(list []data.Draft, err error) {
			if err == nil {
				e.offerNextDraft(list)
			}
		})
}

func (e *Env) offerNextDraft(list []data.Draft) {
	for len(list) > 0 {
		d, rest := list[0], list[1:]
		var b draftBody
		open := draftForms[d.Kind]
		if open == nil || json.Unmarshal([]byte(d.Body), &b) != nil {
			list = rest
			continue
		}
		o := &draftOffer{}
		msg := widget.NewLabel(fmt.Sprintf(lang.L("上次填写的“%s”没有保存（%s 自动留存）。要继续填写吗？"),
			b.Title, d.SavedAt.Format("2006-01-02 15:04")))
		msg.Wrapping = fyne.TextWrapWord
		o.dlg = dialog.NewCustomWithoutButtons(lang.L("找到未保存的草稿"), msg, e.Win)
		o.delete = widget.NewButton(lang.L("丢弃"), func() {
			o.dlg.Hide()
			e.guard.offer = nil
			kind := d.Kind
			Go(e, func(ctx context.Context) (struct{}, error) { return struct{}{}, e.Store.DropDraft(ctx, kind) },
				func(struct{}, error) { e.offerNextDraft(rest) })
		})
		o.delete.Importance = widget.DangerImportance
		o.resume = widget.NewButton(lang.L("继续填写"), func() {
			o.dlg.Hide()
			e.guard.offer = nil
			open(e, b.Ctx, func(fd *formDialog) {
				setFormValues(fd.body, b.Fields)
				fd.msgs.relayout()
			})
		})
		o.resume.Importance = widget.HighImportance
		o.dlg.SetButtons([]fyne.CanvasObject{o.delete, o.resume})
		e.guard.offer = o
		o.dlg.Resize(fyne.NewSize(460, 180))
		o.dlg.Show()
		return
	}
}
