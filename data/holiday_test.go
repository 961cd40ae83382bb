package data

import (
	"context"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		panic(err)
	}
	return d
}

func TestHolidayCalendarBuiltIn(t *testing.T) {
	c := builtinCalendar(2025, 2027)
	for _, tc := range []struct {
		date    string
		working bool
	}{
		{"2025-01-01", false}, {"2025-01-26", true}, {"2025-02-08", true}, {"2025-10-08", false}, {"2025-10-11", true},
		{"2026-01-02", false}, {"2026-01-04", true}, {"2026-02-14", true}, {"2026-02-16", false}, {"2026-02-23", false},
		{"2026-02-28", true}, {"2026-06-19", false}, {"2026-09-20", true}, {"2026-10-10", true}, {"2026-10-09", true},
		{"2026-12-05", false}, {"2026-12-07", true},
		// 2027: not announced; the fixed statutory days only.
		{"2027-01-01", false}, {"2027-05-03", true}, {"2027-10-01", false}, {"2027-10-04", true},
	} {
		if got := c.WorkingDay(day(tc.date)); got != tc.working {
			t.Errorf("%s: working %v, want %v", tc.date, got, tc.working)
		}
	}
	if !c.Announced(2025) || !c.Announced(2026) || c.Announced(2027) {
		t.Errorf("announced: 2025 %v, 2026 %v, 2027 %v", c.Announced(2025), c.Announced(2026), c.Announced(2027))
	}
	// 端午 2026 falls on the third Friday of June: the nearest working day is the Thursday before.
	if d, ok := c.NearestWorkingDay(day("2026-06-19")); !ok || d.Format("2006-01-02") != "2026-06-18" {
		t.Errorf("nearest working day to 2026-06-19: %v", d)
	}
}

// TestRotaFollowsHolidays: the rota skips 2027-01-01 and the Spring Festival,
// and puts leaders on the Saturdays worked instead (调休).
func TestRotaFollowsHolidays(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	ls := ledgerLeaders(t, st)
	ids := []string{ls[0].ID, ls[1].ID}
	got, err := st.GenerateRota(ctx, "2026-12-28", "2027-01-08", ids)
	if err != nil {
		t.Fatal(err)
	}
	dates := map[string]bool{}
	for _, d := range got {
		dates[d.Date] = true
	}
	if dates["2027-01-01"] || !dates["2026-12-31"] || !dates["2027-01-04"] || len(got) != 9 {
		t.Fatalf("rota over New Year: %v (%d duties)", dates, len(got))
	}
	got, err = st.GenerateRota(ctx, "2026-02-09", "2026-03-01", ids)
	if err != nil {
		t.Fatal(err)
	}
	dates = map[string]bool{}
	for _, d := range got {
		dates[d.Date] = true
	}
	for _, d := range []string{"2026-02-14", "2026-02-28", "2026-02-13", "2026-02-24"} {
		if !dates[d] {
			t.Errorf("%s (worked) not on the rota", d)
		}
	}
	for _, d := range []string{"2026-02-16", "2026-02-20", "2026-02-23", "2026-02-21", "2026-03-01"} {
		if dates[d] {
			t.Errorf("%s (day off) on the rota", d)
		}
	}
	// The bureau enters 2027's Spring Festival: the rota follows, and a worked Sunday too.
	if _, err := st.SetHoliday(ctx, "2027-02-08", DayHoliday, "春节"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetHoliday(ctx, "2027-02-07", DayWorkday, "春节调休上班"); err != nil {
		t.Fatal(err)
	}
	got, err = st.GenerateRota(ctx, "2027-02-05", "2027-02-09", ids)
	if err != nil {
		t.Fatal(err)
	}
	var ds []string
	for _, d := range got {
		ds = append(ds, d.Date)
	}
	if len(ds) != 3 || ds[0] != "2027-02-05" || ds[1] != "2027-02-07" || ds[2] != "2027-02-09" {
		t.Fatalf("rota with the bureau's entries: %v", ds)
	}
	if _, err := st.SetHoliday(ctx, "2027-02-08", "day off", "春节"); ErrorKind(err) != KindInvalid {
		t.Fatalf("a bad kind: %v", err)
	}
	if _, err := st.SetHoliday(ctx, "2027-02-30", DayHoliday, "春节"); ErrorKind(err) != KindInvalid {
		t.Fatalf("a bad date: %v", err)
	}
}

// TestHolidaysTravelDown: the bureau's entries reach every station in its
// next bundle; a station cannot keep a calendar of its own.
func TestHolidaysTravelDown(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 2)
	if _, err := net.bureau.SetHoliday(ctx, "2027-02-08", DayHoliday, "春节"); err != nil {
		t.Fatal(err)
	}
	if _, err := net.bureau.SetHoliday(ctx, "2026-12-31", DayHoliday, "本地休假"); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.RemoveHoliday(ctx, "2026-12-31"); err != nil {
		t.Fatal(err)
	}
	for i, st := range net.stations {
		mustImport(t, st, net.down(i), "imported")
		c, err := st.HolidayCalendar(ctx, 2026, 2027)
		if err != nil {
			t.Fatal(err)
		}
		if c.WorkingDay(day("2027-02-08")) || !c.Announced(2027) {
			t.Errorf("station %d: the bureau's 2027-02-08 holiday did not arrive", i)
		}
		if !c.WorkingDay(day("2026-12-31")) {
			t.Errorf("station %d: a removed entry still holds", i)
		}
		if _, err := st.SetHoliday(ctx, "2027-02-09", DayHoliday, "春节"); ErrorKind(err) != KindInvalid {
			t.Errorf("station %d set a holiday: %v", i, err)
		}
	}
}

// TestStudyDayOnHoliday: in 2026 the third Fridays of February (春节) and
// June (端午节) are holidays: the calendar flags them with the nearest
// working day; other months are not flagged.
func TestStudyDayOnHoliday(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	for _, st := range []*Store{net.stations[0], net.bureau} {
		days, err := st.StudyCalendar(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]string{"2026-02-20": {"春节", "2026-02-24"}, "2026-06-19": {"端午节", "2026-06-18"}}
		flagged := 0
		for _, d := range days {
			if d.Holiday != "" {
				flagged++
				w := want[d.Date.Format("2006-01-02")]
				if d.Holiday != w[0] || d.Suggest.Format("2006-01-02") != w[1] {
					t.Errorf("flagged %s (%s), suggested %s", d.Date.Format("2006-01-02"), d.Holiday, d.Suggest.Format("2006-01-02"))
				}
			}
		}
		// The demo station moved some study days already; the bureau moved none.
		if flagged != len(want) && st == net.bureau || flagged == 0 {
			t.Errorf("%d study days flagged, want %d", flagged, len(want))
		}
	}
	days, _ := net.bureau.StudyCalendar(ctx, 2026)
	// Two of the three stations ran the demo (a study day every month up to November).
	for _, d := range days {
		if d.Stations != 3 {
			t.Fatalf("%s: %d stations, want 3", d.Date.Format("2006-01"), d.Stations)
		}
		if d.Date.Month() <= 10 && d.StationsLogged != 2 {
			t.Errorf("%s: %d stations logged, want 2", d.Date.Format("2006-01"), d.StationsLogged)
		}
	}
}
