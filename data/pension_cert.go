package data

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Yearly pension certification (养老金领取资格认证), the first built-in rule
// set of 政策找人: a resident in the pension category must be certified once
// every 12 months. A certification is a visit with the service
// ServicePensionCert; it holds until the same day a year later (a
// certification on 29 February holds until 1 March).

// PensionCategory is the resident category of people drawing a pension.
const PensionCategory = "养老金领取"

// ServicePensionCert is the catalogue service of a certification visit.
const ServicePensionCert = "养老金领取资格认证"

// PensionDueWithin is how many days ahead of lapsing a certification
// enters the 待认证 list by default.
const PensionDueWithin = 30

// PensionDue is one resident waiting for certification.
type PensionDue struct {
	ResidentID    string `json:"resident_id"`
	Name          string `json:"name"`
	Village       string `json:"village"`
	Address       string `json:"address"`
	LastCertified string `json:"last_certified"` // YYYY-MM-DD, "" never
	DueOn         string `json:"due_on"`         // YYYY-MM-DD the last certification lapses; "" never certified
	DaysLeft      int    `json:"days_left"`      // days until DueOn; ≤ 0 lapsed (0 when never certified)
}

// PensionDueList lists the residents in the pension category without a
// certification in the last 12 months, and those whose certification lapses
// within the next `within` days: never certified first, then by days left.
func (s *Store) PensionDueList(ctx context.Context, within int) ([]PensionDue, error) {
	today := clock()
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	// Certified on or after this day: still valid `within` days from today.
	since := day.AddDate(0, 0, within).AddDate(-1, 0, 0).Format(time.DateOnly)
	rows, err := s.Read().QueryContext(ctx, `SELECT r.id, r.name, r.village, r.address, COALESCE(c.last_date, '')
		FROM resident_plan p JOIN residents r ON r.id = p.resident_id
		LEFT JOIN resident_service_last c ON c.resident_id = p.resident_id AND c.service = ?
		WHERE p.category = ? AND r.deleted = 0 AND (c.last_date IS NULL OR c.last_date <= ?)`, ServicePensionCert, PensionCategory, since)
	if err != nil {
		return nil, fmt.Errorf("data: pension certification: %w", err)
	}
	defer rows.Close()
	out := []PensionDue{}
	for rows.Next() {
		var d PensionDue
		if err := rows.Scan(&d.ResidentID, &d.Name, &d.Village, &d.Address, &d.LastCertified); err != nil {
			return nil, fmt.Errorf("data: pension certification: %w", err)
		}
		if d.LastCertified != "" {
			last, err := time.Parse(time.DateOnly, d.LastCertified)
			if err != nil {
				continue
			}
			due := last.AddDate(1, 0, 0)
			d.DueOn = due.Format(time.DateOnly)
			d.DaysLeft = int(due.Sub(day).Hours() / 24)
			if d.DaysLeft > within {
				continue
			}
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b PensionDue) int {
		return cmp.Or(cmp.Compare(boolInt(a.LastCertified != ""), boolInt(b.LastCertified != "")), cmp.Compare(a.DaysLeft, b.DaysLeft),
			walkOrder(a.Village, a.Address, a.Name, b.Village, b.Address, b.Name))
	})
	return out, nil
}

// Standing says how the certification stands, as a text to translate and
// the number of days it names (when it has %d).
func (d PensionDue) Standing() (format string, days int) {
	switch {
	case d.LastCertified == "":
		return "从未认证", 0
	case d.DaysLeft < 0:
		return "已逾期 %d 天", -d.DaysLeft
	case d.DaysLeft == 0:
		return "今天到期", 0
	}
	return "还剩 %d 天", d.DaysLeft
}
