package sync

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"filippo.io/age"

	"stationdesk/data/store"
)

// The bundle file (docs/bundle-format.md):
//
//	"STDKBNDL"            8 bytes
//	header length         uint32, big endian, at most MaxHeaderBytes
//	header                JSON (BundleHeader)
//	signature             64 bytes, ed25519 by the sender over signedPrefix + header
//	payload               age (X25519) ciphertext of a zip archive, PayloadBytes long
const (
	BundleFormat  = "stationdesk-bundle"
	BundleVersion = 1
	BundleExt     = ".stbundle"
	bundleMagic   = "STDKBNDL"
	signedPrefix  = "stationdesk bundle v1\n"
)

// Limits a bundle must keep; anything beyond is refused before it is applied.
const (
	MaxBundleBytes int64 = 2 << 30   // the whole file
	MaxHeaderBytes       = 64 << 10  // the plain header
	MaxEntries           = 5000      // entries in the archive
	MaxEntryBytes  int64 = 512 << 20 // one entry, uncompressed (records/ entries: MaxRecordsBytes)
	// MaxRecordsBytes bounds one records/KIND.jsonl, which is read line by
	// line and never held whole: a station's first bundle of a million
	// visits is about 600 MB of JSON.
	MaxRecordsBytes int64 = MaxTotalBytes
	MaxTotalBytes   int64 = 4 << 30  // all entries, uncompressed
	MaxRatio              = 100      // uncompressed : compressed, for entries over 1 MiB
	MaxLineBytes          = 16 << 20 // one record line
)

var (
	fileNameRE  = regexp.MustCompile(`^files/[0-9a-f]{64}$`)
	entryNameRE = regexp.MustCompile(`^(manifest\.json|receipt\.json|records/[a-z][a-z0-9_]{0,62}\.jsonl|files/[0-9a-f]{64})$`)
)

// BundleHeader is the plain, signed part of a bundle. It holds no personal data.
type BundleHeader struct {
	Format     string     `json:"format"`
	Version    int        `json:"version"`
	Program    string     `json:"program"`
	Sender     string     `json:"sender"`
	SenderRole store.Role `json:"sender_role"`
	Receiver   string     `json:"receiver"`
	Seq        int64      `json:"seq"`
	Epoch      string     `json:"epoch,omitempty"` // the sender's epoch (sync_epoch.go); absent from older programs
	// Restored, in an epoch begun by a restore: the sender's own versions
	// stamped strictly between these two were lost with it.
	Restored      *[2]int64      `json:"restored,omitempty"`
	Prev          string         `json:"prev"`
	Created       int64          `json:"created"`
	Records       map[string]int `json:"records"`
	PayloadBytes  int64          `json:"payload_bytes"`
	PayloadSHA256 string         `json:"payload_sha256"`
}

// manifest is the archive's first entry; it repeats the header's identity
// so that a payload cannot be moved under another header.
type manifest struct {
	Sender   string `json:"sender"`
	Receiver string `json:"receiver"`
	Seq      int64  `json:"seq"`
	Epoch    string `json:"epoch,omitempty"`
	Created  int64  `json:"created"`
}

// receipt tells the receiver what the sender has applied from it.
type receipt struct {
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
	Epoch string `json:"epoch,omitempty"` // the receiver's epoch that bundle belonged to
}

// Refusal is why a bundle was not imported; nothing was written.
type Refusal struct {
	Reason string // stable code: bad_signature, truncated, replayed, ...
	Msg    string // Chinese, for the officer
	Err    error
	// Record names the record that made a bundle be refused (not_authorized,
	// bad_record), when one did.
	Record *RefusedRecord
}

// RefusedRecord says which record made a bundle be refused, in words an
// officer understands; it holds no personal data.
type RefusedRecord struct {
	Sender     string `json:"sender"`      // code of the bundle's sender
	SenderName string `json:"sender_name"` // its name
	Kind       string `json:"kind"`        // e.g. policies
	KindLabel  string `json:"kind_label"`  // e.g. 政策资料
	ID         string `json:"id"`
	What       string `json:"what"`       // 《title》 or 编号 …, for the officer
	Owner      string `json:"owner"`      // code of the record's owner
	OwnerName  string `json:"owner_name"` // its name
	Field      string `json:"field,omitempty"`
}

