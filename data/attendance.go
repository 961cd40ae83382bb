package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// AttendanceStatus is how an officer took part in a session.
type AttendanceStatus string

const (
	Present AttendanceStatus = "present" // 出席
	Late    AttendanceStatus = "late"    // 迟到
	Leave   AttendanceStatus = "leave"   // 请假
	Absent  AttendanceStatus = "absent"  // 缺席
)

// AttendanceStatuses in the order the attendance screen offers them.
var AttendanceStatuses = []AttendanceStatus{Present, Late, Leave, Absent}

// Label is the Chinese word for the status.
func (a AttendanceStatus) Label() string {
	switch a {
	case Present:
		return "出席"
	case Late:
		return "迟到"
	case Leave:
		return "请假"
	case Absent:
		return "缺席"
	}
	return string(a)
}

// Attended says whether the officer was there (present or late).
func (a AttendanceStatus) Attended() bool { return a == Present || a == Late }

func (a AttendanceStatus) valid() bool {
	for _, s := range AttendanceStatuses {
		if a == s {
			return true
		}
	}
	return false
}

// AttendanceEntry is one officer's line of a session's attendance.
type AttendanceEntry struct {
	OfficerID   string           `json:"officer_id"`
	Name        string           `json:"name"`
	Role        string           `json:"role"`
	StationCode string           `json:"station_code"`
	StationName string           `json:"station_name"`
	Status      AttendanceStatus `json:"status"`
	Reason      string           `json:"reason,omitempty"`
	Recorded    bool             `json:"recorded"` // false: not saved yet, shown as present
}

// trainingStationNames maps station codes to names from the stations table.
func (s *Store) trainingStationNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT code, name FROM stations WHERE deleted=0`)
	if err != nil {
		return nil, fmt.Errorf("data: list stations: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("data: list stations: %w", err)
		}
		out[c] = n
	}
	return out, rows.Err()
}

// Attendance returns the roster of a session: every active officer (of every
// station) plus anyone recorded since, with the saved status or, where none
// is saved yet, present.
func (s *Store) Attendance(ctx context.Context, trainingID string) ([]AttendanceEntry, error) {
	if _, err := s.Training(ctx, trainingID); err != nil {
		return nil, err
	}
	names, err := s.trainingStationNames(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT o.id, o.name, o.role, o.station_code, coalesce(a.status, ''), coalesce(a.reason, '')
		FROM officers o LEFT JOIN attendance a ON a.officer_id=o.id AND a.training_id=? AND a.deleted=0
		WHERE o.deleted=0 AND (o.active=1 OR a.id IS NOT NULL)
		ORDER BY o.station_code, o.name`, trainingID)
	if err != nil {
		return nil, fmt.Errorf("data: read attendance: %w", err)
	}
	defer rows.Close()
	var out []AttendanceEntry
	for rows.Next() {
		var e AttendanceEntry
		var st string
		if err := rows.Scan(&e.OfficerID, &e.Name, &e.Role, &e.StationCode, &st, &e.Reason); err != nil {
			return nil, fmt.Errorf("data: read attendance: %w", err)
		}
		e.Status, e.Recorded = AttendanceStatus(st), st != ""
		if !e.Recorded {
			e.Status = Present
		}
		e.StationName = names[e.StationCode]
		if e.StationName == "" {
			e.StationName = e.StationCode
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveAttendance records the statuses of a session in one transaction; a
// reason is kept only for leave.
func (s *Store) SaveAttendance(ctx context.Context, trainingID string, entries []AttendanceEntry) error {
	if _, err := s.Training(ctx, trainingID); err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		if !e.Status.valid() {
			return Invalid("status", "出勤情况只能是出席、迟到、请假或缺席")
		}
		if e.Status != Leave {
			e.Reason = ""
		}
		if err := checkFields(textField{"reason", &e.Reason, maxShort, false}); err != nil {
			return err
		}
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		known, err := tx.PrepareContext(ctx, `SELECT count(*) FROM officers WHERE id=? AND deleted=0`)
		if err != nil {
			return fmt.Errorf("data: save attendance: %w", err)
		}
		defer known.Close()
		upsert, err := tx.PrepareContext(ctx, `INSERT INTO attendance(id, origin, created_at, updated_at, training_id, officer_id, status, reason)
			VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT(training_id, officer_id) DO UPDATE SET status=excluded.status, reason=excluded.reason,
				updated_at=excluded.updated_at, deleted=0
			WHERE attendance.status<>excluded.status OR attendance.reason<>excluded.reason OR attendance.deleted<>0`)
		if err != nil {
			return fmt.Errorf("data: save attendance: %w", err)
		}
		defer upsert.Close()
		for i := range entries {
			e := &entries[i]
			var n int
			if err := known.QueryRowContext(ctx, e.OfficerID).Scan(&n); err != nil {
				return fmt.Errorf("data: save attendance: %w", err)
			}
			if n == 0 {
				return NotFound("officer", e.OfficerID)
			}
			_, err := upsert.ExecContext(ctx, NewID(), ident.Code, now, now, trainingID, e.OfficerID, string(e.Status), e.Reason)
			if err != nil {
				return fmt.Errorf("data: save attendance: %w", err)
			}
			e.Recorded = true
		}
		return nil
	})
}

