package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// ResidentCategories are the usual categories of residents served.
var ResidentCategories = []string{"高龄", "独居", "失能", "残疾", "低保", "特困", "留守老人", "重点优抚", PensionCategory}

func init() {
	// A conflict over a visit is summarised with its resident's name.
	dsync.RegisterNameRef("resident_id", `SELECT name FROM residents WHERE id = ?`)
}

// Resident is a person the station serves at home (服务对象).
//
// Reads (Resident, Residents) return IDNumber and Phone masked; the full
// values come only from RevealResident, which is logged. A masked value
// handed back to UpdateResident means "unchanged".
type Resident struct {
	Record
	Name       string    `json:"name"`
	Gender     string    `json:"gender"`     // 男 / 女, derived from the ID number
	IDNumber   string    `json:"id_number"`  // 18 characters, normalised
	BirthDate  string    `json:"birth_date"` // YYYY-MM-DD, derived from the ID number
	Phone      string    `json:"phone"`
	Village    string    `json:"village"` // 村(社区)
	Address    string    `json:"address"`
	Categories []string  `json:"categories"` // 高龄, 独居, 失能, ...
	Needs      string    `json:"needs"`
	Consent    bool      `json:"consent"`    // agreed that the station keeps their data (PIPL)
	ConsentBy  string    `json:"consent_by"` // officer ID who recorded the consent
	ConsentAt  time.Time `json:"consent_at"`
	Notes      string    `json:"notes"`
	LastVisit  string    `json:"last_visit"` // YYYY-MM-DD of the latest visit, "" if never
}

// Age in whole years on the given day, from the birth date (-1 if unknown).
func (r Resident) Age(on time.Time) int {
	b, err := time.Parse("2006-01-02", r.BirthDate)
	if err != nil {
		return -1
	}
	return IDCard{Birth: b}.Age(on)
}

// ResidentSecrets are the full values behind a resident's masks.
type ResidentSecrets struct {
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

// ExistingResidentError says that the ID number belongs to a resident
// already registered; ID opens them. It travels inside a KindConflict *Error.
type ExistingResidentError struct{ ID string }

func (e *ExistingResidentError) Error() string { return "resident already registered: " + e.ID }

// ExistingResidentID returns the ID of the registered resident err points to.
func ExistingResidentID(err error) (string, bool) {
	var ex *ExistingResidentError
	if errors.As(err, &ex) {
		return ex.ID, true
	}
	return "", false
}

func existingResident(id string) error {
	return &Error{Kind: KindConflict, Op: "save resident", Field: "id_number", Msg: "该身份证号已登记，请打开原有记录", Err: &ExistingResidentError{ID: id}}
}

// Validate normalises a resident and checks every field; today bounds the
// birth date. Gender and birth date are derived from the ID number; typed
// values that disagree with it are refused.
func (r *Resident) Validate(today time.Time) error {
	r.Gender = strings.TrimSpace(r.Gender)
	r.BirthDate = strings.TrimSpace(r.BirthDate)
	if err := checkFields(textField{"name", &r.Name, maxName, false}); err != nil {
		return err
	}
	if r.Name == "" {
		return Invalid("name", "姓名为空")
	}
	card, err := ParseIDCard(r.IDNumber, today)
	if err != nil {
		return err
	}
	if card.Birth.Year() < 1900 {
		return Invalid("id_number", "身份证号中的出生日期无效")
	}
	r.IDNumber = card.Number
	switch r.Gender {
	case "", card.Gender():
		r.Gender = card.Gender()
	case "男", "女":
		return Invalid("gender", "性别与身份证号不符")
	default:
		return Invalid("gender", "性别应为男或女")
	}
	birth := card.Birth.Format("2006-01-02")
	if r.BirthDate != "" && r.BirthDate != birth {
		if t, err := svcParseDate(r.BirthDate); err != nil || t.Format("2006-01-02") != birth {
			return Invalid("birth_date", "出生日期与身份证号不符")
		}
	}
	r.BirthDate = birth
	if strings.TrimSpace(r.Phone) != "" {
		p, err := NormalizePhone(r.Phone)
		if err != nil {
			return err
		}
		r.Phone = p
	} else {
		r.Phone = ""
	}
	if r.Categories, err = cleanCategories(r.Categories); err != nil {
		return err
	}
	return checkFields(
		textField{"village", &r.Village, maxShort, false},
		textField{"address", &r.Address, maxLine, false},
		textField{"needs", &r.Needs, maxText, true},
		textField{"notes", &r.Notes, maxText, true},
	)
}

// svcParseDate reads 1950-01-02, 1950/1/2, 1950.1.2 or 19500102 (store.ParseDate).
func svcParseDate(s string) (time.Time, error) { return store.ParseDate(s) }

// cleanCategories splits categories at 、，, ; / and white space, checks
// each and drops empties and duplicates.
func cleanCategories(in []string) ([]string, error) {
	var parts []string
	for _, c := range in {
		parts = append(parts, strings.FieldsFunc(c, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("、，,;；/", r) })...)
	}
	return checkList("categories", parts, maxTag)
}

