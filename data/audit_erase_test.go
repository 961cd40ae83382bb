package data

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

func TestEraseResidentKeepsVisitsAnonymously(t *testing.T) {
	st := demoStore(t)
	ctx := context.Background()
	var id, name, idn, phone string
	if err := st.Read().QueryRow(`SELECT r.id, r.name, r.id_number, r.phone FROM residents r
		WHERE r.id_number IS NOT NULL AND r.phone != '' AND EXISTS (SELECT 1 FROM visits v WHERE v.resident_id = r.id) LIMIT 1`).Scan(&id, &name, &idn, &phone); err != nil {
		t.Fatal(err)
	}
	st.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("UPDATE visits SET notes = ? WHERE resident_id = ?", name+"说腿脚不便", id)
		return err
	})
	var visits int
	st.Read().QueryRow("SELECT count(*) FROM visits WHERE resident_id = ? AND deleted = 0", id).Scan(&visits)
	before, _ := st.Stats(ctx)

	if err := st.EraseResident(ctx, "王秀英", id); err != nil {
		t.Fatal(err)
	}
	var gotName, gotPhone, addr, village string
	var gotID sql.NullString
	st.Read().QueryRow("SELECT name, id_number, phone, address, village FROM residents WHERE id = ?", id).Scan(&gotName, &gotID, &gotPhone, &addr, &village)
	if gotName != ErasedName || gotID.Valid || gotPhone != "" || addr != "" || village == "" {
		t.Fatalf("after erasure: %q %v %q %q %q", gotName, gotID, gotPhone, addr, village)
	}
	var left int
	st.Read().QueryRow("SELECT count(*) FROM visits WHERE resident_id = ? AND deleted = 0", id).Scan(&left)
	if left != visits || visits == 0 {
		t.Fatalf("visits %d, want %d kept", left, visits)
	}
	after, _ := st.Stats(ctx)
	if after["visits"] != before["visits"] || after["residents"] != before["residents"]-1 {
		t.Fatalf("counts before %v after %v", before, after)
	}
	// Nothing of the person is left anywhere in the database, not even in the log.
	for _, q := range []string{
		"SELECT count(*) FROM visits WHERE notes LIKE '%' || ? || '%'",
		"SELECT count(*) FROM audit_log WHERE detail LIKE '%' || ? || '%'",
		"SELECT count(*) FROM residents WHERE name = ?",
	} {
		for _, v := range []string{name, idn, phone} {
			var n int
			st.Read().QueryRow(q, v).Scan(&n)
			if n != 0 && !(strings.Contains(q, "residents") && v != name) {
				t.Fatalf("%q still found by %s", v, q)
			}
		}
	}
	log, _ := st.AuditLog(ctx, AuditQuery{RecordID: id})
	if len(log) == 0 || log[0].Action != AuditErase || log[0].Actor != "王秀英" {
		t.Fatalf("erasure not audited: %+v", log)
	}
	if err := st.EraseResident(ctx, "王秀英", "no-such-id"); ErrorKind(err) != KindNotFound {
		t.Fatalf("unknown resident: %v", err)
	}
}
