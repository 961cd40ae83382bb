package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// StationStatus is one line of the bureau's board of stations.
type StationStatus struct {
	Peer
	RecordsThisMonth int `json:"records_this_month"`
	OpenConflicts    int `json:"open_conflicts"`
}

// SyncBoard tells, for each peer, what has arrived from it: the last bundle
// and its sequence, sequences never received, records received this month
// and conflicts waiting for a person.
func (s *Store) SyncBoard(ctx context.Context, now time.Time) ([]StationStatus, error) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).UnixMilli()
	out := make([]StationStatus, 0, len(peers))
	for _, p := range peers {
		st := StationStatus{Peer: p}
		if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(applied), 0) FROM sync_imported WHERE peer = ? AND imported_at >= ?`, p.Code, month).Scan(&st.RecordsThisMonth); err != nil {
			return nil, fmt.Errorf("data: sync board: %w", err)
		}
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_conflicts WHERE settled_at = 0 AND (winner_node = ? OR loser_node = ?)`, p.Code, p.Code).Scan(&st.OpenConflicts); err != nil {
			return nil, fmt.Errorf("data: sync board: %w", err)
		}
		out = append(out, st)
	}
	return out, nil
}

// Conflict is a losing version kept for review.
type Conflict struct {
	N          int64       `json:"n"`
	Kind       string      `json:"kind"`
	KindLabel  string      `json:"kind_label"`
	RecordID   string      `json:"record_id"`
	Reason     string      `json:"reason"` // concurrent, duplicate
	WinnerNode string      `json:"winner_node"`
	LoserNode  string      `json:"loser_node"`
	WinnerAt   time.Time   `json:"winner_at"`
	LoserAt    time.Time   `json:"loser_at"`
	Detected   time.Time   `json:"detected"`
	Settled    bool        `json:"settled"`
	Choice     string      `json:"choice,omitempty"`
	Fields     []FieldDiff `json:"fields"` // where the kept value and the losing one differ
}

// FieldDiff is one field of a conflict, masked where it holds personal data.
type FieldDiff struct {
	Name    string `json:"name"`
	Current string `json:"current"`
	Loser   string `json:"loser"`
}

// Conflicts lists conflicts, newest first; open only unless all is set.
func (s *Store) Conflicts(ctx context.Context, all bool, limit int) ([]Conflict, error) {
	q := `SELECT n, kind, record_id, reason, winner_hlc, winner_node, loser_hlc, loser_node, loser_row, detected_at, settled_at, choice FROM sync_conflicts`
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
		if err := rows.Scan(&r.c.N, &r.c.Kind, &r.c.RecordID, &r.c.Reason, &wh, &r.c.WinnerNode, &lh, &r.c.LoserNode, &r.loser, &det, &settled, &r.c.Choice); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: list conflicts: %w", err)
		}
		r.c.WinnerAt, r.c.LoserAt, r.c.Detected, r.c.Settled = HLCTime(wh), HLCTime(lh), time.UnixMilli(det), settled != 0
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Conflict, 0, len(list))
	for _, r := range list {
		c := r.c
		if k, ok := syncKind(c.Kind); ok {
			c.KindLabel = k.Label
		}
		var loser map[string]any
		json.Unmarshal([]byte(r.loser), &loser)
		cur := map[string]any{}
		tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("data: list conflicts: %w", err)
		}
		if j, err := rowJSON(ctx, tx, c.Kind, c.RecordID, blobInline); err == nil {
			json.Unmarshal(j, &cur)
		}
		tx.Rollback()
		c.Fields = diffRows(cur, loser)
		out = append(out, c)
	}
	return out, nil
}

var bookkeeping = map[string]bool{"id": true, "origin": true, "created_at": true, "updated_at": true}

func diffRows(cur, loser map[string]any) []FieldDiff {
	var out []FieldDiff
	for name, lv := range loser {
		if bookkeeping[name] {
			continue
		}
		a, b := fmt.Sprint(cur[name]), fmt.Sprint(lv)
		if cur[name] == nil {
			a = ""
		}
		if a == b {
			continue
		}
		switch name {
		case "phone":
			a, b = MaskPhone(a), MaskPhone(b)
		case "id_number":
			a, b = MaskIDNumber(a), MaskIDNumber(b)
		}
		out = append(out, FieldDiff{Name: name, Current: a, Loser: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SettleConflict records a person's choice at the bureau: keep the current
// value, or take the losing one, which then becomes a new change that travels
// down to the station like any other.
func (s *Store) SettleConflict(ctx context.Context, n int64, takeLoser bool, by string) error {
	by, err := checkText("settled_by", by, maxShort, false)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	if ident.Role != RoleBureau {
		return &Error{Kind: KindInvalid, Op: "settle conflict", Field: "role", Msg: "冲突由区县人社局裁定"}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		var kind, id, reason, loser string
		var settled int64
		err := tx.QueryRowContext(ctx, `SELECT kind, record_id, reason, loser_row, settled_at FROM sync_conflicts WHERE n = ?`, n).Scan(&kind, &id, &reason, &loser, &settled)
		if errors.Is(err, sql.ErrNoRows) {
			return NotFound("conflict", fmt.Sprint(n))
		}
		if err != nil {
			return fmt.Errorf("data: settle conflict: %w", err)
		}
		if settled != 0 {
			return &Error{Kind: KindConflict, Op: "settle conflict", Err: errors.New("settled already")}
		}
		choice := "current"
		if takeLoser && reason == "concurrent" {
			choice = "loser"
			k, ok := syncKind(kind)
			if !ok {
				return NotFound("kind", kind)
			}
			var row map[string]json.RawMessage
			if err := json.Unmarshal([]byte(loser), &row); err != nil {
				return &Error{Kind: KindDamaged, Op: "settle conflict", Err: err}
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
					v = nowMillis()
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
			// An ordinary local edit: the triggers give it a fresh version.
			if _, err := tx.ExecContext(ctx, "UPDATE "+k.Table+" SET "+set+" WHERE id = ?", append(args, id)...); err != nil {
				return fmt.Errorf("data: settle conflict: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE sync_conflicts SET settled_at = ?, settled_by = ?, choice = ? WHERE n = ?`, nowMillis(), by, choice, n)
		if err != nil {
			return fmt.Errorf("data: settle conflict: %w", err)
		}
		return nil
	})
}
