package sync_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"stationdesk/assets"
	"stationdesk/data"
	"stationdesk/data/demo"
	dsync "stationdesk/data/sync"
)

// sealAs builds a bundle from `from` to `to` as a holder of from's keys
// would, from the format page: any header values, correctly signed and
// encrypted, with a manifest that matches.
func sealAs(t testing.TB, from *data.Store, to string, seq int64, epoch string, entries ...zentry) string {
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
	m, _ := json.Marshal(dsync.Manifest{Sender: ident.Code, Receiver: to, Seq: seq, Epoch: epoch, Created: 1})
	archive := zipOf(t, append([]zentry{{hdr: zip.FileHeader{Name: "manifest.json", Method: zip.Deflate}, body: m}}, entries...)...)
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

func epochOfStore(t testing.TB, st *data.Store) string {
	t.Helper()
	e, err := st.Epoch(context.Background())
	if err != nil || len(e) != 32 {
		t.Fatalf("epoch %q: %v", e, err)
	}
	return e
}

// addOfficer adds an officer of st's own through the program's own path.
func addOfficer(t testing.TB, st *data.Store, name string) string {
	t.Helper()
	ctx := context.Background()
	ident, _, _ := st.Identity(ctx)
	o := &data.Officer{Name: name, Role: "劳保专干", StationCode: ident.Code, Active: true}
	if err := st.AddOfficer(ctx, o); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func addBureauPolicy(t testing.TB, st *data.Store, title string) string {
	t.Helper()
	p := &data.Policy{Title: title, Category: "养老保险", Status: "现行有效", Summary: "摘要"}
	if err := st.AddPolicy(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func demoData(t testing.TB, st *data.Store, seed uint64) {
	t.Helper()
	if _, err := runDemo(context.Background(), st, demo.Options{Residents: 8, Visits: 12, Policies: 2, Seed: seed, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
}

// roundTrip is one ordinary round trip of station i: up, then down.
func (n *syncNet) roundTrip(i int) {
	n.t.Helper()
	for _, r := range []*dsync.ImportResult{mustImport(n.t, n.bureau, n.up(i), "imported"), mustImport(n.t, n.stations[i], n.down(i), "imported")} {
		if r.KeyWarning {
			n.t.Fatalf("an honest round trip warns of a leaked key: %v", r.Warnings)
		}
	}
}

// sameScope fails unless station i and the bureau hold the same records of
// the station's reach.
func (n *syncNet) sameScope(t *testing.T, i int) {
	t.Helper()
	code := n.codes[i]
	bureauCode := "430702"
	scope := func(kind string, row map[string]any) bool {
		k, _ := dsync.SyncKind(kind)
		return row["origin"] == code || (k.StationColumn != "" && row[k.StationColumn] == code) || (k.Broadcast && row["origin"] == bureauCode)
	}
	atBureau, atStation := snapshot(t, n.bureau, scope), snapshot(t, n.stations[i], scope)
	if len(atBureau) == 0 {
		t.Fatal("nothing in scope")
	}
	for k, v := range atBureau {
		if atStation[k] != v {
			t.Errorf("station %s: %s\n station %s\n bureau  %s", code, k, atStation[k], v)
		}
	}
	for k := range atStation {
		if _, ok := atBureau[k]; !ok {
			t.Errorf("bureau lacks %s of station %s", k, code)
		}
	}
}

// reopen closes a station's store and opens its folder again.
func (n *syncNet) reopen(i int) {
	n.t.Helper()
	dir := n.stations[i].Dir
	n.stations[i].Close()
	n.stations[i] = openStore(n.t, dir)
}

func has(t testing.TB, st *data.Store, table, id string) bool {
	t.Helper()
	var n int
	if err := st.Read().QueryRow("SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// Finding 6: a bundle signed with a station's key and seq = 2^63-1 is
// refused, and later genuine bundles go on importing.
func TestAbsurdSeqDoesNotLockOut(t *testing.T) {
	net := newSyncNet(t, 1)
	d := net.stations[0]
	// A bundle of an older program (no epoch) is read as before.
	mustImport(t, net.bureau, sealAs(t, d, "430702", 1, ""), "imported")
	demoData(t, d, 1)
	net.roundTrip(0)
	epoch := epochOfStore(t, d)
	for _, seq := range []int64{math.MaxInt64, 2 + dsync.MaxSeqGap} {
		refusedUnchanged(t, net.bureau, sealAs(t, d, "430702", seq, epoch), "bad_seq")
	}
	addOfficer(t, d, "王新")
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if r.Applied == 0 {
		t.Fatalf("genuine bundle after the absurd one applied nothing: %+v", r)
	}
	// A bundle of the same sequence, but different, is still a replay.
	refusedUnchanged(t, net.bureau, sealAs(t, d, "430702", r.Seq, epoch), "replayed")
	// A bundle without epoch (an older program) after one with: refused.
	refusedUnchanged(t, net.bureau, sealAs(t, d, "430702", r.Seq+1, ""), "old_epoch")
}

// With a stolen key the channel can be pushed ahead within the limit; the
// bureau re-keys the station, which brings it back, and the old key is
// refused as revoked.
func TestRekeyEndsStolenKey(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	d := net.stations[0]
	demoData(t, d, 2)
	net.roundTrip(0)
	epoch := epochOfStore(t, d)
	// The thief's bundle passes (it is signed with the real key)...
	mustImport(t, net.bureau, sealAs(t, d, "430702", 5000, epoch), "imported")
	// ...and the station learns of it from the bureau's receipt.
	if r := mustImport(t, d, net.down(0), "imported"); !r.KeyWarning {
		t.Fatalf("no warning of a bundle signed as the station: %+v", r)
	}
	// ...and the genuine station's next one is taken for a replay.
	addOfficer(t, d, "李明")
	stolen := net.up(0)
	refusedUnchanged(t, net.bureau, stolen, "replayed")

	file, err := net.bureau.RekeyStation(ctx, net.codes[0])
	if err != nil {
		t.Fatal(err)
	}
	// The old key is refused before anything else is looked at.
	refusedUnchanged(t, net.bureau, sealAs(t, d, "430702", 5001, epoch), "revoked_key")
	if _, err := d.Enroll(ctx, file); err != nil {
		t.Fatal(err)
	}
	if e := epochOfStore(t, d); e == epoch {
		t.Fatal("re-enrolment kept the epoch")
	}
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if !r.NewEpoch || r.Applied == 0 {
		t.Fatalf("first bundle with the new key: %+v", r)
	}
	mustImport(t, d, net.down(0), "imported")
	net.sameScope(t, 0)
	net.roundTrip(0)
	// Bundles written with the old key before the re-key stay refused.
	refusedUnchanged(t, net.bureau, stolen, "revoked_key")
}

// Finding 7 at a station: back up, add an officer, sync, receive from the
// bureau, restore the backup: two round trips bring everything back and the
// later bundles import normally.
func TestStationRestoreLosesNothing(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	b := net.stations[0]
	demoData(t, b, 3)
	net.roundTrip(0)
	backup, err := b.Backup(ctx, t.TempDir(), data.BackupManual)
	if err != nil {
		t.Fatal(err)
	}
	oldEpoch := epochOfStore(t, b)
	officer := addOfficer(t, b, "赵敏")
	mustImport(t, net.bureau, net.up(0), "imported")
	policy := addBureauPolicy(t, net.bureau, "关于做好城乡居民养老保险待遇领取资格认证工作的通知")
	mustImport(t, b, net.down(0), "imported")
	// A bundle the station wrote before the restore but never delivered.
	undelivered := net.up(0)

	b.Close()
	if _, err := data.Restore(ctx, b.Dir, backup, "测试"); err != nil {
		t.Fatal(err)
	}
	net.reopen(0)
	b = net.stations[0]
	if has(t, b, "officers", officer) || has(t, b, "policies", policy) {
		t.Fatal("the backup already holds what was added after it")
	}
	if epochOfStore(t, b) == oldEpoch {
		t.Fatal("restore kept the epoch")
	}
	afterRestore := addOfficer(t, b, "钱进")
	for round := 0; round < 2; round++ {
		net.roundTrip(0)
	}
	for _, x := range [][2]string{{"officers", officer}, {"policies", policy}, {"officers", afterRestore}} {
		if !has(t, b, x[0], x[1]) {
			t.Errorf("station lacks %s %s after two round trips", x[0], x[1])
		}
	}
	if !has(t, net.bureau, "officers", afterRestore) {
		t.Error("bureau lacks the officer added after the restore")
	}
	net.sameScope(t, 0)
	// Once the station has its lost officer back, editing it is no conflict.
	edit(t, b, `UPDATE officers SET duties = '后来的修改', updated_at = updated_at + 1 WHERE id = ?`, officer)
	if r := mustImport(t, net.bureau, net.up(0), "imported"); r.Conflicts != 0 || r.Applied != 1 {
		t.Fatalf("an edit of a record the station got back: %+v", r)
	}
	mustImport(t, b, net.down(0), "imported")
	// The bundle of the old history is refused now, not applied over the new one.
	refusedUnchanged(t, net.bureau, undelivered, "old_epoch")
	// Later bundles import normally; nothing is left to send.
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if r.Records != 0 || r.NewEpoch {
		t.Fatalf("after the round trips: %+v", r)
	}
	// The other station was never disturbed.
	net.roundTrip(1)
}

// Finding 7 at the bureau: the stations send again what the bureau lost, and
// the bureau's later bundles are not taken for replays.
func TestBureauRestoreLosesNothing(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	for i := range net.stations {
		demoData(t, net.stations[i], uint64(10+i))
		net.roundTrip(i)
	}
	backup, err := net.bureau.Backup(ctx, t.TempDir(), data.BackupManual)
	if err != nil {
		t.Fatal(err)
	}
	var lost []string
	for i := range net.stations {
		lost = append(lost, addOfficer(t, net.stations[i], "孙立"))
		net.roundTrip(i)
	}
	// The bureau also sent station 0 a bundle it then lost track of.
	addBureauPolicy(t, net.bureau, "关于进一步做好就业创业工作的通知")
	mustImport(t, net.stations[0], net.down(0), "imported")

	dir := net.bureau.Dir
	net.bureau.Close()
	if _, err := data.Restore(ctx, dir, backup, "测试"); err != nil {
		t.Fatal(err)
	}
	net.bureau = openStore(t, dir)
	for _, id := range lost {
		if has(t, net.bureau, "officers", id) {
			t.Fatal("the backup holds the officer already")
		}
	}
	for i := range net.stations {
		for round := 0; round < 2; round++ {
			net.roundTrip(i)
		}
		if !has(t, net.bureau, "officers", lost[i]) {
			t.Errorf("bureau did not get back station %d's officer", i)
		}
		r := mustImport(t, net.bureau, net.up(i), "imported")
		if r.Records != 0 {
			t.Errorf("station %d still sends %d records", i, r.Records)
		}
	}
	// The bureau's records of each station match again (the policy the bureau
	// wrote after its backup stays at station 0 only: see the format page).
	for i := range net.stations {
		code := net.codes[i]
		mine := func(kind string, row map[string]any) bool { return row["origin"] == code }
		a, b := snapshot(t, net.stations[i], mine), snapshot(t, net.bureau, mine)
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("station %s: %d records, bureau %d", code, len(a), len(b))
		}
		for k, v := range a {
			if b[k] != v {
				t.Errorf("%s differs", k)
			}
		}
	}
}

// A station whose PC died starts again on a new one from its enrolment file
// (the same one, or a new one after a re-key) and gets its records back.
func TestReinstalledStationGetsRecordsBack(t *testing.T) {
	ctx := context.Background()
	for _, rekey := range []bool{false, true} {
		t.Run(map[bool]string{false: "same file", true: "re-keyed"}[rekey], func(t *testing.T) {
			net := newSyncNet(t, 1)
			old := net.stations[0]
			demoData(t, old, 4)
			officer := addOfficer(t, old, "周全")
			net.roundTrip(0)
			want := snapshot(t, old, func(kind string, row map[string]any) bool { return row["origin"] == net.codes[0] })
			file := net.enrolFiles[0]
			if rekey {
				var err error
				if file, err = net.bureau.RekeyStation(ctx, net.codes[0]); err != nil {
					t.Fatal(err)
				}
			}
			old.Close()
			fresh := openStore(t, "")
			if _, err := fresh.Enroll(ctx, file); err != nil {
				t.Fatal(err)
			}
			net.stations[0] = fresh
			net.roundTrip(0)
			if !has(t, fresh, "officers", officer) {
				t.Fatal("officer not back after one round trip")
			}
			got := snapshot(t, fresh, func(kind string, row map[string]any) bool { return row["origin"] == net.codes[0] })
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s not back as it was", k)
				}
			}
			net.roundTrip(0)
			net.sameScope(t, 0)
		})
	}
}

// An enrolment file of the bureau's lost keys: the bureau starts again with
// new keys, the station re-enrols and sends everything; bundles of the old
// bureau key are refused.
func TestReenrolAfterBureauLostKeys(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	demoData(t, st, 5)
	net.roundTrip(0)
	oldDown := net.down(0)
	before := snapshot(t, st, nil)

	nb := openStore(t, "")
	if err := nb.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := nb.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	file, err := nb.AddStation(ctx, net.codes[0], "桃花镇劳动保障站")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Enroll(ctx, file); err != nil {
		t.Fatal(err)
	}
	refusedUnchanged(t, st, oldDown, "revoked_key")
	net.bureau = nb
	r := mustImport(t, nb, net.up(0), "imported")
	mine := func(kind string, row map[string]any) bool { return row["origin"] == net.codes[0] }
	if a, b := snapshot(t, st, mine), snapshot(t, nb, mine); len(b) == 0 || len(a) != len(b) {
		t.Fatalf("new bureau holds %d of the station's %d records (%+v)", len(b), len(a), r)
	}
	mustImport(t, st, net.down(0), "imported")
	after := snapshot(t, st, nil)
	for k := range before {
		if _, ok := after[k]; !ok && k[:9] != "stations/" {
			t.Errorf("station lost %s by re-enrolling", k)
		}
	}
	net.roundTrip(0)
}

// A restored station edits, before syncing, a record it had changed after its
// backup: its new edit wins everywhere, and the lost change is kept in the
// bureau's conflict list, not dropped (BundleHeader.Restored).
func TestRestoredStationEditKeepsLostOne(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	s := net.stations[0]
	id := addOfficer(t, s, "吴刚")
	net.roundTrip(0)
	backup, err := s.Backup(ctx, t.TempDir(), data.BackupManual)
	if err != nil {
		t.Fatal(err)
	}
	edit(t, s, `UPDATE officers SET duties = '丢失的修改', updated_at = updated_at + 1 WHERE id = ?`, id)
	mustImport(t, net.bureau, net.up(0), "imported")
	s.Close()
	if _, err := data.Restore(ctx, s.Dir, backup, ""); err != nil {
		t.Fatal(err)
	}
	net.reopen(0)
	s = net.stations[0]
	edit(t, s, `UPDATE officers SET duties = '恢复后的修改', updated_at = updated_at + 1 WHERE id = ?`, id)
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if r.Conflicts != 1 {
		t.Fatalf("the lost change is not kept: %+v", r)
	}
	net.roundTrip(0)
	net.roundTrip(0)
	for _, st := range []*data.Store{s, net.bureau} {
		var duties string
		st.Read().QueryRow(`SELECT duties FROM officers WHERE id = ?`, id).Scan(&duties)
		if duties != "恢复后的修改" {
			t.Fatalf("duties %q", duties)
		}
	}
	if rows := ids(t, net.bureau, `SELECT loser_row FROM sync_conflicts WHERE record_id = ?`, id); len(rows) != 1 || !strings.Contains(rows[0], "丢失的修改") {
		t.Fatalf("conflict list %v", rows)
	}
}
