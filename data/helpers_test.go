package data

import (
	"context"
	"testing"
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

// runDemo fills st with the demo generator.
func runDemo(ctx context.Context, st *Store, opt DemoOptions) (map[string]int, error) {
	return st.Demo(ctx, opt)
}
