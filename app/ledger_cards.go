package app

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// cardsView is the 工作牌 tab: every active officer with a button to print
// their duty card and an optional photo, and a preview of the chosen card.
type cardsView struct {
	e        *Env
	content  fyne.CanvasObject
	list     *fyne.Container
	preview  *fyne.Container
	holder   *fyne.Container // centres the preview
	cards    []data.DutyCard
	selected string // officer ID previewed
}

func newCardsView(e *Env) *cardsView {
	v := &cardsView{e: e, list: container.NewVBox(), preview: container.NewStack()}
	v.holder = container.NewCenter(v.preview)
	all := widget.NewButtonWithIcon(lang.L("打印全部工作牌"), theme.DocumentPrintIcon(), func() { v.askPrint(lang.L("工作牌"), nil) })
	all.Importance = widget.HighImportance
	hint := widget.NewLabel(lang.L("工作牌挂在窗口和服务大厅，群众一看就知道谁为他服务。"))
	hint.Wrapping = fyne.TextWrapWord
	top := container.NewBorder(nil, nil, nil, all, hint)
	left := container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(v.list))
	right := card(lang.L("预览"), lang.L("打印在 A6 纸上，放入胸牌或桌牌"), v.holder)
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	v.content = split
	return v
}

func (v *cardsView) load() {
	Go(v.e, func(ctx context.Context) ([]data.DutyCard, error) { return v.e.Store.DutyCards(ctx) }, func(cards []data.DutyCard, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		v.cards = cards
		v.list.Objects = nil
		found := false
		for _, c := range cards {
			v.list.Add(v.row(c))
			found = found || c.Officer.ID == v.selected
		}
		if len(cards) == 0 {
			v.list.Add(widget.NewLabel(lang.L("还没有在岗的工作人员。")))
		}
		v.list.Refresh()
		if !found && len(cards) > 0 {
			v.selected = cards[0].Officer.ID
		}
		v.showPreview()
	})
}

func (v *cardsView) row(c data.DutyCard) fyne.CanvasObject {
	o := c.Officer
	id := o.ID
	name := widget.NewButton(o.Name, func() { v.selected = id; v.showPreview() })
	name.Importance = widget.LowImportance
	info := o.Role
	if o.Phone != "" {
		info += " · " + data.MaskPhone(o.Phone)
	}
	if len(c.Matters) > 0 {
		info += " · " + fmt.Sprintf(lang.L("经办 %d 项"), len(c.Matters))
	}
	photo := lang.L("添加照片")
	if c.Photo != nil {
		photo = lang.L("更换照片")
	}
	printBtn := widget.NewButtonWithIcon(lang.L("打印工作牌"), theme.DocumentPrintIcon(), func() { v.askPrint(lang.L("工作牌")+"-"+o.Name, []string{id}) })
	photoBtn := widget.NewButtonWithIcon(photo, theme.MediaPhotoIcon(), func() { v.askPhoto(id) })
	return container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(name, widget.NewLabel(info)), container.NewHBox(photoBtn, printBtn)), widget.NewSeparator())
}

// showPreview draws the selected officer's card roughly as it prints.
func (v *cardsView) showPreview() {
	v.preview.Objects = nil
	for _, c := range v.cards {
		if c.Officer.ID == v.selected {
			v.preview.Objects = []fyne.CanvasObject{dutyCardPreview(c)}
		}
	}
	v.preview.Refresh()
	v.holder.Refresh()
}

var dutyCardRed = color.NRGBA{R: 180, G: 30, B: 30, A: 255}

