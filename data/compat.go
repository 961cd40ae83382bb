package data

import (
	"context"
	"database/sql"
	"os"
	"time"

	"stationdesk/data/store"
)

// The engine's names as app/, stationctl, bench and the feature files of
// this package know them (the engine is data/store).

// Errors (store/errors.go).
type (
	Error = store.Error
	Kind  = store.Kind
)

const (
	KindIO       = store.KindIO
	KindForeign  = store.KindForeign
	KindTooNew   = store.KindTooNew
	KindDamaged  = store.KindDamaged
	KindLocked   = store.KindLocked
	KindNotFound = store.KindNotFound
	KindInvalid  = store.KindInvalid
	KindConflict = store.KindConflict
)

// ErrorKind returns the Kind of err, or "" when it is not an *Error.
func ErrorKind(err error) Kind { return store.ErrorKind(err) }

// Invalid builds a validation error for field with a Chinese reason.
func Invalid(field, msg string) error { return store.Invalid(field, msg) }

// NotFound builds a not-found error for a kind of record.
func NotFound(kind, id string) error { return store.NotFound(kind, id) }

// DBFileName is the database file inside the data folder (store/store.go).
const DBFileName = store.DBFileName

// DefaultDataDir is the per-user data folder shared by the GUI and stationctl.
func DefaultDataDir() (string, error) { return store.DefaultDataDir() }

// SchemaVersion is the user_version this program writes.
func SchemaVersion() int { return store.SchemaVersion() }

// Records and their kinds (store/record.go).
type (
	Record     = store.Record
	RecordKind = store.RecordKind
)

// NewID returns a fresh UUIDv7.
func NewID() string { return store.NewID() }

// Kinds lists every declared kind of record, in declaration order.
func Kinds() []RecordKind { return store.Kinds() }

// clock is the time source of the features and, through SetClock, of the
// engine; tests replace it.
var clock = time.Now

func init() { store.SetClock(func() time.Time { return clock() }) }

func nowMillis() int64 { return clock().UnixMilli() }

// The acting officer (store/audit_actor.go).
const SystemActor = store.SystemActor

type ActorSource = store.ActorSource

// WithActor returns a context whose writes are recorded as done by name.
func WithActor(ctx context.Context, name string) context.Context { return store.WithActor(ctx, name) }

// WithActorSource is WithActor for a name that may change (sign-in, lock).
func WithActorSource(ctx context.Context, src ActorSource) context.Context {
	return store.WithActorSource(ctx, src)
}

// ActorFrom is the acting officer of ctx, or SystemActor.
func ActorFrom(ctx context.Context) string { return store.ActorFrom(ctx) }

// The audit trail (store/audit.go).

const (
	AuditReveal       = store.AuditReveal
	AuditExport       = store.AuditExport
	AuditErase        = store.AuditErase
	AuditSignIn       = store.AuditSignIn
	AuditSignInFailed = store.AuditSignInFailed
	AuditAccount      = store.AuditAccount
	AuditPassword     = store.AuditPassword
	AuditBackup       = store.AuditBackup
	AuditRestore      = store.AuditRestore
	AuditBundleImport = store.AuditBundleImport
)

type (
	AuditLine  = store.AuditLine
	AuditQuery = store.AuditQuery
)

// auditTx appends one entry as actor (the acting officer of ctx when "").
func auditTx(ctx context.Context, tx *sql.Tx, actor, action, kind, recordID, detail string) error {
	return store.AuditTx(ctx, tx, actor, action, kind, recordID, detail)
}

// Backups (store/backup.go).
const (
	BackupDaily      = store.BackupDaily
	BackupPreImport  = store.BackupPreImport
	BackupPreRestore = store.BackupPreRestore
	BackupManual     = store.BackupManual
)

type BackupInfo = store.BackupInfo

// BackupDir is where automatic backups of the data folder go.
func BackupDir(dataDir string) string { return store.BackupDir(dataDir) }

// ListBackups lists the backup files in dir, newest first.
func ListBackups(dir string) ([]BackupInfo, error) { return store.ListBackups(dir) }

