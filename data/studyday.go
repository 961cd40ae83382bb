package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// DefaultStudyTime is when the monthly study day (干部学习日) starts.
const DefaultStudyTime = "14:30"

// StudyDayLength is how long a study day lasts: 14:30–17:30 by default.
const StudyDayLength = 3 * time.Hour

// studyDateLayout is how dates are stored and typed: 2006-01-02.
const studyDateLayout = "2006-01-02"

// ThirdFriday returns the third Friday of the month, at midnight in loc.
func ThirdFriday(year int, month time.Month, loc *time.Location) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	offset := (int(time.Friday) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, offset+14)
}

// NextStudyDay is the first regular study day (third Friday) on or after the
// day of t, ignoring moves; Store.NextStudyDay honours moved days.
func NextStudyDay(t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	sd := ThirdFriday(t.Year(), t.Month(), t.Location())
	if sd.Before(day) {
		n := day.AddDate(0, 1, -day.Day()+1)
		sd = ThirdFriday(n.Year(), n.Month(), t.Location())
	}
	return sd
}

// StudyDay is one monthly study day of the calendar: the third Friday, or the
// day it was moved to, with the original date and the reason kept.
type StudyDay struct {
	Date       time.Time `json:"-"` // midnight, local time
	Start      string    `json:"start"`
	End        string    `json:"end"`
	MovedFrom  time.Time `json:"-"` // zero unless moved
	MoveReason string    `json:"move_reason,omitempty"`
	TrainingID string    `json:"training_id,omitempty"` // the session logged for it, if any
	Topic      string    `json:"topic,omitempty"`
	// Holiday names the public holiday the day falls on ("" if none), and
	// Suggest the nearest working day to move it to (holiday calendar).
	Holiday string    `json:"holiday,omitempty"`
	Suggest time.Time `json:"-"`
	// At the bureau: how many of its stations logged this month's study day.
	StationsLogged int `json:"stations_logged,omitempty"`
	Stations       int `json:"stations,omitempty"`
}

// Moved says whether the study day is not on its regular third Friday.
func (d StudyDay) Moved() bool { return !d.MovedFrom.IsZero() }

// Regular is the third Friday the study day belongs to.
func (d StudyDay) Regular() time.Time {
	if d.Moved() {
		return d.MovedFrom
	}
	return d.Date
}

// StudyDayMove is a study day held on another day than its third Friday.
type StudyDayMove struct {
	From, To   time.Time
	Start, End string // "" keeps the station's time
	Reason     string
	TrainingID string
	Topic      string
}