// OfficerRate is one officer's attendance over a period.
type OfficerRate struct {
	OfficerID   string  `json:"officer_id"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	StationName string  `json:"station"`
	Sessions    int     `json:"sessions"` // sessions with this officer recorded
	Present     int     `json:"present"`
	Late        int     `json:"late"`
	Leave       int     `json:"leave"`
	Absent      int     `json:"absent"`
	Rate        float64 `json:"rate"` // (present+late)/sessions
}

// PeriodRate is the attendance of the sessions in one month (or a year).
type PeriodRate struct {
	Period   string  `json:"period"`   // 2026-03, or 2026
	Sessions int     `json:"sessions"` // sessions held (with attendance recorded)
	Recorded int     `json:"recorded"` // officer lines
	Attended int     `json:"attended"`
	Leave    int     `json:"leave"`
	Absent   int     `json:"absent"`
	Rate     float64 `json:"rate"`
}

// AttendanceFigures are the figures of a year: per officer, per month, overall.
type AttendanceFigures struct {
	Year     int           `json:"year"`
	Officers []OfficerRate `json:"officers"`
	Months   []PeriodRate  `json:"months"` // always 12, January first
	Total    PeriodRate    `json:"total"`
}

func attendanceRate(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(a) / float64(n)
}

// AttendanceFigures computes the year's attendance from the recorded sessions.
func (s *Store) AttendanceFigures(ctx context.Context, year int) (AttendanceFigures, error) {
	f := AttendanceFigures{Year: year, Total: PeriodRate{Period: fmt.Sprint(year)}}
	names, err := s.trainingStationNames(ctx)
	if err != nil {
		return f, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT t.id, substr(t.date, 1, 7), a.status, o.id, o.name, o.role, o.station_code
		FROM attendance a JOIN trainings t ON t.id=a.training_id AND t.deleted=0
		JOIN officers o ON o.id=a.officer_id AND o.deleted=0
		WHERE a.deleted=0 AND t.date BETWEEN ? AND ?`, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return f, fmt.Errorf("data: attendance figures: %w", err)
	}
	defer rows.Close()
	f.Months = make([]PeriodRate, 12)
	for i := range f.Months {
		f.Months[i].Period = fmt.Sprintf("%04d-%02d", year, i+1)
	}
	byOfficer := map[string]*OfficerRate{}
	sessions := map[string]int{} // training -> month index
	for rows.Next() {
		var tid, month, st, oid, name, role, code string
		if err := rows.Scan(&tid, &month, &st, &oid, &name, &role, &code); err != nil {
			return f, fmt.Errorf("data: attendance figures: %w", err)
		}
		var mi int
		if _, err := fmt.Sscanf(month, "%04d-%02d", new(int), &mi); err != nil || mi < 1 || mi > 12 {
			continue
		}
		m := &f.Months[mi-1]
		sessions[tid] = mi - 1
		o := byOfficer[oid]
		if o == nil {
			o = &OfficerRate{OfficerID: oid, Name: name, Role: role, StationName: names[code]}
			if o.StationName == "" {
				o.StationName = code
			}
			byOfficer[oid] = o
		}
		o.Sessions++
		m.Recorded++
		switch AttendanceStatus(st) {
		case Present:
			o.Present++
			m.Attended++
		case Late:
			o.Late++
			m.Attended++
		case Leave:
			o.Leave++
			m.Leave++
		case Absent:
			o.Absent++
			m.Absent++
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("data: attendance figures: %w", err)
	}
	for _, mi := range sessions {
		f.Months[mi].Sessions++
	}
	for i := range f.Months {
		m := &f.Months[i]
		m.Rate = attendanceRate(m.Attended, m.Recorded)
		f.Total.Sessions += m.Sessions
		f.Total.Recorded += m.Recorded
		f.Total.Attended += m.Attended
		f.Total.Leave += m.Leave
		f.Total.Absent += m.Absent
	}
	f.Total.Rate = attendanceRate(f.Total.Attended, f.Total.Recorded)
	for _, o := range byOfficer {
		o.Rate = attendanceRate(o.Present+o.Late, o.Sessions)
		f.Officers = append(f.Officers, *o)
	}
	sort.Slice(f.Officers, func(i, j int) bool {
		a, b := f.Officers[i], f.Officers[j]
		if a.StationName != b.StationName {
			return a.StationName < b.StationName
		}
		return a.Name < b.Name
	})
	return f, nil
}

// LastStudyDay is the latest study day held on or before now that has
// attendance recorded, with its figures; ok is false when there is none.
func (s *Store) LastStudyDay(ctx context.Context, now time.Time) (TrainingSummary, bool, error) {
	list, err := s.Trainings(ctx, "", now.Format(studyDateLayout))
	if err != nil {
		return TrainingSummary{}, false, err
	}
	for _, t := range list {
		if t.Type == TrainingStudyDay && t.Recorded > 0 {
			return t, true, nil
		}
	}
	return TrainingSummary{}, false, nil
}
