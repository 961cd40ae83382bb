package sync

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"filippo.io/age"

	"stationdesk/data/store"
)

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// syncKinds lists the kinds that travel in bundles.
func syncKinds() []store.RecordKind {
	var out []store.RecordKind
	for _, k := range store.Kinds() {
		if k.NoSync || !identRE.MatchString(k.Name) || !identRE.MatchString(k.Table) {
			continue
		}
		out = append(out, k)
	}
	return out
}

func syncKind(name string) (store.RecordKind, bool) {
	for _, k := range syncKinds() {
		if k.Name == name {
			return k, true
		}
	}
	return store.RecordKind{}, false
}

// column of a record table, as PRAGMA table_info gives it.
type column struct {
	Name    string
	Type    string // upper case: INTEGER, TEXT, REAL, BLOB, ANY
	NotNull bool
	HasDflt bool
}

func tableColumns(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, table string) ([]column, error) {
	if !identRE.MatchString(table) {
		return nil, fmt.Errorf("data: bad table name %q", table)
	}
	rows, err := q.QueryContext(ctx, `SELECT name, upper(type), "notnull", dflt_value IS NOT NULL FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("data: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.Name, &c.Type, &c.NotNull, &c.HasDflt); err != nil {
			return nil, fmt.Errorf("data: columns of %s: %w", table, err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// syncLocal is the guard of the change-log triggers: true unless a bundle is
// being applied.
const syncLocal = `(SELECT applying FROM sync_state WHERE one = 1) = 0`

// syncTriggerSQL records every insert and update of a kind's table in the
// change log with a fresh stamp, unless the change is being applied from a
// bundle (sync_state.applying), in which case the importer writes the log.
func syncTriggerSQL(k store.RecordKind) string {
	body := func(event string) string {
		return fmt.Sprintf(`CREATE TRIGGER sync_%s_%s AFTER %s ON %s
WHEN `+syncLocal+`
BEGIN
	%s;
	INSERT INTO sync_changes(kind, id, hlc, node, base_hlc, base_node, lseq)
		SELECT '%s', NEW.id, hlc, node, 0, '', lseq FROM sync_state WHERE one = 1
	ON CONFLICT(kind, id) DO UPDATE SET
		base_hlc  = CASE WHEN sync_changes.node <> excluded.node THEN sync_changes.hlc  ELSE sync_changes.base_hlc  END,
		base_node = CASE WHEN sync_changes.node <> excluded.node THEN sync_changes.node ELSE sync_changes.base_node END,
		hlc = excluded.hlc, node = excluded.node, lseq = excluded.lseq;
END;`, strings.ToLower(event[:3]), k.Table, event, k.Table, hlcTickSQL, k.Name)
	}
	return body("INSERT") + "\n" + body("UPDATE")
}

// ensureSyncTriggers makes sure every kind's table is tracked. A table seen
// for the first time gets its triggers and its existing rows enter the log,
// all in one transaction, so no change can slip between the two.
func (s *Engine) ensureSyncTriggers(ctx context.Context) error {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return &store.Error{Kind: store.KindInvalid, Op: "sync", Field: "identity", Msg: "请先完成首次设置"}
	}
	return s.Write(ctx, func(tx *sql.Tx) error { return ensureSyncTriggersTx(ctx, tx, ident.Code) })
}

func ensureSyncTriggersTx(ctx context.Context, tx *sql.Tx, code string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET node = ? WHERE one = 1 AND node = ''`, code); err != nil {
		return fmt.Errorf("data: sync node: %w", err)
	}
	for _, k := range syncKinds() {
		var tables, triggers int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?),
			(SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN (?, ?))`,
			k.Table, "sync_ins_"+k.Table, "sync_upd_"+k.Table).Scan(&tables, &triggers); err != nil {
			return fmt.Errorf("data: look for %s: %w", k.Table, err)
		}
		if tables == 0 || triggers == 2 {
			continue
		}
		for _, t := range []string{"sync_ins_" + k.Table, "sync_upd_" + k.Table} {
			if _, err := tx.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+t); err != nil {
				return fmt.Errorf("data: drop trigger: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, syncTriggerSQL(k)); err != nil {
			return fmt.Errorf("data: track %s: %w", k.Table, err)
		}
		lseq, err := nextLseq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO sync_changes(kind, id, hlc, node, base_hlc, base_node, lseq)
			SELECT ?, t.id, min(t.updated_at, `+hlcWallSQL+`) << 16, s.node, 0, '', ? FROM %s t, sync_state s WHERE s.one = 1
			ON CONFLICT(kind, id) DO NOTHING`, k.Table), k.Name, lseq); err != nil {
			return fmt.Errorf("data: log existing %s: %w", k.Table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET hlc = max(hlc, (SELECT coalesce(max(hlc), 0) FROM sync_changes WHERE node = sync_state.node)) WHERE one = 1`); err != nil {
		return fmt.Errorf("data: sync clock: %w", err)
	}
	return nil
}

// keys is this installation's signing key and decryption identity.
type keys struct {
	sign ed25519.PrivateKey
	age  *age.X25519Identity
}

func (k *keys) signPub() string {
	return base64.StdEncoding.EncodeToString(k.sign.Public().(ed25519.PublicKey))
}

func newKeys() (*keys, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("data: make signing key: %w", err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("data: make encryption key: %w", err)
	}
	return &keys{sign: priv, age: id}, nil
}

func storeKeys(ctx context.Context, tx *sql.Tx, k *keys) error {
	now := store.NowMillis()
	for _, row := range [][2]string{
		{base64.StdEncoding.EncodeToString(k.sign.Seed()), k.signPub()},
		{k.age.String(), k.age.Recipient().String()},
	} {
		name := "sign"
		if strings.HasPrefix(row[0], "AGE-SECRET-KEY-") {
			name = "age"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_keys(name, secret, public, created_at) VALUES (?, ?, ?, ?)`, name, row[0], row[1], now); err != nil {
			return fmt.Errorf("data: store keys: %w", err)
		}
	}
	return nil
}

