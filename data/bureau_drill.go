package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The bureau's read-only view of one station's records, masked as at a station.

// DrillResident is a resident of a station, personal numbers masked.
type DrillResident struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Gender     string   `json:"gender"`
	IDNumber   string   `json:"id_number"` // masked
	Phone      string   `json:"phone"`     // masked
	Village    string   `json:"village"`
	Categories []string `json:"categories"`
	LastVisit  string   `json:"last_visit"`
}

// DrillVisit is a visit of a station.
type DrillVisit struct {
	ID          string   `json:"id"`
	Date        string   `json:"date"`
	Resident    string   `json:"resident"`
	Services    []string `json:"services"`
	Outcome     string   `json:"outcome"`
	FollowupDue string   `json:"followup_due"` // set while a follow-up is open
	Overdue     bool     `json:"overdue"`      // that follow-up is overdue (FollowupOverdue)
}

// DrillTraining is a training session of a station with its attendance.
type DrillTraining struct {
	ID       string `json:"id"`
	Date     string `json:"date"`
	Type     string `json:"type"`
	Topic    string `json:"topic"`
	Recorded int    `json:"recorded"`
	Attended int    `json:"attended"`
}

// The drill-down's kinds, as keys of DrillQuery.Offset and StationDrill.Totals.
const (
	DrillResidents = "residents"
	DrillVisits    = "visits"
	DrillTrainings = "trainings"
	DrillOpinions  = "opinions"
)

// DrillQuery narrows and pages the drill-down: Search matches names,
// villages, services, topics and contents; each kind is paged on its own.
type DrillQuery struct {
	Search string
	Limit  int            // per kind; 200 when 0, at most 1,000
	Offset map[string]int // by kind
	AsOf   string         // the day follow-ups are judged on; today when ""
}

// StationDrill is what the bureau sees of one station: one page of each
// kind, how many records of each kind match (Totals), and its follow-ups.
type StationDrill struct {
	Code      string          `json:"code"`
	Residents []DrillResident `json:"residents"`
	Visits    []DrillVisit    `json:"visits"`
	Trainings []DrillTraining `json:"trainings"`
	Opinions  []Opinion       `json:"opinions"`
	Totals    map[string]int  `json:"totals"`
	Offset    map[string]int  `json:"offset"`
	Followups FollowupCount   `json:"followups"`
}

func drillQuery[T any](ctx context.Context, db *sql.DB, q string, args []any, scan func(sc func(...any) error) (T, error)) ([]T, error) {
	out, err := queryRows(ctx, db, q, args, scan)
	if err != nil {
		return nil, fmt.Errorf("data: station drill-down: %w", err)
	}
	return out, nil
}

// drillKind is one kind's query: FROM and WHERE after "origin = ?", the
// columns searched, the order.
type drillKind struct {
	from, where string
	search      []string
	order       string
}

var drillKinds = map[string]drillKind{
	DrillResidents: {`residents r LEFT JOIN resident_last_visit l ON l.resident_id = r.id`, `r.origin = ? AND r.deleted = 0`,
		[]string{"r.name", "r.village", "r.address"}, "r.village, r.name, r.id"},
	DrillVisits: {`visits v LEFT JOIN residents r ON r.id = v.resident_id`, `v.origin = ? AND v.deleted = 0`,
		[]string{"r.name", "v.services", "v.outcome", "v.date"}, "v.date DESC, v.id DESC"},
	DrillTrainings: {`trainings t`, `t.origin = ? AND t.deleted = 0`, []string{"t.topic", "t.date", "t.speaker"}, "t.date DESC, t.id DESC"},
	DrillOpinions: {`opinions o LEFT JOIN residents r ON r.id = o.resident_id AND o.resident_id != ''`, `o.origin = ? AND o.deleted = 0`,
		[]string{"o.content", "o.category", "r.name", "o.date"}, "o.status IN ('已答复', '已办结'), o.date, o.id"},
}

// clause gives the kind's FROM … WHERE and its arguments.
func (k drillKind) clause(code, search string) (string, []any) {
	q := " FROM " + k.from + " WHERE " + k.where
	args := []any{code}
	if search = strings.TrimSpace(search); search != "" {
		var or []string
		for _, c := range k.search {
			or = append(or, "instr("+c+", ?) > 0")
			args = append(args, search)
		}
		q += " AND (" + strings.Join(or, " OR ") + ")"
	}
	return q, args
}

