package sync

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"stationdesk/data/store"
)

// A station's first bundle at the bureau brings tens of thousands of new
// records of a kind into a table that holds few. Maintaining several
// random-order B-trees and running every insert trigger row by row is then
// most of the import; sorting once and refreshing derived tables with one
// statement each is far cheaper. A bulk load sets aside, for one kind:
//
//   - the table's non-unique indexes (unique ones stay: they find duplicates),
//     rebuilt at the end;
//   - its insert triggers, when every one of them is either idle during an
//     import (the audit and change-log triggers, whose guards are false while
//     a bundle is applied) or has a set-based refresh registered with
//     registerBulkRefresh (record.go); the refreshes run at the end over the rows loaded.
//
// The first record that updates an existing row ends the bulk load (update
// triggers may look rows up through the indexes, and read derived tables).
// Everything happens inside the import transaction, so a crash or a refusal
// leaves the schema as it was.

// bulkMin is the smallest number of incoming records of one kind for which
// a bulk load is worth it.
var bulkMin = 10000 // a variable only so that tests can lower it

// bulkMax is the most records of one kind whose indexes are set aside:
// rebuilding an index sorts all its keys, in memory (temp_store is MEMORY
// during an import), and a million visits' keys would take the import past
// its 200 MB. Larger kinds keep their indexes; their triggers are still set
// aside (the refreshes read through the indexes, in order, without sorting).
var bulkMax = 250000 // a variable only so that tests can lower it

// bulkLoad is what a bulk load set aside and must put back.
type bulkLoad struct {
	indexes  []string // CREATE INDEX statements, run first
	refresh  []string // then these, over the rows loaded
	triggers []string // then CREATE TRIGGER statements
	mark     int64    // the table's largest rowid before the load
}

var insertTriggerHead = regexp.MustCompile(`(?is)^\s*create\s+trigger\s+.*?\s+(before|after|instead\s+of)?\s*insert\s+on\s`)

type schemaObject struct{ name, sql string }

func schemaObjects(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]schemaObject, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.name, &o.sql); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// idleDuringImport reports whether a trigger does nothing while a bundle is
// applied: the change-log triggers (applying = 1) and the audit triggers
// (the import writes with a quiet audit session and one summary line).
func idleDuringImport(triggerSQL string) bool {
	head, _, _ := strings.Cut(triggerSQL, "BEGIN")
	return strings.Contains(head, "WHEN "+syncLocal) || strings.Contains(head, "WHEN "+store.AuditLoud)
}

// bulkStart begins a bulk load of kind k when it brings at least bulkMin
// records and twice as many as the table holds.
func (a *applier) bulkStart(k store.RecordKind, incoming int) error {
	if incoming < bulkMin {
		return nil
	}
	t, err := a.table(k)
	if err != nil {
		return err
	}
	var rows int
	var mark sql.NullInt64
	if err := a.tx.QueryRowContext(a.ctx, `SELECT count(*), max(rowid) FROM `+k.Table).Scan(&rows, &mark); err != nil {
		return fmt.Errorf("data: count %s: %w", k.Table, err)
	}
	if incoming < 2*rows {
		return nil
	}
	fail := func(err error) error { return fmt.Errorf("data: bulk load of %s: %w", k.Table, err) }
	triggers, err := schemaObjects(a.ctx, a.tx, `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`, k.Table)
	if err != nil {
		return fail(err)
	}
	load := &bulkLoad{mark: mark.Int64}
	var aside []schemaObject
	all := true
	for _, tr := range triggers {
		if !insertTriggerHead.MatchString(tr.sql) {
			continue
		}
		if idleDuringImport(tr.sql) {
			aside = append(aside, tr)
		} else if stmts, ok := store.BulkRefresh(tr.name); ok {
			aside = append(aside, tr)
			load.refresh = append(load.refresh, stmts...)
		} else {
			all = false
		}
	}
	keepIndexes := incoming > bulkMax
	if !all {
		// A trigger without a set-based equivalent runs row by row; the
		// indexes stay too if it reads the table it fires on.
		aside, load.refresh = nil, nil
		reads, err := insertTriggerReads(a.ctx, a.tx, k.Table)
		if err != nil {
			return err
		}
		keepIndexes = keepIndexes || reads
	}
	var indexes []schemaObject
	if !keepIndexes {
		indexes, err = schemaObjects(a.ctx, a.tx, `SELECT s.name, s.sql FROM sqlite_schema s JOIN pragma_index_list(?1) l ON l.name = s.name
		WHERE s.type = 'index' AND s.sql IS NOT NULL AND l."unique" = 0 ORDER BY s.name`, k.Table)
		if err != nil {
			return fail(err)
		}
	}
	for _, o := range indexes {
		if _, err := a.tx.ExecContext(a.ctx, `DROP INDEX `+quoteIdent(o.name)); err != nil {
			return fail(err)
		}
		load.indexes = append(load.indexes, o.sql)
	}
	for _, o := range aside {
		if _, err := a.tx.ExecContext(a.ctx, `DROP TRIGGER `+quoteIdent(o.name)); err != nil {
			return fail(err)
		}
		load.triggers = append(load.triggers, o.sql)
	}
	if len(load.indexes)+len(load.triggers) == 0 {
		return nil
	}
	t.bulk = load
	t.resetStatements()
	return nil
}

