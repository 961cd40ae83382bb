package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	dsync "stationdesk/data/sync"
	"strings"
	"time"
)

// Opinion is something a resident asked or proposed (群众意见), passed up to
// the bureau and answered.
type Opinion struct {
	Record
	Date         string    `json:"date"`
	Source       string    `json:"source"`      // 窗口, 上门服务, 村民会议, 电话
	ResidentID   string    `json:"resident_id"` // optional
	VisitID      string    `json:"visit_id"`    // set when recorded on a visit
	Category     string    `json:"category"`
	Content      string    `json:"content"`
	Status       string    `json:"status"`
	StatusBy     string    `json:"status_by"` // officer ID of the last status change
	StatusAt     time.Time `json:"status_at"`
	Reply        string    `json:"reply"` // the bureau's reply
	ResidentName string    `json:"resident_name"`
}

// OpinionSources are where opinions come from.
var OpinionSources = []string{"窗口", "上门服务", "村民会议", "电话", "大厅值班"}

// OpinionStatuses, in order: an opinion only moves forward.
var OpinionStatuses = []string{"已记录", "已上报", "已答复", "已办结"}

func init() {
	// What sync checks in an opinion that arrives in a bundle
	// (sync_validate.go), and how the two sides' versions merge
	// (sync_authority.go: the reply and a status from 已答复 are the bureau's).
	dsync.RegisterIncomingRules("opinions", map[string]dsync.Rule{"status": dsync.OneOf(false, OpinionStatuses...), "source": dsync.OneOf(true, OpinionSources...), "content": dsync.TextRule(maxLong, true)})
	dsync.RegisterSharedMerge("opinions", mergeOpinion)
}

// opinionBureauStatus: from this status on, an opinion's status is the bureau's.
const opinionBureauStatus = 2 // 已答复

func opinionRank(raw json.RawMessage) int { return slices.Index(OpinionStatuses, dsync.JSONText(raw)) }

// mergeOpinion takes from one side's version only that side's fields: the
// station's content, date, source, links, deletion and a status up to 已上报;
// the bureau's reply and a status from 已答复 on (with who set it and when).
// local nil: a new record.
func mergeOpinion(fromBureau bool, local, in map[string]json.RawMessage) map[string]json.RawMessage {
	statusCols := []string{"status", "status_by", "status_at"}
	out := make(map[string]json.RawMessage, len(in))
	if local == nil {
		for c, v := range in {
			out[c] = v
		}
		if !fromBureau {
			// A station's new opinion carries no answer of the bureau.
			out["reply"] = json.RawMessage(`""`)
			if opinionRank(in["status"]) >= opinionBureauStatus {
				out["status"] = json.RawMessage(`"` + OpinionStatuses[opinionBureauStatus-1] + `"`)
			}
		}
		return out
	}
	for c, v := range local {
		out[c] = v
	}
	take := func(cols ...string) {
		for _, c := range cols {
			if v, ok := in[c]; ok {
				out[c] = v
			}
		}
	}
	if fromBureau {
		take("reply")
		if opinionRank(in["status"]) >= opinionBureauStatus || opinionRank(local["status"]) >= opinionBureauStatus {
			take(statusCols...)
		}
	} else {
		for c := range in {
			if c != "reply" && !slices.Contains(statusCols, c) {
				take(c)
			}
		}
		if opinionRank(local["status"]) < opinionBureauStatus && opinionRank(in["status"]) < opinionBureauStatus {
			take(statusCols...)
		}
	}
	if jsonInt(in["updated_at"]) > jsonInt(out["updated_at"]) {
		out["updated_at"] = in["updated_at"]
	}
	return out
}

func jsonInt(raw json.RawMessage) int64 {
	var n int64
	if json.Unmarshal(raw, &n) != nil {
		return 0
	}
	return n
}

