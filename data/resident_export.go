package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"stationdesk/data/render"
)

// ResidentExportHeaders are the columns of the resident export; the import
// reads the same headers back.
var ResidentExportHeaders = []string{"姓名", "性别", "身份证号", "出生日期", "年龄", "联系电话", "村(社区)", "住址", "服务类别", "需求", "已同意保存信息", "最近上门", "备注"}

// ExportResidentsXLSX writes the residents a filter matches to an .xlsx
// file. ID numbers and phones are masked unless full is set; a full export
// is written to the audit log under actor. It returns the number of rows.
func (s *Store) ExportResidentsXLSX(ctx context.Context, path string, f ResidentFilter, full bool, actor string) (int, error) {
	if full && strings.TrimSpace(actor) == "" {
		return 0, Invalid("actor", "请先选择经办人")
	}
	w, err := render.NewSheetWriter("服务对象", ResidentExportHeaders, []float64{10, 6, 22, 12, 6, 15, 12, 26, 16, 20, 8, 12, 24})
	if err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	where, args := f.where()
	rows, err := s.Read().QueryContext(ctx, "SELECT "+residentCols+residentFrom+where+" ORDER BY r.village, r.name, r.id", args...)
	if err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	defer rows.Close()
	n := 0
	today := clock()
	for rows.Next() {
		r, err := scanResident(rows)
		if err != nil {
			return 0, fmt.Errorf("data: export residents: %w", err)
		}
		if !full {
			r.mask()
		}
		consent := "否"
		if r.Consent {
			consent = "是"
		}
		age := ""
		if a := r.Age(today); a >= 0 {
			age = fmt.Sprint(a)
		}
		if err := w.Add(r.Name, r.Gender, r.IDNumber, r.BirthDate, age, r.Phone, r.Village, r.Address, strings.Join(r.Categories, "、"),
			r.Needs, consent, r.LastVisit, r.Notes); err != nil {
			return 0, fmt.Errorf("data: export residents: %w", err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("data: export residents: %w", err)
	}
	rows.Close()
	if err := saveSheet(w, path); err != nil {
		return 0, err
	}
	if full {
		if err := s.Write(ctx, func(tx *sql.Tx) error {
			return svcAudit(ctx, tx, actor, "export_full", "residents", "", fmt.Sprintf("%d rows", n))
		}); err != nil {
			return n, err
		}
	}
	return n, nil
}
