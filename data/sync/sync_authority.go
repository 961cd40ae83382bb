package sync

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"stationdesk/data/store"
)

// Who may change what through sync (DESIGN.md, "Who may change what"). This
// table is the one place that says it: import checks every incoming record
// against it (the sender, and the owner of the row already stored), and
// export selects only what the receiver will accept. docs/bundle-format.md
// prints it; TestAuthorityTableInDocs keeps the two equal.

// Authority says who may create, change and delete the records of a kind.
type Authority string

const (
	// ByBureau: the bureau alone. Its records go down to the station they
	// name (StationColumn) or, for Broadcast kinds, to every station; a
	// station never sends one.
	ByBureau Authority = "bureau"
	// ByStation: the station a record belongs to (origin, and its station
	// column where the kind has one) alone. The bureau may send a version of
	// a station's record back (a settled conflict), never change its owner;
	// where the kind has a station column, records the bureau made itself
	// for a station (a roster it manages) are the bureau's alone.
	ByStation Authority = "station"
	// ByOrigin: each side its own. The bureau's records go to every station
	// and only the bureau changes them; a station's own (local policies and
	// guides) are that station's alone and never go to other stations.
	ByOrigin Authority = "origin"
	// Shared: the station's record, with fields that only the bureau sets
	// (merged field by field, see kindAuthority.merge).
	Shared Authority = "shared"
)

// kindAuthority is one line of the table.
type kindAuthority struct {
	Kind string
	Who  Authority
	// Rule is the line in words, as docs/bundle-format.md prints it.
	Rule string
	// Fixed columns must hold the given value on a station's records (a
	// station's policy is "local": it cannot pass for the bureau's); set by
	// the kind's feature with RegisterStationFixed.
	Fixed map[string]string
	// Parent names the kind and column of the record this one belongs with;
	// both must have the same origin (an attachment of a bureau policy is the
	// bureau's).
	Parent, ParentColumn string
	// Sets are JSON list columns whose order carries no meaning: they are
	// compared as sets.
	Sets []string
	// BureauFields are, for Shared kinds, the fields the bureau answers;
	// merge takes each side's fields from that side's versions only.
	BureauFields []string
	// merge is, for Shared kinds, the field-by-field merge, set by the
	// kind's feature with RegisterSharedMerge.
	merge func(fromBureau bool, local, in map[string]json.RawMessage) map[string]json.RawMessage
}

var authorities = []kindAuthority{
	{Kind: "stations", Who: ByBureau, Rule: "the bureau alone (a station receives its own row)"},
	{Kind: "officers", Who: ByStation, Rule: "a station its own officers; officers the bureau manages (made by the bureau) the bureau alone"},
	{Kind: "policies", Who: ByOrigin,
		Sets: []string{"tags"}, Rule: "the bureau its policies (source bureau, to every station); a station its local policies (source local)"},
	{Kind: "policy_attachments", Who: ByOrigin, Parent: "policies", ParentColumn: "policy_id",
		Rule: "whoever owns the policy: attachments of a bureau policy the bureau alone"},
	{Kind: "policy_notes", Who: ByStation, Rule: "the station that wrote them"},
	{Kind: "service_guides", Who: ByOrigin, Rule: "the bureau its guides (to every station); a station its local guides"},
	{Kind: "card_handouts", Who: ByStation, Rule: "the station that handed the cards out"},
	{Kind: "residents", Who: ByStation, Sets: []string{"categories"}, Rule: "the station that serves them"},
	{Kind: "visits", Who: ByStation, Sets: []string{"officer_ids", "services"}, Rule: "the station that made the visit"},
	{Kind: "opinions", Who: Shared, BureauFields: []string{"reply", "status ≥ 已答复 (with status_by, status_at)"},
		Rule: "the station that heard it; the reply and a status from 已答复 on the bureau alone"},
	{Kind: "trainings", Who: ByStation, Sets: []string{"policy_ids"}, Rule: "the station that held the session"},
	{Kind: "attendance", Who: ByStation, Rule: "the station that held the session"},
	{Kind: "training_materials", Who: ByStation, Rule: "the station that held the session"},
	{Kind: "archive_lendings", Who: ByStation, Rule: "the station that keeps the ledger"},
	{Kind: "lending_reviews", Who: ByStation, Rule: "the station that keeps the ledger"},
	{Kind: "duty_rota", Who: ByStation, Rule: "the station that keeps the rota"},
	{Kind: "duty_swaps", Who: ByStation, Rule: "the station that keeps the rota"},
	{Kind: "holidays", Who: ByBureau, Rule: "the bureau alone (to every station)"},
	{Kind: "conflict_outcomes", Who: ByBureau, Rule: "the bureau alone (to the station whose edit lost)"},
	{Kind: "liaison_assignments", Who: ByBureau, Rule: "the bureau alone (to the station named)"},
	{Kind: "liaison_visits", Who: ByBureau, Rule: "the bureau alone (to the station visited)"},
	{Kind: "officer_photos", Who: ByStation, Rule: "as the officer: a station its own officers' photos; the bureau those of officers it manages"},
}

