package sync

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"filippo.io/age"

	"stationdesk/data/store"
)

// The bureau's recovery file holds what it cannot make again: its identity,
// its own keys and the public keys of the stations it enrolled. It is sealed
// with a code of RecoveryCodeDigits digits that the bureau keeps on paper,
// apart from the file. Records are not in it: they come back from backups
// and, the stations' own, from the stations.

// RecoveryFormat names the recovery file's inner document.
const RecoveryFormat = "stationdesk-recovery"

// SettingRecoveryAt is when the last recovery file was written (unix ms).
const SettingRecoveryAt = "recovery_written_at"

// maxRecoveryBytes bounds a recovery file (some thousand stations).
const maxRecoveryBytes = 4 << 20

// maxRecoveryStations bounds the stations one recovery file may name.
const maxRecoveryStations = 5000

type recoveryDoc struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Created int64  `json:"created"`
	Bureau  struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Division    string `json:"division_code"`
		SignKey     string `json:"sign_key"`
		AgeIdentity string `json:"age_identity"`
	} `json:"bureau"`
	Stations []recoveryStation `json:"stations"`
}

type recoveryStation struct {
	Code         string          `json:"code"`
	Name         string          `json:"name"`
	SignPub      string          `json:"sign_pub"`
	AgeRecipient string          `json:"age_recipient"`
	EnrolledAt   int64           `json:"enrolled_at"`
	Revoked      []string        `json:"revoked,omitempty"`
	Record       json.RawMessage `json:"record,omitempty"` // the bureau's stations row
	HLC          int64           `json:"hlc,omitempty"`
}

var errBadRecovery = store.Invalid("file", "恢复文件无效或已损坏")

// WriteRecovery returns the bureau's recovery file, sealed under a new code
// that is returned too and shown once.
func (s *Engine) WriteRecovery(ctx context.Context) (file []byte, code string, err error) {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return nil, "", err
	}
	if !ok || ident.Role != store.RoleBureau {
		return nil, "", &store.Error{Kind: store.KindInvalid, Op: "recovery", Field: "role", Msg: "只有区县人社局需要恢复文件"}
	}
	if err := s.EnsureKeys(ctx); err != nil {
		return nil, "", err
	}
	var d recoveryDoc
	err = s.Write(ctx, func(tx *sql.Tx) error {
		k, ok, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		if !ok {
			return &store.Error{Kind: store.KindDamaged, Op: "recovery", Err: errors.New("bureau keys missing")}
		}
		d.Format, d.Version, d.Created = RecoveryFormat, 1, store.NowMillis()
		d.Bureau.Code, d.Bureau.Name, d.Bureau.Division = ident.Code, ident.Name, ident.DivisionCode
		d.Bureau.SignKey = base64.StdEncoding.EncodeToString(k.sign.Seed())
		d.Bureau.AgeIdentity = k.age.String()
		rows, err := tx.QueryContext(ctx, `SELECT code, name, sign_pub, age_recipient, enrolled_at FROM sync_peers WHERE role = 'station' ORDER BY code`)
		if err != nil {
			return fmt.Errorf("data: recovery: %w", err)
		}
		for rows.Next() {
			var st recoveryStation
			if err := rows.Scan(&st.Code, &st.Name, &st.SignPub, &st.AgeRecipient, &st.EnrolledAt); err != nil {
				rows.Close()
				return fmt.Errorf("data: recovery: %w", err)
			}
			d.Stations = append(d.Stations, st)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("data: recovery: %w", err)
		}
		for i := range d.Stations {
			st := &d.Stations[i]
			revoked, err := queryStrings(ctx, tx, `SELECT sign_pub FROM sync_revoked WHERE peer = ? ORDER BY revoked_at`, st.Code)
			if err != nil {
				return err
			}
			st.Revoked = revoked
			var id string
			err = tx.QueryRowContext(ctx, `SELECT s.id, c.hlc FROM stations s JOIN sync_changes c ON c.kind = 'stations' AND c.id = s.id
				WHERE s.code = ? ORDER BY s.deleted, s.updated_at DESC LIMIT 1`, st.Code).Scan(&id, &st.HLC)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("data: recovery: %w", err)
			}
			if st.Record, err = rowJSON(ctx, tx, "stations", id, blobInline); err != nil {
				return err
			}
		}
		if err := store.SetSettingTx(ctx, tx, SettingRecoveryAt, strconv.FormatInt(d.Created, 10)); err != nil {
			return err
		}
		return store.AuditEventTx(ctx, tx, AuditKeys, "", "", fmt.Sprintf("recovery file written (%d stations)", len(d.Stations)))
	})
	if err != nil {
		return nil, "", err
	}
	plain, err := json.Marshal(d)
	if err != nil {
		return nil, "", err
	}
	if code, err = NewCode(RecoveryCodeDigits); err != nil {
		return nil, "", err
	}
	file, err = sealWithCode(plain, code, RecoveryCodeDigits)
	return file, code, err
}

