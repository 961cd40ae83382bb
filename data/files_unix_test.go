//go:build unix

package data

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Finding 10: importing a FIFO is refused at once, never a hang.
func TestBundleImportFIFO(t *testing.T) {
	net := newSyncNet(t, 1)
	p := filepath.Join(t.TempDir(), "x.stbundle")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan *ImportResult, 1)
	go func() {
		r, _ := net.bureau.ImportBundle(context.Background(), p)
		done <- r
	}()
	select {
	case r := <-done:
		if r.Status != "refused" || r.Reason != "not_bundle" {
			t.Fatalf("%+v", r)
		}
	case <-time.After(time.Minute): // a hang, not a timing: the import never returns
		t.Fatal("importing a FIFO hangs")
	}
}
