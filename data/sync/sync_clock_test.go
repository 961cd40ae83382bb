package sync_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"stationdesk/data"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

func notes(t testing.TB, st *data.Store, id string) string {
	t.Helper()
	var s string
	if err := st.Read().QueryRow(`SELECT notes FROM visits WHERE id = ?`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func ver(t testing.TB, st *data.Store, id string) dsync.Version {
	t.Helper()
	var v dsync.Version
	st.Read().QueryRow(`SELECT hlc, node FROM sync_changes WHERE kind = 'visits' AND id = ?`, id).Scan(&v.HLC, &v.Node)
	return v
}

// syncAround delivers every station's bundle up, then the bureau's down.
func (n *syncNet) syncAround() {
	for i, st := range n.stations {
		mustImport(n.t, n.bureau, n.up(i), "imported")
		mustImport(n.t, st, n.down(i), "imported")
	}
}

// TestSyncWrongClock: a station PC set three years ahead is detected, its
// stamps are re-issued under the bureau's clock, and it does not win a
// concurrent edit against the bureau just because its clock is wrong.
func TestSyncWrongClock(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	edit(t, st, `UPDATE sync_state SET skew_ms = ? WHERE one = 1`, int64(3*365*86400000))
	id := data.NewID()
	edit(t, st, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '首次')`, id, net.codes[0])
	r := mustImport(t, net.bureau, net.up(0), "imported")
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "时钟超前") {
		t.Fatalf("no clock warning: %+v", r)
	}
	if v := ver(t, net.bureau, id); v.Node != "430702" || dsync.HlcMillis(v.HLC) > store.NowMillis()+dsync.MaxClockAhead.Milliseconds() {
		t.Fatalf("the bureau kept the future stamp %+v", v)
	}
	var bureauClock int64
	net.bureau.Read().QueryRow(`SELECT hlc FROM sync_state`).Scan(&bureauClock)
	if dsync.HlcMillis(bureauClock) > store.NowMillis()+dsync.MaxClockAhead.Milliseconds() {
		t.Fatal("the bureau's clock jumped ahead")
	}
	peers, _ := net.bureau.SyncBoard(ctx, store.Now())
	if peers[0].ClockAheadMs < 2*365*86400000 {
		t.Fatalf("board does not show the clock: %+v", peers[0])
	}
	mustImport(t, st, net.down(0), "imported")
	if v := ver(t, st, id); v.Node != "430702" {
		t.Fatalf("station did not take the re-issued version: %+v", v)
	}
	// Concurrent edits: the bureau's, then the station's from the future.
	edit(t, net.bureau, `UPDATE visits SET notes = '局端修改' WHERE id = ?`, id)
	edit(t, st, `UPDATE visits SET notes = '站点修改' WHERE id = ?`, id)
	net.syncAround()
	net.syncAround()
	if a, b := notes(t, st, id), notes(t, net.bureau, id); a != b || a != "局端修改" {
		t.Fatalf("station %q, bureau %q: the wrong clock won", a, b)
	}
	cs, _ := net.bureau.Conflicts(ctx, false, 10)
	if len(cs) != 1 || cs[0].LoserNode != net.codes[0] {
		t.Fatalf("conflicts %+v", cs)
	}
}

// TestSyncSettleConflict: a concurrent edit is kept for review, the bureau
// takes the other side, and its choice travels down.
func TestSyncSettleConflict(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	id := data.NewID()
	edit(t, st, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '首次')`, id, net.codes[0])
	net.syncAround()
	edit(t, st, `UPDATE visits SET notes = '站点修改' WHERE id = ?`, id)
	edit(t, net.bureau, `UPDATE visits SET notes = '局端修改' WHERE id = ?`, id)
	net.syncAround()
	net.syncAround()
	winner := notes(t, net.bureau, id)
	if notes(t, st, id) != winner {
		t.Fatal("copies differ after a conflict")
	}
	cs, err := net.bureau.Conflicts(ctx, false, 10)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v %v", cs, err)
	}
	if len(cs[0].Fields) != 1 || cs[0].Fields[0].Name != "notes" || cs[0].Fields[0].Current != winner {
		t.Fatalf("conflict fields %+v", cs[0].Fields)
	}
	loser := cs[0].Fields[0].Loser
	if err := st.SettleConflict(ctx, cs[0].N, true, "x"); err == nil {
		t.Fatal("a station settled a conflict")
	}
	if err := net.bureau.SettleConflict(ctx, cs[0].N, true, "王科长"); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.SettleConflict(ctx, cs[0].N, true, "王科长"); err == nil {
		t.Fatal("settled twice")
	}
	net.syncAround()
	if a, b := notes(t, st, id), notes(t, net.bureau, id); a != loser || b != loser {
		t.Fatalf("after settling: station %q, bureau %q, want %q", a, b, loser)
	}
	if open, _ := net.bureau.Conflicts(ctx, false, 10); len(open) != 0 {
		t.Fatalf("still open: %+v", open)
	}
}

