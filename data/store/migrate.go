package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
)

// migration is one step of the schema. The list below is append-only: a
// released step is never edited, a change is a new step at the end.
type migration struct {
	name string
	sql  string
}

// migrations, in order; step i brings the schema to user_version i+1.
// Each feature owns the SQL of its steps in its own file.
var migrations = []migration{
	{"core: settings, stations, officers, audit", schemaCore},
	{"policy library", schemaPolicy},
	{"training records", schemaTraining},
	{"residents, visits, opinions", schemaService},
	{"sync: keys, change log, receipts, conflicts", schemaSync},
	{"safety: accounts, audit", schemaSafety},
	{"ledgers: lending, rota, liaison", schemaLedgers},
	{"drafts of forms being typed", schemaDrafts},
	{"sync: epochs, revoked keys", schemaSyncEpochs},
	{"bureau desk: holidays, conflict outcomes", schemaBureauDesk},
	{"policy reach: criteria, policies explained on visits", schemaReach},
	{"policy reach: each resident's latest visit per service", schemaReachServices},
}

// SchemaVersion is the user_version this program writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the schema to version target (SchemaVersion() but in tests).
func (s *Store) migrate(ctx context.Context, target int) error {
	var version int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("data: read schema version: %w", err)
	}
	if version > SchemaVersion() {
		return &Error{Kind: KindTooNew, Op: "migrate", Err: fmt.Errorf("schema %d is newer than %d", version, SchemaVersion())}
	}
	if version < target && version > 0 {
		// An upgrade must never cost data: keep a consistent copy first.
		if _, err := s.Backup(ctx, filepath.Join(s.Dir, "backups"), fmt.Sprintf("pre-migrate-v%d", version)); err != nil {
			return fmt.Errorf("data: backup before migrating: %w", err)
		}
	}
	for i := version; i < target; i++ {
		m := migrations[i]
		err := s.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", ApplicationID)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("data: migration %d (%s): %w", i+1, m.name, err)
		}
	}
	return nil
}
