package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"stationdesk/data/render"
)

// Lending is one entry of the personnel-archive lending ledger (人事档案外借台账):
// a file lent out with the talent-centre director's approval.
type Lending struct {
	Record
	HolderName   string `json:"holder_name"`   // whose personnel file
	BorrowerUnit string `json:"borrower_unit"` // 借阅单位
	Borrower     string `json:"borrower"`      // 借阅人
	Purpose      string `json:"purpose"`
	ApprovedBy   string `json:"approved_by"` // 人才中心主任
	DateOut      string `json:"date_out"`
	DateDue      string `json:"date_due"`
	DateReturned string `json:"date_returned"` // "" while out
	Notes        string `json:"notes"`
}

// Overdue reports whether the file is still out after its due date.
func (l Lending) Overdue(today time.Time) bool {
	return l.DateReturned == "" && l.DateDue < today.Format("2006-01-02")
}

// DaysOverdue is how many days past due an unreturned file is (0 if not overdue).
func (l Lending) DaysOverdue(today time.Time) int {
	if !l.Overdue(today) {
		return 0
	}
	due, err := time.ParseInLocation("2006-01-02", l.DateDue, time.Local)
	if err != nil {
		return 0
	}
	t0 := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.Local)
	return int(t0.Sub(due).Hours()/24 + 0.5)
}

// ledgerText checks one typed field of a ledger; a required one left empty
// is refused as "<label>不能为空" (label "" for an optional field).
func ledgerText(f textField, label string) error {
	if err := checkFields(f); err != nil {
		return err
	}
	if label != "" && *f.p == "" {
		return Invalid(f.field, label+"不能为空")
	}
	return nil
}

// Validate normalises and checks an entry before saving.
func (l *Lending) Validate() error {
	for _, f := range []struct {
		textField
		label string
	}{
		{textField{"holder_name", &l.HolderName, maxName, false}, "档案所属人姓名"},
		{textField{"borrower_unit", &l.BorrowerUnit, maxShort, false}, "借阅单位"},
		{textField{"borrower", &l.Borrower, maxName, false}, "借阅人"},
		{textField{"purpose", &l.Purpose, maxLine, false}, "借阅用途"},
		{textField{"approved_by", &l.ApprovedBy, maxName, false}, "审批人"},
		{textField{"notes", &l.Notes, maxNote, true}, ""},
	} {
		if err := ledgerText(f.textField, f.label); err != nil {
			return err
		}
	}
	var err error
	if l.DateOut, err = checkDate("date_out", l.DateOut, true); err != nil {
		return err
	}
	if l.DateOut > svcToday() {
		return Invalid("date_out", "借出日期不能晚于今天")
	}
	if l.DateDue, err = checkDate("date_due", l.DateDue, true); err != nil {
		return err
	}
	if l.DateDue < l.DateOut {
		return Invalid("date_due", "应还日期不能早于借出日期")
	}
	if l.DateReturned, err = checkDate("date_returned", l.DateReturned, false); err != nil {
		return err
	}
	if l.DateReturned != "" && l.DateReturned < l.DateOut {
		return Invalid("date_returned", "归还日期不能早于借出日期")
	}
	if l.DateReturned > svcToday() {
		return Invalid("date_returned", "归还日期不能晚于今天")
	}
	return nil
}

const lendingCols = `id, origin, created_at, updated_at, holder_name, borrower_unit, borrower, purpose, approved_by, date_out, date_due, date_returned, notes`

func scanLending(sc interface{ Scan(...any) error }) (Lending, error) {
	var l Lending
	var c, u int64
	err := sc.Scan(&l.ID, &l.Origin, &c, &u, &l.HolderName, &l.BorrowerUnit, &l.Borrower, &l.Purpose, &l.ApprovedBy,
		&l.DateOut, &l.DateDue, &l.DateReturned, &l.Notes)
	l.CreatedAt, l.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	return l, err
}

