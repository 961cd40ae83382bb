package sync

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"stationdesk/data/store"
)

// Every record that arrives in a bundle passes the checks of typed input
// (DESIGN.md, sync property 9): its text through checkText with the limit
// of its field, its dates through checkDate, ID numbers and phones through
// the rules of validate.go, and the rules of the program's own records:
// ids as the program makes them, flags 0 or 1, believable stamps, valid
// JSON lists, photos that decode. A value is accepted only in the form the
// program stores (already trimmed and normalised): a record the program
// could not have written is refused, never silently changed.

// errInvalidRecord marks an incoming record that breaks a rule of typed
// input; field names the column.
type errInvalidRecord struct {
	kind, id, field string
	row             map[string]json.RawMessage
	err             error
}

func (e *errInvalidRecord) Error() string {
	s := "invalid record: " + e.kind + " " + e.id + ": " + e.field
	if e.err != nil {
		s += ": " + e.err.Error()
	}
	return s
}

func (e *errInvalidRecord) Unwrap() error { return e.err }

// Rule checks one stored value of a column.
type Rule func(v any) error

var (
	errNotInt    = errors.New("not an integer")
	errNotText   = errors.New("not text")
	errNotStored = errors.New("not in the form the program stores")
	errBadID     = errors.New("not an id the program makes")
	errBadCode   = errors.New("not a division code")
	errBadFlag   = errors.New("a flag is 0 or 1")
	errBadStamp  = errors.New("stamp out of range")
	// ErrBadChoice and ErrBadList are for the rules features register too.
	ErrBadChoice  = errors.New("not one of the allowed values")
	ErrBadList    = errors.New("not a JSON list")
	errBadContent = errors.New("size or SHA-256 does not match the content")
)

// maxFutureStamp is how far a row's own stamps may lie beyond this clock.
const maxFutureStamp = 366 * 24 * time.Hour

// TextOf is a column value as text ("" for NULL); a value of another
// type is refused.
func TextOf(v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case nil:
		return "", nil
	}
	return "", errNotText
}

func intOf(v any) (int64, error) {
	if n, ok := v.(int64); ok {
		return n, nil
	}
	if v == nil {
		return 0, nil
	}
	return 0, errNotInt
}

// TextRule checks text as typed input (checkText with the field's limit);
// the value must be as stored.
func TextRule(max int, multiline bool) Rule {
	return func(v any) error {
		s, err := TextOf(v)
		if err != nil {
			return err
		}
		t, err := store.CheckText("text", s, max, multiline)
		if err != nil {
			return err
		}
		// As stored, white space around it aside (as the demo writes it).
		if t != s && t != strings.TrimSpace(s) {
			return errNotStored
		}
		return nil
	}
}

// OneOf accepts one of the given values, or empty where the column allows it.
func OneOf(empty bool, values ...string) Rule {
	return func(v any) error {
		s, err := TextOf(v)
		if err != nil {
			return err
		}
		if s == "" && empty || slices.Contains(values, s) {
			return nil
		}
		return ErrBadChoice
	}
}

// workDate: a date typed for work (visits, ledgers, sessions): checkDate's
// bounds. A value already as stored (YYYY-MM-DD) is checked without
// parsing its many typed forms.
func workDate(v any) error {
	s, err := TextOf(v)
	if err != nil || s == "" {
		return err
	}
	if len(s) == len(time.DateOnly) && s >= store.EarliestWorkDate && s <= latestWorkDate.Load().(string) {
		if t, err := time.Parse(time.DateOnly, s); err == nil && t.Format(time.DateOnly) == s {
			return nil
		}
	}
	d, err := store.CheckDate("date", s, false)
	if err != nil {
		return err
	}
	if d != s {
		return errNotStored
	}
	return nil
}

// latestWorkDate is checkDate's upper bound, set when an import's rules are made.
var latestWorkDate atomic.Value