// authorityOf returns the line for a kind; a kind without one may not travel.
func authorityOf(kind string) (*kindAuthority, bool) {
	a, ok := authorityByKind[kind]
	return a, ok
}

var authorityByKind = func() map[string]*kindAuthority {
	m := make(map[string]*kindAuthority, len(authorities))
	for i := range authorities {
		m[authorities[i].Kind] = &authorities[i]
	}
	return m
}()

// RegisterSharedMerge sets how versions of a Shared kind merge field by
// field: only its feature knows which fields are the bureau's. Called from
// the feature's init.
func RegisterSharedMerge(kind string, merge func(fromBureau bool, local, in map[string]json.RawMessage) map[string]json.RawMessage) {
	ka, ok := authorityOf(kind)
	if !ok || ka.Who != Shared {
		panic("sync: " + kind + " is not a shared kind")
	}
	ka.merge = merge
}

// RegisterStationFixed says that a station's records of a kind hold value
// in column (a station's policy is "local"). Called from the feature's init.
func RegisterStationFixed(kind, column, value string) {
	ka, ok := authorityOf(kind)
	if !ok {
		panic("sync: " + kind + " has no authority")
	}
	if ka.Fixed == nil {
		ka.Fixed = map[string]string{}
	}
	ka.Fixed[column] = value
}

// rowOwner is what authority looks at in a row: its origin and, where the
// kind has one, its station column.
type rowOwner struct {
	Origin, Station string
}

func ownerOf(k store.RecordKind, row map[string]json.RawMessage) rowOwner {
	o := rowOwner{Origin: JSONText(row["origin"])}
	if k.StationColumn != "" {
		o.Station = JSONText(row[k.StationColumn])
	}
	return o
}

// syncSides names the two ends of one exchange: the bureau and the station.
type syncSides struct {
	fromBureau      bool   // the bundle's sender is the bureau
	bureau, station string // codes
}

// errNotAuthorized marks a record outside its sender's authority.
type errNotAuthorized struct {
	kind, id string
	owner    string // the record's owner (origin), as stored or as claimed
	row      map[string]json.RawMessage
	why      string // for the log, English
}

func (e *errNotAuthorized) Error() string {
	return "not authorized: " + e.kind + " " + e.id + ": " + e.why
}

// authorize checks one incoming version against the table: who sent it, the
// owner it claims, and the owner of the row already stored (nil: none). A
// record never changes owner through sync.
func (s syncSides) authorize(k store.RecordKind, rec *incomingRecord, stored *rowOwner) error {
	ka, ok := authorityOf(k.Name)
	in := ownerOf(k, rec.Row)
	deny := func(why string) error {
		return &errNotAuthorized{kind: k.Name, id: rec.ID, owner: in.Origin, row: rec.Row, why: why}
	}
	sender := s.station
	if s.fromBureau {
		sender = s.bureau
	}
	switch {
	case !ok:
		return deny("kind has no authority")
	case rec.Node != sender && !(s.fromBureau && rec.Node == s.station && in.Origin == s.station):
		// The bureau sends a station's own versions back after the station
		// started a new epoch (a restore): of its own records only.
		return deny("version made by another node")
	case !s.mayHold(k, ka, in):
		return deny("owner outside the sender's authority")
	case ka.Who == ByOrigin && s.fromBureau && in.Origin == s.station && rec.Node != s.station:
		return deny("the bureau changes a station's own record")
	}
	for col, want := range ka.Fixed {
		if in.Origin != s.bureau && JSONText(rec.Row[col]) != want {
			return deny(col + " must be " + want)
		}
	}
	if stored != nil {
		return s.authorizeStored(k, rec, *stored)
	}
	return nil
}

