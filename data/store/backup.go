package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Backups are consistent copies made with VACUUM INTO (never a file copy of
// a live WAL database), named stationdesk-YYYYMMDD-HHMMSS.mmm-LABEL.db.
// Automatic ones live in the data folder's backups/ and are rotated.

// Backup labels.
const (
	BackupDaily      = "daily"       // the automatic one of each day the program runs
	BackupPreImport  = "pre-import"  // before a bundle import
	BackupPreRestore = "pre-restore" // the database a restore replaced
	BackupManual     = "manual"      // written by an officer to a chosen folder
	backupPreMigrate = "pre-migrate" // prefix: before a schema upgrade (kept for good)
)

// Rotation: the newest backup of each of this many most recent days and
// ISO weeks is kept, and the newest few of any kind.
const (
	KeepDaily  = 7
	KeepWeekly = 4
	KeepNewest = 3
)

const backupTimeLayout = "20060102-150405.000"

var backupNameRE = regexp.MustCompile(`^stationdesk-(\d{8}-\d{6}\.\d{3})-([a-z0-9-]+)\.db$`)

// BackupDir is where automatic backups of the data folder dir go.
func BackupDir(dataDir string) string { return filepath.Join(dataDir, "backups") }

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path  string    `json:"path"`
	Time  time.Time `json:"time"`
	Label string    `json:"label"`
	Size  int64     `json:"size"`
}

// Backup writes a consistent copy of the database into dir with VACUUM INTO
// (never a file copy of a live WAL database) and returns its path.
func (s *Store) Backup(ctx context.Context, dir, label string) (string, error) {
	return s.backupAt(ctx, dir, label, clock())
}

func (s *Store) backupAt(ctx context.Context, dir, label string, at time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", &Error{Kind: KindIO, Op: "create backup folder", Err: err}
	}
	if err := MakePrivate(dir, PrivateDir); err != nil {
		return "", &Error{Kind: KindIO, Op: "create backup folder", Err: err}
	}
	name := fmt.Sprintf("stationdesk-%s-%s.db", at.Format(backupTimeLayout), label)
	path := filepath.Join(dir, name)
	for i := 1; exists(path); i++ { // two backups in one millisecond
		path = filepath.Join(dir, fmt.Sprintf("stationdesk-%s-%s.db", at.Add(time.Duration(i)*time.Millisecond).Format(backupTimeLayout), label))
	}
	// VACUUM INTO fills an empty file: made private first (0600, O_EXCL).
	if err := createPrivate(path); err != nil {
		return "", &Error{Kind: KindIO, Op: "backup", Err: err}
	}
	// On a reader: a consistent snapshot of the WAL database that does not hold up writers.
	if _, err := s.r.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return "", classifyWriteErr("backup", err)
	}
	return path, nil
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// AutoBackup writes today's automatic backup unless one exists already,
// then rotates; it returns the path written, or "" when there was nothing
// to do. The GUI calls it at start, off the event thread.
func (s *Store) AutoBackup(ctx context.Context, now time.Time) (string, error) {
	dir := BackupDir(s.Dir)
	list, err := ListBackups(dir)
	if err != nil {
		return "", err
	}
	y, m, d := now.Date()
	for _, b := range list {
		by, bm, bd := b.Time.Date()
		if b.Label == BackupDaily && by == y && bm == m && bd == d {
			return "", nil
		}
	}
	path, err := s.backupAt(ctx, dir, BackupDaily, now)
	if err != nil {
		return "", err
	}
	if _, err := RotateBackups(dir); err != nil {
		return path, err
	}
	return path, nil
}

// BackupBeforeImport keeps a copy of the database just before a bundle
// import (the sync engine calls it), then rotates.
func (s *Store) BackupBeforeImport(ctx context.Context) (string, error) {
	dir := BackupDir(s.Dir)
	path, err := s.Backup(ctx, dir, BackupPreImport)
	if err != nil {
		return "", err
	}
	_, err = RotateBackups(dir)
	return path, err
}

// BackupTo writes a backup to a folder the officer chose (a USB stick) and
// records who did it.
func (s *Store) BackupTo(ctx context.Context, dir string) (string, error) {
	path, err := s.Backup(ctx, dir, BackupManual)
	if err != nil {
		return "", err
	}
	return path, s.AuditEvent(ctx, AuditBackup, "", "", filepath.Base(path))
}

