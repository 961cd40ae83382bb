package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultServices is the starting catalogue of home-visit services.
var DefaultServices = []string{"养老金领取资格认证", "社会保障卡申领/激活", "医保报销代办", "参保登记", "就业登记", "政策宣传", "其他"}

// Visit is one home visit by a service squad (上门服务记录).
type Visit struct {
	Record
	Date           string   `json:"date"` // YYYY-MM-DD
	ResidentID     string   `json:"resident_id"`
	OfficerIDs     []string `json:"officer_ids"` // the squad
	Services       []string `json:"services"`    // from the station's catalogue
	Outcome        string   `json:"outcome"`
	Notes          string   `json:"notes"`
	FollowupNeeded bool     `json:"followup_needed"`
	FollowupDue    string   `json:"followup_due"`     // YYYY-MM-DD
	FollowupDoneAt string   `json:"followup_done_at"` // YYYY-MM-DD, "" while open
	FollowupDoneBy string   `json:"followup_done_by"` // officer ID
	FollowupResult string   `json:"followup_result"`
	// PoliciesExplained are the policies explained on the visit (政策宣传), by ID.
	PoliciesExplained []string `json:"policies_explained,omitempty"`
}

// VisitCard is a bundle of policy cards handed out on a visit; it goes into
// the card distribution register (card_handouts).
type VisitCard struct {
	PolicyID string `json:"policy_id"`
	Count    int    `json:"count"`
}

// VisitRow is a visit with the resident's name and village, for lists.
type VisitRow struct {
	Visit
	ResidentName string `json:"resident_name"`
	Village      string `json:"village"`
	Overdue      bool   `json:"overdue"` // an open follow-up past its due date
}

// VisitOutcomes are offered in the visit form; others may be typed.
var VisitOutcomes = []string{"已办结", "已代为提交，等待审核", "资料不全，待补交", "已讲解政策", "本人不在家"}

// SettingVisitServices holds the station's service catalogue (JSON list).
const SettingVisitServices = "visit_services"

// SettingVisitIntervals holds days between visits per category (JSON object).
const SettingVisitIntervals = "visit_intervals"

// DefaultVisitIntervals: how often residents of each category should be visited.
var DefaultVisitIntervals = map[string]int{"高龄": 90, "独居": 60, "失能": 30, "残疾": 90, "低保": 180, "特困": 60, "留守老人": 90, "重点优抚": 90}

// VisitServices is the station's catalogue of home-visit services.
func (s *Store) VisitServices(ctx context.Context) ([]string, error) {
	v, err := s.Setting(ctx, SettingVisitServices, "")
	if err != nil || v == "" {
		return slices.Clone(DefaultServices), err
	}
	var out []string
	if json.Unmarshal([]byte(v), &out) != nil || len(out) == 0 {
		return slices.Clone(DefaultServices), nil
	}
	return out, nil
}

// SetVisitServices replaces the catalogue (names trimmed, duplicates dropped).
func (s *Store) SetVisitServices(ctx context.Context, list []string) error {
	clean, err := checkList("services", list, maxShort)
	if err != nil {
		return err
	}
	if len(clean) == 0 {
		return Invalid("services", "服务项目不能为空")
	}
	return s.SetSetting(ctx, SettingVisitServices, mustJSON(clean))
}

// VisitIntervals is the number of days after which a resident of each
// category is due for a visit.
func (s *Store) VisitIntervals(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for k, v := range DefaultVisitIntervals {
		out[k] = v
	}
	v, err := s.Setting(ctx, SettingVisitIntervals, "")
	if err != nil || v == "" {
		return out, err
	}
	var set map[string]int
	if json.Unmarshal([]byte(v), &set) == nil && len(set) > 0 {
		out = set
	}
	return out, nil
}

// SetVisitIntervals stores the days per category; 0 removes a category.
func (s *Store) SetVisitIntervals(ctx context.Context, m map[string]int) error {
	clean := map[string]int{}
	for k, v := range m {
		k, err := checkText("interval", k, maxTag, false)
		if err != nil {
			return err
		}
		if k == "" || v <= 0 {
			continue
		}
		if v > 3650 {
			return Invalid("interval", "走访间隔不能超过 3650 天")
		}
		clean[k] = v
	}
	return s.SetSetting(ctx, SettingVisitIntervals, mustJSON(clean))
}

func svcToday() string { return clock().Format("2006-01-02") }

