package app

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// trainingUI is the 培训记录 screen: tabs for the study-day calendar, the
// sessions and the figures; a session's editor and its attendance open in
// place of the tabs.
type trainingUI struct {
	calScroll  *container.Scroll // the study-day calendar
	nextOffset float32           // where the next study day starts in it
	e          *Env
	year       int
	root       *fyne.Container
	tabs       *container.AppTabs

	yearLabel *widget.Label
	yearBar   *fyne.Container // shared by the tabs
	timeLabel *widget.Label
	calendar  *fyne.Container // one row per study day
	days      []data.StudyDay

	sessions *sessionList
	figures  *figuresView

	editor     *sessionEditor // shown, or nil
	attendance *attendanceView
}

func trainingScreen(e *Env) fyne.CanvasObject {
	u := newTrainingUI(e)
	e.setView("training", u)
	return u.root
}

func newTrainingUI(e *Env) *trainingUI {
	u := &trainingUI{e: e, year: now().Year()}
	u.yearLabel = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	u.timeLabel = widget.NewLabel("")
	u.calendar = container.NewVBox()
	u.sessions = newSessionList(u)
	u.figures = newFiguresView(u)
	prev := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { u.setYear(u.year - 1) })
	next := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { u.setYear(u.year + 1) })
	changeTime := widget.NewButtonWithIcon(lang.L("修改学习时间"), theme.HistoryIcon(), func() { u.askStudyTime() })
	u.timeLabel.Alignment = fyne.TextAlignTrailing
	calTop := container.NewBorder(nil, nil, nil, changeTime, u.timeLabel)
	u.calScroll = container.NewVScroll(u.calendar)
	calendarTab := container.NewBorder(container.NewVBox(calTop, widget.NewSeparator()), nil, nil, nil, u.calScroll)
	u.yearBar = container.NewHBox(prev, container.NewCenter(u.yearLabel), next)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("学习日历"), theme.CalendarIcon(), calendarTab),
		container.NewTabItemWithIcon(lang.L("培训场次"), theme.ListIcon(), u.sessions.content),
		container.NewTabItemWithIcon(lang.L("出勤统计"), theme.InfoIcon(), u.figures.content),
	)
	u.tabs.OnSelected = func(*container.TabItem) { u.reload() }
	u.root = container.NewStack(u.tabsPage())
	u.setYear(u.year)
	return u
}

func (u *trainingUI) setYear(y int) {
	u.year = y
	u.yearLabel.SetText(fmt.Sprintf(lang.L("%d年"), y))
	u.reload()
}

// reload refreshes what the current tab shows.
func (u *trainingUI) reload() {
	switch u.tabs.SelectedIndex() {
	case 1:
		u.sessions.load()
	case 2:
		u.figures.load()
	default:
		u.loadCalendar()
	}
}

// showTabs goes back from an editor or attendance page to the tabs.
func (u *trainingUI) showTabs() {
	u.editor, u.attendance = nil, nil
	u.root.Objects = []fyne.CanvasObject{u.tabsPage()}
	u.root.Refresh()
	u.reload()
}

// tabsPage is the screen's heading with the year beside it, over the tabs.
func (u *trainingUI) tabsPage() fyne.CanvasObject {
	top := container.NewVBox(container.NewBorder(nil, nil, heading(lang.L("培训记录")), u.yearBar), widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, u.tabs)
}

func (u *trainingUI) showPage(obj fyne.CanvasObject) {
	u.root.Objects = []fyne.CanvasObject{obj}
	u.root.Refresh()
}

type calendarData struct {
	days  []data.StudyDay
	start string
	byID  map[string]data.TrainingSummary
}

