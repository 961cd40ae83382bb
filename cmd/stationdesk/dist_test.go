package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"stationdesk/assets"
)

const (
	appID  = "cn.stationdesk.app"
	title  = "劳保站工作台"
	mimeID = "application/x-stationdesk-bundle"
)

// TestDistArtefacts checks what `make dist` wrote into $STATIONDESK_DIST and
// starts every artefact: the Windows GUI, stationctl.exe and the installer
// under Wine, the ARM64 GUI under qemu-user, the programs unpacked from the
// .deb packages and the .tar.xz archives, each on Xvfb with its window titled
// 劳保站工作台. Run only by make dist.
func TestDistArtefacts(t *testing.T) {
	dist := os.Getenv("STATIONDESK_DIST")
	if dist == "" {
		t.Skip("run by make dist (STATIONDESK_DIST unset)")
	}
	needTools(t, "file", "tar", "unzip", "sha256sum", "dpkg-deb", "wine", "wineserver", "qemu-aarch64-static",
		"x86_64-w64-mingw32-gcc", "Xvfb", "xwininfo", "xdotool")
	v := assets.Version
	v4 := version4(t)
	a := func(name string) string { return filepath.Join(dist, name) }
	names := map[string]string{
		"setup":      "StationDesk-" + v + "-windows-amd64-setup.exe",
		"zip":        "StationDesk-" + v + "-windows-amd64.zip",
		"tar-amd64":  "StationDesk-" + v + "-linux-amd64.tar.xz",
		"tar-arm64":  "StationDesk-" + v + "-linux-arm64.tar.xz",
		"deb-amd64":  appID + "_" + v4 + "_amd64.deb",
		"deb-arm64":  appID + "_" + v4 + "_arm64.deb",
		"ctl-amd64":  "stationctl-" + v + "-linux-amd64",
		"ctl-arm64":  "stationctl-" + v + "-linux-arm64",
		"ctl-loong":  "stationctl-" + v + "-linux-loong64",
		"ctl-win":    "stationctl-" + v + "-windows-amd64.exe",
		"SHA256SUMS": "SHA256SUMS",
	}

	t.Run("kinds", func(t *testing.T) {
		for key, want := range map[string]string{
			"setup":      "PE32+ executable (GUI) x86-64",
			"zip":        "Zip archive",
			"tar-amd64":  "XZ compressed",
			"tar-arm64":  "XZ compressed",
			"deb-amd64":  "Debian binary package",
			"deb-arm64":  "Debian binary package",
			"ctl-amd64":  "ELF 64-bit LSB executable, x86-64",
			"ctl-arm64":  "ELF 64-bit LSB executable, ARM aarch64",
			"ctl-loong":  "ELF 64-bit LSB executable, LoongArch",
			"ctl-win":    "PE32+ executable (console) x86-64",
			"SHA256SUMS": "ASCII text",
		} {
			if got := fileKind(t, a(names[key])); !strings.Contains(got, want) {
				t.Errorf("%s: file says %q, want %q", names[key], got, want)
			}
		}
		sums := exec.Command("sha256sum", "-c", "SHA256SUMS")
		sums.Dir = dist
		out, err := sums.CombinedOutput()
		if err != nil {
			t.Errorf("SHA256SUMS: %v\n%s", err, out)
		}
		for key, name := range names {
			if key != "SHA256SUMS" && !strings.Contains(string(out), name+": OK") {
				t.Errorf("SHA256SUMS does not cover %s", name)
			}
		}
		if out := run(t, "", nil, "qemu-loongarch64-static", a(names["ctl-loong"]), "--version"); !strings.Contains(out, "stationctl "+v) {
			t.Errorf("stationctl for loong64 under qemu: %q", out)
		}
	})

	x := startXvfb(t)
	linuxGUI := map[string]string{} // arch -> sha256 of the GUI binary started

	t.Run("deb", func(t *testing.T) {
		for _, arch := range []string{"amd64", "arm64"} {
			deb := a(names["deb-"+arch])
			for field, want := range map[string]string{"Package": appID, "Version": v4, "Architecture": arch} {
				if got := strings.TrimSpace(run(t, "", nil, "dpkg-deb", "-f", deb, field)); got != want {
					t.Errorf("%s: %s %q, want %q", arch, field, got, want)
				}
			}
			list := run(t, "", nil, "dpkg-deb", "-c", deb)
			opt := "./opt/apps/" + appID + "/"
			for _, p := range []string{"info", "files/bin/stationdesk", "files/bin/stationctl", "entries/applications/" + appID + ".desktop",
				"entries/icons/hicolor/512x512/apps/" + appID + ".png", "entries/mime/packages/" + appID + ".xml"} {
				if !strings.Contains(list, opt+p+"\n") {
					t.Errorf("%s: the package lacks %s%s:\n%s", arch, opt, p, list)
				}
			}
			for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
				f := strings.Fields(line)
				if p := f[len(f)-1]; !strings.HasPrefix(p, opt) && !strings.HasPrefix(opt, p) {
					t.Errorf("%s: %s lies outside %s", arch, p, opt)
				}
			}
			ctrl := t.TempDir()
			run(t, "", nil, "dpkg-deb", "-e", deb, ctrl)
			for _, script := range []string{"preinst", "postinst", "prerm", "postrm", "triggers"} {
				if _, err := os.Stat(filepath.Join(ctrl, script)); err == nil {
					t.Errorf("%s: the package has a maintainer script %s", arch, script)
				}
			}

			root := t.TempDir() // the scratch root the package is installed into
			run(t, "", nil, "dpkg-deb", "-x", deb, root)
			dir := filepath.Join(root, "opt/apps", appID)
			var info struct {
				AppID   string   `json:"appid"`
				Name    string   `json:"name"`
				Version string   `json:"version"`
				Arch    []string `json:"arch"`
			}
			if b, err := os.ReadFile(filepath.Join(dir, "info")); err != nil || json.Unmarshal(b, &info) != nil {
				t.Fatalf("%s: info: %v %s", arch, err, b)
			}
			if info.AppID != appID || info.Name != title || info.Version != v4 || !regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`).MatchString(info.Version) || !slices.Equal(info.Arch, []string{arch}) {
				t.Errorf("%s: info %+v", arch, info)
			}
			desktop := readText(t, filepath.Join(dir, "entries/applications", appID+".desktop"))
			for _, want := range []string{"Exec=/opt/apps/" + appID + "/files/bin/stationdesk %f", "Name[zh_CN]=" + title, "Icon=" + appID, "MimeType=" + mimeID + ";"} {
				if !strings.Contains(desktop, want+"\n") {
					t.Errorf("%s: desktop entry lacks %q:\n%s", arch, want, desktop)
				}
			}
			if mime := readText(t, filepath.Join(dir, "entries/mime/packages", appID+".xml")); !strings.Contains(mime, `type="`+mimeID+`"`) || !strings.Contains(mime, `<glob pattern="*.stbundle"/>`) {
				t.Errorf("%s: mime type:\n%s", arch, mime)
			}
			if k := fileKind(t, filepath.Join(dir, "entries/icons/hicolor/512x512/apps", appID+".png")); !strings.Contains(k, "PNG image data, 512 x 512") {
				t.Errorf("%s: icon %q", arch, k)
			}

			gui, ctl := filepath.Join(dir, "files/bin/stationdesk"), filepath.Join(dir, "files/bin/stationctl")
			linuxGUI[arch] = sha(t, gui)
			want := map[string]string{"amd64": "x86-64", "arm64": "ARM aarch64"}[arch]
			if k := fileKind(t, gui); !strings.Contains(k, want) {
				t.Errorf("%s: GUI binary %q", arch, k)
			}
			if arch == "amd64" {
				if out := run(t, "", nil, ctl, "--version"); !strings.Contains(out, "stationctl "+v) {
					t.Errorf("installed stationctl: %q", out)
				}
				x.assertWindow(t, exec.Command(gui, "--data-dir", demoDataDir(t)), title, 2*time.Minute)
				continue
			}
			// ARM64 under qemu-user, with the arm64 libraries Debian multiarch installed (-L /).
			if out := run(t, "", nil, "qemu-aarch64-static", "-L", "/", ctl, "--version"); !strings.Contains(out, "stationctl "+v) {
				t.Errorf("installed arm64 stationctl under qemu: %q", out)
			}
			x.assertWindow(t, exec.Command("qemu-aarch64-static", "-L", "/", gui, "--data-dir", demoDataDir(t)), title, 5*time.Minute)
		}
	})

	t.Run("tar", func(t *testing.T) {
		for _, arch := range []string{"amd64", "arm64"} {
			root := t.TempDir()
			run(t, "", nil, "tar", "xJf", a(names["tar-"+arch]), "-C", root)
			top := filepath.Join(root, "stationdesk")
			desktop := readText(t, filepath.Join(top, "usr/local/share/applications", appID+".desktop"))
			if !strings.Contains(desktop, "Exec=/usr/local/bin/stationdesk %f\n") || !strings.Contains(desktop, "MimeType="+mimeID+";\n") {
				t.Errorf("%s: desktop entry:\n%s", arch, desktop)
			}
			for _, p := range []string{"Makefile", "usr/local/bin/stationctl", "usr/local/share/mime/packages/" + appID + ".xml", "usr/local/share/icons/hicolor/512x512/apps/" + appID + ".png"} {
				if _, err := os.Stat(filepath.Join(top, p)); err != nil {
					t.Errorf("%s: %v", arch, err)
				}
			}
			gui := filepath.Join(top, "usr/local/bin/stationdesk")
			if linuxGUI[arch] != "" && sha(t, gui) == linuxGUI[arch] {
				continue // the very binary started from the .deb
			}
			if arch == "arm64" {
				x.assertWindow(t, exec.Command("qemu-aarch64-static", "-L", "/", gui, "--data-dir", demoDataDir(t)), title, 5*time.Minute)
			} else {
				x.assertWindow(t, exec.Command(gui, "--data-dir", demoDataDir(t)), title, 2*time.Minute)
			}
		}
	})

	t.Run("windows", func(t *testing.T) {
		w := newWinePrefix(t, x)
		zip := t.TempDir()
		run(t, "", nil, "unzip", "-q", a(names["zip"]), "-d", zip)
		for name, want := range map[string]string{
			"stationdesk.exe": "PE32+ executable (GUI) x86-64",
			"stationctl.exe":  "PE32+ executable (console) x86-64",
			"使用说明.txt":        "UTF-8",
		} {
			if k := fileKind(t, filepath.Join(zip, name)); !strings.Contains(k, want) {
				t.Errorf("zip/%s: %q, want %q", name, k, want)
			}
		}
		if _, err := os.Stat(filepath.Join(zip, "bcryptprimitives.dll")); err == nil {
			t.Error("the test's bcryptprimitives.dll was shipped")
		}

		// The portable zip: stationctl.exe fills a data folder, the GUI opens it.
		dataDir := filepath.Join(t.TempDir(), "data")
		var demo, stats map[string]int
		decode(t, w.run(t, filepath.Join(zip, "stationctl.exe"), "demo", "--residents", "25", "--visits", "40", "--policies", "6", "--json", "--data-dir", winPath(dataDir)), &demo)
		decode(t, w.run(t, filepath.Join(zip, "stationctl.exe"), "stats", "--json", "--data-dir", winPath(dataDir)), &stats)
		if demo["residents"] != 25 || demo["visits"] != 40 || stats["residents"] != 25 || stats["visits"] != 40 || stats["policies"] != demo["policies"] || stats["policies"] < 6 {
			t.Errorf("stationctl.exe under Wine: demo %v, stats %v", demo, stats)
		}
		x.assertWindow(t, w.command(filepath.Join(zip, "stationdesk.exe"), "--data-dir", winPath(dataDir)), title, 3*time.Minute)
		w.stop(t)

		// The installer, silently: program, shortcuts, 程序和功能, the file type.
		w.run(t, a(names["setup"]), "/S")
		w.wait(t)
		inst := filepath.Join(w.user, "AppData/Local/Programs/StationDesk")
		exe := filepath.Join(inst, "stationdesk.exe")
		if sha(t, exe) != sha(t, filepath.Join(zip, "stationdesk.exe")) {
			t.Error("the installer's stationdesk.exe differs from the zip's")
		}
		links := w.shortcuts(t)
		if len(links) != 2 {
			t.Fatalf("shortcuts named %s.lnk: %v", title, links)
		}
		for _, l := range links {
			target := w.linkTarget(t, l)
			if fi, err := os.Stat(target); err != nil || fi.IsDir() || target != exe {
				t.Errorf("shortcut %s points to %s: %v", l, target, err)
			}
		}
		reg := w.userReg(t)
		for _, want := range []string{
			`[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\` + appID + `]`,
			`"DisplayVersion"="` + v + `"`,
			`"Publisher"="`,
			`"QuietUninstallString"="\"C:\\users\\`,
			`[Software\\Classes\\.stbundle]`,
			`@="StationDesk.Bundle"`,
			`stationdesk.exe\" \"%1\""`,
		} {
			if !strings.Contains(reg, want) {
				t.Errorf("registry lacks %s", want)
			}
		}

		// Data written by the installed program stays through an uninstall...
		w.run(t, filepath.Join(inst, "stationctl.exe"), "demo", "--residents", "5", "--visits", "5", "--policies", "1")
		db := filepath.Join(w.user, "AppData/Roaming/StationDesk/stationdesk.db")
		if _, err := os.Stat(db); err != nil {
			t.Fatalf("the installed stationctl.exe wrote no data in %%APPDATA%%: %v", err)
		}
		w.run(t, filepath.Join(inst, "uninstall.exe"), "/S")
		w.wait(t)
		if _, err := os.Stat(exe); err == nil {
			t.Error("the uninstaller left stationdesk.exe")
		}
		if links := w.shortcuts(t); len(links) != 0 {
			t.Errorf("the uninstaller left shortcuts %v", links)
		}
		if reg := w.userReg(t); strings.Contains(reg, `Uninstall\\`+appID+`]`) || strings.Contains(reg, `[Software\\Classes\\.stbundle]`) {
			t.Error("the uninstaller left its registry keys")
		}
		if _, err := os.Stat(db); err != nil {
			t.Errorf("the uninstaller removed the data: %v", err)
		}
		// ...unless asked.
		w.run(t, a(names["setup"]), "/S")
		w.wait(t)
		w.run(t, filepath.Join(inst, "uninstall.exe"), "/S", "/REMOVEDATA")
		w.wait(t)
		if _, err := os.Stat(filepath.Dir(db)); err == nil {
			t.Error("uninstall /REMOVEDATA kept the data folder")
		}
		if shots := os.Getenv("STATIONDESK_INSTALLER_SHOTS"); shots != "" {
			installerScreenshots(t, w, x, a(names["setup"]), shots)
		}
	})
}