// Validate normalises and checks an opinion before saving.
func (o *Opinion) Validate() error {
	var err error
	if o.Date, err = checkDate("date", o.Date, true); err != nil {
		return err
	}
	if o.Date > svcToday() {
		return Invalid("date", "日期不能晚于今天")
	}
	o.Source = strings.TrimSpace(o.Source)
	if !slices.Contains(OpinionSources, o.Source) {
		return Invalid("source", "请选择意见来源")
	}
	return o.checkText()
}

// checkText checks an opinion's typed content and category (also for the
// opinions heard on hall duty).
func (o *Opinion) checkText() error {
	if err := checkFields(textField{"content", &o.Content, maxLong, true}); err != nil {
		return err
	}
	if o.Content == "" {
		return Invalid("content", "意见内容不能为空")
	}
	if err := checkFields(textField{"category", &o.Category, maxTag, false}); err != nil {
		return err
	}
	if o.Category == "" {
		o.Category = "其他"
	}
	return nil
}

// AddOpinion records an opinion (status 已记录) by an officer.
func (s *Store) AddOpinion(ctx context.Context, o *Opinion, actor string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if o.ResidentID != "" {
			if _, err := residentFull(ctx, tx, o.ResidentID); err != nil {
				return err
			}
		}
		return insertOpinionTx(ctx, tx, ident.Code, o, actor)
	})
}

func insertOpinionTx(ctx context.Context, tx *sql.Tx, origin string, o *Opinion, actor string) error {
	now := nowMillis()
	o.ID, o.Origin = NewID(), origin
	o.CreatedAt, o.UpdatedAt = time.UnixMilli(now), time.UnixMilli(now)
	o.Status, o.StatusBy, o.StatusAt = OpinionStatuses[0], actor, time.UnixMilli(now)
	_, err := tx.ExecContext(ctx, `INSERT INTO opinions(id, origin, created_at, updated_at, date, source, resident_id, visit_id, category, content, status, status_by, status_at, reply)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`, o.ID, origin, now, now, o.Date, o.Source, o.ResidentID, o.VisitID, o.Category, o.Content,
		o.Status, actor, now)
	if err != nil {
		return fmt.Errorf("data: add opinion: %w", err)
	}
	return svcAudit(ctx, tx, actor, "status", "opinions", o.ID, "→"+o.Status)
}

// AdvanceOpinion moves an opinion forward to status (已上报, 已答复, 已办结),
// recording who did it and when; reaching 已答复 needs the bureau's reply,
// which reply sets (empty keeps the stored one).
//
// The reply and a status from 已答复 on are the bureau's (the authorization
// table, mergeOpinion): a station may only report (已上报) and may not write
// a reply, or its copy would differ from the bureau's until the bureau's
// version came down and silently undid it.
func (s *Store) AdvanceOpinion(ctx context.Context, id, status, reply, actor string) error {
	to := slices.Index(OpinionStatuses, status)
	if to < 0 {
		return Invalid("status", "未知的办理状态")
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	station := ident.Role != RoleBureau
	if station && to >= opinionBureauStatus {
		return Invalid("status", "答复和办结由区县人社局办理，会随同步包下发到本站")
	}
	actor, err = checkText("status_by", actor, maxShort, false)
	if err != nil {
		return err
	}
	if actor == "" {
		return Invalid("status_by", "请先选择经办人")
	}
	if reply, err = checkText("reply", reply, maxLong, true); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		var cur, oldReply string
		err := tx.QueryRowContext(ctx, "SELECT status, reply FROM opinions WHERE id = ? AND deleted = 0", id).Scan(&cur, &oldReply)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFound("opinion", id)
		}
		if err != nil {
			return fmt.Errorf("data: advance opinion: %w", err)
		}
		if to <= slices.Index(OpinionStatuses, cur) {
			return Invalid("status", "办理状态只能向前推进")
		}
		if reply == "" {
			reply = oldReply
		}
		if station && reply != oldReply {
			return Invalid("reply", "答复由区县人社局填写，会随同步包下发到本站")
		}
		if to >= opinionBureauStatus && reply == "" {
			return Invalid("reply", "请填写上级的答复内容")
		}
		now := nowMillis()
		if _, err := tx.ExecContext(ctx, "UPDATE opinions SET status=?, status_by=?, status_at=?, reply=?, updated_at=? WHERE id=?",
			status, actor, now, reply, now, id); err != nil {
			return fmt.Errorf("data: advance opinion: %w", err)
		}
		return svcAudit(ctx, tx, actor, "status", "opinions", id, cur+"→"+status)
	})
}

