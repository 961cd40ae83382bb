package data

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

var (
	benchOnce  sync.Once
	benchStore *Store
	benchErr   error
)

// benchServiceStore is one database with 20,000 residents and 100,000
// visits, shared by the benchmarks of this file.
func benchServiceStore(b *testing.B) *Store {
	b.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stationdesk-bench-")
		if err != nil {
			benchErr = err
			return
		}
		st, err := Open(dir)
		if err != nil {
			benchErr = err
			return
		}
		_, benchErr = runDemo(context.Background(), st, DemoOptions{Residents: 20000, Visits: 100000, Policies: 10, Seed: 1, Until: time.Now()})
		benchStore = st
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

func BenchmarkFollowupQueue(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rows, err := st.FollowupQueue(ctx, VisitFilter{Limit: 50})
		if err != nil || len(rows) != 50 {
			b.Fatal(len(rows), err)
		}
	}
}

func BenchmarkFollowupCount(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := st.CountFollowups(ctx, VisitFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFollowupQueueVillage(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if rows, err := st.FollowupQueue(ctx, VisitFilter{Village: "桃花村", Limit: 50}); err != nil || len(rows) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisitList(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		rows, err := st.Visits(ctx, VisitFilter{Limit: 50})
		if err != nil || len(rows) != 50 {
			b.Fatal(len(rows), err)
		}
	}
}

func BenchmarkVisitCount(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.CountVisits(ctx, VisitFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisitListFiltered(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	month := time.Now().AddDate(0, -2, 0).Format("2006-01")
	for b.Loop() {
		if rows, err := st.Visits(ctx, VisitFilter{Village: "桃花村", Category: "高龄", Month: month, Limit: 50}); err != nil || len(rows) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisitListDeepPage(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if rows, err := st.Visits(ctx, VisitFilter{Limit: 50, Offset: 90000}); err != nil || len(rows) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkResidentList(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		rows, err := st.Residents(ctx, ResidentFilter{Limit: 50})
		if err != nil || len(rows) != 50 {
			b.Fatal(err)
		}
		if _, err := st.CountResidents(ctx, ResidentFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDueResidents(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if rows, err := st.DueResidents(ctx, DueFilter{Limit: 50}); err != nil || len(rows) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkDueCount(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := st.CountDueResidents(ctx, DueFilter{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResidentTimeline(b *testing.B) {
	st := benchServiceStore(b)
	ctx := context.Background()
	rows, _ := st.Residents(ctx, ResidentFilter{Limit: 1})
	for b.Loop() {
		if _, err := st.ResidentTimeline(ctx, rows[0].ID, 200); err != nil {
			b.Fatal(err)
		}
	}
}