func (u *trainingUI) loadCalendar() {
	year := u.year
	Go(u.e, func(ctx context.Context) (calendarData, error) {
		var c calendarData
		var err error
		if c.days, err = u.e.Store.StudyCalendar(ctx, year); err != nil {
			return c, err
		}
		if c.start, err = u.e.Store.StudyTime(ctx); err != nil {
			return c, err
		}
		list, err := u.e.Store.Trainings(ctx, fmt.Sprintf("%04d-01-01", year-1), fmt.Sprintf("%04d-12-31", year+1))
		c.byID = map[string]data.TrainingSummary{}
		for _, t := range list {
			c.byID[t.ID] = t
		}
		return c, err
	}, func(c calendarData, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		if year != u.year {
			return
		}
		u.days = c.days
		u.timeLabel.SetText(fmt.Sprintf(lang.L("每月第三个星期五 %s–%s"), c.start, trAddHours(c.start, 3)))
		u.calendar.Objects = nil
		today := trDay(now())
		nextMarked := false
		var above float32 // height of the rows before the next study day
		for _, d := range c.days {
			isNext := !nextMarked && !d.Date.Before(today)
			if isNext {
				nextMarked = true
			}
			row := u.calendarRow(d, c.byID[d.TrainingID], today, isNext)
			if !nextMarked {
				above += row.MinSize().Height + theme.Padding()
			}
			u.calendar.Objects = append(u.calendar.Objects, row)
		}
		u.calendar.Refresh()
		// The list opens at the next study day (the last one before it stays in view).
		if nextMarked && len(u.calendar.Objects) > 0 {
			u.nextOffset = fyne.Max(0, above-u.calendar.Objects[0].MinSize().Height)
		} else {
			u.nextOffset = 0
		}
		u.calendar.Resize(fyne.NewSize(u.calScroll.Size().Width, u.calendar.MinSize().Height)) // else the offset is clamped to the old height
		u.calScroll.ScrollToOffset(fyne.NewPos(0, u.nextOffset))
	})
}

func trDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.Local)
}

func trAddHours(hhmm string, h int) string {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return ""
	}
	return t.Add(time.Duration(h) * time.Hour).Format("15:04")
}

var trWeekdays = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// trLongDate is 2026年11月20日（星期五）.
func trLongDate(d time.Time) string {
	return fmt.Sprintf(lang.L("%d年%d月%d日（%s）"), d.Year(), int(d.Month()), d.Day(), lang.L(trWeekdays[d.Weekday()]))
}

// trShortDate is 11月20日.
func trShortDate(d time.Time) string {
	return fmt.Sprintf(lang.L("%d月%d日"), int(d.Month()), d.Day())
}

// trMovedText says where a moved study day came from and why.
func trMovedText(d data.StudyDay) string {
	return fmt.Sprintf(lang.L("已调整：原定%s，%s"), trShortDate(d.MovedFrom), d.MoveReason)
}

// trMarked is a label in a theme colour (warning for moves, primary for the next day).
func trMarked(text string, imp widget.Importance, bold bool) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
	l.Importance = imp
	return l
}

func (u *trainingUI) calendarRow(d data.StudyDay, ts data.TrainingSummary, today time.Time, isNext bool) fyne.CanvasObject {
	date := widget.NewLabelWithStyle(fmt.Sprintf("%s %s", trShortDate(d.Date), lang.L(trWeekdays[d.Date.Weekday()])), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	when := widget.NewLabel(d.Start + "–" + d.End)
	info := container.NewVBox()
	if d.Moved() {
		info.Add(trMarked(trMovedText(d), widget.WarningImportance, true))
	}
	if d.Holiday != "" && !d.Suggest.IsZero() {
		info.Add(trMarked(fmt.Sprintf(lang.L("正逢%s，建议调整到%s"), d.Holiday, trShortDate(d.Suggest)), widget.WarningImportance, true))
	}
	switch {
	case d.Stations > 0 && d.TrainingID == "":
		// At the bureau: its stations' study days, not its own register.
		imp := widget.MediumImportance
		if d.Date.Before(today) && d.StationsLogged < d.Stations {
			imp = widget.WarningImportance
		}
		info.Add(trMarked(fmt.Sprintf(lang.L("%d/%d 个站点已登记"), d.StationsLogged, d.Stations), imp, false))
	case d.TrainingID != "" && ts.Topic != "":
		line := ts.Topic
		if ts.Recorded > 0 {
			line += "  " + fmt.Sprintf(lang.L("出勤 %d/%d 人"), ts.Attended, ts.Recorded)
		}
		l := widget.NewLabel(line)
		l.Truncation = fyne.TextTruncateEllipsis
		info.Add(l)
	case d.Date.Before(today):
		info.Add(trMarked(lang.L("未登记"), widget.DangerImportance, false))
	default:
		info.Add(widget.NewLabel(lang.L("待举行")))
	}
	open := widget.NewButtonWithIcon(lang.L("登记"), theme.DocumentCreateIcon(), func() { u.openStudyDay(d) })
	attend := widget.NewButtonWithIcon(lang.L("出勤登记"), theme.AccountIcon(), func() { u.attendStudyDay(d) })
	move := widget.NewButtonWithIcon(lang.L("调整日期"), theme.HistoryIcon(), func() { u.askMove(d) })
	left := container.NewHBox(date, when)
	if isNext {
		left.Add(trMarked(lang.L("下一次"), widget.HighImportance, true))
	}
	row := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(330, 40), left), buttonRow(attend, open, move), info)
	bg := canvas.NewRectangle(color.Transparent)
	if isNext {
		bg.FillColor = theme.Color(theme.ColorNameHover)
	} else if d.Moved() {
		bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	}
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewVBox(container.NewStack(bg, container.NewPadded(row)), widget.NewSeparator())
}

