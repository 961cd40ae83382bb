package data

import (
	"context"
	"testing"
	"time"
)

// TestFollowupCountsAgree: the station's 首页, the bureau's overview, its
// drill-down and the monthly report give the same open and overdue
// follow-ups on the same data; a follow-up due today is open and not
// overdue, one due yesterday is overdue, everywhere.
func TestFollowupCountsAgree(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	st, code := net.stations[0], net.codes[0]
	now := time.Now()
	today, yesterday := now.Format("2006-01-02"), now.AddDate(0, 0, -1).Format("2006-01-02")
	var resident, officer string
	if err := st.Read().QueryRow(`SELECT id FROM residents WHERE deleted = 0 LIMIT 1`).Scan(&resident); err != nil {
		t.Fatal(err)
	}
	if err := st.Read().QueryRow(`SELECT id FROM officers WHERE deleted = 0 LIMIT 1`).Scan(&officer); err != nil {
		t.Fatal(err)
	}
	visit := func(due string) string {
		v := &Visit{Date: yesterday, ResidentID: resident, OfficerIDs: []string{officer}, Services: []string{"政策解读"}, Outcome: "已解答",
			FollowupNeeded: true, FollowupDue: due}
		if err := st.AddVisit(ctx, v, nil, nil); err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	dueToday, dueYesterday := visit(today), visit(yesterday)
	mustImport(t, net.bureau, net.up(0), "imported")

	// Independent count: every visit read and judged here by plain string comparison.
	var want FollowupCount
	rows, err := st.Read().Query(`SELECT followup_needed, followup_done_at, followup_due FROM visits WHERE deleted = 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var needed int
		var done, due string
		if err := rows.Scan(&needed, &done, &due); err != nil {
			t.Fatal(err)
		}
		if needed == 1 && done == "" {
			want.Open++
			if due != today && due < today {
				want.Overdue++
			}
		}
	}
	rows.Close()
	if want.Open < 2 || want.Overdue < 1 {
		t.Fatalf("test data too thin: %+v", want)
	}

	ways := map[string]FollowupCount{}
	open, overdue, err := st.CountFollowups(ctx, VisitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ways["station 首页"] = FollowupCount{open, overdue}
	ov, err := net.bureau.BureauOverview(ctx, now.Format("2006-01"), now, DefaultStaleDays)
	if err != nil {
		t.Fatal(err)
	}
	for _, so := range ov.Stations {
		if so.Code == code {
			ways["bureau overview (month)"] = FollowupCount{so.Month.OpenFollowups, so.Month.OverdueFollowups}
			ways["bureau overview (year)"] = FollowupCount{so.Year.OpenFollowups, so.Year.OverdueFollowups}
		}
	}
	d, err := net.bureau.StationDrill(ctx, code, DrillQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ways["drill-down"] = d.Followups
	rep, err := net.bureau.MonthlyReport(ctx, now.Format("2006-01"), now)
	if err != nil {
		t.Fatal(err)
	}
	_, table := rep.reportTable("上门服务")
	for _, row := range table {
		if row[0] == code {
			ways["monthly report"] = FollowupCount{row[4].(int), row[5].(int)}
		}
	}
	if len(ways) != 5 {
		t.Fatalf("figures found: %v", ways)
	}
	for way, got := range ways {
		if got != want {
			t.Errorf("%s: %+v, want %+v", way, got, want)
		}
	}

	// The two visits of today's test, as each list flags them.
	flags := map[string]bool{}
	for _, v := range d.Visits {
		flags[v.ID] = v.Overdue
	}
	queue, err := st.FollowupQueue(ctx, VisitFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	qflags := map[string]bool{}
	for _, v := range queue {
		qflags[v.ID] = v.Overdue
	}
	for name, fl := range map[string]map[string]bool{"drill-down": flags, "station queue": qflags} {
		if o, ok := fl[dueToday]; !ok || o {
			t.Errorf("%s: follow-up due today listed %v, overdue %v; want listed, not overdue", name, ok, o)
		}
		if o, ok := fl[dueYesterday]; !ok || !o {
			t.Errorf("%s: follow-up due yesterday listed %v, overdue %v; want overdue", name, ok, o)
		}
	}
}
