package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"stationdesk/data/render"
)

// Duty is one day of the hall duty rota (领导干部大厅轮流值班): which leader
// is on duty in the service hall.
type Duty struct {
	Record
	Date        string `json:"date"`
	OfficerID   string `json:"officer_id"`
	OfficerName string `json:"officer_name"`
	Notes       string `json:"notes"`
}

// DutySwap records a change of the rota: who handed a duty to whom, when, why.
type DutySwap struct {
	Record
	RotaID     string    `json:"rota_id"`
	Date       string    `json:"date"`
	FromID     string    `json:"from_id"`
	FromName   string    `json:"from_name"`
	ToID       string    `json:"to_id"`
	ToName     string    `json:"to_name"`
	OtherDate  string    `json:"other_date"` // the day taken in exchange, "" for a plain substitution
	Reason     string    `json:"reason"`
	RecordedBy string    `json:"recorded_by"`
	SwappedAt  time.Time `json:"swapped_at"`
}

// HallDutySource is the opinions' source for what a leader heard on hall duty.
const HallDutySource = "大厅值班"

func parseDay(field, s string) (time.Time, error) {
	d, err := checkDate(field, s, true)
	if err != nil {
		return time.Time{}, err
	}
	return time.ParseInLocation("2006-01-02", d, time.Local)
}

// WorkingDay reports whether d is Monday to Friday.
func WorkingDay(d time.Time) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday }

// GenerateRota fills the working days from..to (inclusive) round-robin over
// the leaders, in the order given: holidays are skipped and weekend days
// worked instead (调休) are on the rota, by the holiday calendar. Duties already planned in the range are
// replaced. It returns the new rota.
func (s *Store) GenerateRota(ctx context.Context, from, to string, officerIDs []string) ([]Duty, error) {
	start, err := parseDay("from", from)
	if err != nil {
		return nil, err
	}
	end, err := parseDay("to", to)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, Invalid("to", "结束日期不能早于开始日期")
	}
	if end.Sub(start) > 400*24*time.Hour {
		return nil, Invalid("to", "一次最多排一年的值班")
	}
	if len(officerIDs) == 0 {
		return nil, Invalid("officers", "请至少选择一名值班领导")
	}
	names, err := s.OfficerNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range officerIDs {
		if names[id] == "" {
			return nil, NotFound("officer", id)
		}
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := s.HolidayCalendar(ctx, start.Year(), end.Year())
	if err != nil {
		return nil, err
	}
	var out []Duty
	err = s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		if _, err := tx.ExecContext(ctx, `UPDATE duty_rota SET deleted = 1, updated_at = ? WHERE deleted = 0 AND origin = ? AND date >= ? AND date <= ?`,
			now, ident.Code, start.Format("2006-01-02"), end.Format("2006-01-02")); err != nil {
			return fmt.Errorf("data: clear rota: %w", err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO duty_rota(id, origin, created_at, updated_at, date, officer_id, officer_name) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return fmt.Errorf("data: generate rota: %w", err)
		}
		defer st.Close()
		i := 0
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			if !cal.WorkingDay(d) {
				continue
			}
			id := officerIDs[i%len(officerIDs)]
			i++
			du := Duty{Record: Record{ID: NewID(), Origin: ident.Code, CreatedAt: time.UnixMilli(now), UpdatedAt: time.UnixMilli(now)},
				Date: d.Format("2006-01-02"), OfficerID: id, OfficerName: names[id]}
			if _, err := st.ExecContext(ctx, du.ID, du.Origin, now, now, du.Date, du.OfficerID, du.OfficerName); err != nil {
				return fmt.Errorf("data: generate rota: %w", err)
			}
			out = append(out, du)
		}
		return nil
	})
	return out, err
}

const dutyCols = `id, origin, created_at, updated_at, date, officer_id, officer_name, notes`

