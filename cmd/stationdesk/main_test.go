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
	needTools(t, "Xvfb", "xwininfo")
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

// assertOpensUnderXvfb starts the GUI binary over a demo database on a fresh
// Xvfb and checks that a window titled 劳保站工作台 appears and stays up.
func assertOpensUnderXvfb(t *testing.T, bin string) {
	t.Helper()
	x := startXvfb(t)
	x.assertWindow(t, exec.Command(bin, "--data-dir", demoDataDir(t)), "劳保站工作台", 2*time.Minute)
}

// demoDataDir is a data folder holding the default demo database.
func demoDataDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Demo(context.Background(), data.DefaultDemo(time.Now())); err != nil {
		t.Fatal(err)
	}
	return dir
}

// xvfb is an X server of the test's own, on the display Xvfb itself finds free
// (-displayfd), checked to answer: another program's server may take the same
// number at the same moment, and then the next attempt gets another.
type xvfb struct{ display string }

func startXvfb(t *testing.T) *xvfb {
	t.Helper()
	needTools(t, "Xvfb", "xwininfo")
	for attempt := 0; attempt < 5; attempt++ {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		cmd.ExtraFiles = []*os.File{w}
		if err := cmd.Start(); err != nil {
			t.Fatalf("Xvfb: %v", err)
		}
		w.Close()
		buf := make([]byte, 16)
		n, _ := r.Read(buf) // the display number once the server is ready; EOF if it failed
		r.Close()
		x := &xvfb{display: ":" + strings.TrimSpace(string(buf[:n]))}
		ping := exec.Command("xwininfo", "-root")
		ping.Env = x.env()
		if n > 0 && ping.Run() == nil {
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			return x
		}
		cmd.Process.Kill()
		cmd.Wait()
	}
	t.Fatal("no Xvfb could be started")
	return nil
}

// env is the environment of a program shown on this server.
func (x *xvfb) env(extra ...string) []string {
	return append(append(os.Environ(), "DISPLAY="+x.display, "LANG=C.UTF-8"), extra...)
}

// windows is xwininfo's tree of every window on the server.
func (x *xvfb) windows() string {
	cmd := exec.Command("xwininfo", "-root", "-tree")
	cmd.Env = x.env()
	out, _ := cmd.Output()
	return string(out)
}

// waitWindow waits until a window titled exactly title is mapped, while alive()
// holds; it returns the xwininfo line of the window, or "".
func (x *xvfb) waitWindow(title string, timeout time.Duration, alive func() bool) string {
	want := `"` + title + `"`
	for end := time.Now().Add(timeout); time.Now().Before(end) && alive(); time.Sleep(500 * time.Millisecond) {
		for _, line := range strings.Split(x.windows(), "\n") {
			if strings.Contains(line, want) {
				return strings.TrimSpace(line)
			}
		}
	}
	return ""
}

// assertWindow starts cmd on the server, fails unless a window titled title
// appears within timeout and the program is still running a second later,
// then stops it.
func (x *xvfb) assertWindow(t *testing.T, cmd *exec.Cmd, title string, timeout time.Duration) {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = x.env()
	}
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	alive := func() bool {
		select {
		case <-exited:
			return false
		default:
			return true
		}
	}
	defer func() {
		if alive() {
			cmd.Process.Kill()
			<-exited
		}
	}()
	line := x.waitWindow(title, timeout, alive)
	if line == "" {
		t.Fatalf("%s: no window titled %s (running: %v)\nwindows:\n%s\nlog:\n%.3000s", cmd.Path, title, alive(), x.windows(), log.String())
	}
	// The start-error window (app.ShowStartError) is 600x300; the main window is larger.
	if strings.Contains(line, " 600x300+") {
		t.Fatalf("%s: the window is not the main window (a start error?): %s\nlog:\n%.3000s", cmd.Path, line, log.String())
	}
	time.Sleep(time.Second)
	if !alive() {
		t.Fatalf("%s exited after showing its window; log:\n%.3000s", cmd.Path, log.String())
	}
	t.Logf("%s: window %s", filepath.Base(cmd.Path), line)
}
