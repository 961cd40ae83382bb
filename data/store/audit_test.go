package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"
)

func auditStation(t *testing.T) (*Store, context.Context) {
	t.Helper()
	st := openStore(t, "")
	ctx := context.Background()
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"},
		[]Officer{{Name: "王秀英", Role: "站长", Phone: "13800001234"}}); err != nil {
		t.Fatal(err)
	}
	return st, ctx
}

func TestAuditRecordsWhoWhenAndWhatChanged(t *testing.T) {
	st, ctx := auditStation(t)
	old := clock
	defer func() { clock = old }()
	at := time.Date(2026, 11, 17, 10, 30, 0, 0, time.Local)
	clock = func() time.Time { return at }

	offs, _ := st.Officers(ctx, false)
	o := offs[0]
	o.Role = "劳保专干"
	o.Phone = "13912345678"
	if err := st.UpdateOfficer(WithActor(ctx, "李建国"), &o); err != nil {
		t.Fatal(err)
	}
	log, err := st.AuditLog(ctx, AuditQuery{Kind: "officers", RecordID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[0].Action != "update" || log[1].Action != "create" {
		t.Fatalf("log %+v", log)
	}
	u := log[0]
	if u.Actor != "李建国" || !u.At.Equal(at) {
		t.Fatalf("update by %q at %v", u.Actor, u.At)
	}
	ch := u.Changes()
	if len(ch) != 2 || ch[0].Field != "phone" || ch[1].Field != "role" {
		t.Fatalf("changes %+v", ch)
	}
	if ch[1].Old != "站长" || ch[1].New != "劳保专干" {
		t.Fatalf("role change %+v", ch[1])
	}
	if !ch[0].Personal || strings.Contains(u.Detail, "1391234") || strings.Contains(u.Detail, "1380000") {
		t.Fatalf("phone recorded in clear: %s", u.Detail)
	}
	if log[1].Actor != SystemActor {
		t.Fatalf("set-up recorded as %q", log[1].Actor)
	}

	// Saving without a change adds nothing; a delete is a delete.
	if err := st.UpdateOfficer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.AuditLog(ctx, AuditQuery{RecordID: o.ID}); len(n) != 2 {
		t.Fatalf("an unchanged save was logged: %+v", n)
	}
	st.Write(WithActor(ctx, "李建国"), func(tx *sql.Tx) error {
		_, err := tx.Exec("UPDATE officers SET deleted = 1, updated_at = updated_at + 1 WHERE id = ?", o.ID)
		return err
	})
	if n, _ := st.AuditLog(ctx, AuditQuery{RecordID: o.ID, Action: "delete"}); len(n) != 1 || n[0].Actor != "李建国" {
		t.Fatalf("delete not logged: %+v", n)
	}

	// Searchable by officer and date.
	byActor, _ := st.AuditLog(ctx, AuditQuery{Actor: "李建国"})
	if len(byActor) != 2 {
		t.Fatalf("by officer: %+v", byActor)
	}
	if n, _ := st.AuditLog(ctx, AuditQuery{Actor: "李建国", From: at.Add(time.Minute)}); len(n) != 0 {
		t.Fatalf("date filter ignored: %+v", n)
	}
	if n, _ := st.AuditLog(ctx, AuditQuery{Actor: "李建国", From: at.Add(-time.Hour), To: at.Add(time.Hour)}); len(n) != 2 {
		t.Fatalf("date range: %+v", n)
	}
	actors, _ := st.AuditActors(ctx)
	if strings.Join(actors, ",") != "system,李建国" {
		t.Fatalf("actors %v", actors)
	}
}

func TestAuditRevealAndExport(t *testing.T) {
	st, ctx := auditStation(t)
	if err := st.AuditReveal(ctx, "王秀英", "residents", "r-1", "id_number"); err != nil {
		t.Fatal(err)
	}
	if err := st.AuditExport(ctx, "王秀英", "服务对象名单.xlsx 12 行，未遮蔽"); err != nil {
		t.Fatal(err)
	}
	rev, _ := st.AuditLog(ctx, AuditQuery{Action: AuditReveal})
	exp, _ := st.AuditLog(ctx, AuditQuery{Action: AuditExport, Actor: "王秀英"})
	if len(rev) != 1 || rev[0].RecordID != "r-1" || rev[0].Actor != "王秀英" || len(exp) != 1 || !strings.Contains(exp[0].Detail, "未遮蔽") {
		t.Fatalf("reveal %+v export %+v", rev, exp)
	}
	// The actor defaults to the context's.
	if err := st.AuditExport(WithActor(ctx, "李建国"), "", "签到表.pdf"); err != nil {
		t.Fatal(err)
	}
	if exp, _ := st.AuditLog(ctx, AuditQuery{Action: AuditExport, Actor: "李建国"}); len(exp) != 1 {
		t.Fatalf("export by context actor: %+v", exp)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	st, ctx := auditStation(t)
	for _, q := range []string{"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"} {
		err := st.Write(ctx, func(tx *sql.Tx) error { _, err := tx.Exec(q); return err })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var n int
	st.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&n)
	if n == 0 {
		t.Fatal("log emptied")
	}
}

func TestAuditQuietAndExternalWrites(t *testing.T) {
	st, ctx := auditStation(t)
	var before int
	st.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&before)
	if err := st.AddOfficer(QuietAudit(ctx), &Officer{Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	var after int
	st.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&after)
	if after != before {
		t.Fatalf("quiet write logged %d rows", after-before)
	}
	// A write through another connection (as a sqlite3 shell would) is marked external.
	db, err := sql.Open("sqlite", dsn(st.Path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE officers SET duties = '值班' WHERE name = '张三'"); err != nil {
		t.Fatal(err)
	}
	log, _ := st.AuditLog(ctx, AuditQuery{Action: "update"})
	if len(log) != 1 || log[0].Actor != "external" || log[0].At.IsZero() {
		t.Fatalf("external write %+v", log)
	}
}

func TestAuditTriggersFollowNewColumns(t *testing.T) {
	st, ctx := auditStation(t)
	if err := st.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("ALTER TABLE officers ADD COLUMN title TEXT NOT NULL DEFAULT ''")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := ensureAuditTriggers(ctx, st); err != nil {
		t.Fatal(err)
	}
	st.Write(ctx, func(tx *sql.Tx) error { _, err := tx.Exec("UPDATE officers SET title = '主任'"); return err })
	log, _ := st.AuditLog(ctx, AuditQuery{Action: "update"})
	if len(log) != 1 || !strings.Contains(log[0].Detail, "主任") {
		t.Fatalf("new column not audited: %+v", log)
	}
}

// TestPersonalColumnsDeclared: an ID number or a phone is personal in every
// kind that has one (the audit trail once knew these names in any table; a
// new kind must say so in RecordKind.Personal).
func TestPersonalColumnsDeclared(t *testing.T) {
	st := openStore(t, "")
	ctx := context.Background()
	for _, k := range Kinds() {
		cols, err := auditColumns(ctx, st.Read(), k.Table)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if (c == "id_number" || c == "phone") && !slices.Contains(PersonalColumns(k.Table), c) {
				t.Errorf("%s.%s is not among the kind's Personal columns", k.Table, c)
			}
		}
		for _, c := range k.Personal {
			if !slices.Contains(cols, c) {
				t.Errorf("%s: personal column %s is not in the table", k.Table, c)
			}
		}
	}
	if got := PersonalColumns("residents"); !slices.Contains(got, "name") || !slices.Contains(got, "id_number") {
		t.Errorf("residents' personal columns %v", got)
	}
	if PersonalColumns("no_such_table") != nil {
		t.Error("a table of no kind has personal columns")
	}
}
