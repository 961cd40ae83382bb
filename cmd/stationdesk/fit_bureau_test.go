package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// TestRealBureauWindowFits starts the GUI as a bureau with three stations
// (two with a year of records and their opinions waiting for a reply, one
// that never reported), at 标准 and at 特大, on a 1366×768 X screen with openbox,
// goes to every screen with Ctrl+1…8 and reads the window's minimum size
// (WM_NORMAL_HINTS) on each: its width must stay within 1280. make fitcheck
// runs it.
func TestRealBureauWindowFits(t *testing.T) {
	bin := fitcheckGUI(t)
	dir := bureauDataDir(t)
	script := `openbox >/dev/null 2>&1 &
sleep 1
"$1" --data-dir "$2" >"$3" 2>&1 & pid=$!
for i in $(seq 1 120); do
  id=$(xdotool search --name '劳保站工作台' 2>/dev/null | head -1)
  [ -n "$id" ] && break
  sleep 0.5
done
sleep 4
for n in 1 2 3 4 5 6 7 8; do
  xdotool windowactivate --sync "$id" key --clearmodifiers ctrl+$n 2>/dev/null
  sleep 2
  echo "screen $n"
  xprop -id "$id" WM_NORMAL_HINTS
  [ -n "$4" ] && import -window root "$4/screen-$5-$n.png"
done
kill $pid`
	re := regexp.MustCompile(`(?s)screen (\d).*?program specified minimum size: (\d+) by (\d+)`)
	for _, scale := range []string{"1", "1.45"} {
		st, err := data.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SetSetting(context.Background(), data.SettingTextScale, scale); err != nil {
			t.Fatal(err)
		}
		st.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		logFile := filepath.Join(t.TempDir(), "app.log")
		// STATIONDESK_FITSHOTS=DIR keeps a picture of every screen (needs ImageMagick's import).
		cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "sh", "-c", script, "sh", bin, dir, logFile, os.Getenv("STATIONDESK_FITSHOTS"), scale)
		cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
		out, err := cmd.CombinedOutput()
		cancel()
		log, _ := os.ReadFile(logFile)
		if err != nil {
			t.Fatalf("scale %s: xvfb-run: %v\n%s\napp log:\n%s", scale, err, out, log)
		}
		found := re.FindAllStringSubmatch(string(out), -1)
		if len(found) != 8 {
			t.Fatalf("scale %s: %d screens measured, want 8:\n%s\napp log:\n%s", scale, len(found), out, log)
		}
		for _, m := range found {
			w, _ := strconv.Atoi(m[2])
			h, _ := strconv.Atoi(m[3])
			t.Logf("scale %s, screen %s: minimum %d×%d", scale, m[1], w, h)
			if w > 1280 {
				t.Errorf("scale %s, screen %s: minimum width %d, more than 1280", scale, m[1], w)
			}
		}
	}
}

// fitcheckGUI skips unless make fitcheck runs the test, checks its tools
// and builds the GUI.
func fitcheckGUI(t *testing.T) string {
	t.Helper()
	if os.Getenv("STATIONDESK_FITCHECK") == "" {
		t.Skip("run by make fitcheck")
	}
	needTools(t, "xvfb-run", "openbox", "xdotool", "xprop")
	bin := filepath.Join(t.TempDir(), "stationdesk")
	if out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// bureauDataDir is a bureau's data folder with three stations: two that
// sent a year of records, one that never reported.
func bureauDataDir(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "bureau")
	b, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for i, name := range []string{"丹洲乡劳动保障站", "桃花源镇劳动保障站", "柳叶湖街道社区服务中心"} {
		code := fmt.Sprintf("43070210%d", i+1)
		file, err := b.AddStation(ctx, code, name)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			continue // never reports
		}
		st, err := data.Open(filepath.Join(t.TempDir(), code))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Enroll(ctx, file); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Run(ctx, st, demo.Options{Residents: 60, Visits: 300, Policies: 5, Seed: uint64(5 + i), Until: time.Now()}); err != nil {
			t.Fatal(err)
		}
		r, err := st.ExportBundle(ctx, out, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := b.ImportBundle(ctx, r.Path); err != nil || res.Status != "imported" {
			t.Fatalf("import: %+v %v", res, err)
		}
		st.Close()
	}
	return dir
}
