package sync

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"

	"stationdesk/data/store"
)

// ExportResult is what `bundle export` prints.
type ExportResult struct {
	Path     string `json:"path"`
	Records  int    `json:"records"`
	Bytes    int64  `json:"bytes"`
	Seq      int64  `json:"seq"`
	Receiver string `json:"receiver"`
}

// ExportBundle writes the next bundle for a peer into dir: at a station for
// its bureau (station may be ""), at the bureau for the named station. It
// carries every change the peer has not acknowledged, and a receipt of what
// this installation has applied from the peer. progress, if set, is called
// with records written so far and the total.
func (s *Engine) ExportBundle(ctx context.Context, dir, station string, progress func(done, total int)) (*ExportResult, error) {
	ident, ok, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &store.Error{Kind: store.KindInvalid, Op: "export bundle", Field: "identity", Msg: "请先完成首次设置"}
	}
	if err := s.EnsureKeys(ctx); err != nil {
		return nil, err
	}
	own, ok, err := loadKeys(ctx, s.r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, store.Invalid("enrol", "本机尚未登记，请先导入区县人社局发放的登记文件")
	}
	var peer Peer
	if ident.Role == store.RoleBureau {
		if station == "" {
			return nil, store.Invalid("station", "请选择要发往的站点")
		}
		p, found, err := getPeer(ctx, s.r, station)
		if err != nil {
			return nil, err
		}
		if !found || p.Role != store.RoleStation {
			return nil, store.Invalid("station", "该站点尚未登记")
		}
		peer = p
	} else {
		p, found, err := bureauPeer(ctx, s.r)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, store.Invalid("enrol", "本机尚未登记，请先导入区县人社局发放的登记文件")
		}
		if station != "" && station != p.Code {
			return nil, store.Invalid("station", "站点只能向所属区县人社局导出")
		}
		peer = p
	}
	recip, err := age.ParseX25519Recipient(peer.AgeRecipient)
	if err != nil {
		return nil, &store.Error{Kind: store.KindDamaged, Op: "read peer key", Err: err}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &store.Error{Kind: store.KindIO, Op: "export bundle", Err: err}
	}
	var res *ExportResult
	err = s.Write(ctx, func(tx *sql.Tx) error {
		p, _, err := getPeer(ctx, tx, peer.Code)
		if err != nil {
			return err
		}
		var maxLseq int64
		if err := tx.QueryRowContext(ctx, `SELECT lseq FROM sync_state WHERE one = 1`).Scan(&maxLseq); err != nil {
			return fmt.Errorf("data: export: %w", err)
		}
		epoch, err := epochOf(ctx, tx)
		if err != nil {
			return err
		}
		h := BundleHeader{Format: BundleFormat, Version: BundleVersion, Program: ProgramVersion, Sender: ident.Code,
			SenderRole: ident.Role, Receiver: p.Code, Seq: p.OutSeq + 1, Epoch: epoch, Prev: p.OutHash, Created: store.NowMillis(), Records: map[string]int{}}
		if h.Restored, err = restoredWindow(ctx, tx, epoch); err != nil {
			return err
		}
		// The epoch's first letters keep the bundles of two histories apart.
		name := fmt.Sprintf("%s-%s-%06d-%.6s%s", ident.Code, p.Code, h.Seq, epoch, BundleExt)
		final := filepath.Join(dir, name)
		tmp, err := os.CreateTemp(dir, "."+name+".*.part")
		if err != nil {
			return &store.Error{Kind: store.KindIO, Op: "export bundle", Err: err}
		}
		defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
		// The count and the export read the same pages: keep them.
		if _, err := tx.ExecContext(ctx, store.LargeCache); err != nil {
			return fmt.Errorf("data: export: %w", err)
		}
		defer tx.ExecContext(ctx, store.DefaultCache)
		x := &exporter{ctx: ctx, tx: tx, ident: ident, peer: p, maxLseq: maxLseq, progress: progress}
		if err := x.count(); err != nil {
			return err
		}
		paySum := sha256.New()
		bw := bufio.NewWriterSize(io.MultiWriter(tmp, paySum), 1<<16)
		cw := &countWriter{w: bw}
		enc, err := age.Encrypt(cw, recip)
		if err != nil {
			return fmt.Errorf("data: encrypt: %w", err)
		}
		zw := zip.NewWriter(enc)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
		x.zw = zw
		if err := x.writeJSON("manifest.json", manifest{Sender: h.Sender, Receiver: h.Receiver, Seq: h.Seq, Epoch: h.Epoch, Created: h.Created}); err != nil {
			return err
		}
		if err := x.writeJSON("receipt.json", receipt{Seq: p.InSeq, Hash: p.InHash, Epoch: p.InEpoch}); err != nil {
			return err
		}
		for _, k := range syncKinds() {
			n, err := x.kind(k)
			if err != nil {
				return err
			}
			if n > 0 {
				h.Records[k.Name] = n
			}
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("data: export: %w", err)
		}
		if err := enc.Close(); err != nil {
			return fmt.Errorf("data: encrypt: %w", err)
		}
		if err := bw.Flush(); err != nil {
			return &store.Error{Kind: store.KindIO, Op: "export bundle", Err: err}
		}
		h.PayloadBytes, h.PayloadSHA256 = cw.n, hex.EncodeToString(paySum.Sum(nil))
		hdr, err := json.Marshal(h)
		if err != nil {
			return err
		}
		sig := ed25519.Sign(own.sign, append([]byte(signedPrefix), hdr...))
		hash, size, err := writeBundleFile(final, tmp, hdr, sig)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_sent(peer, seq, hash, max_lseq, created_at, records, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.Code, h.Seq, hash, maxLseq, h.Created, x.done, size); err != nil {
			os.Remove(final)
			return fmt.Errorf("data: record export: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sync_peers SET out_seq = ?, out_hash = ? WHERE code = ?`, h.Seq, hash, p.Code); err != nil {
			os.Remove(final)
			return fmt.Errorf("data: record export: %w", err)
		}
		res = &ExportResult{Path: final, Records: x.done, Bytes: size, Seq: h.Seq, Receiver: p.Code}
		return nil
	})
	if err != nil {
		if res != nil {
			os.Remove(res.Path)
		}
		return nil, err
	}
	return res, nil
}

