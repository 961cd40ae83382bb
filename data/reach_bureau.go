package data

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"

	"stationdesk/data/render"
)

// At the bureau: how far each of its policies with criteria has reached at
// each station, from the residents, visits and handouts that arrived in the
// stations' bundles (nothing more travels for it).

// StationShare is one station's figures for one policy.
type StationShare struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Eligible int    `json:"eligible"` // 可能符合
	Told     int    `json:"told"`     // of them, 已告知
}

// Share is the part of the possibly eligible who were told, 0..1 (0 when
// nobody may qualify).
func (s StationShare) Share() float64 {
	if s.Eligible == 0 {
		return 0
	}
	return float64(s.Told) / float64(s.Eligible)
}

// ShareText is the share as 62.5%, or — when nobody may qualify.
func (s StationShare) ShareText() string {
	if s.Eligible == 0 {
		return "—"
	}
	return ratePercent(s.Share())
}

// PolicyShares is one bureau policy's reach, per station and in all.
type PolicyShares struct {
	PolicyID string         `json:"policy_id"`
	Title    string         `json:"title"`
	DocNo    string         `json:"doc_no"`
	Criteria string         `json:"criteria"`
	Stations []StationShare `json:"stations"` // every enrolled station, in code order
	All      StationShare   `json:"all"`
}

// ReachByStation works out, for every policy of the bureau in force with
// criteria, the possibly eligible residents of each station and how many of
// them were told. Policies come by the share told, lowest first.
func (s *Store) ReachByStation(ctx context.Context) ([]PolicyShares, error) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	var stations []StationShare
	idx := map[string]int{}
	for _, p := range peers {
		if p.Role == RoleStation {
			idx[p.Code] = len(stations)
			stations = append(stations, StationShare{Code: p.Code, Name: p.Name})
		}
	}
	r := newReach(ctx, s.Read(), clock())
	if err := r.loadPolicies(" AND p.source = ?", SourceBureau); err != nil {
		return nil, err
	}
	out := []PolicyShares{}
	if len(r.policies) == 0 {
		return out, nil
	}
	if err := r.loadAllPeople(s, ""); err != nil {
		return nil, err
	}
	if err := r.loadVisits("", ""); err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range r.policies {
		ids = append(ids, p.id)
	}
	names, err := briefs(ctx, s.Read(), ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]int{}
	for j, p := range r.policies {
		byID[p.id] = j
	}
	for _, b := range names {
		j := byID[b.ID]
		ps := PolicyShares{PolicyID: b.ID, Title: b.Title, DocNo: b.DocNo, Criteria: b.Criteria, Stations: slices.Clone(stations), All: StationShare{Name: ReportTotalLabel}}
		for i := range r.people {
			k, ok := idx[r.people[i].Origin]
			if !ok || !r.eligible(i, j) {
				continue
			}
			told := r.isTold(r.people[i].ID, b.ID)
			for _, sh := range []*StationShare{&ps.Stations[k], &ps.All} {
				sh.Eligible++
				if told {
					sh.Told++
				}
			}
		}
		out = append(out, ps)
	}
	sortShares(out)
	return out, nil
}

// reachSheet is the monthly report's sheet of 政策找人.
const reachSheet = "政策找人"

// reachRows are the report's rows: per policy, each station and the total.
func reachRows(list []PolicyShares) [][]any {
	var rows [][]any
	for _, p := range list {
		for _, st := range append(slices.Clone(p.Stations), p.All) {
			var share any = "—"
			if st.Eligible > 0 {
				share = st.Share()
			}
			rows = append(rows, []any{p.Title, p.DocNo, st.Name, st.Eligible, st.Told, share})
		}
	}
	return rows
}

var reachHeaders = []string{"政策", "文号", "站点", "可能符合（人）", "已告知（人）", "告知比例"}

// writeReachSheet adds the 政策找人 sheet to the monthly workbook.
func writeReachSheet(f *excelize.File, title string, list []PolicyShares) error {
	if _, err := f.NewSheet(reachSheet); err != nil {
		return fmt.Errorf("data: report xlsx: %w", err)
	}
	_ = f.SetCellValue(reachSheet, "A1", title+"　"+reachSheet+"（本局下发、设有享受对象条件的现行政策）")
	if err := render.SetHeader(f, reachSheet, 3, reachHeaders); err != nil {
		return fmt.Errorf("data: report xlsx: %w", err)
	}
	pct := render.PercentStyle(f, false)
	rows := reachRows(list)
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 4+i)
		if err := f.SetSheetRow(reachSheet, cell, &row); err != nil {
			return fmt.Errorf("data: report xlsx: %w", err)
		}
	}
	if len(rows) > 0 {
		_ = f.SetCellStyle(reachSheet, "F4", fmt.Sprintf("F%d", 3+len(rows)), pct)
	}
	for col, w := range map[string]float64{"A": 40, "B": 22, "C": 24, "D": 14, "E": 14, "F": 12} {
		_ = f.SetColWidth(reachSheet, col, col, w)
	}
	return nil
}

// pdfReachSection draws the 政策找人 table of the monthly report from y and
// returns where it ended; it starts a page when the next line does not fit.
func pdfReachSection(p *fpdf.Fpdf, left, y, width float64, list []PolicyShares) float64 {
	if y+20 > 282 {
		p.AddPage()
		y = 15
	}
	render.DrawText(p, left, y, width, 7, reachSheet+"：可能符合条件的居民中已告知的比例", 12, true, "L")
	y += 8
	if len(list) == 0 {
		render.DrawText(p, left, y, width, 6, "本局下发的现行政策均未设享受对象条件。", 9, false, "L")
		return y + 10
	}
	ws := []float64{64, 50, 22, 22, 22}
	line := func(cells []string, bold, fill bool) {
		if y+6 > 282 {
			p.AddPage()
			y = 15
		}
		pdfReportRow(p, left, y, ws, cells, bold, fill)
		y += 6
	}
	line([]string{"政策", "站点", "可能符合", "已告知", "比例"}, true, true)
	for _, pol := range list {
		for i, st := range append(slices.Clone(pol.Stations), pol.All) {
			title := ""
			if i == 0 {
				title = pol.Title
			}
			total := i == len(pol.Stations)
			line([]string{title, shortStationName(st.Name), fmt.Sprint(st.Eligible), fmt.Sprint(st.Told), st.ShareText()}, total, total)
		}
	}
	return y + 5
}

// pdfReportRow draws one 6 mm row of a report table at y: the first two
// cells (names) left, the figures right; fill greys a header or total.
func pdfReportRow(p *fpdf.Fpdf, left, y float64, ws []float64, cells []string, bold, fill bool) {
	x := left
	for i, c := range cells {
		if fill {
			p.SetFillColor(235, 235, 235)
			p.Rect(x, y, ws[i], 6, "FD")
		} else {
			p.Rect(x, y, ws[i], 6, "D")
		}
		align := "R"
		if i < 2 {
			align = "L"
		}
		render.DrawText(p, x+1.5, y, ws[i]-3, 6, c, 8.5, bold, align)
		x += ws[i]
	}
}

// sortShares orders policies by the share told, lowest first (where the
// bureau should push), then by title.
func sortShares(list []PolicyShares) {
	slices.SortStableFunc(list, func(a, b PolicyShares) int {
		return cmp.Or(cmp.Compare(a.All.Share(), b.All.Share()), cmp.Compare(a.Title, b.Title))
	})
}
