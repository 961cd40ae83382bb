package app

import (
	"context"
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// figuresView is the 出勤统计 tab: the year's attendance per month as a bar
// chart, and per officer as bars with their counts.
type figuresView struct {
	u       *trainingUI
	cards   []*widget.Card
	f       data.AttendanceFigures
	total   *widget.Label
	months  *fyne.Container
	people  *fyne.Container
	content fyne.CanvasObject
}

func newFiguresView(u *trainingUI) *figuresView {
	v := &figuresView{u: u}
	v.total = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.total.Wrapping = fyne.TextWrapWord
	v.months = container.NewStack()
	v.people = container.NewVBox()
	v.cards = []*widget.Card{
		card(lang.L("各月出勤率"), lang.L("出勤率 = （出席 + 迟到）÷ 登记人次"), v.months),
		card(lang.L("个人出勤"), "", v.people),
	}
	body := container.NewVBox(v.total, v.cards[0], v.cards[1])
	v.content = container.NewVScroll(body)
	return v
}

func (v *figuresView) load() {
	year := v.u.year
	Go(v.u.e, func(ctx context.Context) (data.AttendanceFigures, error) {
		return v.u.e.Store.AttendanceFigures(ctx, year)
	},
		func(f data.AttendanceFigures, err error) {
			if err != nil {
				v.u.e.ShowError(err)
				return
			}
			if year != v.u.year {
				return
			}
			v.f = f
			v.show()
		})
}

func (v *figuresView) show() {
	f := v.f
	v.total.SetText(fmt.Sprintf(lang.L("%d年：举行培训 %d 场，登记 %d 人次，出勤率 %d%%，请假 %d 人次，缺席 %d 人次"),
		f.Year, f.Total.Sessions, f.Total.Recorded, trPercent(f.Total.Rate), f.Total.Leave, f.Total.Absent))
	bars := make([]trBar, len(f.Months))
	for i, m := range f.Months {
		bars[i] = trBar{label: fmt.Sprintf(lang.L("%d月"), i+1), value: m.Rate, empty: m.Sessions == 0}
		if m.Sessions > 0 {
			bars[i].note = fmt.Sprintf("%d%%", trPercent(m.Rate))
		}
	}
	v.months.Objects = []fyne.CanvasObject{trColumnChart(bars)}
	v.months.Refresh()
	v.people.Objects = nil
	if len(f.Officers) == 0 {
		v.people.Objects = append(v.people.Objects, widget.NewLabel(lang.L("这一年还没有登记出勤。")))
	}
	for _, o := range f.Officers {
		name := widget.NewLabelWithStyle(o.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		who := container.NewGridWrap(fyne.NewSize(200, 36), container.NewHBox(name, widget.NewLabel(o.Role)))
		detail := widget.NewLabel(fmt.Sprintf(lang.L("%d%%  场次 %d，迟到 %d，请假 %d，缺席 %d"), trPercent(o.Rate), o.Sessions, o.Late, o.Leave, o.Absent))
		bar := trRateBar(o.Rate, fyne.NewSize(260, 18))
		v.people.Objects = append(v.people.Objects, container.NewBorder(nil, nil, container.NewHBox(who, container.NewCenter(bar)), nil, detail))
	}
	v.people.Refresh()
	for _, c := range v.cards {
		c.Refresh()
	}
	v.content.Refresh()
}

// trRateColor is green for good attendance, amber for middling, red for poor.
func trRateColor(r float64) color.Color {
	switch {
	case r >= 0.9:
		return color.NRGBA{R: 0x2e, G: 0x9d, B: 0x4f, A: 0xff}
	case r >= 0.7:
		return color.NRGBA{R: 0xe0, G: 0x9a, B: 0x1f, A: 0xff}
	}
	return color.NRGBA{R: 0xd0, G: 0x3b, B: 0x3b, A: 0xff}
}

// trFracLayout sizes the second object to a fraction of the first (the track),
// from the bottom (vertical) or the left.
type trFracLayout struct {
	frac     float32
	vertical bool
	min      fyne.Size
}

func (l *trFracLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
	f := max(0, min(1, l.frac))
	if l.vertical {
		h := size.Height * f
		objs[1].Move(fyne.NewPos(0, size.Height-h))
		objs[1].Resize(fyne.NewSize(size.Width, h))
		return
	}
	objs[1].Move(fyne.NewPos(0, 0))
	objs[1].Resize(fyne.NewSize(size.Width*f, size.Height))
}

func (l *trFracLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.min }

// trRateBar is a horizontal bar: a grey track with the rate filled in.
func trRateBar(r float64, size fyne.Size) fyne.CanvasObject {
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	track.CornerRadius = 3
	fill := canvas.NewRectangle(trRateColor(r))
	fill.CornerRadius = 3
	return container.New(&trFracLayout{frac: float32(r), min: size}, track, fill)
}

// trBar is one column of a column chart.
type trBar struct {
	label, note string
	value       float64 // 0..1
	empty       bool    // nothing held: no bar, a dash
}

// trColumnChart draws columns of rates with canvas rectangles, a note above
// each and its label below.
func trColumnChart(bars []trBar) fyne.CanvasObject {
	cols := container.NewGridWithColumns(len(bars))
	for _, b := range bars {
		track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		fill := canvas.NewRectangle(trRateColor(b.value))
		if b.empty {
			fill.FillColor = color.Transparent
		}
		column := container.New(&trFracLayout{frac: float32(b.value), vertical: true, min: fyne.NewSize(24, 160)}, track, fill)
		note := b.note
		if b.empty {
			note = "–"
		}
		top := canvas.NewText(note, theme.Color(theme.ColorNameForeground))
		top.Alignment = fyne.TextAlignCenter
		top.TextSize = theme.CaptionTextSize() + 2
		bottom := canvas.NewText(b.label, theme.Color(theme.ColorNameForeground))
		bottom.Alignment = fyne.TextAlignCenter
		cols.Add(container.NewBorder(top, bottom, nil, nil, container.NewPadded(column)))
	}
	return cols
}