// Validate normalises and checks a visit before saving.
func (v *Visit) Validate() error {
	var err error
	if v.Date, err = checkDate("date", v.Date, true); err != nil {
		return err
	}
	if v.Date > svcToday() {
		return Invalid("date", "上门日期不能晚于今天")
	}
	if v.ResidentID == "" {
		return Invalid("resident_id", "请选择服务对象")
	}
	if v.OfficerIDs, err = checkList("officer_ids", v.OfficerIDs, maxShort); err != nil {
		return err
	}
	if len(v.OfficerIDs) == 0 {
		return Invalid("officer_ids", "请选择服务小分队成员")
	}
	if v.Services, err = checkList("services", v.Services, maxShort); err != nil {
		return err
	}
	if len(v.Services) == 0 {
		return Invalid("services", "请至少选择一项服务")
	}
	if err := checkFields(textField{"outcome", &v.Outcome, maxNote, false}, textField{"notes", &v.Notes, maxLong, true}); err != nil {
		return err
	}
	if err := checkExplained(v); err != nil {
		return err
	}
	if v.FollowupNeeded {
		if v.FollowupDue, err = checkDate("followup_due", v.FollowupDue, true); err != nil {
			if strings.TrimSpace(v.FollowupDue) == "" {
				return Invalid("followup_due", "需要跟进时请填写跟进期限")
			}
			return err
		}
		if v.FollowupDue < v.Date {
			return Invalid("followup_due", "跟进期限不能早于上门日期")
		}
	} else {
		v.FollowupDue, v.FollowupDoneAt, v.FollowupDoneBy = "", "", ""
	}
	return nil
}

// AddVisit records a visit, the policy cards handed out on it and, when op
// is not nil, an opinion the resident gave, all in one transaction.
func (s *Store) AddVisit(ctx context.Context, v *Visit, cards []VisitCard, op *Opinion) error {
	if err := v.Validate(); err != nil {
		return err
	}
	for _, c := range cards {
		if c.PolicyID == "" || c.Count <= 0 || c.Count > 10000 {
			return Invalid("cards", "政策卡片数量应为正整数")
		}
	}
	if op != nil {
		op.Date, op.ResidentID, op.Source = v.Date, v.ResidentID, "上门服务"
		if err := op.Validate(); err != nil {
			return err
		}
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := residentFull(ctx, tx, v.ResidentID); err != nil {
			return err
		}
		if err := svcCheckOfficers(ctx, tx, v.OfficerIDs); err != nil {
			return err
		}
		if err := checkExplainedExist(ctx, tx, v.PoliciesExplained); err != nil {
			return err
		}
		now := nowMillis()
		v.ID, v.Origin = NewID(), ident.Code
		v.CreatedAt, v.UpdatedAt = time.UnixMilli(now), time.UnixMilli(now)
		_, err := tx.ExecContext(ctx, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, officer_ids, services, outcome, notes,
			followup_needed, followup_due, followup_done_at, followup_done_by, followup_result, policies_explained) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', '', ?)`,
			v.ID, v.Origin, now, now, v.Date, v.ResidentID, mustJSON(v.OfficerIDs), mustJSON(v.Services), v.Outcome, v.Notes,
			boolInt(v.FollowupNeeded), v.FollowupDue, mustJSON(nonNil(v.PoliciesExplained)))
		if err != nil {
			return fmt.Errorf("data: add visit: %w", err)
		}
		v.FollowupDoneAt, v.FollowupDoneBy, v.FollowupResult = "", "", ""
		for _, c := range cards {
			if _, err := tx.ExecContext(ctx, `INSERT INTO card_handouts(id, origin, created_at, updated_at, policy_id, count, handed_on, place, officer_id, visit_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, '上门服务', ?, ?)`, NewID(), v.Origin, now, now, c.PolicyID, c.Count, v.Date, v.OfficerIDs[0], v.ID); err != nil {
				return fmt.Errorf("data: register cards of a visit: %w", err)
			}
		}
		if op != nil {
			op.VisitID = v.ID
			return insertOpinionTx(ctx, tx, ident.Code, op, v.OfficerIDs[0])
		}
		return nil
	})
}

func svcCheckOfficers(ctx context.Context, tx *sql.Tx, ids []string) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM officers WHERE id = ? AND deleted = 0", id).Scan(&n); err != nil {
			return fmt.Errorf("data: check officer: %w", err)
		}
		if n == 0 {
			return Invalid("officer_ids", "服务小分队成员不在工作人员名册中")
		}
	}
	return nil
}

