package sync_test

import (
	"context"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// Sync's tests run against package data's Store: sync with the features
// that register their kinds' checks and merges, as the program runs it.

// openStore opens the data folder dir for a test ("" is a new temporary
// folder) and closes it when the test ends.
func openStore(t testing.TB, dir string) *data.Store {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// runDemo fills st with the demo generator.
func runDemo(ctx context.Context, st *data.Store, opt demo.Options) (map[string]int, error) {
	return demo.Run(ctx, st, opt)
}

func count(t testing.TB, st *data.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Read().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func day(s string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		panic(err)
	}
	return d
}
