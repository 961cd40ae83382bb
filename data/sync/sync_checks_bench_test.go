package sync_test

import (
	"context"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
	dsync "stationdesk/data/sync"
)

// BenchmarkIncomingChecks measures what the checks of issue 15 add per
// record (authority and the rules of typed input), over the records of a
// demo station's first bundle, beside the import's own cost per record
// (BenchmarkBundle/import).
//
//	go test -tags migrated_fynedo -run '^$' -bench BenchmarkIncomingChecks ./data/
func BenchmarkIncomingChecks(b *testing.B) {
	ctx := context.Background()
	net := newSyncNet(b, 1)
	st := net.stations[0]
	if _, err := runDemo(ctx, st, demo.Options{Residents: 2000, Visits: 10000, Policies: 50, Seed: 1, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		b.Fatal(err)
	}
	path := net.up(0)
	ident, k, err := net.bureau.SelfAndKeys(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ob, err := dsync.OpenBundle(ctx, path, ident.Code, net.bureau.Read())
	if err != nil {
		b.Fatal(err)
	}
	defer ob.Close()
	a, err := ob.Decrypt(k.Age())
	if err != nil {
		b.Fatal(err)
	}
	type prepared struct {
		k     data.RecordKind
		t     *dsync.TableApplier
		rec   *dsync.IncomingRecord
		names []string
		args  []any
	}
	tx, err := net.bureau.Read().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	ap := dsync.NewApplier(ctx, tx, a.File)
	var recs []prepared
	for _, kind := range a.Records() {
		kd, ok := dsync.SyncKind(kind)
		if !ok {
			continue
		}
		t, err := ap.Table(kd)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.EachRecord(kind, func(r *dsync.IncomingRecord) error {
			names, _ := t.ColumnsOf(r.Row)
			args := make([]any, len(names))
			for i, n := range names {
				if args[i], err = ap.Value(t.Cols()[n], r.Row[n]); err != nil {
					return err
				}
			}
			recs = append(recs, prepared{kd, t, r, append([]string(nil), names...), args})
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	tx.Rollback()
	sides := dsync.NewSyncSides(ident.Code, net.codes[0])
	b.ResetTimer()
	cpu := cpuSeconds()
	for i := 0; i < b.N; i++ {
		for _, p := range recs {
			if err := sides.Authorize(p.k, p.rec, nil); err != nil {
				b.Fatal(err)
			}
			if err := p.t.Validate(p.k, p.rec.ID, p.rec.Row, p.names, p.args); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	b.ReportMetric((cpuSeconds()-cpu)*1e9/float64(b.N*len(recs)), "cpu-ns/record")
	b.ReportMetric(float64(len(recs)), "records")
}
