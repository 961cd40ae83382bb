package sync_test

import (
	"bytes"
	"os"
	"path/filepath"
	_ "stationdesk/data" // gives sync its file writer
	"testing"

	dsync "stationdesk/data/sync"
)

// Finding 10: a planted NAME.stbundle.part link is never followed.
func TestBundlePartLinkNotFollowed(t *testing.T) {
	dir, victimDir := t.TempDir(), t.TempDir()
	victim := filepath.Join(victimDir, "important.txt")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	final := filepath.Join(dir, "430702101-430702-000001.stbundle")
	if err := os.Symlink(victim, final+".part"); err != nil {
		t.Skip("no symlinks here:", err)
	}
	payload, _ := os.CreateTemp(t.TempDir(), "payload")
	payload.WriteString("ciphertext")
	if _, _, err := dsync.WriteBundleFile(final, payload, []byte(`{}`), make([]byte, 64)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Fatalf("the link's target was overwritten: %q", b)
	}
	if b, _ := os.ReadFile(final); !bytes.HasPrefix(b, []byte(dsync.BundleMagic)) {
		t.Fatal("the bundle was not written")
	}
}
