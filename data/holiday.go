package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	dsync "stationdesk/data/sync"
	"strings"
	"time"
)

// Kinds of day in the holiday calendar.
const (
	DayHoliday = "holiday" // a day off (法定节假日或调休放假)
	DayWorkday = "workday" // a weekend day worked instead (调休上班)
	DayNormal  = "normal"  // an ordinary day: cancels a built-in entry
)

func init() {
	// What sync checks in the bureau's calendar entries (sync_validate.go).
	dsync.RegisterIncomingRules("holidays", map[string]dsync.Rule{"kind": dsync.OneOf(false, DayHoliday, DayWorkday, DayNormal)})
}

// Holiday is one entry of the calendar.
type Holiday struct {
	Date   string `json:"date"` // YYYY-MM-DD
	Kind   string `json:"kind"` // DayHoliday, DayWorkday (DayNormal only as the bureau's override)
	Name   string `json:"name"`
	Source string `json:"source"` // builtin, statutory, bureau
	ID     string `json:"id,omitempty"`
}

// HolidayCalendar tells working days from days off: the built-in
// arrangements, overridden date by date by the bureau's entries.
type HolidayCalendar struct {
	days      map[string]Holiday
	announced map[int]bool // years with a full arrangement (built in or entered)
}

// Day is the calendar's entry for d, if any.
func (c HolidayCalendar) Day(d time.Time) (Holiday, bool) {
	h, ok := c.days[d.Format("2006-01-02")]
	return h, ok
}

// WorkingDay says whether d is worked: Monday to Friday unless a holiday,
// a weekend day only when it is worked instead of a holiday (调休).
func (c HolidayCalendar) WorkingDay(d time.Time) bool {
	if h, ok := c.Day(d); ok {
		return h.Kind == DayWorkday
	}
	return WorkingDay(d)
}

// Announced says whether the year's full arrangement is known (built in or
// entered by the bureau); otherwise only the fixed statutory days are marked.
func (c HolidayCalendar) Announced(year int) bool { return c.announced[year] }

