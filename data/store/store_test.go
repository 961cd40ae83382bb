package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
		fill(t, st, 1500)
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

// openStore opens the data folder dir for a test ("" is a new temporary
// folder) and closes it when the test ends (as data's test opener).
func openStore(t testing.TB, dir string) *Store {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// fill writes n officers with a few lines of duties each, in one
// transaction: a database of some hundred pages (about 250 per 1,000).
func fill(t *testing.T, st *Store, n int) {
	t.Helper()
	ctx := context.Background()
	pad := strings.Repeat("值班记录", 80)
	if err := st.Write(ctx, func(tx *sql.Tx) error {
		for i := 0; i < n; i++ {
			if err := insertOfficer(ctx, tx, "430702101", &Officer{Name: fmt.Sprintf("填充-%05d", i), Duties: pad}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
