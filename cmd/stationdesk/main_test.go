package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
)

// TestRealWindowOpensInChinese builds the GUI and starts it under Xvfb.
// It needs xvfb-run and xwininfo (make installs them).
func TestRealWindowOpensInChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real GUI")
	}
	needTools(t, "xvfb-run", "xwininfo")
	bin := filepath.Join(t.TempDir(), "stationdesk")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	assertOpensUnderXvfb(t, bin)
}

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s missing on CI: the Makefile should install it", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// assertOpensUnderXvfb starts the GUI binary over a demo database and checks
// that a window titled 劳保站工作台 appears and that the program stays up.
func assertOpensUnderXvfb(t *testing.T, bin string) {
	t.Helper()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Demo(context.Background(), data.DefaultDemo(time.Now())); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// The script starts the app, waits until its window is mapped (or 60 s),
	// prints the window tree, and reports whether the app is still running.
	script := `"$1" --data-dir "$2" >"$3" 2>&1 & pid=$!
for i in $(seq 1 120); do
  if xwininfo -root -tree | grep -q 'StationDesk\|劳保站工作台'; then break; fi
  sleep 0.5
done
sleep 1
xwininfo -root -tree
if kill -0 $pid 2>/dev/null; then echo APP-RUNNING; kill $pid; fi`
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logFile := filepath.Join(tmp, "app.log")
	cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script, "sh", bin, dir, logFile)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	log, _ := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("xvfb-run: %v\n%s\napp log:\n%s", err, out, log)
	}
	if !strings.Contains(string(out), `"劳保站工作台"`) {
		t.Fatalf("no window titled 劳保站工作台:\n%s\napp log:\n%s", out, log)
	}
	if !strings.Contains(string(out), "APP-RUNNING") {
		t.Fatalf("the app exited early; log:\n%s", log)
	}
}
