package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestOpenMigrateReopen(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var version, appID int
	st.Read().QueryRow("PRAGMA user_version").Scan(&version)
	st.Read().QueryRow("PRAGMA application_id").Scan(&appID)
	if version != SchemaVersion() || appID != ApplicationID {
		t.Fatalf("user_version %d application_id %#x, want %d %#x", version, appID, SchemaVersion(), ApplicationID)
	}
	var mode string
	st.Read().QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode %q, want wal", mode)
	}
	var fk int
	st.Read().QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys off")
	}
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"},
		[]Officer{{Name: "王秀英", Role: "站长", Phone: "138 0000 1234"}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	id, ok, err := st.Identity(ctx)
	if err != nil || !ok || id.Name != "桃花镇劳动保障站" || id.Role != RoleStation {
		t.Fatalf("identity after reopen: %+v %v %v", id, ok, err)
	}
	offs, err := st.Officers(ctx, true)
	if err != nil || len(offs) != 1 || offs[0].Phone != "13800001234" || offs[0].ID == "" {
		t.Fatalf("officers after reopen: %+v %v", offs, err)
	}
	if err := st.Setup(ctx, id, nil); ErrorKind(err) != KindConflict {
		t.Fatalf("second set-up: %v, want conflict", err)
	}
}

func TestUpgradeFromOlderSchemaBacksUpAndKeepsData(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	// Build a database at schema version 1 by hand, the way an older release left it.
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations[0].sql); err != nil {
		t.Fatal(err)
	}
	db.Exec("PRAGMA application_id = 1398031435")
	db.Exec("PRAGMA user_version = 1")
	db.Exec(`INSERT INTO officers(id, origin, created_at, updated_at, name) VALUES ('o1', '1', 1, 1, '李四')`)
	db.Close()

	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	offs, _ := st.Officers(context.Background(), false)
	if len(offs) != 1 || offs[0].Name != "李四" {
		t.Fatalf("officers after upgrade: %+v", offs)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "backups", "*pre-migrate-v1*.db"))
	if len(backups) != 1 {
		t.Fatalf("want one pre-migration backup, got %v", backups)
	}
}

func TestForeignFileRefusedUntouched(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(db *sql.DB)
	}{
		{"other app's id", func(db *sql.DB) { db.Exec("PRAGMA application_id = 42"); db.Exec("CREATE TABLE t(x)") }},
		{"plain sqlite with tables", func(db *sql.DB) { db.Exec("CREATE TABLE notes(x)"); db.Exec("INSERT INTO notes VALUES (1)") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, DBFileName)
			db, _ := sql.Open("sqlite", "file:"+path)
			tc.setup(db)
			db.Close()
			before := fileHash(t, path)
			_, err := Open(dir)
			if ErrorKind(err) != KindForeign {
				t.Fatalf("got %v, want foreign", err)
			}
			if fileHash(t, path) != before {
				t.Fatal("refused file was modified")
			}
			if _, err := os.Stat(path + "-wal"); err == nil {
				t.Fatal("refused file got a WAL")
			}
		})
	}
}

func TestNewerFileRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.w.Exec("PRAGMA user_version = 999")
	st.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	st.Close()
	path := filepath.Join(dir, DBFileName)
	before := fileHash(t, path)
	_, err = Open(dir)
	if ErrorKind(err) != KindTooNew {
		t.Fatalf("got %v, want too_new", err)
	}
	if fileHash(t, path) != before {
		t.Fatal("newer file was modified")
	}
}

