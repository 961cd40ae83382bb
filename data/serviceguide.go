package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	dsync "stationdesk/data/sync"
	"strings"
	"time"
)

// GuideStep is one box of a service guide's flow chart.
type GuideStep struct {
	Name   string `json:"name"`   // short, e.g. 提交申请
	Detail string `json:"detail"` // who does what, where
}

// ServiceGuide is a service guide (办事指南): how a matter is handled.
type ServiceGuide struct {
	Record
	Matter    string      `json:"matter"` // e.g. 失业保险金申领
	Steps     []GuideStep `json:"steps"`
	Materials []string    `json:"materials"`
	Location  string      `json:"location"`   // window or office
	TimeLimit string      `json:"time_limit"` // e.g. 15 个工作日
	OfficerID string      `json:"officer_id"`
	Officer   string      `json:"officer"` // name of the responsible officer (工作牌)
	Phone     string      `json:"phone"`
	PolicyID  string      `json:"policy_id,omitempty"`
}

// Validate normalises and checks a guide before saving.
func (g *ServiceGuide) Validate() error {
	if err := checkFields(textField{"matter", &g.Matter, maxShort, false}); err != nil {
		return err
	}
	if g.Matter == "" {
		return Invalid("matter", "办理事项不能为空")
	}
	steps := g.Steps[:0:0]
	for _, s := range g.Steps {
		if err := checkFields(textField{"steps", &s.Name, maxName, false}, textField{"steps", &s.Detail, maxNote, true}); err != nil {
			return err
		}
		if s.Name != "" {
			steps = append(steps, s)
		}
	}
	g.Steps = steps
	if len(g.Steps) == 0 {
		return Invalid("steps", "至少填写一个办理步骤")
	}
	if len(g.Steps) > 12 {
		return Invalid("steps", "办理步骤不能超过 12 步")
	}
	var err error
	if g.Materials, err = checkList("materials", g.Materials, maxLine); err != nil {
		return err
	}
	err = checkFields(
		textField{"location", &g.Location, maxTitle, false},
		textField{"time_limit", &g.TimeLimit, maxShort, false},
		textField{"officer", &g.Officer, maxName, false},
	)
	if err != nil {
		return err
	}
	if strings.TrimSpace(g.Phone) != "" {
		p, err := NormalizePhone(g.Phone)
		if err != nil {
			return err
		}
		g.Phone = p
	}
	return nil
}

const guideColumns = `id, origin, created_at, updated_at, matter, steps, materials, location, time_limit, officer_id, officer, phone, policy_id`

func scanGuide(r rowScanner) (ServiceGuide, error) {
	var g ServiceGuide
	var c, u int64
	var steps, materials string
	if err := r.Scan(&g.ID, &g.Origin, &c, &u, &g.Matter, &steps, &materials, &g.Location, &g.TimeLimit, &g.OfficerID, &g.Officer, &g.Phone, &g.PolicyID); err != nil {
		return g, err
	}
	g.CreatedAt, g.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	_ = json.Unmarshal([]byte(steps), &g.Steps)
	_ = json.Unmarshal([]byte(materials), &g.Materials)
	return g, nil
}

// ServiceGuides lists the guides by matter.
func (s *Store) ServiceGuides(ctx context.Context) ([]ServiceGuide, error) {
	rows, err := s.Read().QueryContext(ctx, "SELECT "+guideColumns+" FROM service_guides WHERE deleted = 0 ORDER BY matter")
	if err != nil {
		return nil, fmt.Errorf("data: list guides: %w", err)
	}
	defer rows.Close()
	var out []ServiceGuide
	for rows.Next() {
		g, err := scanGuide(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list guides: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ServiceGuide returns one guide.
func (s *Store) ServiceGuide(ctx context.Context, id string) (ServiceGuide, error) {
	g, err := scanGuide(s.Read().QueryRowContext(ctx, "SELECT "+guideColumns+" FROM service_guides WHERE id = ? AND deleted = 0", id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, NotFound("service guide", id)
	}
	if err != nil {
		return g, fmt.Errorf("data: read guide: %w", err)
	}
	return g, nil
}

// SaveServiceGuide adds a guide (empty ID) or saves changes to one.
func (s *Store) SaveServiceGuide(ctx context.Context, g *ServiceGuide) error {
	if err := g.Validate(); err != nil {
		return err
	}
	role, origin, err := s.role(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		if g.ID != "" && role != RoleBureau {
			// The bureau's guides are the bureau's alone (sync_authority.go).
			var owner string
			if err := tx.QueryRowContext(ctx, `SELECT origin FROM service_guides WHERE id = ?`, g.ID).Scan(&owner); err == nil && owner != origin {
				return Invalid("matter", "这份办事指南由区人社局下发，本站不能修改")
			}
		}
		if g.ID == "" {
			g.ID, g.Origin = NewID(), origin
			g.CreatedAt = time.UnixMilli(now)
			g.UpdatedAt = g.CreatedAt
			_, err := tx.ExecContext(ctx, `INSERT INTO service_guides(`+guideColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				g.ID, origin, now, now, g.Matter, mustJSON(g.Steps), mustJSON(nonNil(g.Materials)), g.Location, g.TimeLimit, g.OfficerID, g.Officer, g.Phone, g.PolicyID)
			if err != nil {
				return fmt.Errorf("data: add guide: %w", err)
			}
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE service_guides SET matter=?, steps=?, materials=?, location=?, time_limit=?, officer_id=?, officer=?, phone=?, policy_id=?, updated_at=?
			WHERE id=? AND deleted=0`, g.Matter, mustJSON(g.Steps), mustJSON(nonNil(g.Materials)), g.Location, g.TimeLimit, g.OfficerID, g.Officer, g.Phone, g.PolicyID, now, g.ID)
		if err != nil {
			return fmt.Errorf("data: update guide: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("service guide", g.ID)
		}
		g.UpdatedAt = time.UnixMilli(now)
		return nil
	})
}

func init() {
	dsync.RegisterIncomingRules("service_guides", map[string]dsync.Rule{"steps": guideSteps})
}

// guideSteps: a guide's steps, a JSON list of {name, detail}.
func guideSteps(v any) error {
	s, err := dsync.TextOf(v)
	if err != nil {
		return err
	}
	var steps []GuideStep
	d := json.NewDecoder(strings.NewReader(s))
	d.DisallowUnknownFields()
	if err := d.Decode(&steps); err != nil || steps == nil {
		return dsync.ErrBadList
	}
	for _, st := range steps {
		if err := dsync.TextRule(maxShort, false)(st.Name); err != nil {
			return err
		}
		if err := dsync.TextRule(maxNote, true)(st.Detail); err != nil {
			return err
		}
	}
	return nil
}