func scanDuty(sc interface{ Scan(...any) error }) (Duty, error) {
	var d Duty
	var c, u int64
	err := sc.Scan(&d.ID, &d.Origin, &c, &u, &d.Date, &d.OfficerID, &d.OfficerName, &d.Notes)
	d.CreatedAt, d.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	return d, err
}

// Rota lists this installation's duties from..to (inclusive, 2006-01-02), by
// date; the rotas of stations, which reach the bureau in their bundles, are
// theirs and not listed.
func (s *Store) Rota(ctx context.Context, from, to string) ([]Duty, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT `+dutyCols+` FROM duty_rota WHERE deleted = 0 AND origin = ? AND date >= ? AND date <= ? ORDER BY date, created_at`,
		ident.Code, from, to)
	if err != nil {
		return nil, fmt.Errorf("data: list rota: %w", err)
	}
	defer rows.Close()
	var out []Duty
	for rows.Next() {
		d, err := scanDuty(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list rota: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func dutyTx(ctx context.Context, tx *sql.Tx, id string) (Duty, error) {
	d, err := scanDuty(tx.QueryRowContext(ctx, `SELECT `+dutyCols+` FROM duty_rota WHERE id = ? AND deleted = 0`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, NotFound("duty", id)
	}
	if err != nil {
		return d, fmt.Errorf("data: read duty: %w", err)
	}
	return d, nil
}

// SaveDutyNotes edits a duty's notes (e.g. 上午 / 下午, or a remark).
func (s *Store) SaveDutyNotes(ctx context.Context, id, notes string) error {
	if err := ledgerText(textField{"notes", &notes, maxLine, false}, ""); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE duty_rota SET notes = ?, updated_at = ? WHERE id = ? AND deleted = 0`, notes, nowMillis(), id)
		if err != nil {
			return fmt.Errorf("data: save duty: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("duty", id)
		}
		return nil
	})
}

// SwapDuties exchanges the leaders of two duties (A takes B's day and B
// takes A's) and records the swap on both days.
func (s *Store) SwapDuties(ctx context.Context, idA, idB, reason, by string) error {
	if err := checkSwap(&reason, &by); err != nil {
		return err
	}
	if idA == idB {
		return Invalid("other", "请选择另一天的值班")
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		a, err := dutyTx(ctx, tx, idA)
		if err != nil {
			return err
		}
		b, err := dutyTx(ctx, tx, idB)
		if err != nil {
			return err
		}
		if a.OfficerID == b.OfficerID {
			return Invalid("other", "两天是同一位领导值班，无需调换")
		}
		now := nowMillis()
		for _, x := range [][2]Duty{{a, b}, {b, a}} {
			if _, err := tx.ExecContext(ctx, `UPDATE duty_rota SET officer_id = ?, officer_name = ?, updated_at = ? WHERE id = ?`,
				x[1].OfficerID, x[1].OfficerName, now, x[0].ID); err != nil {
				return fmt.Errorf("data: swap duties: %w", err)
			}
		}
		return insertSwap(ctx, tx, ident.Code, DutySwap{RotaID: a.ID, Date: a.Date, FromID: a.OfficerID, FromName: a.OfficerName,
			ToID: b.OfficerID, ToName: b.OfficerName, OtherDate: b.Date, Reason: reason, RecordedBy: by}, now)
	})
}

// ReassignDuty hands a duty to another leader (a substitution, no day given back).
func (s *Store) ReassignDuty(ctx context.Context, id, officerID, reason, by string) error {
	if err := checkSwap(&reason, &by); err != nil {
		return err
	}
	o, err := s.Officer(ctx, officerID)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		d, err := dutyTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.OfficerID == o.ID {
			return Invalid("officer", "这一天已由该领导值班")
		}
		now := nowMillis()
		if _, err := tx.ExecContext(ctx, `UPDATE duty_rota SET officer_id = ?, officer_name = ?, updated_at = ? WHERE id = ?`, o.ID, o.Name, now, d.ID); err != nil {
			return fmt.Errorf("data: reassign duty: %w", err)
		}
		return insertSwap(ctx, tx, ident.Code, DutySwap{RotaID: d.ID, Date: d.Date, FromID: d.OfficerID, FromName: d.OfficerName,
			ToID: o.ID, ToName: o.Name, Reason: reason, RecordedBy: by}, now)
	})
}

