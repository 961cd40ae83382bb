package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStationDrillMasked(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	d, err := net.bureau.StationDrill(ctx, net.codes[0], DrillQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Residents) != count(t, net.stations[0], `SELECT count(*) FROM residents WHERE deleted = 0`) || len(d.Visits) == 0 || len(d.Trainings) == 0 || len(d.Opinions) == 0 {
		t.Fatalf("drill-down: %d residents, %d visits, %d trainings, %d opinions", len(d.Residents), len(d.Visits), len(d.Trainings), len(d.Opinions))
	}
	for _, r := range d.Residents {
		if !strings.Contains(r.IDNumber, "*") || !strings.Contains(r.Phone, "*") {
			t.Fatalf("resident shown unmasked: %s %s", r.IDNumber, r.Phone)
		}
	}
	for _, o := range d.Opinions {
		if o.Origin != net.codes[0] {
			t.Fatalf("another station's opinion in the drill-down: %s", o.Origin)
		}
	}
	if other, _ := net.bureau.StationDrill(ctx, net.codes[2], DrillQuery{Limit: 50}); len(other.Residents)+len(other.Visits) != 0 {
		t.Fatal("the silent station shows records")
	}
}

// TestOpinionAnswerTravelsDown: the queue holds every station's opinions; the
// bureau's answer reaches the station in its next down-bundle.
func TestOpinionAnswerTravelsDown(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	q, err := net.bureau.OpinionQueue(ctx, "", "已记录", 100)
	if err != nil {
		t.Fatal(err)
	}
	origins := map[string]bool{}
	for _, o := range q {
		origins[o.Origin] = true
	}
	if len(origins) != 2 || len(q) != count(t, net.bureau, `SELECT count(*) FROM opinions WHERE status = '已记录' AND deleted = 0`) {
		t.Fatalf("queue: %d opinions from %d stations", len(q), len(origins))
	}
	op := q[0]
	i := 0
	if op.Origin == net.codes[1] {
		i = 1
	}
	if err := net.stations[i].AnswerOpinion(ctx, op.ID, "x", "站长"); err == nil {
		t.Fatal("a station answered for the bureau")
	}
	if err := net.bureau.AnswerOpinion(ctx, op.ID, " ", "王科长"); err == nil {
		t.Fatal("an empty reply was accepted")
	}
	if err := net.bureau.AnswerOpinion(ctx, op.ID, "已协调医保局在村卫生室设代办点。", "王科长"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.stations[i], net.down(i), "imported")
	var status, reply string
	net.stations[i].Read().QueryRow(`SELECT status, reply FROM opinions WHERE id = ?`, op.ID).Scan(&status, &reply)
	if status != "已答复" || reply != "已协调医保局在村卫生室设代办点。" {
		t.Fatalf("at the station: %s %q", status, reply)
	}
}

// TestPolicyDeliveries: a station has a policy's version once its receipt says so.
func TestPolicyDeliveries(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	pid := NewID()
	edit(t, net.bureau, `INSERT INTO policies(id, origin, created_at, updated_at, title, doc_no, source) VALUES (?, '430702', 1, 1, '关于做好养老金资格认证的通知', '示人社发〔2026〕8号', 'local')`, pid)
	ds, err := net.bureau.PolicyDeliveries(ctx, 10)
	if err != nil || len(ds) != 1 || len(ds[0].Pending) != 2 || len(ds[0].Received) != 0 {
		t.Fatalf("before: %+v %v", ds, err)
	}
	mustImport(t, net.stations[0], net.down(0), "imported")
	mustImport(t, net.bureau, net.up(0), "imported") // carries the receipt
	ds, _ = net.bureau.PolicyDeliveries(ctx, 10)
	if len(ds[0].Received) != 1 || ds[0].Received[0] != net.codes[0] || len(ds[0].Pending) != 1 || ds[0].Pending[0] != net.codes[1] {
		t.Fatalf("after the receipt: %+v", ds[0])
	}
	// A new version is pending again until the next receipt.
	edit(t, net.bureau, `UPDATE policies SET summary = '新版摘要' WHERE id = ?`, pid)
	ds, _ = net.bureau.PolicyDeliveries(ctx, 10)
	if len(ds[0].Received) != 0 {
		t.Fatalf("a changed policy still counts as received: %+v", ds[0])
	}
}