// authorizeStored checks an incoming version against the row already
// stored: a record never changes owner, nor (unless the bureau manages it)
// its station.
func (s syncSides) authorizeStored(k store.RecordKind, rec *incomingRecord, stored rowOwner) error {
	in := ownerOf(k, rec.Row)
	why := ""
	switch {
	case stored.Origin != in.Origin:
		why = "changes the owner of a stored record"
	case stored.Station != in.Station && !(s.fromBureau && in.Origin == s.bureau):
		why = "moves a stored record to another station"
	default:
		return nil
	}
	return &errNotAuthorized{kind: k.Name, id: rec.ID, owner: stored.Origin, row: rec.Row, why: why}
}

// mayHold says whether a row owned as o may travel in this direction.
func (s syncSides) mayHold(k store.RecordKind, ka *kindAuthority, o rowOwner) bool {
	hasCol := k.StationColumn != ""
	switch ka.Who {
	case ByBureau:
		return s.fromBureau && o.Origin == s.bureau && (hasCol && o.Station == s.station || !hasCol && k.Broadcast)
	case ByOrigin:
		if s.fromBureau {
			// A station's own come back only as its own versions (echoed
			// after a restore; see authorize).
			return k.Broadcast && o.Origin == s.bureau || o.Origin == s.station
		}
		return o.Origin == s.station
	case ByStation:
		if o.Origin == s.station {
			return !hasCol || o.Station == s.station
		}
		return s.fromBureau && hasCol && o.Origin == s.bureau && o.Station == s.station
	case Shared:
		return o.Origin == s.station && (!hasCol || o.Station == s.station)
	}
	return false
}

// exportFilter is the SQL (over the kind's table as t) that selects the
// records this side may send: the same rule as mayHold, so that an honest
// installation never writes a bundle its peer refuses. A local edit outside
// the authority (which the forms do not offer) stays local.
func (s syncSides) exportFilter(k store.RecordKind, cols []column) (string, []any) {
	ka, ok := authorityOf(k.Name)
	if !ok {
		return ` AND 0`, nil
	}
	col := ""
	if k.StationColumn != "" && hasColumn(cols, k.StationColumn) {
		col = `t.` + quoteIdent(k.StationColumn)
	}
	var q string
	var args []any
	stationOwn := func() {
		q = `t.origin = ?`
		args = append(args, s.station)
		if col != "" {
			q += ` AND ` + col + ` = ?`
			args = append(args, s.station)
		}
	}
	switch ka.Who {
	case ByBureau:
		switch {
		case !s.fromBureau:
			return ` AND 0`, nil
		case col != "":
			q, args = `t.origin = ? AND `+col+` = ?`, []any{s.bureau, s.station}
		case k.Broadcast:
			q, args = `t.origin = ?`, []any{s.bureau}
		default:
			return ` AND 0`, nil
		}
	case ByOrigin:
		switch {
		case !s.fromBureau:
			q, args = `t.origin = ?`, []any{s.station}
		case k.Broadcast:
			q, args = `t.origin = ? OR (t.origin = ? AND c.node = ?)`, []any{s.bureau, s.station, s.station}
		default:
			q, args = `t.origin = ? AND c.node = ?`, []any{s.station, s.station}
		}
	case ByStation:
		stationOwn()
		if s.fromBureau && col != "" {
			q = `(` + q + `) OR (t.origin = ? AND ` + col + ` = ?)`
			args = append(args, s.bureau, s.station)
		}
	case Shared:
		stationOwn()
	}
	q = ` AND (` + q + `)`
	for c, v := range ka.Fixed {
		if hasColumn(cols, c) {
			q += ` AND (t.origin = ? OR t.` + quoteIdent(c) + ` = ?)`
			args = append(args, s.bureau, v)
		}
	}
	if ka.Parent != "" {
		if pk, ok := syncKind(ka.Parent); ok && hasColumn(cols, ka.ParentColumn) {
			q += ` AND EXISTS (SELECT 1 FROM ` + pk.Table + ` p WHERE p.id = t.` + quoteIdent(ka.ParentColumn) + ` AND p.origin = t.origin)`
		}
	}
	return q, args
}

