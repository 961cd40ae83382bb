package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Import outcomes of one file.
const (
	ImportAdded     = "added"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportFailed    = "failed"
)

// ImportItem is what happened to one file.
type ImportItem struct {
	File   string `json:"file"`
	Action string `json:"action"`
	ID     string `json:"id,omitempty"`
	Title  string `json:"title,omitempty"`
	Reason string `json:"reason,omitempty"` // Chinese, for failed files and warnings
}

// ImportReport sums up an import.
type ImportReport struct {
	Added, Updated, Unchanged, Failed int
	Items                             []ImportItem
}

func (r *ImportReport) add(it ImportItem) {
	switch it.Action {
	case ImportAdded:
		r.Added++
	case ImportUpdated:
		r.Updated++
	case ImportUnchanged:
		r.Unchanged++
	case ImportFailed:
		r.Failed++
	}
	r.Items = append(r.Items, it)
}

// policyFileExts are the files a policy import reads.
var policyFileExts = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".docx": true}

// policyFiles expands paths (files or folders) into the files to import;
// folders are walked, skipping hidden files, READMEs and other file types.
func policyFiles(paths []string) ([]string, []ImportItem) {
	var files []string
	var bad []ImportItem
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			bad = append(bad, ImportItem{File: p, Action: ImportFailed, Reason: "找不到文件或无法读取"})
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, ImportItem{File: path, Action: ImportFailed, Reason: "无法读取"})
				return nil
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || strings.HasPrefix(strings.ToLower(name), "readme") || strings.HasPrefix(name, "~$") {
				return nil
			}
			if policyFileExts[strings.ToLower(filepath.Ext(name))] {
				found = append(found, path)
			}
			return nil
		})
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, bad
}

// parsePolicyFile reads one file into a policy; for .docx also returns the
// original bytes to keep as an attachment.
func parsePolicyFile(path string) (Policy, []byte, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if !policyFileExts[ext] {
		return Policy{}, nil, Invalid("type", "不支持的文件类型，请用 .md、.txt 或 .docx")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return Policy{}, nil, Invalid("file", "无法读取文件")
	}
	limit := int64(maxPolicyText)
	if ext == ".docx" {
		limit = maxDocxFile
	}
	if fi.Size() > limit {
		return Policy{}, nil, Invalid("size", fmt.Sprintf("文件太大（超过 %d MB）", limit>>20))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, nil, Invalid("file", "无法读取文件")
	}
	if ext == ".docx" {
		p, err := parsePolicyDocx(b)
		return p, b, err
	}
	p, err := parsePolicyText(b)
	return p, nil, err
}

