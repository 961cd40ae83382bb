package store

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzAuditChanges: a log line's detail, whatever it holds, decodes
// without a panic, and a personal change never shows a value.
func FuzzAuditChanges(f *testing.F) {
	for _, s := range []string{"", "{}", `{"role":["站长","劳保专干"]}`, `{"phone":["***","***"]}`, `{"x":[1,null]}`, `{"x":[[1],{"a":2}]}`, "reset: 王秀英", `{"x":`, `{"x":[1,2,3]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, detail string) {
		for _, c := range (AuditLine{Detail: detail}).Changes() {
			if c.Personal && c.Old != AuditChanged && c.New != AuditChanged {
				t.Fatalf("personal change %+v", c)
			}
			if !utf8.ValidString(c.Field) && utf8.ValidString(detail) {
				t.Fatalf("field %q", c.Field)
			}
		}
	})
}

// FuzzBackupNames: any file name in a backup folder is listed correctly or skipped.
func FuzzBackupNames(f *testing.F) {
	for _, s := range []string{"stationdesk-20261117-090000.000-daily.db", "stationdesk-20261399-990000.000-daily.db", "notes.txt", "stationdesk--daily.db", "stationdesk-20261117-090000.000-pre-migrate-v3.db"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if name == "" || filepath.Base(name) != name || name == "." || name == ".." || len(name) > 200 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			return
		}
		list, err := ListBackups(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range list {
			if filepath.Base(b.Path) != name || b.Time.IsZero() || b.Label == "" {
				t.Fatalf("%q listed as %+v", name, b)
			}
		}
		planRotation(list)
	})
}
