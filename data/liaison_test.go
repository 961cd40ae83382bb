package data

import (
	"context"
	"testing"
	"time"
)

func TestLiaisonVisitTravelsToItsStation(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	b := net.bureau
	cadre := Officer{Name: "吴卫东", Role: "科室干部"}
	if err := b.AddOfficer(ctx, &cadre); err != nil {
		t.Fatal(err)
	}
	if err := b.AssignStations(ctx, cadre.ID, []string{net.codes[0], net.codes[1]}); err != nil {
		t.Fatal(err)
	}
	if err := b.AssignStations(ctx, cadre.ID, []string{"999999999"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("assignment to an unknown station: %v", err)
	}
	today := time.Now().Format("2006-01-02")
	v := LiaisonVisit{OfficerID: cadre.ID, StationCode: net.codes[0], Date: today, Discussed: "资格认证进度", Problems: "两个村网络不通",
		Help: "协调移动公司", Followup: "月底回访"}
	if err := b.AddLiaisonVisit(ctx, &v); err != nil {
		t.Fatal(err)
	}
	if err := b.AddLiaisonVisit(ctx, &LiaisonVisit{OfficerID: cadre.ID, StationCode: net.codes[0], Date: today}); ErrorKind(err) != KindInvalid {
		t.Fatalf("visit without what was discussed: %v", err)
	}
	sum, err := b.LiaisonSummary(ctx, time.Now().Year())
	if err != nil || len(sum) != 1 || len(sum[0].Stations) != 2 || sum[0].Visits != 1 || sum[0].Visited != 1 || sum[0].OfficerName != "吴卫东" {
		t.Fatalf("summary %+v %v", sum, err)
	}
	if sum, _ = b.LiaisonSummary(ctx, time.Now().Year()-1); len(sum) != 1 || sum[0].Visits != 0 {
		t.Fatalf("last year's summary %+v", sum)
	}

	// The visit, and the assignment, reach the station visited in its next down-bundle.
	mustImport(t, net.stations[0], net.down(0), "imported")
	got, err := net.stations[0].LiaisonVisits(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != v.ID || got[0].OfficerName != "吴卫东" || got[0].Problems != "两个村网络不通" ||
		got[0].Help != "协调移动公司" || got[0].Followup != "月底回访" || got[0].Discussed != "资格认证进度" || got[0].Origin != "430702" {
		t.Fatalf("station got %+v", got)
	}
	as, _ := net.stations[0].LiaisonAssignments(ctx)
	if len(as) != 1 || as[0].StationCode != net.codes[0] {
		t.Fatalf("station 0 assignments %+v", as)
	}
	// The other station gets its assignment but not the visit.
	mustImport(t, net.stations[1], net.down(1), "imported")
	if got, _ := net.stations[1].LiaisonVisits(ctx, "", ""); len(got) != 0 {
		t.Fatalf("station 1 got another station's visit: %+v", got)
	}
	if as, _ := net.stations[1].LiaisonAssignments(ctx); len(as) != 1 || as[0].StationCode != net.codes[1] {
		t.Fatalf("station 1 assignments %+v", as)
	}
	// Releasing a station sends the tombstone down.
	if err := b.AssignStations(ctx, cadre.ID, []string{net.codes[1]}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.stations[0], net.down(0), "imported")
	if as, _ := net.stations[0].LiaisonAssignments(ctx); len(as) != 0 {
		t.Fatalf("released assignment still at the station: %+v", as)
	}
}

// Personnel-file loans are the bureau's alone: they never go down to a station.
func TestLendingStaysAtTheBureau(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	today := time.Now().Format("2006-01-02")
	l := Lending{HolderName: "张三", BorrowerUnit: "区委组织部", Borrower: "刘军", Purpose: "考察", ApprovedBy: "周敏", DateOut: today, DateDue: today}
	if err := net.bureau.SaveLending(ctx, &l); err != nil {
		t.Fatal(err)
	}
	if _, err := net.bureau.ReviewWeek(ctx, time.Now(), "孙丽", ""); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.stations[0], net.down(0), "imported")
	stats, _ := net.stations[0].Stats(ctx)
	if stats["archive_lendings"] != 0 || stats["lending_reviews"] != 0 {
		t.Fatalf("the station received the bureau's lending ledger: %v", stats)
	}
}
