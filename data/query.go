package data

import (
	"context"
	"database/sql"

	"stationdesk/data/store"
)

// queryRows runs q and scans each row with scan (store.QueryRows).
func queryRows[T any](ctx context.Context, db *sql.DB, q string, args []any, scan func(sc func(...any) error) (T, error)) ([]T, error) {
	return store.QueryRows(ctx, db, q, args, scan)
}
