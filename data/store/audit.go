package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// The audit trail: every change to a record of a registered kind is written
// to audit_log by triggers generated from the kind's columns, with the
// acting officer taken from audit_session (filled by Store.Write). Personal
// fields are never copied into the log: only that they changed.

// auditSkip are bookkeeping or derived columns whose changes are not news.
var auditSkip = map[string]bool{"created_at": true, "updated_at": true, "last_visit": true}

// AuditChanged stands in the log for the old or new value of a personal field.
const AuditChanged = "***"

// auditMaxText is how much of a long text value the log keeps.
const auditMaxText = 200

func init() {
	OnOpen(ensureAuditTriggers)
}

// auditValue is the SQL for what the log keeps of row.col of kind k.
func auditValue(k RecordKind, row, col string) string {
	v := row + "." + auditIdent(col)
	if slices.Contains(k.Personal, col) {
		return fmt.Sprintf("CASE WHEN %[1]s IS NULL OR %[1]s = '' OR %[1]s = '[]' THEN %[1]s ELSE '%[2]s' END", v, AuditChanged)
	}
	return fmt.Sprintf("CASE typeof(%[1]s) WHEN 'blob' THEN '<' || length(%[1]s) || ' bytes>' "+
		"WHEN 'text' THEN CASE WHEN length(%[1]s) > %[2]d THEN substr(%[1]s, 1, %[2]d) || '…' ELSE %[1]s END ELSE %[1]s END", v, auditMaxText)
}

// auditWho is the actor and time of the current write; "external" marks a
// write by another program (which bypasses Store.Write).
const auditWho = `(SELECT COALESCE((SELECT NULLIF(actor, '') FROM audit_session WHERE one = 1), 'external') AS actor,
	COALESCE((SELECT NULLIF(at, 0) FROM audit_session WHERE one = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS at)`

// AuditLoud is the audit triggers' guard: true unless the writing
// transaction is quiet (QuietAudit). The sync engine's bulk loads know an
// idle trigger by it.
const AuditLoud = `COALESCE((SELECT quiet FROM audit_session WHERE one = 1), 0) = 0`

// auditTriggerSQL builds the insert, update and delete triggers of one kind.
func auditTriggerSQL(k RecordKind, cols []string) map[string]string {
	t := k.Table
	var watched []string
	for _, c := range cols {
		if c != "id" && !auditSkip[c] {
			watched = append(watched, c)
		}
	}
	var upd, diff []string
	for _, c := range watched {
		q := auditIdent(c)
		upd = append(upd, fmt.Sprintf("SELECT '%s' AS c, json_array(%s, %s) AS v WHERE OLD.%s IS NOT NEW.%s", c, auditValue(k, "OLD", c), auditValue(k, "NEW", c), q, q))
		diff = append(diff, fmt.Sprintf("OLD.%s IS NOT NEW.%s", q, q))
	}
	obj := func(parts []string) string {
		if len(parts) == 0 {
			return "''"
		}
		return "COALESCE((SELECT json_group_object(c, json(v)) FROM (" + strings.Join(parts, " UNION ALL ") + ")), '')"
	}
	kind := SQLQuote(k.Name)
	name := func(op string) string { return "audit_" + t + "_" + op }
	out := map[string]string{}
	// A new record's values are the record itself: the log keeps who and when
	// (cheap enough for bulk imports).
	out[name("insert")] = fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT ON %s WHEN %s BEGIN
	INSERT INTO audit_log(at, actor, action, kind, record_id, detail)
	SELECT w.at, w.actor, 'create', %s, NEW.id, '' FROM %s AS w;
END`, name("insert"), auditIdent(t), AuditLoud, kind, auditWho)
	if len(diff) > 0 {
		out[name("update")] = fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE ON %s WHEN %s AND (%s) BEGIN
	INSERT INTO audit_log(at, actor, action, kind, record_id, detail)
	SELECT w.at, w.actor, CASE WHEN NEW.deleted = 1 AND OLD.deleted = 0 THEN 'delete' WHEN NEW.deleted = 0 AND OLD.deleted = 1 THEN 'undelete' ELSE 'update' END,
		%s, NEW.id, %s FROM %s AS w;
END`, name("update"), auditIdent(t), AuditLoud, strings.Join(diff, " OR "), kind, obj(upd), auditWho)
	}
	out[name("delete")] = fmt.Sprintf(`CREATE TRIGGER %s AFTER DELETE ON %s WHEN %s BEGIN
	INSERT INTO audit_log(at, actor, action, kind, record_id, detail)
	SELECT w.at, w.actor, 'purge', %s, OLD.id, '' FROM %s AS w;
END`, name("delete"), auditIdent(t), AuditLoud, kind, auditWho)
	return out
}

