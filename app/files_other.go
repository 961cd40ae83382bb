//go:build !windows

package app

import (
	"bufio"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/rymdport/portal/filechooser"

	"stationdesk/data"
)

// nativeSave asks through the XDG desktop portal, on a desktop that runs one
// (UOS, Kylin, GNOME, KDE); errNoNative elsewhere.
func nativeSave(_ fyne.Window, name, start string) (string, error) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" || os.Getenv("XDG_CURRENT_DESKTOP") == "" {
		return "", errNoNative
	}
	uris, err := filechooser.SaveFile("", lang.L("保存文件"), &filechooser.SaveFileOptions{
		AcceptLabel: lang.L("保存"), CurrentName: name, CurrentFolder: start,
	})
	if err != nil {
		return "", errNoNative // no portal, or none that answers: the in-app dialog
	}
	if len(uris) == 0 {
		return "", nil // cancelled
	}
	u, err := url.Parse(uris[0])
	if err != nil || u.Scheme != "file" {
		return "", errNoNative
	}
	return u.Path, nil
}

// sendToPrinter sends a file to the default CUPS printer when one is set up
// (lp), otherwise opens it in the desktop's viewer (xdg-open).
func sendToPrinter(path string) (string, error) {
	if lp, err := exec.LookPath("lp"); err == nil {
		if exec.Command("lpstat", "-d").Run() == nil {
			if out, err := exec.Command(lp, "--", path).CombinedOutput(); err == nil {
				_ = out
				return "printer", nil
			}
		}
	}
	if err := exec.Command("xdg-open", path).Start(); err != nil {
		return "", &data.Error{Kind: data.KindIO, Op: "print", Err: err}
	}
	return "viewer", nil
}

// removableDrives are the mounted USB drives: what the desktop mounts under
// /media/USER, /run/media/USER (or /media, /mnt).
func removableDrives() []place {
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []place
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		mnt := strings.ReplaceAll(fields[1], `\040`, " ")
		if !strings.HasPrefix(fields[0], "/dev/") {
			continue
		}
		for _, pre := range []string{"/media/", "/run/media/", "/mnt/"} {
			if strings.HasPrefix(mnt, pre) {
				out = append(out, place{Label: filepath.Base(mnt), Path: mnt})
			}
		}
	}
	return out
}
