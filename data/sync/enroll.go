package sync

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"filippo.io/age"

	"stationdesk/data/store"
)

// EnrolmentFormat names the enrolment file (see docs/bundle-format.md).
const EnrolmentFormat = "stationdesk-enrolment"

// enrolment is what the bureau gives a new station, in one file: who the
// bureau is, who the station is, and the station's own keys. It is a secret:
// whoever holds it can sign as the station until the bureau enrols it anew.
type enrolment struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Created int64  `json:"created"`
	Bureau  struct {
		Code         string `json:"code"`
		Name         string `json:"name"`
		SignPub      string `json:"sign_pub"`
		AgeRecipient string `json:"age_recipient"`
	} `json:"bureau"`
	Station struct {
		Code        string          `json:"code"`
		Name        string          `json:"name"`
		SignKey     string          `json:"sign_key"`     // ed25519 seed, base64
		AgeIdentity string          `json:"age_identity"` // AGE-SECRET-KEY-1…
		Record      json.RawMessage `json:"record"`       // the bureau's stations row for it
		HLC         int64           `json:"hlc"`          // that row's version
	} `json:"station"`
}

// enrolmentFile wraps the enrolment with the bureau's signature over its bytes.
type enrolmentFile struct {
	Enrolment string `json:"enrolment"`
	Signature string `json:"signature"`
}

