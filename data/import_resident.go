package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ImportRejection is a row left out of an import and why, in words a clerk
// understands. Row is the number Excel shows (the header is row 1).
type ImportRejection struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// ResidentImportReport says what an import did (or, in a dry run, would do).
type ResidentImportReport struct {
	Imported int               `json:"imported"`
	Updated  int               `json:"updated"`
	Rejected []ImportRejection `json:"rejected"`
	DryRun   bool              `json:"dry_run"`
}

// residentColumns maps the Chinese headers (normalised by headerKey) to fields.
var residentColumns = map[string]string{
	"姓名": "name", "性别": "gender",
	"身份证号": "id_number", "身份证号码": "id_number", "公民身份号码": "id_number", "居民身份证号码": "id_number",
	"联系电话": "phone", "电话": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone",
	"村(社区)": "village", "村/社区": "village", "村社区": "village", "村": "village", "社区": "village",
	"住址": "address", "地址": "address", "家庭住址": "address",
	"服务类别": "categories", "类别": "categories",
	"备注":   "notes",
	"出生日期": "birth_date",
}

// ResidentImportHeaders are the columns of the import template, in order.
var ResidentImportHeaders = []string{"姓名", "性别", "身份证号", "联系电话", "村(社区)", "住址", "服务类别", "备注"}

func headerKey(h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
	h = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "", "*", "", "＊", "").Replace(h)
	return h
}

// parsedRow is one data row ready to save.
type parsedRow struct {
	row int
	r   Resident
	set map[string]bool // fields the file gave a value for
}