// checkSwap checks the typed reason of a rota change and who records it.
func checkSwap(reason, by *string) error {
	if err := ledgerText(textField{"reason", reason, maxLine, false}, "调换原因"); err != nil {
		return err
	}
	return ledgerText(textField{"recorded_by", by, maxName, false}, "")
}

func insertSwap(ctx context.Context, tx *sql.Tx, origin string, w DutySwap, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO duty_swaps(id, origin, created_at, updated_at, rota_id, date, from_id, from_name, to_id, to_name, other_date, reason, recorded_by, swapped_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), origin, now, now, w.RotaID, w.Date, w.FromID, w.FromName, w.ToID, w.ToName,
		w.OtherDate, w.Reason, w.RecordedBy, now)
	if err != nil {
		return fmt.Errorf("data: record swap: %w", err)
	}
	return nil
}

// DutySwaps lists the rota changes touching days from..to, newest first.
func (s *Store) DutySwaps(ctx context.Context, from, to string) ([]DutySwap, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT id, origin, created_at, updated_at, rota_id, date, from_id, from_name, to_id, to_name, other_date, reason, recorded_by, swapped_at
		FROM duty_swaps WHERE deleted = 0 AND origin = ?3 AND ((date >= ?1 AND date <= ?2) OR (other_date >= ?1 AND other_date <= ?2))
		ORDER BY swapped_at DESC, id DESC`, from, to, ident.Code)
	if err != nil {
		return nil, fmt.Errorf("data: list swaps: %w", err)
	}
	defer rows.Close()
	var out []DutySwap
	for rows.Next() {
		var w DutySwap
		var c, u, at int64
		if err := rows.Scan(&w.ID, &w.Origin, &c, &u, &w.RotaID, &w.Date, &w.FromID, &w.FromName, &w.ToID, &w.ToName, &w.OtherDate, &w.Reason, &w.RecordedBy, &at); err != nil {
			return nil, fmt.Errorf("data: list swaps: %w", err)
		}
		w.CreatedAt, w.UpdatedAt, w.SwappedAt = time.UnixMilli(c), time.UnixMilli(u), time.UnixMilli(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

// AddHallOpinion records an opinion a leader heard on hall duty: it joins the
// opinions list (source 大厅值班, status 已记录) like any other.
func (s *Store) AddHallOpinion(ctx context.Context, dutyID, category, content string) (Opinion, error) {
	o := Opinion{Source: HallDutySource, Category: category, Content: content}
	if err := o.checkText(); err != nil {
		return o, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return o, err
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		d, err := dutyTx(ctx, tx, dutyID)
		if err != nil {
			return err
		}
		if d.Date > svcToday() {
			return Invalid("date", "值班尚未开始，不能登记意见")
		}
		now := nowMillis()
		o.ID, o.Origin, o.Date = NewID(), ident.Code, d.Date
		o.CreatedAt, o.UpdatedAt, o.StatusAt = time.UnixMilli(now), time.UnixMilli(now), time.UnixMilli(now)
		o.Status, o.StatusBy = OpinionStatuses[0], d.OfficerID
		_, err = tx.ExecContext(ctx, `INSERT INTO opinions(id, origin, created_at, updated_at, date, source, resident_id, category, content, status, status_by, status_at)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)`, o.ID, o.Origin, now, now, o.Date, o.Source, o.Category, o.Content, o.Status, o.StatusBy, now)
		if err != nil {
			return fmt.Errorf("data: add hall opinion: %w", err)
		}
		return nil
	})
	return o, err
}

// HallOpinions lists the opinions heard on this installation's hall duty on date.
func (s *Store) HallOpinions(ctx context.Context, date string) ([]Opinion, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT id, date, category, content, status, status_by FROM opinions
		WHERE deleted = 0 AND source = ? AND date = ? AND origin = ? ORDER BY created_at`, HallDutySource, date, ident.Code)
	if err != nil {
		return nil, fmt.Errorf("data: list hall opinions: %w", err)
	}
	defer rows.Close()
	var out []Opinion
	for rows.Next() {
		var o Opinion
		if err := rows.Scan(&o.ID, &o.Date, &o.Category, &o.Content, &o.Status, &o.StatusBy); err != nil {
			return nil, fmt.Errorf("data: list hall opinions: %w", err)
		}
		o.Source = HallDutySource
		out = append(out, o)
	}
	return out, rows.Err()
}

