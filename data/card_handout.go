package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// HandoutPlaces are where policy cards are handed out.
var HandoutPlaces = []string{"窗口", "上门服务", "村民会议"}

// CardHandout is one entry of the distribution register (发放登记): N cards
// of a policy handed out on a day, somewhere, by an officer.
type CardHandout struct {
	Record
	PolicyID  string `json:"policy_id"`
	Count     int    `json:"count"`
	HandedOn  string `json:"handed_on"` // YYYY-MM-DD
	Place     string `json:"place"`     // one of HandoutPlaces
	OfficerID string `json:"officer_id"`
	VisitID   string `json:"visit_id,omitempty"`
}

// Validate normalises and checks a handout before saving.
func (h *CardHandout) Validate(today time.Time) error {
	if h.PolicyID == "" {
		return Invalid("policy_id", "请选择政策")
	}
	if h.Count <= 0 {
		return Invalid("count", "发放份数应大于 0")
	}
	if h.Count > 100000 {
		return Invalid("count", "发放份数太大")
	}
	d, err := checkDate("handed_on", h.HandedOn, true)
	if err != nil {
		return err
	}
	if d > today.Format("2006-01-02") {
		return Invalid("handed_on", "发放日期不能晚于今天")
	}
	h.HandedOn = d
	h.Place = strings.TrimSpace(h.Place)
	if !slices.Contains(HandoutPlaces, h.Place) {
		return Invalid("place", "发放地点应为：窗口、上门服务或村民会议")
	}
	return nil
}

