package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// The next study day is the first card of all, whatever other files add.
func init() { homeFirst = append([]func(e *Env) fyne.CanvasObject{trainingHomePanel}, homeFirst...) }

// openedOnStudyDay remembers the Envs (app starts) that already jumped to
// 培训记录 because it is a study day, so that 首页 stays reachable afterwards.
var openedOnStudyDay sync.Map

type trainingHome struct {
	next    data.StudyDay
	today   bool
	last    data.TrainingSummary
	hasLast bool
}

// trainingHomePanel is the 首页 card of the study day: the next one (moves
// honoured) with the days remaining, and the last one's attendance. On the
// study day itself the app opens on 培训记录, once per start.
func trainingHomePanel(e *Env) fyne.CanvasObject {
	next := widget.NewLabel(lang.L("正在载入…"))
	next.Wrapping = fyne.TextWrapWord
	moved := trMarked("", widget.WarningImportance, true)
	moved.Hide()
	last := widget.NewLabel("")
	last.Wrapping = fyne.TextWrapWord
	open := widget.NewButtonWithIcon(lang.L("打开培训记录"), theme.CalendarIcon(), func() { e.Show("training") })
	at := now()
	Go(e, func(ctx context.Context) (trainingHome, error) {
		var h trainingHome
		var err error
		if h.next, err = e.Store.NextStudyDay(ctx, at); err != nil {
			return h, err
		}
		h.today = trDay(h.next.Date).Equal(trDay(at))
		h.last, h.hasLast, err = e.Store.LastStudyDay(ctx, at)
		return h, err
	}, func(h trainingHome, err error) {
		if err != nil {
			next.SetText(UserMessage(err))
			return
		}
		next.SetText(nextStudyDayText(h.next, at))
		if h.next.Moved() {
			moved.SetText(trMovedText(h.next))
			moved.Show()
		}
		if h.hasLast {
			last.SetText(fmt.Sprintf(lang.L("上次学习日 %s（%s）：出勤率 %d%%，出席 %d/%d 人，请假 %d，缺席 %d"),
				trShortDate(h.last.Day()), h.last.Topic, trPercent(h.last.Rate()), h.last.Attended, h.last.Recorded, h.last.Leave, h.last.Absent))
		} else {
			last.SetText(lang.L("还没有登记过学习日出勤。"))
		}
		if h.today && e.Current() == "home" {
			if _, done := openedOnStudyDay.LoadOrStore(e, true); !done {
				e.Show("training")
			}
		}
	})
	return card(lang.L("干部学习日"), lang.L("每月第三个星期五下午"), container.NewVBox(next, moved, last, container.NewHBox(open)))
}

// nextStudyDayText is the date, the time and how many days remain.
func nextStudyDayText(d data.StudyDay, today time.Time) string {
	days := int(trDay(d.Date).Sub(trDay(today)).Hours()/24 + 0.5)
	s := fmt.Sprintf(lang.L("下一次：%s %s–%s"), trLongDate(d.Date), d.Start, d.End)
	if days == 0 {
		return s + "  " + lang.L("就是今天")
	}
	return s + "  " + fmt.Sprintf(lang.L("还有 %d 天"), days)
}

func init() { settingsPanels = append(settingsPanels, trainingSettingsPanel) }

// trainingSettings is the 设置 card of the study day's start time.
type trainingSettings struct {
	start  *widget.Entry
	save   *widget.Button
	status *widget.Label // what was saved
	msgs   *fieldMessages
	card   *widget.Card
}

func newTrainingSettings(e *Env) *trainingSettings {
	s := &trainingSettings{start: widget.NewEntry(), status: widget.NewLabel(""), msgs: newFieldMessages(e.Win)}
	s.start.SetPlaceHolder(data.DefaultStudyTime)
	s.save = widget.NewButtonWithIcon(lang.L("保存"), theme.DocumentSaveIcon(), func() {
		v := s.start.Text
		s.status.SetText("")
		s.msgs.clear()
		Go(e, func(ctx context.Context) (string, error) {
			if err := e.Store.SetStudyTime(ctx, v); err != nil {
				return "", err
			}
			return e.Store.StudyTime(ctx)
		}, func(v string, err error) {
			s.msgs.report(err)
			if err != nil {
				return
			}
			s.start.SetText(v)
			s.status.SetText(fmt.Sprintf(lang.L("已保存：每月第三个星期五 %s 开始"), v))
		})
	})
	Go(e, func(ctx context.Context) (string, error) { return e.Store.StudyTime(ctx) }, func(v string, err error) {
		if err == nil {
			s.start.SetText(v)
		}
	})
	form := widget.NewForm(widget.NewFormItem(lang.L("开始时间"), s.msgs.at(container.NewBorder(nil, nil, nil, s.save, s.start), "time")))
	s.card = card(lang.L("干部学习日"), lang.L("每月第三个星期五下午举行；开始时间按本站安排填写，学习时长 3 小时"), container.NewVBox(form, s.msgs.status, s.status))
	return s
}

func trainingSettingsPanel(e *Env) fyne.CanvasObject { return newTrainingSettings(e).card }
