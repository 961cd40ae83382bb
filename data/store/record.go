package store

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Every record a station or the bureau keeps carries the same bookkeeping
// columns so that sync can be added without reshaping tables:
//
//	id         TEXT PRIMARY KEY   UUIDv7, never reused
//	origin     TEXT NOT NULL      code of the station (or bureau) that created it
//	created_at INTEGER NOT NULL   unix milliseconds
//	updated_at INTEGER NOT NULL   unix milliseconds of the last change
//	deleted    INTEGER NOT NULL   1 = tombstone, kept until acknowledged
//
// recordColumns is that block, to be pasted into each CREATE TABLE.
const recordColumns = `
	id         TEXT PRIMARY KEY,
	origin     TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted    INTEGER NOT NULL DEFAULT 0`

// Record is the bookkeeping every stored record shares.
type Record struct {
	ID        string    `json:"id"`
	Origin    string    `json:"origin"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NewID returns a fresh UUIDv7: unique, and sortable by creation time.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Kind of record, declared by each feature so that statistics (and sync)
// find every table without a list of their own.
type RecordKind struct {
	Name  string // English key, as in `stationctl stats --json`
	Table string
	Label string // Chinese name shown to people

	// How the kind travels in sync bundles (see docs/bundle-format.md).
	// Every kind goes up from a station to the bureau. Down to a station go
	// the records that station owns (origin), records whose StationColumn
	// names it, and, for Broadcast kinds, every record the bureau made.
	Broadcast     bool   // the bureau's records go down to every station (policies, guides)
	StationColumn string // column holding the station code a record belongs to ("" = none)
	NoSync        bool   // local-only kind: never leaves this installation
	// OnSync, if set, runs inside an import transaction that changed records
	// of this kind (e.g. to rebuild a derived index).
	OnSync func(ctx context.Context, tx *sql.Tx) error

	// Personal are the columns holding personal data: an ID number, a
	// phone, and what names or describes a person. The audit trail records
	// only that they changed (AuditChanged), and views outside the record's
	// own screen mask them (PersonalColumns).
	Personal []string
	// Title is the column holding a record's public title (a policy's
	// title, a session's topic; never personal data), by which messages
	// name it, such as sync's refusals ("" = none: the end of its id).
	Title string
}

var (
	kindsMu sync.Mutex
	kinds   []RecordKind
)

// RegisterKind declares a kind of record; called from the init of the
// file that defines its table.
func RegisterKind(k RecordKind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	kinds = append(kinds, k)
}

// Kinds lists every declared kind of record, in declaration order.
func Kinds() []RecordKind {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	return append([]RecordKind(nil), kinds...)
}

// PersonalColumns are the personal columns of the kind stored in table
// (RecordKind.Personal); nil for a table of no registered kind.
func PersonalColumns(table string) []string {
	for _, k := range Kinds() {
		if k.Table == table {
			return append([]string(nil), k.Personal...)
		}
	}
	return nil
}

var (
	bulkRefreshMu sync.Mutex
	bulkRefreshes = map[string][]string{}
)

// RegisterBulkRefresh declares the set-based equivalent of an insert trigger:
// statements that, run once after a bulk load with ?1 (where a statement
// names it) bound to the largest rowid the table held before it, leave the
// database as the trigger would have row by row. A refresh must not sort
// the loaded rows (no GROUP BY or ORDER BY that an index does not give):
// during an import SQLite keeps a sort in memory. Called from the init of
// the feature owning the trigger.
func RegisterBulkRefresh(trigger string, stmts ...string) {
	bulkRefreshMu.Lock()
	defer bulkRefreshMu.Unlock()
	bulkRefreshes[trigger] = stmts
}

// BulkRefresh gives the statements registered for an insert trigger, if any
// (the sync engine's bulk loads ask).
func BulkRefresh(trigger string) ([]string, bool) {
	bulkRefreshMu.Lock()
	defer bulkRefreshMu.Unlock()
	s, ok := bulkRefreshes[trigger]
	return s, ok
}

// clock is the time source of the engine; SetClock replaces it (the
// features' tests, through data's own clock).
var clock = time.Now

// SetClock makes now the time source.
func SetClock(now func() time.Time) { clock = now }

// Now is the current time as the clock gives it.
func Now() time.Time { return clock() }

// NowMillis is Now in unix milliseconds, as the record stamps hold it.
func NowMillis() int64 { return clock().UnixMilli() }
