package sync_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// TestSyncCrashChild is the child process of TestSyncCrashImport: it imports
// one bundle and is killed at some moment. It does nothing in a normal run.
func TestSyncCrashChild(t *testing.T) {
	dir, bundle := os.Getenv("STATIONDESK_CRASH_DIR"), os.Getenv("STATIONDESK_CRASH_BUNDLE")
	if dir == "" {
		t.Skip("child of TestSyncCrashImport")
	}
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := st.ImportBundle(context.Background(), bundle); err != nil {
		t.Fatalf("%s: %v", r.Message, err)
	}
	st.Close()
}

func copyDir(t testing.TB, from, to string) {
	t.Helper()
	os.MkdirAll(to, 0o700)
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		src, err := os.Open(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(to, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(dst, src)
		src.Close()
		dst.Close()
	}
}

// TestSyncCrashImport kills an importing process at random moments; each
// time the database passes integrity_check and holds all of the bundle or
// none of it. STATIONDESK_CRASH_LONG=1 runs a bigger bundle, more often.
func TestSyncCrashImport(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	ctx := context.Background()
	runs, visits := 4, 2000
	if os.Getenv("STATIONDESK_CRASH_LONG") != "" {
		runs, visits = 40, 60000
	}
	net := newSyncNet(t, 1)
	if _, err := runDemo(ctx, net.stations[0], demo.Options{Residents: visits / 5, Visits: visits, Policies: 20, Seed: 3, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	exp, err := net.stations[0].ExportBundle(ctx, net.out, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	base := net.bureau.Dir
	net.bureau.Close()
	pristine := t.TempDir()
	copyDir(t, base, pristine)

	child := func(dir string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STATIONDESK_CRASH_DIR="+dir, "STATIONDESK_CRASH_BUNDLE="+exp.Path)
		return cmd
	}
	// One full run tells how long an import takes here.
	full := t.TempDir()
	copyDir(t, pristine, full)
	start := time.Now()
	if out, err := child(full).CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	took := time.Since(start)
	check := func(dir string) (int, bool) {
		st, err := data.Open(dir)
		if err != nil {
			t.Fatalf("open after crash: %v", err)
		}
		defer st.Close()
		if err := st.IntegrityCheck(ctx); err != nil {
			t.Fatalf("after crash: %v", err)
		}
		var n, imported int
		st.Read().QueryRow(`SELECT count(*) FROM visits`).Scan(&n)
		st.Read().QueryRow(`SELECT count(*) FROM sync_imported`).Scan(&imported)
		if (n == 0) != (imported == 0) {
			t.Fatalf("half an import: %d visits, %d bundles recorded", n, imported)
		}
		return n, imported > 0
	}
	if n, ok := check(full); !ok || n != visits {
		t.Fatalf("a full run holds %d visits", n)
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	all, none := 0, 0
	for i := 0; i < runs; i++ {
		dir := filepath.Join(t.TempDir(), fmt.Sprint(i))
		copyDir(t, pristine, dir)
		cmd := child(dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took) * 6 / 5)))
		cmd.Process.Kill()
		cmd.Wait()
		n, ok := check(dir)
		switch {
		case ok && n == visits:
			all++
		case !ok && n == 0:
			none++
		default:
			t.Fatalf("run %d: %d of %d visits", i, n, visits)
		}
	}
	t.Logf("import takes %v; %d kills: %d left all, %d left none", took, runs, all, none)
}
