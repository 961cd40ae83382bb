package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// liaisonView is the 联系乡镇 tab. At the bureau: each cadre's stations and
// visits this year, the stations they keep in touch with, and the visit
// form. At a station: the bureau cadres' visits to it.
type liaisonView struct {
	e       *Env
	content *fyne.Container

	cadres   *fyne.Container
	visits   *fyne.Container
	officers []data.Officer
	stations []data.LiaisonStation

	cadre, station                      *widget.Select
	date                                *widget.Entry
	discussed, problems, help, followup *widget.Entry
	save                                *widget.Button
	msg                                 *widget.Label // what was saved
	msgs                                *fieldMessages
}

func newLiaisonView(e *Env) *liaisonView {
	v := &liaisonView{e: e, content: container.NewStack()}
	v.cadres = container.NewVBox()
	v.visits = container.NewVBox()
	v.cadre = widget.NewSelect(nil, nil)
	v.cadre.PlaceHolder = lang.L("选择联系干部")
	v.station = widget.NewSelect(nil, nil)
	v.station.PlaceHolder = lang.L("选择走访的站点")
	v.date = ledgerEntry("2026-11-17")
	v.date.SetText(now().Format("2006-01-02"))
	v.discussed = ledgerMulti(lang.L("交流了哪些工作"), 2)
	v.problems = ledgerMulti(lang.L("发现的问题"), 2)
	v.help = ledgerMulti(lang.L("帮助解决了什么"), 2)
	v.followup = ledgerMulti(lang.L("需要后续跟进的事"), 2)
	v.msg = ledgerMessage()
	v.msgs = newFieldMessages(e.Win)
	v.save = widget.NewButtonWithIcon(lang.L("登记走访"), theme.DocumentSaveIcon(), v.doSave)
	v.save.Importance = widget.HighImportance
	return v
}

func (v *liaisonView) bureau() bool { return v.e.Ident.Role == data.RoleBureau }

type liaisonData struct {
	officers []data.Officer
	stations []data.LiaisonStation
	summary  []data.CadreLiaison
	visits   []data.LiaisonVisit
}

func (v *liaisonView) load() {
	year := now().Year()
	Go(v.e, func(ctx context.Context) (liaisonData, error) {
		var d liaisonData
		var err error
		if d.officers, err = v.e.Store.Officers(ctx, true); err != nil {
			return d, err
		}
		if d.stations, err = v.e.Store.LiaisonStations(ctx); err != nil {
			return d, err
		}
		if d.summary, err = v.e.Store.LiaisonSummary(ctx, year); err != nil {
			return d, err
		}
		d.visits, err = v.e.Store.LiaisonVisits(ctx, "", "")
		return d, err
	}, func(d liaisonData, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		v.show(d, year)
	})
}

func (v *liaisonView) stationName(code string) string {
	for _, s := range v.stations {
		if s.Code == code {
			return s.Name
		}
	}
	return code
}

func (v *liaisonView) show(d liaisonData, year int) {
	v.stations = d.stations
	v.officers = nil
	own := v.e.Ident.Code
	for _, o := range d.officers {
		if o.StationCode == own || o.StationCode == "" {
			v.officers = append(v.officers, o)
		}
	}
	v.visits.Objects = nil
	for _, x := range d.visits {
		v.visits.Add(v.visitRow(x))
	}
	if len(d.visits) == 0 {
		v.visits.Add(widget.NewLabel(lang.L("还没有走访记录。")))
	}
	v.visits.Refresh()
	if !v.bureau() {
		v.content.Objects = []fyne.CanvasObject{container.NewBorder(
			widget.NewLabel(lang.L("区人社局干部到本站走访的记录，随局里发来的数据包更新。")), nil, nil, nil, container.NewVScroll(v.visits))}
		v.content.Refresh()
		return
	}
	// Per cadre: stations covered and visits this year.
	byID := map[string]data.CadreLiaison{}
	for _, c := range d.summary {
		byID[c.OfficerID] = c
	}
	v.cadres.Objects = nil
	var names []string
	for _, o := range v.officers {
		names = append(names, o.Name)
		c := byID[o.ID]
		var st []string
		for _, code := range c.Stations {
			st = append(st, v.stationName(code))
		}
		covered := lang.L("尚未分工")
		if len(st) > 0 {
			covered = strings.Join(st, "、")
		}
		line := widget.NewLabel(fmt.Sprintf(lang.L("联系 %d 个站点：%s；%d年走访 %d 次"), len(st), covered, year, c.Visits))
		line.Wrapping = fyne.TextWrapWord
		off := o
		assign := widget.NewButtonWithIcon(lang.L("分工"), theme.SettingsIcon(), func() { v.openAssign(off, c.Stations) })
		v.cadres.Add(container.NewVBox(container.NewBorder(nil, nil,
			widget.NewLabelWithStyle(fmt.Sprintf("%s（%s）", o.Name, o.Role), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), assign), line, widget.NewSeparator()))
	}
	if len(v.officers) == 0 {
		v.cadres.Add(widget.NewLabel(lang.L("请先在设置中添加局机关干部。")))
	}
	v.cadres.Refresh()
	v.cadre.Options = names
	v.cadre.Refresh()
	var sts []string
	for _, s := range d.stations {
		sts = append(sts, s.Name)
	}
	v.station.Options = sts
	v.station.Refresh()

	m := newFieldMessages(v.e.Win) // the form is built again on every load
	form := widget.NewForm(
		widget.NewFormItem(lang.L("联系干部"), m.at(v.cadre, "officer", "officer_id")),
		widget.NewFormItem(lang.L("走访站点"), m.at(v.station, "station", "station_code")),
		widget.NewFormItem(lang.L("日期"), m.at(v.date, "date")),
		widget.NewFormItem(lang.L("交流内容"), m.at(v.discussed, "discussed")),
		widget.NewFormItem(lang.L("发现问题"), m.at(v.problems, "problems")),
		widget.NewFormItem(lang.L("帮助解决"), m.at(v.help, "help")),
		widget.NewFormItem(lang.L("后续跟进"), m.at(v.followup, "followup")),
	)
	v.msgs = m
	formCard := card(lang.L("登记走访"), lang.L("登记后随下一个数据包发到该站"), container.NewVBox(form, m.status, v.msg, container.NewHBox(layoutSpacer(), v.save)))
	left := container.NewBorder(card(fmt.Sprintf(lang.L("%d年联系情况"), year), "", nil), nil, nil, nil, container.NewVScroll(v.cadres))
	right := container.NewBorder(formCard, nil, nil, nil, container.NewVScroll(v.visits))
	split := container.NewHSplit(left, right)
	split.Offset = 0.4
	v.content.Objects = []fyne.CanvasObject{split}
	v.content.Refresh()
}