// CloseFollowup marks a visit's follow-up done on a day, by an officer, with what was done.
func (s *Store) CloseFollowup(ctx context.Context, visitID, officerID, on, result string) error {
	day, err := checkDate("followup_done_at", on, true)
	if err != nil {
		return err
	}
	if result, err = checkText("followup_result", result, maxText, true); err != nil {
		return err
	}
	if day > svcToday() {
		return Invalid("followup_done_at", "完成日期不能晚于今天")
	}
	if officerID == "" {
		return Invalid("followup_done_by", "请选择经办人")
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := svcCheckOfficers(ctx, tx, []string{officerID}); err != nil {
			return err
		}
		var needed int
		var done, date string
		err := tx.QueryRowContext(ctx, "SELECT followup_needed, followup_done_at, date FROM visits WHERE id = ? AND deleted = 0", visitID).Scan(&needed, &done, &date)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFound("visit", visitID)
		}
		if err != nil {
			return fmt.Errorf("data: close follow-up: %w", err)
		}
		if needed == 0 {
			return Invalid("followup", "这次上门没有需要跟进的事项")
		}
		if done != "" {
			return &Error{Kind: KindConflict, Op: "close follow-up", Field: "followup", Msg: "该跟进事项已办结"}
		}
		if day < date {
			return Invalid("followup_done_at", "完成日期不能早于上门日期")
		}
		_, err = tx.ExecContext(ctx, "UPDATE visits SET followup_done_at=?, followup_done_by=?, followup_result=?, updated_at=? WHERE id=?",
			day, officerID, result, nowMillis(), visitID)
		if err != nil {
			return fmt.Errorf("data: close follow-up: %w", err)
		}
		return nil
	})
}

// Visit returns one visit.
func (s *Store) Visit(ctx context.Context, id string) (VisitRow, error) {
	rows, err := s.visitRows(ctx, " WHERE v.id = ? AND v.deleted = 0", []any{id}, "", svcToday())
	if err != nil {
		return VisitRow{}, err
	}
	if len(rows) == 0 {
		return VisitRow{}, NotFound("visit", id)
	}
	return rows[0], nil
}

// VisitFilter narrows visit lists; empty fields match everything.
type VisitFilter struct {
	Village    string
	Category   string
	OfficerID  string
	Month      string // YYYY-MM
	ResidentID string
	Station    string // the station a visit belongs to (origin): the bureau's merged list
	Limit      int
	Offset     int
}

// where gives the filter's SQL; join says whether it needs residents r.
func (f VisitFilter) where() (where string, args []any, join bool, err error) {
	w := []string{"v.deleted = 0"}
	if f.Village != "" {
		w = append(w, "r.village = ?")
		args = append(args, f.Village)
	}
	if f.Category != "" {
		w = append(w, "instr(r.categories, ?) > 0")
		args = append(args, mustJSON(f.Category))
	}
	if f.OfficerID != "" {
		w = append(w, "instr(v.officer_ids, ?) > 0")
		args = append(args, mustJSON(f.OfficerID))
	}
	if f.Month != "" {
		m, err := time.Parse("2006-01", f.Month)
		if err != nil {
			return "", nil, false, Invalid("month", "月份格式应为 年-月")
		}
		w = append(w, "v.date >= ? AND v.date < ?")
		args = append(args, m.Format("2006-01-02"), m.AddDate(0, 1, 0).Format("2006-01-02"))
	}
	if f.ResidentID != "" {
		w = append(w, "v.resident_id = ?")
		args = append(args, f.ResidentID)
	}
	if f.Station != "" {
		w = append(w, "v.origin = ?")
		args = append(args, f.Station)
	}
	return " WHERE " + strings.Join(w, " AND "), args, f.Village != "" || f.Category != "", nil
}

// visitPage lists the visits of one page: the page's IDs come first from
// the indexes alone, then only those rows are read in full.
func (s *Store) visitPage(ctx context.Context, f VisitFilter, extra, order string) ([]VisitRow, error) {
	where, args, join, err := f.where()
	if err != nil {
		return nil, err
	}
	from := " FROM visits v"
	if join {
		from = " FROM visits v JOIN residents r ON r.id = v.resident_id"
	}
	args = append(args, svcPageSize(f.Limit), max(0, f.Offset))
	return s.visitRows(ctx, " JOIN (SELECT v.id AS pid"+from+where+extra+" ORDER BY "+order+" LIMIT ? OFFSET ?) p ON p.pid = v.id",
		args, " ORDER BY "+order, svcToday())
}

