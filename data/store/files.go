package store

import (
	"errors"
	"os"
)

// Files the program writes hold personal data or keys: they are private to
// the account (0600, folders 0700), made under a fresh random name with
// O_EXCL (os.CreateTemp) and renamed into place, so that nothing is ever
// written through a link someone planted beside them. Files it reads from
// outside are opened only when they are regular files (a FIFO would hang).

// Private file and folder modes (on Windows the per-user folder is private already).
const (
	PrivateFile os.FileMode = 0o600
	PrivateDir  os.FileMode = 0o700
)

// OpenRegular opens a file from outside only if it is a regular file: a
// FIFO or device is refused without blocking (see openNoBlock).
func OpenRegular(path string) (*os.File, os.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, ErrNotRegular
	}
	f, err := openNoBlock(path)
	if err != nil {
		return nil, nil, err
	}
	// What was opened may not be what was looked at: look again.
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = ErrNotRegular
		}
		return nil, fi, err
	}
	return f, fi, nil
}

// ErrNotRegular refuses a path that is not a regular file (OpenRegular).
var ErrNotRegular = errors.New("not a regular file")

// MakePrivate narrows an existing file or folder to its owner.
func MakePrivate(path string, mode os.FileMode) error {
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
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, PrivateFile)
	if err != nil {
		return err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := MakePrivate(p, PrivateFile); err != nil {
			return err
		}
	}
	return nil
}

// createPrivate makes an empty private file at path, failing if anything
// (a file, a link) is there already; VACUUM INTO then fills it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, PrivateFile)
	if err != nil {
		return err
	}
	return f.Close()
}
