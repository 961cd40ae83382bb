package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"stationdesk/data/store"
)

// StationStatus is one line of the bureau's board of stations.
type StationStatus struct {
	Peer
	RecordsThisMonth int `json:"records_this_month"` // records it created this month (of those that reached us)
	OpenConflicts    int `json:"open_conflicts"`
	// Refused is the last bundle refused because of a record outside the
	// sender's authority or against the rules: a bug or an attack.
	Refused *RefusalNote `json:"refused,omitempty"`
}

// SyncBoard tells, for each peer, what has arrived from it: the last bundle
// and its sequence, the records it created this month and conflicts
// waiting for a person.
func (s *Engine) SyncBoard(ctx context.Context, now time.Time) ([]StationStatus, error) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).UnixMilli()
	created := map[string]int{}
	for _, k := range syncKinds() {
		if _, err := store.QueryRows(ctx, s.r, `SELECT origin, count(*) FROM `+k.Table+` WHERE created_at >= ? AND deleted = 0 GROUP BY origin`, []any{month},
			func(sc func(...any) error) (struct{}, error) {
				var code string
				var n int
				err := sc(&code, &n)
				created[code] += n
				return struct{}{}, err
			}); err != nil {
			return nil, fmt.Errorf("data: sync board: %w", err)
		}
	}
	out := make([]StationStatus, 0, len(peers))
	for _, p := range peers {
		st := StationStatus{Peer: p, RecordsThisMonth: created[p.Code]}
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_conflicts WHERE settled_at = 0 AND (winner_node = ? OR loser_node = ?)`, p.Code, p.Code).Scan(&st.OpenConflicts); err != nil {
			return nil, fmt.Errorf("data: sync board: %w", err)
		}
		if st.Refused, err = s.lastRefusal(ctx, p.Code); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Conflict is a losing version kept for review, as a person reads it.
type Conflict struct {
	N          int64       `json:"n"`
	Kind       string      `json:"kind"`
	KindLabel  string      `json:"kind_label"`
	RecordID   string      `json:"record_id"`
	Summary    string      `json:"summary"` // the record as a person knows it: name, date, content
	Reason     string      `json:"reason"`  // concurrent, duplicate
	WinnerNode string      `json:"winner_node"`
	LoserNode  string      `json:"loser_node"`
	WinnerName string      `json:"winner_name"` // 本局, or the station's name
	LoserName  string      `json:"loser_name"`
	WinnerAt   time.Time   `json:"winner_at"`
	LoserAt    time.Time   `json:"loser_at"`
	Detected   time.Time   `json:"detected"`
	Settled    bool        `json:"settled"`
	SettledAt  time.Time   `json:"settled_at"`
	SettledBy  string      `json:"settled_by,omitempty"`
	Choice     string      `json:"choice,omitempty"` // current, loser
	Fields     []FieldDiff `json:"fields"`           // where the kept value and the losing one differ
}

// FieldDiff is one field of a conflict, masked where it holds personal
// data, each value written as a person reads it (dates, lists, 是/否).
type FieldDiff struct {
	Name    string `json:"name"`
	Label   string `json:"label"` // the field's Chinese name
	Current string `json:"current"`
	Loser   string `json:"loser"`
}

// conflictFieldLabels name the record fields a conflict may show.
var conflictFieldLabels = map[string]string{
	"notes": "备注", "name": "姓名", "gender": "性别", "id_number": "身份证号", "phone": "联系电话", "village": "村(社区)",
	"address": "住址", "categories": "服务类别", "needs": "需求", "date": "日期", "services": "服务事项", "outcome": "办理结果",
	"followup_needed": "需要跟进", "followup_due": "跟进期限", "followup_done_at": "跟进完成日期", "followup_done_by": "跟进经办人",
	"followup_result": "跟进结果", "status": "状态", "status_by": "状态变更人", "status_at": "状态变更时间", "reply": "答复",
	"content": "内容", "category": "类别", "source": "来源", "title": "标题", "summary": "摘要", "topic": "主题", "deleted": "已删除",
	"role": "职务", "active": "在岗", "officer_ids": "服务小分队", "resident_id": "服务对象", "consent": "同意保存信息",
	"birth_date": "出生日期", "speaker": "主讲人", "place": "地点", "type": "类型", "start": "开始时间", "end": "结束时间",
	"duties": "职责", "station_code": "站点", "doc_no": "文号", "issuer": "发文单位", "effective": "生效日期", "expires": "失效日期",
	"body": "正文", "tags": "标签", "count": "数量", "handed_on": "发放日期", "policy_id": "政策", "visit_id": "上门服务",
	"officer_id": "工作人员", "officer_name": "工作人员", "kind": "类型",
}

// FieldLabel is a record field's Chinese name (the column name if unknown).
func FieldLabel(name string) string {
	if l, ok := conflictFieldLabels[name]; ok {
		return l
	}
	return name
}

// Conflicts lists conflicts, newest first; open only unless all is set.
func (s *Engine) Conflicts(ctx context.Context, all bool, limit int) ([]Conflict, error) {
	q := `SELECT n, kind, record_id, reason, winner_hlc, winner_node, loser_hlc, loser_node, loser_row, detected_at, settled_at, settled_by, choice FROM sync_conflicts`
	if !all {
		q += ` WHERE settled_at = 0`
	}
	q += ` ORDER BY n DESC LIMIT ?`
	rows, err := s.r.QueryContext(ctx, q, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("data: list conflicts: %w", err)
	}
	type raw struct {
		c     Conflict
		loser string
	}
	var list []raw
	for rows.Next() {
		var r raw
		var wh, lh, det, settled int64
		if err := rows.Scan(&r.c.N, &r.c.Kind, &r.c.RecordID, &r.c.Reason, &wh, &r.c.WinnerNode, &lh, &r.c.LoserNode, &r.loser, &det, &settled, &r.c.SettledBy, &r.c.Choice); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: list conflicts: %w", err)
		}
		r.c.WinnerAt, r.c.LoserAt, r.c.Detected, r.c.Settled = HLCTime(wh), HLCTime(lh), time.UnixMilli(det), settled != 0
		if settled != 0 {
			r.c.SettledAt = time.UnixMilli(settled)
		}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return []Conflict{}, nil
	}
	names, err := s.nodeNames(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: list conflicts: %w", err)
	}
	defer tx.Rollback()
	out := make([]Conflict, 0, len(list))
	for _, r := range list {
		c := r.c
		k, ok := syncKind(c.Kind)
		if ok {
			c.KindLabel = k.Label
		}
		c.WinnerName, c.LoserName = names(c.WinnerNode), names(c.LoserNode)
		var loser map[string]any
		json.Unmarshal([]byte(r.loser), &loser)
		cur := map[string]any{}
		if j, err := rowJSON(ctx, tx, c.Kind, c.RecordID, blobInline); err == nil {
			json.Unmarshal(j, &cur)
		}
		c.Summary = recordSummary(ctx, tx, cur, loser)
		c.Fields = diffRows(cur, loser, k.Personal)
		out = append(out, c)
	}
	return out, nil
}

// OpenConflictCount is how many conflicts wait for a person.
func (s *Engine) OpenConflictCount(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_conflicts WHERE settled_at = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: count conflicts: %w", err)
	}
	return n, nil
}

// nodeNames names installations: 本局 for the bureau, stations by name.
func (s *Engine) nodeNames(ctx context.Context) (func(code string) string, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, p := range peers {
		m[p.Code] = p.Name
		if p.Role == store.RoleBureau {
			m[p.Code] = "区县人社局"
		}
	}
	if ident.Role == store.RoleBureau {
		m[ident.Code] = "本局"
	} else {
		m[ident.Code] = "本站"
	}
	return func(code string) string {
		if n := m[code]; n != "" {
			return n
		}
		return code
	}, nil
}

// nameRefs are the columns through which a summary names the record they
// point at (a visit's resident), with the query that gives its name.
var nameRefs []struct{ column, query string }

// RegisterNameRef says how a conflict's summary names the record a column
// points at: query takes its id and gives a name (the residents feature:
// resident_id). Called from the feature's init.
func RegisterNameRef(column, query string) {
	nameRefs = append(nameRefs, struct{ column, query string }{column, query})
}

// recordSummary is the record as a person knows it: who or what, when,
// and the start of its content, from the current row (or the losing one).
func recordSummary(ctx context.Context, tx *sql.Tx, rows ...map[string]any) string {
	var row map[string]any
	for _, r := range rows {
		if len(r) > 0 {
			row = r
			break
		}
	}
	text := func(k string) string {
		if v, ok := row[k].(string); ok {
			return strings.TrimSpace(v)
		}
		return ""
	}
	var parts []string
	for _, k := range []string{"name", "holder_name", "title", "topic", "officer_name"} {
		if v := text(k); v != "" {
			parts = append(parts, v)
			break
		}
	}
	for _, ref := range nameRefs {
		if id := text(ref.column); id != "" {
			var name string
			if tx.QueryRowContext(ctx, ref.query, id).Scan(&name) == nil && name != "" {
				parts = append(parts, name)
			}
		}
	}
	for _, k := range []string{"date", "handed_on", "week"} {
		if v := text(k); v != "" {
			parts = append(parts, v)
			break
		}
	}
	for _, k := range []string{"content", "services", "outcome", "summary", "notes"} {
		if v := conflictValue(k, row[k]); v != "" {
			if r := []rune(v); len(r) > 40 {
				v = string(r[:40]) + "……"
			}
			parts = append(parts, v)
			break
		}
	}
	return strings.Join(parts, "　")
}

var bookkeeping = map[string]bool{"id": true, "origin": true, "created_at": true, "updated_at": true}

// conflictValue writes a stored value as a person reads it: stamps (unix
// ms in *_at columns) as dates, JSON lists joined with 、, flags as 是/否.
func conflictValue(name string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		switch {
		case strings.HasSuffix(name, "_at") && x > 1e11:
			return time.UnixMilli(int64(x)).Format("2006-01-02 15:04")
		case name == "deleted" || name == "active" || name == "consent" || strings.HasSuffix(name, "_needed"):
			if x != 0 {
				return "是"
			}
			return "否"
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if list, ok := jsonList(x); ok {
			return strings.Join(list, "、")
		}
		return x
	}
	return fmt.Sprint(v)
}

// jsonList reads a JSON list of strings (a set-valued column).
func jsonList(s string) ([]string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(s), "[") {
		return nil, false
	}
	var list []string
	if json.Unmarshal([]byte(s), &list) != nil {
		return nil, false
	}
	return list, true
}

// sameValue compares two stored values; JSON lists compare as sets (the
// order of 服务类别 or 服务事项 is no conflict).
func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		la, okA := jsonList(as)
		lb, okB := jsonList(bs)
		if okA && okB {
			return sameSet(la, lb)
		}
	}
	if a == nil {
		a = ""
	}
	if b == nil {
		b = ""
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// diffRows lists the fields where the two versions differ, personal ones
// (the kind's Personal columns) masked.
func diffRows(cur, loser map[string]any, personal []string) []FieldDiff {
	var out []FieldDiff
	for name, lv := range loser {
		if bookkeeping[name] || sameValue(cur[name], lv) {
			continue
		}
		a, b := conflictValue(name, cur[name]), conflictValue(name, lv)
		if slices.Contains(personal, name) {
			a, b = store.MaskPersonal(name, a), store.MaskPersonal(name, b)
		}
		out = append(out, FieldDiff{Name: name, Label: FieldLabel(name), Current: a, Loser: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SettleConflict records a person's choice at the bureau: keep the current
// value, or take the losing one, which then becomes a new change that travels
// down to the station like any other. The station whose version lost is
// told in its next bundle (ConflictOutcomes); UndoSettlement takes it back.
func (s *Engine) SettleConflict(ctx context.Context, n int64, takeLoser bool, by string) error {
	by, err := store.CheckText("settled_by", by, store.MaxShort, false)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if ident.Role != store.RoleBureau {
		return &store.Error{Kind: store.KindInvalid, Op: "settle conflict", Field: "role", Msg: "冲突由区县人社局裁定"}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		var kind, id, reason, loser, winnerNode, loserNode string
		var settled int64
		err := tx.QueryRowContext(ctx, `SELECT kind, record_id, reason, loser_row, settled_at, winner_node, loser_node FROM sync_conflicts WHERE n = ?`, n).
			Scan(&kind, &id, &reason, &loser, &settled, &winnerNode, &loserNode)
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("conflict", fmt.Sprint(n))
		}
		if err != nil {
			return fmt.Errorf("data: settle conflict: %w", err)
		}
		if settled != 0 {
			return &store.Error{Kind: store.KindConflict, Op: "settle conflict", Err: errors.New("settled already")}
		}
		choice, lost, undo := "current", loserNode, ""
		cur := map[string]any{}
		if j, err := rowJSON(ctx, tx, kind, id, blobInline); err == nil {
			undo = string(j)
			json.Unmarshal(j, &cur)
		}
		var loserMap map[string]any
		json.Unmarshal([]byte(loser), &loserMap)
		summary := recordSummary(ctx, tx, cur, loserMap)
		if takeLoser && reason == "concurrent" {
			choice, lost = "loser", winnerNode
			if err := overwriteRow(ctx, tx, kind, id, loser); err != nil {
				return err
			}
		} else {
			undo = ""
		}
		now := store.NowMillis()
		if _, err = tx.ExecContext(ctx, `UPDATE sync_conflicts SET settled_at = ?, settled_by = ?, choice = ?, undo_row = ? WHERE n = ?`, now, by, choice, undo, n); err != nil {
			return fmt.Errorf("data: settle conflict: %w", err)
		}
		if lost == ident.Code || lost == "" {
			return nil
		}
		keptNode := winnerNode
		if choice == "loser" {
			keptNode = loserNode
		}
		keptName := "区县人社局"
		if keptNode != ident.Code {
			if tx.QueryRowContext(ctx, `SELECT name FROM sync_peers WHERE code = ?`, keptNode).Scan(&keptName) != nil {
				keptName = keptNode
			}
		}
		kept := keptName + "的版本"
		_, err = tx.ExecContext(ctx, `INSERT INTO conflict_outcomes(id, origin, created_at, updated_at, station_code, kind, record_id, summary, kept, settled_by, settled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, store.NewID(), ident.Code, now, now, lost, kind, id, summary, kept, by, now)
		if err != nil {
			return fmt.Errorf("data: settle conflict: %w", err)
		}
		return nil
	})
}

