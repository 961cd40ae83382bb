package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// searchDelay is how long typing must pause before a search runs.
var searchDelay = 250 * time.Millisecond

// errStale marks a search overtaken by a newer one; its result is dropped.
var errStale = errors.New("stale search")

// policyLibrary is the 政策资料 screen: search, results, the chosen policy.
type policyLibrary struct {
	e    *Env
	root fyne.CanvasObject
	tabs *container.AppTabs

	query    *widget.Entry
	category *widget.Select
	status   *widget.Select
	year     *widget.Select
	years    []int
	count    *widget.Label
	list     *widget.List
	hits     []data.PolicyHit
	seq      atomic.Int64 // number of the latest search; older results are dropped

	detail    *policyDetail
	emptyNote *widget.Label // where policies come from, on an empty library
	guides    *guideTab
}

const (
	allCategories = "全部类别"
	allStatuses   = "全部状态"
	allYears      = "全部年份"
)

func policiesScreen(e *Env) fyne.CanvasObject {
	l := newPolicyLibrary(e)
	e.setView("policies", l)
	return l.root
}

func newPolicyLibrary(e *Env) *policyLibrary {
	l := &policyLibrary{e: e}
	l.query = widget.NewEntry()
	l.query.SetPlaceHolder(lang.L("输入标题、文号、标签或正文中的词，多个词用空格分开"))
	l.query.OnChanged = func(string) { l.search() }
	l.query.OnSubmitted = func(string) { l.search() }

	l.category = widget.NewSelect(append([]string{lang.L(allCategories)}, data.PolicyCategories...), func(string) { l.search() })
	l.category.SetSelectedIndex(0)
	l.status = widget.NewSelect(append([]string{lang.L(allStatuses)}, data.PolicyStatuses...), func(string) { l.search() })
	l.status.SetSelectedIndex(0)
	l.year = widget.NewSelect([]string{lang.L(allYears)}, func(string) { l.search() })
	l.year.SetSelectedIndex(0)
	l.count = widget.NewLabel("")

	l.list = widget.NewList(func() int { return len(l.hits) }, newHitItem, func(i widget.ListItemID, o fyne.CanvasObject) {
		if i < len(l.hits) {
			setHitItem(o, l.hits[i])
		}
	})
	l.list.OnSelected = func(i widget.ListItemID) {
		if i < len(l.hits) {
			l.detail.open(l.hits[i].ID)
		}
	}
	l.detail = newPolicyDetail(e, func(id string) { l.detail.open(id) }, func() { l.search() })

	importBtn := widget.NewButtonWithIcon(lang.L("导入…"), theme.FolderOpenIcon(), nil)
	importBtn.OnTapped = func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem(lang.L("导入文件（.md .txt .docx）…"), l.importFile),
			fyne.NewMenuItem(lang.L("导入整个文件夹…"), l.importFolder))
		widget.ShowPopUpMenuAtRelativePosition(menu, e.Win.Canvas(), fyne.NewPos(0, importBtn.Size().Height), importBtn)
	}
	newBtn := widget.NewButtonWithIcon(lang.L("新建"), theme.ContentAddIcon(), func() { l.askNew() })
	filters := buttonRow(l.category, l.status, l.year, l.count)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(newBtn, importBtn), l.query), filters)
	l.emptyNote = widget.NewLabel(lang.L("政策库里还没有政策。区县人社局下发的政策随同步包到达：在“数据同步”中导入区县人社局发来的同步包即可；本站自己的政策可以点“新建”录入，或用“导入…”读入 Word（.docx）、Markdown 或文本文件。"))
	l.emptyNote.Wrapping = fyne.TextWrapWord
	l.emptyNote.Hide()
	results := container.NewBorder(top, nil, nil, nil, container.NewStack(l.list, container.NewVBox(l.emptyNote)))
	split := container.NewHSplit(results, l.detail.root)
	split.Offset = 0.45

	l.guides = newGuideTab(e)
	l.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("政策库"), theme.SearchIcon(), split),
		container.NewTabItemWithIcon(lang.L("办事指南"), theme.ListIcon(), l.guides.root),
		container.NewTabItemWithIcon(lang.L("发放统计"), theme.DocumentPrintIcon(), newHandoutStats(e)),
	)
	l.tabs.OnSelected = func(t *container.TabItem) {
		if t.Content == l.guides.root {
			l.guides.load()
		}
	}
	l.root = page(lang.L("政策资料"), l.tabs)
	l.loadYears()
	l.runSearch(0)
	return l
}

