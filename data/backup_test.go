package data

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRestoreGivesBackTheSameCounts(t *testing.T) {
	st := openDemo(t, backupDemo)
	ctx := context.Background()
	dir := st.Dir
	before, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	usb := t.TempDir()
	file, err := st.BackupTo(ctx, usb)
	if err != nil {
		t.Fatal(err)
	}
	// Changes after the backup are undone by the restore, but kept aside.
	if err := st.AddOfficer(ctx, &Officer{Name: "后来的人"}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	saved, err := Restore(ctx, dir, file, "王秀英")
	if err != nil {
		t.Fatal(err)
	}
	st2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := st2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st2.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d after restore, %d before", k, after[k], n)
		}
	}
	log, err := st2.AuditLog(ctx, AuditQuery{Action: AuditRestore})
	if err != nil || len(log) != 1 || log[0].Actor != "王秀英" {
		t.Fatalf("restore not audited: %+v %v", log, err)
	}
	// The replaced database went to backups/ and still has the later officer.
	if err := CheckBackup(ctx, saved, true); err != nil {
		t.Fatalf("pre-restore copy %s: %v", saved, err)
	}
	other := t.TempDir()
	if _, err := Restore(ctx, other, saved, ""); err != nil {
		t.Fatal(err)
	}
	st3, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	defer st3.Close()
	c3, _ := st3.Stats(ctx)
	if c3["officers"] != before["officers"]+1 {
		t.Fatalf("pre-restore copy has %d officers, want %d", c3["officers"], before["officers"]+1)
	}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	st := openDemo(t, backupDemo)
	ctx := context.Background()
	dir := st.Dir
	good, err := st.BackupTo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	dbHash := fileHash(t, filepath.Join(dir, DBFileName))

	junk := filepath.Join(t.TempDir(), "notes.db")
	os.WriteFile(junk, []byte("这不是数据库，只是一些文字。"+string(make([]byte, 5000))), 0o600)
	if _, err := Restore(ctx, dir, junk, ""); ErrorKind(err) != KindForeign {
		t.Fatalf("junk file: %v, want foreign", err)
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	b, _ := os.ReadFile(good)
	for i := 4096; i < len(b) && i < 4096*6; i++ { // wreck pages after the header
		b[i] ^= 0x5a
	}
	os.WriteFile(damaged, b, 0o600)
	if _, err := Restore(ctx, dir, damaged, ""); ErrorKind(err) != KindDamaged && ErrorKind(err) != KindForeign {
		t.Fatalf("damaged file: %v, want damaged", err)
	}
	if _, err := Restore(ctx, dir, filepath.Join(dir, "missing.db"), ""); err == nil {
		t.Fatal("missing file accepted")
	}
	if fileHash(t, filepath.Join(dir, DBFileName)) != dbHash {
		t.Fatal("a refused restore changed the database")
	}
}

func TestNewestGoodBackupSkipsDamaged(t *testing.T) {
	st := openDemo(t, backupDemo)
	ctx := context.Background()
	dir := BackupDir(st.Dir)
	old := clock
	defer func() { clock = old }()
	at := time.Date(2026, 11, 10, 9, 0, 0, 0, time.Local)
	var paths []string
	for i := 0; i < 3; i++ {
		clock = func() time.Time { return at.AddDate(0, 0, i) }
		p, err := st.Backup(ctx, dir, BackupDaily)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// The newest is damaged, a newer still is not a database at all.
	b, _ := os.ReadFile(paths[2])
	for i := 4096 * 2; i < len(b); i++ {
		b[i] = 0xff
	}
	os.WriteFile(paths[2], b, 0o600)
	os.WriteFile(filepath.Join(dir, "stationdesk-20261120-090000.000-daily.db"), []byte("garbage"), 0o600)

	got, ok, err := NewestGoodBackup(ctx, st.Dir)
	if err != nil || !ok {
		t.Fatalf("no good backup found: %v", err)
	}
	if got.Path != paths[1] {
		t.Fatalf("newest good backup %s, want %s", got.Path, paths[1])
	}
	if _, ok, _ := NewestGoodBackup(ctx, t.TempDir()); ok {
		t.Fatal("a folder without backups has a good one")
	}
}

func TestBackupBeforeImportIsAConsistentCopy(t *testing.T) {
	st := openDemo(t, backupDemo)
	ctx := context.Background()
	p, err := st.BackupBeforeImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := ListBackups(BackupDir(st.Dir))
	if len(list) != 1 || list[0].Path != p || list[0].Label != BackupPreImport {
		t.Fatalf("backups %+v", list)
	}
	if err := CheckBackup(ctx, p, true); err != nil {
		t.Fatal(err)
	}
	// The copy is a database of its own with the same records.
	other := t.TempDir()
	if _, err := Restore(ctx, other, p, ""); err != nil {
		t.Fatal(err)
	}
	st2, err := Open(other)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	a, _ := st.Stats(ctx)
	b, _ := st2.Stats(ctx)
	for k := range a {
		if a[k] != b[k] {
			t.Fatalf("%s: %d in the copy, %d in the original", k, b[k], a[k])
		}
	}
}

// TestBundleImportBacksUpFirst: a new bundle is applied only after a
// pre-import backup; the same bundle again (skipped) makes none.
func TestBundleImportBacksUpFirst(t *testing.T) {
	net := newSyncNet(t, 1)
	path := net.up(0)
	count := func() int {
		list, err := ListBackups(BackupDir(net.bureau.Dir))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, b := range list {
			if b.Label == BackupPreImport {
				n++
			}
		}
		return n
	}
	before := count()
	mustImport(t, net.bureau, path, "imported")
	if got := count(); got != before+1 {
		t.Fatalf("pre-import backups: %d before, %d after an import", before, got)
	}
	mustImport(t, net.bureau, path, "skipped")
	if got := count(); got != before+1 {
		t.Fatalf("a skipped import made a backup (%d)", got)
	}
}

// backupDemo is the demo data the backup tests copy and restore.
var backupDemo = DemoOptions{Residents: 30, Visits: 60, Policies: 10, Seed: 3, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}