// ensureAuditTriggers (re)creates the audit triggers of every registered
// kind whose table exists, when their text differs from what is stored.
func ensureAuditTriggers(ctx context.Context, s *Store) error {
	if !s.session {
		return nil
	}
	have := map[string]string{}
	rows, err := s.r.QueryContext(ctx, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'")
	if err != nil {
		return fmt.Errorf("data: list audit triggers: %w", err)
	}
	for rows.Next() {
		var n, q string
		if err := rows.Scan(&n, &q); err != nil {
			rows.Close()
			return fmt.Errorf("data: list audit triggers: %w", err)
		}
		have[n] = q
	}
	rows.Close()
	want := map[string]string{}
	for _, k := range Kinds() {
		cols, err := auditColumns(ctx, s.r, k.Table)
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue
		}
		for n, q := range auditTriggerSQL(k, cols) {
			want[n] = q
		}
	}
	var stale []string
	for n, q := range want {
		if have[n] != q {
			stale = append(stale, n)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	sort.Strings(stale)
	return s.Write(ctx, func(tx *sql.Tx) error {
		for _, n := range stale {
			if _, err := tx.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+auditIdent(n)); err != nil {
				return fmt.Errorf("data: drop audit trigger: %w", err)
			}
			if _, err := tx.ExecContext(ctx, want[n]); err != nil {
				return fmt.Errorf("data: create audit trigger %s: %w", n, err)
			}
		}
		return nil
	})
}

func auditColumns(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, fmt.Errorf("data: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("data: columns of %s: %w", table, err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// Actions the program writes itself (the triggers write create, update,
// delete, undelete, purge).
const (
	AuditReveal       = "reveal"        // a full ID number or phone was shown
	AuditExport       = "export"        // personal data left the program
	AuditErase        = "erase"         // a resident's personal data was removed on request
	AuditSignIn       = "signin"        // an officer signed in
	AuditSignInFailed = "signin_failed" // a wrong password
	AuditAccount      = "account"       // an account was made or changed
	AuditPassword     = "password"      // a password was set or reset
	AuditBackup       = "backup"        // a backup was written
	AuditRestore      = "restore"       // the database was replaced by a backup
	AuditBundleImport = "bundle_import" // a sync bundle was applied (one line, not one per record)
)

// AuditLine is one line of the audit trail, with its sequence number.
type AuditLine struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Kind     string    `json:"kind"`
	RecordID string    `json:"record_id"`
	Detail   string    `json:"detail"`
}

// AuditChange is one changed field of a create or update entry.
type AuditChange struct {
	Field    string `json:"field"`
	Old      string `json:"old"`
	New      string `json:"new"`
	Personal bool   `json:"personal"` // old and new are not recorded, only that it changed
}

// Changes decodes the changed fields of a create, update or delete entry,
// by field name; nil for entries of other actions.
func (a AuditLine) Changes() []AuditChange {
	if a.Detail == "" || a.Detail[0] != '{' {
		return nil
	}
	var m map[string][2]any
	if err := json.Unmarshal([]byte(a.Detail), &m); err != nil {
		return nil
	}
	out := make([]AuditChange, 0, len(m))
	for f, v := range m {
		c := AuditChange{Field: f, Old: auditText(v[0]), New: auditText(v[1])}
		c.Personal = c.Old == AuditChanged || c.New == AuditChanged
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func auditText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmt.Sprintf("%v", x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// AuditTx appends one entry inside a write transaction, as actor (the acting
// officer of ctx when "").
func AuditTx(ctx context.Context, tx *sql.Tx, actor, action, kind, recordID, detail string) error {
	if actor == "" {
		actor = ActorFrom(ctx)
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO audit_log(at, actor, action, kind, record_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
		NowMillis(), actor, action, kind, recordID, detail)
	if err != nil {
		return fmt.Errorf("data: audit %s: %w", action, err)
	}
	return nil
}

// AuditEvent appends an entry (a reveal, an export, a bundle import...) as
// the acting officer of ctx. Detail must not hold personal data itself.
func (s *Store) AuditEvent(ctx context.Context, action, kind, recordID, detail string) error {
	return s.Write(ctx, func(tx *sql.Tx) error { return AuditTx(ctx, tx, "", action, kind, recordID, detail) })
}

// AuditEventTx is AuditEvent inside a transaction the caller holds.
func AuditEventTx(ctx context.Context, tx *sql.Tx, action, kind, recordID, detail string) error {
	return AuditTx(ctx, tx, "", action, kind, recordID, detail)
}

// AuditReveal records that actor was shown the full value of field (id_number,
// phone) of a record. The value itself is not recorded.
func (s *Store) AuditReveal(ctx context.Context, actor, kind, recordID, field string) error {
	return s.Write(ctx, func(tx *sql.Tx) error { return AuditTx(ctx, tx, actor, AuditReveal, kind, recordID, field) })
}

// AuditExport records that actor exported personal data: what says which
// (e.g. "residents.xlsx 128 rows, unmasked"), never the data itself.
func (s *Store) AuditExport(ctx context.Context, actor, what string) error {
	return s.Write(ctx, func(tx *sql.Tx) error { return AuditTx(ctx, tx, actor, AuditExport, "", "", what) })
}

// AuditQuery selects entries; zero fields match everything.
type AuditQuery struct {
	Actor    string
	Action   string
	Kind     string
	RecordID string
	From, To time.Time // To is exclusive
	Limit    int       // default 500
	Before   int64     // entries with seq below this (paging); 0 = newest
}

// AuditLog lists entries, newest first.
func (s *Store) AuditLog(ctx context.Context, q AuditQuery) ([]AuditLine, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if q.Actor != "" {
		add("actor = ?", q.Actor)
	}
	if q.Action != "" {
		add("action = ?", q.Action)
	}
	if q.Kind != "" {
		add("kind = ?", q.Kind)
	}
	if q.RecordID != "" {
		add("record_id = ?", q.RecordID)
	}
	if !q.From.IsZero() {
		add("at >= ?", q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		add("at < ?", q.To.UnixMilli())
	}
	if q.Before > 0 {
		add("seq < ?", q.Before)
	}
	if q.Limit <= 0 {
		q.Limit = 500
	}
	query := "SELECT seq, at, actor, action, kind, record_id, detail FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY seq DESC LIMIT ?"
	args = append(args, q.Limit)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditLine
	for rows.Next() {
		var e AuditLine
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Kind, &e.RecordID, &e.Detail); err != nil {
			return nil, fmt.Errorf("data: read audit log: %w", err)
		}
		e.At = time.UnixMilli(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditActors lists the names that appear in the log, for a search filter.
func (s *Store) AuditActors(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT DISTINCT actor FROM audit_log ORDER BY actor")
	if err != nil {
		return nil, fmt.Errorf("data: audit actors: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func auditIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
