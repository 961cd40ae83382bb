package sync

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"stationdesk/data/store"
)

// incomingRecord is one line of a bundle's records/KIND.jsonl.
type incomingRecord struct {
	ID       string                     `json:"id"`
	HLC      int64                      `json:"hlc"`
	Node     string                     `json:"node"`
	BaseHLC  int64                      `json:"base_hlc"`
	BaseNode string                     `json:"base_node"`
	Row      map[string]json.RawMessage `json:"row"`
}

// blobMode says how BLOB values are written in a row's JSON.
type blobMode int

const (
	blobInline blobMode = iota // {"b64": "…"}, for conflicts and enrolment
	blobFile                   // {"file": "<sha256>"}, the content in files/<sha256>
)

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, `\u00`...)
				b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, "0123456789abcdef"[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

// appendRow appends a record's columns as a JSON object; blob turns a BLOB
// value into its JSON.
func appendRow(b []byte, cols []column, vals []any, blob func(v []byte) ([]byte, error)) ([]byte, error) {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.Name)
		b = append(b, ':')
		switch v := vals[i].(type) {
		case nil:
			b = append(b, "null"...)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case float64:
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		case bool:
			if v {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case string:
			b = appendJSONString(b, v)
		case []byte:
			if c.Type == "TEXT" {
				b = appendJSONString(b, string(v))
				continue
			}
			j, err := blob(v)
			if err != nil {
				return nil, err
			}
			b = append(b, j...)
		default:
			return nil, fmt.Errorf("data: column %s: unexpected value type %T", c.Name, v)
		}
	}
	return append(b, '}'), nil
}

func inlineBlob(v []byte) ([]byte, error) {
	return append(appendJSONString([]byte(`{"b64":`), base64.StdEncoding.EncodeToString(v)), '}'), nil
}

// rowJSON reads one record as JSON with inline blobs.
func rowJSON(ctx context.Context, tx *sql.Tx, kind, id string, _ blobMode) (json.RawMessage, error) {
	k, ok := syncKind(kind)
	if !ok {
		return nil, fmt.Errorf("data: unknown kind %s", kind)
	}
	cols, err := tableColumns(ctx, tx, k.Table)
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := tx.QueryRowContext(ctx, "SELECT "+selectList(cols, "")+" FROM "+k.Table+" WHERE id = ?", id).Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("data: read %s: %w", kind, err)
	}
	return appendRow(nil, cols, vals, inlineBlob)
}

func selectList(cols []column, prefix string) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = prefix + quoteIdent(c.Name)
	}
	return strings.Join(names, ", ")
}

// applier writes incoming records inside one import transaction.
type applier struct {
	ctx     context.Context
	tx      *sql.Tx
	self    string
	files   func(sha string) ([]byte, error) // resolves {"file": sha}; nil: none allowed
	restamp bool                             // the bureau re-stamps versions from a wrong clock
	// holdBefore, at a station restored and not yet sent everything back
	// (sync_epoch.go, awaitingEcho): a shared record whose station fields
	// are older than this stamp takes the bureau's fields without a new
	// version of the station's, which would beat its own lost versions.
	holdBefore int64
	// lost is the sender's restore window (BundleHeader.Restored): its own
	// versions stamped inside were lost with its disk, so a version it made
	// after the restore does not descend from them.
	lost     [2]int64
	lostNode string
	sides    *syncSides          // set for bundles: who may change what is checked
	owners   map[string]rowOwner // stored owners of the prefetched records that exist
	lseq     int64
	wall     int64 // this computer's clock, ms
	maxSeen  int64
	tables   map[string]*tableApplier
	selVer   *sql.Stmt
	preVer   *sql.Stmt // selVer for verChunk ids at once
	pre      map[string]preVersion
	pending  []pendingRow // new records waiting for one INSERT
	putVer   *sql.Stmt
	putVers  map[int]*sql.Stmt // putVer for n records at once
	putConf  *sql.Stmt

	Applied, Skipped, Conflicts int
	FutureStamps                int
	maxAhead                    int64
}

// verChunk is how many records' versions are looked up in one query.
const verChunk = 256

// preVersion is a record's local version, looked up ahead of its turn.
type preVersion struct {
	cur, base version
	have      bool
}

