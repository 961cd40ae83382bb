package data

import (
	"context"
	"testing"
	"time"
)

// openStore opens the data folder dir for a test ("" is a new temporary
// folder) and closes it when the test ends. Every test store opens here.
func openStore(t testing.TB, dir string) *Store {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// openStation is a new store set up as the demo's station, without data.
func openStation(t testing.TB) *Store {
	t.Helper()
	st := openStore(t, "")
	if err := st.Setup(context.Background(), DemoIdentity, nil); err != nil {
		t.Fatal(err)
	}
	return st
}

// openDemo is a new store filled with the demo data of opt.
func openDemo(t testing.TB, opt DemoOptions) *Store {
	t.Helper()
	st := openStore(t, "")
	if _, err := runDemo(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	return st
}

// The demo generator (data/demo) imports data, so package data's own tests
// cannot import it; demo_hook_test.go, in package data_test (which may),
// hands it over through UseDemo before any test runs.
var (
	demoRun      func(context.Context, *Store, DemoOptions) (map[string]int, error)
	DefaultDemo  func(until time.Time) DemoOptions // demo.Default
	DemoIdentity Identity                          // demo.Identity
)

// DemoOptions are demo.Options, field for field (demo_hook_test.go converts).
type DemoOptions struct {
	Residents int
	Visits    int
	Policies  int
	Seed      uint64
	Until     time.Time
}

// UseDemo gives package data's tests the demo generator.
func UseDemo(run func(context.Context, *Store, DemoOptions) (map[string]int, error), def func(time.Time) DemoOptions, ident Identity) {
	demoRun, DefaultDemo, DemoIdentity = run, def, ident
}

// runDemo fills st with the demo generator (demo.Run).
func runDemo(ctx context.Context, st *Store, opt DemoOptions) (map[string]int, error) {
	return demoRun(ctx, st, opt)
}