// ImportPolicies imports policy files and folders. Each bad file is named
// with its reason while the others import; a file imported again updates its
// policy (matched on 文号, else on title) instead of adding another.
func (s *Store) ImportPolicies(ctx context.Context, paths ...string) (ImportReport, error) {
	var rep ImportReport
	role, origin, err := s.role(ctx)
	if err != nil {
		return rep, err
	}
	files, bad := policyFiles(paths)
	for _, b := range bad {
		rep.add(b)
	}
	type pending struct {
		item int
		id   string
		ref  string
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		var links []pending
		for _, f := range files {
			it, ref, err := importPolicyFile(ctx, tx, role, origin, f)
			if err != nil {
				return err
			}
			rep.add(it)
			if ref != "" {
				links = append(links, pending{len(rep.Items) - 1, it.ID, ref})
			}
		}
		if rep.Added+rep.Updated >= 200 {
			if err := OptimizePolicyIndex(ctx, tx); err != nil {
				return err
			}
		}
		// Successors named by 文号 may come later in the same import.
		for _, l := range links {
			succ, err := resolvePolicyRef(ctx, tx, l.ref)
			if err != nil {
				return err
			}
			if succ == "" || succ == l.id {
				rep.Items[l.item].Reason = "找不到替代它的新政策（" + l.ref + "），请导入后再关联"
				succ = ""
			}
			if _, err := tx.ExecContext(ctx, "UPDATE policies SET superseded_by = ? WHERE id = ? AND superseded_by != ?", succ, l.id, succ); err != nil {
				return fmt.Errorf("data: link successor: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// resolvePolicyRef finds a policy by ID, else by 文号.
func resolvePolicyRef(ctx context.Context, tx *sql.Tx, ref string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, "SELECT id FROM policies WHERE deleted = 0 AND (id = ? OR doc_no = ?) ORDER BY id = ? DESC LIMIT 1", ref, ref, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("data: find successor: %w", err)
	}
	return id, nil
}

// importPolicyFile imports one file; a problem with the file is reported in
// the item, a problem with the database is returned.
func importPolicyFile(ctx context.Context, tx *sql.Tx, role Role, origin, path string) (it ImportItem, successorRef string, err error) {
	it = ImportItem{File: path}
	fail := func(e error) (ImportItem, string, error) {
		var de *Error
		if errors.As(e, &de) && de.Kind == KindInvalid {
			it.Action, it.Reason = ImportFailed, de.Msg
			return it, "", nil
		}
		return it, "", e
	}
	p, original, err := parsePolicyFile(path)
	if err != nil {
		return fail(err)
	}
	p.SourceFile = filepath.Base(path)
	if role == RoleBureau {
		p.Source = SourceBureau
	}
	successorRef = p.SupersededBy
	p.SupersededBy = ""
	if err := p.Validate(); err != nil {
		return fail(err)
	}
	it.Title = p.Title
	old, found, err := matchPolicy(ctx, tx, &p)
	if err != nil {
		return it, "", err
	}
	if found {
		if old.ReadOnly(role) {
			return fail(errBureauReadOnly)
		}
		p.ID, p.Origin, p.LocalNotes, p.CreatedAt = old.ID, old.Origin, old.LocalNotes, old.CreatedAt
		if p.Status == PolicySuperseded {
			p.SupersededBy = old.SupersededBy // the named successor is linked after the whole import
		}
		it.ID, it.Action = p.ID, ImportUnchanged
		if !samePolicyContent(&old, &p) || old.Source != p.Source || old.SourceFile != p.SourceFile {
			if err := updatePolicy(ctx, tx, &p); err != nil {
				return it, "", err
			}
			it.Action = ImportUpdated
		}
	} else {
		if err := insertPolicy(ctx, tx, origin, &p); err != nil {
			return it, "", err
		}
		it.ID, it.Action = p.ID, ImportAdded
	}
	if original != nil {
		changed, err := putAttachment(ctx, tx, origin, p.ID, filepath.Base(path), docxMIME, original)
		if err != nil {
			return it, "", err
		}
		if changed && it.Action == ImportUnchanged {
			it.Action = ImportUpdated
		}
	}
	if p.Status != PolicySuperseded {
		successorRef = ""
	}
	return it, successorRef, nil
}

const docxMIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// matchPolicy finds the policy an imported one replaces: same 文号, else
// (without 文号) same title.
func matchPolicy(ctx context.Context, tx *sql.Tx, p *Policy) (Policy, bool, error) {
	var row *sql.Row
	if p.DocNo != "" {
		row = tx.QueryRowContext(ctx, "SELECT "+policyColumns+" FROM policies WHERE deleted = 0 AND doc_no = ? ORDER BY created_at LIMIT 1", p.DocNo)
	} else {
		row = tx.QueryRowContext(ctx, "SELECT "+policyColumns+" FROM policies WHERE deleted = 0 AND doc_no = '' AND title = ? ORDER BY created_at LIMIT 1", p.Title)
	}
	old, err := scanPolicy(row)
	if errors.Is(err, sql.ErrNoRows) {
		return old, false, nil
	}
	if err != nil {
		return old, false, fmt.Errorf("data: match policy: %w", err)
	}
	return old, true, nil
}

// putAttachment keeps a file with a policy, replacing one of the same name;
// changed is false when the same bytes were there already.
func putAttachment(ctx context.Context, tx *sql.Tx, origin, policyID, name, mime string, content []byte) (changed bool, err error) {
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	var id, oldHash string
	err = tx.QueryRowContext(ctx, "SELECT id, sha256 FROM policy_attachments WHERE policy_id = ? AND name = ? AND deleted = 0", policyID, name).Scan(&id, &oldHash)
	now := nowMillis()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO policy_attachments(id, origin, created_at, updated_at, policy_id, name, mime, size, sha256, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), origin, now, now, policyID, name, mime, len(content), hash, content)
	case err != nil:
	case oldHash == hash:
		return false, nil
	default:
		_, err = tx.ExecContext(ctx, "UPDATE policy_attachments SET content = ?, size = ?, sha256 = ?, mime = ?, updated_at = ? WHERE id = ?",
			content, len(content), hash, mime, now, id)
	}
	if err != nil {
		return false, fmt.Errorf("data: keep attachment: %w", err)
	}
	return true, nil
}

// maxAttachment is the largest file kept with a policy.
const maxAttachment = 64 << 20

// AddAttachment keeps a file of any type with a policy, byte for byte.
func (s *Store) AddAttachment(ctx context.Context, policyID, path string) error {
	f, fi, err := openRegular(path)
	if err != nil {
		return &Error{Kind: KindIO, Op: "read attachment", Err: err}
	}
	defer f.Close()
	if fi.Size() > maxAttachment {
		return Invalid("size", "附件太大（超过 64 MB）")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxAttachment+1))
	if err != nil {
		return &Error{Kind: KindIO, Op: "read attachment", Err: err}
	}
	if len(b) > maxAttachment {
		return Invalid("size", "附件太大（超过 64 MB）")
	}
	role, origin, err := s.role(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		p, err := findPolicy(ctx, tx, policyID)
		if err != nil {
			return err
		}
		// Attachments of a bureau policy are the bureau's (sync_authority.go).
		if p.ReadOnly(role) {
			return errBureauReadOnly
		}
		// The name as every copy will check it: no separators, no invisible characters.
		_, err = putAttachment(ctx, tx, origin, policyID, safeFileName(filepath.Base(path)), mimeByExt(path), b)
		return err
	})
}

func mimeByExt(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".docx":
		return docxMIME
	case ".pdf":
		return "application/pdf"
	case ".md", ".txt":
		return "text/plain; charset=utf-8"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	}
	return "application/octet-stream"
}

// ExportAttachment writes an attachment into the data folder's "opened"
// folder, so that the system viewer can open it, and returns the path.
func (s *Store) ExportAttachment(ctx context.Context, id string) (string, error) {
	var name string
	var b []byte
	err := s.Read().QueryRowContext(ctx, "SELECT name, content FROM policy_attachments WHERE id = ? AND deleted = 0", id).Scan(&name, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return "", NotFound("attachment", id)
	}
	if err != nil {
		return "", fmt.Errorf("data: read attachment: %w", err)
	}
	// Nothing from a record becomes a path: the folder is named by a hash
	// of the id, the file by the attachment's name cleaned of separators.
	dir, path := openedName(s.Dir, id, name)
	if err := os.MkdirAll(dir, privateDir); err != nil {
		return "", &Error{Kind: KindIO, Op: "write attachment", Err: err}
	}
	if err := WritePrivateFile(path, b); err != nil {
		return "", err
	}
	return path, nil
}
