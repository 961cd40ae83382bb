package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// openCounting opens dir and says whether the open ran quick_check.
func openCounting(t *testing.T, dir string) (*Store, bool, error) {
	t.Helper()
	before := quickChecks.Load()
	st, err := Open(dir)
	return st, quickChecks.Load() > before, err
}

func TestUnchangedFileSkipsCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	st, _, err := openCounting(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, st, 1000)
	if _, err := os.Stat(cleanMarkPath(path)); err == nil {
		t.Fatal("a clean mark exists while the file is open for writing")
	}
	st.Close()
	reopen := func(wantCheck bool, why string) {
		t.Helper()
		st, checked, err := openCounting(t, dir)
		if err != nil {
			t.Fatalf("%s: %v", why, err)
		}
		if checked != wantCheck {
			t.Fatalf("%s: quick_check ran = %v, want %v", why, checked, wantCheck)
		}
		st.Close()
	}
	reopen(false, "unchanged since a clean close")
	reopen(false, "again")

	// Another program writes to the file: its modification time moves.
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(path, later, later)
	reopen(true, "modified since")
	reopen(false, "unchanged since the check")

	// A crash: the file was opened and never closed, so no mark is left.
	st, _, err = openCounting(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cleanMarkPath(path)); err == nil {
		t.Fatal("mark left while open")
	}
	st.r.Close()
	st.w.Close() // closed under the store's feet: no mark written
	reopen(true, "after a crash")

	// A mark whose check is older than fullCheckEvery.
	b, _ := os.ReadFile(cleanMarkPath(path))
	var m cleanMark
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m.Checked = time.Now().Add(-fullCheckEvery - time.Minute).UnixMilli()
	b, _ = json.Marshal(m)
	os.WriteFile(cleanMarkPath(path), b, 0o600)
	reopen(true, "last check too old")

	// A non-empty write-ahead log beside the file.
	os.WriteFile(path+"-wal", []byte("x"), 0o600)
	if _, ok := trustedUnchanged(path, mustStat(t, path), time.Now()); ok {
		t.Fatal("trusted a file with a write-ahead log beside it")
	}
	os.Remove(path + "-wal")

	// Garbage instead of a mark.
	os.WriteFile(cleanMarkPath(path), []byte("{garbage"), 0o600)
	reopen(true, "unreadable mark")
}

// TestDamageAfterCleanCloseFound: pages overwritten after a clean close are
// found even though a mark exists (the write moved the modification time).
func TestDamageAfterCleanCloseFound(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DBFileName)
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, st, 1500)
	st.Close()
	if _, err := os.Stat(cleanMarkPath(path)); err != nil {
		t.Fatalf("no mark after a clean close: %v", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 20*4096)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	f.WriteAt(junk, 8*4096)
	f.Close()
	if _, err := Open(dir); ErrorKind(err) != KindDamaged {
		t.Fatalf("got %v, want damaged", err)
	}
}

func mustStat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
