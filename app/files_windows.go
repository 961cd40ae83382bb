//go:build windows

package app

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/sqweek/dialog"
	"golang.org/x/sys/windows"

	"stationdesk/data"
)

// nativeSave asks with Windows' own save dialog.
func nativeSave(_ fyne.Window, name, start string) (string, error) {
	b := dialog.File().Title(lang.L("保存文件")).SetStartFile(name)
	if start != "" {
		b = b.SetStartDir(start)
	}
	if ext := strings.TrimPrefix(filepath.Ext(name), "."); ext != "" {
		b = b.Filter(strings.ToUpper(ext), ext)
	}
	path, err := b.Save()
	if errors.Is(err, dialog.ErrCancelled) {
		return "", nil
	}
	return path, err
}

// sendToPrinter uses the shell's print verb (the PDF viewer's print), or
// opens the file when no program registered one.
func sendToPrinter(path string) (string, error) {
	p, _ := windows.UTF16PtrFromString(path)
	if err := windows.ShellExecute(0, windows.StringToUTF16Ptr("print"), p, nil, nil, windows.SW_SHOWNORMAL); err == nil {
		return "printer", nil
	}
	if err := windows.ShellExecute(0, windows.StringToUTF16Ptr("open"), p, nil, nil, windows.SW_SHOWNORMAL); err != nil {
		return "", &data.Error{Kind: data.KindIO, Op: "print", Err: err}
	}
	return "viewer", nil
}

// removableDrives are the drive letters Windows calls removable (USB sticks).
func removableDrives() []place {
	var out []place
	mask, err := windows.GetLogicalDrives()
	if err != nil {
		return nil
	}
	for i := 0; i < 26; i++ {
		if mask&(1<<uint(i)) == 0 {
			continue
		}
		root := string(rune('A'+i)) + `:\`
		if windows.GetDriveType(windows.StringToUTF16Ptr(root)) == windows.DRIVE_REMOVABLE {
			out = append(out, place{Label: root[:2], Path: root})
		}
	}
	return out
}