// writeBundleFile puts magic, header, signature and the ciphertext together
// with WriteFile (package data gives it render.WriteFile): under a fresh name (O_EXCL, so a planted link is
// never followed), synced, then renamed, so that a half-written bundle never
// appears. It returns the file's SHA-256 and size.
func writeBundleFile(final string, payload *os.File, hdr, sig []byte) (string, int64, error) {
	if _, err := payload.Seek(0, io.SeekStart); err != nil {
		return "", 0, &store.Error{Kind: store.KindIO, Op: "export bundle", Err: err}
	}
	sum := sha256.New()
	var size int64
	err := WriteFile(final, func(f io.Writer) error {
		cw := &countWriter{w: io.MultiWriter(f, sum)}
		w := bufio.NewWriterSize(cw, 1<<16)
		var pre [12]byte
		copy(pre[:], bundleMagic)
		binary.BigEndian.PutUint32(pre[8:], uint32(len(hdr)))
		w.Write(pre[:])
		w.Write(hdr)
		w.Write(sig)
		if _, err := io.Copy(w, payload); err != nil {
			return err
		}
		err := w.Flush()
		size = cw.n
		return err
	})
	if err != nil {
		return "", 0, &store.Error{Kind: store.KindIO, Op: "export bundle", Err: err}
	}
	return hex.EncodeToString(sum.Sum(nil)), size, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// exporter writes one bundle's archive.
type exporter struct {
	ctx      context.Context
	tx       *sql.Tx
	zw       *zip.Writer
	ident    store.Identity
	peer     Peer
	maxLseq  int64
	progress func(done, total int)
	total    int
	done     int
	files    map[string]bool
}

func (x *exporter) writeJSON(name string, v any) error {
	w, err := x.zw.Create(name)
	if err != nil {
		return fmt.Errorf("data: export: %w", err)
	}
	return json.NewEncoder(w).Encode(v)
}

// where selects the changes of kind k this peer has not acknowledged.
func (x *exporter) where(k store.RecordKind, cols []column) (string, []any) {
	q := ` FROM sync_changes c JOIN ` + k.Table + ` t ON t.id = c.id WHERE c.kind = ? AND c.lseq > ? AND c.lseq <= ?`
	args := []any{k.Name, x.peer.AckedLseq, x.maxLseq}
	// Only this side's own versions travel (the peer's came from there),
	// unless the peer started a new epoch and may have lost its own; and only
	// of records this side may change (sync_authority.go).
	q += ` AND (c.node = ?`
	args = append(args, x.ident.Code)
	if x.peer.EchoOwn && x.ident.Role == store.RoleBureau {
		q += ` OR c.node = ?`
		args = append(args, x.peer.Code)
	}
	q += `)`
	sides := syncSides{fromBureau: x.ident.Role == store.RoleBureau, bureau: x.peer.Code, station: x.ident.Code}
	if sides.fromBureau {
		sides.bureau, sides.station = x.ident.Code, x.peer.Code
	}
	f, fargs := sides.exportFilter(k, cols)
	return q + f, append(args, fargs...)
}

func hasColumn(cols []column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (x *exporter) count() error {
	for _, k := range syncKinds() {
		cols, err := tableColumns(x.ctx, x.tx, k.Table)
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue
		}
		q, args := x.where(k, cols)
		if x.ident.Role == store.RoleStation {
			// The change log alone is enough for a progress bar.
			q = ` FROM sync_changes c WHERE c.kind = ? AND c.lseq > ? AND c.lseq <= ? AND c.node = ?`
		}
		var n int
		if err := x.tx.QueryRowContext(x.ctx, `SELECT count(*)`+q, args...).Scan(&n); err != nil {
			return fmt.Errorf("data: count %s: %w", k.Name, err)
		}
		x.total += n
	}
	if x.progress != nil {
		x.progress(0, x.total)
	}
	return nil
}

// kind writes records/KIND.jsonl (and the files its blobs need).
func (x *exporter) kind(k store.RecordKind) (int, error) {
	cols, err := tableColumns(x.ctx, x.tx, k.Table)
	if err != nil || len(cols) == 0 {
		return 0, err
	}
	where, args := x.where(k, cols)
	blobs := false
	for _, c := range cols {
		if c.Type == "BLOB" || c.Type == "ANY" || c.Type == "" {
			blobs = true
		}
	}
	if blobs {
		// Blobs go first, each once, as files/<sha256>.
		if err := x.eachRow(cols, where, args, func(vals []any, _ []any) error {
			for _, v := range vals {
				b, ok := v.([]byte)
				if !ok {
					continue
				}
				sum := sha256.Sum256(b)
				sha := hex.EncodeToString(sum[:])
				if x.files[sha] {
					continue
				}
				if x.files == nil {
					x.files = map[string]bool{}
				}
				x.files[sha] = true
				w, err := x.zw.CreateHeader(&zip.FileHeader{Name: "files/" + sha, Method: zip.Store})
				if err != nil {
					return err
				}
				if _, err := w.Write(b); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, fmt.Errorf("data: export %s files: %w", k.Name, err)
		}
	}
	var w io.Writer
	n := 0
	blobRef := func(b []byte) ([]byte, error) {
		sum := sha256.Sum256(b)
		return append(appendJSONString([]byte(`{"file":`), hex.EncodeToString(sum[:])), '}'), nil
	}
	buf := make([]byte, 0, 4096)
	err = x.eachRow(cols, where, args, func(vals []any, ver []any) error {
		if w == nil {
			var err error
			if w, err = x.zw.CreateHeader(&zip.FileHeader{Name: "records/" + k.Name + ".jsonl", Method: zip.Deflate}); err != nil {
				return err
			}
		}
		buf = buf[:0]
		buf = append(buf, `{"id":`...)
		id, _ := vals[0].(string)
		for i, c := range cols {
			if c.Name == "id" {
				id, _ = vals[i].(string)
			}
		}
		buf = appendJSONString(buf, id)
		buf = fmt.Appendf(buf, `,"hlc":%d,"node":`, ver[0])
		buf = appendJSONString(buf, asString(ver[1]))
		buf = fmt.Appendf(buf, `,"base_hlc":%d,"base_node":`, ver[2])
		buf = appendJSONString(buf, asString(ver[3]))
		buf = append(buf, `,"row":`...)
		var err error
		if buf, err = appendRow(buf, cols, vals, blobRef); err != nil {
			return err
		}
		buf = append(buf, "}\n"...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
		n++
		x.done++
		if x.progress != nil && x.done%2000 == 0 {
			x.progress(x.done, x.total)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("data: export %s: %w", k.Name, err)
	}
	if x.progress != nil {
		x.progress(x.done, x.total)
	}
	return n, nil
}

func asString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	}
	return ""
}

func (x *exporter) eachRow(cols []column, where string, args []any, fn func(vals, ver []any) error) error {
	rows, err := x.tx.QueryContext(x.ctx, `SELECT c.hlc, c.node, c.base_hlc, c.base_node, `+selectList(cols, "t.")+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	all := make([]any, 4+len(cols))
	ptrs := make([]any, len(all))
	for i := range all {
		ptrs[i] = &all[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(all[4:], all[:4]); err != nil {
			return err
		}
	}
	return rows.Err()
}