// StationDrill lists one page of each kind of a station's records, with
// the number of records of each kind the search matches: nothing is cut
// off without saying so.
func (s *Store) StationDrill(ctx context.Context, code string, dq DrillQuery) (StationDrill, error) {
	limit := dq.Limit
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, 1000)
	if len([]rune(dq.Search)) > maxShort {
		return StationDrill{}, Invalid("search", "搜索内容太长")
	}
	asOf := dq.AsOf
	if asOf == "" {
		asOf = svcToday()
	}
	d := StationDrill{Code: code, Totals: map[string]int{}, Offset: map[string]int{}}
	page := func(kind, cols string) (string, []any, error) {
		k := drillKinds[kind]
		from, args := k.clause(code, dq.Search)
		var n int
		if err := s.Read().QueryRowContext(ctx, "SELECT count(*)"+from, args...).Scan(&n); err != nil {
			return "", nil, fmt.Errorf("data: station drill-down: %w", err)
		}
		off := max(0, dq.Offset[kind])
		if off >= n {
			off = 0
		}
		d.Totals[kind], d.Offset[kind] = n, off
		return "SELECT " + cols + from + " ORDER BY " + k.order + " LIMIT ? OFFSET ?", append(args, limit, off), nil
	}
	q, args, err := page(DrillResidents, `r.id, r.name, r.gender, coalesce(r.id_number, ''), r.phone, r.village, r.categories, coalesce(l.last_visit, '')`)
	if err != nil {
		return d, err
	}
	d.Residents, err = drillQuery(ctx, s.Read(), q, args, func(sc func(...any) error) (DrillResident, error) {
		var r DrillResident
		var cats string
		err := sc(&r.ID, &r.Name, &r.Gender, &r.IDNumber, &r.Phone, &r.Village, &cats, &r.LastVisit)
		r.IDNumber, r.Phone = MaskIDNumber(r.IDNumber), MaskPhone(r.Phone)
		json.Unmarshal([]byte(cats), &r.Categories)
		return r, err
	})
	if err != nil {
		return d, err
	}
	q, args, err = page(DrillVisits, `v.id, v.date, coalesce(r.name, ''), v.services, v.outcome, v.followup_needed, v.followup_done_at, v.followup_due`)
	if err != nil {
		return d, err
	}
	d.Visits, err = drillQuery(ctx, s.Read(), q, args, func(sc func(...any) error) (DrillVisit, error) {
		var v DrillVisit
		var svc, done, due string
		var needed bool
		err := sc(&v.ID, &v.Date, &v.Resident, &svc, &v.Outcome, &needed, &done, &due)
		json.Unmarshal([]byte(svc), &v.Services)
		if needed && done == "" {
			v.FollowupDue = due
		}
		v.Overdue = FollowupOverdue(needed, done, due, asOf)
		return v, err
	})
	if err != nil {
		return d, err
	}
	q, args, err = page(DrillTrainings, `t.id, t.date, t.type, t.topic,
		(SELECT count(*) FROM attendance a WHERE a.training_id = t.id AND a.deleted = 0),
		(SELECT count(*) FROM attendance a WHERE a.training_id = t.id AND a.deleted = 0 AND a.status IN ('present', 'late'))`)
	if err != nil {
		return d, err
	}
	d.Trainings, err = drillQuery(ctx, s.Read(), q, args, func(sc func(...any) error) (DrillTraining, error) {
		var t DrillTraining
		err := sc(&t.ID, &t.Date, &t.Type, &t.Topic, &t.Recorded, &t.Attended)
		return t, err
	})
	if err != nil {
		return d, err
	}
	q, args, err = page(DrillOpinions, opinionQueueCols)
	if err != nil {
		return d, err
	}
	if d.Opinions, err = drillQuery(ctx, s.Read(), q, args, scanQueueOpinion); err != nil {
		return d, err
	}
	fu, err := s.FollowupCounts(ctx, code, asOf)
	d.Followups = fu[code]
	return d, err
}

const opinionQueueCols = `o.id, o.origin, o.created_at, o.updated_at, o.date, o.source, o.resident_id, o.category,
		o.content, o.status, o.status_by, o.status_at, o.reply, coalesce(r.name, '')`