// plainDate: any real date as YYYY-MM-DD (birth dates, a policy's dates), or empty.
func plainDate(v any) error {
	s, err := TextOf(v)
	if err != nil || s == "" {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return errors.New("not a date as YYYY-MM-DD")
	}
	return nil
}

func recordID(v any) error {
	s, err := TextOf(v)
	if err != nil {
		return err
	}
	// The canonical text form: 36 characters, lower-case hex and dashes.
	if len(s) != 36 || strings.ToLower(s) != s {
		return errBadID
	}
	if _, err := uuid.Parse(s); err != nil {
		return errBadID
	}
	return nil
}

func refID(v any) error {
	s, err := TextOf(v)
	if err != nil {
		return err
	}
	if len(s) > 64 || s != "" && !isIDChar(s[0], false) {
		return errBadID
	}
	for i := 1; i < len(s); i++ {
		if !isIDChar(s[i], true) {
			return errBadID
		}
	}
	return nil
}

// isIDChar: letters and digits, and - and _ after the first.
func isIDChar(c byte, inner bool) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || inner && (c == '-' || c == '_')
}

func codeRule(empty bool) Rule {
	return func(v any) error {
		s, err := TextOf(v)
		if err != nil {
			return err
		}
		if s == "" && empty || store.DivisionCode(s) {
			return nil
		}
		return errBadCode
	}
}

func flag(v any) error {
	n, err := intOf(v)
	if err != nil {
		return err
	}
	if n != 0 && n != 1 {
		return errBadFlag
	}
	return nil
}

// stamp: unix ms, positive (or zero where "not yet" is allowed), not beyond a year ahead.
func stamp(zero bool) Rule {
	return func(v any) error {
		n, err := intOf(v)
		if err != nil {
			return err
		}
		if n < 0 || n == 0 && !zero || n > store.Now().Add(maxFutureStamp).UnixMilli() {
			return errBadStamp
		}
		return nil
	}
}

func atLeast(min int64) Rule {
	return func(v any) error {
		n, err := intOf(v)
		if err != nil {
			return err
		}
		if n < min {
			return ErrBadChoice
		}
		return nil
	}
}

// listRule: a JSON list of strings, each passing item.
func listRule(item Rule) Rule {
	return func(v any) error {
		s, err := TextOf(v)
		if err != nil {
			return err
		}
		if s == "null" {
			return nil // an empty list as versions before 0.2 stored it (json.Marshal of a nil slice)
		}
		items, ok := plainList(s)
		if !ok {
			if err := json.Unmarshal([]byte(s), &items); err != nil || items == nil {
				return ErrBadList
			}
		}
		for _, it := range items {
			if err := item(it); err != nil {
				return err
			}
		}
		return nil
	}
}

// plainList reads ["a","b"] with no escapes or spaces, the form the program
// writes; anything else is left to encoding/json.
func plainList(s string) ([]string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	body := s[1 : len(s)-1]
	if body == "" {
		return []string{}, true
	}
	var out []string
	for {
		if len(body) < 2 || body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		it := body[1 : 1+end]
		if !utf8.ValidString(it) || strings.ContainsFunc(it, func(r rune) bool { return r < 0x20 }) {
			return nil, false
		}
		out = append(out, it)
		body = body[2+end:]
		if body == "" {
			return out, true
		}
		if body[0] != ',' {
			return nil, false
		}
		body = body[1:]
	}
}

func idNumber(v any) error {
	if v == nil {
		return nil
	}
	s, err := TextOf(v)
	if err != nil {
		return err
	}
	card, err := store.ParseIDCard(s, store.Now())
	if err != nil {
		return err
	}
	if card.Number != s {
		return errNotStored
	}
	return nil
}

func phone(v any) error {
	s, err := TextOf(v)
	if err != nil || s == "" {
		return err
	}
	p, err := store.NormalizePhone(s)
	if err != nil {
		return err
	}
	if p != s {
		return errNotStored
	}
	return nil
}