func TestDamagedFileReported(t *testing.T) {
	t.Run("not a database", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, DBFileName), bytes.Repeat([]byte("这不是数据库"), 500), 0o600)
		if _, err := Open(dir); ErrorKind(err) != KindDamaged {
			t.Fatalf("got %v, want damaged", err)
		}
	})
	t.Run("corrupt pages", func(t *testing.T) {
		dir := t.TempDir()
		st, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := runDemo(context.Background(), st, DemoOptions{Residents: 300, Visits: 900, Policies: 100, Seed: 3, Until: time.Now()}); err != nil {
			t.Fatal(err)
		}
		st.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		st.Close()
		path := filepath.Join(dir, DBFileName)
		b, _ := os.ReadFile(path)
		if len(b) < 40*4096 {
			t.Fatalf("database too small to damage: %d bytes", len(b))
		}
		// Overwrite pages in the middle of the file, leaving the header intact.
		for i := 8 * 4096; i < 30*4096; i++ {
			b[i] = byte(i * 7)
		}
		os.WriteFile(path, b, 0o600)
		_, err = Open(dir)
		if ErrorKind(err) != KindDamaged {
			t.Fatalf("got %v, want damaged", err)
		}
	})
}

func TestDemoIsDeterministic(t *testing.T) {
	until := time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)
	dump := func(seed uint64) []string {
		st := openStore(t, "")
		counts, err := runDemo(context.Background(), st, DemoOptions{Residents: 50, Visits: 120, Policies: 20, Seed: seed, Until: until})
		if err != nil {
			t.Fatal(err)
		}
		if counts["residents"] != 50 || counts["visits"] != 120 || counts["policies"] != 20 {
			t.Fatalf("counts %v", counts)
		}
		var out []string
		for _, k := range Kinds() {
			rows, err := st.Read().Query("SELECT * FROM " + k.Table + " ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				rows.Scan(ptrs...)
				out = append(out, k.Table+":"+fmtRow(vals))
			}
			rows.Close()
		}
		return out
	}
	a, b, c := dump(7), dump(7), dump(8)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("row counts differ: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different row %d:\n%s\n%s", i, a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if i < len(c) && a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("different seeds gave identical data")
	}
}

func fmtRow(vals []any) string {
	var buf bytes.Buffer
	for _, v := range vals {
		switch x := v.(type) {
		case []byte:
			buf.Write(x)
		default:
			buf.WriteString(sqlQuote(fmt.Sprint(x)))
		}
		buf.WriteByte('|')
	}
	return buf.String()
}

// TestUpgradeFromPreviousReleaseKeepsCounts makes a database the way the
// previous schema version left it (every step but the last), fills it with
// demo data, then opens it with this program: it migrates after a backup and
// keeps every count.
func TestUpgradeFromPreviousReleaseKeepsCounts(t *testing.T) {
	dir := t.TempDir()
	all := migrations
	migrations = all[:len(all)-1]
	st, err := Open(dir)
	if err != nil {
		migrations = all
		t.Fatalf("open at the previous version: %v", err)
	}
	ctx := context.Background()
	if _, err := runDemo(ctx, st, DemoOptions{Residents: 40, Visits: 90, Policies: 25, Seed: 5, Until: time.Date(2026, 6, 1, 0, 0, 0, 0, time.Local)}); err != nil {
		migrations = all
		t.Fatal(err)
	}
	// The previous version knew fewer kinds: count the tables it had.
	before := map[string]int{}
	for _, k := range Kinds() {
		var n int
		if st.Read().QueryRow("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?", k.Table).Scan(&n); n == 0 {
			continue
		}
		if err := st.Read().QueryRow("SELECT count(*) FROM " + k.Table + " WHERE deleted = 0").Scan(&n); err != nil {
			t.Fatal(err)
		}
		before[k.Name] = n
	}
	st.Close()
	migrations = all

	st, err = Open(dir)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer st.Close()
	var version int
	st.Read().QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion() {
		t.Fatalf("user_version %d after upgrade, want %d", version, SchemaVersion())
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d before the upgrade, %d after", k, n, after[k])
		}
	}
	if before["visits"] != 90 || before["residents"] != 40 {
		t.Fatalf("demo counts %v", before)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "backups", fmt.Sprintf("*pre-migrate-v%d*", SchemaVersion()-1)))
	if len(backups) != 1 {
		t.Fatalf("want one pre-migration backup, got %v", backups)
	}
}
