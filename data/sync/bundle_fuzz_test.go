package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"stationdesk/data"
	dsync "stationdesk/data/sync"
)

// FuzzBundleReader feeds whole files to the bureau's importer: whatever the
// bytes, no panic, and anything but a bundle from an enrolled station is refused.
func FuzzBundleReader(f *testing.F) {
	net := newSyncNet(f, 1)
	edit(f, net.stations[0], `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '认证')`, data.NewID(), net.codes[0])
	good, _ := os.ReadFile(net.up(0))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(dsync.BundleMagic + "\x00\x00\x00\x02{}"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "fuzz.stbundle")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := net.bureau.VerifyBundle(context.Background(), p); err == nil && !bytes.Equal(b, good) {
			// Only the one genuine bundle can verify.
			t.Fatalf("a changed bundle verified")
		}
		r, err := net.bureau.ImportBundle(context.Background(), p)
		if r == nil {
			t.Fatal("nil result")
		}
		if err != nil {
			if _, ok := dsync.RefusalOf(err); !ok {
				t.Fatalf("failure that is not a refusal: %v", err)
			}
		}
	})
}

// FuzzBundleArchive feeds decrypted payloads (the zip inside) straight to the
// archive checks and the record applier, as if a signed sender had made them;
// every attempt is rolled back.
func FuzzBundleArchive(f *testing.F) {
	net := newSyncNet(f, 1)
	ctx := context.Background()
	edit(f, net.stations[0], `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '认证')`, data.NewID(), net.codes[0])
	path := net.up(0)
	b, err := dsync.OpenBundle(ctx, path, "430702", net.bureau.Read())
	if err != nil {
		f.Fatal(err)
	}
	k, _, _ := dsync.LoadKeys(ctx, net.bureau.Read())
	pf, off := b.Payload()
	ra, size, err := age.DecryptReaderAt(io.NewSectionReader(pf, off, b.Header.PayloadBytes), b.Header.PayloadBytes, k.Age())
	if err != nil {
		f.Fatal(err)
	}
	plain := make([]byte, size)
	ra.ReadAt(plain, 0)
	b.Close()
	f.Add(plain)
	f.Add(zipOf(f, manifestEntry(net.codes[0], "430702", 1), zentry{hdr: zip.FileHeader{Name: "records/visits.jsonl", Method: zip.Deflate}, body: visitLine("v1", net.codes[0], 1<<20)}))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	ident, _, _ := net.bureau.Identity(ctx)
	hdr := b.Header
	rollback := errors.New("rollback")
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		a, err := dsync.CheckArchive(zr)
		if err != nil {
			if _, ok := dsync.RefusalOf(err); !ok {
				t.Fatalf("check failed without a refusal: %v", err)
			}
			return
		}
		h := hdr
		man := a.Man()
		h.Seq, h.Sender, h.Receiver, h.Created = man.Seq, man.Sender, man.Receiver, man.Created
		if h.Sender != net.codes[0] || h.Seq <= 0 {
			return
		}
		res := &dsync.ImportResult{}
		err = net.bureau.Write(ctx, func(tx *sql.Tx) error {
			if err := dsync.ApplyArchive(ctx, tx, ident, h, "fuzz", a, res, nil); err != nil {
				return err
			}
			return rollback
		})
		if err != nil && !errors.Is(err, rollback) {
			if _, ok := dsync.RefusalOf(err); !ok {
				t.Fatalf("apply failed without a refusal: %v", err)
			}
		}
	})
}
