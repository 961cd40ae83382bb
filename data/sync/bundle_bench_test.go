package sync_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"stationdesk/data/demo"
	dsync "stationdesk/data/sync"
)

// BenchmarkBundle measures, once each, the three figures DESIGN.md sets
// targets for: export of 100,000 visits + 20,000 residents (< 3 s), import at
// the bureau (>= 50,000 records/s) and the same import again (< 0.5 s).
//
//	go test -tags migrated_fynedo -run '^$' -bench BenchmarkBundle -benchtime 1x ./data/
func BenchmarkBundle(b *testing.B) {
	ctx := context.Background()
	residents, visits := 20000, 100000
	if os.Getenv("STATIONDESK_BENCH_SMALL") != "" {
		residents, visits = 4000, 20000
	}
	net := newSyncNet(b, 1)
	out := b.TempDir()
	st := net.stations[0]
	if _, err := runDemo(ctx, st, demo.Options{Residents: residents, Visits: visits, Policies: 50, Seed: 1, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		b.Fatal(err)
	}
	if err := st.EnsureKeys(ctx); err != nil { // log the demo rows before timing
		b.Fatal(err)
	}
	var exp *dsync.ExportResult
	b.Run("export", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var err error
			start, cpu := time.Now(), cpuSeconds()
			if exp, err = st.ExportBundle(ctx, out, "", nil); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "s/export")
			b.ReportMetric(cpuSeconds()-cpu, "cpu-s/export")
			b.ReportMetric(float64(exp.Records), "records")
			b.ReportMetric(float64(exp.Bytes)/1e6, "MB")
		}
	})
	b.Run("import", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bureau := copyOfStore(b, net.bureau) // fresh bureau each time
			start, cpu := time.Now(), cpuSeconds()
			r, err := bureau.ImportBundle(ctx, exp.Path)
			if err != nil {
				b.Fatal(err)
			}
			took := time.Since(start)
			b.ReportMetric(cpuSeconds()-cpu, "cpu-s/import")
			b.ReportMetric(took.Seconds(), "s/import")
			b.ReportMetric(float64(r.Applied)/took.Seconds(), "records/s")
			start = time.Now()
			r2, err := bureau.ImportBundle(ctx, exp.Path)
			if err != nil || r2.Status != "skipped" {
				b.Fatalf("re-import: %v %v", r2.Status, err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "s/reimport")
			bureau.Close()
		}
	})
	// The same rows copied inside SQLite itself (ATTACH + INSERT … SELECT,
	// the analogue of the sqlite3 shell's .import): the floor to compare with.
	b.Run("sqlite_copy", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bureau := copyOfStore(b, net.bureau)
			start, cpu := time.Now(), cpuSeconds()
			var n int64
			err := bureau.Write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.Exec(`ATTACH DATABASE ? AS src`, st.Path); err != nil {
					return err
				}
				for _, k := range dsync.SyncKinds() {
					r, err := tx.Exec(`INSERT OR IGNORE INTO ` + k.Table + ` SELECT * FROM src.` + k.Table)
					if err != nil {
						return err
					}
					m, _ := r.RowsAffected()
					n += m
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			took := time.Since(start)
			b.ReportMetric(took.Seconds(), "s/copy")
			b.ReportMetric(cpuSeconds()-cpu, "cpu-s/copy")
			b.ReportMetric(float64(n)/took.Seconds(), "records/s")
			bureau.Close()
		}
	})
}
