package data

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils, installed by make).
func pdfText(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// A panic in the PDF or image library becomes an error.
func TestPDFPanicRecovered(t *testing.T) {
	err := func() (err error) {
		defer recoverPDF(&err)
		var m map[string]int
		m["x"]++ // a library's nil map
		return nil
	}()
	if err != errPDFPanic {
		t.Fatalf("got %v", err)
	}
}

// A failed write reads as an *Error: of KindIO, or the writer's own.
func TestWriteFileAtomicErrors(t *testing.T) {
	var de *Error
	missing := filepath.Join(t.TempDir(), "no such folder", "x.pdf")
	if err := writeFileAtomic(missing, func(io.Writer) error { return nil }); !errors.As(err, &de) || de.Kind != KindIO || de.Op != "write .pdf" {
		t.Fatalf("missing folder: %v", err)
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	own := Invalid("name", "请填写姓名")
	if err := writeFileAtomic(path, func(io.Writer) error { return own }); err != own {
		t.Fatalf("the writer's own error: %v", err)
	}
	if err := writeFileAtomic(path, func(io.Writer) error { return io.ErrShortWrite }); !errors.As(err, &de) || de.Kind != KindIO || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("a plain error: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Fatalf("failed writes left %d files", len(entries))
	}
}

// 另存为: a private copy of a regular file; anything else is refused.
func TestCopyPrivateFile(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "printed.pdf"), filepath.Join(dir, "kept.pdf")
	if err := os.WriteFile(from, []byte("%PDF-1.3 card"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CopyPrivateFile(from, to); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(to); string(b) != "%PDF-1.3 card" {
		t.Fatalf("copy holds %q", b)
	}
	if fi, _ := os.Stat(to); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("copy's mode %v", fi.Mode().Perm())
	}
	if err := CopyPrivateFile(dir, filepath.Join(dir, "x.pdf")); ErrorKind(err) != KindIO {
		t.Fatalf("copying a folder: %v", err)
	}
}
