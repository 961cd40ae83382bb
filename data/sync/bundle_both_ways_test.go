package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"stationdesk/data"
	dsync "stationdesk/data/sync"
)

// TestBundleAdversarialBothWays runs the adversarial set in both
// directions, station → bureau and bureau → station: a receiver that
// skipped a check on either side's bundles fails here.
func TestBundleAdversarialBothWays(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []string{"up", "down"} {
		t.Run(dir, func(t *testing.T) {
			net := newSyncNet(t, 2)
			a := net.stations[0]
			from, to, export := a, net.bureau, func() string { return net.up(0) }
			oldReason, otherKey := "replayed", net.stations[1]
			if dir == "down" {
				from, to, export = net.bureau, a, func() string { return net.down(0) }
				oldReason = "rolled_back"
			}
			change := func() {
				if dir == "up" {
					edit(t, a, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id) VALUES (?, ?, 1, 1, '2026-11-01', 'r')`, data.NewID(), net.codes[0])
				} else {
					edit(t, net.bureau, `INSERT INTO policies(id, origin, created_at, updated_at, title, source) VALUES (?, '430702', 1, 1, '通知', 'bureau')`, data.NewID())
				}
			}
			change()
			first := export()
			raw, _ := os.ReadFile(first)
			write := func(b []byte) string {
				p := filepath.Join(t.TempDir(), "x.stbundle")
				os.WriteFile(p, b, 0o600)
				return p
			}
			hl := int(binary.BigEndian.Uint32(raw[8:12]))
			var h dsync.BundleHeader
			json.Unmarshal(raw[12:12+hl], &h)
			payload := raw[12+hl+64:]

			t.Run("flipped byte", func(t *testing.T) {
				for _, pos := range []int{0, 9, 12, 12 + hl/2, 12 + hl - 1, 12 + hl, 12 + hl + 63, 12 + hl + 64, 12 + hl + 200, len(raw) / 2, len(raw) - 1} {
					c := bytes.Clone(raw)
					c[pos] ^= 0x01
					refusedUnchanged(t, to, write(c), "")
				}
			})
			t.Run("truncated", func(t *testing.T) {
				for _, n := range []int{0, 11, 12 + hl, 12 + hl + 64, len(raw) - 1} {
					refusedUnchanged(t, to, write(raw[:n]), "")
				}
				refusedUnchanged(t, to, write(raw[:len(raw)-1]), "truncated")
				refusedUnchanged(t, to, write(append(bytes.Clone(raw), 0)), "altered")
			})
			t.Run("re-signed by another key", func(t *testing.T) {
				k, _, _ := dsync.LoadKeys(ctx, otherKey.Read())
				refusedUnchanged(t, to, writeSealed(t, k.Sign(), h, payload), "bad_signature")
			})
			t.Run("header changed and re-signed by another key", func(t *testing.T) {
				k, _, _ := dsync.LoadKeys(ctx, otherKey.Read())
				h2 := h
				h2.Seq += 5
				refusedUnchanged(t, to, writeSealed(t, k.Sign(), h2, payload), "bad_signature")
			})
			t.Run("unknown sender", func(t *testing.T) {
				// Another bureau, and a station enrolled there under the same code as ours.
				other := openStore(t, "")
				other.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "别的区人社局", Code: "430799"}, nil)
				other.EnsureKeys(ctx)
				file, err := other.AddStation(ctx, net.codes[0], "同码站")
				if err != nil {
					t.Fatal(err)
				}
				var path string
				if dir == "up" {
					// Its station writes to "430799": ours is not the receiver,
					// so it names ours instead, signed with its own key.
					x := openStore(t, "")
					if _, err := x.Enroll(ctx, file); err != nil {
						t.Fatal(err)
					}
					xh := h
					xh.Sender = "430702109" // not enrolled at our bureau
					k, _, _ := dsync.LoadKeys(ctx, x.Read())
					path = writeSealed(t, k.Sign(), xh, payload)
				} else {
					r, err := other.ExportBundle(ctx, t.TempDir(), net.codes[0], nil)
					if err != nil {
						t.Fatal(err)
					}
					path = r.Path
				}
				refusedUnchanged(t, to, path, "unknown_sender")
			})
			t.Run("replay", func(t *testing.T) {
				mustImport(t, to, first, "imported")
				mustImport(t, to, first, "skipped")
				change()
				second := export()
				mustImport(t, to, second, "imported")
				// The first again, now behind the second.
				before := recordDump(t, to)
				if r, _ := to.ImportBundle(ctx, first); r.Status != "skipped" {
					t.Fatalf("an imported bundle again: %s", r.Message)
				}
				if recordDump(t, to) != before {
					t.Fatal("importing a bundle again changed the database")
				}
				// A different bundle with a sequence already applied, correctly
				// signed by the sender: refused, not taken for new.
				p, _, _ := dsync.GetPeer(ctx, to.Read(), h.Sender)
				epoch, _ := dsync.EpochOf(ctx, from.Read())
				me, _, _ := from.Identity(ctx)
				them, _, _ := to.Identity(ctx)
				m, _ := json.Marshal(dsync.Manifest{Sender: me.Code, Receiver: them.Code, Seq: p.InSeq, Epoch: epoch, Created: 1})
				other := sealBundleEpoch(t, from, them.Code, zipOf(t, zentry{hdr: zipHeader("manifest.json"), body: m}), p.InSeq, epoch)
				refusedUnchanged(t, to, other, oldReason)
				// And one with an older sequence still.
				m, _ = json.Marshal(dsync.Manifest{Sender: me.Code, Receiver: them.Code, Seq: p.InSeq - 1, Epoch: epoch, Created: 1})
				older := sealBundleEpoch(t, from, them.Code, zipOf(t, zentry{hdr: zipHeader("manifest.json"), body: m}), p.InSeq-1, epoch)
				refusedUnchanged(t, to, older, oldReason)
			})
		})
	}
}

func zipHeader(name string) zip.FileHeader { return zip.FileHeader{Name: name, Method: zip.Deflate} }