// SaveLending adds an entry (empty ID) or saves changes to one.
func (s *Store) SaveLending(ctx context.Context, l *Lending) error {
	if err := l.Validate(); err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		if l.ID == "" {
			l.ID, l.Origin = NewID(), ident.Code
			l.CreatedAt = time.UnixMilli(now)
			l.UpdatedAt = l.CreatedAt
			_, err := tx.ExecContext(ctx, `INSERT INTO archive_lendings(`+lendingCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				l.ID, l.Origin, now, now, l.HolderName, l.BorrowerUnit, l.Borrower, l.Purpose, l.ApprovedBy, l.DateOut, l.DateDue, l.DateReturned, l.Notes)
			if err != nil {
				return fmt.Errorf("data: add lending: %w", err)
			}
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE archive_lendings SET holder_name=?, borrower_unit=?, borrower=?, purpose=?, approved_by=?,
			date_out=?, date_due=?, date_returned=?, notes=?, updated_at=? WHERE id=? AND deleted=0`,
			l.HolderName, l.BorrowerUnit, l.Borrower, l.Purpose, l.ApprovedBy, l.DateOut, l.DateDue, l.DateReturned, l.Notes, now, l.ID)
		if err != nil {
			return fmt.Errorf("data: save lending: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("lending", l.ID)
		}
		l.UpdatedAt = time.UnixMilli(now)
		return nil
	})
}

// ReturnLending records that a lent file came back on date.
func (s *Store) ReturnLending(ctx context.Context, id, date string) error {
	l, err := s.Lending(ctx, id)
	if err != nil {
		return err
	}
	l.DateReturned = date
	if strings.TrimSpace(date) == "" {
		return Invalid("date_returned", "请填写归还日期")
	}
	return s.SaveLending(ctx, &l)
}

// Lending returns one entry.
func (s *Store) Lending(ctx context.Context, id string) (Lending, error) {
	l, err := scanLending(s.Read().QueryRowContext(ctx, `SELECT `+lendingCols+` FROM archive_lendings WHERE id = ? AND deleted = 0`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, NotFound("lending", id)
	}
	if err != nil {
		return l, fmt.Errorf("data: read lending: %w", err)
	}
	return l, nil
}

// lendings lists this installation's own ledger: the files it lent.
func (s *Store) lendings(ctx context.Context, where string, args ...any) ([]Lending, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT `+lendingCols+` FROM archive_lendings WHERE deleted = 0 AND origin = ? `+where, append([]any{ident.Code}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("data: list lendings: %w", err)
	}
	defer rows.Close()
	var out []Lending
	for rows.Next() {
		l, err := scanLending(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list lendings: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Lendings lists the whole ledger, newest loan first.
func (s *Store) Lendings(ctx context.Context) ([]Lending, error) {
	return s.lendings(ctx, `ORDER BY date_out DESC, created_at DESC`)
}

// OverdueLendings lists files still out after their due date, longest overdue first.
func (s *Store) OverdueLendings(ctx context.Context, today time.Time) ([]Lending, error) {
	return s.lendings(ctx, `AND date_returned = '' AND date_due < ? ORDER BY date_due, date_out`, today.Format("2006-01-02"))
}

// WeekStart is the Monday of the week (Monday–Sunday) holding t, at midnight.
func WeekStart(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// WeekLendings lists the entries lent out in the week (Monday–Sunday) holding day.
func (s *Store) WeekLendings(ctx context.Context, day time.Time) ([]Lending, error) {
	mon := WeekStart(day)
	return s.lendings(ctx, `AND date_out >= ? AND date_out <= ? ORDER BY date_out, created_at`,
		mon.Format("2006-01-02"), mon.AddDate(0, 0, 6).Format("2006-01-02"))
}

// LendingReview is the deputy director's weekly review of the ledger.
type LendingReview struct {
	Record
	Week       string    `json:"week"` // Monday, 2006-01-02
	Reviewer   string    `json:"reviewer"`
	ReviewedAt time.Time `json:"reviewed_at"`
	Remarks    string    `json:"remarks"`
	Entries    int       `json:"entries"` // how many entries the week held when reviewed
}

// ReviewWeek records that reviewer went through the week holding day.
func (s *Store) ReviewWeek(ctx context.Context, day time.Time, reviewer, remarks string) (LendingReview, error) {
	r := LendingReview{Week: WeekStart(day).Format("2006-01-02"), Reviewer: reviewer, Remarks: remarks}
	if err := ledgerText(textField{"reviewer", &r.Reviewer, maxName, false}, "审核人"); err != nil {
		return r, err
	}
	if err := ledgerText(textField{"remarks", &r.Remarks, maxNote, true}, ""); err != nil {
		return r, err
	}
	if r.Week > svcToday() {
		return r, Invalid("week", "不能审核尚未开始的一周")
	}
	entries, err := s.WeekLendings(ctx, day)
	if err != nil {
		return r, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return r, err
	}
	r.Entries = len(entries)
	err = s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		r.ID, r.Origin = NewID(), ident.Code
		r.CreatedAt, r.UpdatedAt, r.ReviewedAt = time.UnixMilli(now), time.UnixMilli(now), time.UnixMilli(now)
		_, err := tx.ExecContext(ctx, `INSERT INTO lending_reviews(id, origin, created_at, updated_at, week, reviewer, reviewed_at, remarks, entries)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Origin, now, now, r.Week, r.Reviewer, now, r.Remarks, r.Entries)
		if err != nil {
			return fmt.Errorf("data: review week: %w", err)
		}
		return nil
	})
	return r, err
}

// WeekReview returns the latest review of the week holding day; ok is false if none.
func (s *Store) WeekReview(ctx context.Context, day time.Time) (LendingReview, bool, error) {
	var r LendingReview
	var c, u, at int64
	err := s.Read().QueryRowContext(ctx, `SELECT id, origin, created_at, updated_at, week, reviewer, reviewed_at, remarks, entries
		FROM lending_reviews WHERE deleted = 0 AND week = ? ORDER BY reviewed_at DESC, id DESC LIMIT 1`, WeekStart(day).Format("2006-01-02")).
		Scan(&r.ID, &r.Origin, &c, &u, &r.Week, &r.Reviewer, &at, &r.Remarks, &r.Entries)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("data: read review: %w", err)
	}
	r.CreatedAt, r.UpdatedAt, r.ReviewedAt = time.UnixMilli(c), time.UnixMilli(u), time.UnixMilli(at)
	return r, true, nil
}

// ExportLendingsXLSX writes the whole ledger to an .xlsx file with Chinese
// headers; it returns the number of rows.
func (s *Store) ExportLendingsXLSX(ctx context.Context, path string) (int, error) {
	all, err := s.Lendings(ctx)
	if err != nil {
		return 0, err
	}
	w, err := render.NewSheetWriter("人事档案外借台账", []string{"档案所属人", "借阅单位", "借阅人", "借阅用途", "审批人", "借出日期", "应还日期", "归还日期", "状态", "备注"},
		[]float64{12, 24, 10, 30, 10, 12, 12, 12, 12, 30})
	if err != nil {
		return 0, fmt.Errorf("data: export lendings: %w", err)
	}
	today := clock()
	for _, l := range all {
		if err := w.Add(l.HolderName, l.BorrowerUnit, l.Borrower, l.Purpose, l.ApprovedBy, l.DateOut, l.DateDue, l.DateReturned, LendingStatus(l, today), l.Notes); err != nil {
			return 0, fmt.Errorf("data: export lendings: %w", err)
		}
	}
	return len(all), saveSheet(w, path)
}

// LendingStatus is the entry's state in words: 已归还, 借出中 or 逾期 N 天.
func LendingStatus(l Lending, today time.Time) string {
	switch {
	case l.DateReturned != "":
		return "已归还"
	case l.Overdue(today):
		return fmt.Sprintf("逾期 %d 天", l.DaysOverdue(today))
	default:
		return "借出中"
	}
}
