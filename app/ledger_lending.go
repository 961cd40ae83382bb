package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// lendingView is the 档案外借 tab: the form, the ledger with overdue files
// marked, and the deputy director's weekly review.
type lendingView struct {
	e       *Env
	content fyne.CanvasObject

	holder, unit, borrower, purpose, approved, out, due *widget.Entry
	save, cancel                                        *widget.Button
	editing                                             *data.Lending // entry being corrected, or nil
	formMsg                                             *widget.Label // what was saved
	msgs                                                *fieldMessages

	list    *fyne.Container
	summary *widget.Label
	entries []data.Lending
	shown   []data.Lending // in the order listed

	week       time.Time // Monday of the week under review
	weekLabel  *widget.Label
	weekList   *fyne.Container
	weekItems  []data.Lending
	reviewer   *widget.Entry
	remarks    *widget.Entry
	reviewBtn  *widget.Button
	reviewNote *widget.Label
	reviewMsgs *fieldMessages
}

func newLendingView(e *Env) *lendingView {
	v := &lendingView{e: e, week: data.WeekStart(now())}
	v.holder = ledgerEntry(lang.L("档案所属人姓名"))
	v.unit = ledgerEntry(lang.L("借阅单位"))
	v.borrower = ledgerEntry(lang.L("借阅人"))
	v.purpose = ledgerEntry(lang.L("借阅用途"))
	v.approved = ledgerEntry(lang.L("人才中心主任"))
	v.out = ledgerEntry("2026-11-17")
	v.due = ledgerEntry("2026-12-01")
	v.resetForm()
	v.formMsg = ledgerMessage()
	v.msgs = newFieldMessages(e.Win)
	m := v.msgs
	v.save = widget.NewButtonWithIcon(lang.L("登记外借"), theme.DocumentSaveIcon(), v.doSave)
	v.save.Importance = widget.HighImportance
	v.cancel = widget.NewButton(lang.L("取消修改"), func() { v.stopEditing(); v.formMsg.Hide(); v.msgs.clear() })
	v.cancel.Hide()
	form := container.NewGridWithColumns(2,
		widget.NewForm(
			widget.NewFormItem(lang.L("档案所属人"), m.at(v.holder, "holder_name")),
			widget.NewFormItem(lang.L("借阅单位"), m.at(v.unit, "borrower_unit")),
			widget.NewFormItem(lang.L("借阅人"), m.at(v.borrower, "borrower")),
			widget.NewFormItem(lang.L("借阅用途"), m.at(v.purpose, "purpose"))),
		widget.NewForm(
			widget.NewFormItem(lang.L("审批人"), m.at(v.approved, "approved_by")),
			widget.NewFormItem(lang.L("借出日期"), m.at(v.out, "date_out")),
			widget.NewFormItem(lang.L("应还日期"), m.at(v.due, "date_due"))))
	formCard := card(lang.L("登记外借"), lang.L("须经人才中心主任批准"),
		container.NewVBox(form, m.status, container.NewBorder(nil, nil, nil, container.NewHBox(v.cancel, v.save), v.formMsg)))

	v.list = container.NewVBox()
	v.summary = widget.NewLabel("")
	export := widget.NewButtonWithIcon(lang.L("导出 Excel"), theme.DownloadIcon(), v.askExport)
	listTop := container.NewBorder(nil, nil, nil, export, v.summary)
	left := container.NewBorder(container.NewVBox(formCard, listTop, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(v.list))

	v.weekLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { v.week = v.week.AddDate(0, 0, -7); v.loadWeek() })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.week = v.week.AddDate(0, 0, 7); v.loadWeek() })
	v.weekList = container.NewVBox()
	v.reviewer = ledgerEntry(lang.L("分管副局长姓名"))
	v.remarks = ledgerMulti(lang.L("审核意见（可不填）"), 2)
	v.reviewBtn = widget.NewButtonWithIcon(lang.L("审核完毕"), theme.ConfirmIcon(), v.doReview)
	v.reviewNote = widget.NewLabel("")
	v.reviewNote.Wrapping = fyne.TextWrapWord
	v.reviewMsgs = newFieldMessages(e.Win)
	reviewForm := widget.NewForm(widget.NewFormItem(lang.L("审核人"), v.reviewMsgs.at(v.reviewer, "reviewer")),
		widget.NewFormItem(lang.L("审核意见"), v.reviewMsgs.at(v.remarks, "remarks")))
	right := card(lang.L("每周审核"), lang.L("分管副局长每周审核本周外借登记"),
		container.NewBorder(container.NewBorder(nil, nil, prev, next, v.weekLabel),
			container.NewVBox(widget.NewSeparator(), v.reviewNote, reviewForm, v.reviewMsgs.line(v.reviewBtn, "week"), v.reviewMsgs.status,
				container.NewHBox(layoutSpacer(), widget.NewButtonWithIcon(lang.L("打印周审核表"), theme.DocumentPrintIcon(), v.askSheet), v.reviewBtn)),
			nil, nil, container.NewVScroll(v.weekList)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.6
	v.content = split
	return v
}

func (v *lendingView) resetForm() {
	for _, en := range []*widget.Entry{v.holder, v.unit, v.borrower, v.purpose} {
		en.SetText("")
	}
	today := now()
	v.out.SetText(today.Format("2006-01-02"))
	v.due.SetText(today.AddDate(0, 0, 14).Format("2006-01-02"))
}

type lendingData struct {
	all    []data.Lending
	week   []data.Lending
	review data.LendingReview
	done   bool
}

func (v *lendingView) load() {
	week := v.week
	Go(v.e, func(ctx context.Context) (lendingData, error) {
		var d lendingData
		var err error
		if d.all, err = v.e.Store.Lendings(ctx); err != nil {
			return d, err
		}
		if d.week, err = v.e.Store.WeekLendings(ctx, week); err != nil {
			return d, err
		}
		d.review, d.done, err = v.e.Store.WeekReview(ctx, week)
		return d, err
	}, func(d lendingData, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		v.showList(d.all)
		if week.Equal(v.week) {
			v.showWeek(d)
		}
	})
}

func (v *lendingView) loadWeek() {
	week := v.week
	Go(v.e, func(ctx context.Context) (lendingData, error) {
		var d lendingData
		var err error
		if d.week, err = v.e.Store.WeekLendings(ctx, week); err != nil {
			return d, err
		}
		d.review, d.done, err = v.e.Store.WeekReview(ctx, week)
		return d, err
	}, func(d lendingData, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		if week.Equal(v.week) {
			v.showWeek(d)
		}
	})
}

// lendingStatus is an entry's state in the officer's language.
func lendingStatus(l data.Lending, today time.Time) (string, widget.Importance) {
	switch {
	case l.DateReturned != "":
		return fmt.Sprintf(lang.L("%s 已归还"), l.DateReturned), widget.LowImportance
	case l.Overdue(today):
		return fmt.Sprintf(lang.L("逾期 %d 天未还"), l.DaysOverdue(today)), widget.DangerImportance
	default:
		return lang.L("借出中"), widget.MediumImportance
	}
}

func (v *lendingView) showList(all []data.Lending) {
	v.entries = all
	today := now()
	out, late := 0, 0
	v.list.Objects = nil
	for _, l := range all {
		if l.DateReturned == "" {
			out++
		}
		if l.Overdue(today) {
			late++
		}
	}
	// Overdue files first, longest overdue on top; then the ledger, newest first.
	shown := make([]data.Lending, 0, len(all))
	for _, l := range all {
		if l.Overdue(today) {
			shown = append(shown, l)
		}
	}
	slices.SortStableFunc(shown, func(a, b data.Lending) int { return strings.Compare(a.DateDue, b.DateDue) })
	for _, l := range all {
		if !l.Overdue(today) {
			shown = append(shown, l)
		}
	}
	v.shown = shown
	for i, l := range shown {
		if i == 300 {
			v.list.Add(widget.NewLabel(lang.L("更早的记录请导出 Excel 查看")))
			break
		}
		v.list.Add(v.row(l, today))
	}
	if len(all) == 0 {
		v.list.Add(widget.NewLabel(lang.L("还没有档案外借登记。")))
	}
	v.summary.SetText(fmt.Sprintf(lang.L("共 %d 条，借出未还 %d 份，其中逾期 %d 份"), len(all), out, late))
	v.list.Refresh()
}

func (v *lendingView) row(l data.Lending, today time.Time) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("%s的档案"), l.HolderName), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	detail := widget.NewLabel(fmt.Sprintf(lang.L("%s %s借阅，用途：%s；审批：%s；%s 借出，应还 %s"),
		l.BorrowerUnit, l.Borrower, l.Purpose, l.ApprovedBy, l.DateOut, l.DateDue))
	detail.Wrapping = fyne.TextWrapWord
	text, imp := lendingStatus(l, today)
	status := widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{Bold: imp == widget.DangerImportance})
	status.Importance = imp
	right := container.NewHBox(status)
	entry := l
	right.Add(widget.NewButtonWithIcon(lang.L("修改"), theme.DocumentCreateIcon(), func() { v.edit(entry) }))
	if l.DateReturned == "" {
		id := l.ID
		right.Add(widget.NewButtonWithIcon(lang.L("归还"), theme.ContentUndoIcon(), func() { v.doReturn(id) }))
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, right, title), detail, widget.NewSeparator())
}