func (r *Refusal) Error() string {
	s := "data: bundle refused (" + r.Reason + "): " + r.Msg
	if r.Err != nil {
		s += ": " + r.Err.Error()
	}
	return s
}

func (r *Refusal) Unwrap() error { return r.Err }

func refuse(reason, msg string, err error) *Refusal {
	return &Refusal{Reason: reason, Msg: msg, Err: err}
}

// RefusalOf returns the refusal inside err, if any.
func RefusalOf(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

// openedBundle is a bundle whose sender and signature have been checked.
type openedBundle struct {
	f          *os.File
	Header     BundleHeader
	Hash       string // sha256 of the whole file, hex
	payloadOff int64
	peer       Peer
}

func (b *openedBundle) Close() error { return b.f.Close() }

// openBundle checks, in this order and before any decryption: the size, the
// header, the receiver, the sender, the signature, and that the payload is
// complete and the one signed.
func openBundle(ctx context.Context, path, self string, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (*openedBundle, error) {
	// Only a regular file is opened: a FIFO or device would hang or never end.
	f, fi, err := store.OpenRegular(path)
	if errors.Is(err, store.ErrNotRegular) {
		return nil, refuse("not_bundle", "这不是同步包文件", err)
	}
	if err != nil {
		return nil, &store.Error{Kind: store.KindIO, Op: "open bundle", Err: err}
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	if fi.Size() > MaxBundleBytes {
		return nil, refuse("too_big", "文件过大，超过同步包的上限", nil)
	}
	var pre [12]byte
	if _, err := io.ReadFull(f, pre[:]); err != nil {
		return nil, refuse("not_bundle", "这不是同步包文件", err)
	}
	if string(pre[:8]) != bundleMagic {
		return nil, refuse("not_bundle", "这不是同步包文件", nil)
	}
	n := binary.BigEndian.Uint32(pre[8:])
	if n == 0 || n > MaxHeaderBytes {
		return nil, refuse("bad_header", "同步包头部损坏", nil)
	}
	hdrBytes := make([]byte, n)
	if _, err := io.ReadFull(f, hdrBytes); err != nil {
		return nil, refuse("truncated", "文件不完整（可能被截断）", err)
	}
	sig := make([]byte, ed25519.SignatureSize)
	if _, err := io.ReadFull(f, sig); err != nil {
		return nil, refuse("truncated", "文件不完整（可能被截断）", err)
	}
	var h BundleHeader
	if err := json.Unmarshal(hdrBytes, &h); err != nil || h.Format != BundleFormat {
		return nil, refuse("bad_header", "同步包头部损坏", err)
	}
	if h.Version != BundleVersion {
		return nil, refuse("unsupported", "同步包由更新版本的程序写入，请升级后再导入", nil)
	}
	if h.Sender == self {
		return nil, refuse("own", "这是本单位自己导出的同步包", nil)
	}
	if h.Receiver != self {
		return nil, refuse("not_for_us", "这个同步包不是发给本单位的", nil)
	}
	peer, known, err := getPeer(ctx, q, h.Sender)
	if err != nil {
		return nil, err
	}
	if !known {
		return nil, refuse("unknown_sender", "发送方未在本单位登记", nil)
	}
	pub, err := parseSignPub(peer.SignPub)
	if err != nil {
		return nil, &store.Error{Kind: store.KindDamaged, Op: "read peer key", Err: err}
	}
	signed := append([]byte(signedPrefix), hdrBytes...)
	if !ed25519.Verify(pub, signed, sig) {
		old, err := revokedKey(ctx, q, h.Sender, func(s string) bool {
			p, err := parseSignPub(s)
			return err == nil && ed25519.Verify(p, signed, sig)
		})
		if err != nil {
			return nil, err
		}
		if old {
			return nil, refuse("revoked_key", "密钥已作废：这个包是用已被替换的旧密钥签名的", nil)
		}
		return nil, refuse("bad_signature", "签名不符", nil)
	}
	if string(h.SenderRole) != string(peer.Role) {
		return nil, refuse("bad_signature", "签名不符", errors.New("sender role differs"))
	}
	off := int64(12) + int64(n) + ed25519.SignatureSize
	switch {
	case h.PayloadBytes <= 0 || fi.Size() < off+h.PayloadBytes:
		return nil, refuse("truncated", "文件不完整（可能被截断）", nil)
	case fi.Size() > off+h.PayloadBytes:
		return nil, refuse("altered", "文件已被改动（与签名不符）", errors.New("trailing data"))
	}
	whole, pay := sha256.New(), sha256.New()
	whole.Write(pre[:])
	whole.Write(hdrBytes)
	whole.Write(sig)
	if _, err := io.Copy(io.MultiWriter(whole, pay), bufio.NewReaderSize(io.NewSectionReader(f, off, h.PayloadBytes), 1<<16)); err != nil {
		return nil, &store.Error{Kind: store.KindIO, Op: "read bundle", Err: err}
	}
	if hex.EncodeToString(pay.Sum(nil)) != h.PayloadSHA256 {
		return nil, refuse("altered", "文件已被改动（与签名不符）", nil)
	}
	ok = true
	return &openedBundle{f: f, Header: h, Hash: hex.EncodeToString(whole.Sum(nil)), payloadOff: off, peer: peer}, nil
}

// archive is a decrypted payload whose entries passed every limit.
type archive struct {
	zr      *zip.Reader
	files   map[string]*zip.File
	records []string // kind names, in archive order
	man     manifest
	rec     receipt
}

func badArchive(why string) *Refusal {
	return refuse("bad_archive", "同步包内容不合规："+why, nil)
}

// decrypt opens the payload with this installation's identity and checks the
// archive's directory before anything in it is used. Nothing goes to disk.
func (b *openedBundle) decrypt(id *age.X25519Identity) (*archive, error) {
	ra, size, err := age.DecryptReaderAt(io.NewSectionReader(b.f, b.payloadOff, b.Header.PayloadBytes), b.Header.PayloadBytes, id)
	if err != nil {
		return nil, refuse("decrypt", "无法解密（不是发给本机密钥的，或已损坏）", err)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, refuse("bad_archive", "同步包内容不合规：无法读取压缩包", err)
	}
	return checkArchive(zr)
}

func checkArchive(zr *zip.Reader) (*archive, error) {
	if len(zr.File) > MaxEntries {
		return nil, badArchive(fmt.Sprintf("条目过多（%d 个）", len(zr.File)))
	}
	a := &archive{zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	var total uint64
	for _, f := range zr.File {
		name := f.Name
		switch {
		case strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || strings.Contains(name, ":"):
			return nil, badArchive("含有不安全的路径")
		case !entryNameRE.MatchString(name):
			return nil, badArchive("含有不认识的文件名")
		case !f.Mode().IsRegular():
			return nil, badArchive("含有链接或目录")
		case f.Flags&0x1 != 0:
			return nil, badArchive("含有加密条目")
		case f.Method != zip.Store && f.Method != zip.Deflate:
			return nil, badArchive("压缩方式不受支持")
		case f.UncompressedSize64 > uint64(MaxEntryBytes) && !strings.HasPrefix(name, "records/"),
			f.UncompressedSize64 > uint64(MaxRecordsBytes):
			return nil, badArchive("单个条目过大")
		case f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > MaxRatio*max(f.CompressedSize64, 1):
			return nil, badArchive("压缩比异常（疑似压缩炸弹）")
		}
		if _, dup := a.files[name]; dup {
			return nil, badArchive("含有重名条目")
		}
		a.files[name] = f
		total += f.UncompressedSize64
		if total > uint64(MaxTotalBytes) {
			return nil, badArchive("内容总量过大")
		}
		if strings.HasPrefix(name, "records/") {
			a.records = append(a.records, strings.TrimSuffix(strings.TrimPrefix(name, "records/"), ".jsonl"))
		}
	}
	if err := a.readJSON("manifest.json", &a.man, true); err != nil {
		return nil, err
	}
	if err := a.readJSON("receipt.json", &a.rec, false); err != nil {
		return nil, err
	}
	return a, nil
}

// open gives an entry's content, never more than it declared.
func (a *archive) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, badArchive("条目无法读取")
	}
	return &limitedEntry{rc: rc, left: int64(f.UncompressedSize64)}, nil
}

type limitedEntry struct {
	rc   io.ReadCloser
	left int64
}

func (l *limitedEntry) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more than declared means the entry lies about its size.
		var one [1]byte
		if n, _ := l.rc.Read(one[:]); n > 0 {
			return 0, badArchive("条目实际大小与声明不符")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if err != nil && err != io.EOF {
		return n, badArchive("条目已损坏")
	}
	if err == io.EOF && l.left > 0 {
		return n, badArchive("条目实际大小与声明不符")
	}
	return n, err
}

func (l *limitedEntry) Close() error { return l.rc.Close() }

func (a *archive) readAll(name string, limit int64) ([]byte, error) {
	f, ok := a.files[name]
	if !ok {
		return nil, nil
	}
	if int64(f.UncompressedSize64) > limit {
		return nil, badArchive(name + " 过大")
	}
	rc, err := a.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		if r, ok := RefusalOf(err); ok {
			return nil, r
		}
		return nil, badArchive(name + " 无法读取")
	}
	return b, nil
}

func (a *archive) readJSON(name string, v any, required bool) error {
	b, err := a.readAll(name, 1<<20)
	if err != nil {
		return err
	}
	if b == nil {
		if required {
			return badArchive("缺少 " + name)
		}
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badArchive(name + " 格式错误")
	}
	return nil
}

// file resolves a blob reference; the content must hash to its name.
func (a *archive) file(sha string) ([]byte, error) {
	b, err := a.readAll("files/"+sha, MaxEntryBytes)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, badArchive("缺少附件 " + sha[:12])
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != sha {
		return nil, badArchive("附件内容与名称不符")
	}
	return b, nil
}

// eachRecord streams the records of one kind.
func (a *archive) eachRecord(kind string, fn func(*incomingRecord) error) error {
	rc, err := a.open(a.files["records/"+kind+".jsonl"])
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 1<<16), MaxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var rec incomingRecord
		if err := decodeRecord(b, &rec); err != nil {
			return refuse("bad_record", fmt.Sprintf("记录格式错误（%s 第 %d 行）", kind, line), err)
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if r, ok := RefusalOf(err); ok {
			return r
		}
		return refuse("bad_record", fmt.Sprintf("记录过长或已损坏（%s 第 %d 行）", kind, line+1), err)
	}
	return nil
}