// CheckBackup says whether a file is a Station Desk database this program can use.
func CheckBackup(ctx context.Context, path string, full bool) error {
	return store.CheckBackup(ctx, path, full)
}

// NewestGoodBackup is the newest backup of the data folder that passes quick_check.
func NewestGoodBackup(ctx context.Context, dataDir string) (BackupInfo, bool, error) {
	return store.NewestGoodBackup(ctx, dataDir)
}

// Restore replaces the database of dataDir by the backup file (store.Restore).
func Restore(ctx context.Context, dataDir, file, actor string) (string, error) {
	return store.Restore(ctx, dataDir, file, actor)
}

// Private files (store/files.go).
const privateDir = store.PrivateDir

func openRegular(path string) (*os.File, os.FileInfo, error) { return store.OpenRegular(path) }

// Typed text (store/text.go): the limits and the one check.
const (
	maxTag      = store.MaxTag
	maxName     = store.MaxName
	maxShort    = store.MaxShort
	maxTitle    = store.MaxTitle
	maxFileName = store.MaxFileName
	maxLine     = store.MaxLine
	maxNote     = store.MaxNote
	maxText     = store.MaxText
	maxLong     = store.MaxLong
	maxNotes    = store.MaxNotes
	maxBody     = store.MaxBody
)

// textField is one field for checkFields (store.TextField).
type textField struct {
	field     string
	p         *string
	max       int
	multiline bool
}

// checkFields runs checkText over fields in order and stops at the first refusal.
func checkFields(fields ...textField) error {
	tf := make([]store.TextField, len(fields))
	for i, f := range fields {
		tf[i] = store.TextField{Field: f.field, P: f.p, Max: f.max, Multiline: f.multiline}
	}
	return store.CheckFields(tf...)
}

func checkText(field, s string, max int, multiline bool) (string, error) {
	return store.CheckText(field, s, max, multiline)
}

func checkList(field string, items []string, max int) ([]string, error) {
	return store.CheckList(field, items, max)
}

func refusedRune(r rune, multiline bool) error { return store.RefusedRune(r, multiline) }

// ID numbers and phones (store/validate.go).
type IDCard = store.IDCard

// ParseIDCard checks an ID card number (身份证号) as of today.
func ParseIDCard(raw string, today time.Time) (IDCard, error) { return store.ParseIDCard(raw, today) }

// NormalizePhone checks a mobile or landline number and returns its plain form.
func NormalizePhone(raw string) (string, error) { return store.NormalizePhone(raw) }

// MaskPhone shows a phone number with its middle hidden.
func MaskPhone(p string) string { return store.MaskPhone(p) }

// MaskIDNumber shows an ID number with its middle hidden.
func MaskIDNumber(n string) string { return store.MaskIDNumber(n) }

func normalizeDigits(s string, keep func(rune) bool) string { return store.NormalizeDigits(s, keep) }

func idCheckChar(first17 string) byte { return store.IDCheckChar(first17) }

func isDigits(s string) bool { return store.IsDigits(s) }

func boolInt(b bool) int { return store.BoolInt(b) }

// Who this installation is, its settings and its officers (store/settings.go, store/officer.go).
type (
	Role     = store.Role
	Identity = store.Identity
	Officer  = store.Officer
)

const (
	RoleStation      = store.RoleStation
	RoleBureau       = store.RoleBureau
	SettingLanguage  = store.SettingLanguage
	SettingTextScale = store.SettingTextScale
	SettingStudyTime = store.SettingStudyTime
)

// OfficerRoles are the usual roles offered in forms; others may be typed.
var OfficerRoles = store.OfficerRoles

// ErrAlreadySetUp is returned by Setup on an installation that has an identity.
var ErrAlreadySetUp = store.ErrAlreadySetUp

func setupTx(ctx context.Context, tx *sql.Tx, id Identity, roster []Officer, stationID string, now int64) error {
	return store.SetupTx(ctx, tx, id, roster, stationID, now)
}