const residentCols = `r.id, r.origin, r.created_at, r.updated_at, r.name, r.gender, COALESCE(r.id_number, ''), r.birth_date, r.phone,
	r.village, r.address, r.categories, r.needs, r.consent, r.consent_by, r.consent_at, r.notes, COALESCE(l.last_visit, '')`

const residentFrom = ` FROM residents r LEFT JOIN resident_last_visit l ON l.resident_id = r.id`

type svcScanner interface{ Scan(dest ...any) error }

// scanResident reads residentCols; the ID number and phone stay full.
func scanResident(sc svcScanner) (Resident, error) {
	var r Resident
	var c, u, cat int64
	var consent int
	var cats string
	err := sc.Scan(&r.ID, &r.Origin, &c, &u, &r.Name, &r.Gender, &r.IDNumber, &r.BirthDate, &r.Phone,
		&r.Village, &r.Address, &cats, &r.Needs, &consent, &r.ConsentBy, &cat, &r.Notes, &r.LastVisit)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt, r.Consent = time.UnixMilli(c), time.UnixMilli(u), consent == 1
	if cat > 0 {
		r.ConsentAt = time.UnixMilli(cat)
	}
	if json.Unmarshal([]byte(cats), &r.Categories) != nil || r.Categories == nil {
		r.Categories = []string{}
	}
	return r, nil
}

func (r *Resident) mask() {
	r.IDNumber = MaskIDNumber(r.IDNumber)
	r.Phone = MaskPhone(r.Phone)
}

type svcQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// residentFull reads one resident with the full ID number and phone.
func residentFull(ctx context.Context, q svcQuerier, id string) (Resident, error) {
	r, err := scanResident(q.QueryRowContext(ctx, "SELECT "+residentCols+residentFrom+" WHERE r.id = ? AND r.deleted = 0", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, NotFound("resident", id)
	}
	if err != nil {
		return r, fmt.Errorf("data: read resident: %w", err)
	}
	return r, nil
}

// residentIDByNumber finds the resident holding a normalised ID number,
// tombstoned ones included (the number stays theirs).
func residentIDByNumber(ctx context.Context, q svcQuerier, number string) (id string, deleted bool, err error) {
	var del int
	err = q.QueryRowContext(ctx, "SELECT id, deleted FROM residents WHERE id_number = ?", number).Scan(&id, &del)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("data: find resident by id number: %w", err)
	}
	return id, del == 1, nil
}

// Resident returns one resident, ID number and phone masked.
func (s *Store) Resident(ctx context.Context, id string) (Resident, error) {
	r, err := residentFull(ctx, s.Read(), id)
	if err != nil {
		return r, err
	}
	r.mask()
	return r, nil
}

// ResidentByIDNumber looks a resident up by ID number (any spelling that
// normalises to it); ok is false when nobody holds it. Masked like Resident.
func (s *Store) ResidentByIDNumber(ctx context.Context, raw string) (r Resident, ok bool, err error) {
	card, err := ParseIDCard(raw, clock())
	if err != nil {
		return r, false, err
	}
	id, deleted, err := residentIDByNumber(ctx, s.Read(), card.Number)
	if err != nil || id == "" || deleted {
		return r, false, err
	}
	r, err = s.Resident(ctx, id)
	return r, err == nil, err
}

// RevealResident returns a resident's full ID number and phone and writes
// who asked, and when, to the audit log (never the values themselves).
func (s *Store) RevealResident(ctx context.Context, id, actor string) (ResidentSecrets, error) {
	if strings.TrimSpace(actor) == "" {
		return ResidentSecrets{}, Invalid("actor", "请先选择经办人")
	}
	var out ResidentSecrets
	err := s.Write(ctx, func(tx *sql.Tx) error {
		r, err := residentFull(ctx, tx, id)
		if err != nil {
			return err
		}
		out = ResidentSecrets{IDNumber: r.IDNumber, Phone: r.Phone}
		return svcAudit(ctx, tx, actor, "reveal", "residents", id, "")
	})
	return out, err
}