// TestStationDrillPages: the drill-down says how many records there are and
// pages through all of them; a search narrows every kind and its count.
func TestStationDrillPages(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	code := net.codes[0]
	visits := count(t, net.bureau, `SELECT count(*) FROM visits WHERE origin = ? AND deleted = 0`, code)
	residents := count(t, net.bureau, `SELECT count(*) FROM residents WHERE origin = ? AND deleted = 0`, code)
	const page = 25
	if visits <= 2*page || residents <= page {
		t.Fatalf("test data too thin: %d visits, %d residents", visits, residents)
	}
	seen := map[string]bool{}
	for off := 0; off < visits; off += page {
		d, err := net.bureau.StationDrill(ctx, code, DrillQuery{Limit: page, Offset: map[string]int{DrillVisits: off}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Totals[DrillVisits] != visits || d.Totals[DrillResidents] != residents {
			t.Fatalf("totals %v, want %d visits and %d residents", d.Totals, visits, residents)
		}
		if want := min(page, visits-off); len(d.Visits) != want || len(d.Residents) != page {
			t.Fatalf("page at %d: %d visits (want %d), %d residents", off, len(d.Visits), want, len(d.Residents))
		}
		for _, v := range d.Visits {
			if seen[v.ID] {
				t.Fatalf("visit %s on two pages", v.ID)
			}
			seen[v.ID] = true
		}
	}
	if len(seen) != visits {
		t.Fatalf("paged through %d visits of %d", len(seen), visits)
	}
	var name string
	if err := net.bureau.Read().QueryRow(`SELECT name FROM residents WHERE origin = ? AND deleted = 0 LIMIT 1`, code).Scan(&name); err != nil {
		t.Fatal(err)
	}
	d, err := net.bureau.StationDrill(ctx, code, DrillQuery{Search: name})
	if err != nil {
		t.Fatal(err)
	}
	wantRes := count(t, net.bureau, `SELECT count(*) FROM residents WHERE origin = ? AND deleted = 0 AND (instr(name, ?) > 0 OR instr(village, ?) > 0 OR instr(address, ?) > 0)`, code, name, name, name)
	if d.Totals[DrillResidents] != wantRes || len(d.Residents) != wantRes || wantRes == 0 {
		t.Fatalf("search %q: %d residents (total %d), want %d", name, len(d.Residents), d.Totals[DrillResidents], wantRes)
	}
	if d.Totals[DrillVisits] >= visits {
		t.Fatalf("search %q did not narrow the visits: %d of %d", name, d.Totals[DrillVisits], visits)
	}
}

// TestOpinionStatusesConverge: a station reports and no further (the reply
// and a status from 已答复 on are the bureau's); the bureau answers and
// closes, and after a round trip both copies hold the same opinion.
func TestOpinionStatusesConverge(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	officer := Officer{Name: "王秀英", Role: "站长"}
	if err := st.AddOfficer(ctx, &officer); err != nil {
		t.Fatal(err)
	}
	o := &Opinion{Date: time.Now().Format(time.DateOnly), Source: "窗口", Category: "医疗保险", Content: "村卫生室能否代办医保报销"}
	if err := st.AddOpinion(ctx, o, officer.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.AdvanceOpinion(ctx, o.ID, "已上报", "", officer.ID); err != nil {
		t.Fatal(err)
	}
	for _, status := range []string{"已答复", "已办结"} {
		if err := st.AdvanceOpinion(ctx, o.ID, status, "站里答复了", officer.ID); ErrorKind(err) != KindInvalid {
			t.Fatalf("a station moved its opinion to %s: %v", status, err)
		}
	}
	mustImport(t, net.bureau, net.up(0), "imported")
	if err := net.bureau.AnswerOpinion(ctx, o.ID, "已协调医保局在村卫生室设代办点。", "王科长"); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.AdvanceOpinion(ctx, o.ID, "已办结", "", "王科长"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, st, net.down(0), "imported")
	row := func(s *Store) string {
		var status, reply, by string
		var at int64
		if err := s.Read().QueryRow(`SELECT status, reply, status_by, status_at FROM opinions WHERE id = ?`, o.ID).Scan(&status, &reply, &by, &at); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s|%s|%s|%d", status, reply, by, at)
	}
	if got, want := row(st), row(net.bureau); got != want || !strings.HasPrefix(got, "已办结|已协调") {
		t.Fatalf("station %s, bureau %s", got, want)
	}
	// The station's next bundle changes nothing at the bureau.
	mustImport(t, net.bureau, net.up(0), "imported")
	if got, want := row(st), row(net.bureau); got != want {
		t.Fatalf("after the next round trip: station %s, bureau %s", got, want)
	}
}
