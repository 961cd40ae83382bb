package store

import (
	"context"
	"database/sql"
)

// QueryRows runs q and scans each row with scan; an empty result is an
// empty slice. Features and sync use it.
func QueryRows[T any](ctx context.Context, db *sql.DB, q string, args []any, scan func(sc func(...any) error) (T, error)) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