// ListBackups lists the backup files in dir, newest first.
func ListBackups(dir string) ([]BackupInfo, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{Kind: KindIO, Op: "list backups", Err: err}
	}
	var out []BackupInfo
	for _, e := range ents {
		m := backupNameRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		t, err := time.ParseInLocation(backupTimeLayout, m[1], time.Local)
		if err != nil {
			continue
		}
		var size int64
		if fi, err := e.Info(); err == nil {
			size = fi.Size()
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, e.Name()), Time: t, Label: m[2], Size: size})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// planRotation splits backups (any order) into those kept and those to
// delete: pre-migration copies always stay; of the rest, the newest of each
// of the KeepDaily most recent days, then, older than those, the newest of
// each of KeepWeekly ISO weeks, and in any case the KeepNewest newest.
func planRotation(list []BackupInfo) (keep, drop []BackupInfo) {
	sorted := append([]BackupInfo(nil), list...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Time.After(sorted[j].Time) })
	days, weeks := map[string]bool{}, map[string]bool{}
	for i, b := range sorted {
		day := b.Time.Format("2006-01-02")
		y, w := b.Time.ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		k := strings.HasPrefix(b.Label, backupPreMigrate) || i < KeepNewest
		switch {
		case days[day]:
		case len(days) < KeepDaily:
			days[day] = true
			k = true
		case !weeks[week] && len(weeks) < KeepWeekly:
			weeks[week] = true
			k = true
		}
		if k {
			keep = append(keep, b)
		} else {
			drop = append(drop, b)
		}
	}
	return keep, drop
}

// RotateBackups deletes the backups in dir that the rotation does not keep
// and returns their paths.
func RotateBackups(dir string) ([]string, error) {
	list, err := ListBackups(dir)
	if err != nil {
		return nil, err
	}
	_, drop := planRotation(list)
	var removed []string
	for _, b := range drop {
		if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, &Error{Kind: KindIO, Op: "remove old backup", Err: err}
		}
		removed = append(removed, b.Path)
	}
	return removed, nil
}