const visitCols = `v.id, v.origin, v.created_at, v.updated_at, v.date, v.resident_id, v.officer_ids, v.services, v.outcome, v.notes,
	v.followup_needed, v.followup_due, v.followup_done_at, v.followup_done_by, v.followup_result, COALESCE(r.name, ''), COALESCE(r.village, '')`

const visitFrom = ` FROM visits v LEFT JOIN residents r ON r.id = v.resident_id`

func (s *Store) visitRows(ctx context.Context, where string, args []any, tail string, day string) ([]VisitRow, error) {
	rows, err := s.Read().QueryContext(ctx, "SELECT "+visitCols+visitFrom+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("data: list visits: %w", err)
	}
	defer rows.Close()
	out := []VisitRow{}
	for rows.Next() {
		var v VisitRow
		var c, u int64
		var follow int
		var officers, services string
		if err := rows.Scan(&v.ID, &v.Origin, &c, &u, &v.Date, &v.ResidentID, &officers, &services, &v.Outcome, &v.Notes,
			&follow, &v.FollowupDue, &v.FollowupDoneAt, &v.FollowupDoneBy, &v.FollowupResult, &v.ResidentName, &v.Village); err != nil {
			return nil, fmt.Errorf("data: list visits: %w", err)
		}
		v.CreatedAt, v.UpdatedAt, v.FollowupNeeded = time.UnixMilli(c), time.UnixMilli(u), follow == 1
		json.Unmarshal([]byte(officers), &v.OfficerIDs)
		json.Unmarshal([]byte(services), &v.Services)
		v.Overdue = FollowupOverdue(v.FollowupNeeded, v.FollowupDoneAt, v.FollowupDue, day)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Visits lists one page of visits, newest first.
func (s *Store) Visits(ctx context.Context, f VisitFilter) ([]VisitRow, error) {
	return s.visitPage(ctx, f, "", "v.date DESC, v.id DESC")
}

// CountVisits counts the visits a filter matches.
func (s *Store) CountVisits(ctx context.Context, f VisitFilter) (int, error) {
	where, args, join, err := f.where()
	if err != nil {
		return 0, err
	}
	from := " FROM visits v"
	if join {
		from = visitFrom
	}
	var n int
	if err := s.Read().QueryRowContext(ctx, "SELECT count(*)"+from+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: count visits: %w", err)
	}
	return n, nil
}

const svcOpenFollowup = " AND " + followupOpenSQL

// FollowupQueue lists one page of open follow-ups, the most overdue first
// (by due date); Month filters by the visit's month.
func (s *Store) FollowupQueue(ctx context.Context, f VisitFilter) ([]VisitRow, error) {
	return s.visitPage(ctx, f, svcOpenFollowup, "v.followup_due, v.id")
}

// CountFollowups counts the open follow-ups a filter matches and how many are overdue.
func (s *Store) CountFollowups(ctx context.Context, f VisitFilter) (open, overdue int, err error) {
	where, args, join, err := f.where()
	if err != nil {
		return 0, 0, err
	}
	from := " FROM visits v"
	if join {
		from = visitFrom
	}
	args = append([]any{svcToday()}, args...)
	err = s.Read().QueryRowContext(ctx, "SELECT count(*), COALESCE(sum("+followupOverdueSQL+"), 0)"+from+where+svcOpenFollowup, args...).Scan(&open, &overdue)
	if err != nil {
		return 0, 0, fmt.Errorf("data: count follow-ups: %w", err)
	}
	return open, overdue, nil
}

// DueResident is a resident whose next visit is due.
type DueResident struct {
	Resident
	Interval  int    `json:"interval"`   // days between visits for their category
	Category  string `json:"category"`   // the category that sets the interval
	DaysSince int    `json:"days_since"` // since the last visit; -1 if never visited
}

// DueFilter narrows the visit plan.
type DueFilter struct {
	Village  string
	Category string // only this category (with its interval)
	Limit    int
	Offset   int
}

// DueResidents lists residents not visited for longer than their
// category's interval, the longest-waiting (and never visited) first.
func (s *Store) DueResidents(ctx context.Context, f DueFilter) ([]DueResident, error) {
	due, args, err := s.dueUnion(ctx, f)
	if err != nil || due == "" {
		return []DueResident{}, err
	}
	args = append(args, svcPageSize(f.Limit), max(0, f.Offset))
	// ORDER BY on the compound itself lets SQLite merge the per-category
	// index ranges, already in order, and stop after the page.
	rows, err := s.Read().QueryContext(ctx, "SELECT "+residentCols+" FROM ("+due+
		" ORDER BY last_visit, resident_id LIMIT ? OFFSET ?) p JOIN residents r ON r.id = p.resident_id LEFT JOIN resident_last_visit l ON l.resident_id = r.id"+
		" ORDER BY p.last_visit, p.resident_id", args...)
	if err != nil {
		return nil, fmt.Errorf("data: list due residents: %w", err)
	}
	defer rows.Close()
	intervals, err := s.VisitIntervals(ctx)
	if err != nil {
		return nil, err
	}
	now := clock()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	out := []DueResident{}
	for rows.Next() {
		r, err := scanResident(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list due residents: %w", err)
		}
		r.mask()
		d := DueResident{Resident: r, DaysSince: -1}
		for _, c := range r.Categories {
			if n, ok := intervals[c]; ok && (f.Category == "" || f.Category == c) && (d.Interval == 0 || n < d.Interval) {
				d.Interval, d.Category = n, c
			}
		}
		if t, err := time.Parse("2006-01-02", r.LastVisit); err == nil {
			d.DaysSince = int(day.Sub(t).Hours() / 24)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CountDueResidents counts what DueResidents lists.
func (s *Store) CountDueResidents(ctx context.Context, f DueFilter) (int, error) {
	due, args, err := s.dueUnion(ctx, f)
	if err != nil || due == "" {
		return 0, err
	}
	var n int
	if err := s.Read().QueryRowContext(ctx, "SELECT count(*) FROM ("+due+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: count due residents: %w", err)
	}
	return n, nil
}

// dueUnion is the SQL of the due residents (resident_id, last_visit): one
// index range per category, united (a resident due twice counts once).
func (s *Store) dueUnion(ctx context.Context, f DueFilter) (string, []any, error) {
	intervals, err := s.VisitIntervals(ctx)
	if err != nil {
		return "", nil, err
	}
	now := clock()
	cats := make([]string, 0, len(intervals))
	for c := range intervals {
		if f.Category == "" || c == f.Category {
			cats = append(cats, c)
		}
	}
	slices.Sort(cats)
	var parts []string
	var args []any
	for _, c := range cats {
		q := "SELECT resident_id, last_visit FROM resident_plan WHERE category = ? AND last_visit < ?"
		args = append(args, c, now.AddDate(0, 0, -intervals[c]).Format("2006-01-02"))
		if f.Village != "" {
			q += " AND village = ?"
			args = append(args, f.Village)
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, " UNION "), args, nil
}

// TimelineEntry is one event in a resident's history.
type TimelineEntry struct {
	Date   string `json:"date"`
	Kind   string `json:"kind"` // registered, visit, followup, opinion
	Title  string `json:"title"`
	Detail string `json:"detail"`
	ID     string `json:"id"` // the visit or opinion
	Open   bool   `json:"open"`
}

// ResidentTimeline is a resident's history, newest first: registration,
// visits, follow-ups done and opinions (at most limit entries).
func (s *Store) ResidentTimeline(ctx context.Context, residentID string, limit int) ([]TimelineEntry, error) {
	r, err := s.Resident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 200
	}
	visits, err := s.Visits(ctx, VisitFilter{ResidentID: residentID, Limit: limit})
	if err != nil {
		return nil, err
	}
	var out []TimelineEntry
	for _, v := range visits {
		detail := v.Outcome
		if v.Notes != "" {
			detail += "；" + v.Notes
		}
		e := TimelineEntry{Date: v.Date, Kind: "visit", Title: "上门服务：" + strings.Join(v.Services, "、"), Detail: detail, ID: v.ID}
		if v.FollowupNeeded {
			if v.FollowupDoneAt == "" {
				e.Open = true
				e.Detail += "；待跟进，期限 " + v.FollowupDue
			} else {
				out = append(out, TimelineEntry{Date: v.FollowupDoneAt, Kind: "followup", Title: "跟进办结", Detail: v.FollowupResult, ID: v.ID})
			}
		}
		out = append(out, e)
	}
	ops, err := s.Opinions(ctx, OpinionFilter{ResidentID: residentID, Limit: limit})
	if err != nil {
		return nil, err
	}
	for _, o := range ops {
		out = append(out, TimelineEntry{Date: o.Date, Kind: "opinion", Title: "群众意见（" + o.Status + "）", Detail: o.Content, ID: o.ID, Open: o.Status != "已办结"})
	}
	out = append(out, TimelineEntry{Date: r.CreatedAt.Format("2006-01-02"), Kind: "registered", Title: "登记为服务对象", ID: r.ID})
	slices.SortStableFunc(out, func(a, b TimelineEntry) int { return strings.Compare(b.Date, a.Date) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
