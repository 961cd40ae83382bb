package store

import (
	"context"
	"fmt"
)

// Stats counts the live records of every declared kind, keyed by the kind's
// English name (policies, residents, visits, trainings, officers, opinions, ...).
func (s *Store) Stats(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int)
	for _, k := range Kinds() {
		var n int
		// Table names come from RegisterKind calls in this program, never from input.
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+k.Table+" WHERE deleted = 0").Scan(&n); err != nil {
			return nil, fmt.Errorf("data: count %s: %w", k.Name, err)
		}
		out[k.Name] = n
	}
	return out, nil
}
