// Package data is Station Desk's storage: domain types, validation and the
// SQLite database behind them. Nothing in here knows about the GUI.
package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ApplicationID marks a SQLite file as Station Desk's own ("STDK").
const ApplicationID = 0x5354444B

// DBFileName is the database file inside the data folder.
const DBFileName = "stationdesk.db"

// Store is the open database: one writer connection beside a pool of readers.
type Store struct {
	Dir  string
	Path string
	w    *sql.DB // exactly one connection: SQLite allows one writer at a time
	r    *sql.DB // read pool
}

// DefaultDataDir is the per-user data folder shared by the GUI and stationctl.
// STATIONDESK_DATA_DIR overrides it.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("STATIONDESK_DATA_DIR"); d != "" {
		return d, nil
	}
	var base string
	switch runtime.GOOS {
	case "windows", "darwin":
		d, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("data: find user folder: %w", err)
		}
		base = d
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			base = d
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("data: find home folder: %w", err)
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(base, "StationDesk"), nil
}

func dsn(path string, readOnly bool) string {
	v := url.Values{}
	// busy_timeout first so that every later pragma already waits on a lock.
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		v.Add("mode", "ro")
	} else {
		v.Add("_pragma", "journal_mode(WAL)")
		v.Add("_pragma", "synchronous(NORMAL)")
		v.Add("_txlock", "immediate")
	}
	return "file:" + filepath.ToSlash(path) + "?" + v.Encode()
}

// Open opens (creating if needed) the database in dir, checks that it is
// Station Desk's own, not newer than this program and not damaged, and
// migrates it to the current schema. A refused file is left untouched.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Kind: KindIO, Op: "create data folder", Err: err}
	}
	path := filepath.Join(dir, DBFileName)
	if err := inspect(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, &Error{Kind: KindIO, Op: "open database", Err: err}
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, &Error{Kind: KindIO, Op: "open database", Err: err}
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	s := &Store{Dir: dir, Path: path, w: w, r: r}
	if err := s.migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// inspect looks at an existing file through a read-only connection, before
// anything (even switching to WAL) can write to it.
func inspect(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return nil
	}
	if err != nil {
		return &Error{Kind: KindIO, Op: "read database", Err: err}
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return &Error{Kind: KindIO, Op: "open database", Err: err}
	}
	defer db.Close()
	ctx := context.Background()
	var appID, version int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return classifyOpenErr(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classifyOpenErr(err)
	}
	if appID != ApplicationID {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
			return classifyOpenErr(err)
		}
		if appID != 0 || n > 0 {
			return &Error{Kind: KindForeign, Op: "open database", Err: fmt.Errorf("%s is not a Station Desk database (application_id %#x)", path, appID)}
		}
	}
	if version > int64(SchemaVersion()) {
		return &Error{Kind: KindTooNew, Op: "open database", Err: fmt.Errorf("%s has schema version %d, this program knows up to %d; install the newer Station Desk", path, version, SchemaVersion())}
	}
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return classifyOpenErr(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classifyOpenErr(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classifyOpenErr(err)
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			problems = problems[:3]
		}
		return &Error{Kind: KindDamaged, Op: "check database", Err: errors.New(strings.Join(problems, "; "))}
	}
	return nil
}

func classifyOpenErr(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		return &Error{Kind: KindDamaged, Op: "check database", Err: err}
	case strings.Contains(msg, "locked"), strings.Contains(msg, "busy"):
		return &Error{Kind: KindLocked, Op: "open database", Err: err}
	}
	return &Error{Kind: KindIO, Op: "open database", Err: err}
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// Write runs fn in one write transaction; it commits when fn returns nil.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: commit: %w", err)
	}
	return nil
}

// Read gives the read pool, for queries outside a transaction.
func (s *Store) Read() *sql.DB { return s.r }

// IntegrityCheck runs PRAGMA integrity_check and returns nil when it says ok.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	var res string
	if err := s.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("data: integrity check: %w", err)
	}
	if res != "ok" {
		return &Error{Kind: KindDamaged, Op: "integrity check", Err: errors.New(res)}
	}
	return nil
}
