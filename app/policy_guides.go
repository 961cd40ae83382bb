package app

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// guideTab is 办事指南: the matters on the left, the chosen one as a flow chart.
type guideTab struct {
	e      *Env
	root   fyne.CanvasObject
	list   *widget.List
	guides []data.ServiceGuide
	view   *fyne.Container
	chart  *flowChart
	loaded bool
	form   *formDialog // the open guide form, for tests
}

func newGuideTab(e *Env) *guideTab {
	g := &guideTab{e: e}
	g.list = widget.NewList(func() int { return len(g.guides) },
		func() fyne.CanvasObject { return widget.NewLabel("城乡居民养老保险待遇领取资格认证") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(g.guides[i].Matter) })
	g.list.OnSelected = func(i widget.ListItemID) { g.show(g.guides[i]) }
	hint := widget.NewLabel(lang.L("在左侧选择一个办理事项，查看办事流程图。"))
	hint.Wrapping = fyne.TextWrapWord
	g.view = container.NewStack(hint)
	add := widget.NewButtonWithIcon(lang.L("新建办事指南"), theme.ContentAddIcon(), func() { g.edit(data.ServiceGuide{}) })
	split := container.NewHSplit(container.NewBorder(nil, add, nil, nil, g.list), g.view)
	split.Offset = 0.25
	g.root = split
	return g
}

func (g *guideTab) load() {
	if g.loaded {
		return
	}
	g.loaded = true
	g.reload("")
}

// reload reads the guides again and selects the one with id (or the first).
func (g *guideTab) reload(id string) {
	Go(g.e, func(ctx context.Context) ([]data.ServiceGuide, error) { return g.e.Store.ServiceGuides(ctx) },
		func(gs []data.ServiceGuide, err error) {
			if err != nil {
				g.e.ShowError(err)
				return
			}
			g.guides = gs
			g.list.UnselectAll()
			g.list.Refresh()
			pick := 0
			for i, sg := range gs {
				if sg.ID == id {
					pick = i
				}
			}
			if len(gs) > 0 {
				g.list.Select(pick)
			}
		})
}

