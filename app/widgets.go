package app

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// heading is a screen's title line.
func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = "headingText"
	return l
}

// page lays a screen out: a heading on top, the body filling the rest.
func page(title string, body fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(container.NewVBox(heading(title), widget.NewSeparator()), nil, nil, nil, body)
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// typingPause returns an OnChanged that calls fn with what was typed once
// typing pauses for searchDelay: the wait runs off the event thread, and a
// newer keystroke drops the older wait.
func typingPause(e *Env, fn func(string)) func(string) {
	var seq atomic.Int64
	return func(s string) {
		mine := seq.Add(1)
		Go(e, func(ctx context.Context) (struct{}, error) {
			select {
			case <-time.After(searchDelay):
				return struct{}{}, nil
			case <-ctx.Done():
				return struct{}{}, ctx.Err()
			}
		}, func(_ struct{}, err error) {
			if err == nil && mine == seq.Load() {
				fn(s)
			}
		})
	}
}

// choiceEntry is a SelectEntry whose list also opens on a click into the
// empty field (a SelectEntry opens it only from its arrow).
type choiceEntry struct {
	widget.SelectEntry
}

func newChoiceEntry(options []string) *choiceEntry {
	c := &choiceEntry{}
	c.ExtendBaseWidget(c)
	c.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	c.SetOptions(options)
	return c
}

// Tapped places the cursor and, while the field is empty, opens the list.
func (c *choiceEntry) Tapped(ev *fyne.PointEvent) {
	c.SelectEntry.Tapped(ev)
	if b, ok := c.ActionItem.(*widget.Button); ok && c.Text == "" && b.OnTapped != nil {
		b.OnTapped()
	}
}
