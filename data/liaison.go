package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// LiaisonStation is a station a cadre can be assigned to.
type LiaisonStation struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// LiaisonStations lists the stations this installation knows (at the bureau:
// every enrolled station), by code.
func (s *Store) LiaisonStations(ctx context.Context) ([]LiaisonStation, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT code, name FROM stations WHERE deleted = 0 AND role = 'station' ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("data: list stations: %w", err)
	}
	defer rows.Close()
	var out []LiaisonStation
	for rows.Next() {
		var st LiaisonStation
		if err := rows.Scan(&st.Code, &st.Name); err != nil {
			return nil, fmt.Errorf("data: list stations: %w", err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// LiaisonAssignment says that a bureau cadre keeps in touch with a station
// (干部联系乡镇和社区).
type LiaisonAssignment struct {
	Record
	OfficerID   string `json:"officer_id"`
	OfficerName string `json:"officer_name"`
	StationCode string `json:"station_code"`
	Since       string `json:"since"`
}

// AssignStations makes codes the stations officerID keeps in touch with:
// stations no longer named are released, new ones added from today.
func (s *Store) AssignStations(ctx context.Context, officerID string, codes []string) error {
	o, err := s.Officer(ctx, officerID)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	known, err := s.LiaisonStations(ctx)
	if err != nil {
		return err
	}
	for _, c := range codes {
		if !slices.ContainsFunc(known, func(k LiaisonStation) bool { return k.Code == c }) {
			return Invalid("station", "所选站点尚未登记")
		}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		rows, err := tx.QueryContext(ctx, `SELECT id, station_code FROM liaison_assignments WHERE deleted = 0 AND officer_id = ?`, officerID)
		if err != nil {
			return fmt.Errorf("data: assign stations: %w", err)
		}
		have := map[string]string{}
		for rows.Next() {
			var id, code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return fmt.Errorf("data: assign stations: %w", err)
			}
			have[code] = id
		}
		rows.Close()
		for code, id := range have {
			if !slices.Contains(codes, code) {
				if _, err := tx.ExecContext(ctx, `UPDATE liaison_assignments SET deleted = 1, updated_at = ? WHERE id = ?`, now, id); err != nil {
					return fmt.Errorf("data: assign stations: %w", err)
				}
			}
		}
		for _, code := range codes {
			if _, ok := have[code]; ok {
				continue
			}
			have[code] = ""
			if _, err := tx.ExecContext(ctx, `INSERT INTO liaison_assignments(id, origin, created_at, updated_at, officer_id, officer_name, station_code, since)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), ident.Code, now, now, o.ID, o.Name, code, svcToday()); err != nil {
				return fmt.Errorf("data: assign stations: %w", err)
			}
		}
		return nil
	})
}

// LiaisonAssignments lists every live assignment, by cadre then station.
func (s *Store) LiaisonAssignments(ctx context.Context) ([]LiaisonAssignment, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT id, origin, created_at, updated_at, officer_id, officer_name, station_code, since
		FROM liaison_assignments WHERE deleted = 0 ORDER BY officer_name, officer_id, station_code`)
	if err != nil {
		return nil, fmt.Errorf("data: list assignments: %w", err)
	}
	defer rows.Close()
	var out []LiaisonAssignment
	for rows.Next() {
		var a LiaisonAssignment
		var c, u int64
		if err := rows.Scan(&a.ID, &a.Origin, &c, &u, &a.OfficerID, &a.OfficerName, &a.StationCode, &a.Since); err != nil {
			return nil, fmt.Errorf("data: list assignments: %w", err)
		}
		a.CreatedAt, a.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		out = append(out, a)
	}
	return out, rows.Err()
}

// LiaisonVisit is a cadre's visit to a station: recorded at the bureau, it
// goes down to that station in the next bundle.
type LiaisonVisit struct {
	Record
	OfficerID   string `json:"officer_id"`
	OfficerName string `json:"officer_name"`
	StationCode string `json:"station_code"`
	Date        string `json:"date"`
	Discussed   string `json:"discussed"` // 交流内容
	Problems    string `json:"problems"`  // 发现问题
	Help        string `json:"help"`      // 帮助解决
	Followup    string `json:"followup"`  // 后续跟进
}

// Validate normalises and checks a visit before saving.
func (v *LiaisonVisit) Validate() error {
	var err error
	if v.Date, err = checkDate("date", v.Date, true); err != nil {
		return err
	}
	if v.Date > svcToday() {
		return Invalid("date", "日期不能晚于今天")
	}
	if strings.TrimSpace(v.OfficerID) == "" {
		return Invalid("officer", "请选择联系干部")
	}
	if strings.TrimSpace(v.StationCode) == "" {
		return Invalid("station", "请选择走访的站点")
	}
	for _, f := range []struct {
		field, label string
		s            *string
	}{
		{"discussed", "交流内容", &v.Discussed},
		{"problems", "", &v.Problems},
		{"help", "", &v.Help},
		{"followup", "", &v.Followup},
	} {
		if err := ledgerText(textField{f.field, f.s, maxText, true}, f.label); err != nil {
			return err
		}
	}
	return nil
}

// AddLiaisonVisit records a cadre's visit to a station.
func (s *Store) AddLiaisonVisit(ctx context.Context, v *LiaisonVisit) error {
	if err := v.Validate(); err != nil {
		return err
	}
	o, err := s.Officer(ctx, v.OfficerID)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stations WHERE deleted = 0 AND code = ?`, v.StationCode).Scan(&n); err != nil {
			return fmt.Errorf("data: add liaison visit: %w", err)
		}
		if n == 0 {
			return Invalid("station", "所选站点尚未登记")
		}
		now := nowMillis()
		v.ID, v.Origin, v.OfficerName = NewID(), ident.Code, o.Name
		v.CreatedAt, v.UpdatedAt = time.UnixMilli(now), time.UnixMilli(now)
		_, err := tx.ExecContext(ctx, `INSERT INTO liaison_visits(id, origin, created_at, updated_at, officer_id, officer_name, station_code, date, discussed, problems, help, followup)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.Origin, now, now, v.OfficerID, v.OfficerName, v.StationCode, v.Date,
			v.Discussed, v.Problems, v.Help, v.Followup)
		if err != nil {
			return fmt.Errorf("data: add liaison visit: %w", err)
		}
		return nil
	})
}

// LiaisonVisits lists visits, newest first; station or officer "" means any.
func (s *Store) LiaisonVisits(ctx context.Context, station, officerID string) ([]LiaisonVisit, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT id, origin, created_at, updated_at, officer_id, officer_name, station_code, date, discussed, problems, help, followup
		FROM liaison_visits WHERE deleted = 0 AND (?1 = '' OR station_code = ?1) AND (?2 = '' OR officer_id = ?2)
		ORDER BY date DESC, created_at DESC`, station, officerID)
	if err != nil {
		return nil, fmt.Errorf("data: list liaison visits: %w", err)
	}
	defer rows.Close()
	var out []LiaisonVisit
	for rows.Next() {
		var v LiaisonVisit
		var c, u int64
		if err := rows.Scan(&v.ID, &v.Origin, &c, &u, &v.OfficerID, &v.OfficerName, &v.StationCode, &v.Date, &v.Discussed, &v.Problems, &v.Help, &v.Followup); err != nil {
			return nil, fmt.Errorf("data: list liaison visits: %w", err)
		}
		v.CreatedAt, v.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CadreLiaison is one cadre's liaison figures.
type CadreLiaison struct {
	OfficerID   string   `json:"officer_id"`
	OfficerName string   `json:"officer_name"`
	Stations    []string `json:"stations"`   // codes of the stations assigned
	Visits      int      `json:"visits"`     // visits in the year
	Visited     int      `json:"visited"`    // distinct stations visited in the year
	LastVisit   string   `json:"last_visit"` // "" if none
}

// LiaisonSummary gives, per cadre with an assignment or a visit, the stations
// covered and the visits made in year.
func (s *Store) LiaisonSummary(ctx context.Context, year int) ([]CadreLiaison, error) {
	as, err := s.LiaisonAssignments(ctx)
	if err != nil {
		return nil, err
	}
	by := map[string]*CadreLiaison{}
	var order []string
	get := func(id, name string) *CadreLiaison {
		c, ok := by[id]
		if !ok {
			c = &CadreLiaison{OfficerID: id, OfficerName: name}
			by[id] = c
			order = append(order, id)
		}
		return c
	}
	for _, a := range as {
		c := get(a.OfficerID, a.OfficerName)
		c.Stations = append(c.Stations, a.StationCode)
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT officer_id, max(officer_name), count(*), count(DISTINCT station_code), max(date)
		FROM liaison_visits WHERE deleted = 0 AND date >= ? AND date <= ? GROUP BY officer_id ORDER BY max(officer_name)`,
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return nil, fmt.Errorf("data: liaison summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, last string
		var n, d int
		if err := rows.Scan(&id, &name, &n, &d, &last); err != nil {
			return nil, fmt.Errorf("data: liaison summary: %w", err)
		}
		c := get(id, name)
		c.Visits, c.Visited, c.LastVisit = n, d, last
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: liaison summary: %w", err)
	}
	out := make([]CadreLiaison, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	return out, nil
}
