package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Officer is one member of a station's or the bureau's staff (工作人员).
type Officer struct {
	Record
	Name        string `json:"name"`
	Role        string `json:"role"` // e.g. 站长, 劳保专干, 组织委员
	StationCode string `json:"station_code"`
	Phone       string `json:"phone"`
	Duties      string `json:"duties"`
	Active      bool   `json:"active"`
}

// OfficerRoles are the usual roles offered in forms; others may be typed.
var OfficerRoles = []string{"站长", "劳保专干", "社区专干", "组织委员", "服务小分队队员", "局领导", "科室干部"}

// Validate normalises and checks an officer before saving.
func (o *Officer) Validate() error {
	if err := CheckFields(TextField{"name", &o.Name, MaxName, false}); err != nil {
		return err
	}
	if o.Name == "" {
		return Invalid("name", "姓名不能为空")
	}
	err := CheckFields(
		TextField{"role", &o.Role, MaxName, false},
		TextField{"station_code", &o.StationCode, MaxTag, false},
		TextField{"duties", &o.Duties, MaxLong, true},
	)
	if err != nil {
		return err
	}
	if strings.TrimSpace(o.Phone) != "" {
		p, err := NormalizePhone(o.Phone)
		if err != nil {
			return err
		}
		o.Phone = p
	}
	return nil
}

func insertOfficer(ctx context.Context, tx *sql.Tx, origin string, o *Officer) error {
	now := NowMillis()
	if o.ID == "" {
		o.ID = NewID()
	}
	o.Origin = origin
	o.CreatedAt = time.UnixMilli(now)
	o.UpdatedAt = o.CreatedAt
	o.Active = true
	_, err := tx.ExecContext(ctx, `INSERT INTO officers(id, origin, created_at, updated_at, name, role, station_code, phone, duties, active)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, o.ID, origin, now, now, o.Name, o.Role, o.StationCode, o.Phone, o.Duties)
	if err != nil {
		return fmt.Errorf("data: add officer: %w", err)
	}
	return nil
}

// AddOfficer adds an officer to this installation's roster.
func (s *Store) AddOfficer(ctx context.Context, o *Officer) error {
	id, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if o.StationCode == "" {
		o.StationCode = id.Code
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error { return insertOfficer(ctx, tx, id.Code, o) })
}

// UpdateOfficer saves changes to an officer.
func (s *Store) UpdateOfficer(ctx context.Context, o *Officer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE officers SET name=?, role=?, station_code=?, phone=?, duties=?, active=?, updated_at=?
			WHERE id=? AND deleted=0`, o.Name, o.Role, o.StationCode, o.Phone, o.Duties, BoolInt(o.Active), NowMillis(), o.ID)
		if err != nil {
			return fmt.Errorf("data: update officer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("officer", o.ID)
		}
		return nil
	})
}

// Officers lists officers, active ones first, by name; activeOnly drops the others.
func (s *Store) Officers(ctx context.Context, activeOnly bool) ([]Officer, error) {
	q := `SELECT id, origin, created_at, updated_at, name, role, station_code, phone, duties, active
		FROM officers WHERE deleted=0`
	if activeOnly {
		q += " AND active=1"
	}
	q += " ORDER BY active DESC, station_code, name"
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("data: list officers: %w", err)
	}
	defer rows.Close()
	var out []Officer
	for rows.Next() {
		var o Officer
		var c, u int64
		var active int
		if err := rows.Scan(&o.ID, &o.Origin, &c, &u, &o.Name, &o.Role, &o.StationCode, &o.Phone, &o.Duties, &active); err != nil {
			return nil, fmt.Errorf("data: list officers: %w", err)
		}
		o.CreatedAt, o.UpdatedAt, o.Active = time.UnixMilli(c), time.UnixMilli(u), active == 1
		out = append(out, o)
	}
	return out, rows.Err()
}

// Officer returns one officer by ID.
func (s *Store) Officer(ctx context.Context, id string) (Officer, error) {
	all, err := s.Officers(ctx, false)
	if err != nil {
		return Officer{}, err
	}
	for _, o := range all {
		if o.ID == id {
			return o, nil
		}
	}
	return Officer{}, NotFound("officer", id)
}

// BoolInt is b as SQLite stores it: 1 or 0.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// OfficerNames maps every officer's ID (active or not) to their name.
func (s *Store) OfficerNames(ctx context.Context) (map[string]string, error) {
	all, err := s.Officers(ctx, false)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(all))
	for _, o := range all {
		names[o.ID] = o.Name
	}
	return names, nil
}
