package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	dsync "stationdesk/data/sync"
	"strings"
	"time"
	"unicode/utf8"
)

// Policy statuses (DESIGN.md).
const (
	PolicyCurrent    = "现行有效"
	PolicyRepealed   = "已废止"
	PolicySuperseded = "已被替代"
)

// PolicyCategories are the categories of DESIGN.md, in display order.
var PolicyCategories = []string{"养老保险", "医疗保险", "失业保险", "工伤保险", "就业创业", "劳动关系", "人事人才", "社保卡", "其他"}

// PolicyStatuses are the statuses in display order.
var PolicyStatuses = []string{PolicyCurrent, PolicyRepealed, PolicySuperseded}

// Policy sources: written at this installation, or pushed down by the bureau.
const (
	SourceLocal  = "local"
	SourceBureau = "bureau"
)

func init() {
	// What sync checks in a policy or attachment that arrives in a bundle
	// (sync_validate.go); a station's own policies are local ones
	// (sync_authority.go): they cannot pass for the bureau's.
	dsync.RegisterIncomingRules("policies", map[string]dsync.Rule{"status": dsync.OneOf(false, PolicyStatuses...), "category": dsync.OneOf(false, PolicyCategories...), "source": dsync.OneOf(false, SourceLocal, SourceBureau)})
	dsync.RegisterIncomingRules("policy_attachments", map[string]dsync.Rule{"name": dsync.TextRule(maxFileName, false)})
	dsync.RegisterStationFixed("policies", "source", SourceLocal)
}

// Policy is one policy material (政策资料).
type Policy struct {
	Record
	Title        string   `json:"title"`
	DocNo        string   `json:"doc_no"` // 文号, e.g. 武人社发〔2014〕21号
	Issuer       string   `json:"issuer"`
	Category     string   `json:"category"`
	Effective    string   `json:"effective"` // YYYY-MM-DD or ""
	Expires      string   `json:"expires"`   // YYYY-MM-DD or ""
	Status       string   `json:"status"`
	SupersededBy string   `json:"superseded_by"` // ID of the successor when 已被替代
	Summary      string   `json:"summary"`       // the card text
	Body         string   `json:"body"`
	Tags         []string `json:"tags"`
	Source       string   `json:"source"` // local or bureau
	LocalNotes   string   `json:"local_notes"`
	SourceFile   string   `json:"source_file,omitempty"` // base name of the file it was imported from

	Supersedes []PolicyRef `json:"supersedes,omitempty"` // filled by Policy(): the ones it replaced
	Successor  *PolicyRef  `json:"successor,omitempty"`  // filled by Policy(): the one that replaced it
}

// PolicyRef names another policy in a link.
type PolicyRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	DocNo string `json:"doc_no"`
}

// Expired says whether the policy's expiry date lies before today.
func (p *Policy) Expired(today time.Time) bool {
	return p.Expires != "" && p.Expires < today.Format("2006-01-02")
}

// InForce says whether the policy is current and not expired: those sort first.
func (p *Policy) InForce(today time.Time) bool {
	return p.Status == PolicyCurrent && !p.Expired(today)
}

// StatusText is the status a person reads, with 已过期 for current policies
// past their expiry date.
func (p *Policy) StatusText(today time.Time) string {
	if p.Status == PolicyCurrent && p.Expired(today) {
		return "已过期"
	}
	return p.Status
}

// ReadOnly says whether only local notes may change (policies from the bureau,
// seen at a station).
func (p *Policy) ReadOnly(role Role) bool { return p.Source == SourceBureau && role != RoleBureau }

// Reference is what a policy card's QR code carries.
func (p *Policy) Reference() string { return "stationdesk:policy:" + p.ID + ":" + p.DocNo }

