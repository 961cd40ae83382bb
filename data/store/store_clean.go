package store

import (
	"encoding/json"
	"errors"
	"os"
	"sync/atomic"
	"time"
)

// Every open used to run PRAGMA quick_check, which reads the whole file and
// checks the full-text index: about half a second on a station's database
// with 10,000 policies and 100,000 visits, paid again at every start of the
// GUI and every stationctl command. After a clean Close the store writes a
// mark beside the file with the file's size and modification time; an open
// that finds the file exactly as it was left (and no write-ahead log) skips
// the check, unless the last full check is older than fullCheckEvery. Any
// write by any program changes the modification time, so a file damaged or
// replaced since is still checked; the mark is removed as soon as the file
// is opened for writing, so a crash leaves none.

// fullCheckEvery is how long a passed quick_check is trusted for a file
// that has not changed since.
const fullCheckEvery = 24 * time.Hour

// quickChecks counts the checks run, for tests.
var quickChecks atomic.Int64

// cleanMark is the content of DBFileName + ".clean".
type cleanMark struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mod_time_ns"`
	Checked int64 `json:"checked_ms"` // when quick_check last passed
}

func cleanMarkPath(path string) string { return path + ".clean" }

// trustedUnchanged gives when the file at path (stat fi) last passed its
// check, if it is exactly as a clean Close left it and that was recent.
func trustedUnchanged(path string, fi os.FileInfo, now time.Time) (time.Time, bool) {
	b, err := os.ReadFile(cleanMarkPath(path))
	if err != nil || len(b) > 1024 {
		return time.Time{}, false
	}
	var m cleanMark
	if json.Unmarshal(b, &m) != nil || m.Size != fi.Size() || m.ModTime != fi.ModTime().UnixNano() {
		return time.Time{}, false
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return time.Time{}, false
	}
	checked := time.UnixMilli(m.Checked)
	if age := now.Sub(checked); age < 0 || age > fullCheckEvery {
		return time.Time{}, false
	}
	return checked, true
}

// dropCleanMark removes the mark before the file is opened for writing.
func dropCleanMark(path string) error {
	if err := os.Remove(cleanMarkPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return &Error{Kind: KindIO, Op: "open database", Err: err}
	}
	return nil
}

// writeCleanMark records the file as a clean Close left it. Best effort: a
// missing mark only means the next open checks the file.
func writeCleanMark(path string, checked time.Time) {
	if checked.IsZero() {
		return
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		return
	}
	b, _ := json.Marshal(cleanMark{Size: fi.Size(), ModTime: fi.ModTime().UnixNano(), Checked: checked.UnixMilli()})
	tmp := cleanMarkPath(path) + ".tmp"
	if os.WriteFile(tmp, b, 0o600) != nil || os.Rename(tmp, cleanMarkPath(path)) != nil {
		os.Remove(tmp)
	}
}
