package data

import (
	"context"
	"fmt"
	"strings"

	"stationdesk/data/render"
)

// ExportVisitsXLSX writes the visits a filter matches (newest first) to an
// .xlsx file with Chinese headers; it returns the number of rows.
func (s *Store) ExportVisitsXLSX(ctx context.Context, path string, f VisitFilter) (int, error) {
	names, err := s.OfficerNames(ctx)
	if err != nil {
		return 0, err
	}
	nameList := func(ids []string) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if n, ok := names[id]; ok {
				out = append(out, n)
			}
		}
		return strings.Join(out, "、")
	}
	w, err := render.NewSheetWriter("上门服务记录", []string{"上门日期", "服务对象", "村(社区)", "服务小分队", "服务项目", "办理结果", "情况记录", "需要跟进", "跟进期限", "跟进完成日期", "跟进经办人", "跟进结果"},
		[]float64{12, 10, 12, 16, 26, 20, 30, 8, 12, 12, 10, 24})
	if err != nil {
		return 0, fmt.Errorf("data: export visits: %w", err)
	}
	n := 0
	const page = 500
	for off := 0; ; off += page {
		f.Limit, f.Offset = page, off
		rows, err := s.Visits(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, v := range rows {
			follow := "否"
			if v.FollowupNeeded {
				follow = "是"
			}
			if err := w.Add(v.Date, v.ResidentName, v.Village, nameList(v.OfficerIDs), strings.Join(v.Services, "、"), v.Outcome, v.Notes,
				follow, v.FollowupDue, v.FollowupDoneAt, names[v.FollowupDoneBy], v.FollowupResult); err != nil {
				return 0, fmt.Errorf("data: export visits: %w", err)
			}
			n++
		}
		if len(rows) < page {
			break
		}
	}
	return n, saveSheet(w, path)
}