// bulkEnd ends kind k's bulk load: indexes rebuilt, derived tables
// refreshed over the loaded rows, triggers back.
func (a *applier) bulkEnd(k store.RecordKind) error {
	t, ok := a.tables[k.Name]
	if !ok || t.bulk == nil {
		return nil
	}
	load := t.bulk
	t.bulk = nil
	// Rows still waiting for their INSERT belong to the load.
	if err := a.flushPending(); err != nil {
		return err
	}
	for _, q := range load.indexes {
		if _, err := a.tx.ExecContext(a.ctx, q); err != nil {
			return fmt.Errorf("data: rebuild index: %w", err)
		}
	}
	if len(load.refresh) > 0 {
		if err := a.spillLoad(k.Table, load.mark); err != nil {
			return err
		}
	}
	for _, q := range load.refresh {
		var args []any
		if strings.Contains(q, "?1") {
			args = append(args, load.mark)
		}
		if _, err := a.tx.ExecContext(a.ctx, q, args...); err != nil {
			return fmt.Errorf("data: refresh after bulk load of %s: %w", k.Table, err)
		}
	}
	for _, q := range load.triggers {
		if _, err := a.tx.ExecContext(a.ctx, q); err != nil {
			return fmt.Errorf("data: restore trigger: %w", err)
		}
	}
	t.resetStatements()
	return nil
}

// spillLoad writes out the pages a load left dirty in the page cache before
// the refreshes run. A refresh is one statement over all the loaded rows; a
// page it pushes out of a cache full of dirty pages is also copied to the
// statement's journal (in memory during an import) until the statement
// ends: ~45 MB at a million visits. So the cache is made small and the
// loaded rows read once, a read that keeps no journal: the dirty pages go
// to the WAL (where the commit would have put them) and their memory is
// freed; then the cache is large again for the refreshes.
func (a *applier) spillLoad(table string, mark int64) error {
	fail := func(err error) error { return fmt.Errorf("data: after bulk load of %s: %w", table, err) }
	if _, err := a.tx.ExecContext(a.ctx, store.DefaultCache); err != nil {
		return fail(err)
	}
	var n int64
	if err := a.tx.QueryRowContext(a.ctx, `SELECT count(*) FROM `+quoteIdent(table)+` WHERE rowid > ?1`, mark).Scan(&n); err != nil {
		return fail(err)
	}
	if _, err := a.tx.ExecContext(a.ctx, store.LargeCache); err != nil {
		return fail(err)
	}
	return nil
}

// resetStatements closes the table's prepared statements: after a schema
// change they would be prepared again on every use.
func (t *tableApplier) resetStatements() {
	for key, st := range t.stmts {
		st.Close()
		delete(t.stmts, key)
	}
}

// insertTriggerReads reports whether an insert trigger of table names the
// table itself in its body (FROM, JOIN, UPDATE, INTO or after a comma).
func insertTriggerReads(ctx context.Context, tx *sql.Tx, table string) (bool, error) {
	triggers, err := schemaObjects(ctx, tx, `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL`, table)
	if err != nil {
		return false, fmt.Errorf("data: triggers of %s: %w", table, err)
	}
	self := regexp.MustCompile(`(?i)(\bfrom|\bjoin|\bupdate|\binto|,)\s*["\x60\[]?` + regexp.QuoteMeta(table) + `(["\x60\]]|\s|$|[(),;])`)
	for _, tr := range triggers {
		if !insertTriggerHead.MatchString(tr.sql) {
			continue
		}
		body := strings.ToLower(tr.sql)
		if i := strings.Index(body, "begin"); i >= 0 {
			body = body[i:]
		}
		if self.MatchString(body) {
			return true, nil
		}
	}
	return false, nil
}

// setAsideLogIndex drops the change log's lseq index for an import that
// brings at least twice as many records as the log holds (all the records of
// one import share one lseq, so the index is rebuilt in one sort); the
// returned statement rebuilds it. "" when nothing was set aside.
func setAsideLogIndex(ctx context.Context, tx *sql.Tx, incoming int) (string, error) {
	if incoming < bulkMin || incoming > bulkMax {
		return "", nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_changes`).Scan(&n); err != nil {
		return "", fmt.Errorf("data: count change log: %w", err)
	}
	if incoming < 2*n {
		return "", nil
	}
	var q string
	err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'sync_changes_lseq'`).Scan(&q)
	if err == sql.ErrNoRows {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("data: change log index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP INDEX sync_changes_lseq`); err != nil {
		return "", fmt.Errorf("data: change log index: %w", err)
	}
	return q, nil
}
