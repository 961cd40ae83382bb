package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"stationdesk/assets"
)

// TestDistArtefacts checks what `make dist` wrote into $STATIONDESK_DIST:
// every artefact exists and is of the right kind, the Linux archive holds the
// desktop file and icon and, unpacked, starts the app under Xvfb.
func TestDistArtefacts(t *testing.T) {
	dist := os.Getenv("STATIONDESK_DIST")
	if dist == "" {
		t.Skip("run by make dist (STATIONDESK_DIST unset)")
	}
	needTools(t, "file", "tar", "unzip", "sha256sum")
	v := assets.Version
	kinds := map[string]string{
		"StationDesk-" + v + "-linux-amd64.tar.xz": "XZ compressed",
		"StationDesk-" + v + "-windows-amd64.zip":  "Zip archive",
		"stationctl-" + v + "-linux-amd64":         "ELF 64-bit LSB executable, x86-64",
		"stationctl-" + v + "-linux-arm64":         "ELF 64-bit LSB executable, ARM aarch64",
		"stationctl-" + v + "-linux-loong64":       "ELF 64-bit LSB executable, LoongArch",
		"stationctl-" + v + "-windows-amd64.exe":   "PE32+ executable (console) x86-64",
		"SHA256SUMS":                               "ASCII text",
	}
	for name, want := range kinds {
		out, err := exec.Command("file", "-b", filepath.Join(dist, name)).Output()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%s: file says %q (%v), want %q", name, out, err, want)
		}
	}
	sums := exec.Command("sha256sum", "-c", "SHA256SUMS")
	sums.Dir = dist
	if out, err := sums.CombinedOutput(); err != nil {
		t.Errorf("SHA256SUMS: %v\n%s", err, out)
	}

	win := t.TempDir()
	if out, err := exec.Command("unzip", "-q", filepath.Join(dist, "StationDesk-"+v+"-windows-amd64.zip"), "-d", win).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v\n%s", err, out)
	}
	for name, want := range map[string]string{
		"stationdesk.exe": "PE32+ executable (GUI) x86-64",
		"stationctl.exe":  "PE32+ executable (console) x86-64",
		"使用说明.txt":        "UTF-8",
	} {
		out, err := exec.Command("file", "-b", filepath.Join(win, name)).Output()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("zip/%s: file says %q (%v), want %q", name, out, err, want)
		}
	}

	lin := t.TempDir()
	if out, err := exec.Command("tar", "xJf", filepath.Join(dist, "StationDesk-"+v+"-linux-amd64.tar.xz"), "-C", lin).CombinedOutput(); err != nil {
		t.Fatalf("untar: %v\n%s", err, out)
	}
	desktop, err := os.ReadFile(filepath.Join(lin, "stationdesk/usr/local/share/applications/cn.stationdesk.app.desktop"))
	if err != nil || !strings.Contains(string(desktop), "Exec=stationdesk") || !strings.Contains(string(desktop), "劳保站工作台") {
		t.Errorf("desktop file: %v\n%s", err, desktop)
	}
	if out, err := exec.Command("file", "-b", filepath.Join(lin, "stationdesk/usr/local/share/pixmaps/cn.stationdesk.app.png")).Output(); err != nil || !strings.Contains(string(out), "PNG image") {
		t.Errorf("icon: %q %v", out, err)
	}
	bin := filepath.Join(lin, "stationdesk/usr/local/bin/stationdesk")
	if out, err := exec.Command("file", "-b", bin).Output(); err != nil || !strings.Contains(string(out), "ELF 64-bit LSB") {
		t.Errorf("linux binary: %q %v", out, err)
	}
	assertOpensUnderXvfb(t, bin)
}