// overwriteRow writes a stored version (JSON) over a record as an ordinary
// local edit: the triggers give it a fresh version that travels like any other.
func overwriteRow(ctx context.Context, tx *sql.Tx, kind, id, rowJSONText string) error {
	k, ok := syncKind(kind)
	if !ok {
		return store.NotFound("kind", kind)
	}
	var row map[string]json.RawMessage
	if err := json.Unmarshal([]byte(rowJSONText), &row); err != nil {
		return &store.Error{Kind: store.KindDamaged, Op: "settle conflict", Err: err}
	}
	ap := &applier{ctx: ctx, tx: tx, tables: map[string]*tableApplier{}}
	t, err := ap.table(k)
	if err != nil {
		return err
	}
	var names []string
	for name := range row {
		if _, ok := t.cols[name]; ok && name != "id" && name != "origin" && name != "created_at" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	args := make([]any, 0, len(names)+1)
	set := ""
	for i, name := range names {
		v, err := ap.value(t.cols[name], row[name])
		if err != nil {
			return err
		}
		if name == "updated_at" {
			v = store.NowMillis()
		}
		if i > 0 {
			set += ", "
		}
		set += quoteIdent(name) + " = ?"
		args = append(args, v)
	}
	if set == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE "+k.Table+" SET "+set+" WHERE id = ?", append(args, id)...); err != nil {
		return fmt.Errorf("data: settle conflict: %w", err)
	}
	return nil
}