// AddStation enrols a station at the bureau: it records the station and its
// public keys, and returns the enrolment file to carry to the station.
func (s *Engine) AddStation(ctx context.Context, code, name string) ([]byte, error) {
	id := store.Identity{Role: store.RoleStation, Name: name, Code: code}
	if err := id.Validate(); err != nil {
		return nil, err
	}
	code, name = id.Code, id.Name
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if !ok || ident.Role != store.RoleBureau {
		return nil, &store.Error{Kind: store.KindInvalid, Op: "add station", Field: "role", Msg: "只有区县人社局可以登记站点"}
	}
	if code == ident.Code {
		return nil, store.Invalid("code", "站点代码不能与本局相同")
	}
	if err := s.EnsureKeys(ctx); err != nil {
		return nil, err
	}
	var out []byte
	err = s.Write(ctx, func(tx *sql.Tx) error {
		own, ok, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		if !ok {
			return &store.Error{Kind: store.KindDamaged, Op: "add station", Err: errors.New("bureau keys missing")}
		}
		if _, exists, err := getPeer(ctx, tx, code); err != nil {
			return err
		} else if exists {
			return &store.Error{Kind: store.KindConflict, Op: "add station", Err: fmt.Errorf("station %s is enrolled already", code)}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stations WHERE code = ? AND origin = ?`, code, ident.Code).Scan(&n); err != nil {
			return fmt.Errorf("data: add station: %w", err)
		}
		if n > 0 {
			return &store.Error{Kind: store.KindConflict, Op: "add station", Err: fmt.Errorf("station %s exists already", code)}
		}
		// Only the bureau makes stations rows; one of another origin (left by
		// an older program that let a station send one) blocks nobody.
		if err := dropForeignStations(ctx, tx, code, ident.Code); err != nil {
			return err
		}
		sk, err := newKeys()
		if err != nil {
			return err
		}
		now := store.NowMillis()
		rowID := store.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO stations(id, origin, created_at, updated_at, code, name, role, division_code)
			VALUES (?, ?, ?, ?, ?, ?, 'station', ?)`, rowID, ident.Code, now, now, code, name, code); err != nil {
			return fmt.Errorf("data: add station: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers(code, name, role, sign_pub, age_recipient, enrolled_at)
			VALUES (?, ?, 'station', ?, ?, ?)`, code, name, sk.signPub(), sk.age.Recipient().String(), now); err != nil {
			return fmt.Errorf("data: add station: %w", err)
		}
		out, err = enrolmentFor(ctx, tx, ident, own, code, name, sk)
		return err
	})
	return out, err
}

// enrolmentFor writes the signed enrolment file of station code, holding the
// station's keys sk and the bureau's stations row for it.
func enrolmentFor(ctx context.Context, tx *sql.Tx, ident store.Identity, own *keys, code, name string, sk *keys) ([]byte, error) {
	var rowID string
	var hlc int64
	if err := tx.QueryRowContext(ctx, `SELECT s.id, c.hlc FROM stations s JOIN sync_changes c ON c.kind = 'stations' AND c.id = s.id
		WHERE s.code = ? ORDER BY s.deleted, s.updated_at DESC LIMIT 1`, code).Scan(&rowID, &hlc); err != nil {
		return nil, fmt.Errorf("data: enrolment of %s: %w", code, err)
	}
	rec, err := rowJSON(ctx, tx, "stations", rowID, blobInline)
	if err != nil {
		return nil, err
	}
	var e enrolment
	e.Format, e.Version, e.Created = EnrolmentFormat, 1, store.NowMillis()
	e.Bureau.Code, e.Bureau.Name = ident.Code, ident.Name
	e.Bureau.SignPub, e.Bureau.AgeRecipient = own.signPub(), own.age.Recipient().String()
	e.Station.Code, e.Station.Name = code, name
	e.Station.SignKey = base64.StdEncoding.EncodeToString(sk.sign.Seed())
	e.Station.AgeIdentity = sk.age.String()
	e.Station.Record, e.Station.HLC = rec, hlc
	body, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(enrolmentFile{
		Enrolment: string(body),
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(own.sign, enrolmentMessage(body))),
	}, "", "  ")
}

// dropForeignStations removes stations rows of code that the bureau did not make.
func dropForeignStations(ctx context.Context, tx *sql.Tx, code, bureau string) error {
	for _, q := range []string{
		`DELETE FROM sync_changes WHERE kind = 'stations' AND id IN (SELECT id FROM stations WHERE code = ? AND origin <> ?)`,
		`DELETE FROM stations WHERE code = ? AND origin <> ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, code, bureau); err != nil {
			return fmt.Errorf("data: add station: %w", err)
		}
	}
	return nil
}

func enrolmentMessage(body []byte) []byte {
	return append([]byte("stationdesk enrolment v1\n"), body...)
}

var errBadEnrolment = store.Invalid("enrol", "登记文件无效或已损坏，请向区县人社局重新索取")

func parseEnrolment(b []byte) (*enrolment, error) {
	if len(b) > maxEnrolmentBytes {
		return nil, errBadEnrolment
	}
	var f enrolmentFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, errBadEnrolment
	}
	var e enrolment
	if err := json.Unmarshal([]byte(f.Enrolment), &e); err != nil || e.Format != EnrolmentFormat {
		return nil, errBadEnrolment
	}
	if e.Version != 1 {
		return nil, store.Invalid("enrol", "登记文件版本不受支持，请升级程序")
	}
	pub, err := parseSignPub(e.Bureau.SignPub)
	if err != nil {
		return nil, errBadEnrolment
	}
	sig, err := base64.StdEncoding.DecodeString(f.Signature)
	if err != nil || !ed25519.Verify(pub, enrolmentMessage([]byte(f.Enrolment)), sig) {
		return nil, errBadEnrolment
	}
	if _, err := age.ParseX25519Recipient(e.Bureau.AgeRecipient); err != nil {
		return nil, errBadEnrolment
	}
	if _, err := parseSignSeed(e.Station.SignKey); err != nil {
		return nil, errBadEnrolment
	}
	if _, err := age.ParseX25519Identity(e.Station.AgeIdentity); err != nil {
		return nil, errBadEnrolment
	}
	id := store.Identity{Role: store.RoleStation, Name: e.Station.Name, Code: e.Station.Code}
	if err := id.Validate(); err != nil {
		return nil, err
	}
	if !store.IsDigits(e.Bureau.Code) || e.Bureau.Name == "" || utf8.RuneCountInString(e.Bureau.Name) > 60 {
		return nil, errBadEnrolment
	}
	return &e, nil
}

// Enroll starts a station from its enrolment file: its identity, its keys
// and its bureau. A station set up on its own before (same code) joins its
// bureau the same way and keeps its records.
func (s *Engine) Enroll(ctx context.Context, file []byte) (store.Identity, error) {
	return s.EnrollWithCode(ctx, file, "")
}

// EnrollWithCode is Enroll for an enrolment file sealed with the one-time
// code the bureau gave by phone (a plain file, written by older programs,
// needs none).
func (s *Engine) EnrollWithCode(ctx context.Context, file []byte, code string) (store.Identity, error) {
	plain, err := OpenEnrolment(file, code)
	if err != nil {
		return store.Identity{}, err
	}
	e, err := parseEnrolment(plain)
	if err != nil {
		return store.Identity{}, err
	}
	id := store.Identity{Role: store.RoleStation, Name: e.Station.Name, Code: e.Station.Code, DivisionCode: e.Station.Code}
	cur, setUp, err := s.Identity(ctx)
	if err != nil {
		return id, err
	}
	if setUp {
		if cur.Role != store.RoleStation || cur.Code != id.Code {
			return id, store.Invalid("enrol", "这份登记文件属于另一个站点（代码不符）")
		}
		id = cur
		if err := s.ensureSyncTriggers(ctx); err != nil {
			return id, err
		}
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		if _, ok, err := loadKeys(ctx, tx); err != nil {
			return err
		} else if ok {
			// Re-enrolment (new keys, or a bureau rebuilt with new keys): the
			// old keys go, the old bureau key is refused from now on, and the
			// station keeps its records and sends them all again.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_keys`); err != nil {
				return fmt.Errorf("data: enrol: %w", err)
			}
		}
		if !setUp {
			for k, v := range map[string]string{store.SettingRole: string(id.Role), store.SettingName: id.Name, store.SettingCode: id.Code, store.SettingDivision: id.DivisionCode} {
				if err := store.SetSettingTx(ctx, tx, k, v); err != nil {
					return err
				}
			}
			if err := ensureSyncTriggersTx(ctx, tx, id.Code); err != nil {
				return err
			}
		}
		sign, _ := parseSignSeed(e.Station.SignKey)
		ageID, _ := age.ParseX25519Identity(e.Station.AgeIdentity)
		if err := storeKeys(ctx, tx, &keys{sign: sign, age: ageID}); err != nil {
			return err
		}
		if err := bureauPeerTx(ctx, tx, e); err != nil {
			return err
		}
		if _, err := newEpochTx(ctx, tx); err != nil {
			return err
		}
		if err := store.AuditEventTx(ctx, tx, AuditKeys, "", "", "enrolled with bureau "+e.Bureau.Code); err != nil {
			return err
		}
		// The station's own row is the bureau's, so that both hold one record.
		var oldIDs []string
		rows, err := tx.QueryContext(ctx, `SELECT id FROM stations WHERE code = ?`, id.Code)
		if err != nil {
			return fmt.Errorf("data: enrol: %w", err)
		}
		for rows.Next() {
			var x string
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return err
			}
			oldIDs = append(oldIDs, x)
		}
		rows.Close()
		for _, x := range oldIDs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM stations WHERE id = ?`, x); err != nil {
				return fmt.Errorf("data: enrol: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM sync_changes WHERE kind = 'stations' AND id = ?`, x); err != nil {
				return fmt.Errorf("data: enrol: %w", err)
			}
		}
		ap, err := newApplier(ctx, tx, id.Code, nil)
		if err != nil {
			return err
		}
		defer ap.close()
		var rec incomingRecord
		if err := json.Unmarshal(e.Station.Record, &rec.Row); err != nil {
			return errBadEnrolment
		}
		rec.HLC, rec.Node = e.Station.HLC, e.Bureau.Code
		if err := json.Unmarshal(rec.Row["id"], &rec.ID); err != nil {
			return errBadEnrolment
		}
		k, _ := syncKind("stations")
		if _, err := ap.apply(k, &rec); err != nil {
			return err
		}
		return ap.finish()
	})
	return id, err
}

