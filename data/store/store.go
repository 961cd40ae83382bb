package store

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
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
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

	session bool      // audit_session exists: Write records the acting officer
	checked time.Time // when the file last passed quick_check (zero: not known good)
}

// busyTimeoutMS is how long a statement waits on another program's lock;
// fault tests shorten it.
var busyTimeoutMS = 10000

// onOpen are run, in order, after the migrations of every Open (e.g. to
// (re)create the generated audit triggers for every registered kind).
var onOpen []func(ctx context.Context, s *Store) error

// OnOpen adds a hook run after the migrations of every Open, in the order
// added. Called from an init.
func OnOpen(hook func(ctx context.Context, s *Store) error) { onOpen = append(onOpen, hook) }

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
	v.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
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
func Open(dir string) (*Store, error) { return OpenAt(dir, SchemaVersion()) }

// OpenAt is Open migrating only up to schema version (at most
// SchemaVersion()): tests make with it a database as an earlier release
// left it.
func OpenAt(dir string, version int) (*Store, error) {
	version = min(version, SchemaVersion())
	if err := os.MkdirAll(dir, PrivateDir); err != nil {
		return nil, &Error{Kind: KindIO, Op: "create data folder", Err: err}
	}
	// Personal data and private keys: the folder is the account's alone.
	if err := MakePrivate(dir, PrivateDir); err != nil {
		return nil, &Error{Kind: KindIO, Op: "create data folder", Err: err}
	}
	if err := probeWritable(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, DBFileName)
	checked, err := inspect(path)
	if err != nil {
		return nil, err
	}
	if err := dropCleanMark(path); err != nil {
		return nil, err
	}
	if err := privateDB(path); err != nil {
		return nil, &Error{Kind: KindIO, Op: "open database", Err: err}
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
	ctx := context.Background()
	if err := s.migrate(ctx, version); err != nil {
		s.Close()
		return nil, classifyOpenErr(err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='audit_session'").Scan(&n); err != nil {
		s.Close()
		return nil, classifyOpenErr(err)
	}
	s.session = n == 1
	for _, hook := range onOpen {
		if err := hook(ctx, s); err != nil {
			s.Close()
			return nil, classifyOpenErr(err)
		}
	}
	s.checked = checked
	return s, nil
}

// probeWritable checks that the data folder takes new files, so that a
// read-only folder gets its own clear error rather than a failed write later.
var probeWritable = func(dir string) error {
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return &Error{Kind: KindIO, Op: "data folder is read-only or full", Err: err}
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// inspect looks at an existing file through a read-only connection, before
// anything (even switching to WAL) can write to it, and says when it last
// passed its check (now, or at an earlier open if unchanged since: see
// store_clean.go).
func inspect(path string) (time.Time, error) {
	now := time.Now()
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return now, nil
	}
	if err != nil {
		return time.Time{}, &Error{Kind: KindIO, Op: "read database", Err: err}
	}
	checked, trusted := trustedUnchanged(path, fi, now)
	if !trusted {
		checked = now
	}
	return checked, inspectFile(path, !trusted)
}

func inspectFile(path string, check bool) error {
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
	if !check {
		return nil
	}
	quickChecks.Add(1)
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
	if ErrorKind(err) != "" {
		return err
	}
	if k, op := sqliteKind(err); k != "" {
		return &Error{Kind: k, Op: op, Err: err}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		return &Error{Kind: KindDamaged, Op: "check database", Err: err}
	case strings.Contains(msg, "locked"), strings.Contains(msg, "busy"):
		return &Error{Kind: KindLocked, Op: "open database", Err: err}
	}
	return &Error{Kind: KindIO, Op: "open database", Err: err}
}

// A large transaction (an import, an export, a demo) reads and writes far
// more pages than SQLite's default 2 MB cache holds: it takes LargeCache on
// the writer connection and puts DefaultCache back before it ends, so that
// the program does not keep 64 MB for the rest of the session.
const (
	LargeCache   = `PRAGMA cache_size = -65536`
	DefaultCache = `PRAGMA cache_size = -2000`
)

// Close closes both pools and, when that went well, marks the file as left
// clean (store_clean.go).
func (s *Store) Close() error {
	err := errors.Join(s.r.Close(), s.w.Close())
	if err == nil {
		writeCleanMark(s.Path, s.checked)
		s.checked = time.Time{}
	}
	return err
}

// Write runs fn in one write transaction; it commits when fn returns nil.
// The acting officer (see WithActor) is recorded for the audit triggers of
// this transaction only. Failures of the disk or a lock held by another
// program come back as *Error with KindIO or KindLocked.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return classifyWriteErr("begin", err)
	}
	if s.session {
		quiet := 0
		if auditQuiet(ctx) {
			quiet = 1
		}
		if _, err := tx.ExecContext(ctx, "UPDATE audit_session SET actor = ?, at = ?, quiet = ? WHERE one = 1", ActorFrom(ctx), NowMillis(), quiet); err != nil {
			_ = tx.Rollback()
			return classifyWriteErr("record actor", err)
		}
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classifyWriteErr("write", err)
	}
	if s.session {
		// A later write by another program (sqlite3 shell) must not borrow this officer's name.
		if _, err := tx.ExecContext(ctx, "UPDATE audit_session SET actor = '', at = 0, quiet = 0 WHERE one = 1"); err != nil {
			_ = tx.Rollback()
			return classifyWriteErr("record actor", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return classifyWriteErr("commit", err)
	}
	return nil
}

// classifyWriteErr gives disk-full, read-only, locked and damaged failures
// their Kind; other errors (validation, not found, ...) pass unchanged.
func classifyWriteErr(op string, err error) error {
	if ErrorKind(err) != "" {
		return err
	}
	if k, what := sqliteKind(err); k != "" {
		return &Error{Kind: k, Op: op + ": " + what, Err: err}
	}
	if op == "write" {
		return err
	}
	return fmt.Errorf("data: %s: %w", op, err)
}

// sqliteKind maps SQLite's primary result codes to a Kind and a few words.
func sqliteKind(err error) (Kind, string) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return "", ""
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return KindLocked, "database is locked by another program"
	case sqlite3.SQLITE_FULL:
		return KindIO, "disk full"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
		return KindIO, "data folder or file is read-only"
	case sqlite3.SQLITE_IOERR:
		return KindIO, "disk error"
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return KindDamaged, "database damaged"
	}
	return "", ""
}

// DiskFull reports whether err is a write that failed because the disk (or
// the database's size limit) is full.
func DiskFull(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL
}

// TempStoreInMemory keeps the writer connection's statement journals and
// temporary tables in memory, for a big import (a bundle, the demo) that
// otherwise spends its time writing temporary files. A connection setting:
// it cannot change inside a transaction, and the writer pool is one
// connection.
func (s *Store) TempStoreInMemory(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `PRAGMA temp_store = MEMORY`)
	return err
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