func (g *guideTab) show(sg data.ServiceGuide) {
	g.chart = newFlowChart(sg.Steps)
	info := container.NewVBox()
	section := func(title string, lines ...string) {
		h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.Importance = widget.HighImportance
		info.Add(h)
		for _, l := range lines {
			lb := widget.NewLabel(l)
			lb.Wrapping = fyne.TextWrapWord
			info.Add(lb)
		}
	}
	mats := make([]string, len(sg.Materials))
	for i, m := range sg.Materials {
		mats[i] = "☐ " + m
	}
	if len(mats) == 0 {
		mats = []string{lang.L("无需材料")}
	}
	section(lang.L("所需材料"), mats...)
	section(lang.L("办理地点"), guideDash(sg.Location))
	section(lang.L("办理时限"), guideDash(sg.TimeLimit))
	who := []string{guideDash(sg.Officer)}
	if sg.Phone != "" {
		who = append(who, lang.L("电话：")+sg.Phone)
	}
	section(lang.L("责任人"), who...)
	id := sg.ID
	printBtn := widget.NewButtonWithIcon(lang.L("打印流程图"), theme.DocumentPrintIcon(), func() {
		printDoc(g.e, sg.Matter+"-办事流程图.pdf", lang.L("办事流程图"), func(ctx context.Context, path string) error {
			return g.e.Store.ServiceGuidePDF(ctx, id, path)
		})
	})
	printBtn.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(sg.Matter+" "+lang.L("办事流程图"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	editBtn := widget.NewButtonWithIcon(lang.L("编辑"), theme.DocumentCreateIcon(), func() { g.edit(sg) })
	side := container.NewBorder(nil, container.NewGridWithColumns(2, editBtn, printBtn), nil, nil, container.NewVScroll(info))
	body := container.NewBorder(title, nil, nil, nil,
		container.NewHSplit(container.NewVScroll(container.NewPadded(g.chart)), container.NewPadded(side)))
	if s, ok := body.Objects[0].(*container.Split); ok {
		s.Offset = 0.64
	}
	g.view.Objects = []fyne.CanvasObject{body}
	g.view.Refresh()
}

func guideDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// flowChart draws a guide's steps as numbered boxes joined by arrows, with
// canvas rectangles, lines and text.
type flowChart struct {
	widget.BaseWidget
	steps []data.GuideStep
}

func newFlowChart(steps []data.GuideStep) *flowChart {
	f := &flowChart{steps: steps}
	f.ExtendBaseWidget(f)
	return f
}

const (
	flowBoxH  = 66
	flowGap   = 30
	flowMaxW  = 560
	flowBadge = 30
)

type flowStep struct {
	box          *canvas.Rectangle
	badge        *canvas.Circle
	num          *canvas.Text
	name, detail *canvas.Text
	line         *canvas.Line
	headL, headR *canvas.Line
}

type flowRenderer struct {
	f     *flowChart
	steps []flowStep
	objs  []fyne.CanvasObject
}

func (f *flowChart) CreateRenderer() fyne.WidgetRenderer {
	r := &flowRenderer{f: f}
	for i, s := range f.steps {
		fs := flowStep{
			box:    canvas.NewRectangle(color.Transparent),
			badge:  canvas.NewCircle(color.Transparent),
			num:    canvas.NewText(fmt.Sprint(i+1), color.White),
			name:   canvas.NewText(s.Name, color.Black),
			detail: canvas.NewText(s.Detail, color.Black),
		}
		fs.num.TextStyle.Bold = true
		fs.num.Alignment = fyne.TextAlignCenter
		fs.name.TextStyle.Bold = true
		fs.box.CornerRadius = 10
		fs.box.StrokeWidth = 2
		r.objs = append(r.objs, fs.box, fs.badge, fs.num, fs.name, fs.detail)
		if i < len(f.steps)-1 {
			fs.line, fs.headL, fs.headR = canvas.NewLine(color.Black), canvas.NewLine(color.Black), canvas.NewLine(color.Black)
			for _, l := range []*canvas.Line{fs.line, fs.headL, fs.headR} {
				l.StrokeWidth = 2.5
				r.objs = append(r.objs, l)
			}
		}
		r.steps = append(r.steps, fs)
	}
	r.Refresh()
	return r
}

func (r *flowRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *flowRenderer) Destroy()                     {}

func (r *flowRenderer) MinSize() fyne.Size {
	n := float32(len(r.steps))
	return fyne.NewSize(360, n*flowBoxH+max(0, n-1)*flowGap)
}

func (r *flowRenderer) Layout(size fyne.Size) {
	w := min(size.Width, flowMaxW)
	x := (size.Width - w) / 2
	y := float32(0)
	for _, s := range r.steps {
		s.box.Move(fyne.NewPos(x, y))
		s.box.Resize(fyne.NewSize(w, flowBoxH))
		bx, by := x+14, y+(flowBoxH-flowBadge)/2
		s.badge.Move(fyne.NewPos(bx, by))
		s.badge.Resize(fyne.NewSize(flowBadge, flowBadge))
		ns := s.num.MinSize()
		s.num.Move(fyne.NewPos(bx, by+(flowBadge-ns.Height)/2))
		s.num.Resize(fyne.NewSize(flowBadge, ns.Height))
		tx := bx + flowBadge + 14
		s.name.Move(fyne.NewPos(tx, y+9))
		s.detail.Move(fyne.NewPos(tx, y+9+s.name.MinSize().Height+2))
		if s.line != nil {
			cx := x + w/2
			top, bottom := y+flowBoxH+2, y+flowBoxH+flowGap-2
			s.line.Position1, s.line.Position2 = fyne.NewPos(cx, top), fyne.NewPos(cx, bottom)
			s.headL.Position1, s.headL.Position2 = fyne.NewPos(cx-7, bottom-8), fyne.NewPos(cx, bottom)
			s.headR.Position1, s.headR.Position2 = fyne.NewPos(cx+7, bottom-8), fyne.NewPos(cx, bottom)
		}
		y += flowBoxH + flowGap
	}
}

func (r *flowRenderer) Refresh() {
	primary := theme.Color(theme.ColorNamePrimary)
	fg := theme.Color(theme.ColorNameForeground)
	bg := theme.Color(theme.ColorNameInputBackground)
	size := theme.TextSize()
	for i, s := range r.steps {
		s.box.StrokeColor = primary
		s.box.FillColor = bg
		if i == 0 || i == len(r.steps)-1 {
			s.box.FillColor = theme.Color(theme.ColorNameHover)
		}
		s.badge.FillColor = primary
		s.num.TextSize = size
		s.name.Color, s.name.TextSize = fg, size*1.15
		s.detail.Color, s.detail.TextSize = fg, size*0.92
		for _, l := range []*canvas.Line{s.line, s.headL, s.headR} {
			if l != nil {
				l.StrokeColor = primary
			}
		}
		for _, o := range []fyne.CanvasObject{s.box, s.badge, s.num, s.name, s.detail} {
			o.Refresh()
		}
		if s.line != nil {
			s.line.Refresh()
			s.headL.Refresh()
			s.headR.Refresh()
		}
	}
}

// edit opens the form of a guide (a new one when sg has no ID). Steps are
// typed one per line as "名称：说明".
func (g *guideTab) edit(sg data.ServiceGuide) {
	matter := widget.NewEntry()
	matter.SetText(sg.Matter)
	steps := widget.NewMultiLineEntry()
	steps.SetPlaceHolder(lang.L("每行一步，例如：提交申请：持身份证到窗口填写申请表"))
	steps.SetMinRowsVisible(6)
	var lines []string
	for _, st := range sg.Steps {
		if st.Detail != "" {
			lines = append(lines, st.Name+"："+st.Detail)
		} else {
			lines = append(lines, st.Name)
		}
	}
	steps.SetText(strings.Join(lines, "\n"))
	mats := widget.NewMultiLineEntry()
	mats.SetPlaceHolder(lang.L("每行一项"))
	mats.SetText(strings.Join(sg.Materials, "\n"))
	mats.SetMinRowsVisible(3)
	location, limit := widget.NewEntry(), widget.NewEntry()
	location.SetText(sg.Location)
	limit.SetText(sg.TimeLimit)
	officer, phone := widget.NewEntry(), widget.NewEntry()
	officer.SetText(sg.Officer)
	phone.SetText(sg.Phone)
	msgs := newFieldMessages(g.e.Win)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("办理事项"), msgs.at(matter, "matter")),
		widget.NewFormItem(lang.L("办理步骤"), msgs.at(steps, "steps")),
		widget.NewFormItem(lang.L("所需材料"), msgs.at(mats, "materials")),
		widget.NewFormItem(lang.L("办理地点"), msgs.at(location, "location")),
		widget.NewFormItem(lang.L("办理时限"), msgs.at(limit, "time_limit")),
		widget.NewFormItem(lang.L("责任人"), msgs.at(officer, "officer", "officer_id")),
		widget.NewFormItem(lang.L("电话"), msgs.at(phone, "phone")),
	)
	g.form = newFormDialog(g.e, lang.L("办事指南"), lang.L("保存"), container.NewVScroll(form), msgs, func(done func(error)) {
		sg.Matter, sg.Location, sg.TimeLimit, sg.Officer, sg.Phone = matter.Text, location.Text, limit.Text, officer.Text, phone.Text
		sg.Steps = parseGuideSteps(steps.Text)
		sg.Materials = nil
		for _, m := range strings.Split(mats.Text, "\n") {
			if m = strings.TrimSpace(m); m != "" {
				sg.Materials = append(sg.Materials, m)
			}
		}
		g.save(sg, done)
	}, nil)
	g.form.show(fyne.NewSize(620, 560))
}

// parseGuideSteps reads "名称：说明" lines.
func parseGuideSteps(text string) []data.GuideStep {
	var out []data.GuideStep
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, detail, _ := strings.Cut(strings.Replace(line, ":", "：", 1), "：")
		out = append(out, data.GuideStep{Name: strings.TrimSpace(name), Detail: strings.TrimSpace(detail)})
	}
	return out
}

// save stores sg and shows it; done gets the refusal, nil when saved.
func (g *guideTab) save(sg data.ServiceGuide, done func(error)) {
	Go(g.e, func(ctx context.Context) (string, error) { return sg.ID, g.e.Store.SaveServiceGuide(ctx, &sg) }, func(id string, err error) {
		done(err)
		if err == nil {
			g.reload(id)
		}
	})
}