// parseResidentTable checks every row of a table (header first) and returns
// the rows to save and the rejected ones. Nothing here touches the database.
func parseResidentTable(rows [][]string, today time.Time) ([]parsedRow, []ImportRejection, error) {
	if len(rows) == 0 {
		return nil, nil, Invalid("file", "文件是空的")
	}
	cols := map[string]int{}
	for i, h := range rows[0] {
		if f, ok := residentColumns[headerKey(h)]; ok {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	var missing []string
	for _, need := range []struct{ field, label string }{{"name", "姓名"}, {"id_number", "身份证号"}} {
		if _, ok := cols[need.field]; !ok {
			missing = append(missing, need.label)
		}
	}
	if len(missing) > 0 {
		return nil, nil, Invalid("file", "第 1 行缺少列："+strings.Join(missing, "、")+"（表头应为 "+strings.Join(ResidentImportHeaders, "、")+"）")
	}
	var ok []parsedRow
	var bad []ImportRejection
	firstRow := map[string]int{} // ID number → first accepted row
	for i, rec := range rows[1:] {
		rowNo := i + 2
		cell := func(field string) string {
			if c, ok := cols[field]; ok && c < len(rec) {
				return strings.TrimSpace(rec[c])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		p := parsedRow{row: rowNo, set: map[string]bool{}}
		for f := range cols {
			p.set[f] = cell(f) != ""
		}
		p.r = Resident{Name: cell("name"), Gender: cell("gender"), IDNumber: strings.TrimPrefix(cell("id_number"), "'"), Phone: cell("phone"),
			Village: cell("village"), Address: cell("address"), Notes: cell("notes"), BirthDate: cell("birth_date")}
		if c := cell("categories"); c != "" {
			p.r.Categories = []string{c}
		}
		reasons := rowReasons(&p.r, today)
		if len(reasons) == 0 {
			if first, dup := firstRow[p.r.IDNumber]; dup {
				reasons = append(reasons, fmt.Sprintf("与第 %d 行身份证号重复", first))
			}
		}
		if len(reasons) > 0 {
			bad = append(bad, ImportRejection{Row: rowNo, Reason: strings.Join(reasons, "；")})
			continue
		}
		firstRow[p.r.IDNumber] = rowNo
		ok = append(ok, p)
	}
	return ok, bad, nil
}

// rowReasons checks each field on its own, so that a clerk sees every
// problem of a row at once, and leaves r normalised when there is none.
func rowReasons(r *Resident, today time.Time) []string {
	var out []string
	if strings.TrimSpace(r.Name) == "" {
		out = append(out, "姓名为空")
	}
	card, err := ParseIDCard(r.IDNumber, today)
	switch {
	case err == nil:
	case strings.ContainsAny(r.IDNumber, "Ee") && strings.Contains(r.IDNumber, "+"):
		out = append(out, "身份证号被 Excel 存成了数字，请将该列设为文本后重新填写")
	default:
		msg := err.(*Error).Msg
		if strings.Contains(msg, "出生日期") {
			msg = "出生日期无效"
		}
		out = append(out, msg)
	}
	if err == nil {
		if g := strings.TrimSpace(r.Gender); g != "" && g != card.Gender() {
			if g == "男" || g == "女" {
				out = append(out, "性别与身份证号不符")
			} else {
				out = append(out, "性别应为男或女")
			}
		}
		if b := strings.TrimSpace(r.BirthDate); b != "" {
			if t, err := svcParseDate(b); err != nil || !t.Equal(card.Birth) {
				out = append(out, "出生日期与身份证号不符")
			}
		}
	}
	if strings.TrimSpace(r.Phone) != "" {
		if _, err := NormalizePhone(r.Phone); err != nil {
			out = append(out, err.(*Error).Msg)
		}
	}
	if len(out) == 0 {
		if err := r.Validate(today); err != nil {
			var de *Error
			if errors.As(err, &de) && de.Msg != "" {
				out = append(out, de.Msg)
			} else {
				out = append(out, "数据有误")
			}
		}
	}
	return out
}

var errDryRun = errors.New("dry run")

// ImportResidentsFile imports residents from an .xlsx or .csv file; see ImportResidents.
func (s *Store) ImportResidentsFile(ctx context.Context, path string, dryRun bool, actor string) (ResidentImportReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return ResidentImportReport{}, &Error{Kind: KindIO, Op: "open import file", Err: err}
	}
	defer f.Close()
	return s.ImportResidents(ctx, filepath.Base(path), f, dryRun, actor)
}

// ImportResidents reads residents from an .xlsx or .csv file (by name's
// extension) and saves every valid row in one transaction: a new ID number
// adds a resident, a known one updates the fields the file fills. Rejected
// rows are reported with their Excel row number. A dry run reports the same
// and writes nothing.
func (s *Store) ImportResidents(ctx context.Context, name string, r io.Reader, dryRun bool, actor string) (ResidentImportReport, error) {
	rep := ResidentImportReport{DryRun: dryRun, Rejected: []ImportRejection{}}
	b, err := io.ReadAll(io.LimitReader(r, maxTableBytes+1))
	if err != nil {
		return rep, &Error{Kind: KindIO, Op: "read import file", Err: err}
	}
	var rows [][]string
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		rows, err = readXLSXTable(b)
	case ".csv", ".txt", ".tsv":
		rows, err = readCSVTable(b)
	case ".xls":
		return rep, Invalid("file", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后导入")
	default:
		return rep, Invalid("file", "只能导入 .xlsx 或 .csv 文件")
	}
	if err != nil {
		return rep, err
	}
	good, bad, err := parseResidentTable(rows, clock())
	if err != nil {
		return rep, err
	}
	rep.Rejected = append(rep.Rejected, bad...)
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return rep, err
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		for _, p := range good {
			id, deleted, err := residentIDByNumber(ctx, tx, p.r.IDNumber)
			if err != nil {
				return err
			}
			if id == "" {
				r := p.r
				if err := insertResidentTx(ctx, tx, ident.Code, &r, actor); err != nil {
					return err
				}
				rep.Imported++
				continue
			}
			old, err := residentAny(ctx, tx, id)
			if err != nil {
				return err
			}
			merged := mergeImported(old, p)
			if err := updateResidentTx(ctx, tx, &merged, old, actor, deleted); err != nil {
				return err
			}
			rep.Updated++
		}
		if dryRun {
			return errDryRun
		}
		return svcAudit(ctx, tx, actor, "import", "residents", "", fmt.Sprintf("imported %d, updated %d, rejected %d", rep.Imported, rep.Updated, len(rep.Rejected)))
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return rep, err
}

// residentAny reads a resident, tombstoned or not, with full values.
func residentAny(ctx context.Context, q svcQuerier, id string) (Resident, error) {
	r, err := scanResident(q.QueryRowContext(ctx, "SELECT "+residentCols+residentFrom+" WHERE r.id = ?", id))
	if err != nil {
		return r, fmt.Errorf("data: read resident: %w", err)
	}
	return r, nil
}

// mergeImported lays the fields a file filled over a stored resident; empty
// cells keep what is stored.
func mergeImported(old Resident, p parsedRow) Resident {
	m := old
	m.Name, m.IDNumber, m.Gender, m.BirthDate = p.r.Name, p.r.IDNumber, p.r.Gender, p.r.BirthDate
	if p.set["phone"] {
		m.Phone = p.r.Phone
	}
	if p.set["village"] {
		m.Village = p.r.Village
	}
	if p.set["address"] {
		m.Address = p.r.Address
	}
	if p.set["categories"] {
		m.Categories = p.r.Categories
	}
	if p.set["notes"] {
		m.Notes = p.r.Notes
	}
	return m
}
