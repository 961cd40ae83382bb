package data

import (
	"stationdesk/assets"
	"stationdesk/data/render"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// Sync's names as app/, stationctl, bench and the tests of this package
// know them (sync is data/sync; Store embeds its Engine).

func init() {
	// What sync needs from above the engine: the version written in bundle
	// headers and the one private file writer.
	dsync.ProgramVersion = assets.Version
	dsync.WriteFile = render.WriteFile
}

// Bundles (sync/bundle.go, sync/bundle_export.go).
type (
	BundleHeader  = dsync.BundleHeader
	BundleInfo    = dsync.BundleInfo
	ExportResult  = dsync.ExportResult
	StationExport = dsync.StationExport
	ImportResult  = dsync.ImportResult
	Peer          = dsync.Peer
)

const (
	BundleExt          = dsync.BundleExt
	BundleFormat       = dsync.BundleFormat
	BundleVersion      = dsync.BundleVersion
	MaxSeqGap          = dsync.MaxSeqGap
	AuditBundleRefused = dsync.AuditBundleRefused
)

// Refusals, the board and conflicts (sync/sync_refusal.go, sync/sync_board.go).
type (
	Refusal         = dsync.Refusal
	RefusedRecord   = dsync.RefusedRecord
	StationStatus   = dsync.StationStatus
	Conflict        = dsync.Conflict
	ConflictOutcome = dsync.ConflictOutcome
	FieldDiff       = dsync.FieldDiff
)

// RefusalOf returns the refusal inside err, if any.
func RefusalOf(err error) (*Refusal, bool) { return dsync.RefusalOf(err) }

// FieldLabel is a record field's Chinese name (the column name if unknown).
func FieldLabel(name string) string { return dsync.FieldLabel(name) }

// One-time codes and sealed files (sync/sync_code.go, sync/enroll.go, sync/recovery.go).
const (
	OneTimeCodeDigits  = dsync.OneTimeCodeDigits
	RecoveryCodeDigits = dsync.RecoveryCodeDigits
)

// NewCode makes a code of n random digits, written in groups of four.
func NewCode(n int) (string, error) { return dsync.NewCode(n) }

// FormatCode writes a code's digits in groups of four, as it was shown.
func FormatCode(s string) string { return dsync.FormatCode(s) }

// EnrolmentSealed reports whether an enrolment file asks for a code.
func EnrolmentSealed(file []byte) bool { return dsync.EnrolmentSealed(file) }

// OpenEnrolment gives the plain enrolment inside a file: a sealed one is
// decrypted with code, a plain one is returned as it is.
func OpenEnrolment(file []byte, code string) ([]byte, error) { return dsync.OpenEnrolment(file, code) }

// OpenRecovery decrypts and checks a recovery file without using it, and
// says which bureau it belongs to and how many stations it names.
func OpenRecovery(file []byte, code string) (store.Identity, int, error) {
	return dsync.OpenRecovery(file, code)
}