func svcAudit(ctx context.Context, tx *sql.Tx, actor, action, kind, id, detail string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO audit_log(at, actor, action, kind, record_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
		nowMillis(), actor, action, kind, id, detail)
	if err != nil {
		return fmt.Errorf("data: write audit log: %w", err)
	}
	return nil
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Kind   string    `json:"kind"`
	ID     string    `json:"record_id"`
	Detail string    `json:"detail"`
}

// RecordAudit lists the audit log of one record, oldest first.
func (s *Store) RecordAudit(ctx context.Context, kind, id string) ([]AuditEntry, error) {
	rows, err := s.Read().QueryContext(ctx, "SELECT at, actor, action, kind, record_id, detail FROM audit_log WHERE kind = ? AND record_id = ? ORDER BY seq", kind, id)
	if err != nil {
		return nil, fmt.Errorf("data: read audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var a AuditEntry
		var at int64
		if err := rows.Scan(&at, &a.Actor, &a.Action, &a.Kind, &a.ID, &a.Detail); err != nil {
			return nil, fmt.Errorf("data: read audit log: %w", err)
		}
		a.At = time.UnixMilli(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddResident registers a new resident. An ID number already registered is
// refused with a KindConflict error from which ExistingResidentID gives the
// resident to open instead. actor is the officer recording it (consent).
func (s *Store) AddResident(ctx context.Context, r *Resident, actor string) error {
	if err := r.Validate(clock()); err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		id, deleted, err := residentIDByNumber(ctx, tx, r.IDNumber)
		if err != nil {
			return err
		}
		if id != "" && !deleted {
			return existingResident(id)
		}
		if id != "" {
			// A tombstoned resident comes back under the same ID: the number stays theirs.
			r.ID = id
			return updateResidentTx(ctx, tx, r, Resident{Record: Record{ID: id}}, actor, true)
		}
		return insertResidentTx(ctx, tx, ident.Code, r, actor)
	})
}

func insertResidentTx(ctx context.Context, tx *sql.Tx, origin string, r *Resident, actor string) error {
	now := nowMillis()
	if r.ID == "" {
		r.ID = NewID()
	}
	r.Origin = origin
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(now), time.UnixMilli(now)
	stampConsent(r, Resident{}, actor, now)
	_, err := tx.ExecContext(ctx, `INSERT INTO residents(id, origin, created_at, updated_at, name, gender, id_number, birth_date, phone,
		village, address, categories, needs, consent, consent_by, consent_at, notes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, origin, now, now, r.Name, r.Gender, r.IDNumber, r.BirthDate, r.Phone, r.Village, r.Address,
		mustJSON(r.Categories), r.Needs, boolInt(r.Consent), r.ConsentBy, consentMillis(r), r.Notes)
	if err != nil {
		return fmt.Errorf("data: add resident: %w", err)
	}
	return nil
}

// stampConsent records who took the consent and when, once; withdrawing it clears both.
func stampConsent(r *Resident, old Resident, actor string, now int64) {
	switch {
	case !r.Consent:
		r.ConsentBy, r.ConsentAt = "", time.Time{}
	case old.Consent:
		r.ConsentBy, r.ConsentAt = old.ConsentBy, old.ConsentAt
	default:
		if r.ConsentBy == "" {
			r.ConsentBy = actor
		}
		if r.ConsentAt.IsZero() {
			r.ConsentAt = time.UnixMilli(now)
		}
	}
}

func consentMillis(r *Resident) int64 {
	if r.ConsentAt.IsZero() {
		return 0
	}
	return r.ConsentAt.UnixMilli()
}

// UpdateResident saves changes to a resident. An ID number or phone equal
// to the mask of the stored one keeps the stored value.
func (s *Store) UpdateResident(ctx context.Context, r *Resident, actor string) error {
	if r.ID == "" {
		return Invalid("id", "缺少记录编号")
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		old, err := residentFull(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if r.IDNumber == MaskIDNumber(old.IDNumber) {
			r.IDNumber = old.IDNumber
		}
		if r.Phone != "" && r.Phone == MaskPhone(old.Phone) {
			r.Phone = old.Phone
		}
		if r.IDNumber != old.IDNumber {
			// Derived fields left as they were follow the new number.
			if r.BirthDate == old.BirthDate {
				r.BirthDate = ""
			}
			if r.Gender == old.Gender {
				r.Gender = ""
			}
		}
		if err := r.Validate(clock()); err != nil {
			return err
		}
		if id, _, err := residentIDByNumber(ctx, tx, r.IDNumber); err != nil {
			return err
		} else if id != "" && id != r.ID {
			return existingResident(id)
		}
		return updateResidentTx(ctx, tx, r, old, actor, false)
	})
}

func updateResidentTx(ctx context.Context, tx *sql.Tx, r *Resident, old Resident, actor string, revive bool) error {
	now := nowMillis()
	stampConsent(r, old, actor, now)
	q := `UPDATE residents SET name=?, gender=?, id_number=?, birth_date=?, phone=?, village=?, address=?, categories=?, needs=?,
		consent=?, consent_by=?, consent_at=?, notes=?, updated_at=?, deleted=0 WHERE id=?`
	if !revive {
		q += " AND deleted=0"
	}
	res, err := tx.ExecContext(ctx, q, r.Name, r.Gender, r.IDNumber, r.BirthDate, r.Phone, r.Village, r.Address, mustJSON(r.Categories), r.Needs,
		boolInt(r.Consent), r.ConsentBy, consentMillis(r), r.Notes, now, r.ID)
	if err != nil {
		return fmt.Errorf("data: update resident: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return NotFound("resident", r.ID)
	}
	r.UpdatedAt = time.UnixMilli(now)
	return nil
}

// DeleteResident leaves a tombstone; visits stay in the record.
func (s *Store) DeleteResident(ctx context.Context, id, actor string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE residents SET deleted=1, updated_at=? WHERE id=? AND deleted=0", nowMillis(), id)
		if err != nil {
			return fmt.Errorf("data: delete resident: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("resident", id)
		}
		return svcAudit(ctx, tx, actor, "delete", "residents", id, "")
	})
}

// ResidentFilter narrows the resident list; empty fields match everything.
type ResidentFilter struct {
	Village  string
	Category string
	Query    string // part of the name, or the last digits of the ID number
	Station  string // the station a resident belongs to (origin): the bureau's merged list
	Limit    int    // page size (default 50, at most 500)
	Offset   int
}

func (f ResidentFilter) where() (string, []any) {
	w := []string{"r.deleted = 0"}
	var args []any
	if f.Village != "" {
		w = append(w, "r.village = ?")
		args = append(args, f.Village)
	}
	if f.Category != "" {
		w = append(w, "instr(r.categories, ?) > 0")
		args = append(args, mustJSON(f.Category))
	}
	if f.Station != "" {
		w = append(w, "r.origin = ?")
		args = append(args, f.Station)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if card, err := ParseIDCard(q, clock()); err == nil {
			w = append(w, "r.id_number = ?")
			args = append(args, card.Number)
		} else if n := strings.ToUpper(normalizeDigits(q, nil)); len(n) >= 4 && len(n) <= 6 && (isDigits(n) || isDigits(n[:len(n)-1])) {
			w = append(w, "(r.id_number LIKE ? ESCAPE '\\' OR r.name LIKE ? ESCAPE '\\')")
			args = append(args, "%"+n, "%"+svcLikeEscape(q)+"%")
		} else {
			w = append(w, "(r.name LIKE ? ESCAPE '\\' OR r.address LIKE ? ESCAPE '\\')")
			args = append(args, "%"+svcLikeEscape(q)+"%", "%"+svcLikeEscape(q)+"%")
		}
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

func svcLikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func svcPageSize(limit int) int {
	switch {
	case limit <= 0:
		return 50
	case limit > 500:
		return 500
	}
	return limit
}

// Residents lists one page of residents by village and name, masked.
func (s *Store) Residents(ctx context.Context, f ResidentFilter) ([]Resident, error) {
	where, args := f.where()
	args = append(args, svcPageSize(f.Limit), max(0, f.Offset))
	rows, err := s.Read().QueryContext(ctx, "SELECT "+residentCols+residentFrom+where+" ORDER BY r.village, r.name, r.id LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, fmt.Errorf("data: list residents: %w", err)
	}
	defer rows.Close()
	out := []Resident{}
	for rows.Next() {
		r, err := scanResident(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list residents: %w", err)
		}
		r.mask()
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountResidents counts the residents a filter matches.
func (s *Store) CountResidents(ctx context.Context, f ResidentFilter) (int, error) {
	where, args := f.where()
	var n int
	if err := s.Read().QueryRowContext(ctx, "SELECT count(*) FROM residents r"+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: count residents: %w", err)
	}
	return n, nil
}

// Villages lists the villages and communities residents live in.
func (s *Store) Villages(ctx context.Context) ([]string, error) {
	rows, err := s.Read().QueryContext(ctx, "SELECT DISTINCT village FROM residents WHERE deleted = 0 AND village != '' ORDER BY village")
	if err != nil {
		return nil, fmt.Errorf("data: list villages: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