// The rules by column name, the same for every kind unless a kind's own
// rule (kindRules) says otherwise. Limits are those of the forms.
var columnRules = map[string]Rule{
	"id": recordID, "origin": codeRule(false), "station_code": codeRule(true), "code": codeRule(false), "division_code": codeRule(true),
	"created_at": stamp(false), "updated_at": stamp(false), "deleted": flag,
	"consent": flag, "active": flag, "followup_needed": flag,
	"consent_at": stamp(true), "status_at": stamp(true), "reviewed_at": stamp(true), "swapped_at": stamp(true), "settled_at": stamp(true),
	"date": workDate, "handed_on": workDate, "followup_due": workDate, "followup_done_at": workDate,
	"date_out": workDate, "date_due": workDate, "date_returned": workDate, "week": workDate,
	"birth_date": plainDate, "effective": plainDate, "expires": plainDate, "moved_from": plainDate, "other_date": plainDate, "since": plainDate,
	"id_number": idNumber, "phone": phone,
	"name": TextRule(store.MaxName, false), "gender": OneOf(true, "男", "女"), "village": TextRule(store.MaxShort, false), "address": TextRule(store.MaxLine, false),
	"categories": listRule(TextRule(store.MaxTag, false)), "tags": listRule(TextRule(store.MaxTag, false)), "services": listRule(TextRule(store.MaxTag, false)),
	"officer_ids": listRule(refID), "policy_ids": listRule(refID), "materials": listRule(TextRule(store.MaxLine, false)),
	"needs": TextRule(store.MaxText, true), "notes": TextRule(store.MaxLong, true), "outcome": TextRule(store.MaxNote, true),
	"followup_done_by": TextRule(store.MaxShort, false), "followup_result": TextRule(store.MaxText, true),
	"reply": TextRule(store.MaxLong, true), "category": TextRule(store.MaxTag, false),
	"status_by": TextRule(store.MaxShort, false), "consent_by": TextRule(store.MaxShort, false),
	"title": TextRule(store.MaxLine, false), "doc_no": TextRule(store.MaxShort, false), "issuer": TextRule(store.MaxTitle, false),
	"summary": TextRule(store.MaxText, true), "body": TextRule(store.MaxBody, true), "local_notes": TextRule(store.MaxNotes, true),
	"source_file": TextRule(store.MaxFileName, false), "superseded_by": refID,
	"role": TextRule(store.MaxName, false), "duties": TextRule(store.MaxLong, true),
	"matter": TextRule(store.MaxLine, false), "location": TextRule(store.MaxTitle, false), "time_limit": TextRule(store.MaxShort, false), "officer": TextRule(store.MaxName, false),
	"topic": TextRule(store.MaxTitle, false), "speaker": TextRule(store.MaxTitle, false), "place": TextRule(store.MaxShort, false),
	"move_reason": TextRule(store.MaxLine, false), "start_time": TextRule(store.MaxTag, false), "end_time": TextRule(store.MaxTag, false),
	"reason": TextRule(store.MaxLine, false), "holder_name": TextRule(store.MaxName, false), "borrower_unit": TextRule(store.MaxShort, false),
	"borrower": TextRule(store.MaxName, false), "purpose": TextRule(store.MaxLine, false), "approved_by": TextRule(store.MaxName, false),
	"reviewer": TextRule(store.MaxName, false), "remarks": TextRule(store.MaxText, true), "officer_name": TextRule(store.MaxName, false),
	"from_name": TextRule(store.MaxName, false), "to_name": TextRule(store.MaxName, false), "recorded_by": TextRule(store.MaxName, false),
	"discussed": TextRule(store.MaxText, true), "problems": TextRule(store.MaxText, true), "help": TextRule(store.MaxText, true), "followup": TextRule(store.MaxText, true),
	"settled_by": TextRule(store.MaxShort, false), "mime": TextRule(store.MaxShort, false), "sha256": TextRule(64, false),
	"count": atLeast(1), "size": atLeast(0), "entries": atLeast(0),
	"policies_explained": listRule(refID), // 政策找人 (reach.go)
}