// StudyCalendar builds a year's study days: the third Friday of every month
// starting at start (HH:MM), with the given moves (and logged sessions)
// applied by original date. The result is in date order.
func StudyCalendar(year int, start string, moves []StudyDayMove, loc *time.Location) []StudyDay {
	if loc == nil {
		loc = time.Local
	}
	if _, err := parseStudyClock(start); err != nil {
		start = DefaultStudyTime
	}
	byFrom := map[string]StudyDayMove{}
	for _, m := range moves {
		byFrom[m.From.Format(studyDateLayout)] = m
	}
	out := make([]StudyDay, 0, 12)
	for m := time.January; m <= time.December; m++ {
		reg := ThirdFriday(year, m, loc)
		d := StudyDay{Date: reg, Start: start, End: addStudyClock(start, StudyDayLength)}
		if mv, ok := byFrom[reg.Format(studyDateLayout)]; ok {
			if !mv.To.IsZero() && mv.To.Format(studyDateLayout) != reg.Format(studyDateLayout) {
				d.Date = time.Date(mv.To.Year(), mv.To.Month(), mv.To.Day(), 0, 0, 0, 0, loc)
				d.MovedFrom = reg
				d.MoveReason = mv.Reason
			}
			if mv.Start != "" {
				d.Start = mv.Start
				d.End = addStudyClock(mv.Start, StudyDayLength)
			}
			if mv.End != "" {
				d.End = mv.End
			}
			d.TrainingID, d.Topic = mv.TrainingID, mv.Topic
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// parseStudyClock reads "HH:MM" (24 hours) as minutes since midnight.
func parseStudyClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, Invalid("time", "时间格式应为 时:分，例如 14:30")
	}
	return t.Hour()*60 + t.Minute(), nil
}

// addStudyClock adds d to an "HH:MM" time of day (capped at 23:59).
func addStudyClock(s string, d time.Duration) string {
	m, err := parseStudyClock(s)
	if err != nil {
		return s
	}
	m += int(d / time.Minute)
	if m > 23*60+59 {
		m = 23*60 + 59
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// StudyTime is this station's study-day start time (setting study_time).
func (s *Store) StudyTime(ctx context.Context) (string, error) {
	v, err := s.Setting(ctx, SettingStudyTime, DefaultStudyTime)
	if err != nil {
		return "", err
	}
	if _, err := parseStudyClock(v); err != nil {
		return DefaultStudyTime, nil
	}
	return v, nil
}

// SetStudyTime changes this station's study-day start time.
func (s *Store) SetStudyTime(ctx context.Context, hhmm string) error {
	m, err := parseStudyClock(hhmm)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, SettingStudyTime, fmt.Sprintf("%02d:%02d", m/60, m%60))
}

// StudyCalendar returns the year's study days with moves and logged sessions applied.
func (s *Store) StudyCalendar(ctx context.Context, year int) ([]StudyDay, error) {
	start, err := s.StudyTime(ctx)
	if err != nil {
		return nil, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	// A study day belongs to the year of its third Friday, and to its station:
	// a bureau holding its stations' records sees its own calendar.
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	rows, err := s.Read().QueryContext(ctx, `SELECT id, date, moved_from, move_reason, start_time, end_time, topic FROM trainings
		WHERE deleted=0 AND type='study_day' AND origin=?3 AND ((moved_from='' AND date BETWEEN ?1 AND ?2) OR moved_from BETWEEN ?1 AND ?2)
		ORDER BY updated_at`, from, to, ident.Code)
	if err != nil {
		return nil, fmt.Errorf("data: study calendar: %w", err)
	}
	defer rows.Close()
	var moves []StudyDayMove
	for rows.Next() {
		var id, date, movedFrom, reason, st, en, topic string
		if err := rows.Scan(&id, &date, &movedFrom, &reason, &st, &en, &topic); err != nil {
			return nil, fmt.Errorf("data: study calendar: %w", err)
		}
		to, err := time.ParseInLocation(studyDateLayout, date, time.Local)
		if err != nil {
			continue
		}
		fromDay := to
		if movedFrom != "" {
			if fromDay, err = time.ParseInLocation(studyDateLayout, movedFrom, time.Local); err != nil {
				continue
			}
		}
		moves = append(moves, StudyDayMove{From: fromDay, To: to, Start: st, End: en, Reason: reason, TrainingID: id, Topic: topic})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: study calendar: %w", err)
	}
	days := StudyCalendar(year, start, moves, time.Local)
	return days, s.markStudyDays(ctx, ident, year, days)
}

// NextStudyDay is the first study day, moves honoured, on or after the day of now.
func (s *Store) NextStudyDay(ctx context.Context, now time.Time) (StudyDay, error) {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	var all []StudyDay
	for y := now.Year() - 1; y <= now.Year()+1; y++ {
		days, err := s.StudyCalendar(ctx, y)
		if err != nil {
			return StudyDay{}, err
		}
		all = append(all, days...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Date.Before(all[j].Date) })
	for _, d := range all {
		if !d.Date.Before(today) {
			return d, nil
		}
	}
	return StudyDay{}, NotFound("study day", today.Format(studyDateLayout))
}

// MoveStudyDay moves the study day of the third Friday regular to day, keeping
// the reason; the session logged for it moves along (one is created if none).
// Moving it back to its third Friday clears the move.
func (s *Store) MoveStudyDay(ctx context.Context, regular, day time.Time, reason string) (Training, error) {
	reason, err := checkText("move_reason", reason, maxShort, false)
	if err != nil {
		return Training{}, err
	}
	reg := time.Date(regular.Year(), regular.Month(), regular.Day(), 0, 0, 0, 0, time.Local)
	if !reg.Equal(ThirdFriday(reg.Year(), reg.Month(), time.Local)) {
		return Training{}, Invalid("moved_from", "原定日期不是该月的第三个星期五")
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.Local)
	back := day.Equal(reg)
	if !back && reason == "" {
		return Training{}, Invalid("move_reason", "请填写调整原因，例如：法定节假日")
	}
	if d := day.Sub(reg); d > 45*24*time.Hour || d < -45*24*time.Hour {
		return Training{}, Invalid("date", "调整后的日期离原定日期太远（应在 45 天以内）")
	}
	start, err := s.StudyTime(ctx)
	if err != nil {
		return Training{}, err
	}
	t, err := s.studyDayTraining(ctx, reg)
	if err != nil && ErrorKind(err) != KindNotFound {
		return Training{}, err
	}
	if err != nil { // no session yet: plan one for the new day
		t = Training{Type: TrainingStudyDay, Start: start, End: addStudyClock(start, StudyDayLength)}
	}
	t.Date = day.Format(studyDateLayout)
	t.MovedFrom, t.MoveReason = reg.Format(studyDateLayout), reason
	if back {
		t.MovedFrom, t.MoveReason = "", ""
	}
	if err := s.saveTraining(ctx, &t, false); err != nil {
		return Training{}, err
	}
	return t, nil
}

// studyDayTraining finds the session logged for the study day of a third Friday.
func (s *Store) studyDayTraining(ctx context.Context, regular time.Time) (Training, error) {
	key := regular.Format(studyDateLayout)
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return Training{}, err
	}
	var id string
	err = s.Read().QueryRowContext(ctx, `SELECT id FROM trainings WHERE deleted=0 AND type='study_day' AND origin=?2
		AND (moved_from=?1 OR (moved_from='' AND date=?1)) ORDER BY updated_at DESC LIMIT 1`, key, ident.Code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Training{}, NotFound("study day", key)
	}
	if err != nil {
		return Training{}, fmt.Errorf("data: find study day: %w", err)
	}
	return s.Training(ctx, id)
}

// StudyDayOn returns the study day held on day, if there is one.
func (s *Store) StudyDayOn(ctx context.Context, day time.Time) (StudyDay, bool, error) {
	d, err := s.NextStudyDay(ctx, day)
	if err != nil {
		return StudyDay{}, false, err
	}
	y, m, dd := day.Date()
	y2, m2, d2 := d.Date.Date()
	return d, y == y2 && m == m2 && dd == d2, nil
}