// Entries lists the calendar's days off and worked weekend days from..to
// (YYYY-MM-DD, inclusive), by date.
func (c HolidayCalendar) Entries(from, to string) []Holiday {
	var out []Holiday
	for d, h := range c.days {
		if d >= from && d <= to && h.Kind != DayNormal {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// NearestWorkingDay is the working day closest to d in the same month,
// the earlier one on a tie; d itself when it is worked. ok is false when
// the month has none around (never in practice).
func (c HolidayCalendar) NearestWorkingDay(d time.Time) (time.Time, bool) {
	if c.WorkingDay(d) {
		return d, true
	}
	for i := 1; i <= 15; i++ {
		for _, x := range []time.Time{d.AddDate(0, 0, -i), d.AddDate(0, 0, i)} {
			if x.Month() == d.Month() && c.WorkingDay(x) {
				return x, true
			}
		}
	}
	return d, false
}

// builtinCalendar is the calendar of the years from..to without the
// bureau's entries.
func builtinCalendar(fromYear, toYear int) HolidayCalendar {
	c := HolidayCalendar{days: map[string]Holiday{}, announced: map[int]bool{}}
	for y := fromYear; y <= toYear; y++ {
		spans, ok := builtinHolidays[y]
		if !ok {
			for _, f := range statutoryFixed {
				d := fmt.Sprintf("%04d-%s", y, f.monthDay)
				c.days[d] = Holiday{Date: d, Kind: DayHoliday, Name: f.name, Source: "statutory"}
			}
			continue
		}
		c.announced[y] = true
		for _, sp := range spans {
			from, _ := time.ParseInLocation("2006-01-02", sp.from, time.Local)
			to, _ := time.ParseInLocation("2006-01-02", sp.to, time.Local)
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				s := d.Format("2006-01-02")
				c.days[s] = Holiday{Date: s, Kind: DayHoliday, Name: sp.name, Source: "builtin"}
			}
			for _, w := range sp.work {
				c.days[w] = Holiday{Date: w, Kind: DayWorkday, Name: sp.name + "调休上班", Source: "builtin"}
			}
		}
	}
	return c
}

// HolidayCalendar is the calendar of the years fromYear..toYear: built in,
// with the bureau's entries (here, or received from the bureau) applied.
func (s *Store) HolidayCalendar(ctx context.Context, fromYear, toYear int) (HolidayCalendar, error) {
	if toYear < fromYear || toYear-fromYear > 10 {
		return HolidayCalendar{}, Invalid("year", "年份范围不对")
	}
	return holidayCalendarOn(ctx, s.Read(), fromYear, toYear)
}

func holidayCalendarOn(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, fromYear, toYear int) (HolidayCalendar, error) {
	c := builtinCalendar(fromYear, toYear)
	rows, err := q.QueryContext(ctx, `SELECT id, date, kind, name FROM holidays WHERE deleted = 0 AND date BETWEEN ? AND ? ORDER BY date, updated_at`,
		fmt.Sprintf("%04d-01-01", fromYear), fmt.Sprintf("%04d-12-31", toYear))
	if err != nil {
		return c, fmt.Errorf("data: holiday calendar: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h Holiday
		if err := rows.Scan(&h.ID, &h.Date, &h.Kind, &h.Name); err != nil {
			return c, fmt.Errorf("data: holiday calendar: %w", err)
		}
		h.Source = "bureau"
		c.days[h.Date] = h
		// A year the bureau entered a lunar holiday or a worked weekend for is announced.
		if y, err := time.Parse("2006-01-02", h.Date); err == nil && h.Kind != DayNormal {
			if fixed := isStatutoryFixed(h.Date); !fixed || h.Kind == DayWorkday {
				c.announced[y.Year()] = true
			}
		}
	}
	return c, rows.Err()
}

func isStatutoryFixed(date string) bool {
	for _, f := range statutoryFixed {
		if strings.HasSuffix(date, "-"+f.monthDay) {
			return true
		}
	}
	return false
}

// SetHoliday enters (or changes) the bureau's entry for one day: kind
// DayHoliday, DayWorkday, or DayNormal to cancel a built-in entry. Only the
// bureau keeps the calendar; its entries go down to every station.
func (s *Store) SetHoliday(ctx context.Context, date, kind, name string) (Holiday, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return Holiday{}, err
	}
	if ident.Role != RoleBureau {
		return Holiday{}, &Error{Kind: KindInvalid, Op: "set holiday", Field: "role", Msg: "节假日安排由区县人社局维护"}
	}
	h := Holiday{Kind: kind, Source: "bureau"}
	if h.Date, err = checkDate("date", date, true); err != nil {
		return h, err
	}
	if kind != DayHoliday && kind != DayWorkday && kind != DayNormal {
		return h, Invalid("kind", "请选择放假、调休上班或正常工作日")
	}
	if h.Name, err = checkText("name", name, maxName, false); err != nil {
		return h, err
	}
	if kind != DayNormal && h.Name == "" {
		return h, Invalid("name", "请填写节日名称，例如 春节")
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		err := tx.QueryRowContext(ctx, `SELECT id FROM holidays WHERE deleted = 0 AND origin = ? AND date = ?`, ident.Code, h.Date).Scan(&h.ID)
		switch {
		case err == sql.ErrNoRows:
			h.ID = NewID()
			_, err = tx.ExecContext(ctx, `INSERT INTO holidays(id, origin, created_at, updated_at, date, kind, name) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				h.ID, ident.Code, now, now, h.Date, h.Kind, h.Name)
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE holidays SET kind = ?, name = ?, updated_at = ? WHERE id = ?`, h.Kind, h.Name, now, h.ID)
		}
		if err != nil {
			return fmt.Errorf("data: set holiday: %w", err)
		}
		return nil
	})
	return h, err
}

// RemoveHoliday drops the bureau's entry for a day: the built-in
// arrangement (if any) holds again.
func (s *Store) RemoveHoliday(ctx context.Context, date string) error {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if ident.Role != RoleBureau {
		return &Error{Kind: KindInvalid, Op: "remove holiday", Field: "role", Msg: "节假日安排由区县人社局维护"}
	}
	d, err := checkDate("date", date, true)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE holidays SET deleted = 1, updated_at = ? WHERE deleted = 0 AND origin = ? AND date = ?`, nowMillis(), ident.Code, d)
		if err != nil {
			return fmt.Errorf("data: remove holiday: %w", err)
		}
		return nil
	})
}

// markStudyDays flags study days on a holiday with the nearest working day
// to move them to; at the bureau it counts the stations that logged each
// month's study day (the bureau's own calendar is not the stations').
func (s *Store) markStudyDays(ctx context.Context, ident Identity, year int, days []StudyDay) error {
	cal, err := s.HolidayCalendar(ctx, year, year)
	if err != nil {
		return err
	}
	for i := range days {
		d := &days[i]
		if h, ok := cal.Day(d.Date); ok && h.Kind == DayHoliday {
			d.Holiday = h.Name
			if sug, ok := cal.NearestWorkingDay(d.Date); ok {
				d.Suggest = sug
			}
		}
	}
	if ident.Role != RoleBureau {
		return nil
	}
	var stations int
	if err := s.Read().QueryRowContext(ctx, `SELECT count(*) FROM sync_peers WHERE role = 'station'`).Scan(&stations); err != nil {
		return fmt.Errorf("data: study calendar: %w", err)
	}
	logged := map[string]int{}
	if err := s.eachRow(ctx, `SELECT substr(coalesce(nullif(moved_from, ''), date), 1, 7), count(DISTINCT origin) FROM trainings
		WHERE deleted = 0 AND type = 'study_day' AND origin != ? AND coalesce(nullif(moved_from, ''), date) BETWEEN ? AND ? GROUP BY 1`,
		[]any{ident.Code, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)},
		func(month string, v []int) { logged[month] = v[0] }, 1); err != nil {
		return err
	}
	for i := range days {
		days[i].Stations = stations
		days[i].StationsLogged = logged[days[i].Regular().Format("2006-01")]
	}
	return nil
}
