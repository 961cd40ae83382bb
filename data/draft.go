package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Drafts keep a form that is being typed (a visit, an opinion) so that a
// crash or power cut loses at most a few seconds: the UI writes the form's
// fields here every few seconds and offers them back at the next start. A
// draft is this installation's alone: it never syncs, is not a record kind
// and carries no history; saving or dropping the form deletes it.

// maxDraftBody bounds one draft: a form's typed text, never a file.
const maxDraftBody = 256 << 10

// Draft is one kept form.
type Draft struct {
	Kind    string
	Body    string
	SavedAt time.Time
}

// SaveDraft keeps body as the draft of kind, replacing the one before.
func (s *Store) SaveDraft(ctx context.Context, kind, body string, at time.Time) error {
	if kind == "" || len(kind) > 64 {
		return Invalid("kind", "草稿类型不对")
	}
	if len(body) > maxDraftBody {
		return Invalid("body", "草稿太长，无法保存")
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO drafts(kind, body, saved_at) VALUES(?, ?, ?)
			ON CONFLICT(kind) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at`, kind, body, at.UnixMilli())
		if err != nil {
			return fmt.Errorf("data: save draft: %w", err)
		}
		return nil
	})
}

// DropDraft deletes the draft of kind, if any.
func (s *Store) DropDraft(ctx context.Context, kind string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE kind = ?`, kind); err != nil {
			return fmt.Errorf("data: drop draft: %w", err)
		}
		return nil
	})
}

// Drafts lists every kept draft, newest first.
func (s *Store) Drafts(ctx context.Context) ([]Draft, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT kind, body, saved_at FROM drafts ORDER BY saved_at DESC, kind`)
	if err != nil {
		return nil, fmt.Errorf("data: read drafts: %w", err)
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		var d Draft
		var ms int64
		if err := rows.Scan(&d.Kind, &d.Body, &ms); err != nil {
			return nil, fmt.Errorf("data: read drafts: %w", err)
		}
		d.SavedAt = time.UnixMilli(ms)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DraftOf returns the draft of kind; ok is false when there is none.
func (s *Store) DraftOf(ctx context.Context, kind string) (Draft, bool, error) {
	d := Draft{Kind: kind}
	var ms int64
	err := s.Read().QueryRowContext(ctx, `SELECT body, saved_at FROM drafts WHERE kind = ?`, kind).Scan(&d.Body, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("data: read draft: %w", err)
	}
	d.SavedAt = time.UnixMilli(ms)
	return d, true, nil
}