// kindRules are a kind's own rules where a column means something else
// there, over columnRules: sync's own kinds here; each feature adds those of
// its kinds with RegisterIncomingRules.
var kindRules = map[string]map[string]Rule{
	"stations":          {"name": TextRule(store.MaxShort, false), "role": OneOf(false, string(store.RoleStation), string(store.RoleBureau))},
	"conflict_outcomes": {"kind": TextRule(store.MaxTag*3, false), "summary": TextRule(store.MaxLine, true), "kept": TextRule(store.MaxTag, false)},
}

// RegisterIncomingRules adds a kind's own rules for the records that arrive
// in bundles: values only its feature knows (a policy's categories, an
// officer's photo, eligibility criteria). Called from the feature's init.
func RegisterIncomingRules(kind string, rules map[string]Rule) {
	m := kindRules[kind]
	if m == nil {
		m = map[string]Rule{}
		kindRules[kind] = m
	}
	for col, r := range rules {
		m[col] = r
	}
}

// rulesFor gives the rule of each column of a table (nil: the column's type
// rule alone).
func rulesFor(k store.RecordKind, cols map[string]column) map[string]Rule {
	latestWorkDate.Store(store.Now().AddDate(store.PlanYears, 0, 0).Format(time.DateOnly))
	out := make(map[string]Rule, len(cols))
	own := kindRules[k.Name]
	for name, c := range cols {
		switch r, r2 := own[name], columnRules[name]; {
		case r != nil:
			out[name] = r
		case r2 != nil && !strings.HasSuffix(name, "_id"):
			out[name] = r2
		case strings.HasSuffix(name, "_id"):
			out[name] = refID
		case c.Type == "TEXT":
			// A text column nobody named: at least no control or direction
			// characters, and valid UTF-8.
			out[name] = TextRule(store.MaxBody, true)
		}
	}
	return out
}

// validate checks the decoded values of an incoming record.
func (t *tableApplier) validate(k store.RecordKind, id string, row map[string]json.RawMessage, names []string, args []any) error {
	if t.rules == nil {
		t.rules = rulesFor(k, t.cols)
	}
	var content []byte
	var size int64 = -1
	var sum string
	for i, n := range names {
		if r := t.rules[n]; r != nil {
			if err := r(args[i]); err != nil {
				return &errInvalidRecord{kind: k.Name, id: id, field: n, row: row, err: err}
			}
		}
		switch n {
		case "content":
			content, _ = args[i].([]byte)
		case "size":
			size, _ = args[i].(int64)
		case "sha256":
			sum, _ = args[i].(string)
		}
	}
	if content != nil && sum != "" {
		// A file kept with its size and hash must match them.
		h := sha256.Sum256(content)
		if hex.EncodeToString(h[:]) != sum || size >= 0 && size != int64(len(content)) {
			return &errInvalidRecord{kind: k.Name, id: id, field: "sha256", row: row, err: errBadContent}
		}
	}
	return nil
}

// checkIncomingRow checks one incoming row as the importer would store it,
// without a database: the fuzz target's entry.
func checkIncomingRow(k store.RecordKind, cols []column, rec *incomingRecord) error {
	t := &tableApplier{kind: k, cols: map[string]column{}}
	for _, c := range cols {
		t.cols[c.Name] = c
	}
	a := &applier{}
	names, _ := t.columnsOf(rec.Row)
	args := make([]any, len(names))
	for i, n := range names {
		v, err := a.value(t.cols[n], rec.Row[n])
		if err != nil {
			return fmt.Errorf("column %s: %w", n, err)
		}
		args[i] = v
	}
	return t.validate(k, rec.ID, rec.Row, names, args)
}
