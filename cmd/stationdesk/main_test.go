package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// TestRealWindowOpensInChinese builds the GUI and starts it under Xvfb.
// It needs xvfb-run and xwininfo (make installs them).
func TestRealWindowOpensInChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real GUI")
	}
	needTools(t, "xvfb-run", "Xvfb", "xwininfo")
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
	if _, err := demo.Run(context.Background(), st, demo.Default(time.Now())); err != nil {
		t.Fatal(err)
	}
	return dir
}

// xvfb is an X server of the test's own, started by xvfb-run -a (which finds a
// free display number and writes an authority file), checked to answer: another
// program's server may take the same number at the same moment, and then the
// next attempt gets another. (Xvfb -displayfd failed on CI; xvfb-run did not.)
type xvfb struct{ display, xauthority string }

func startXvfb(t *testing.T) *xvfb {
	t.Helper()
	needTools(t, "xvfb-run", "Xvfb", "xwininfo")
	var errs strings.Builder
	for attempt := 0; attempt < 5; attempt++ {
		// The held command prints the server's DISPLAY and XAUTHORITY, then
		// waits on its standard input: closing it ends xvfb-run and its server.
		cmd := exec.Command("xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
			"sh", "-c", `echo "$DISPLAY $XAUTHORITY"; exec cat >/dev/null`)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatalf("xvfb-run: %v", err)
		}
		stop := func() {
			stdin.Close()
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
			}
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		fields := strings.Fields(line)
		if len(fields) == 2 {
			x := &xvfb{display: fields[0], xauthority: fields[1]}
			ping := exec.Command("xwininfo", "-root")
			ping.Env = x.env()
			if out, err := ping.CombinedOutput(); err == nil {
				t.Cleanup(stop)
				return x
			} else {
				fmt.Fprintf(&errs, "attempt %d: xwininfo on %s: %v %s\n", attempt+1, x.display, err, out)
			}
		} else {
			fmt.Fprintf(&errs, "attempt %d: xvfb-run printed %q\n", attempt+1, line)
		}
		stop()
		fmt.Fprintf(&errs, "xvfb-run stderr: %.500s\n", stderr.String())
	}
	t.Fatalf("no Xvfb could be started:\n%s", errs.String())
	return nil
}

// env is the environment of a program shown on this server.
func (x *xvfb) env(extra ...string) []string {
	return append(append(os.Environ(), "DISPLAY="+x.display, "XAUTHORITY="+x.xauthority, "LANG=C.UTF-8"), extra...)
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