func (l *policyLibrary) loadYears() {
	Go(l.e, func(ctx context.Context) ([]int, error) { return l.e.Store.PolicyYears(ctx) }, func(ys []int, err error) {
		if err != nil {
			return
		}
		l.years = ys
		opts := []string{lang.L(allYears)}
		for _, y := range ys {
			opts = append(opts, fmt.Sprintf(lang.L("%d年"), y))
		}
		sel := l.year.SelectedIndex()
		l.year.Options = opts
		if sel < 0 || sel >= len(opts) {
			sel = 0
		}
		l.year.SetSelectedIndex(sel)
	})
}

// currentQuery reads the search box and the filters.
func (l *policyLibrary) currentQuery() data.PolicyQuery {
	q := data.PolicyQuery{Text: strings.TrimSpace(l.query.Text), Limit: 200}
	if i := l.category.SelectedIndex(); i > 0 {
		q.Category = data.PolicyCategories[i-1]
	}
	if i := l.status.SelectedIndex(); i > 0 {
		q.Status = data.PolicyStatuses[i-1]
	}
	if i := l.year.SelectedIndex(); i > 0 && i-1 < len(l.years) {
		q.Year = l.years[i-1]
	}
	return q
}

// search runs the query once typing pauses: off the event thread, and
// only the newest search's results are shown.
func (l *policyLibrary) search() { l.runSearch(searchDelay) }

func (l *policyLibrary) runSearch(delay time.Duration) {
	if l.list == nil || l.year == nil {
		return // still building the screen
	}
	mine := l.seq.Add(1)
	q := l.currentQuery()
	Go(l.e, func(ctx context.Context) ([]data.PolicyHit, error) {
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if l.seq.Load() != mine {
			return nil, errStale
		}
		return l.e.Store.SearchPolicies(ctx, q)
	}, func(hits []data.PolicyHit, err error) {
		if mine != l.seq.Load() || errors.Is(err, errStale) {
			return
		}
		if err != nil {
			l.count.SetText(UserMessage(err))
			return
		}
		l.hits = hits
		l.list.UnselectAll()
		l.list.Refresh()
		l.list.ScrollToTop()
		l.emptyNote.Hidden = len(hits) > 0 || strings.TrimSpace(q.Text) != "" || q.Category != "" || q.Status != "" || q.Year != 0
		l.emptyNote.Refresh()
		switch {
		case len(hits) == 0:
			l.count.SetText(lang.L("没有找到"))
		case len(hits) >= q.Limit:
			l.count.SetText(fmt.Sprintf(lang.L("前 %d 条"), len(hits)))
		default:
			l.count.SetText(fmt.Sprintf(lang.L("共 %d 条"), len(hits)))
		}
	})
}

func newHitItem() fyne.CanvasObject {
	title := widget.NewRichText()
	title.Truncation = fyne.TextTruncateEllipsis
	meta := widget.NewRichText()
	meta.Truncation = fyne.TextTruncateEllipsis
	snippet := widget.NewRichText()
	snippet.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(title, meta, snippet)
}

func setHitItem(o fyne.CanvasObject, h data.PolicyHit) {
	box := o.(*fyne.Container)
	title := box.Objects[0].(*widget.RichText)
	title.Segments = markedSegments(h.Title, h.TitleMarks, true)
	title.Refresh()
	meta := box.Objects[1].(*widget.RichText)
	// 文号 (with its matches), then status, category, date and source.
	var segs []widget.RichTextSegment
	if h.DocNo != "" {
		segs = append(markedSegments(h.DocNo, h.DocNoMarks, false), &widget.TextSegment{Text: " · ", Style: metaStyle(widget.RichTextStyleInline)})
	}
	status := widget.RichTextStyleInline
	status.ColorName = theme.ColorNameSuccess
	if !h.InForce {
		status.ColorName = theme.ColorNameError
	}
	status.TextStyle.Bold = true
	segs = append(segs, &widget.TextSegment{Text: lang.L(h.StatusText), Style: status})
	rest := []string{lang.L(h.Category)}
	if h.Effective != "" {
		rest = append(rest, h.Effective)
	}
	if h.Source == data.SourceBureau {
		rest = append(rest, lang.L("区人社局下发"))
	}
	segs = append(segs, &widget.TextSegment{Text: " · " + strings.Join(rest, " · "), Style: metaStyle(widget.RichTextStyleInline)})
	meta.Segments = segs
	meta.Refresh()
	snippet := box.Objects[2].(*widget.RichText)
	snippet.Segments = markedSegments(h.Snippet, h.Marks, false)
	snippet.Refresh()
}