// edit puts an entry into the form to correct it.
func (v *lendingView) edit(l data.Lending) {
	v.editing = &l
	v.holder.SetText(l.HolderName)
	v.unit.SetText(l.BorrowerUnit)
	v.borrower.SetText(l.Borrower)
	v.purpose.SetText(l.Purpose)
	v.approved.SetText(l.ApprovedBy)
	v.out.SetText(l.DateOut)
	v.due.SetText(l.DateDue)
	v.save.SetText(lang.L("保存修改"))
	v.cancel.Show()
	ledgerSay(v.formMsg, fmt.Sprintf(lang.L("正在修改 %s 的档案外借登记。"), l.HolderName), false)
}

func (v *lendingView) stopEditing() {
	v.editing = nil
	v.save.SetText(lang.L("登记外借"))
	v.cancel.Hide()
	v.resetForm()
}

func (v *lendingView) doSave() {
	l := data.Lending{HolderName: v.holder.Text, BorrowerUnit: v.unit.Text, Borrower: v.borrower.Text, Purpose: v.purpose.Text,
		ApprovedBy: v.approved.Text, DateOut: v.out.Text, DateDue: v.due.Text}
	if v.editing != nil {
		l.ID, l.DateReturned, l.Notes = v.editing.ID, v.editing.DateReturned, v.editing.Notes
	}
	v.msgs.clear()
	Go(v.e, func(ctx context.Context) (data.Lending, error) { return l, v.e.Store.SaveLending(ctx, &l) }, func(l data.Lending, err error) {
		v.msgs.report(err)
		if err != nil {
			if v.editing == nil {
				v.formMsg.Hide() // the last entry's note no longer applies
			}
			return
		}
		if v.editing != nil {
			ledgerSay(v.formMsg, fmt.Sprintf(lang.L("已保存 %s 的档案外借登记。"), l.HolderName), false)
		} else {
			ledgerSay(v.formMsg, fmt.Sprintf(lang.L("已登记 %s 的档案外借，应于 %s 归还。"), l.HolderName, l.DateDue), false)
		}
		v.stopEditing()
		v.load()
	})
}

