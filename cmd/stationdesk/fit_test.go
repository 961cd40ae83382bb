package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// TestRealWindowFitsSmallScreen starts the GUI at 特大 on a 1366×768 X
// screen with a window manager (openbox) and reads what the window tells
// the window manager: its minimum size (WM_NORMAL_HINTS) must fit 1280×720,
// and on a screen this small the window opens maximised. make fitcheck runs
// it (it needs xvfb-run, openbox, xdotool and xprop).
func TestRealWindowFitsSmallScreen(t *testing.T) {
	bin := fitcheckGUI(t)
	dir := filepath.Join(t.TempDir(), "data")
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := demo.Run(ctx, st, demo.Options{Residents: 40, Visits: 100, Policies: 10, Seed: 7, Until: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, data.SettingTextScale, "1.45"); err != nil { // 特大
		t.Fatal(err)
	}
	st.Close()

	script := `openbox >/dev/null 2>&1 &
sleep 1
"$1" --data-dir "$2" >"$3" 2>&1 & pid=$!
for i in $(seq 1 120); do
  id=$(xdotool search --name '劳保站工作台' 2>/dev/null | head -1)
  [ -n "$id" ] && break
  sleep 0.5
done
sleep 3
xprop -id "$id" WM_NORMAL_HINTS _NET_WM_STATE
kill $pid`
	tctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	logFile := filepath.Join(t.TempDir(), "app.log")
	cmd := exec.CommandContext(tctx, "xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "sh", "-c", script, "sh", bin, dir, logFile)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	out, err := cmd.CombinedOutput()
	log, _ := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("xvfb-run: %v\n%s\napp log:\n%s", err, out, log)
	}
	m := regexp.MustCompile(`program specified minimum size: (\d+) by (\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no minimum size in WM_NORMAL_HINTS:\n%s\napp log:\n%s", out, log)
	}
	w, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	if w > 1280 || h > 720 {
		t.Errorf("minimum size at 特大 is %d×%d, more than 1280×720", w, h)
	}
	if !strings.Contains(string(out), "_NET_WM_STATE_MAXIMIZED_HORZ") || !strings.Contains(string(out), "_NET_WM_STATE_MAXIMIZED_VERT") {
		t.Errorf("the window did not open maximised on a 1366×768 screen:\n%s", out)
	}
	t.Logf("minimum %d×%d\n%s", w, h, out)
}