// UndoSettlement takes a settlement back: the conflict is open again, the
// record as it was before (when the losing version had been taken), and the
// outcome sent to the station withdrawn.
func (s *Engine) UndoSettlement(ctx context.Context, n int64) error {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if ident.Role != store.RoleBureau {
		return &store.Error{Kind: store.KindInvalid, Op: "undo settlement", Field: "role", Msg: "冲突由区县人社局裁定"}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		var kind, id, choice, undo string
		var settled int64
		err := tx.QueryRowContext(ctx, `SELECT kind, record_id, choice, undo_row, settled_at FROM sync_conflicts WHERE n = ?`, n).Scan(&kind, &id, &choice, &undo, &settled)
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("conflict", fmt.Sprint(n))
		}
		if err != nil {
			return fmt.Errorf("data: undo settlement: %w", err)
		}
		if settled == 0 {
			return &store.Error{Kind: store.KindConflict, Op: "undo settlement", Err: errors.New("not settled")}
		}
		if choice == "loser" && undo != "" {
			if err := overwriteRow(ctx, tx, kind, id, undo); err != nil {
				return err
			}
		}
		now := store.NowMillis()
		if _, err := tx.ExecContext(ctx, `UPDATE conflict_outcomes SET deleted = 1, updated_at = ? WHERE deleted = 0 AND origin = ? AND kind = ? AND record_id = ? AND settled_at = ?`,
			now, ident.Code, kind, id, settled); err != nil {
			return fmt.Errorf("data: undo settlement: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_conflicts SET settled_at = 0, settled_by = '', choice = '', undo_row = '' WHERE n = ?`, n); err != nil {
			return fmt.Errorf("data: undo settlement: %w", err)
		}
		return nil
	})
}