func queryStrings(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("data: query: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("data: query: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RecoveryStatus says when the last recovery file was written (zero: never)
// and how many stations were enrolled or re-keyed since, which that file
// does not know.
func (s *Engine) RecoveryStatus(ctx context.Context) (written time.Time, newer int, err error) {
	v, err := s.Setting(ctx, SettingRecoveryAt, "")
	if err != nil {
		return written, 0, err
	}
	at, _ := strconv.ParseInt(v, 10, 64)
	if at > 0 {
		written = time.UnixMilli(at)
	}
	err = s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_peers WHERE role = 'station' AND max(enrolled_at, keyed_at) > ?`, at).Scan(&newer)
	if err != nil {
		return written, 0, fmt.Errorf("data: recovery status: %w", err)
	}
	return written, newer, nil
}

// parseRecovery checks a decrypted recovery document completely.
func parseRecovery(b []byte) (*recoveryDoc, error) {
	if len(b) > maxRecoveryBytes {
		return nil, errBadRecovery
	}
	var d recoveryDoc
	if err := json.Unmarshal(b, &d); err != nil || d.Format != RecoveryFormat {
		return nil, errBadRecovery
	}
	if d.Version != 1 {
		return nil, store.Invalid("file", "恢复文件版本不受支持，请升级程序")
	}
	id := store.Identity{Role: store.RoleBureau, Name: d.Bureau.Name, Code: d.Bureau.Code, DivisionCode: d.Bureau.Division}
	if err := id.Validate(); err != nil {
		return nil, errBadRecovery
	}
	if _, err := parseSignSeed(d.Bureau.SignKey); err != nil {
		return nil, errBadRecovery
	}
	if _, err := age.ParseX25519Identity(d.Bureau.AgeIdentity); err != nil {
		return nil, errBadRecovery
	}
	if len(d.Stations) > maxRecoveryStations {
		return nil, errBadRecovery
	}
	seen := map[string]bool{d.Bureau.Code: true}
	for _, st := range d.Stations {
		sid := store.Identity{Role: store.RoleStation, Name: st.Name, Code: st.Code}
		if err := sid.Validate(); err != nil || seen[st.Code] {
			return nil, errBadRecovery
		}
		seen[st.Code] = true
		if _, err := parseSignPub(st.SignPub); err != nil {
			return nil, errBadRecovery
		}
		if _, err := age.ParseX25519Recipient(st.AgeRecipient); err != nil {
			return nil, errBadRecovery
		}
		if len(st.Revoked) > 1000 {
			return nil, errBadRecovery
		}
		for _, r := range st.Revoked {
			if _, err := parseSignPub(r); err != nil {
				return nil, errBadRecovery
			}
		}
		if len(st.Record) > 0 {
			var row map[string]json.RawMessage
			if err := json.Unmarshal(st.Record, &row); err != nil || JSONText(row["code"]) != st.Code || st.HLC <= 0 {
				return nil, errBadRecovery
			}
			if !utf8.Valid(st.Record) {
				return nil, errBadRecovery
			}
		}
	}
	return &d, nil
}

// OpenRecovery decrypts and checks a recovery file without using it, and
// says which bureau it belongs to and how many stations it names.
func OpenRecovery(file []byte, code string) (store.Identity, int, error) {
	d, err := openRecovery(file, code)
	if err != nil {
		return store.Identity{}, 0, err
	}
	return store.Identity{Role: store.RoleBureau, Name: d.Bureau.Name, Code: d.Bureau.Code, DivisionCode: d.Bureau.Division}, len(d.Stations), nil
}

func openRecovery(file []byte, code string) (*recoveryDoc, error) {
	if len(file) > maxRecoveryBytes || !isSealed(file) {
		return nil, errBadRecovery
	}
	plain, err := openWithCode(file, code, RecoveryCodeDigits, maxRecoveryBytes, errBadRecovery)
	if err != nil {
		return nil, err
	}
	return parseRecovery(plain)
}

// RestoreRecovery makes a new, not yet set-up installation the bureau of the
// recovery file: its identity, its keys, its stations and their keys. The
// stations then see a new epoch of the bureau and send everything again.
func (s *Engine) RestoreRecovery(ctx context.Context, file []byte, code string) (store.Identity, error) {
	d, err := openRecovery(file, code)
	if err != nil {
		return store.Identity{}, err
	}
	id := store.Identity{Role: store.RoleBureau, Name: d.Bureau.Name, Code: d.Bureau.Code, DivisionCode: d.Bureau.Division}
	if _, ok, err := s.Identity(ctx); err != nil {
		return id, err
	} else if ok {
		return id, store.Invalid("file", "本机已经设置过；恢复文件只能用在新安装的程序上（换一个数据文件夹）")
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		if err := store.SetupTx(ctx, tx, id, nil, store.NewID(), store.NowMillis()); err != nil {
			return err
		}
		if err := ensureSyncTriggersTx(ctx, tx, id.Code); err != nil {
			return err
		}
		sign, _ := parseSignSeed(d.Bureau.SignKey)
		ageID, _ := age.ParseX25519Identity(d.Bureau.AgeIdentity)
		if err := storeKeys(ctx, tx, &keys{sign: sign, age: ageID}); err != nil {
			return err
		}
		ap, err := newApplier(ctx, tx, id.Code, nil)
		if err != nil {
			return err
		}
		defer ap.close()
		kind, _ := syncKind("stations")
		for _, st := range d.Stations {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers(code, name, role, sign_pub, age_recipient, enrolled_at)
				VALUES (?, ?, 'station', ?, ?, ?)`, st.Code, st.Name, st.SignPub, st.AgeRecipient, st.EnrolledAt); err != nil {
				return fmt.Errorf("data: restore recovery: %w", err)
			}
			for _, r := range st.Revoked {
				if err := revokeTx(ctx, tx, st.Code, r); err != nil {
					return err
				}
			}
			if len(st.Record) == 0 {
				continue
			}
			rec := incomingRecord{HLC: st.HLC, Node: id.Code}
			if err := json.Unmarshal(st.Record, &rec.Row); err != nil {
				return errBadRecovery
			}
			if err := json.Unmarshal(rec.Row["id"], &rec.ID); err != nil {
				return errBadRecovery
			}
			if _, err := ap.apply(kind, &rec); err != nil {
				return err
			}
		}
		if err := ap.finish(); err != nil {
			return err
		}
		if _, err := newEpochTx(ctx, tx); err != nil {
			return err
		}
		return store.AuditEventTx(ctx, tx, AuditKeys, "", "", fmt.Sprintf("restored from a recovery file (%d stations)", len(d.Stations)))
	})
	return id, err
}
