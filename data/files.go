package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Files the program writes hold personal data or keys: they are private to
// the account (0600, folders 0700), made under a fresh random name with
// O_EXCL (os.CreateTemp) and renamed into place, so that nothing is ever
// written through a link someone planted beside them. Files it reads from
// outside are opened only when they are regular files (a FIFO would hang).

// Private file and folder modes (on Windows the per-user folder is private already).
const (
	privateFile os.FileMode = 0o600
	privateDir  os.FileMode = 0o700
)

// openRegular opens a file from outside only if it is a regular file: a
// FIFO or device is refused without blocking (see openNoBlock).
func openRegular(path string) (*os.File, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, errNotRegular
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, nil, err
	}
	// What was opened may not be what was looked at: look again.
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = errNotRegular
		}
		return nil, fi, err
	}
	return f, fi, nil
}

var errNotRegular = errors.New("not a regular file")

// makePrivate narrows an existing file or folder to its owner.
func makePrivate(path string, mode os.FileMode) error {
	err := os.Chmod(path, mode)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// privateDB makes the database and its WAL and SHM files private. A new
// database file is made empty and private first: SQLite gives its journal
// files the database file's mode.
func privateDB(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, privateFile)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := makePrivate(p, privateFile); err != nil {
			return err
		}
	}
	return nil
}

// createPrivate makes an empty private file at path, failing if anything
// (a file, a link) is there already; VACUUM INTO then fills it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateFile)
	if err != nil {
		return err
	}
	return f.Close()
}

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