// checkParent makes sure a record that belongs with another (an attachment
// with its policy) has that record's owner.
func checkParent(ctx context.Context, tx *sql.Tx, k store.RecordKind, ka *kindAuthority, rec *incomingRecord) error {
	if ka.Parent == "" {
		return nil
	}
	pk, ok := syncKind(ka.Parent)
	if !ok {
		return nil
	}
	var origin string
	err := tx.QueryRowContext(ctx, `SELECT origin FROM `+pk.Table+` WHERE id = ?`, JSONText(rec.Row[ka.ParentColumn])).Scan(&origin)
	if errors.Is(err, sql.ErrNoRows) {
		origin = ""
	} else if err != nil {
		return fmt.Errorf("data: read %s: %w", ka.Parent, err)
	}
	if in := JSONText(rec.Row["origin"]); origin != in {
		return &errNotAuthorized{kind: k.Name, id: rec.ID, owner: origin, row: rec.Row, why: "belongs with a record of another owner"}
	}
	return nil
}

// storedOwners reads the owners of the stored rows among ids.
func storedOwners(ctx context.Context, tx *sql.Tx, k store.RecordKind, ids []string) (map[string]rowOwner, error) {
	out := make(map[string]rowOwner, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	sc := `''`
	if k.StationColumn != "" {
		cols, err := tableColumns(ctx, tx, k.Table)
		if err != nil {
			return nil, err
		}
		if hasColumn(cols, k.StationColumn) {
			sc = quoteIdent(k.StationColumn)
		}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, origin, `+sc+` FROM `+k.Table+` WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("data: read owners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var o rowOwner
		if err := rows.Scan(&id, &o.Origin, &o.Station); err != nil {
			return nil, fmt.Errorf("data: read owners: %w", err)
		}
		out[id] = o
	}
	return out, rows.Err()
}

// sameRow says whether two versions of a record hold the same values: the
// last-change stamp aside, and set-valued list columns compared as sets.
// Columns only one side carries are not compared.
func sameRow(ka *kindAuthority, a, b map[string]json.RawMessage) bool {
	for c, av := range a {
		bv, ok := b[c]
		if !ok || c == "updated_at" || bytes.Equal(av, bv) {
			continue
		}
		if !sameRawValue(av, bv, ka != nil && slices.Contains(ka.Sets, c)) {
			return false
		}
	}
	return true
}

func sameRawValue(a, b json.RawMessage, set bool) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	if xs, ok := x.(string); ok {
		ys, ok := y.(string)
		if !ok {
			return false
		}
		if xs == ys {
			return true
		}
		if !set {
			return false
		}
		// A list column holds its JSON as text.
		xl, okX := jsonList(xs)
		yl, okY := jsonList(ys)
		return okX && okY && sameSet(xl, yl)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}

// authorityMarkdown is the table as docs/bundle-format.md prints it.
func authorityMarkdown() string {
	who := map[Authority]string{
		ByBureau:  "bureau only",
		ByStation: "owning station only",
		ByOrigin:  "each side its own",
		Shared:    "owning station; fields of the bureau",
	}
	var b strings.Builder
	b.WriteString("| kind | who may create, change, delete | rule | compared as sets |\n| --- | --- | --- | --- |\n")
	for _, a := range authorities {
		rule := a.Rule
		for col, v := range a.Fixed {
			rule += fmt.Sprintf("; a station's `%s` must be `%s`", col, v)
		}
		if a.Parent != "" {
			rule += fmt.Sprintf("; same owner as its `%s` (`%s`)", a.Parent, a.ParentColumn)
		}
		if len(a.BureauFields) > 0 {
			rule += "; the bureau's fields: " + strings.Join(a.BureauFields, ", ")
		}
		sets := "—"
		if len(a.Sets) > 0 {
			sets = "`" + strings.Join(a.Sets, "`, `") + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", a.Kind, who[a.Who], rule, sets)
	}
	return b.String()
}