// bureauPeerTx records the enrolment's bureau as this station's one peer. The
// same bureau with the same key keeps what was received from it (replay
// protection goes on); a bureau with another key replaces the old one, whose
// key is refused from then on.
func bureauPeerTx(ctx context.Context, tx *sql.Tx, e *enrolment) error {
	old, found, err := bureauPeer(ctx, tx)
	if err != nil {
		return err
	}
	if found && old.Code == e.Bureau.Code && old.SignPub == e.Bureau.SignPub {
		_, err := tx.ExecContext(ctx, `UPDATE sync_peers SET name = ?, age_recipient = ? WHERE code = ?`, e.Bureau.Name, e.Bureau.AgeRecipient, old.Code)
		if err != nil {
			return fmt.Errorf("data: enrol: %w", err)
		}
		return nil
	}
	if found {
		if err := revokeTx(ctx, tx, old.Code, old.SignPub); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_peers WHERE role = 'bureau'`); err != nil {
			return fmt.Errorf("data: enrol: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_peers(code, name, role, sign_pub, age_recipient, enrolled_at)
		VALUES (?, ?, 'bureau', ?, ?, ?)`, e.Bureau.Code, e.Bureau.Name, e.Bureau.SignPub, e.Bureau.AgeRecipient, store.NowMillis()); err != nil {
		return fmt.Errorf("data: enrol: %w", err)
	}
	return nil
}

