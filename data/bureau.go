package data

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// StationFigures are one station's figures over a period, computed from the
// records the bureau holds (each record's origin is its station's code).
type StationFigures struct {
	Visits    int `json:"visits"`
	Residents int `json:"residents"` // distinct residents visited
	// Follow-ups open on the day of the overview, of visits of any month,
	// and of those the overdue ones (see FollowupCounts: the same figures as
	// the station's own 首页).
	OpenFollowups    int            `json:"open_followups"`
	OverdueFollowups int            `json:"overdue_followups"`
	StudyDays        int            `json:"study_days"`
	Recorded         int            `json:"attendance_recorded"` // attendance entries of those study days
	Attended         int            `json:"attendance_attended"` // present or late
	Rate             float64        `json:"attendance_rate"`
	Handouts         int            `json:"card_handouts"` // handout entries
	Cards            int            `json:"cards"`         // cards handed out
	Opinions         map[string]int `json:"opinions"`      // by status
}

// OpinionTotal is the number of opinions of the period.
func (f StationFigures) OpinionTotal() int {
	n := 0
	for _, v := range f.Opinions {
		n += v
	}
	return n
}

func (f *StationFigures) add(g StationFigures) {
	f.Visits += g.Visits
	f.Residents += g.Residents
	f.OpenFollowups += g.OpenFollowups
	f.OverdueFollowups += g.OverdueFollowups
	f.StudyDays += g.StudyDays
	f.Recorded += g.Recorded
	f.Attended += g.Attended
	f.Rate = attendanceRate(f.Attended, f.Recorded)
	f.Handouts += g.Handouts
	f.Cards += g.Cards
	if f.Opinions == nil {
		f.Opinions = map[string]int{}
	}
	for k, v := range g.Opinions {
		f.Opinions[k] += v
	}
}

// StationOverview is one line of the bureau's overview.
type StationOverview struct {
	Code       string         `json:"code"`
	Name       string         `json:"name"`
	LastBundle time.Time      `json:"last_bundle"` // zero: never
	Stale      bool           `json:"stale"`       // no bundle for StaleDays or more
	Month      StationFigures `json:"month"`
	Year       StationFigures `json:"year"`
	// VisitsByMonth are the year's visits, January first.
	VisitsByMonth [12]int `json:"visits_by_month"`
}

// BureauOverview is every station at a glance, for one month and its year.
type BureauOverview struct {
	Month     string            `json:"month"` // YYYY-MM
	Year      int               `json:"year"`
	AsOf      string            `json:"as_of"` // the day overdue and stale are judged on
	StaleDays int               `json:"stale_days"`
	Stations  []StationOverview `json:"stations"`
	MonthAll  StationFigures    `json:"month_total"`
	YearAll   StationFigures    `json:"year_total"`
}

// DefaultStaleDays is how long without a bundle before a station is flagged.
const DefaultStaleDays = 14

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (time.Time, error) {
	m, err := time.ParseInLocation("2006-01", s, time.Local)
	if err != nil {
		return m, Invalid("month", "月份格式应为 年-月，例如 2026-11")
	}
	return m, nil
}

type period struct{ from, to string } // inclusive dates

func monthPeriod(m time.Time) period {
	return period{m.Format("2006-01-02"), m.AddDate(0, 1, -1).Format("2006-01-02")}
}

func yearPeriod(y int) period {
	return period{fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)}
}

// BureauOverview computes the overview of every enrolled station for month
// (YYYY-MM) and its year; asOf judges overdue follow-ups and stale stations.
func (s *Store) BureauOverview(ctx context.Context, month string, asOf time.Time, staleDays int) (BureauOverview, error) {
	m, err := ParseMonth(month)
	if err != nil {
		return BureauOverview{}, err
	}
	if staleDays <= 0 {
		staleDays = DefaultStaleDays
	}
	ov := BureauOverview{Month: m.Format("2006-01"), Year: m.Year(), AsOf: asOf.Format("2006-01-02"), StaleDays: staleDays}
	peers, err := s.Peers(ctx)
	if err != nil {
		return ov, err
	}
	idx := map[string]int{}
	for _, p := range peers {
		if p.Role != RoleStation {
			continue
		}
		so := StationOverview{Code: p.Code, Name: p.Name, Month: StationFigures{Opinions: map[string]int{}}, Year: StationFigures{Opinions: map[string]int{}}}
		if p.InAt > 0 {
			so.LastBundle = time.UnixMilli(p.InAt)
		}
		so.Stale = so.LastBundle.IsZero() || asOf.Sub(so.LastBundle) >= time.Duration(staleDays)*24*time.Hour
		idx[p.Code] = len(ov.Stations)
		ov.Stations = append(ov.Stations, so)
	}
	for _, pp := range []struct {
		p   period
		get func(*StationOverview) *StationFigures
	}{
		{monthPeriod(m), func(o *StationOverview) *StationFigures { return &o.Month }},
		{yearPeriod(m.Year()), func(o *StationOverview) *StationFigures { return &o.Year }},
	} {
		if err := s.periodFigures(ctx, pp.p, ov.AsOf, func(code string) *StationFigures {
			i, ok := idx[code]
			if !ok {
				return nil
			}
			return pp.get(&ov.Stations[i])
		}); err != nil {
			return ov, err
		}
	}
	if err := s.visitFigures(ctx, monthPeriod(m), yearPeriod(m.Year()), func(code string) *StationOverview {
		if i, ok := idx[code]; ok {
			return &ov.Stations[i]
		}
		return nil
	}); err != nil {
		return ov, err
	}
	fu, err := s.FollowupCounts(ctx, "", ov.AsOf)
	if err != nil {
		return ov, err
	}
	ov.MonthAll.Opinions, ov.YearAll.Opinions = map[string]int{}, map[string]int{}
	for i := range ov.Stations {
		st := &ov.Stations[i]
		c := fu[st.Code]
		st.Month.OpenFollowups, st.Month.OverdueFollowups = c.Open, c.Overdue
		st.Year.OpenFollowups, st.Year.OverdueFollowups = c.Open, c.Overdue
		st.Month.Rate = attendanceRate(st.Month.Attended, st.Month.Recorded)
		st.Year.Rate = attendanceRate(st.Year.Attended, st.Year.Recorded)
		ov.MonthAll.add(st.Month)
		ov.YearAll.add(st.Year)
	}
	return ov, nil
}

