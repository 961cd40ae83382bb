package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"stationdesk/assets"
	"stationdesk/data"
	dsync "stationdesk/data/sync"
)

// dbDump is every row of every table, sorted: equal dumps, equal databases.
func dbDump(t testing.TB, st *data.Store) string {
	t.Helper()
	ctx := context.Background()
	tables := ids(t, st, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	var b strings.Builder
	for _, tb := range tables {
		rows, err := st.Read().QueryContext(ctx, "SELECT * FROM "+dsync.QuoteIdent(tb))
		if err != nil {
			continue // shadow tables of full-text indexes
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "## %s\n%s\n", tb, strings.Join(lines, "\n"))
	}
	return b.String()
}

// sealBundle wraps any archive as a bundle from `from` to its peer `to`,
// correctly signed and encrypted: what a malicious but enrolled sender could make.
func sealBundle(t testing.TB, from *data.Store, to string, archive []byte, seq int64) string {
	t.Helper()
	return sealBundleEpoch(t, from, to, archive, seq, "")
}

// sealBundleEpoch is sealBundle with the sender's epoch in the header.
func sealBundleEpoch(t testing.TB, from *data.Store, to string, archive []byte, seq int64, epoch string) string {
	t.Helper()
	ctx := context.Background()
	ident, _, _ := from.Identity(ctx)
	k, _, err := dsync.LoadKeys(ctx, from.Read())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := dsync.GetPeer(ctx, from.Read(), to)
	if err != nil {
		t.Fatal(err)
	}
	recip, _ := age.ParseX25519Recipient(p.AgeRecipient)
	var ct bytes.Buffer
	w, _ := age.Encrypt(&ct, recip)
	w.Write(archive)
	w.Close()
	sum := sha256.Sum256(ct.Bytes())
	h := dsync.BundleHeader{Format: dsync.BundleFormat, Version: dsync.BundleVersion, Program: assets.Version, Sender: ident.Code, SenderRole: ident.Role,
		Receiver: to, Seq: seq, Epoch: epoch, Created: 1, Records: map[string]int{}, PayloadBytes: int64(ct.Len()), PayloadSHA256: hex.EncodeToString(sum[:])}
	return writeSealed(t, k.Sign(), h, ct.Bytes())
}

func writeSealed(t testing.TB, key ed25519.PrivateKey, h dsync.BundleHeader, payload []byte) string {
	hdr, _ := json.Marshal(h)
	var f bytes.Buffer
	f.WriteString(dsync.BundleMagic)
	binary.Write(&f, binary.BigEndian, uint32(len(hdr)))
	f.Write(hdr)
	f.Write(ed25519.Sign(key, append([]byte(dsync.SignedPrefix), hdr...)))
	f.Write(payload)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("crafted-%d.stbundle", time.Now().UnixNano()))
	if err := os.WriteFile(path, f.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// zipOf builds an archive; each entry may set its own header.
type zentry struct {
	hdr  zip.FileHeader
	body []byte
	raw  bool // write body as already-compressed data with hdr's sizes
}

func zipOf(t testing.TB, entries ...zentry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := e.hdr
		var w interface{ Write([]byte) (int, error) }
		var err error
		if e.raw {
			w, err = zw.CreateRaw(&h)
		} else {
			w, err = zw.CreateHeader(&h)
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func manifestEntry(sender, receiver string, seq int64) zentry {
	m, _ := json.Marshal(dsync.Manifest{Sender: sender, Receiver: receiver, Seq: seq, Created: 1})
	return zentry{hdr: zip.FileHeader{Name: "manifest.json", Method: zip.Deflate}, body: m}
}

func visitLine(id, origin string, hlc int64) []byte {
	return fmt.Appendf(nil, `{"id":%q,"hlc":%d,"node":%q,"base_hlc":0,"base_node":"","row":{"id":%q,"origin":%q,"created_at":1,"updated_at":1,"deleted":0,"date":"2026-11-01","resident_id":"r"}}`+"\n", id, hlc, origin, id, origin)
}

// refusedUnchanged imports path into st and wants a refusal with the given
// reason (any when ""), and the database exactly as before.
func refusedUnchanged(t *testing.T, st *data.Store, path, reason string) {
	t.Helper()
	before := recordDump(t, st)
	r, err := st.ImportBundle(context.Background(), path)
	if r.Status != "refused" {
		t.Fatalf("imported (%s), want refused %s", r.Message, reason)
	}
	if ref, ok := dsync.RefusalOf(err); !ok || (reason != "" && ref.Reason != reason) {
		t.Fatalf("refused with %v, want %s", err, reason)
	}
	if after := recordDump(t, st); after != before {
		t.Fatalf("a refused bundle changed the database:\n%s", firstDiff(before, after))
	}
}

// recordDump is dbDump without what a refusal itself writes: its audit line
// and the note for the board of stations.
func recordDump(t testing.TB, st *data.Store) string {
	var keep []string
	for _, l := range strings.Split(dbDump(t, st), "\n") {
		if strings.Contains(l, dsync.AuditBundleRefused) || strings.Contains(l, dsync.RefusalSettingPrefix) {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "before: " + al[i] + "\nafter:  " + bl[i]
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}

func TestBundleAdversarial(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	a, b := net.stations[0], net.stations[1]
	for i := 0; i < 20; i++ {
		edit(t, a, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '上门认证')`, data.NewID(), net.codes[0])
	}
	good := net.up(0)
	raw, _ := os.ReadFile(good)
	write := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "x.stbundle")
		os.WriteFile(p, b, 0o600)
		return p
	}

	t.Run("flipped byte anywhere", func(t *testing.T) {
		positions := []int{0, 7, 8, 11, 12, 20, len(raw) / 2, len(raw) - 1}
		hl := int(binary.BigEndian.Uint32(raw[8:12]))
		positions = append(positions, 12+hl-1, 12+hl, 12+hl+63, 12+hl+64, 12+hl+100)
		for i := 0; i < 40; i++ {
			positions = append(positions, (i*7919)%len(raw))
		}
		for _, pos := range positions {
			c := bytes.Clone(raw)
			c[pos] ^= 0x01
			refusedUnchanged(t, net.bureau, write(c), "")
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{0, 5, 12, 40, len(raw) / 2, len(raw) - 1} {
			refusedUnchanged(t, net.bureau, write(raw[:n]), "")
		}
		refusedUnchanged(t, net.bureau, write(raw[:len(raw)-1]), "truncated")
		refusedUnchanged(t, net.bureau, write(append(bytes.Clone(raw), 0)), "altered")
	})
	t.Run("re-signed by another station", func(t *testing.T) {
		hl := binary.BigEndian.Uint32(raw[8:12])
		var h dsync.BundleHeader
		json.Unmarshal(raw[12:12+hl], &h)
		kb, _, _ := dsync.LoadKeys(ctx, b.Read())
		refusedUnchanged(t, net.bureau, writeSealed(t, kb.Sign(), h, raw[12+hl+64:]), "bad_signature")
	})
	t.Run("unknown sender", func(t *testing.T) {
		// A station of another bureau that uses the same code as ours.
		other := openStore(t, "")
		other.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "别的区人社局", Code: "430702"}, nil)
		other.EnsureKeys(ctx)
		file, err := other.AddStation(ctx, "430799101", "外区站")
		if err != nil {
			t.Fatal(err)
		}
		x := openStore(t, "")
		x.Enroll(ctx, file)
		r, err := x.ExportBundle(ctx, t.TempDir(), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		refusedUnchanged(t, net.bureau, r.Path, "unknown_sender")
	})
	t.Run("not for us", func(t *testing.T) {
		refusedUnchanged(t, b, good, "not_for_us")
	})
	t.Run("replayed old bundle", func(t *testing.T) {
		second := net.up(0)
		mustImport(t, net.bureau, second, "imported")
		refusedUnchanged(t, net.bureau, good, "replayed")
	})
	t.Run("rolled-back bureau bundle", func(t *testing.T) {
		d1 := net.down(0)
		d2 := net.down(0)
		mustImport(t, a, d2, "imported")
		refusedUnchanged(t, a, d1, "rolled_back")
	})

	// Archives a malicious but enrolled station could sign.
	seq := int64(100)
	code := net.codes[1]
	crafted := func(entries ...zentry) string {
		seq++
		return sealBundle(t, b, "430702", zipOf(t, append([]zentry{manifestEntry(code, "430702", seq)}, entries...)...), seq)
	}
	rec := func(name string, body []byte) zentry {
		return zentry{hdr: zip.FileHeader{Name: name, Method: zip.Deflate}, body: body}
	}
	line := visitLine(data.NewID(), code, 1000<<16)
	t.Run("a well-formed crafted bundle is accepted", func(t *testing.T) {
		mustImport(t, net.bureau, crafted(rec("records/visits.jsonl", line)), "imported")
	})
	cases := []struct {
		name string
		path func() string
	}{
		{"dot-dot path", func() string { return crafted(rec("records/../../evil.jsonl", line)) }},
		{"dot-dot file", func() string { return crafted(rec("../x", line)) }},
		{"absolute path", func() string { return crafted(rec("/etc/passwd", line)) }},
		{"windows path", func() string { return crafted(rec(`C:\x\records.jsonl`, line)) }},
		{"symlink", func() string {
			e := rec("records/visits.jsonl", []byte("/etc/passwd"))
			e.hdr.SetMode(os.ModeSymlink | 0o777)
			return crafted(e)
		}},
		{"directory", func() string {
			e := rec("records/", nil)
			e.hdr.SetMode(os.ModeDir | 0o755)
			return crafted(e)
		}},
		{"duplicate names", func() string {
			return crafted(rec("records/visits.jsonl", line), rec("records/visits.jsonl", visitLine(data.NewID(), code, 2000<<16)))
		}},
		{"unknown name", func() string { return crafted(rec("payload.exe", line)) }},
		{"huge declared size", func() string {
			return crafted(zentry{hdr: zip.FileHeader{Name: "records/visits.jsonl", Method: zip.Store, UncompressedSize64: 1 << 40, CompressedSize64: uint64(len(line)), CRC32: 0}, body: line, raw: true})
		}},
		{"size smaller than content", func() string {
			return crafted(zentry{hdr: zip.FileHeader{Name: "records/visits.jsonl", Method: zip.Store, UncompressedSize64: 10, CompressedSize64: uint64(len(line))}, body: line, raw: true})
		}},
		{"compression bomb", func() string {
			return crafted(rec("records/visits.jsonl", make([]byte, 64<<20)))
		}},
		{"10,000 entries", func() string {
			var es []zentry
			for i := 0; i < 10000; i++ {
				es = append(es, zentry{hdr: zip.FileHeader{Name: fmt.Sprintf("files/%064x", i), Method: zip.Store}, body: []byte{1}})
			}
			return crafted(es...)
		}},
		{"no manifest", func() string {
			seq++
			return sealBundle(t, b, "430702", zipOf(t, rec("records/visits.jsonl", line)), seq)
		}},
		{"manifest of another bundle", func() string {
			seq++
			return sealBundle(t, b, "430702", zipOf(t, manifestEntry(code, "430702", 1), rec("records/visits.jsonl", line)), seq)
		}},
		{"not a zip", func() string { seq++; return sealBundle(t, b, "430702", []byte("PK\x03\x04 nothing"), seq) }},
		{"record of another station", func() string {
			return crafted(rec("records/visits.jsonl", visitLine(data.NewID(), net.codes[0], 3000<<16)))
		}},
		{"record claiming another author", func() string {
			l := bytes.Replace(visitLine(data.NewID(), code, 3000<<16), []byte(`"node":"`+code+`"`), []byte(`"node":"430702101"`), 1)
			return crafted(rec("records/visits.jsonl", l))
		}},
		{"bad JSON line", func() string { return crafted(rec("records/visits.jsonl", []byte("{not json\n"))) }},
		{"wrong column type", func() string {
			l := bytes.Replace(visitLine(data.NewID(), code, 3000<<16), []byte(`"created_at":1`), []byte(`"created_at":"yesterday"`), 1)
			return crafted(rec("records/visits.jsonl", l))
		}},
		{"row id differs", func() string {
			l := bytes.Replace(visitLine("A", code, 5000<<16), []byte(`"row":{"id":"A"`), []byte(`"row":{"id":"B"`), 1)
			return crafted(rec("records/visits.jsonl", l))
		}},
		{"blob without its file", func() string {
			l := fmt.Appendf(nil, `{"id":"p1","hlc":99999999,"node":%q,"row":{"id":"p1","origin":%q,"created_at":1,"updated_at":1,"policy_id":"x","name":"a.pdf","size":1,"sha256":"00","content":{"file":"%064x"}}}`+"\n", code, code, 7)
			return crafted(rec("records/policy_attachments.jsonl", l))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.path()
			refusedUnchanged(t, net.bureau, p, "")
			if _, err := net.bureau.VerifyBundle(ctx, p); err == nil {
				t.Fatal("verify passed a bundle that import refuses")
			}
		})
	}
	// Nothing was written outside the data folder either: the importer never
	// extracts, so the names above never reach the file system.
	if _, err := os.Stat(filepath.Join(filepath.Dir(net.bureau.Dir), "evil.jsonl")); err == nil {
		t.Fatal("an entry escaped the data folder")
	}
	if err := net.bureau.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
