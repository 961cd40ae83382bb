package render

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// WriteFile makes a private file, replaces what was at path (never writing
// through a link planted there) and leaves nothing behind when it fails.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "list.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	put := func(s string) error {
		return WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
	}
	if err := put("new"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("holds %q", b)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}

	failed := errors.New("the writer failed")
	err := WriteFile(path, func(w io.Writer) error { io.WriteString(w, "half"); return failed })
	if err != failed {
		t.Fatalf("got %v, want the writer's own error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("a failed write changed the file: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files in the folder, want 1", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.pdf"), func(io.Writer) error { return nil }); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("no folder: %v", err)
	}

	victim := filepath.Join(t.TempDir(), "important.txt")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	link := filepath.Join(dir, "planted.pdf")
	if err := os.Symlink(victim, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := WriteFile(link, func(w io.Writer) error { _, err := io.WriteString(w, "pdf"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Fatalf("written through the link: %q", b)
	}
	if fi, _ := os.Lstat(link); !fi.Mode().IsRegular() {
		t.Fatalf("%s is still a link", link)
	}
}
