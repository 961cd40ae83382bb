package sync_test

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// derived is what the bulk path must leave exactly as the row-by-row path
// does: the indexes, the tables triggers keep, the change log and the audit
// lines of the import.
func derived(t *testing.T, st *data.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, q := range map[string]string{
		"indexes":      `SELECT name || ':' || sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`,
		"plan":         `SELECT resident_id || '/' || category || '/' || village || '/' || last_visit FROM resident_plan ORDER BY 1`,
		"last_visit":   `SELECT resident_id || '/' || last_visit FROM resident_last_visit ORDER BY 1`,
		"service_last": `SELECT resident_id || '/' || service || '/' || last_date FROM resident_service_last ORDER BY 1`,
		"changes":      `SELECT kind || '/' || id || '/' || hlc || '/' || node || '/' || base_hlc || '/' || base_node FROM sync_changes ORDER BY 1`,
		"audit":        `SELECT action || '/' || kind || '/' || record_id FROM audit_log WHERE action NOT IN ('backup', 'keys') ORDER BY seq`, // keys: the row-by-row copy never wrote the bureau's bundle that the station's receipt names, so it warns of a leaked key
		"triggers":     `SELECT name || ':' || sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`,
		"search_map":   `SELECT n || '/' || policy_id || '/' || status || '/' || expires || '/' || effective || '/' || category FROM policy_search_map ORDER BY n`,
		"fts_rows":     `SELECT id FROM policy_fts_docsize ORDER BY id`,
	} {
		out[name] = strings.Join(ids(t, st, q), "\n")
	}
	// The full-text index answers the same: every word of every title.
	var hits []string
	for _, title := range ids(t, st, `SELECT title FROM policies ORDER BY id`) {
		r := []rune(title)
		for _, q := range []string{title, string(r[:min(len(r), 2)])} {
			res, err := st.SearchPolicies(t.Context(), data.PolicyQuery{Text: q, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res {
				hits = append(hits, q+"→"+h.ID)
			}
		}
	}
	out["search"] = strings.Join(hits, "\n")
	return out
}

// TestBulkImportMatchesRowByRow imports the same bundles into two copies of
// the bureau, one as a bulk load (bulkMin lowered: indexes and insert
// triggers set aside, derived tables and the full-text index refreshed at the
// end) and one row by row; the second bundle also updates records that
// exist, which ends the bulk load mid-way. Everything must come out equal.
func TestBulkImportMatchesRowByRow(t *testing.T) {
	t.Run("indexes and triggers set aside", func(t *testing.T) { bulkMatchesRowByRow(t, 250000) })
	// More records than bulkMax: the indexes stay, the triggers go.
	t.Run("triggers set aside", func(t *testing.T) { bulkMatchesRowByRow(t, 11) })
}

func bulkMatchesRowByRow(t *testing.T, max int) {
	old := (*dsync.BulkMax)
	*dsync.BulkMax = max
	defer func() { *dsync.BulkMax = old }()
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	if _, err := runDemo(ctx, st, demo.Options{Residents: 30, Visits: 100, Policies: 24, Seed: 3, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	rowByRow := copyOfStore(t, net.bureau)
	start := derived(t, net.bureau)
	before, triggersBefore := start["indexes"], start["triggers"]

	both := func(path string) {
		t.Helper()
		*dsync.BulkMin = 1 << 30
		mustImport(t, rowByRow, path, "imported")
		*dsync.BulkMin = 10
		defer func() { *dsync.BulkMin = 10000 }()
		mustImport(t, net.bureau, path, "imported")
	}
	both(net.up(0))
	if got := derived(t, net.bureau)["indexes"]; got != before {
		t.Fatalf("indexes after a bulk import:\n%s\nwant\n%s", got, before)
	}
	if got := derived(t, net.bureau)["triggers"]; got != triggersBefore {
		t.Fatalf("triggers after a bulk import:\n%.3000s\nwant\n%.3000s", got, triggersBefore)
	}
	if d := derived(t, net.bureau); d["search"] == "" || d["fts_rows"] == "" || d["plan"] == "" {
		t.Fatal("the bulk load left the search index or the visit plan empty")
	}
	mustImport(t, st, net.down(0), "imported") // the receipt: the next bundle carries only what follows

	// Three times as many new visits as the bureau holds, then edits of
	// visits it has (an update: the indexes come back before it). The copies
	// carry their services, one in five on a later day, so that the refresh
	// of the latest visit per service meets rows the bureau has, both older
	// and newer.
	for i := 0; i < 2; i++ {
		edit(t, st, fmt.Sprintf(`INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, services, notes)
			SELECT substr(id, 1, 24) || printf('%%012x', rowid * 4 + %d), origin, created_at, updated_at,
				CASE WHEN rowid %% 5 = %d THEN '2026-11-16' ELSE date END, resident_id, services, 'copy' FROM visits`, i, i))
	}
	edit(t, st, `UPDATE visits SET date = '2026-11-16', notes = 'moved' WHERE id IN (SELECT id FROM visits WHERE notes != 'copy' ORDER BY id LIMIT 7)`)
	edit(t, st, `UPDATE residents SET village = '新村' WHERE id IN (SELECT id FROM residents ORDER BY id LIMIT 3)`)
	edit(t, st, `UPDATE policies SET title = title || '（修订）' WHERE id IN (SELECT id FROM policies ORDER BY id LIMIT 2)`)
	both(net.up(0))

	a, b := snapshot(t, rowByRow, nil), snapshot(t, net.bureau, nil)
	if len(a) < 400 || !reflect.DeepEqual(a, b) {
		t.Fatalf("records differ: row by row %d, bulk %d", len(a), len(b))
	}
	da, db := derived(t, rowByRow), derived(t, net.bureau)
	for k := range da {
		if da[k] != db[k] {
			t.Fatalf("%s differs:\nrow by row\n%.2000s\nbulk\n%.2000s", k, da[k], db[k])
		}
	}
	if da["indexes"] != before {
		t.Fatal("indexes changed")
	}
	if err := net.bureau.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	// The import's large page cache is given back (see largeCache).
	var cache int
	// (On the writer connection: the one a write transaction runs on.)
	if err := net.bureau.Write(ctx, func(tx *sql.Tx) error { return tx.QueryRow(`PRAGMA cache_size`).Scan(&cache) }); err != nil || cache != -2000 {
		t.Fatalf("writer's cache_size after an import = %d, %v; want -2000", cache, err)
	}
	var moved int
	net.bureau.Read().QueryRow(`SELECT count(*) FROM visits WHERE notes = 'moved' AND date = '2026-11-16'`).Scan(&moved)
	if moved != 7 {
		t.Fatalf("%d of 7 edited visits arrived", moved)
	}
}

// TestBulkRefreshesDoNotSort: during an import temp_store is MEMORY, and
// SQLite's sorter then keeps every row it sorts in memory; a refresh that
// sorts the rows of a million-record load (a GROUP BY no index gives) takes
// the import far past its memory target. Every registered refresh must walk
// the table or an index in order instead.
func TestBulkRefreshesDoNotSort(t *testing.T) {
	st := openStore(t, "")
	n := 0
	for _, name := range ids(t, st, `SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`) {
		stmts, ok := store.BulkRefresh(name)
		if !ok {
			continue
		}
		for _, q := range stmts {
			var args []any
			if strings.Contains(q, "?1") {
				args = append(args, 0)
			}
			rows, err := st.Read().QueryContext(t.Context(), `EXPLAIN QUERY PLAN `+q, args...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var steps []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				steps = append(steps, detail)
			}
			rows.Close()
			for _, d := range steps {
				if strings.Contains(d, "TEMP B-TREE") {
					t.Errorf("the bulk refresh of %s sorts (%s):\n%s\nplan: %s", name, d, q, strings.Join(steps, "; "))
				}
			}
			n++
		}
	}
	if n < 5 {
		t.Fatalf("%d bulk refreshes found; the migrated schema has at least 5", n)
	}
}

// TestInsertTriggerReads finds an insert trigger that reads its own table
// (the indexes then stay during a bulk load) and ignores the rest.
func TestInsertTriggerReads(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "")
	edit(t, st, `CREATE TABLE tt (id TEXT PRIMARY KEY, v TEXT)`)
	edit(t, st, `CREATE TABLE log (k TEXT, n INTEGER)`)
	check := func(want bool) {
		t.Helper()
		tx, err := st.Read().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if got, err := dsync.InsertTriggerReads(ctx, tx, "tt"); err != nil || got != want {
			t.Fatalf("insertTriggerReads = %v, %v; want %v", got, err, want)
		}
	}
	edit(t, st, `CREATE TRIGGER tt_ins AFTER INSERT ON tt BEGIN INSERT INTO log VALUES ('tt', 1); END`)
	edit(t, st, `CREATE TRIGGER tt_upd AFTER UPDATE ON tt BEGIN INSERT INTO log SELECT 'x', count(*) FROM tt; END`)
	check(false)
	edit(t, st, `CREATE TRIGGER tt_ins2 AFTER INSERT ON tt BEGIN INSERT INTO log SELECT 'x', count(*) FROM "tt" WHERE v = NEW.v; END`)
	check(true)
}

// TestBatchedInsertKeepsDuplicates: new records go in 32 to an INSERT; one
// resident whose ID number the bureau already holds (from another station)
// fails its batch, and the batch goes row by row: that one is kept as a
// duplicate conflict, the others arrive.
func TestBatchedInsertKeepsDuplicates(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	until := time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)
	if _, err := runDemo(ctx, net.stations[0], demo.Options{Residents: 5, Visits: 0, Seed: 11, Until: until}); err != nil {
		t.Fatal(err)
	}
	if _, err := runDemo(ctx, net.stations[1], demo.Options{Residents: 70, Visits: 0, Seed: 12, Until: until}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.bureau, net.up(0), "imported")
	var idn string
	if err := net.bureau.Read().QueryRow(`SELECT id_number FROM residents WHERE id_number IS NOT NULL LIMIT 1`).Scan(&idn); err != nil {
		t.Fatal(err)
	}
	var dupID string
	if err := net.stations[1].Read().QueryRow(`SELECT id FROM residents ORDER BY id LIMIT 1 OFFSET 40`).Scan(&dupID); err != nil {
		t.Fatal(err)
	}
	edit(t, net.stations[1], `UPDATE residents SET id_number = ? WHERE id = ?`, idn, dupID)
	var want int
	net.stations[1].Read().QueryRow(`SELECT count(*) FROM residents`).Scan(&want)
	r := mustImport(t, net.bureau, net.up(1), "imported")
	var got, kept int
	net.bureau.Read().QueryRow(`SELECT count(*) FROM residents WHERE origin = ?`, net.codes[1]).Scan(&got)
	net.bureau.Read().QueryRow(`SELECT count(*) FROM sync_conflicts WHERE reason = 'duplicate' AND record_id = ?`, dupID).Scan(&kept)
	if r.Conflicts != 1 || kept != 1 || got != want-1 {
		t.Fatalf("conflicts %d, kept %d, residents %d of %d", r.Conflicts, kept, got, want-1)
	}
	var versions int
	net.bureau.Read().QueryRow(`SELECT count(*) FROM sync_changes c JOIN residents r ON r.id = c.id WHERE c.kind = 'residents' AND r.origin = ?`, net.codes[1]).Scan(&versions)
	if versions != got {
		t.Fatalf("%d versions for %d residents", versions, got)
	}
}