func dutyCardPreview(c data.DutyCard) fyne.CanvasObject {
	const w, h = 444, 315 // A6 landscape, 3 px per mm
	bg := canvas.NewRectangle(color.White)
	bg.StrokeColor, bg.StrokeWidth = dutyCardRed, 3
	band := canvas.NewRectangle(dutyCardRed)
	band.SetMinSize(fyne.NewSize(w, 42))
	station := canvas.NewText(c.Station, color.White)
	station.TextSize, station.TextStyle, station.Alignment = 20, fyne.TextStyle{Bold: true}, fyne.TextAlignCenter
	var photo fyne.CanvasObject
	if c.Photo != nil {
		img := canvas.NewImageFromReader(bytes.NewReader(c.Photo), "photo")
		img.FillMode = canvas.ImageFillContain
		photo = img
	} else {
		frame := canvas.NewRectangle(color.White)
		frame.StrokeColor, frame.StrokeWidth = color.Gray{Y: 160}, 1
		t := canvas.NewText(lang.L("照片"), color.Gray{Y: 150})
		t.Alignment = fyne.TextAlignCenter
		photo = container.NewStack(frame, container.NewCenter(t))
	}
	black := color.Black
	name := canvas.NewText(c.Officer.Name, black)
	name.TextSize, name.TextStyle = 32, fyne.TextStyle{Bold: true}
	lines := container.NewVBox(name, dutyCardLine(lang.L("职务：")+c.Officer.Role, 16))
	if c.Officer.Phone != "" {
		lines.Add(dutyCardLine(lang.L("电话：")+data.MaskPhone(c.Officer.Phone), 16))
	}
	duties := strings.TrimSpace(c.Officer.Duties)
	if len(c.Matters) > 0 {
		if duties != "" {
			duties += "；"
		}
		duties += lang.L("经办：") + strings.Join(c.Matters, "、")
	}
	if duties != "" {
		for i, l := range dutyCardWrap(lang.L("职责：")+duties, 13, 270) {
			if i == 4 {
				break
			}
			lines.Add(dutyCardLine(l, 13))
		}
	}
	foot := canvas.NewText(lang.L("有事请找我　竭诚为您服务"), dutyCardRed)
	foot.TextSize, foot.Alignment = 14, fyne.TextAlignCenter
	body := container.NewWithoutLayout(photo, lines)
	photo.Move(fyne.NewPos(30, 70))
	photo.Resize(fyne.NewSize(90, 120))
	lines.Move(fyne.NewPos(144, 62))
	lines.Resize(fyne.NewSize(w-170, 200))
	card := container.NewStack(bg, container.NewBorder(container.NewStack(band, station), container.NewPadded(foot), nil, nil, body))
	return container.NewGridWrap(fyne.NewSize(w, h), card)
}

// dutyCardWrap breaks s into lines no wider than width (between any two characters).
func dutyCardWrap(s string, size, width float32) []string {
	var out []string
	rs := []rune(s)
	for start := 0; start < len(rs); {
		end := start + 1
		for end < len(rs) && fyne.MeasureText(string(rs[start:end+1]), size, fyne.TextStyle{}).Width <= width {
			end++
		}
		out = append(out, string(rs[start:end]))
		start = end
	}
	return out
}

// dutyCardLine is black text on the white card, cut to fit its width.
func dutyCardLine(s string, size float32) fyne.CanvasObject {
	t := canvas.NewText(s, color.Black)
	t.TextSize = size
	for len([]rune(t.Text)) > 1 && fyne.MeasureText(t.Text, size, t.TextStyle).Width > 270 {
		t.Text = string([]rune(t.Text)[:len([]rune(t.Text))-2]) + "…"
	}
	return t
}

func (v *cardsView) askPrint(name string, ids []string) {
	chooseSave(v.e, name+".pdf", func(path string) { v.printTo(path, ids) })
}

func (v *cardsView) printTo(path string, ids []string) {
	Go(v.e, func(ctx context.Context) (int, error) { return v.e.Store.DutyCardsPDF(ctx, path, ids...) }, func(n int, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		showSaved(v.e, lang.L("工作牌已生成"), fmt.Sprintf(lang.L("%d 张工作牌"), n), path)
	})
}

func (v *cardsView) askPhoto(id string) {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		Go(v.e, func(ctx context.Context) (struct{}, error) {
			defer r.Close()
			b, err := io.ReadAll(io.LimitReader(r, 4<<20))
			if err != nil {
				return struct{}{}, err
			}
			return struct{}{}, v.e.Store.SetOfficerPhoto(ctx, id, b)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.e.ShowError(err)
				return
			}
			v.load()
		})
	}, v.e.Win)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg"}))
	dlg.Show()
}