// CheckBackup opens a file read-only and says whether it is a Station Desk
// database this program can use that passes its check; full runs
// integrity_check, otherwise the faster quick_check.
func CheckBackup(ctx context.Context, path string, full bool) error {
	fi, err := os.Stat(path)
	if err != nil {
		return &Error{Kind: KindIO, Op: "read backup", Err: err}
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 {
		return &Error{Kind: KindForeign, Op: "check backup", Err: fmt.Errorf("%s is not a database file", filepath.Base(path))}
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return &Error{Kind: KindIO, Op: "open backup", Err: err}
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var appID, version int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return classifyBackupErr(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classifyBackupErr(err)
	}
	if appID != ApplicationID || version < 1 {
		return &Error{Kind: KindForeign, Op: "check backup", Err: fmt.Errorf("%s is not a Station Desk database", filepath.Base(path))}
	}
	if version > int64(SchemaVersion()) {
		return &Error{Kind: KindTooNew, Op: "check backup", Err: fmt.Errorf("%s has schema version %d, this program knows up to %d", filepath.Base(path), version, SchemaVersion())}
	}
	pragma := "PRAGMA quick_check"
	if full {
		pragma = "PRAGMA integrity_check"
	}
	var res string
	if err := db.QueryRowContext(ctx, pragma).Scan(&res); err != nil {
		return classifyBackupErr(err)
	}
	if res != "ok" {
		return &Error{Kind: KindDamaged, Op: "check backup", Err: errors.New(res)}
	}
	return nil
}

func classifyBackupErr(err error) error {
	e := classifyOpenErr(err)
	if ErrorKind(e) == KindDamaged && strings.Contains(err.Error(), "not a database") {
		return &Error{Kind: KindForeign, Op: "check backup", Err: err}
	}
	return e
}

// NewestGoodBackup is the newest backup of the data folder that passes
// quick_check; ok is false when there is none.
func NewestGoodBackup(ctx context.Context, dataDir string) (b BackupInfo, ok bool, err error) {
	list, err := ListBackups(BackupDir(dataDir))
	if err != nil {
		return b, false, err
	}
	for _, b := range list {
		if CheckBackup(ctx, b.Path, false) == nil {
			return b, true, nil
		}
	}
	return b, false, nil
}

// Restore replaces the database of dataDir by the backup file, which must
// be a Station Desk database passing integrity_check. The store must be
// closed (in this process and every other). The database replaced is kept
// first in backups/ (pre-restore; a damaged one byte for byte), and that
// path is returned. actor is recorded in the restored database's log.
func Restore(ctx context.Context, dataDir, file, actor string) (string, error) {
	if err := CheckBackup(ctx, file, true); err != nil {
		return "", err
	}
	dbPath := filepath.Join(dataDir, DBFileName)
	if abs1, _ := filepath.Abs(file); abs1 == mustAbs(dbPath) {
		return "", Invalid("file", "不能用正在使用的数据库恢复它自己")
	}
	saved := ""
	if exists(dbPath) {
		var err error
		if saved, err = setAside(ctx, dataDir, dbPath); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return saved, &Error{Kind: KindIO, Op: "create data folder", Err: err}
	}
	tmp := dbPath + ".restoring"
	os.Remove(tmp) // left by an interrupted restore (copyFile makes it anew)
	if err := copyFile(file, tmp); err != nil {
		os.Remove(tmp)
		return saved, &Error{Kind: KindIO, Op: "copy backup", Err: err}
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return saved, &Error{Kind: KindIO, Op: "remove old journal", Err: err}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return saved, &Error{Kind: KindIO, Op: "replace database", Err: err}
	}
	syncDir(dataDir)
	st, err := Open(dataDir)
	if err != nil {
		return saved, err
	}
	defer st.Close()
	if err := st.IntegrityCheck(ctx); err != nil {
		return saved, err
	}
	if actor == "" {
		actor = ActorFrom(ctx)
	}
	err = st.Write(ctx, func(tx *sql.Tx) error {
		for _, hook := range onRestore {
			if err := hook(ctx, tx); err != nil {
				return err
			}
		}
		return AuditTx(ctx, tx, actor, AuditRestore, "", "", filepath.Base(file))
	})
	return saved, err
}

// onRestore run, in order, in the transaction that records a restore in the
// restored database (sync cuts the restored history short there).
var onRestore []func(ctx context.Context, tx *sql.Tx) error

// OnRestore adds a hook run inside the transaction that records a restore.
// Called from an init.
func OnRestore(hook func(ctx context.Context, tx *sql.Tx) error) {
	onRestore = append(onRestore, hook)
}

func mustAbs(p string) string { a, _ := filepath.Abs(p); return a }

// setAside backs up the database about to be replaced, checkpoints it and
// makes sure no other program has it open.
func setAside(ctx context.Context, dataDir, dbPath string) (string, error) {
	dir := BackupDir(dataDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", &Error{Kind: KindIO, Op: "create backup folder", Err: err}
	}
	db, err := sql.Open("sqlite", dsn(dbPath, false))
	if err != nil {
		return "", &Error{Kind: KindIO, Op: "open database", Err: err}
	}
	db.SetMaxOpenConns(1)
	name := filepath.Join(dir, fmt.Sprintf("stationdesk-%s-%s.db", clock().Format(backupTimeLayout), BackupPreRestore))
	verr := createPrivate(name)
	if verr == nil {
		_, verr = db.ExecContext(ctx, "VACUUM INTO ?", name)
	}
	var busy, logFrames, done int
	cerr := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
	db.Close()
	if verr != nil || cerr != nil {
		if k, _ := sqliteKind(errors.Join(verr, cerr)); k == KindLocked {
			return "", &Error{Kind: KindLocked, Op: "restore", Err: errors.Join(verr, cerr)}
		}
		// A damaged database cannot be vacuumed: keep its files byte for byte.
		os.Remove(name)
		name = filepath.Join(dir, fmt.Sprintf("stationdesk-%s-damaged.db", clock().Format(backupTimeLayout)))
		if err := copyFile(dbPath, name); err != nil {
			return "", &Error{Kind: KindIO, Op: "keep damaged database", Err: err}
		}
		if exists(dbPath + "-wal") {
			if err := copyFile(dbPath+"-wal", name+"-wal"); err != nil {
				return "", &Error{Kind: KindIO, Op: "keep damaged database", Err: err}
			}
		}
		return name, nil
	}
	// The last connection to close removes the WAL; if it is still there,
	// another program has the database open.
	if busy != 0 || exists(dbPath+"-wal") {
		return name, &Error{Kind: KindLocked, Op: "restore", Err: errors.New("the database is open in another program")}
	}
	return name, nil
}

func copyFile(src, dst string) error {
	in, _, err := OpenRegular(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, PrivateFile)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// SQLQuote quotes a string literal for the rare statements that take no parameters.
func SQLQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
