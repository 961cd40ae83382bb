package sync

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"os"
	"testing"

	"filippo.io/age"

	"stationdesk/data/store"
)

// Internals the tests of package sync_test use (they test sync through
// package data's Store, with its features).

var (
	AppendRow          = appendRow
	ApplyArchive       = applyArchive
	AuthorityMarkdown  = authorityMarkdown
	AuthorityOf        = authorityOf
	BulkMax            = &bulkMax
	BulkMin            = &bulkMin
	CheckArchive       = checkArchive
	CheckIncomingRow   = checkIncomingRow
	ConflictValue      = conflictValue
	DiffRows           = diffRows
	EpochOf            = epochOf
	ErrBadEnrolment    = &errBadEnrolment
	GetPeer            = getPeer
	HlcMillis          = hlcMillis
	InlineBlob         = inlineBlob
	InsertTriggerReads = insertTriggerReads
	LoadKeys           = loadKeys
	NormalizeCode      = normalizeCode
	OpenBundle         = openBundle
	OpenWithCode       = openWithCode
	QuoteIdent         = quoteIdent
	SealWithCode       = sealWithCode
	SelectList         = selectList
	SyncKind           = syncKind
	SyncKinds          = syncKinds
	TableColumns       = tableColumns
	WriteBundleFile    = writeBundleFile
)

const (
	BundleMagic          = bundleMagic
	HlcShift             = hlcShift
	MaxClockAhead        = maxClockAhead
	RefusalSettingPrefix = refusalSettingPrefix
	SignedPrefix         = signedPrefix
)

type (
	Column           = column
	ErrBadRecord     = errBadRecord
	ErrInvalidRecord = errInvalidRecord
	IncomingRecord   = incomingRecord
	Manifest         = manifest
	TableApplier     = tableApplier
	Version          = version
)

func (r *Engine) SelfAndKeys(a0 context.Context) (store.Identity, *keys, error) {
	return r.selfAndKeys(a0)
}
func (r *applier) Table(a0 store.RecordKind) (*tableApplier, error) { return r.table(a0) }
func (r *applier) Value(a0 column, a1 json.RawMessage) (any, error) { return r.value(a0, a1) }
func (r *archive) File(a0 string) ([]byte, error)                   { return r.file(a0) }
func (r *archive) EachRecord(a0 string, a1 func(*incomingRecord) error) error {
	return r.eachRecord(a0, a1)
}
func (r *openedBundle) Decrypt(a0 *age.X25519Identity) (*archive, error) { return r.decrypt(a0) }
func (r *tableApplier) ColumnsOf(a0 map[string]json.RawMessage) ([]string, string) {
	return r.columnsOf(a0)
}
func (r *tableApplier) Validate(a0 store.RecordKind, a1 string, a2 map[string]json.RawMessage, a3 []string, a4 []any) error {
	return r.validate(a0, a1, a2, a3, a4)
}

func (r syncSides) Authorize(a0 store.RecordKind, a1 *incomingRecord, a2 *rowOwner) error {
	return r.authorize(a0, a1, a2)
}

// Fields the tests read.

func (k *keys) Sign() ed25519.PrivateKey           { return k.sign }
func (k *keys) Age() *age.X25519Identity           { return k.age }
func (b *openedBundle) Payload() (*os.File, int64) { return b.f, b.payloadOff }
func (a *archive) Man() manifest                   { return a.man }
func (a *archive) Records() []string               { return a.records }
func (t *tableApplier) Cols() map[string]column    { return t.cols }
func NewSyncSides(bureau, station string) syncSides {
	return syncSides{bureau: bureau, station: station}
}

// NewApplier is an applier over tx with the files of an archive.
func NewApplier(ctx context.Context, tx *sql.Tx, files func(sha string) ([]byte, error)) *applier {
	return &applier{ctx: ctx, tx: tx, files: files, tables: map[string]*tableApplier{}}
}

// CheapScrypt lowers scrypt's work factor for one test: the real one costs
// 256 MiB and about a second per file, which TestScryptRealWorkFactor pays once.
func CheapScrypt(t testing.TB) {
	old := ScryptWorkFactor
	ScryptWorkFactor = 10
	t.Cleanup(func() { ScryptWorkFactor = old })
}
