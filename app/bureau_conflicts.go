package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// conflictPanel shows the conflicts waiting for the bureau as a person reads
// them — the record named, each side's value under who wrote it and when —
// asks before settling, and lists the latest settlements with 撤销. The
// bureau's desk and 数据同步 both show one.
type conflictPanel struct {
	e       *Env
	box     *fyne.Container
	changed func() // after a settlement or an undo
}

func newConflictPanel(e *Env, changed func()) *conflictPanel {
	return &conflictPanel{e: e, box: container.NewVBox(), changed: changed}
}

// conflictState is what the panel shows: open conflicts and recent settlements.
type conflictState struct {
	open, settled []data.Conflict
	total         int // open conflicts in all; more than open holds when there are many
}

// conflictsShown is how many open conflicts the panel lists at once.
const conflictsShown = 50

// loadConflicts reads both lists (off the event thread).
func loadConflicts(ctx context.Context, st *data.Store) (conflictState, error) {
	var s conflictState
	var err error
	if s.open, err = st.Conflicts(ctx, false, conflictsShown); err != nil {
		return s, err
	}
	if s.total, err = st.OpenConflictCount(ctx); err != nil {
		return s, err
	}
	all, err := st.Conflicts(ctx, true, 60)
	for _, c := range all {
		if c.Settled && now().Sub(c.SettledAt) < 7*24*time.Hour && len(s.settled) < 10 {
			s.settled = append(s.settled, c)
		}
	}
	return s, err
}

func conflictStamp(name string, at time.Time) string {
	return fmt.Sprintf("%s，%s", lang.L(name), at.Format("2006-01-02 15:04"))
}

func wrapped(s string, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *conflictPanel) show(s conflictState) {
	p.box.Objects = nil
	if len(s.open) == 0 {
		p.box.Add(widget.NewLabel(lang.L("没有待裁定的冲突。")))
	}
	if s.total > len(s.open) {
		p.box.Add(widget.NewLabel(fmt.Sprintf(lang.L("共 %d 条待裁定，先列出最新的 %d 条；裁定后其余的依次列出。"), s.total, len(s.open))))
	}
	for _, c := range s.open {
		p.box.Add(p.card(c))
	}
	if len(s.settled) > 0 {
		p.box.Add(widget.NewLabelWithStyle(lang.L("最近的裁定"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, c := range s.settled {
		c := c
		kept := c.WinnerName
		if c.Choice == "loser" {
			kept = c.LoserName
		}
		line := wrapped(fmt.Sprintf(lang.L("%s：%s——保留了%s的版本（%s）"), lang.L(c.KindLabel), c.Summary, lang.L(kept),
			conflictStamp(c.SettledBy, c.SettledAt)), false)
		undo := widget.NewButtonWithIcon(lang.L("撤销"), theme.ContentUndoIcon(), func() { p.undo(c) })
		p.box.Add(container.NewBorder(nil, nil, nil, undo, line))
	}
	p.box.Refresh()
}

// card is one open conflict: what record, who changed it, the differing
// fields side by side, and the two choices.
func (p *conflictPanel) card(c data.Conflict) fyne.CanvasObject {
	title := fmt.Sprintf(lang.L("%s：%s"), lang.L(c.KindLabel), c.Summary)
	sub := fmt.Sprintf(lang.L("%s 与 %s 都修改了这条记录；现按 %s 的版本保存，另一方的内容保留在这里。"), lang.L(c.WinnerName), lang.L(c.LoserName), lang.L(c.WinnerName))
	if c.Reason == "duplicate" {
		sub = fmt.Sprintf(lang.L("%s 送来的记录与已有记录重复（如同一身份证号）：请与站点核实后处理。"), lang.L(c.LoserName))
	}
	grid := container.NewGridWithColumns(3, wrapped(lang.L("项目"), true),
		wrapped(fmt.Sprintf(lang.L("现值（%s）"), conflictStamp(c.WinnerName, c.WinnerAt)), true),
		wrapped(fmt.Sprintf(lang.L("另一方（%s）"), conflictStamp(c.LoserName, c.LoserAt)), true))
	for _, f := range c.Fields {
		grid.Add(wrapped(lang.L(f.Label), false))
		grid.Add(wrapped(f.Current, false))
		grid.Add(wrapped(f.Loser, false))
	}
	keep := widget.NewButtonWithIcon(fmt.Sprintf(lang.L("保留%s的版本"), lang.L(c.WinnerName)), theme.ConfirmIcon(), func() { p.ask(c, false) })
	take := widget.NewButtonWithIcon(fmt.Sprintf(lang.L("改用%s的版本"), lang.L(c.LoserName)), theme.ViewRefreshIcon(), func() { p.ask(c, true) })
	if c.Reason == "duplicate" {
		take.Hide()
		keep.SetText(lang.L("已人工处理"))
	}
	return widget.NewCard("", "", container.NewVBox(wrapped(title, true), wrapped(sub, false), grid, buttonRow(keep, take)))
}

// ask confirms a settlement before making it.
func (p *conflictPanel) ask(c data.Conflict, takeLoser bool) {
	kept, lost := c.WinnerName, c.LoserName
	if takeLoser {
		kept, lost = c.LoserName, c.WinnerName
	}
	msg := fmt.Sprintf(lang.L("保留%s的版本，%s的修改不再采用。\n%s：%s\n裁定结果随下一个同步包告知站点；裁定后仍可撤销。"), lang.L(kept), lang.L(lost), lang.L(c.KindLabel), c.Summary)
	d := dialog.NewConfirm(lang.L("确认裁定"), msg, func(ok bool) {
		if ok {
			p.settle(c.N, takeLoser)
		}
	}, p.e.Win)
	d.SetConfirmText(lang.L("确认"))
	d.SetDismissText(lang.L("返回"))
	d.Show()
}

func (p *conflictPanel) settle(n int64, takeLoser bool) {
	saveOff(p.e, func(ctx context.Context) error {
		return p.e.Store.SettleConflict(data.WithActor(ctx, bureauActor(p.e)), n, takeLoser, bureauActor(p.e))
	}, func(err error) {
		if err != nil {
			p.e.ShowError(err)
		}
		p.changed()
	})
}

func (p *conflictPanel) undo(c data.Conflict) {
	saveOff(p.e, func(ctx context.Context) error {
		return p.e.Store.UndoSettlement(data.WithActor(ctx, bureauActor(p.e)), c.N)
	}, func(err error) {
		if err != nil {
			p.e.ShowError(err)
		}
		p.changed()
	})
}