// eachRow runs a grouped query whose first column is a station code and
// whose n further columns are integers.
func (s *Store) eachRow(ctx context.Context, q string, args []any, fn func(code string, v []int), n int) error {
	rows, err := s.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("data: bureau overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		v := make([]int, n)
		dest := []any{&code}
		for i := range v {
			dest = append(dest, &v[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("data: bureau overview: %w", err)
		}
		fn(code, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: bureau overview: %w", err)
	}
	return nil
}

func (s *Store) periodFigures(ctx context.Context, p period, asOf string, fig func(code string) *StationFigures) error {
	queries := []struct {
		q    string
		args []any
		n    int
		set  func(f *StationFigures, v []int)
	}{
		{`SELECT origin, count(*) FROM trainings WHERE deleted = 0 AND type = 'study_day' AND date BETWEEN ? AND ? GROUP BY origin`,
			[]any{p.from, p.to}, 1, func(f *StationFigures, v []int) { f.StudyDays = v[0] }},
		{`SELECT t.origin, count(*), coalesce(sum(a.status IN ('present', 'late')), 0)
			FROM attendance a JOIN trainings t ON t.id = a.training_id AND t.deleted = 0 AND t.type = 'study_day'
			WHERE a.deleted = 0 AND t.date BETWEEN ? AND ? GROUP BY t.origin`, []any{p.from, p.to}, 2,
			func(f *StationFigures, v []int) { f.Recorded, f.Attended = v[0], v[1] }},
		{`SELECT origin, count(*), coalesce(sum(count), 0) FROM card_handouts WHERE deleted = 0 AND handed_on BETWEEN ? AND ? GROUP BY origin`,
			[]any{p.from, p.to}, 2, func(f *StationFigures, v []int) { f.Handouts, f.Cards = v[0], v[1] }},
	}
	for _, q := range queries {
		if err := s.eachRow(ctx, q.q, q.args, func(code string, v []int) {
			if f := fig(code); f != nil {
				q.set(f, v)
			}
		}, q.n); err != nil {
			return err
		}
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT origin, status, count(*) FROM opinions WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY 1, 2`, p.from, p.to)
	if err != nil {
		return fmt.Errorf("data: bureau overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, status string
		var n int
		if err := rows.Scan(&code, &status, &n); err != nil {
			return fmt.Errorf("data: bureau overview: %w", err)
		}
		if f := fig(code); f != nil {
			f.Opinions[status] = n
		}
	}
	return rows.Err()
}

// StaleStations are the overview's stations without a recent bundle, oldest first.
func (o BureauOverview) StaleStations() []StationOverview {
	var out []StationOverview
	for _, s := range o.Stations {
		if s.Stale {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastBundle.Before(out[j].LastBundle) })
	return out
}

// visitFigures reads the year's visits once and counts them for the month,
// the year and each month of the year (one pass: the rows are looked up
// once instead of once per figure).
func (s *Store) visitFigures(ctx context.Context, month, year period, station func(code string) *StationOverview) error {
	rows, err := s.Read().QueryContext(ctx, `SELECT origin, date, resident_id FROM visits WHERE deleted = 0 AND date BETWEEN ? AND ?`, year.from, year.to)
	if err != nil {
		return fmt.Errorf("data: bureau overview: %w", err)
	}
	defer rows.Close()
	type seen struct{ month, year map[string]bool }
	residents := map[string]*seen{}
	for rows.Next() {
		var code, date, resident string
		if err := rows.Scan(&code, &date, &resident); err != nil {
			return fmt.Errorf("data: bureau overview: %w", err)
		}
		so := station(code)
		if so == nil {
			continue
		}
		r := residents[code]
		if r == nil {
			r = &seen{map[string]bool{}, map[string]bool{}}
			residents[code] = r
		}
		count := func(f *StationFigures, set map[string]bool) {
			f.Visits++
			if !set[resident] {
				set[resident] = true
				f.Residents++
			}
		}
		count(&so.Year, r.year)
		if date >= month.from && date <= month.to {
			count(&so.Month, r.month)
		}
		if len(date) >= 7 {
			if mo, err := strconv.Atoi(date[5:7]); err == nil && mo >= 1 && mo <= 12 {
				so.VisitsByMonth[mo-1]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: bureau overview: %w", err)
	}
	return nil
}
