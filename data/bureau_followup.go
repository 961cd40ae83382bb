package data

import (
	"context"
	"fmt"
)

// The one definition of open and overdue follow-ups, used by the station's
// 首页 and 待跟进 list, the bureau's overview, its drill-down and the monthly
// report: a follow-up is open while a visit asks for one and it is not done;
// it is overdue from the day after its due date (due today is open, not
// overdue). Counts are of every open follow-up on the day, whatever the
// month of the visit that asked for it.

// followupOpenSQL selects open follow-ups of visits v.
const followupOpenSQL = "v.followup_needed = 1 AND v.followup_done_at = ''"

// followupOverdueSQL is true for an open follow-up due before the day bound
// to its one parameter.
const followupOverdueSQL = "(v.followup_due <> '' AND v.followup_due < ?)"

// FollowupOverdue reports whether a visit's follow-up is overdue on today
// (YYYY-MM-DD): open, and due before today.
func FollowupOverdue(needed bool, doneAt, due, today string) bool {
	return needed && doneAt == "" && due != "" && due < today
}

// FollowupCount is how many follow-ups are open on a day and how many of
// them are overdue.
type FollowupCount struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// FollowupCounts counts the open and overdue follow-ups of every station
// (by the visits' origin) on day asOf (YYYY-MM-DD); code "" counts all.
func (s *Store) FollowupCounts(ctx context.Context, code, asOf string) (map[string]FollowupCount, error) {
	q := "SELECT v.origin, count(*), coalesce(sum(" + followupOverdueSQL + "), 0) FROM visits v WHERE v.deleted = 0 AND " + followupOpenSQL
	args := []any{asOf}
	if code != "" {
		q += " AND v.origin = ?"
		args = append(args, code)
	}
	rows, err := s.Read().QueryContext(ctx, q+" GROUP BY v.origin", args...)
	if err != nil {
		return nil, fmt.Errorf("data: count follow-ups: %w", err)
	}
	defer rows.Close()
	out := map[string]FollowupCount{}
	for rows.Next() {
		var code string
		var c FollowupCount
		if err := rows.Scan(&code, &c.Open, &c.Overdue); err != nil {
			return nil, fmt.Errorf("data: count follow-ups: %w", err)
		}
		out[code] = c
	}
	return out, rows.Err()
}