func scanQueueOpinion(sc func(...any) error) (Opinion, error) {
	var o Opinion
	var c, u, at int64
	err := sc(&o.ID, &o.Origin, &c, &u, &o.Date, &o.Source, &o.ResidentID, &o.Category, &o.Content, &o.Status, &o.StatusBy, &at, &o.Reply, &o.ResidentName)
	o.CreatedAt, o.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	if at > 0 {
		o.StatusAt = time.UnixMilli(at)
	}
	return o, err
}

// OpinionQueue lists the opinions of every station (or of one, by code),
// optionally of one status, oldest unanswered first.
func (s *Store) OpinionQueue(ctx context.Context, code, status string, limit int) ([]Opinion, error) {
	where := []string{"o.deleted = 0"}
	var args []any
	if code != "" {
		where = append(where, "o.origin = ?")
		args = append(args, code)
	}
	if status != "" {
		where = append(where, "o.status = ?")
		args = append(args, status)
	}
	args = append(args, max(1, min(limit, 5000)))
	return drillQuery(ctx, s.Read(), `SELECT `+opinionQueueCols+`
		FROM opinions o LEFT JOIN residents r ON r.id = o.resident_id AND o.resident_id != ''
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY o.status IN ('已答复', '已办结'), o.date, o.id LIMIT ?`, args, scanQueueOpinion)
}

// AnswerOpinion is the bureau's reply to a station's opinion: status
// 已答复 with the reply, which travels down in the station's next bundle.
func (s *Store) AnswerOpinion(ctx context.Context, id, reply, actor string) error {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if ident.Role != RoleBureau {
		return &Error{Kind: KindInvalid, Op: "answer opinion", Field: "role", Msg: "群众意见由区县人社局答复"}
	}
	if strings.TrimSpace(reply) == "" {
		return Invalid("reply", "请填写答复内容")
	}
	return s.AdvanceOpinion(ctx, id, "已答复", reply, actor)
}

// PolicyDelivery tells which stations hold the current version of one of
// the bureau's policies, from the receipts in their bundles.
type PolicyDelivery struct {
	PolicyID string    `json:"policy_id"`
	Title    string    `json:"title"`
	DocNo    string    `json:"doc_no"`
	Version  time.Time `json:"version"` // when this version was written
	Received []string  `json:"received"`
	Pending  []string  `json:"pending"`
}

// PolicyDeliveries lists the bureau's own policies, newest version first,
// each with the stations whose receipts cover that version and those still
// waiting for it (a station acknowledges by bundle: every change up to the
// highest local sequence that bundle carried).
func (s *Store) PolicyDeliveries(ctx context.Context, limit int) ([]PolicyDelivery, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	type peer struct {
		code  string
		acked int64
	}
	peers, err := drillQuery(ctx, s.Read(), `SELECT code, acked_lseq FROM sync_peers WHERE role = 'station' ORDER BY code`, nil,
		func(sc func(...any) error) (peer, error) {
			var p peer
			return p, sc(&p.code, &p.acked)
		})
	if err != nil {
		return nil, err
	}
	type row struct {
		d    PolicyDelivery
		lseq int64
	}
	rows, err := drillQuery(ctx, s.Read(), `SELECT p.id, p.title, p.doc_no, p.updated_at, coalesce(c.lseq, 0)
		FROM policies p LEFT JOIN sync_changes c ON c.kind = 'policies' AND c.id = p.id
		WHERE p.origin = ? AND p.deleted = 0 ORDER BY p.updated_at DESC, p.id LIMIT ?`, []any{ident.Code, max(1, min(limit, 5000))},
		func(sc func(...any) error) (row, error) {
			var r row
			var u int64
			err := sc(&r.d.PolicyID, &r.d.Title, &r.d.DocNo, &u, &r.lseq)
			r.d.Version = time.UnixMilli(u)
			return r, err
		})
	if err != nil {
		return nil, err
	}
	out := make([]PolicyDelivery, 0, len(rows))
	for _, r := range rows {
		d := r.d
		d.Received, d.Pending = []string{}, []string{}
		for _, p := range peers {
			if r.lseq > 0 && p.acked >= r.lseq {
				d.Received = append(d.Received, p.code)
			} else {
				d.Pending = append(d.Pending, p.code)
			}
		}
		out = append(out, d)
	}
	return out, nil
}
