package data

import (
	"context"
	"testing"
	"time"
)

var bureauDemoDay = time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)

// newBureauNet is a bureau with three enrolled stations; the first two run
// the demo and send their bundles up, the third never sends one.
func newBureauNet(t testing.TB) *syncNet {
	t.Helper()
	ctx := context.Background()
	net := newSyncNet(t, 3)
	for i, st := range net.stations[:2] {
		if _, err := runDemo(ctx, st, DemoOptions{Residents: 40, Visits: 160, Policies: 4, Seed: uint64(11 + i), Until: bureauDemoDay}); err != nil {
			t.Fatal(err)
		}
		mustImport(t, net.bureau, net.up(i), "imported")
	}
	return net
}

func count(t testing.TB, st *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Read().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestBureauOverview(t *testing.T) {
	ctx := context.Background()
	net := newBureauNet(t)
	now := time.Now()
	ov, err := net.bureau.BureauOverview(ctx, "2026-11", now, 14)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Stations) != 3 {
		t.Fatalf("%d stations, want 3", len(ov.Stations))
	}
	today := now.Format("2006-01-02")
	sumVisits := 0
	for i, so := range ov.Stations {
		code := net.codes[i]
		if so.Code != code {
			t.Fatalf("station %d is %s, want %s", i, so.Code, code)
		}
		for _, c := range []struct {
			name   string
			prefix string
			f      StationFigures
		}{{"month", "2026-11", so.Month}, {"year", "2026", so.Year}} {
			// Independent counts: substr on the stored text rather than BETWEEN, at the bureau and at the station itself.
			for _, st := range append([]*Store{net.bureau}, net.stations[i]) {
				want := map[string]int{
					"visits":    count(t, st, `SELECT count(*) FROM visits WHERE origin = ? AND deleted = 0 AND substr(date, 1, length(?)) = ?`, code, c.prefix, c.prefix),
					"residents": count(t, st, `SELECT count(*) FROM (SELECT DISTINCT resident_id FROM visits WHERE origin = ? AND deleted = 0 AND substr(date, 1, length(?)) = ?)`, code, c.prefix, c.prefix),
					// Follow-ups: every open one on the day, whatever the visit's month.
					"open":      count(t, st, `SELECT count(*) FROM visits WHERE origin = ? AND deleted = 0 AND followup_needed = 1 AND followup_done_at = ''`, code),
					"overdue":   count(t, st, `SELECT count(*) FROM visits WHERE origin = ? AND deleted = 0 AND followup_needed = 1 AND followup_done_at = '' AND followup_due <> '' AND followup_due < ?`, code, today),
					"studydays": count(t, st, `SELECT count(*) FROM trainings WHERE origin = ? AND deleted = 0 AND type = 'study_day' AND substr(date, 1, length(?)) = ?`, code, c.prefix, c.prefix),
					"recorded":  count(t, st, `SELECT count(*) FROM attendance WHERE deleted = 0 AND training_id IN (SELECT id FROM trainings WHERE origin = ? AND deleted = 0 AND type = 'study_day' AND substr(date, 1, length(?)) = ?)`, code, c.prefix, c.prefix),
					"attended":  count(t, st, `SELECT count(*) FROM attendance WHERE deleted = 0 AND status <> 'leave' AND status <> 'absent' AND training_id IN (SELECT id FROM trainings WHERE origin = ? AND deleted = 0 AND type = 'study_day' AND substr(date, 1, length(?)) = ?)`, code, c.prefix, c.prefix),
					"cards":     count(t, st, `SELECT coalesce(sum(count), 0) FROM card_handouts WHERE origin = ? AND deleted = 0 AND substr(handed_on, 1, length(?)) = ?`, code, c.prefix, c.prefix),
					"opinions":  count(t, st, `SELECT count(*) FROM opinions WHERE origin = ? AND deleted = 0 AND substr(date, 1, length(?)) = ?`, code, c.prefix, c.prefix),
					"replied":   count(t, st, `SELECT count(*) FROM opinions WHERE origin = ? AND deleted = 0 AND substr(date, 1, length(?)) = ? AND status = '已答复'`, code, c.prefix, c.prefix),
				}
				got := map[string]int{"visits": c.f.Visits, "residents": c.f.Residents, "open": c.f.OpenFollowups, "overdue": c.f.OverdueFollowups,
					"studydays": c.f.StudyDays, "recorded": c.f.Recorded, "attended": c.f.Attended, "cards": c.f.Cards,
					"opinions": c.f.OpinionTotal(), "replied": c.f.Opinions["已答复"]}
				for k, w := range want {
					if got[k] != w {
						t.Errorf("station %s %s %s: overview %d, records %d", code, c.name, k, got[k], w)
					}
				}
			}
		}
		if i < 2 {
			if so.Year.Visits == 0 || so.Year.StudyDays < 10 || so.Year.Recorded == 0 {
				t.Errorf("station %s: demo figures look empty: %+v", code, so.Year)
			}
			if so.Stale || so.LastBundle.IsZero() {
				t.Errorf("station %s just sent a bundle but is flagged stale", code)
			}
			months := 0
			for _, n := range so.VisitsByMonth {
				months += n
			}
			if months != so.Year.Visits {
				t.Errorf("station %s: visits by month add up to %d, year %d", code, months, so.Year.Visits)
			}
		} else if !so.Stale || so.Year.Visits != 0 {
			t.Errorf("the silent station: stale %v, visits %d", so.Stale, so.Year.Visits)
		}
		sumVisits += so.Month.Visits
	}
	if ov.MonthAll.Visits != sumVisits || ov.MonthAll.Visits != count(t, net.bureau, `SELECT count(*) FROM visits WHERE deleted = 0 AND date LIKE '2026-11-%'`) {
		t.Errorf("month total %d, stations %d", ov.MonthAll.Visits, sumVisits)
	}
	if r := ov.Stations[0].Year.Rate; r <= 0 || r > 1 {
		t.Errorf("attendance rate %v", r)
	}
	// Three weeks later without bundles every station is stale.
	later, err := net.bureau.BureauOverview(ctx, "2026-11", now.AddDate(0, 0, 21), 14)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(later.StaleStations()); n != 3 {
		t.Errorf("%d stale stations three weeks on, want 3", n)
	}
	if _, err := net.bureau.BureauOverview(ctx, "2026-13", now, 14); err == nil {
		t.Error("month 2026-13 accepted")
	}
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-11", "2026-13", "2026/11", "", "９９９９-01", "2026-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		if m.Day() != 1 || m.Format("2006-01") != s {
			t.Fatalf("%q read as %v", s, m)
		}
	})
}

// BenchmarkBureauOverview: three stations of 20,000 visits each at the bureau.
func BenchmarkBureauOverview(b *testing.B) {
	ctx := context.Background()
	net := newSyncNet(b, 3)
	for i, st := range net.stations {
		if _, err := runDemo(ctx, st, DemoOptions{Residents: 4000, Visits: 20000, Policies: 5, Seed: uint64(31 + i), Until: bureauDemoDay}); err != nil {
			b.Fatal(err)
		}
		mustImport(b, net.bureau, net.up(i), "imported")
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := net.bureau.BureauOverview(ctx, "2026-11", bureauDemoDay, 14); err != nil {
			b.Fatal(err)
		}
	}
}
