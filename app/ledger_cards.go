package app

import (
	"context"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// cardsView is the 工作牌 tab: every active officer with a button to print
// their duty card, and an optional photo.
type cardsView struct {
	e       *Env
	content fyne.CanvasObject
	list    *fyne.Container
	cards   []data.DutyCard
}

func newCardsView(e *Env) *cardsView {
	v := &cardsView{e: e, list: container.NewVBox()}
	all := widget.NewButtonWithIcon(lang.L("打印全部工作牌"), theme.DocumentPrintIcon(), func() { v.askPrint(lang.L("工作牌"), nil) })
	all.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, widget.NewLabel(lang.L("工作牌挂在窗口和服务大厅，群众一看就知道谁为他服务。")), all)
	v.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(v.list))
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
		for _, c := range cards {
			v.list.Add(v.row(c))
		}
		if len(cards) == 0 {
			v.list.Add(widget.NewLabel(lang.L("还没有在岗的工作人员。")))
		}
		v.list.Refresh()
	})
}

func (v *cardsView) row(c data.DutyCard) fyne.CanvasObject {
	o := c.Officer
	name := widget.NewLabelWithStyle(o.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	info := fmt.Sprintf("%s · %s", o.Role, c.Station)
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
	id := o.ID
	printBtn := widget.NewButtonWithIcon(lang.L("打印工作牌"), theme.DocumentPrintIcon(), func() { v.askPrint(lang.L("工作牌")+"-"+o.Name, []string{id}) })
	photoBtn := widget.NewButtonWithIcon(photo, theme.MediaPhotoIcon(), func() { v.askPhoto(id) })
	return container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(name, widget.NewLabel(info)), container.NewHBox(photoBtn, printBtn)), widget.NewSeparator())
}

func (v *cardsView) askPrint(name string, ids []string) {
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		v.printTo(path, ids)
	}, v.e.Win)
	dlg.SetFileName(name + ".pdf")
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	dlg.Show()
}

func (v *cardsView) printTo(path string, ids []string) {
	Go(v.e, func(ctx context.Context) (int, error) { return v.e.Store.DutyCardsPDF(ctx, path, ids...) }, func(n int, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		dialog.ShowInformation(lang.L("工作牌已生成"), fmt.Sprintf(lang.L("%d 张工作牌：%s"), n, path), v.e.Win)
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