// Validate normalises and checks a policy before saving.
func (p *Policy) Validate() error {
	p.Category = strings.TrimSpace(p.Category)
	p.Status = strings.TrimSpace(p.Status)
	if err := checkFields(textField{"title", &p.Title, maxLine, false}); err != nil {
		return err
	}
	if p.Title == "" {
		return Invalid("title", "标题不能为空")
	}
	err := checkFields(
		textField{"doc_no", &p.DocNo, maxShort, false},
		textField{"issuer", &p.Issuer, maxTitle, false},
		textField{"summary", &p.Summary, maxText, true},
		textField{"body", &p.Body, maxBody, true},
		textField{"local_notes", &p.LocalNotes, maxNotes, true},
		textField{"source_file", &p.SourceFile, maxFileName, false},
	)
	if err != nil {
		return err
	}
	if p.Tags, err = checkList("tags", p.Tags, maxTag); err != nil {
		return err
	}
	if p.Category == "" {
		p.Category = "其他"
	}
	if !slices.Contains(PolicyCategories, p.Category) {
		return Invalid("category", "类别应为："+strings.Join(PolicyCategories, "、"))
	}
	if p.Status == "" {
		p.Status = PolicyCurrent
	}
	if !slices.Contains(PolicyStatuses, p.Status) {
		return Invalid("status", "状态应为：现行有效、已废止或已被替代")
	}
	if p.Effective, err = normalizeDate(p.Effective); err != nil {
		return Invalid("effective", "生效日期应为 年-月-日，例如 2014-09-01")
	}
	if p.Expires, err = normalizeDate(p.Expires); err != nil {
		return Invalid("expires", "失效日期应为 年-月-日，例如 2016-12-31")
	}
	if p.Effective != "" && p.Expires != "" && p.Expires < p.Effective {
		return Invalid("expires", "失效日期早于生效日期")
	}
	if p.Status != PolicySuperseded {
		p.SupersededBy = ""
	}
	if p.SupersededBy != "" && p.SupersededBy == p.ID {
		return Invalid("superseded_by", "政策不能被自己替代")
	}
	if p.Source == "" {
		p.Source = SourceLocal
	}
	if p.Source != SourceLocal && p.Source != SourceBureau {
		return Invalid("source", "来源应为本站或区人社局")
	}
	if p.Summary == "" {
		p.Summary = firstParagraph(p.Body, 120)
	}
	return nil
}

// normalizeDate accepts 2014-09-01, 2014-9-1, 2014/09/01, 2014.9.1 and 2014年9月1日.
func normalizeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	s = r.Replace(s)
	t, err := time.Parse("2006-1-2", s)
	if err != nil || t.Year() < 1949 || t.Year() > 2200 {
		return "", errors.New("bad date")
	}
	return t.Format("2006-01-02"), nil
}

// firstParagraph is the first non-empty paragraph of text, cut to n runes.
func firstParagraph(text string, n int) string {
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(para), "#"))
		if para == "" {
			continue
		}
		if utf8.RuneCountInString(para) > n {
			para = string([]rune(para)[:n]) + "……"
		}
		return para
	}
	return ""
}

const policyColumns = `id, origin, created_at, updated_at, title, doc_no, issuer, category, effective, expires,
	status, superseded_by, summary, body, tags, source, local_notes, source_file`

type rowScanner interface{ Scan(dest ...any) error }

