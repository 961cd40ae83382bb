package sync_test

import (
	"context"
	"os"
	"testing"
	"time"

	"stationdesk/data/demo"
)

// BenchmarkBundlePolicies is BenchmarkBundle's export and import for a
// station whose bundle is 10,000 policies (make bench's demo has them; the
// bureau's search index is kept by triggers as they arrive).
// STATIONDESK_BENCH_FULL=1 adds make bench's 20,000 residents and 100,000
// visits.
//
//	go test -tags migrated_fynedo -run '^$' -bench BenchmarkBundlePolicies -benchtime 1x ./data/
func BenchmarkBundlePolicies(b *testing.B) {
	ctx := context.Background()
	net := newSyncNet(b, 1)
	st := net.stations[0]
	opt := demo.Options{Policies: 10000, Seed: 1, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}
	if os.Getenv("STATIONDESK_BENCH_FULL") != "" { // make bench's whole demo
		opt.Residents, opt.Visits = 20000, 100000
	}
	if _, err := runDemo(ctx, st, opt); err != nil {
		b.Fatal(err)
	}
	if err := st.EnsureKeys(ctx); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		start, cpu := time.Now(), cpuSeconds()
		exp, err := st.ExportBundle(ctx, b.TempDir(), "", nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/export")
		b.ReportMetric(cpuSeconds()-cpu, "cpu-s/export")
		b.ReportMetric(float64(exp.Records), "records")
		start, cpu = time.Now(), cpuSeconds()
		r, err := net.bureau.ImportBundle(ctx, exp.Path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/import")
		b.ReportMetric(cpuSeconds()-cpu, "cpu-s/import")
		b.ReportMetric(float64(r.Applied), "applied")
	}
}
