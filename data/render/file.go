package render

import (
	"io"
	"os"
	"path/filepath"
)

// privateFile is the mode of every file the program writes: they hold
// personal data or keys, so they are private to the account.
const privateFile os.FileMode = 0o600

// WriteFile writes a new private file (0600) at path. The content goes
// to a fresh random name beside path, created with O_EXCL (os.CreateTemp),
// so that nothing is ever written through a link someone planted there; the
// file is synced and then renamed over path, so path never holds half a
// file. On failure path is left as it was and the temporary file removed.
// An error of write is returned as it is.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(privateFile); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}
