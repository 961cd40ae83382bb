package data

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
)

// Files the program writes are private (store/files.go, render.WriteFile).

// openedName is where an attachment is written for the system viewer: a
// folder named by a hash of the record id (never the id itself) and the
// attachment's own name cleaned of anything a file system could read as a
// path or device.
func openedName(dir, id, name string) (string, string) {
	sum := sha256.Sum256([]byte(id))
	folder := filepath.Join(dir, "opened", hex.EncodeToString(sum[:8]))
	return folder, filepath.Join(folder, safeFileName(name))
}

// safeFileName keeps a file name's letters: no separators, no characters
// Windows refuses, no control or direction characters, no leading dots, not
// a device name, at most 120 characters.
func safeFileName(name string) string {
	name = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
	var b strings.Builder
	n := 0
	for _, r := range name {
		if n == maxFileName {
			break
		}
		switch {
		case strings.ContainsRune(`<>:"/\|?*`, r), refusedRune(r, false) != nil:
			r = '_'
		}
		b.WriteRune(r)
		n++
	}
	s := strings.Trim(strings.TrimLeft(b.String(), "."), " ")
	base := strings.ToUpper(strings.TrimSuffix(s, filepath.Ext(s)))
	switch base {
	case "", "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "LPT1", "LPT2", "LPT3":
		s = "attachment" + filepath.Ext(s)
	}
	return s
}