// ConflictOutcome is how the bureau settled a conflict over a record of
// this station, as the station reads it after its next import.
type ConflictOutcome struct {
	KindLabel string    `json:"kind_label"`
	RecordID  string    `json:"record_id"`
	Summary   string    `json:"summary"`
	Kept      string    `json:"kept"`
	SettledBy string    `json:"settled_by"`
	SettledAt time.Time `json:"settled_at"`
}

// ConflictOutcomes lists the bureau's settlements of conflicts over this
// installation's records, newest first.
func (s *Engine) ConflictOutcomes(ctx context.Context, limit int) ([]ConflictOutcome, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	out, err := store.QueryRows(ctx, s.r, `SELECT kind, record_id, summary, kept, settled_by, settled_at FROM conflict_outcomes
		WHERE deleted = 0 AND station_code = ? ORDER BY settled_at DESC LIMIT ?`, []any{ident.Code, max(1, min(limit, 1000))},
		func(sc func(...any) error) (ConflictOutcome, error) {
			var o ConflictOutcome
			var kind string
			var at int64
			err := sc(&kind, &o.RecordID, &o.Summary, &o.Kept, &o.SettledBy, &at)
			o.SettledAt = time.UnixMilli(at)
			if k, ok := syncKind(kind); ok {
				o.KindLabel = k.Label
			}
			return o, err
		})
	if err != nil {
		return nil, fmt.Errorf("data: conflict outcomes: %w", err)
	}
	return out, nil
}