// prefetch looks up the local versions of a chunk of records of one kind in
// one query. apply uses each at most once (a record repeated in the chunk is
// looked up again after the first is stored).
func (a *applier) prefetch(kind string, recs []*incomingRecord) error {
	clear(a.pre)
	if a.pre == nil {
		a.pre = make(map[string]preVersion, verChunk)
	}
	args := make([]any, 0, verChunk+1)
	args = append(args, kind)
	for _, r := range recs {
		if len(args) > verChunk {
			break
		}
		args = append(args, r.ID)
		a.pre[r.ID] = preVersion{}
	}
	for len(args) < verChunk+1 {
		args = append(args, args[1]) // pad: a repeated id matches the same row
	}
	rows, err := a.preVer.QueryContext(a.ctx, args...)
	if err != nil {
		return fmt.Errorf("data: read versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p preVersion
		if err := rows.Scan(&id, &p.cur.HLC, &p.cur.Node, &p.base.HLC, &p.base.Node); err != nil {
			return fmt.Errorf("data: read versions: %w", err)
		}
		p.have = true
		if _, asked := a.pre[id]; asked {
			a.pre[id] = p
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if a.sides == nil {
		return nil
	}
	// The owners of the rows that exist already: an incoming version may
	// not change them.
	var have []string
	for id, p := range a.pre {
		if p.have {
			have = append(have, id)
		}
	}
	k, _ := syncKind(kind)
	owners, err := storedOwners(a.ctx, a.tx, k, have)
	a.owners = owners
	return err
}

// storedOwner is the owner of the stored row id, if there is one.
func (a *applier) storedOwner(k store.RecordKind, id string) (rowOwner, bool, error) {
	if o, ok := a.owners[id]; ok {
		return o, true, nil
	}
	m, err := storedOwners(a.ctx, a.tx, k, []string{id})
	if err != nil {
		return rowOwner{}, false, err
	}
	o, ok := m[id]
	return o, ok, nil
}

type tableApplier struct {
	kind  store.RecordKind
	cols  map[string]column
	stmts map[string]*sql.Stmt
	bulk  *bulkLoad       // set while the table is bulk-loaded
	rules map[string]Rule // incoming values' checks (sync_validate.go)

	lastKeys, lastNames []string // see columnsOf
	lastKey             string
}

// columnsOf gives the row's columns that the table has, sorted, and their
// statement key. Consecutive rows of a kind carry the same columns: the last
// answer is kept and reused when the row has exactly the same keys.
func (t *tableApplier) columnsOf(row map[string]json.RawMessage) ([]string, string) {
	if len(row) == len(t.lastKeys) && len(row) > 0 {
		same := true
		for _, n := range t.lastKeys {
			if _, ok := row[n]; !ok {
				same = false
				break
			}
		}
		if same {
			return t.lastNames, t.lastKey
		}
	}
	keys := make([]string, 0, len(row))
	names := make([]string, 0, len(row))
	for n := range row {
		keys = append(keys, n)
		if _, ok := t.cols[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	t.lastKeys, t.lastNames, t.lastKey = keys, names, strings.Join(names, ",")
	return t.lastNames, t.lastKey
}

func newApplier(ctx context.Context, tx *sql.Tx, self string, files func(string) ([]byte, error)) (*applier, error) {
	a := &applier{ctx: ctx, tx: tx, self: self, files: files, tables: map[string]*tableApplier{}}
	var err error
	if a.lseq, err = nextLseq(ctx, tx); err != nil {
		return nil, err
	}
	if a.wall, err = wallMillis(ctx, tx); err != nil {
		return nil, fmt.Errorf("data: sync clock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET applying = 1 WHERE one = 1`); err != nil {
		return nil, fmt.Errorf("data: begin applying: %w", err)
	}
	// A larger page cache: a big import otherwise spills pages mid-way.
	for _, p := range []string{`PRAGMA defer_foreign_keys = ON`, store.LargeCache} {
		if _, err := tx.ExecContext(ctx, p); err != nil {
			return nil, fmt.Errorf("data: begin applying: %w", err)
		}
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	a.selVer = prep(`SELECT hlc, node, base_hlc, base_node FROM sync_changes WHERE kind = ? AND id = ?`)
	a.preVer = prep(`SELECT id, hlc, node, base_hlc, base_node FROM sync_changes WHERE kind = ? AND id IN (` +
		strings.TrimSuffix(strings.Repeat("?, ", verChunk), ", ") + `)`)
	a.putVer = prep(`INSERT INTO sync_changes(kind, id, hlc, node, base_hlc, base_node, lseq) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(kind, id) DO UPDATE SET hlc = excluded.hlc, node = excluded.node, base_hlc = excluded.base_hlc,
		base_node = excluded.base_node, lseq = excluded.lseq`)
	a.putConf = prep(`INSERT INTO sync_conflicts(kind, record_id, reason, winner_hlc, winner_node, loser_hlc, loser_node, loser_row, detected_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		a.close()
		return nil, fmt.Errorf("data: prepare import: %w", err)
	}
	return a, nil
}

func (a *applier) close() {
	a.tx.ExecContext(a.ctx, store.DefaultCache) // see largeCache
	for _, st := range []*sql.Stmt{a.selVer, a.preVer, a.putVer, a.putConf} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range a.putVers {
		st.Close()
	}
	for _, t := range a.tables {
		for _, st := range t.stmts {
			st.Close()
		}
	}
}

// finish ends applying: the triggers record local edits again and the clock
// moves past every believable stamp seen.
func (a *applier) finish() error {
	if err := a.flushPending(); err != nil {
		return err
	}
	if _, err := a.tx.ExecContext(a.ctx, `UPDATE sync_state SET applying = 0, hlc = max(hlc, ?) WHERE one = 1`, a.maxSeen); err != nil {
		return fmt.Errorf("data: end applying: %w", err)
	}
	for _, t := range a.tables {
		if t.kind.OnSync == nil {
			continue
		}
		if err := t.kind.OnSync(a.ctx, a.tx); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) table(k store.RecordKind) (*tableApplier, error) {
	if t, ok := a.tables[k.Name]; ok {
		return t, nil
	}
	cols, err := tableColumns(a.ctx, a.tx, k.Table)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("data: no table %s", k.Table)
	}
	t := &tableApplier{kind: k, cols: map[string]column{}, stmts: map[string]*sql.Stmt{}}
	for _, c := range cols {
		t.cols[c.Name] = c
	}
	a.tables[k.Name] = t
	return t, nil
}

// errRowExists: an insert met a stored row of the same id.
var errRowExists = errors.New("data: row exists")

// errBadRecord marks a record that cannot be stored as it is.
type errBadRecord struct{ msg string }

func (e errBadRecord) Error() string { return "bad record: " + e.msg }

// value converts a JSON value to what the local column stores.
func (a *applier) value(c column, raw json.RawMessage) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch c.Type {
	case "INTEGER", "INT":
		if string(raw) == "true" {
			return int64(1), nil
		}
		if string(raw) == "false" {
			return int64(0), nil
		}
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, errBadRecord{"column " + c.Name + " wants an integer"}
		}
		return n, nil
	case "REAL":
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, errBadRecord{"column " + c.Name + " wants a number"}
		}
		return f, nil
	case "TEXT":
		if raw[0] != '"' {
			return nil, errBadRecord{"column " + c.Name + " wants text"}
		}
		if s := raw[1 : len(raw)-1]; !strings.ContainsAny(string(s), `\"`) && utf8.Valid(s) {
			return string(s), nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errBadRecord{"column " + c.Name + " wants text"}
		}
		return s, nil
	case "BLOB":
		var ref struct {
			File string  `json:"file"`
			B64  *string `json:"b64"`
		}
		if err := json.Unmarshal(raw, &ref); err != nil {
			return nil, errBadRecord{"column " + c.Name + " wants a file"}
		}
		if ref.B64 != nil {
			b, err := base64.StdEncoding.DecodeString(*ref.B64)
			if err != nil {
				return nil, errBadRecord{"column " + c.Name + " has bad base64"}
			}
			return b, nil
		}
		if a.files == nil || !fileNameRE.MatchString("files/"+ref.File) {
			return nil, errBadRecord{"column " + c.Name + " names no file"}
		}
		b, err := a.files(ref.File)
		if err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	default: // ANY or untyped: numbers stay numbers, the rest text
		var v any
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, errBadRecord{"column " + c.Name + " is not JSON"}
		}
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return n, nil
			}
			f, _ := x.Float64()
			return f, nil
		case string:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return string(raw), nil
	}
}

// apply merges one incoming record. It reports what it did.
func (a *applier) apply(k store.RecordKind, rec *incomingRecord) (outcome, error) {
	t, err := a.table(k)
	if err != nil {
		return keepLocal, err
	}
	if rec.ID == "" || len(rec.ID) > 100 || rec.Node == "" || rec.HLC <= 0 {
		return keepLocal, errBadRecord{"missing id or version"}
	}
	if raw, ok := rec.Row["id"]; !ok || string(raw) != strconv.Quote(rec.ID) && !jsonStringIs(raw, rec.ID) {
		return keepLocal, errBadRecord{"row id differs from record id"}
	}
	if p, ok := a.pre[rec.ID]; len(a.pending) > 0 && (!ok || p.have) {
		// This record reads or writes what the waiting ones may touch.
		if err := a.flushPending(); err != nil {
			return keepLocal, err
		}
	}
	var cur, curBase version
	have := true
	if p, ok := a.pre[rec.ID]; ok {
		delete(a.pre, rec.ID)
		cur, curBase, have = p.cur, p.base, p.have
	} else {
		err = a.selVer.QueryRowContext(a.ctx, k.Name, rec.ID).Scan(&cur.HLC, &cur.Node, &curBase.HLC, &curBase.Node)
		if errors.Is(err, sql.ErrNoRows) {
			have = false
		} else if err != nil {
			return keepLocal, fmt.Errorf("data: read version: %w", err)
		}
	}
	in, inBase := version{rec.HLC, rec.Node}, version{rec.BaseHLC, rec.BaseNode}
	ka, _ := authorityOf(k.Name)
	if a.sides != nil {
		if have {
			if o, ok, err := a.storedOwner(k, rec.ID); err != nil {
				return keepLocal, err
			} else if ok {
				if err := a.sides.authorizeStored(k, rec, o); err != nil {
					return keepLocal, err
				}
			}
		}
	}
	res := merge(cur, curBase, in, inBase, have)
	if have && res == takeIncoming && in.Node == a.lostNode && cur.Node == in.Node && inBase != cur &&
		cur.HLC > a.lost[0] && cur.HLC < a.lost[1] && in.HLC >= a.lost[1] {
		// Made after a restore, without the lost version: concurrent, and
		// the lost one is kept for a person to see.
		res = conflictWin
		if ka != nil && ka.merge != nil && a.sides != nil {
			if err := a.keepLoser(k, rec, ka, in, cur); err != nil {
				return keepLocal, err
			}
		}
	}
	reissue := false // the stored row is not the incoming one: a new local version
	if ka != nil && ka.merge != nil && a.sides != nil {
		if !have && a.sides.echo(rec) {
			// The station's own version, whole, as it once made it.
		} else if !have {
			merged := ka.merge(a.sides.fromBureau, nil, rec.Row)
			reissue = !sameRow(ka, merged, rec.Row)
			rec.Row = merged
		} else if res != keepLocal && !((res == takeIncoming || res == conflictWin) && a.sides.lostOwn(cur, curBase, inBase)) {
			return a.applyShared(t, k, ka, rec, in, inBase)
		}
	}
	future := hlcMillis(rec.HLC) > a.wall+maxClockAhead.Milliseconds()
	if future {
		a.FutureStamps++
		a.maxAhead = max(a.maxAhead, hlcMillis(rec.HLC)-a.wall)
	} else {
		a.maxSeen = max(a.maxSeen, rec.HLC)
	}
	if res == conflictWin && future && a.restamp {
		// A stamp from a wrong clock counts as made just after the version
		// it was made over. If the local version wins so judged, the bureau
		// says so with a new version made over the incoming one, which the
		// station then takes (rule 3) instead of keeping its own.
		if !(version{inBase.HLC + 1, in.Node}).after(cur) {
			row, err := json.Marshal(rec.Row)
			if err != nil {
				return res, err
			}
			if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", cur.HLC, cur.Node, in.HLC, in.Node, string(row), store.NowMillis()); err != nil {
				return res, fmt.Errorf("data: keep conflict: %w", err)
			}
			h, l, node, err := tick(a.ctx, a.tx)
			if err != nil {
				return res, err
			}
			if _, err := a.putVer.ExecContext(a.ctx, k.Name, rec.ID, h, node, in.HLC, in.Node, l); err != nil {
				return res, fmt.Errorf("data: record version: %w", err)
			}
			a.Conflicts++
			return conflictLose, nil
		}
	}
	switch res {
	case keepLocal:
		a.Skipped++
		return res, nil
	case conflictLose:
		if same, err := a.sameAsLocal(k, ka, rec); err != nil || same {
			a.Skipped++
			return keepLocal, err
		}
		row, err := json.Marshal(rec.Row)
		if err != nil {
			return res, err
		}
		if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", cur.HLC, cur.Node, in.HLC, in.Node, string(row), store.NowMillis()); err != nil {
			return res, fmt.Errorf("data: keep conflict: %w", err)
		}
		a.Conflicts++
		return res, nil
	case conflictWin:
		if err := a.keepLoser(k, rec, ka, in, cur); err != nil {
			return res, err
		}
	}
	// Store the row: insert, or update the columns the bundle carries.
	names, key := t.columnsOf(rec.Row)
	args := make([]any, len(names))
	for i, n := range names {
		if args[i], err = a.value(t.cols[n], rec.Row[n]); err != nil {
			return res, err
		}
	}
	if a.sides != nil {
		if err := t.validate(k, rec.ID, rec.Row, names, args); err != nil {
			return res, err
		}
	}
	if reissue {
		if err := a.flushPending(); err != nil {
			return res, err
		}
		if res, err = a.write(t, k, rec, key, names, args, false, in, inBase, future, res); err != nil || res == conflictLose {
			return res, err
		}
		return res, a.reissue(k, rec.ID, in)
	}
	if !have && !future {
		// A new record: it waits to go in with its neighbours.
		a.pending = append(a.pending, pendingRow{t: t, k: k, rec: rec, key: key, names: names, args: args, in: in, inBase: inBase})
		if len(a.pending) >= insertBatch {
			return res, a.flushPending()
		}
		return res, nil
	}
	return a.write(t, k, rec, key, names, args, have, in, inBase, future, res)
}

// localRow reads the stored row of a record as JSON values.
func (a *applier) localRow(k store.RecordKind, id string) (map[string]json.RawMessage, error) {
	row, err := rowJSON(a.ctx, a.tx, k.Name, id, blobInline)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(row, &m); err != nil {
		return nil, fmt.Errorf("data: read %s: %w", k.Name, err)
	}
	return m, nil
}

// sameAsLocal says whether an incoming version holds what is stored already
// (lists compared as sets): then two versions differ in name only and make
// no conflict.
func (a *applier) sameAsLocal(k store.RecordKind, ka *kindAuthority, rec *incomingRecord) (bool, error) {
	local, err := a.localRow(k, rec.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return sameRow(ka, local, rec.Row), nil
}

// applyShared merges a version of a shared record (an opinion) field by
// field: only the sender's fields are taken from it. When the result is
// neither the stored row nor the incoming one, it becomes a new local
// version made over the incoming one, so that the sender takes the other
// side's fields back (merge rule 3) and both copies end equal.
func (a *applier) applyShared(t *tableApplier, k store.RecordKind, ka *kindAuthority, rec *incomingRecord, in, inBase version) (outcome, error) {
	if err := a.flushPending(); err != nil {
		return keepLocal, err
	}
	local, err := a.localRow(k, rec.ID)
	if err != nil {
		return keepLocal, err
	}
	merged := ka.merge(a.sides.fromBureau && !a.sides.echo(rec), local, rec.Row)
	if sameRow(ka, merged, local) {
		a.Skipped++
		return keepLocal, nil
	}
	incoming := sameRow(ka, merged, rec.Row)
	rec.Row = merged
	names, key := t.columnsOf(merged)
	args := make([]any, len(names))
	for i, n := range names {
		if args[i], err = a.value(t.cols[n], merged[n]); err != nil {
			return keepLocal, err
		}
	}
	if err := t.validate(k, rec.ID, merged, names, args); err != nil {
		return keepLocal, err
	}
	hold := false
	if !incoming && a.holdBefore > 0 {
		var cur, base version
		if err := a.selVer.QueryRowContext(a.ctx, k.Name, rec.ID).Scan(&cur.HLC, &cur.Node, &base.HLC, &base.Node); err != nil {
			return keepLocal, fmt.Errorf("data: read version: %w", err)
		}
		hold = cur.Node != a.self || cur.HLC < a.holdBefore
	}
	if incoming || hold {
		future := hlcMillis(rec.HLC) > a.wall+maxClockAhead.Milliseconds()
		return a.write(t, k, rec, key, names, args, true, in, inBase, future, takeIncoming)
	}
	if err := a.store(t, key, names, args, true); err != nil {
		return keepLocal, fmt.Errorf("data: store %s: %w", k.Name, err)
	}
	a.Applied++
	return takeIncoming, a.reissue(k, rec.ID, in)
}

// reissue gives a stored record a new local version made over the incoming
// one: the sender takes it back by merge rule 3.
func (a *applier) reissue(k store.RecordKind, id string, in version) error {
	h, l, node, err := tick(a.ctx, a.tx)
	if err != nil {
		return err
	}
	if _, err := a.putVer.ExecContext(a.ctx, k.Name, id, h, node, in.HLC, in.Node, l); err != nil {
		return fmt.Errorf("data: record version: %w", err)
	}
	return nil
}

// insertBatch is how many new records of a kind go in with one INSERT:
// one statement (one statement journal, one full-text index flush) for
// many rows instead of one per row.
const insertBatch = 256

// pendingRow is a new record waiting for its batch's INSERT.
type pendingRow struct {
	t          *tableApplier
	k          store.RecordKind
	rec        *incomingRecord
	key        string
	names      []string
	args       []any
	in, inBase version
}

// flushPending inserts the waiting new records. Consecutive records with the
// same columns go in one multi-row INSERT; if it fails (a duplicate, a bad
// value) nothing of it stays and the records go one by one, as they would
// have without batching.
func (a *applier) flushPending() error {
	rows := a.pending
	a.pending = a.pending[:0]
	for len(rows) > 0 {
		n := 1
		for n < len(rows) && rows[n].t == rows[0].t && rows[n].key == rows[0].key {
			n++
		}
		group := rows[:n]
		rows = rows[n:]
		if len(group) > 1 && a.insertMany(group) == nil {
			if err := a.putVersions(group); err != nil {
				return err
			}
			a.Applied += len(group)
			continue
		}
		for _, p := range group {
			if _, err := a.write(p.t, p.k, p.rec, p.key, p.names, p.args, false, p.in, p.inBase, false, keepLocal); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertMany inserts rows of one table and one column set with one statement.
func (a *applier) insertMany(group []pendingRow) error {
	t := group[0].t
	skey := fmt.Sprintf("m%d:%s", len(group), group[0].key)
	st, ok := t.stmts[skey]
	if !ok {
		names := group[0].names
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = quoteIdent(n)
		}
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
		q := "INSERT INTO " + t.kind.Table + "(" + strings.Join(quoted, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", len(group)), ", ")
		var err error
		if st, err = a.tx.PrepareContext(a.ctx, q); err != nil {
			return err
		}
		t.stmts[skey] = st
	}
	args := make([]any, 0, len(group)*len(group[0].args))
	for _, p := range group {
		args = append(args, p.args...)
	}
	_, err := st.ExecContext(a.ctx, args...)
	return err
}

// putVersions records the versions of a group of new records with one
// statement (prepared once per group size).
func (a *applier) putVersions(group []pendingRow) error {
	st, ok := a.putVers[len(group)]
	if !ok {
		q := `INSERT INTO sync_changes(kind, id, hlc, node, base_hlc, base_node, lseq) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?), ", len(group)), ", ")
		var err error
		if st, err = a.tx.PrepareContext(a.ctx, q); err != nil {
			return fmt.Errorf("data: record versions: %w", err)
		}
		if a.putVers == nil {
			a.putVers = map[int]*sql.Stmt{}
		}
		a.putVers[len(group)] = st
	}
	args := make([]any, 0, 7*len(group))
	for _, p := range group {
		args = append(args, p.k.Name, p.rec.ID, p.in.HLC, p.in.Node, p.inBase.HLC, p.inBase.Node, a.lseq)
	}
	if _, err := st.ExecContext(a.ctx, args...); err != nil {
		return fmt.Errorf("data: record versions: %w", err)
	}
	return nil
}

// write stores one record's row and its version.
func (a *applier) write(t *tableApplier, k store.RecordKind, rec *incomingRecord, key string, names []string, args []any, have bool, in, inBase version, future bool, res outcome) (outcome, error) {
	// Plain UPDATE, then INSERT: an upsert's conflict clause would override
	// the OR REPLACE inside other features' triggers on the same table.
	err := a.store(t, key, names, args, have)
	if errors.Is(err, errRowExists) {
		if o, ok, oerr := a.storedOwner(k, rec.ID); oerr != nil {
			return res, oerr
		} else if ok {
			if aerr := a.sides.authorizeStored(k, rec, o); aerr != nil {
				return res, aerr
			}
		}
		err = a.store(t, key, names, args, true)
	}
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			// Another record holds the same unique value (e.g. one resident
			// entered at two stations): keep this one for a person to merge.
			row, jerr := json.Marshal(rec.Row)
			if jerr != nil {
				return res, jerr
			}
			if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "duplicate", 0, "", in.HLC, in.Node, string(row), store.NowMillis()); err != nil {
				return res, fmt.Errorf("data: keep duplicate: %w", err)
			}
			a.Conflicts++
			return conflictLose, nil
		}
		if strings.Contains(err.Error(), "constraint failed") || strings.Contains(err.Error(), "cannot store") {
			return res, errBadRecord{k.Name + ": " + err.Error()}
		}
		return res, fmt.Errorf("data: store %s: %w", k.Name, err)
	}
	v, base := in, inBase
	lseq := a.lseq
	if future && a.restamp {
		// A stamp from a computer whose clock is far ahead must not win every
		// later conflict: the bureau re-issues the version under its own clock.
		h, l, node, err := tick(a.ctx, a.tx)
		if err != nil {
			return res, err
		}
		v, base, lseq = version{h, node}, in, l
	}
	if _, err := a.putVer.ExecContext(a.ctx, k.Name, rec.ID, v.HLC, v.Node, base.HLC, base.Node, lseq); err != nil {
		return res, fmt.Errorf("data: record version: %w", err)
	}
	a.Applied++
	return res, nil
}

func jsonStringIs(raw json.RawMessage, s string) bool {
	var x string
	return json.Unmarshal(raw, &x) == nil && x == s
}

// store writes a record's columns: UPDATE when it exists, else INSERT.
func (a *applier) store(t *tableApplier, key string, names []string, args []any, exists bool) error {
	upd, ok := t.stmts["u:"+key]
	if !ok {
		var sets []string
		for _, n := range names {
			if n != "id" {
				sets = append(sets, quoteIdent(n)+" = ?")
			}
		}
		q := "UPDATE " + t.kind.Table + " SET " + strings.Join(sets, ", ") + " WHERE id = ?"
		if len(sets) == 0 {
			q = "SELECT 1 WHERE ? IS NULL"
		}
		var err error
		if upd, err = a.tx.PrepareContext(a.ctx, q); err != nil {
			return err
		}
		t.stmts["u:"+key] = upd
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = quoteIdent(n)
		}
		ins, err := a.tx.PrepareContext(a.ctx, "INSERT INTO "+t.kind.Table+"("+strings.Join(quoted, ", ")+") VALUES ("+ph+")")
		if err != nil {
			return err
		}
		t.stmts["i:"+key] = ins
	}
	if !exists {
		// Most records of a big import are new: try the insert first.
		_, err := t.stmts["i:"+key].ExecContext(a.ctx, args...)
		if err == nil || !strings.Contains(err.Error(), "UNIQUE constraint failed: "+t.kind.Table+".id") {
			return err
		}
		if a.sides != nil {
			// A row of that id exists without a version: it has an owner too.
			return errRowExists
		}
	}
	if t.bulk != nil {
		// An update: its triggers may need what the bulk load set aside.
		if err := a.bulkEnd(t.kind); err != nil {
			return err
		}
		return a.store(t, key, names, args, true)
	}
	var id any
	uargs := make([]any, 0, len(args))
	for i, n := range names {
		if n == "id" {
			id = args[i]
		} else {
			uargs = append(uargs, args[i])
		}
	}
	r, err := upd.ExecContext(a.ctx, append(uargs, id)...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n > 0 {
		return nil
	}
	_, err = t.stmts["i:"+key].ExecContext(a.ctx, args...)
	return err
}

// decodeRecord reads one records/KIND.jsonl line. Lines as this program
// writes them (keys in plain ASCII, scalar values, no whitespace) are
// scanned directly; anything else goes through encoding/json, so that the
// result is always what json.Unmarshal would give. The record keeps no
// reference to line.
func decodeRecord(line []byte, rec *incomingRecord) error {
	if fastDecodeRecord(line, rec) {
		return nil
	}
	*rec = incomingRecord{}
	return json.Unmarshal(line, rec)
}

// fastDecodeRecord reports false, leaving rec in any state, whenever the
// line is not in the plain form it knows.
func fastDecodeRecord(line []byte, rec *incomingRecord) bool {
	*rec = incomingRecord{}
	b := append([]byte(nil), line...) // values keep pointing into this copy
	i := 0
	if len(b) < 2 || b[0] != '{' {
		return false
	}
	i = 1
	var seen uint8
	for {
		key, j, ok := plainString(b, i)
		if !ok || j >= len(b) || b[j] != ':' {
			return false
		}
		i = j + 1
		var bit uint8
		switch key {
		case "id", "node", "base_node":
			s, j, ok := plainString(b, i)
			if !ok {
				return false
			}
			switch key {
			case "id":
				bit, rec.ID = 1, s
			case "node":
				bit, rec.Node = 2, s
			default:
				bit, rec.BaseNode = 4, s
			}
			i = j
		case "hlc", "base_hlc":
			n, j, ok := plainInt(b, i)
			if !ok {
				return false
			}
			if key == "hlc" {
				bit, rec.HLC = 8, n
			} else {
				bit, rec.BaseHLC = 16, n
			}
			i = j
		case "row":
			bit = 32
			if i = fastRow(b, i, rec); i < 0 {
				return false
			}
		default:
			return false
		}
		if seen&bit != 0 {
			return false // a repeated key: encoding/json's rules apply
		}
		seen |= bit
		if i >= len(b) {
			return false
		}
		if b[i] == '}' {
			return i == len(b)-1
		}
		if b[i] != ',' {
			return false
		}
		i++
	}
}

// fastRow scans the row object starting at b[i]; it returns the index after
// it, or -1.
func fastRow(b []byte, i int, rec *incomingRecord) int {
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	i++
	rec.Row = make(map[string]json.RawMessage, 24)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		key, j, ok := plainString(b, i)
		if !ok || j >= len(b) || b[j] != ':' {
			return -1
		}
		i = j + 1
		end := scalarEnd(b, i)
		if end < 0 {
			return -1
		}
		rec.Row[key] = json.RawMessage(b[i:end:end])
		i = end
		if i >= len(b) {
			return -1
		}
		if b[i] == '}' {
			return i + 1
		}
		if b[i] != ',' {
			return -1
		}
		i++
	}
}

// plainString reads a JSON string at b[i] with no escapes, no control
// characters and valid UTF-8, returning its text and the index after it.
func plainString(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[i+1 : j]
			if !utf8.Valid(s) {
				return "", 0, false
			}
			return string(s), j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// plainInt reads an integer in JSON's grammar that fits int64.
func plainInt(b []byte, i int) (int64, int, bool) {
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	start := j
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == start || (b[start] == '0' && j-start > 1) {
		return 0, 0, false
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, 0, false
	}
	n, err := strconv.ParseInt(string(b[i:j]), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return n, j, true
}

// scalarEnd finds the end of a JSON string, number, true, false or null at
// b[i], checking its grammar; -1 for anything else (objects and arrays go to
// encoding/json).
func scalarEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '"':
				return j + 1
			case '\\':
				j++
				if j >= len(b) {
					return -1
				}
				switch b[j] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				case 'u':
					if j+4 >= len(b) {
						return -1
					}
					for _, h := range b[j+1 : j+5] {
						if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
							return -1
						}
					}
					j += 4
				default:
					return -1
				}
			default:
				if b[j] < 0x20 {
					return -1
				}
			}
		}
		return -1
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
				return i + len(lit)
			}
		}
		return -1
	case c == '-' || c >= '0' && c <= '9':
		j := i
		if b[j] == '-' {
			j++
		}
		digits := func() int {
			s := j
			for j < len(b) && b[j] >= '0' && b[j] <= '9' {
				j++
			}
			return j - s
		}
		if j < len(b) && b[j] == '0' {
			j++
		} else if digits() == 0 {
			return -1
		}
		if j < len(b) && b[j] == '.' {
			j++
			if digits() == 0 {
				return -1
			}
		}
		if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
			j++
			if j < len(b) && (b[j] == '+' || b[j] == '-') {
				j++
			}
			if digits() == 0 {
				return -1
			}
		}
		return j
	}
	return -1
}

// lostOwn reports, at a station, whether an incoming version was made over a
// version of the station's own that the station no longer holds (it restored
// an older backup): the incoming row then carries the station's fields newer
// than its own, and is taken whole.
func (s *syncSides) lostOwn(cur, curBase, inBase version) bool {
	if !s.fromBureau || inBase.Node != s.station {
		return false
	}
	var own int64
	switch {
	case cur.Node == s.station:
		own = cur.HLC
	case curBase.Node == s.station:
		own = curBase.HLC
	}
	return inBase.HLC > own
}

// echo reports whether rec is the station's own version sent back by the
// bureau after the station started a new epoch (a restore, a reinstall):
// its fields are the station's, merged as if the station had sent them.
func (s *syncSides) echo(rec *incomingRecord) bool {
	return s.fromBureau && rec.Node == s.station
}

// keepLoser keeps the stored row in the conflict list, the incoming version
// having won over it (unless they hold the same).
func (a *applier) keepLoser(k store.RecordKind, rec *incomingRecord, ka *kindAuthority, in, cur version) error {
	row, err := rowJSON(a.ctx, a.tx, k.Name, rec.ID, blobInline)
	if err != nil {
		return err
	}
	var local map[string]json.RawMessage
	if err := json.Unmarshal(row, &local); err != nil {
		return err
	}
	if sameRow(ka, local, rec.Row) {
		return nil
	}
	if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", in.HLC, in.Node, cur.HLC, cur.Node, string(row), store.NowMillis()); err != nil {
		return fmt.Errorf("data: keep conflict: %w", err)
	}
	a.Conflicts++
	return nil
}
