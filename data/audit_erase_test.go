package data

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

func TestEraseResidentKeepsVisitsAnonymously(t *testing.T) {
	st := openDemo(t, backupDemo)
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
	// A visit form about the person was being typed (kept as a draft).
	if err := st.SaveDraft(ctx, "visit", `{"title":"上门服务","fields":{"notes":"`+name+`说腿脚不便"},"ctx":{"resident":"`+id+`"}}`, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, "opinion", `{"title":"群众意见","fields":{"content":"希望增设代办点"}}`, time.Now()); err != nil {
		t.Fatal(err)
	}
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
		"SELECT count(*) FROM drafts WHERE body LIKE '%' || ? || '%'",
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
	if drafts, err := st.Drafts(ctx); err != nil || len(drafts) != 1 || drafts[0].Kind != "opinion" {
		t.Fatalf("drafts after erasure: %+v %v (want only the opinion draft about someone else)", drafts, err)
	}
	log, _ := st.AuditLog(ctx, AuditQuery{RecordID: id})
	if len(log) == 0 || log[0].Action != AuditErase || log[0].Actor != "王秀英" {
		t.Fatalf("erasure not audited: %+v", log)
	}
	if err := st.EraseResident(ctx, "王秀英", "no-such-id"); ErrorKind(err) != KindNotFound {
		t.Fatalf("unknown resident: %v", err)
	}
}

func TestErasureTravelsThroughBundle(t *testing.T) {
	ctx := context.Background()
	bureau := openStore(t, "")
	if err := bureau.Setup(ctx, Identity{Role: RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := bureau.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	enrol, err := bureau.AddStation(ctx, "430702101", "桃花镇劳动保障站")
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, "")
	if _, err := st.Enroll(ctx, enrol); err != nil {
		t.Fatal(err)
	}
	if _, err := runDemo(ctx, st, DemoOptions{Residents: 10, Visits: 30, Policies: 2, Seed: 5, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	send := func() {
		t.Helper()
		r, err := st.ExportBundle(ctx, out, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := bureau.ImportBundle(ctx, r.Path); err != nil || res.Status != "imported" {
			t.Fatalf("import: %+v %v", res, err)
		}
	}
	send()
	var id, idn string
	if err := bureau.Read().QueryRow(`SELECT id, id_number FROM residents r WHERE id_number IS NOT NULL
		AND EXISTS (SELECT 1 FROM visits v WHERE v.resident_id = r.id) LIMIT 1`).Scan(&id, &idn); err != nil {
		t.Fatal(err)
	}
	var visits int
	bureau.Read().QueryRow("SELECT count(*) FROM visits WHERE resident_id = ?", id).Scan(&visits)

	if err := st.EraseResident(ctx, "王秀英", id); err != nil {
		t.Fatal(err)
	}
	send()
	var name string
	var gotID sql.NullString
	var deleted int
	if err := bureau.Read().QueryRow("SELECT name, id_number, deleted FROM residents WHERE id = ?", id).Scan(&name, &gotID, &deleted); err != nil {
		t.Fatal(err)
	}
	if name != ErasedName || gotID.Valid || deleted != 1 {
		t.Fatalf("at the bureau after erasure: %q %v deleted=%d", name, gotID, deleted)
	}
	var n, left int
	bureau.Read().QueryRow("SELECT count(*) FROM residents WHERE id_number = ?", idn).Scan(&n)
	bureau.Read().QueryRow("SELECT count(*) FROM visits WHERE resident_id = ? AND deleted = 0", id).Scan(&left)
	if n != 0 || left != visits {
		t.Fatalf("bureau: %d rows with the ID number, %d of %d visits", n, left, visits)
	}
}