// MonthRange is the first and last day of t's month, as 2006-01-02.
func MonthRange(t time.Time) (string, string) {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.Local)
	return first.Format("2006-01-02"), first.AddDate(0, 1, -1).Format("2006-01-02")
}

// WeekRange is the Monday and Sunday of t's week, as 2006-01-02.
func WeekRange(t time.Time) (string, string) {
	m := WeekStart(t)
	return m.Format("2006-01-02"), m.AddDate(0, 0, 6).Format("2006-01-02")
}

var weekdayNames = []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// WeekdayName is the Chinese name of d's weekday.
func WeekdayName(date string) string {
	d, err := time.ParseInLocation("2006-01-02", date, time.Local)
	if err != nil {
		return ""
	}
	return weekdayNames[d.Weekday()]
}

// RotaPDF prints the rota from..to with a title (e.g. 2026年11月大厅值班表):
// one row per day with the leader on duty and their phone.
func (s *Store) RotaPDF(ctx context.Context, path, title, from, to string) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	duties, err := s.Rota(ctx, from, to)
	if err != nil {
		return err
	}
	officers, err := s.Officers(ctx, false)
	if err != nil {
		return err
	}
	phone, role := map[string]string{}, map[string]string{}
	for _, o := range officers {
		phone[o.ID], role[o.ID] = o.Phone, o.Role
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	p := render.NewPDF("P", "A4")
	p.SetTitle(title, true)
	p.AddPage()
	w, _ := p.GetPageSize()
	render.DrawText(p, 10, 12, w-20, 12, title, 18, true, "C")
	render.DrawText(p, 10, 24, w-20, 7, fmt.Sprintf("%s    %s 至 %s", ident.Name, from, to), 11, false, "C")
	p.SetXY(10, 36)
	widths := []float64{32, 22, 36, 36, 38, 26}
	p.SetFillColor(230, 236, 245)
	for i, h := range []string{"日期", "星期", "值班领导", "职务", "联系电话", "备注"} {
		render.DrawCell(p, widths[i], 9, h, 11, true, "C", true)
	}
	p.Ln(-1)
	for _, d := range duties {
		if p.GetY() > 270 {
			p.AddPage()
			p.SetY(12)
		}
		p.SetX(10)
		for i, v := range []string{d.Date, WeekdayName(d.Date), d.OfficerName, role[d.OfficerID], phone[d.OfficerID], d.Notes} {
			render.DrawCell(p, widths[i], 8, v, 11, false, "C", false)
		}
		p.Ln(-1)
	}
	if len(duties) == 0 {
		p.SetX(10)
		render.DrawCell(p, 190, 9, "这段时间还没有排班。", 11, false, "C", false)
		p.Ln(-1)
	}
	y := p.GetY() + 5
	for _, line := range render.WrapText(p, "值班领导在服务大厅听取群众意见，当场能解决的当场解决，不能解决的登记后转交办理。如需调换，请提前告知并在台账中登记。", 190, 10, false) {
		render.DrawText(p, 10, y, 190, 6, line, 10, false, "L")
		y += 6
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("data: rota pdf: %w", err)
	}
	return savePDF(p, path)
}