func (a *archive) checkManifest(h BundleHeader) error {
	if a.man.Sender != h.Sender || a.man.Receiver != h.Receiver || a.man.Seq != h.Seq || a.man.Epoch != h.Epoch || a.man.Created != h.Created {
		return badArchive("清单与包头不一致")
	}
	return nil
}

// BundleInfo is what `bundle verify` tells about a bundle.
type BundleInfo struct {
	Path    string         `json:"path"`
	Hash    string         `json:"hash"`
	Header  BundleHeader   `json:"header"`
	Records map[string]int `json:"records"`
	Entries int            `json:"entries"`
	Already bool           `json:"already_imported"`
}

func (s *Engine) selfAndKeys(ctx context.Context) (store.Identity, *keys, error) {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return ident, nil, err
	}
	if !ok {
		return ident, nil, &store.Error{Kind: store.KindInvalid, Op: "sync", Field: "identity", Msg: "请先完成首次设置"}
	}
	k, ok, err := loadKeys(ctx, s.r)
	if err != nil {
		return ident, nil, err
	}
	if !ok {
		return ident, nil, refuse("not_enrolled", "本机尚未登记，请先导入区县人社局发放的登记文件", nil)
	}
	return ident, k, nil
}

// VerifyBundle checks a bundle completely without importing it: the sender,
// the signature, integrity, decryption, the archive's limits, and every
// record, by applying it in a transaction that is then rolled back.
func (s *Engine) VerifyBundle(ctx context.Context, path string) (*BundleInfo, error) {
	info := &BundleInfo{Path: path, Records: map[string]int{}}
	res, err := s.importBundle(ctx, path, info)
	if err != nil {
		return nil, err
	}
	info.Already = res.Status == "skipped"
	return info, nil
}

