package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"stationdesk/data/store"
)

// AuditBundleRefused: a bundle was refused because of a record in it (outside
// its sender's authority, or invalid). The line names the kind and the record.
const AuditBundleRefused = "bundle_refused"

// refusalSettingPrefix + sender code keeps the last such refusal for the
// bureau's board of stations (a local setting: it never travels).
const refusalSettingPrefix = "sync_refused."

// recordRefusal makes an error about one record the refusal of the bundle;
// refusedRecord then names the record.
func recordRefusal(err error) error {
	var na *errNotAuthorized
	var inv *errInvalidRecord
	if _, ok := RefusalOf(err); ok {
		return err
	}
	switch {
	case errors.As(err, &na):
		return refuse("not_authorized", "包含发送方无权修改的记录", err)
	case errors.As(err, &inv):
		return refuse("bad_record", "包含不符合录入规则的记录", err)
	}
	return err
}

// refusedRecord turns an applier's error about one record into the refusal
// of the whole bundle, naming the record in words an officer understands.
func (s *Engine) refusedRecord(ctx context.Context, self store.Identity, b *openedBundle, err error) error {
	var na *errNotAuthorized
	var inv *errInvalidRecord
	var rr RefusedRecord
	var row map[string]json.RawMessage
	reason := ""
	switch {
	case errors.As(err, &na):
		reason, row = "not_authorized", na.row
		rr = RefusedRecord{Kind: na.kind, ID: na.id, Owner: na.owner}
	case errors.As(err, &inv):
		reason, row = "bad_record", inv.row
		rr = RefusedRecord{Kind: inv.kind, ID: inv.id, Owner: JSONText(inv.row["origin"]), Field: inv.field}
	default:
		return err
	}
	rr.Sender = b.Header.Sender
	rr.SenderName = s.unitName(ctx, self, b.Header.Sender)
	rr.OwnerName = s.unitName(ctx, self, rr.Owner)
	if k, ok := syncKind(rr.Kind); ok {
		rr.KindLabel = k.Label
	}
	rr.What = recordWords(rr.Kind, rr.ID, s.storedRow(ctx, rr.Kind, rr.ID, row))
	var msg string
	if reason == "not_authorized" {
		msg = fmt.Sprintf("%s的数据包试图修改%s的%s%s，已整包拒收", rr.SenderName, rr.OwnerName, rr.KindLabel, rr.What)
		if rr.Owner == "" || rr.Owner == rr.Sender {
			msg = fmt.Sprintf("%s的数据包含有它无权发送的%s%s，已整包拒收", rr.SenderName, rr.KindLabel, rr.What)
		}
	} else {
		msg = fmt.Sprintf("%s的数据包中%s%s不符合录入规则（%s），已整包拒收", rr.SenderName, rr.KindLabel, rr.What, FieldLabel(rr.Field))
	}
	return &Refusal{Reason: reason, Msg: msg, Err: err, Record: &rr}
}

// unitName is the name of the bureau or station with code, or the code.
func (s *Engine) unitName(ctx context.Context, self store.Identity, code string) string {
	if code == "" {
		return "未知单位"
	}
	if code == self.Code {
		return self.Name
	}
	var name string
	if s.r.QueryRowContext(ctx, `SELECT name FROM sync_peers WHERE code = ?`, code).Scan(&name) == nil && name != "" {
		return name
	}
	if s.r.QueryRowContext(ctx, `SELECT name FROM stations WHERE code = ? AND origin = ?`, code, self.Code).Scan(&name) == nil && name != "" {
		return name
	}
	return safeWords(code, 20)
}

// storedRow is the stored version of a record when there is one (its true
// title, not what a hostile bundle claims), else row.
func (s *Engine) storedRow(ctx context.Context, kind, id string, row map[string]json.RawMessage) map[string]json.RawMessage {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return row
	}
	defer tx.Rollback()
	j, err := rowJSON(ctx, tx, kind, id, blobInline)
	var m map[string]json.RawMessage
	if err != nil || json.Unmarshal(j, &m) != nil {
		return row
	}
	return m
}

// recordWords names a record: its public title where the kind has one
// (RecordKind.Title: never a resident's name or any personal data), else a
// short id.
func recordWords(kind, id string, row map[string]json.RawMessage) string {
	k, _ := syncKind(kind)
	col := k.Title
	if t := safeWords(JSONText(row[col]), 40); col != "" && t != "" {
		return "《" + t + "》"
	}
	short := safeWords(id, 40)
	if n := utf8.RuneCountInString(short); n > 8 {
		short = string([]rune(short)[n-8:])
	}
	return "（编号 …" + short + "）"
}

// safeWords keeps at most max characters of s that may be shown: no control
// or direction characters from a hostile bundle reach the screen.
func safeWords(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || store.RefusedRune(r, false) != nil {
			continue
		}
		if n == max {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

// noteRefusal keeps a refusal about a record: one audit line, and the last
// one per sender for the board of stations. Nothing of the bundle is written.
func (s *Engine) noteRefusal(ctx context.Context, h BundleHeader, r *Refusal) error {
	note := RefusalNote{At: store.NowMillis(), Seq: h.Seq, Reason: r.Reason, Message: r.Msg, Record: r.Record}
	j, err := json.Marshal(note)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := store.AuditEventTx(ctx, tx, AuditBundleRefused, r.Record.Kind, r.Record.ID,
			fmt.Sprintf("%s #%d: %s", h.Sender, h.Seq, r.Reason)); err != nil {
			return err
		}
		return store.SetSettingTx(ctx, tx, refusalSettingPrefix+h.Sender, string(j))
	})
}

// RefusalNote is the last bundle of a sender refused because of a record in it.
type RefusalNote struct {
	At      int64          `json:"at"` // unix ms
	Seq     int64          `json:"seq"`
	Reason  string         `json:"reason"`
	Message string         `json:"message"`
	Record  *RefusedRecord `json:"record"`
}

// lastRefusal reads the note kept for a sender, nil if none.
func (s *Engine) lastRefusal(ctx context.Context, code string) (*RefusalNote, error) {
	v, err := s.Setting(ctx, refusalSettingPrefix+code, "")
	if err != nil || v == "" {
		return nil, err
	}
	var n RefusalNote
	if json.Unmarshal([]byte(v), &n) != nil {
		return nil, nil
	}
	return &n, nil
}
