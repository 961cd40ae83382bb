package data

import (
	"context"
	"fmt"

	"stationdesk/data/render"
)

// ExportOpinionsXLSX writes the opinions a filter matches (newest first) to
// an .xlsx file with Chinese headers; it returns the number of rows.
func (s *Store) ExportOpinionsXLSX(ctx context.Context, path string, f OpinionFilter) (int, error) {
	names, err := s.OfficerNames(ctx)
	if err != nil {
		return 0, err
	}
	w, err := render.NewSheetWriter("群众意见", []string{"日期", "来源", "群众", "类别", "意见内容", "办理状态", "状态更新人", "状态更新时间", "上级答复"},
		[]float64{12, 10, 10, 10, 40, 10, 10, 18, 40})
	if err != nil {
		return 0, fmt.Errorf("data: export opinions: %w", err)
	}
	n := 0
	const page = 500
	for off := 0; ; off += page {
		f.Limit, f.Offset = page, off
		rows, err := s.Opinions(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, o := range rows {
			at := ""
			if !o.StatusAt.IsZero() {
				at = o.StatusAt.Format("2006-01-02 15:04")
			}
			by := names[o.StatusBy]
			if by == "" {
				by = o.StatusBy
			}
			if err := w.Add(o.Date, o.Source, o.ResidentName, o.Category, o.Content, o.Status, by, at, o.Reply); err != nil {
				return 0, fmt.Errorf("data: export opinions: %w", err)
			}
			n++
		}
		if len(rows) < page {
			break
		}
	}
	return n, saveSheet(w, path)
}