// ImportResult says what one bundle did.
type ImportResult struct {
	Path      string `json:"path"`
	Hash      string `json:"hash,omitempty"`
	Sender    string `json:"sender,omitempty"`
	Seq       int64  `json:"seq,omitempty"`
	Status    string `json:"status"` // imported, skipped, refused
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"message"` // Chinese, for the officer
	Records   int    `json:"records"`
	Applied   int    `json:"applied"`
	Skipped   int    `json:"skipped"` // already present (or older than what is held)
	Conflicts int    `json:"conflicts"`
	Gap       string `json:"gap,omitempty"`       // sequences missing before this one
	NewEpoch  bool   `json:"new_epoch,omitempty"` // the sender restored or was reinstalled: it is sent everything again
	// KeyWarning: the sender applied a bundle signed as this installation
	// that it never wrote; its key may have leaked.
	KeyWarning bool     `json:"key_warning,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	// Record names the record a refusal is about (not_authorized, bad_record).
	Record *RefusedRecord `json:"record,omitempty"`
}

// ImportBundles imports several bundles in turn, in the order given.
func (s *Engine) ImportBundles(ctx context.Context, paths []string, progress func(i int)) []*ImportResult {
	out := make([]*ImportResult, 0, len(paths))
	for i, p := range paths {
		r, _ := s.ImportBundle(ctx, p)
		out = append(out, r)
		if progress != nil {
			progress(i + 1)
		}
	}
	return out
}

