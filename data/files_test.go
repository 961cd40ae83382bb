package data

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Finding 2: nothing from a record becomes part of a path.
func TestOpenAttachmentStaysInDataFolder(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "")
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, nil); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Dir(st.Dir)
	before := diskState(t, st)
	for _, c := range []struct{ id, name string }{
		{"../../x", "../../evil.sh"}, {"..", "..\\..\\evil.bat"}, {"/etc/passwd", "/etc/passwd"}, {"a/../../b", "CON"}, {"c", "\u202egnp.exe"},
	} {
		edit(t, st, `INSERT INTO policy_attachments(id, origin, created_at, updated_at, policy_id, name, size, sha256, content) VALUES (?, '430702101', 1, 1, 'p', ?, 1, 'x', X'41')`, c.id, c.name)
		p, err := st.ExportAttachment(ctx, c.id)
		if err != nil {
			t.Fatalf("%q: %v", c.id, err)
		}
		rel, err := filepath.Rel(filepath.Join(st.Dir, "opened"), p)
		if err != nil || strings.HasPrefix(rel, "..") || strings.Count(rel, string(filepath.Separator)) != 1 {
			t.Fatalf("%q/%q written at %s", c.id, c.name, p)
		}
		if b, _ := os.ReadFile(p); string(b) != "A" {
			t.Fatalf("%s holds %q", p, b)
		}
		if strings.ContainsAny(filepath.Base(p), "\u202e:\\/") || strings.EqualFold(filepath.Base(p), "CON") {
			t.Fatalf("unsafe file name %q", filepath.Base(p))
		}
	}
	if diskState(t, st) != before {
		t.Fatalf("opening attachments wrote outside the data folder (%s)", outside)
	}
}

// Finding 10: private modes for the data folder, the database and what is
// made from it.
func TestPrivateFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the per-user folder is private on Windows")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(dir, 0o755)
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Setup(ctx, Identity{Role: RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	st.EnsureKeys(ctx)
	backup, err := st.Backup(ctx, BackupDir(dir), "test")
	if err != nil {
		t.Fatal(err)
	}
	enrol, err := st.AddStation(ctx, "430702101", "桃花镇劳动保障站")
	if err != nil {
		t.Fatal(err)
	}
	ef := filepath.Join(t.TempDir(), "enrol.json")
	os.WriteFile(ef, nil, 0o644) // a file there already keeps no wider mode
	if err := WritePrivateFile(ef, enrol); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(t.TempDir(), "residents.xlsx")
	if _, err := st.ExportResidentsXLSX(ctx, xlsx, ResidentFilter{}, true, "test"); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, BackupDir(dir): 0o700, st.Path: 0o600, st.Path + "-wal": 0o600, st.Path + "-shm": 0o600,
		backup: 0o600, ef: 0o600, xlsx: 0o600}
	for p, m := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != m {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), fi.Mode().Perm(), m)
		}
	}
}

// Finding 3: a truncated photo stored before the checks existed prints the
// card without it instead of crashing.
func TestDutyCardWithBrokenPhoto(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "")
	o := Officer{Name: "王秀英", Role: "劳保专干"}
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, []Officer{o}); err != nil {
		t.Fatal(err)
	}
	oid := ids(t, st, `SELECT id FROM officers`)[0]
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00")
	edit(t, st, `INSERT INTO officer_photos(id, origin, created_at, updated_at, officer_id, station_code, mime, content) VALUES (?, '430702101', 1, 1, ?, '430702101', 'PNG', ?)`, NewID(), oid, png)
	out := filepath.Join(t.TempDir(), "cards.pdf")
	if n, err := st.DutyCardsPDF(ctx, out, oid); err != nil || n != 1 {
		t.Fatalf("%d cards, %v", n, err)
	}
}