// openStudyDay opens the session logged for a study day, or a new one for it.
func (u *trainingUI) openStudyDay(d data.StudyDay) {
	if d.TrainingID != "" {
		u.openSession(d.TrainingID)
		return
	}
	t := data.Training{Type: data.TrainingStudyDay, Date: d.Date.Format("2006-01-02"), Start: d.Start, End: d.End}
	if d.Moved() {
		t.MovedFrom, t.MoveReason = d.MovedFrom.Format("2006-01-02"), d.MoveReason
	}
	u.editSession(t)
}

// attendStudyDay opens the roster of a study day: of its session, or of a
// session saved for it now (its topic can be filled in later).
func (u *trainingUI) attendStudyDay(d data.StudyDay) {
	id := d.TrainingID
	t := data.Training{Type: data.TrainingStudyDay, Date: d.Date.Format("2006-01-02"), Start: d.Start, End: d.End, Topic: lang.L("干部学习日")}
	if d.Moved() {
		t.MovedFrom, t.MoveReason = d.MovedFrom.Format("2006-01-02"), d.MoveReason
	}
	Go(u.e, func(ctx context.Context) (data.Training, error) {
		if id != "" {
			return u.e.Store.Training(ctx, id)
		}
		err := u.e.Store.SaveTraining(ctx, &t)
		return t, err
	}, func(t data.Training, err error) {
		if err != nil {
			u.e.ShowError(err)
			return
		}
		u.showAttendance(t)
	})
}

// openSession loads a session and shows its editor.
func (u *trainingUI) openSession(id string) {
	Go(u.e, func(ctx context.Context) (data.Training, error) { return u.e.Store.Training(ctx, id) },
		func(t data.Training, err error) {
			if err != nil {
				u.e.ShowError(err)
				return
			}
			u.editSession(t)
		})
}

func (u *trainingUI) askMove(d data.StudyDay) *formDialog {
	to := widget.NewEntry()
	to.SetText(d.Date.Format("2006-01-02"))
	to.SetPlaceHolder("2026-11-27")
	reason := widget.NewEntry()
	reason.SetText(d.MoveReason)
	reason.SetPlaceHolder(lang.L("例如：法定节假日"))
	hint := widget.NewLabel(fmt.Sprintf(lang.L("原定 %s；改回原定日期即取消调整。"), trLongDate(d.Regular())))
	hint.Wrapping = fyne.TextWrapWord
	msgs := newFieldMessages(u.e.Win)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("调整到"), msgs.at(to, "date", "moved_from")),
		widget.NewFormItem(lang.L("原因"), msgs.at(reason, "move_reason")),
		widget.NewFormItem("", hint),
	)
	fd := newFormDialog(u.e, lang.L("调整干部学习日"), lang.L("保存"), form, msgs, func(done func(error)) {
		day, err := parseFormDate("date", to.Text)
		if err == nil && day.IsZero() {
			err = data.Invalid("date", "请填写日期")
		}
		if err != nil {
			done(err)
			return
		}
		why := reason.Text
		saveOff(u.e, func(ctx context.Context) error {
			_, err := u.e.Store.MoveStudyDay(ctx, d.Regular(), day, why)
			return err
		}, done)
	}, u.loadCalendar)
	fd.show(fyne.NewSize(480, 280))
	return fd
}

func (u *trainingUI) askStudyTime() *formDialog {
	start := widget.NewEntry()
	start.SetPlaceHolder(data.DefaultStudyTime)
	Go(u.e, func(ctx context.Context) (string, error) { return u.e.Store.StudyTime(ctx) }, func(s string, err error) {
		if err == nil {
			start.SetText(s)
		}
	})
	msgs := newFieldMessages(u.e.Win)
	form := widget.NewForm(widget.NewFormItem(lang.L("开始时间"), msgs.at(start, "time")))
	fd := newFormDialog(u.e, lang.L("干部学习日开始时间"), lang.L("保存"), form, msgs, func(done func(error)) {
		v := start.Text
		saveOff(u.e, func(ctx context.Context) error { return u.e.Store.SetStudyTime(ctx, v) }, done)
	}, u.loadCalendar)
	fd.show(fyne.NewSize(360, 180))
	return fd
}