// AuditKeys is the audit action of enrolments, re-keys and recovery files.
const AuditKeys = "keys"

// RekeyStation gives an enrolled station new keys: the bureau keeps the new
// public halves, refuses bundles signed with the old key from now on
// ("revoked_key"), and returns the new enrolment file for the station. The
// next bundle to the station carries everything in its reach.
func (s *Engine) RekeyStation(ctx context.Context, code string) ([]byte, error) {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if !ok || ident.Role != store.RoleBureau {
		return nil, &store.Error{Kind: store.KindInvalid, Op: "rekey", Field: "role", Msg: "只有区县人社局可以重新发放密钥"}
	}
	var out []byte
	err = s.Write(ctx, func(tx *sql.Tx) error {
		own, ok, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		if !ok {
			return &store.Error{Kind: store.KindDamaged, Op: "rekey", Err: errors.New("bureau keys missing")}
		}
		p, found, err := getPeer(ctx, tx, code)
		if err != nil {
			return err
		}
		if !found || p.Role != store.RoleStation {
			return store.Invalid("station", "该站点尚未登记")
		}
		sk, err := newKeys()
		if err != nil {
			return err
		}
		if err := revokeTx(ctx, tx, code, p.SignPub); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_peers SET sign_pub = ?, age_recipient = ?, keyed_at = ? WHERE code = ?`,
			sk.signPub(), sk.age.Recipient().String(), store.NowMillis(), code); err != nil {
			return fmt.Errorf("data: rekey: %w", err)
		}
		if err := forgetPeerTx(ctx, tx, code); err != nil {
			return err
		}
		if out, err = enrolmentFor(ctx, tx, ident, own, code, p.Name, sk); err != nil {
			return err
		}
		return store.AuditEventTx(ctx, tx, AuditKeys, "", "", "re-keyed station "+code)
	})
	return out, err
}

// maxEnrolmentBytes bounds an enrolment file, sealed or plain.
const maxEnrolmentBytes = 1 << 20

// SealEnrolment encrypts an enrolment file under a new one-time code, which
// the bureau reads to the station by phone; a lost file then gives nothing
// away.
func SealEnrolment(plain []byte) (file []byte, code string, err error) {
	if code, err = NewCode(OneTimeCodeDigits); err != nil {
		return nil, "", err
	}
	file, err = sealWithCode(plain, code, OneTimeCodeDigits)
	return file, code, err
}

// OpenEnrolment gives the plain enrolment inside a file: a sealed one is
// decrypted with code, a plain one is returned as it is.
func OpenEnrolment(file []byte, code string) ([]byte, error) {
	if len(file) > maxEnrolmentBytes {
		return nil, errBadEnrolment
	}
	if !isSealed(file) {
		return file, nil
	}
	return openWithCode(file, code, OneTimeCodeDigits, maxEnrolmentBytes, errBadEnrolment)
}

// EnrolmentSealed reports whether an enrolment file asks for a code.
func EnrolmentSealed(file []byte) bool { return isSealed(file) }

// AddStationSealed is AddStation with the file sealed under a one-time code.
func (s *Engine) AddStationSealed(ctx context.Context, code, name string) (file []byte, otc string, err error) {
	plain, err := s.AddStation(ctx, code, name)
	if err != nil {
		return nil, "", err
	}
	return SealEnrolment(plain)
}

// RekeyStationSealed is RekeyStation with the file sealed under a one-time code.
func (s *Engine) RekeyStationSealed(ctx context.Context, code string) (file []byte, otc string, err error) {
	plain, err := s.RekeyStation(ctx, code)
	if err != nil {
		return nil, "", err
	}
	return SealEnrolment(plain)
}