func parseSignSeed(s string) (ed25519.PrivateKey, error) {
	seed, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("bad signing key")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func parseSignPub(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("bad public signing key")
	}
	return ed25519.PublicKey(b), nil
}

// loadKeys reads this installation's keys; ok is false before EnsureKeys or enrolment.
func loadKeys(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (*keys, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, secret FROM sync_keys`)
	if err != nil {
		return nil, false, fmt.Errorf("data: read keys: %w", err)
	}
	defer rows.Close()
	k := &keys{}
	for rows.Next() {
		var name, secret string
		if err := rows.Scan(&name, &secret); err != nil {
			return nil, false, fmt.Errorf("data: read keys: %w", err)
		}
		switch name {
		case "sign":
			if k.sign, err = parseSignSeed(secret); err != nil {
				return nil, false, &store.Error{Kind: store.KindDamaged, Op: "read keys", Err: err}
			}
		case "age":
			if k.age, err = age.ParseX25519Identity(secret); err != nil {
				return nil, false, &store.Error{Kind: store.KindDamaged, Op: "read keys", Err: errors.New("bad encryption key")}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("data: read keys: %w", err)
	}
	return k, k.sign != nil && k.age != nil, nil
}

// EnsureKeys gives a set-up installation its signing key and decryption
// identity if it has none yet, and starts tracking changes. The bureau calls
// it at `init bureau`; a station gets its keys from its enrolment file.
func (s *Engine) EnsureKeys(ctx context.Context) error {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return &store.Error{Kind: store.KindInvalid, Op: "ensure keys", Field: "identity", Msg: "请先完成首次设置"}
	}
	if err := s.ensureSyncTriggers(ctx); err != nil {
		return err
	}
	if ident.Role != store.RoleBureau {
		return nil
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, ok, err := loadKeys(ctx, tx); err != nil || ok {
			return err
		}
		k, err := newKeys()
		if err != nil {
			return err
		}
		return storeKeys(ctx, tx, k)
	})
}

// Peer is a station or bureau this installation exchanges bundles with.
type Peer struct {
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	Role         store.Role `json:"role"`
	SignPub      string     `json:"sign_pub"`
	AgeRecipient string     `json:"age_recipient"`
	EnrolledAt   int64      `json:"enrolled_at"`
	InSeq        int64      `json:"in_seq"`  // highest bundle sequence applied from them
	InHash       string     `json:"in_hash"` // hash of that bundle
	InAt         int64      `json:"in_at"`   // when it was imported (unix ms)
	InCreated    int64      `json:"in_created"`
	Gaps         string     `json:"gaps"` // sequences never received, e.g. "3-4,7"
	OutSeq       int64      `json:"out_seq"`
	OutHash      string     `json:"out_hash"`
	AckedSeq     int64      `json:"acked_seq"`
	AckedLseq    int64      `json:"-"`
	ClockAheadMs int64      `json:"clock_ahead_ms"`
	InEpoch      string     `json:"in_epoch"`  // the epoch of the peer's bundles applied last
	EchoOwn      bool       `json:"resending"` // the peer started a new epoch: it is sent everything again
	KeyedAt      int64      `json:"keyed_at"`  // when its keys were last replaced (0: never)
}

const peerCols = `code, name, role, sign_pub, age_recipient, enrolled_at, in_seq, in_hash, in_at, in_created, gaps, out_seq, out_hash, acked_seq, acked_lseq, clock_ahead_ms, in_epoch, echo_own, keyed_at`

func scanPeer(sc interface{ Scan(...any) error }) (Peer, error) {
	var p Peer
	err := sc.Scan(&p.Code, &p.Name, &p.Role, &p.SignPub, &p.AgeRecipient, &p.EnrolledAt, &p.InSeq, &p.InHash, &p.InAt, &p.InCreated,
		&p.Gaps, &p.OutSeq, &p.OutHash, &p.AckedSeq, &p.AckedLseq, &p.ClockAheadMs, &p.InEpoch, &p.EchoOwn, &p.KeyedAt)
	return p, err
}

func getPeer(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, code string) (Peer, bool, error) {
	p, err := scanPeer(q.QueryRowContext(ctx, `SELECT `+peerCols+` FROM sync_peers WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("data: read peer: %w", err)
	}
	return p, true, nil
}

// Peers lists the stations (at the bureau) or the bureau (at a station).
func (s *Engine) Peers(ctx context.Context) ([]Peer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+peerCols+` FROM sync_peers ORDER BY role, code`)
	if err != nil {
		return nil, fmt.Errorf("data: list peers: %w", err)
	}
	defer rows.Close()
	var out []Peer
	for rows.Next() {
		p, err := scanPeer(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list peers: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// bureauPeer is a station's one bureau.
func bureauPeer(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Peer, bool, error) {
	p, err := scanPeer(q.QueryRowContext(ctx, `SELECT `+peerCols+` FROM sync_peers WHERE role = 'bureau' LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("data: read bureau: %w", err)
	}
	return p, true, nil
}