// ImportBundle checks a bundle and applies it in one transaction. The result
// is never nil; err is a *Refusal when the bundle was refused.
func (s *Engine) ImportBundle(ctx context.Context, path string) (*ImportResult, error) {
	return s.importBundle(ctx, path, nil)
}

// errBundleDryRun rolls back a verification's transaction.
var errBundleDryRun = errors.New("dry run")

// importBundle imports, or with dry set only checks and fills it in.
func (s *Engine) importBundle(ctx context.Context, path string, dry *BundleInfo) (*ImportResult, error) {
	res := &ImportResult{Path: path, Status: "refused"}
	fail := func(err error) (*ImportResult, error) {
		if r, ok := RefusalOf(err); ok {
			res.Reason, res.Message, res.Record = r.Reason, "拒绝："+r.Msg, r.Record
		} else {
			res.Reason, res.Message = "error", "导入失败："+errorText(err)
		}
		return res, err
	}
	ident, k, err := s.selfAndKeys(ctx)
	if err != nil {
		return fail(err)
	}
	b, err := openBundle(ctx, path, ident.Code, s.r)
	if err != nil {
		return fail(err)
	}
	defer b.Close()
	res.Hash, res.Sender, res.Seq = b.Hash, b.Header.Sender, b.Header.Seq
	if dry != nil {
		dry.Hash, dry.Header = b.Hash, b.Header
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_imported WHERE hash = ?`, b.Hash).Scan(&n); err != nil {
		return fail(err)
	}
	if n > 0 {
		res.Status, res.Message = "skipped", "已导入过，跳过"
		return res, nil
	}
	if _, err := checkSeq(ctx, s.r, b.Header, b.peer); err != nil {
		return fail(err)
	}
	a, err := b.decrypt(k.age)
	if err != nil {
		return fail(err)
	}
	if err := a.checkManifest(b.Header); err != nil {
		return fail(err)
	}
	// Local changes made before tracking began must be in the log before
	// incoming versions are compared with them.
	if err := s.ensureSyncTriggers(ctx); err != nil {
		return fail(err)
	}
	if dry != nil {
		dry.Entries = len(a.files)
	}
	// A checked, new bundle is about to change the database: keep a
	// consistent copy first (DESIGN: backups before every bundle import).
	if dry == nil {
		if _, err := s.BackupBeforeImport(ctx); err != nil {
			return fail(err)
		}
	}
	// Statement journals in memory: a big import otherwise spends its time
	// writing temporary files. (A connection setting; it cannot change inside
	// a transaction, and the writer pool is one connection.)
	if err := s.TempStoreInMemory(ctx); err != nil {
		return fail(err)
	}
	// One summary line in the audit trail instead of one per record: the
	// records' own edits were audited where they were made.
	err = s.Write(store.QuietAudit(ctx), func(tx *sql.Tx) error { return applyArchive(ctx, tx, ident, b.Header, b.Hash, a, res, dry) })
	if dry != nil && errors.Is(err, errBundleDryRun) {
		res.Status, res.Message = "verified", "同步包完好"
		return res, nil
	}
	if err != nil {
		res.Applied, res.Skipped, res.Conflicts, res.Records, res.Gap, res.Warnings = 0, 0, 0, 0, "", nil
		err = s.refusedRecord(ctx, ident, b, err)
		if r, ok := RefusalOf(err); ok && r.Record != nil && dry == nil {
			// Either a bug or an attack: the bureau's board shows it, and the
			// audit trail keeps it.
			if nerr := s.noteRefusal(ctx, b.Header, r); nerr != nil {
				return fail(nerr)
			}
		}
		return fail(err)
	}
	res.Status, res.Message = "imported", "已导入"
	return res, nil
}

func (a *applier) maxAheadMs() int64 { return a.maxAhead }

func oldBundle(h BundleHeader, p Peer) error {
	if h.SenderRole == store.RoleBureau {
		return refuse("rolled_back", fmt.Sprintf("局端数据版本回退（第 %d 号，本机已收到第 %d 号）", h.Seq, p.InSeq), nil)
	}
	return refuse("replayed", fmt.Sprintf("旧包（第 %d 号，已导入到第 %d 号；后来的包已包含其内容）", h.Seq, p.InSeq), nil)
}

// kindOrder applies kinds in declaration order, whatever the archive's order.
func kindOrder(name string) int {
	for i, k := range syncKinds() {
		if k.Name == name {
			return i
		}
	}
	return 1 << 30
}

// JSONText is a JSON string value as text ("" for anything else).
func JSONText(raw json.RawMessage) string {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && bytes.IndexByte(raw[1:n-1], '\\') < 0 && bytes.IndexByte(raw[1:n-1], '"') < 0 && utf8.Valid(raw[1:n-1]) {
		return string(raw[1 : n-1]) // the plain form the exporter writes
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// applyReceipt notes what the peer says it has applied from us, so that the
// next export to it leaves those changes out.
//
// forged is true when the receipt names, in this installation's current
// epoch, a bundle it never wrote: a number beyond the last one it sent, or a
// number it sent with another content. Someone signed as this installation.
func applyReceipt(ctx context.Context, tx *sql.Tx, peer string, r receipt) (forged bool, err error) {
	if r.Seq <= 0 {
		return false, nil
	}
	if r.Epoch != "" {
		own, err := epochOf(ctx, tx)
		if err != nil {
			return false, err
		}
		if r.Epoch != own {
			return false, nil // a receipt for bundles of an earlier history of ours
		}
	}
	var maxLseq int64
	err = tx.QueryRowContext(ctx, `SELECT max_lseq FROM sync_sent WHERE peer = ? AND seq = ? AND hash = ?`, peer, r.Seq, r.Hash).Scan(&maxLseq)
	if errors.Is(err, sql.ErrNoRows) {
		// Not a bundle we remember (rows go when the peer opens an epoch);
		// one we cannot have written is a forgery.
		if r.Epoch == "" {
			return false, nil
		}
		var outSeq, other int64
		if err := tx.QueryRowContext(ctx, `SELECT out_seq, (SELECT count(*) FROM sync_sent WHERE peer = ?1 AND seq = ?2) FROM sync_peers WHERE code = ?1`, peer, r.Seq).Scan(&outSeq, &other); err != nil {
			return false, fmt.Errorf("data: read receipt: %w", err)
		}
		return r.Seq > outSeq || other > 0, nil
	}
	if err != nil {
		return false, fmt.Errorf("data: read receipt: %w", err)
	}
	// A bundle in sync_sent was written after the last reset of this peer,
	// so it carried the peer's own versions if they were to be sent again.
	_, err = tx.ExecContext(ctx, `UPDATE sync_peers SET acked_seq = max(acked_seq, ?), acked_lseq = max(acked_lseq, ?), echo_own = 0 WHERE code = ?`, r.Seq, maxLseq, peer)
	if err != nil {
		return false, fmt.Errorf("data: apply receipt: %w", err)
	}
	return false, nil
}

func seqRange(a, b int64) string {
	if a == b {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("%d-%d", a, b)
}

func errorText(err error) string {
	var de *store.Error
	if errors.As(err, &de) && de.Msg != "" {
		return de.Msg
	}
	return "数据库操作失败"
}

var _ = base64.StdEncoding

// applyArchive applies a checked archive inside tx: every record, the
// receipt, and the bookkeeping of the sender's sequence.
func applyArchive(ctx context.Context, tx *sql.Tx, ident store.Identity, h BundleHeader, hash string, a *archive, res *ImportResult, dry *BundleInfo) (err error) {
	defer func() { err = recordRefusal(err) }()
	peer, _, err := getPeer(ctx, tx, h.Sender)
	if err != nil {
		return err
	}
	fresh, err := checkSeq(ctx, tx, h, peer)
	if err != nil {
		return err
	}
	incoming := 0
	for _, n := range h.Records {
		incoming += n
	}
	logIndex, err := setAsideLogIndex(ctx, tx, incoming)
	if err != nil {
		return err
	}
	ap, err := newApplier(ctx, tx, ident.Code, a.file)
	if err != nil {
		return err
	}
	defer ap.close()
	ap.restamp = ident.Role == store.RoleBureau
	ap.sides = &syncSides{fromBureau: h.SenderRole == store.RoleBureau, bureau: ident.Code, station: peer.Code}
	if ap.sides.fromBureau {
		ap.sides.bureau, ap.sides.station = peer.Code, ident.Code
		if ap.holdBefore, err = awaitingEcho(ctx, tx, a.rec); err != nil {
			return err
		}
	}
	if h.Restored != nil && h.Restored[0] < h.Restored[1] {
		// Until a station has its lost versions back, its new ones do not
		// descend from them; once it acknowledges the bundle that sent
		// everything back, they do. (The bureau's lost ones never return.)
		active := fresh || ap.sides.fromBureau
		if !active && peer.EchoOwn {
			if active, err = receiptNamesSent(ctx, tx, peer.Code, a.rec); err != nil {
				return err
			}
			active = !active
		}
		if active {
			ap.lost, ap.lostNode = *h.Restored, h.Sender
		}
	}
	kinds := append([]string(nil), a.records...)
	sort.SliceStable(kinds, func(i, j int) bool { return kindOrder(kinds[i]) < kindOrder(kinds[j]) })
	for _, kind := range kinds {
		kd, known := syncKind(kind)
		if !known {
			res.Warnings = append(res.Warnings, "包内有本程序不认识的记录类型 "+kind+"，已跳过；请升级程序")
			continue
		}
		// Records go in chunks: their local versions are looked up in one
		// query per chunk, not one per record.
		if err := ap.bulkStart(kd, h.Records[kind]); err != nil {
			return err
		}
		chunk := make([]*incomingRecord, 0, verChunk)
		flush := func() error {
			if len(chunk) == 0 {
				return nil
			}
			if err := ap.prefetch(kd.Name, chunk); err != nil {
				return err
			}
			for _, r := range chunk {
				_, err := ap.apply(kd, r)
				var bad errBadRecord
				if errors.As(err, &bad) {
					return refuse("bad_record", "记录无效（"+kind+"）", err)
				}
				if err != nil {
					return err
				}
			}
			err := ap.flushPending()
			var bad errBadRecord
			if errors.As(err, &bad) {
				return refuse("bad_record", "记录无效（"+kind+"）", err)
			}
			if err != nil {
				return err
			}
			chunk = chunk[:0]
			return nil
		}
		if err := a.eachRecord(kind, func(r *incomingRecord) error {
			res.Records++
			if dry != nil {
				dry.Records[kind]++
			}
			if err := ap.sides.authorize(kd, r, nil); err != nil {
				return err
			}
			if ka, _ := authorityOf(kd.Name); ka.Parent != "" {
				if err := ap.flushPending(); err != nil {
					return err
				}
				if err := checkParent(ctx, tx, kd, ka, r); err != nil {
					return err
				}
			}
			if chunk = append(chunk, r); len(chunk) == verChunk {
				return flush()
			}
			return nil
		}); err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
		clear(ap.pre)
		if err := ap.bulkEnd(kd); err != nil {
			return err
		}
	}
	if logIndex != "" {
		if _, err := tx.ExecContext(ctx, logIndex); err != nil {
			return fmt.Errorf("data: rebuild change log index: %w", err)
		}
	}
	if fresh {
		// The sender's history was cut (a restore, a reinstall): what it says
		// it holds from us is not to be trusted, everything goes again.
		res.NewEpoch = true
		res.Warnings = append(res.Warnings, "发送方已恢复数据、重新安装或重新登记：下一个发给它的同步包将包含全部记录")
		peer.InSeq, peer.InHash, peer.Gaps = 0, "", ""
	} else if forged, err := applyReceipt(ctx, tx, peer.Code, a.rec); err != nil {
		return err
	} else if forged {
		res.KeyWarning = true
		res.Warnings = append(res.Warnings, "对方收到过一个不是本机发出的同步包：本机的密钥可能已泄露，请联系区县人社局重新发放密钥")
		if err := store.AuditEventTx(ctx, tx, AuditKeys, "", "", fmt.Sprintf("receipt from %s names bundle %d, never sent from here", peer.Code, a.rec.Seq)); err != nil {
			return err
		}
	}
	if err := noteEpochTx(ctx, tx, h, fresh); err != nil {
		return err
	}
	now := store.NowMillis()
	// A bundle carries every change not yet acknowledged, so what a missed
	// bundle held arrives with this one: no gap stays open after it.
	gaps := ""
	if h.Seq > peer.InSeq+1 {
		res.Gap = seqRange(peer.InSeq+1, h.Seq-1)
	} else if peer.InHash != "" && h.Prev != peer.InHash {
		res.Warnings = append(res.Warnings, "包的前序编号与已收到的不一致")
	}
	ahead := max(int64(0), h.Created-ap.wall, ap.maxAheadMs())
	if ahead > maxClockAhead.Milliseconds() || ap.FutureStamps > 0 {
		if ident.Role == store.RoleBureau {
			res.Warnings = append(res.Warnings, fmt.Sprintf("发送方电脑时钟超前约 %d 天，请提醒其校准时间", ahead/86400000))
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("区县人社局的时间比本机快约 %d 天，请检查本机日期和时间", ahead/86400000))
		}
	} else {
		ahead = 0
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_peers SET in_seq = ?, in_hash = ?, in_epoch = ?, in_at = ?, in_created = ?, gaps = ?, clock_ahead_ms = ? WHERE code = ?`,
		h.Seq, hash, h.Epoch, now, h.Created, gaps, ahead, peer.Code); err != nil {
		return fmt.Errorf("data: record bundle: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_imported(hash, peer, seq, imported_at, records, applied, skipped, conflicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		hash, peer.Code, h.Seq, now, res.Records, ap.Applied, ap.Skipped, ap.Conflicts); err != nil {
		return fmt.Errorf("data: record bundle: %w", err)
	}
	res.Applied, res.Skipped, res.Conflicts = ap.Applied, ap.Skipped, ap.Conflicts
	if err := ap.finish(); err != nil {
		return err
	}
	if dry != nil {
		return errBundleDryRun
	}
	return store.AuditEventTx(ctx, tx, store.AuditBundleImport, "", "", fmt.Sprintf("%s #%d: %d records, %d applied, %d skipped, %d conflicts",
		peer.Code, h.Seq, res.Records, res.Applied, res.Skipped, res.Conflicts))
}