// RecordHandout adds an entry to the distribution register.
func (s *Store) RecordHandout(ctx context.Context, h *CardHandout) error {
	if err := h.Validate(clock()); err != nil {
		return err
	}
	_, origin, err := s.role(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := findPolicy(ctx, tx, h.PolicyID); err != nil {
			return err
		}
		if h.OfficerID != "" {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM officers WHERE id = ? AND deleted = 0", h.OfficerID).Scan(&n); err != nil {
				return fmt.Errorf("data: check officer: %w", err)
			}
			if n == 0 {
				return Invalid("officer_id", "找不到这位工作人员")
			}
		}
		now := nowMillis()
		h.ID, h.Origin = NewID(), origin
		h.CreatedAt = time.UnixMilli(now)
		h.UpdatedAt = h.CreatedAt
		_, err := tx.ExecContext(ctx, `INSERT INTO card_handouts(id, origin, created_at, updated_at, policy_id, count, handed_on, place, officer_id, visit_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.ID, origin, now, now, h.PolicyID, h.Count, h.HandedOn, h.Place, h.OfficerID, h.VisitID)
		if err != nil {
			return fmt.Errorf("data: record handout: %w", err)
		}
		return nil
	})
}

// HandoutTotal is a sum of cards handed out.
type HandoutTotal struct {
	Key     string         `json:"key"` // policy ID or month (YYYY-MM)
	Title   string         `json:"title,omitempty"`
	Cards   int            `json:"cards"`
	Times   int            `json:"times"` // register entries
	ByPlace map[string]int `json:"by_place"`
}

// HandoutsByMonth sums the cards handed out per month (newest first);
// policyID "" sums over all policies.
func (s *Store) HandoutsByMonth(ctx context.Context, policyID string) ([]HandoutTotal, error) {
	q := "SELECT substr(handed_on, 1, 7) AS m, place, sum(count), count(*) FROM card_handouts WHERE deleted = 0"
	var args []any
	if policyID != "" {
		q += " AND policy_id = ?"
		args = append(args, policyID)
	}
	q += " GROUP BY m, place ORDER BY m DESC"
	return s.handoutTotals(ctx, q, args...)
}

// HandoutsByPolicy sums the cards handed out per policy within [from, to]
// (YYYY-MM-DD, either may be ""), most cards first.
func (s *Store) HandoutsByPolicy(ctx context.Context, from, to string) ([]HandoutTotal, error) {
	q := `SELECT h.policy_id, h.place, sum(h.count), count(*) FROM card_handouts h WHERE h.deleted = 0`
	var args []any
	if from != "" {
		q += " AND h.handed_on >= ?"
		args = append(args, from)
	}
	if to != "" {
		q += " AND h.handed_on <= ?"
		args = append(args, to)
	}
	q += " GROUP BY h.policy_id, h.place"
	out, err := s.handoutTotals(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		_ = s.Read().QueryRowContext(ctx, "SELECT title FROM policies WHERE id = ?", out[i].Key).Scan(&out[i].Title)
	}
	slices.SortStableFunc(out, func(a, b HandoutTotal) int { return b.Cards - a.Cards })
	return out, nil
}

func (s *Store) handoutTotals(ctx context.Context, q string, args ...any) ([]HandoutTotal, error) {
	rows, err := s.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("data: handout totals: %w", err)
	}
	defer rows.Close()
	var out []HandoutTotal
	index := map[string]int{}
	for rows.Next() {
		var key, place string
		var cards, times int
		if err := rows.Scan(&key, &place, &cards, &times); err != nil {
			return nil, fmt.Errorf("data: handout totals: %w", err)
		}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, HandoutTotal{Key: key, ByPlace: map[string]int{}})
		}
		out[i].Cards += cards
		out[i].Times += times
		out[i].ByPlace[place] += cards
	}
	return out, rows.Err()
}

// HandoutSummary is what a policy's page and 首页 show.
type HandoutSummary struct {
	Total     int            `json:"total"`      // all time
	ThisMonth int            `json:"this_month"` // cards in the month of "today"
	Policies  int            `json:"policies"`   // distinct policies handed out this month
	ByPlace   map[string]int `json:"by_place"`   // this month
}

// HandoutSummaryFor sums the register for one policy ("" for all) as of today.
func (s *Store) HandoutSummaryFor(ctx context.Context, policyID string, today time.Time) (HandoutSummary, error) {
	sum := HandoutSummary{ByPlace: map[string]int{}}
	month := today.Format("2006-01")
	q := "SELECT substr(handed_on, 1, 7) = ?, place, policy_id, sum(count) FROM card_handouts WHERE deleted = 0"
	args := []any{month}
	if policyID != "" {
		q += " AND policy_id = ?"
		args = append(args, policyID)
	}
	q += " GROUP BY 1, place, policy_id"
	rows, err := s.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return sum, fmt.Errorf("data: handout summary: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var inMonth bool
		var place, pid string
		var n int
		if err := rows.Scan(&inMonth, &place, &pid, &n); err != nil {
			return sum, fmt.Errorf("data: handout summary: %w", err)
		}
		sum.Total += n
		if inMonth {
			sum.ThisMonth += n
			sum.ByPlace[place] += n
			seen[pid] = true
		}
	}
	sum.Policies = len(seen)
	return sum, rows.Err()
}

// Handouts lists a policy's register entries, newest first.
func (s *Store) Handouts(ctx context.Context, policyID string, limit int) ([]CardHandout, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT id, origin, created_at, updated_at, policy_id, count, handed_on, place, officer_id, visit_id
		FROM card_handouts WHERE deleted = 0 AND policy_id = ? ORDER BY handed_on DESC, created_at DESC LIMIT ?`, policyID, limit)
	if err != nil {
		return nil, fmt.Errorf("data: list handouts: %w", err)
	}
	defer rows.Close()
	var out []CardHandout
	for rows.Next() {
		var h CardHandout
		var c, u int64
		if err := rows.Scan(&h.ID, &h.Origin, &c, &u, &h.PolicyID, &h.Count, &h.HandedOn, &h.Place, &h.OfficerID, &h.VisitID); err != nil {
			return nil, fmt.Errorf("data: list handouts: %w", err)
		}
		h.CreatedAt, h.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		out = append(out, h)
	}
	return out, rows.Err()
}