// version4 is the four-number version of the packages: FyneApp.toml's Version and Build.
func version4(t *testing.T) string {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Build\s*=\s*(\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("FyneApp.toml has no Build")
	}
	return assets.Version + "." + string(m[1])
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

func fileKind(t *testing.T, path string) string {
	t.Helper()
	return strings.TrimSpace(run(t, "", nil, "file", "-b", path))
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sha(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
}

// winPath is a Linux path as Windows programs under Wine see it (drive Z: is /).
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// winePrefix is a Wine installation of the test's own, with a HOME of its own
// (shortcuts and menus never reach the real desktop).
type winePrefix struct {
	prefix, user string
	env          []string
}

func newWinePrefix(t *testing.T, x *xvfb) *winePrefix {
	t.Helper()
	tmp := t.TempDir()
	w := &winePrefix{prefix: filepath.Join(tmp, "wine")}
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(filepath.Join(home, "Desktop"), 0o755); err != nil {
		t.Fatal(err)
	}
	w.env = x.env("WINEPREFIX="+w.prefix, "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, ".local/share"),
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "WINEDEBUG=-all", "WINEARCH=win64",
		// no Mono or Gecko prompts, no menu entries; the test's own bcryptprimitives.dll first.
		"WINEDLLOVERRIDES=mscoree=d;mshtml=d;winemenubuilder.exe=d;bcryptprimitives=n,b")
	t.Cleanup(func() {
		k := exec.Command("wineserver", "-k")
		k.Env = w.env
		k.Run()
	})
	start := time.Now()
	run(t, "", w.env, "wineboot", "--init")
	w.wait(t)
	// Wine 8 says it is Windows 7 unless told; the installer refuses Windows 7.
	run(t, "", w.env, "wine", "reg", "add", `HKCU\Software\Wine`, "/v", "Version", "/t", "REG_SZ", "/d", "win10", "/f")
	w.wait(t)
	t.Logf("Wine prefix ready in %.0f s", time.Since(start).Seconds())
	users, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c/users/*/AppData"))
	for _, u := range users {
		if !strings.HasSuffix(filepath.Dir(u), "Public") {
			w.user = filepath.Dir(u)
		}
	}
	if w.user == "" {
		t.Fatalf("no user folder in the Wine prefix: %v", users)
	}
	// Go's runtime needs ProcessPrng, which Wine 8 lacks: a few lines of C,
	// built here and placed in this prefix only.
	dll := filepath.Join(w.prefix, "drive_c/windows/system32/bcryptprimitives.dll")
	def := filepath.Join(tmp, "bcryptprimitives.def")
	if err := os.WriteFile(def, []byte("LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "", nil, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-s", "-o", dll, "testdata/processprng.c", def, "-ladvapi32")
	return w
}

// command is exe (a Linux path) run by Wine in this prefix.
func (w *winePrefix) command(exe string, args ...string) *exec.Cmd {
	cmd := exec.Command("wine", append([]string{exe}, args...)...)
	cmd.Env = w.env
	return cmd
}

// run runs exe to its end and returns its stdout.
func (w *winePrefix) run(t *testing.T, exe string, args ...string) string {
	t.Helper()
	return run(t, "", w.env, "wine", append([]string{exe}, args...)...)
}

// wait waits until every program of the prefix has ended (an NSIS uninstaller
// copies itself away and returns at once); the registry is saved then.
func (w *winePrefix) wait(t *testing.T) {
	t.Helper()
	run(t, "", w.env, "wineserver", "-w")
}

func (w *winePrefix) stop(t *testing.T) {
	t.Helper()
	k := exec.Command("wineserver", "-k")
	k.Env = w.env
	k.Run()
	w.wait(t)
}

// shortcuts are the Start-menu and desktop shortcuts named 劳保站工作台 that exist.
func (w *winePrefix) shortcuts(t *testing.T) []string {
	var found []string
	for _, dir := range []string{"AppData/Roaming/Microsoft/Windows/Start Menu/Programs", "Desktop"} {
		p := filepath.Join(w.user, dir, title+".lnk")
		if _, err := os.Stat(p); err == nil {
			found = append(found, p)
		}
	}
	return found
}

// linkTarget reads the local path a .lnk points to and maps drive C: into the prefix.
func (w *winePrefix) linkTarget(t *testing.T, lnk string) string {
	t.Helper()
	b, err := os.ReadFile(lnk)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?i)C:\\[ -~]*?stationdesk\.exe`).Find(b)
	if m == nil {
		t.Fatalf("%s holds no path to stationdesk.exe", lnk)
	}
	rel := strings.ReplaceAll(string(m[3:]), `\`, "/")
	// Wine's folder names differ in case from the path Windows programs see.
	return caseFold(t, filepath.Join(w.prefix, "drive_c"), rel)
}

// caseFold finds rel under dir as Windows does, ignoring case.
func caseFold(t *testing.T, dir, rel string) string {
	for _, part := range strings.Split(rel, "/") {
		entries, _ := os.ReadDir(dir)
		next := filepath.Join(dir, part)
		for _, e := range entries {
			if strings.EqualFold(e.Name(), part) {
				next = filepath.Join(dir, e.Name())
			}
		}
		dir = next
	}
	return dir
}

func (w *winePrefix) userReg(t *testing.T) string {
	t.Helper()
	return readText(t, filepath.Join(w.prefix, "user.reg"))
}

// installerScreenshots walks the installer's and the uninstaller's pages on
// Xvfb and saves each into dir (docs/screenshots), for install.md. Wine's
// dialog fonts are pointed at WenQuanYi Micro Hei so that Chinese shows.
func installerScreenshots(t *testing.T, w *winePrefix, x *xvfb, setup, dir string) {
	for _, f := range []string{"MS Shell Dlg", "MS Shell Dlg 2", "Tahoma", "SimSun", "宋体", "Microsoft YaHei", "微软雅黑"} {
		run(t, "", w.env, "wine", "reg", "add", `HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes`, "/v", f, "/d", "WenQuanYi Micro Hei", "/f")
	}
	w.wait(t)
	window := func() string { // the newest window whose title starts with 劳保站工作台
		for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(time.Second) {
			cmd := exec.Command("xdotool", "search", "--name", "^"+title)
			cmd.Env = w.env
			out, _ := cmd.Output()
			if ids := strings.Fields(string(out)); len(ids) > 0 {
				return ids[len(ids)-1]
			}
		}
		t.Fatalf("no window of the installer:\n%s", x.windows())
		return ""
	}
	shot := func(name string) {
		time.Sleep(2 * time.Second) // let the page paint
		run(t, "", w.env, "import", "-window", window(), filepath.Join(dir, name+".png"))
	}
	next := func() { run(t, "", w.env, "xdotool", "windowfocus", "--sync", window(), "key", "Return") }
	if err := w.command(setup).Start(); err != nil {
		t.Fatal(err)
	}
	shot("installer-1-welcome")
	next()
	shot("installer-2-folder")
	next()
	uninst := filepath.Join(w.user, "AppData/Local/Programs/StationDesk/uninstall.exe")
	for end := time.Now().Add(2 * time.Minute); time.Now().Before(end); time.Sleep(time.Second) {
		if _, err := os.Stat(uninst); err == nil {
			break
		}
	}
	time.Sleep(3 * time.Second)
	shot("installer-3-finish")
	w.stop(t)
	if err := w.command(uninst).Start(); err != nil {
		t.Fatal(err)
	}
	next() // past the confirmation page, to the choice of keeping the data
	shot("uninstaller-data")
	w.stop(t)
}