func metaStyle(st widget.RichTextStyle) widget.RichTextStyle {
	st.ColorName = theme.ColorNamePlaceHolder
	return st
}

// markedSegments turns text with highlighted spans into RichText segments:
// the matches bold and in the primary colour.
func markedSegments(text string, marks []data.Span, bold bool) []widget.RichTextSegment {
	rs := []rune(text)
	plain := widget.RichTextStyleInline
	plain.TextStyle.Bold = bold
	hit := widget.RichTextStyleInline
	hit.TextStyle.Bold = true
	hit.ColorName = theme.ColorNamePrimary
	var segs []widget.RichTextSegment
	at := 0
	for _, m := range marks {
		if m.Start < at || m.End > len(rs) || m.Start >= m.End {
			continue
		}
		if m.Start > at {
			segs = append(segs, &widget.TextSegment{Text: string(rs[at:m.Start]), Style: plain})
		}
		segs = append(segs, &widget.TextSegment{Text: string(rs[m.Start:m.End]), Style: hit})
		at = m.End
	}
	if at < len(rs) || len(segs) == 0 {
		segs = append(segs, &widget.TextSegment{Text: string(rs[at:]), Style: plain})
	}
	return segs
}

func (l *policyLibrary) importFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		l.importPaths(path)
	}, l.e.Win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".md", ".markdown", ".txt", ".docx"}))
	d.Show()
}

func (l *policyLibrary) importFolder() {
	dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		l.importPaths(u.Path())
	}, l.e.Win).Show()
}

// importPaths imports files or folders and reports what happened to each.
func (l *policyLibrary) importPaths(paths ...string) {
	Go(l.e, func(ctx context.Context) (data.ImportReport, error) { return l.e.Store.ImportPolicies(ctx, paths...) },
		func(rep data.ImportReport, err error) {
			if err != nil {
				l.e.ShowError(err)
				return
			}
			l.loadYears()
			l.runSearch(0)
			l.showImportReport(rep)
		})
}

func (l *policyLibrary) showImportReport(rep data.ImportReport) {
	summary := widget.NewLabel(fmt.Sprintf(lang.L("新增 %d 份，更新 %d 份，未变 %d 份，失败 %d 份"), rep.Added, rep.Updated, rep.Unchanged, rep.Failed))
	box := container.NewVBox(summary)
	for _, it := range rep.Items {
		if it.Action != data.ImportFailed && it.Reason == "" {
			continue
		}
		name := it.File
		if i := strings.LastIndexAny(name, `/\`); i >= 0 {
			name = name[i+1:]
		}
		line := widget.NewLabel(name + "：" + lang.L(it.Reason))
		line.Wrapping = fyne.TextWrapWord
		if it.Action == data.ImportFailed {
			line.Importance = widget.DangerImportance
		}
		box.Add(line)
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(460, 160))
	dialog.ShowCustom(lang.L("导入结果"), lang.L("关闭"), scroll, l.e.Win)
}

// askNew adds a policy typed in by hand; the rest is filled in its detail view.
func (l *policyLibrary) askNew() *formDialog {
	title, docNo := widget.NewEntry(), widget.NewEntry()
	cat := widget.NewSelect(data.PolicyCategories, nil)
	cat.SetSelected("其他")
	msgs := newFieldMessages(l.e.Win)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("标题"), msgs.at(title, "title")),
		widget.NewFormItem(lang.L("文号"), msgs.at(docNo, "doc_no")),
		widget.NewFormItem(lang.L("类别"), msgs.at(cat, "category")),
	)
	var p data.Policy
	fd := newFormDialog(l.e, lang.L("新建政策"), lang.L("确定"), form, msgs, func(done func(error)) {
		p = data.Policy{Title: title.Text, DocNo: docNo.Text, Category: cat.Selected}
		saveOff(l.e, func(ctx context.Context) error { return l.e.Store.AddPolicy(ctx, &p) }, done)
	}, func() { l.added(p.ID) })
	fd.show(fyne.NewSize(520, 0))
	return fd
}

// added shows a new policy and searches again.
func (l *policyLibrary) added(id string) {
	l.detail.open(id)
	l.loadYears()
	l.runSearch(0)
}