func (v *liaisonView) visitRow(x data.LiaisonVisit) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("%s  %s 走访 %s"), x.Date, x.OfficerName, v.stationName(x.StationCode)),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	parts := []string{lang.L("交流：") + x.Discussed}
	if x.Problems != "" {
		parts = append(parts, lang.L("问题：")+x.Problems)
	}
	if x.Help != "" {
		parts = append(parts, lang.L("帮助：")+x.Help)
	}
	if x.Followup != "" {
		parts = append(parts, lang.L("跟进：")+x.Followup)
	}
	body := widget.NewLabel(strings.Join(parts, "\n"))
	body.Wrapping = fyne.TextWrapWord
	return container.NewVBox(title, body, widget.NewSeparator())
}

func (v *liaisonView) doSave() {
	x := data.LiaisonVisit{Date: v.date.Text, Discussed: v.discussed.Text, Problems: v.problems.Text, Help: v.help.Text, Followup: v.followup.Text}
	if i := v.cadre.SelectedIndex(); i >= 0 {
		x.OfficerID = v.officers[i].ID
	}
	if i := v.station.SelectedIndex(); i >= 0 {
		x.StationCode = v.stations[i].Code
	}
	v.msgs.clear()
	Go(v.e, func(ctx context.Context) (data.LiaisonVisit, error) { return x, v.e.Store.AddLiaisonVisit(ctx, &x) }, func(x data.LiaisonVisit, err error) {
		v.msgs.report(err)
		if err != nil {
			v.msg.Hide()
			return
		}
		ledgerSay(v.msg, fmt.Sprintf(lang.L("已登记 %s 走访 %s。"), x.OfficerName, v.stationName(x.StationCode)), false)
		for _, en := range []*widget.Entry{v.discussed, v.problems, v.help, v.followup} {
			en.SetText("")
		}
		v.load()
	})
}

// openAssign lets the bureau tick the stations a cadre keeps in touch with.
func (v *liaisonView) openAssign(o data.Officer, have []string) {
	var checks []*widget.Check
	box := container.NewVBox()
	for _, s := range v.stations {
		c := widget.NewCheck(fmt.Sprintf("%s（%s）", s.Name, s.Code), nil)
		for _, h := range have {
			if h == s.Code {
				c.Checked = true
			}
		}
		checks = append(checks, c)
		box.Add(c)
	}
	if len(v.stations) == 0 {
		box.Add(widget.NewLabel(lang.L("还没有登记站点。请先在数据同步中添加站点。")))
	}
	dialog.ShowCustomConfirm(fmt.Sprintf(lang.L("%s 联系的站点"), o.Name), lang.L("保存"), lang.L("取消"), container.NewVScroll(box), func(ok bool) {
		if !ok {
			return
		}
		var codes []string
		for i, c := range checks {
			if c.Checked {
				codes = append(codes, v.stations[i].Code)
			}
		}
		Go(v.e, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, v.e.Store.AssignStations(ctx, o.ID, codes)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.e.ShowError(err)
				return
			}
			v.load()
		})
	}, v.e.Win)
}