func scanPolicy(r rowScanner) (Policy, error) {
	var p Policy
	var c, u int64
	var tags string
	err := r.Scan(&p.ID, &p.Origin, &c, &u, &p.Title, &p.DocNo, &p.Issuer, &p.Category, &p.Effective, &p.Expires,
		&p.Status, &p.SupersededBy, &p.Summary, &p.Body, &tags, &p.Source, &p.LocalNotes, &p.SourceFile)
	if err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	_ = json.Unmarshal([]byte(tags), &p.Tags)
	return p, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func findPolicy(ctx context.Context, q querier, id string) (Policy, error) {
	p, err := scanPolicy(q.QueryRowContext(ctx, "SELECT "+policyColumns+" FROM policies WHERE id = ? AND deleted = 0", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, NotFound("policy", id)
	}
	if err != nil {
		return p, fmt.Errorf("data: read policy: %w", err)
	}
	return p, nil
}

// Policy returns one policy with this station's notes and its supersession
// links both ways.
func (s *Store) Policy(ctx context.Context, id string) (Policy, error) {
	p, err := findPolicy(ctx, s.Read(), id)
	if err != nil {
		return p, err
	}
	_, origin, err := s.role(ctx)
	if err != nil {
		return p, err
	}
	err = s.Read().QueryRowContext(ctx, "SELECT notes FROM policy_notes WHERE policy_id = ? AND origin = ? AND deleted = 0", id, origin).Scan(&p.LocalNotes)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("data: read notes: %w", err)
	}
	if p.SupersededBy != "" {
		var ref PolicyRef
		err := s.Read().QueryRowContext(ctx, "SELECT id, title, doc_no FROM policies WHERE id = ? AND deleted = 0", p.SupersededBy).
			Scan(&ref.ID, &ref.Title, &ref.DocNo)
		if err == nil {
			p.Successor = &ref
		} else if !errors.Is(err, sql.ErrNoRows) {
			return p, fmt.Errorf("data: read successor: %w", err)
		}
	}
	rows, err := s.Read().QueryContext(ctx, "SELECT id, title, doc_no FROM policies WHERE superseded_by = ? AND deleted = 0 ORDER BY effective", p.ID)
	if err != nil {
		return p, fmt.Errorf("data: read superseded: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref PolicyRef
		if err := rows.Scan(&ref.ID, &ref.Title, &ref.DocNo); err != nil {
			return p, fmt.Errorf("data: read superseded: %w", err)
		}
		p.Supersedes = append(p.Supersedes, ref)
	}
	return p, rows.Err()
}

// role is this installation's role (station when not set up).
func (s *Store) role(ctx context.Context) (Role, string, error) {
	id, ok, err := s.Identity(ctx)
	if err != nil {
		return "", "", err
	}
	if !ok {
		return RoleStation, "", nil
	}
	return id.Role, id.Code, nil
}

// AddPolicy saves a new policy. At the bureau new policies are the bureau's.
func (s *Store) AddPolicy(ctx context.Context, p *Policy) error {
	role, origin, err := s.role(ctx)
	if err != nil {
		return err
	}
	if role == RoleBureau {
		p.Source = SourceBureau
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := checkSuccessor(ctx, tx, p); err != nil {
			return err
		}
		return insertPolicy(ctx, tx, origin, p)
	})
}

func checkSuccessor(ctx context.Context, tx *sql.Tx, p *Policy) error {
	if p.SupersededBy == "" {
		return nil
	}
	if _, err := findPolicy(ctx, tx, p.SupersededBy); err != nil {
		if ErrorKind(err) == KindNotFound {
			return Invalid("superseded_by", "找不到替代它的新政策")
		}
		return err
	}
	return nil
}

func insertPolicy(ctx context.Context, tx *sql.Tx, origin string, p *Policy) error {
	now := nowMillis()
	if p.ID == "" {
		p.ID = NewID()
	}
	p.Origin = origin
	p.CreatedAt = time.UnixMilli(now)
	p.UpdatedAt = p.CreatedAt
	_, err := tx.ExecContext(ctx, `INSERT INTO policies(`+policyColumns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		p.ID, origin, now, now, p.Title, p.DocNo, p.Issuer, p.Category, p.Effective, p.Expires, p.Status, p.SupersededBy,
		p.Summary, p.Body, mustJSON(nonNil(p.Tags)), p.Source, p.LocalNotes, p.SourceFile)
	if err != nil {
		return fmt.Errorf("data: add policy: %w", err)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// mustJSON is the stored form of a list or value the program made itself
// (tags, categories, officer IDs, criteria), which always marshals.
func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

var errBureauReadOnly = Invalid("source", "这份政策由区人社局下发，本站只能修改备注")

// UpdatePolicy saves changes to a policy. Bureau policies at a station are
// read-only except for their local notes.
func (s *Store) UpdatePolicy(ctx context.Context, p *Policy) error {
	role, _, err := s.role(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		old, err := findPolicy(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if old.ReadOnly(role) {
			if !samePolicyContent(&old, p) {
				return errBureauReadOnly
			}
		}
		p.Source, p.LocalNotes = old.Source, old.LocalNotes // notes live in policy_notes
		if err := checkSuccessor(ctx, tx, p); err != nil {
			return err
		}
		return updatePolicy(ctx, tx, p)
	})
}

func updatePolicy(ctx context.Context, tx *sql.Tx, p *Policy) error {
	now := nowMillis()
	p.UpdatedAt = time.UnixMilli(now)
	_, err := tx.ExecContext(ctx, `UPDATE policies SET title=?, doc_no=?, issuer=?, category=?, effective=?, expires=?, status=?,
		superseded_by=?, summary=?, body=?, tags=?, source=?, local_notes=?, source_file=?, updated_at=? WHERE id=? AND deleted=0`,
		p.Title, p.DocNo, p.Issuer, p.Category, p.Effective, p.Expires, p.Status, p.SupersededBy, p.Summary, p.Body,
		mustJSON(nonNil(p.Tags)), p.Source, p.LocalNotes, p.SourceFile, now, p.ID)
	if err != nil {
		return fmt.Errorf("data: update policy: %w", err)
	}
	return nil
}

// samePolicyContent says whether two versions differ only in local notes.
func samePolicyContent(a, b *Policy) bool {
	return a.Title == b.Title && a.DocNo == b.DocNo && a.Issuer == b.Issuer && a.Category == b.Category &&
		a.Effective == b.Effective && a.Expires == b.Expires && a.Status == b.Status && a.SupersededBy == b.SupersededBy &&
		a.Summary == b.Summary && a.Body == b.Body && slices.Equal(a.Tags, b.Tags)
}

// SetPolicyNotes saves this station's notes on a policy (allowed on every
// policy; kept apart from the policy so that a bureau policy stays unchanged).
func (s *Store) SetPolicyNotes(ctx context.Context, id, notes string) error {
	notes, err := checkText("local_notes", notes, maxNotes, true)
	if err != nil {
		return err
	}
	_, origin, err := s.role(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := findPolicy(ctx, tx, id); err != nil {
			return err
		}
		now := nowMillis()
		res, err := tx.ExecContext(ctx, "UPDATE policy_notes SET notes = ?, updated_at = ?, deleted = 0 WHERE policy_id = ? AND origin = ?", notes, now, id, origin)
		if err != nil {
			return fmt.Errorf("data: save notes: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO policy_notes(id, origin, created_at, updated_at, policy_id, notes) VALUES (?, ?, ?, ?, ?, ?)",
			NewID(), origin, now, now, id, notes)
		if err != nil {
			return fmt.Errorf("data: save notes: %w", err)
		}
		return nil
	})
}

// SupersedePolicy marks oldID as 已被替代 by newID.
func (s *Store) SupersedePolicy(ctx context.Context, oldID, newID string) error {
	role, _, err := s.role(ctx)
	if err != nil {
		return err
	}
	if oldID == newID {
		return Invalid("superseded_by", "政策不能被自己替代")
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		old, err := findPolicy(ctx, tx, oldID)
		if err != nil {
			return err
		}
		if old.ReadOnly(role) {
			return errBureauReadOnly
		}
		if _, err := findPolicy(ctx, tx, newID); err != nil {
			return err
		}
		old.Status, old.SupersededBy = PolicySuperseded, newID
		return updatePolicy(ctx, tx, &old)
	})
}

// DeletePolicy leaves a tombstone (kept until the bureau acknowledges it).
func (s *Store) DeletePolicy(ctx context.Context, id string) error {
	return s.writeOwnPolicy(ctx, id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE policies SET deleted=1, updated_at=? WHERE id=?", nowMillis(), id)
		if err != nil {
			return fmt.Errorf("data: delete policy: %w", err)
		}
		return nil
	})
}

// PolicyYears lists the years of effective dates, newest first (for filters).
func (s *Store) PolicyYears(ctx context.Context) ([]int, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT DISTINCT CAST(substr(effective, 1, 4) AS INTEGER) AS y FROM policies
		WHERE deleted = 0 AND effective != '' ORDER BY y DESC`)
	if err != nil {
		return nil, fmt.Errorf("data: policy years: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Attachment is an original file kept with a policy, byte for byte.
type Attachment struct {
	Record
	PolicyID string `json:"policy_id"`
	Name     string `json:"name"`
	MIME     string `json:"mime"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
}

// Attachments lists a policy's attachments (without their content).
func (s *Store) Attachments(ctx context.Context, policyID string) ([]Attachment, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT id, origin, created_at, updated_at, policy_id, name, mime, size, sha256
		FROM policy_attachments WHERE policy_id = ? AND deleted = 0 ORDER BY name`, policyID)
	if err != nil {
		return nil, fmt.Errorf("data: list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var c, u int64
		if err := rows.Scan(&a.ID, &a.Origin, &c, &u, &a.PolicyID, &a.Name, &a.MIME, &a.Size, &a.SHA256); err != nil {
			return nil, fmt.Errorf("data: list attachments: %w", err)
		}
		a.CreatedAt, a.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentContent returns an attachment's bytes.
func (s *Store) AttachmentContent(ctx context.Context, id string) ([]byte, error) {
	var b []byte
	err := s.Read().QueryRowContext(ctx, "SELECT content FROM policy_attachments WHERE id = ? AND deleted = 0", id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFound("attachment", id)
	}
	if err != nil {
		return nil, fmt.Errorf("data: read attachment: %w", err)
	}
	return b, nil
}