func (v *lendingView) doReturn(id string) {
	day := now().Format("2006-01-02")
	Go(v.e, func(ctx context.Context) (struct{}, error) { return struct{}{}, v.e.Store.ReturnLending(ctx, id, day) }, func(_ struct{}, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		v.load()
	})
}

func (v *lendingView) showWeek(d lendingData) {
	v.weekItems = d.week
	sun := v.week.AddDate(0, 0, 6)
	v.weekLabel.SetText(fmt.Sprintf(lang.L("%s 至 %s，外借 %d 份"), v.week.Format("01-02"), sun.Format("01-02"), len(d.week)))
	v.weekList.Objects = nil
	today := now()
	for _, l := range d.week {
		text, imp := lendingStatus(l, today)
		st := widget.NewLabel(text)
		st.Importance = imp
		line := widget.NewLabel(fmt.Sprintf(lang.L("%s  %s：%s %s，%s"), l.DateOut, l.HolderName, l.BorrowerUnit, l.Borrower, l.Purpose))
		line.Wrapping = fyne.TextWrapWord
		v.weekList.Add(container.NewBorder(nil, nil, nil, st, line))
	}
	if len(d.week) == 0 {
		v.weekList.Add(widget.NewLabel(lang.L("这一周没有档案外借。")))
	}
	v.weekList.Refresh()
	if d.done {
		v.reviewNote.Importance = widget.SuccessImportance
		v.reviewNote.SetText(fmt.Sprintf(lang.L("已由 %s 于 %s 审核（%d 条）。%s"), d.review.Reviewer, d.review.ReviewedAt.Format("2006-01-02 15:04"),
			d.review.Entries, d.review.Remarks))
		v.reviewBtn.SetText(lang.L("再次审核"))
	} else {
		v.reviewNote.Importance = widget.WarningImportance
		v.reviewNote.SetText(lang.L("本周尚未审核。"))
		v.reviewBtn.SetText(lang.L("审核完毕"))
	}
	if v.week.After(now()) {
		v.reviewBtn.Disable()
	} else {
		v.reviewBtn.Enable()
	}
}

func (v *lendingView) doReview() {
	week, who, remarks := v.week, v.reviewer.Text, v.remarks.Text
	v.reviewMsgs.clear()
	Go(v.e, func(ctx context.Context) (data.LendingReview, error) {
		return v.e.Store.ReviewWeek(ctx, week, who, remarks)
	},
		func(_ data.LendingReview, err error) {
			v.reviewMsgs.report(err)
			if err != nil {
				return
			}
			v.remarks.SetText("")
			v.loadWeek()
		})
}

func (v *lendingView) askExport() {
	chooseSave(v.e, lang.L("人事档案外借台账")+".xlsx", func(path string) { v.exportTo(path) })
}

func (v *lendingView) exportTo(path string) {
	Go(v.e, func(ctx context.Context) (int, error) { return v.e.Store.ExportLendingsXLSX(ctx, path) }, func(n int, err error) {
		if err != nil {
			v.e.ShowError(err)
			return
		}
		showSaved(v.e, lang.L("导出完成"), fmt.Sprintf(lang.L("已导出 %d 条外借登记。"), n), path)
	})
}

// askSheet saves the week's review sheet (a PDF for the deputy director to sign).
func (v *lendingView) askSheet() {
	week := v.week
	chooseSave(v.e, fmt.Sprintf(lang.L("档案外借周审核表%s.pdf"), week.Format("2006-01-02")), func(path string) {
		Go(v.e, func(ctx context.Context) (int, error) { return v.e.Store.LendingReviewSheet(ctx, week, now(), path) }, func(n int, err error) {
			if err != nil {
				v.e.ShowError(err)
				return
			}
			v.reviewNote.SetText(fmt.Sprintf(lang.L("周审核表已保存（%d 条）：%s"), n, path))
		})
	})
}