// OpinionStep is one status change of an opinion.
type OpinionStep struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Status string    `json:"status"`
}

// OpinionHistory lists an opinion's status changes, oldest first.
func (s *Store) OpinionHistory(ctx context.Context, id string) ([]OpinionStep, error) {
	log, err := s.RecordAudit(ctx, "opinions", id)
	if err != nil {
		return nil, err
	}
	out := []OpinionStep{}
	for _, a := range log {
		if a.Action != "status" {
			continue
		}
		_, to, _ := strings.Cut(a.Detail, "→")
		out = append(out, OpinionStep{At: a.At, Actor: a.Actor, Status: to})
	}
	return out, nil
}

// OpinionFilter narrows the opinion list.
type OpinionFilter struct {
	Status     string
	Source     string
	Category   string
	ResidentID string
	Month      string // YYYY-MM
	Station    string // the station an opinion came from (origin): the bureau's merged list
	Limit      int
	Offset     int
}

func (f OpinionFilter) where() (string, []any, error) {
	w := []string{"o.deleted = 0"}
	var args []any
	for _, c := range []struct{ col, v string }{{"o.status", f.Status}, {"o.source", f.Source}, {"o.category", f.Category}, {"o.resident_id", f.ResidentID}, {"o.origin", f.Station}} {
		if c.v != "" {
			w = append(w, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.Month != "" {
		m, err := time.Parse("2006-01", f.Month)
		if err != nil {
			return "", nil, Invalid("month", "月份格式应为 年-月")
		}
		w = append(w, "o.date >= ? AND o.date < ?")
		args = append(args, m.Format("2006-01-02"), m.AddDate(0, 1, 0).Format("2006-01-02"))
	}
	return " WHERE " + strings.Join(w, " AND "), args, nil
}

// Opinions lists one page of opinions, newest first.
func (s *Store) Opinions(ctx context.Context, f OpinionFilter) ([]Opinion, error) {
	where, args, err := f.where()
	if err != nil {
		return nil, err
	}
	args = append(args, svcPageSize(f.Limit), max(0, f.Offset))
	rows, err := s.Read().QueryContext(ctx, `SELECT o.id, o.origin, o.created_at, o.updated_at, o.date, o.source, o.resident_id, o.visit_id, o.category,
		o.content, o.status, o.status_by, o.status_at, o.reply, COALESCE(r.name, '')
		FROM opinions o LEFT JOIN residents r ON r.id = o.resident_id AND o.resident_id != ''`+where+` ORDER BY o.date DESC, o.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("data: list opinions: %w", err)
	}
	defer rows.Close()
	out := []Opinion{}
	for rows.Next() {
		var o Opinion
		var c, u, at int64
		if err := rows.Scan(&o.ID, &o.Origin, &c, &u, &o.Date, &o.Source, &o.ResidentID, &o.VisitID, &o.Category, &o.Content,
			&o.Status, &o.StatusBy, &at, &o.Reply, &o.ResidentName); err != nil {
			return nil, fmt.Errorf("data: list opinions: %w", err)
		}
		o.CreatedAt, o.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		if at > 0 {
			o.StatusAt = time.UnixMilli(at)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CountOpinions counts opinions per status for a filter (Status ignored).
func (s *Store) CountOpinions(ctx context.Context, f OpinionFilter) (map[string]int, error) {
	f.Status = ""
	where, args, err := f.where()
	if err != nil {
		return nil, err
	}
	rows, err := s.Read().QueryContext(ctx, "SELECT o.status, count(*) FROM opinions o"+where+" GROUP BY o.status", args...)
	if err != nil {
		return nil, fmt.Errorf("data: count opinions: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