// TestSyncTombstoneAndDown: a deletion travels up as a tombstone; the
// bureau's policies, roster changes and replies travel down.
func TestSyncTombstoneAndDown(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	a, b := net.stations[0], net.stations[1]
	vid, oid := data.NewID(), data.NewID()
	edit(t, a, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id) VALUES (?, ?, 1, 1, '2026-11-01', 'r')`, vid, net.codes[0])
	edit(t, a, `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, 1, 1, '2026-11-01', '希望增加办理点')`, oid, net.codes[0])
	net.syncAround()
	edit(t, a, `UPDATE visits SET deleted = 1 WHERE id = ?`, vid)
	pid := data.NewID()
	edit(t, net.bureau, `INSERT INTO policies(id, origin, created_at, updated_at, title, source) VALUES (?, '430702', 1, 1, '关于城乡居民养老保险的通知', 'local')`, pid)
	pdf := append([]byte("%PDF-1.4 "), make([]byte, 200000)...)
	for i := range pdf[9:] {
		pdf[9+i] = byte(i * 7)
	}
	aid := data.NewID()
	edit(t, net.bureau, `INSERT INTO policy_attachments(id, origin, created_at, updated_at, policy_id, name, size, sha256, content) VALUES (?, '430702', 1, 1, ?, '通知原文.pdf', ?, ?, ?)`, aid, pid, len(pdf), fmt.Sprintf("%x", sha256.Sum256(pdf)), pdf)
	edit(t, net.bureau, `UPDATE opinions SET reply = '已增设代办点', status = '已答复' WHERE id = ?`, oid)
	edit(t, net.bureau, `INSERT INTO officers(id, origin, created_at, updated_at, name, station_code) VALUES (?, '430702', 1, 1, '李明', ?)`, data.NewID(), net.codes[1])
	net.syncAround()
	var del int
	net.bureau.Read().QueryRow(`SELECT deleted FROM visits WHERE id = ?`, vid).Scan(&del)
	if del != 1 {
		t.Fatal("the tombstone did not travel")
	}
	var reply string
	a.Read().QueryRow(`SELECT reply FROM opinions WHERE id = ?`, oid).Scan(&reply)
	if reply != "已增设代办点" {
		t.Fatalf("reply %q did not travel down", reply)
	}
	for i, st := range []*data.Store{a, b} {
		var n int
		st.Read().QueryRow(`SELECT count(*) FROM policies WHERE id = ?`, pid).Scan(&n)
		if n != 1 {
			t.Fatalf("station %d lacks the bureau's policy", i)
		}
	}
	for i, st := range []*data.Store{a, b} {
		var got []byte
		if err := st.Read().QueryRow(`SELECT content FROM policy_attachments WHERE id = ?`, aid).Scan(&got); err != nil || !bytes.Equal(got, pdf) {
			t.Fatalf("station %d: attachment not carried byte for byte (%d bytes, %v)", i, len(got), err)
		}
	}
	var officers int
	b.Read().QueryRow(`SELECT count(*) FROM officers WHERE name = '李明'`).Scan(&officers)
	var leaked int
	a.Read().QueryRow(`SELECT count(*) FROM officers WHERE name = '李明'`).Scan(&leaked)
	var opinionsAtB int
	b.Read().QueryRow(`SELECT count(*) FROM opinions`).Scan(&opinionsAtB)
	if officers != 1 || leaked != 0 || opinionsAtB != 0 {
		t.Fatalf("roster change: %d at its station, %d elsewhere; %d of another station's opinions leaked", officers, leaked, opinionsAtB)
	}
	_ = ctx
}

func TestEnrolmentRefusals(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	if _, err := net.bureau.AddStation(ctx, net.codes[0], "重复"); err == nil {
		t.Fatal("enrolled the same station twice")
	}
	if _, err := net.stations[0].AddStation(ctx, "430702109", "站点不能登记站点"); err == nil {
		t.Fatal("a station enrolled a station")
	}
	file, err := net.bureau.AddStation(ctx, "430702108", "新站")
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte(strings.Replace(string(file), "430702108", "430702107", 1))
	if _, err := openStore(t, "").Enroll(ctx, bad); err == nil {
		t.Fatal("an altered enrolment file was accepted")
	}
	if _, err := net.stations[0].Enroll(ctx, file); err == nil {
		t.Fatal("another station's enrolment file was accepted")
	}
	if _, err := openStore(t, "").Enroll(ctx, []byte("{}")); err == nil {
		t.Fatal("garbage accepted")
	}
}
