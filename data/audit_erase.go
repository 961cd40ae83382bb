package data

import (
	"context"
	"database/sql"
	"fmt"
)

// ErasedName stands in for an erased resident's name.
const ErasedName = "已删除"

// EraseResident removes a resident's personal data on their request (PIPL):
// name, ID number, birth date, gender, phone, address, categories, needs and
// notes go; the village stays for anonymous counts, and so do the visits
// (their free-text notes, which may name the person, are cleared). It is an
// ordinary update of the records, so sync carries it to the bureau, and it
// is audited without any of the erased values.
func (s *Store) EraseResident(ctx context.Context, actor, id string) error {
	if actor == "" {
		actor = ActorFrom(ctx)
	}
	ctx = WithActor(ctx, actor)
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		res, err := tx.ExecContext(ctx, `UPDATE residents SET name = ?, id_number = NULL, birth_date = '', gender = '', phone = '',
			address = '', categories = '[]', needs = '', notes = '', consent = 0, deleted = 1, updated_at = ?
			WHERE id = ?`, ErasedName, now, id)
		if err != nil {
			return fmt.Errorf("data: erase resident: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("resident", id)
		}
		vres, err := tx.ExecContext(ctx, `UPDATE visits SET notes = '', followup_result = '', updated_at = ?
			WHERE resident_id = ? AND (notes != '' OR followup_result != '')`, now, id)
		if err != nil {
			return fmt.Errorf("data: erase resident's visit notes: %w", err)
		}
		visits, _ := vres.RowsAffected()
		// A form being typed about the person (a visit's draft names the resident).
		if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE instr(body, ?) > 0`, id); err != nil {
			return fmt.Errorf("data: erase resident's drafts: %w", err)
		}
		return auditTx(ctx, tx, actor, AuditErase, "residents", id, fmt.Sprintf("personal fields removed; %d visit notes cleared", visits))
	})
}
