package data

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
	lseq    int64
	wall    int64 // this computer's clock, ms
	maxSeen int64
	tables  map[string]*tableApplier
	selVer  *sql.Stmt
	putVer  *sql.Stmt
	putConf *sql.Stmt

	Applied, Skipped, Conflicts int
	FutureStamps                int
	maxAhead                    int64
}

type tableApplier struct {
	kind  RecordKind
	cols  map[string]column
	stmts map[string]*sql.Stmt
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
	for _, p := range []string{`PRAGMA defer_foreign_keys = ON`, `PRAGMA cache_size = -65536`} {
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
	for _, st := range []*sql.Stmt{a.selVer, a.putVer, a.putConf} {
		if st != nil {
			st.Close()
		}
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

func (a *applier) table(k RecordKind) (*tableApplier, error) {
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
func (a *applier) apply(k RecordKind, rec *incomingRecord) (outcome, error) {
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
	var cur, curBase version
	have := true
	err = a.selVer.QueryRowContext(a.ctx, k.Name, rec.ID).Scan(&cur.HLC, &cur.Node, &curBase.HLC, &curBase.Node)
	if errors.Is(err, sql.ErrNoRows) {
		have = false
	} else if err != nil {
		return keepLocal, fmt.Errorf("data: read version: %w", err)
	}
	in, inBase := version{rec.HLC, rec.Node}, version{rec.BaseHLC, rec.BaseNode}
	res := merge(cur, curBase, in, inBase, have)
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
			if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", cur.HLC, cur.Node, in.HLC, in.Node, string(row), nowMillis()); err != nil {
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
		row, err := json.Marshal(rec.Row)
		if err != nil {
			return res, err
		}
		if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", cur.HLC, cur.Node, in.HLC, in.Node, string(row), nowMillis()); err != nil {
			return res, fmt.Errorf("data: keep conflict: %w", err)
		}
		a.Conflicts++
		return res, nil
	case conflictWin:
		row, err := rowJSON(a.ctx, a.tx, k.Name, rec.ID, blobInline)
		if err != nil {
			return res, err
		}
		if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "concurrent", in.HLC, in.Node, cur.HLC, cur.Node, string(row), nowMillis()); err != nil {
			return res, fmt.Errorf("data: keep conflict: %w", err)
		}
		a.Conflicts++
	}
	// Store the row: insert, or update the columns the bundle carries.
	names := make([]string, 0, len(rec.Row))
	for n := range rec.Row {
		if _, ok := t.cols[n]; ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	args := make([]any, len(names))
	for i, n := range names {
		if args[i], err = a.value(t.cols[n], rec.Row[n]); err != nil {
			return res, err
		}
	}
	// Plain UPDATE, then INSERT: an upsert's conflict clause would override
	// the OR REPLACE inside other features' triggers on the same table.
	key := strings.Join(names, ",")
	err = a.store(t, key, names, args, have)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			// Another record holds the same unique value (e.g. one resident
			// entered at two stations): keep this one for a person to merge.
			row, jerr := json.Marshal(rec.Row)
			if jerr != nil {
				return res, jerr
			}
			if _, err := a.putConf.ExecContext(a.ctx, k.Name, rec.ID, "duplicate", 0, "", in.HLC, in.Node, string(row), nowMillis()); err != nil {
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
