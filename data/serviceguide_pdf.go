package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"stationdesk/data/render"
)

// ServiceGuidePDF prints a service guide as a flow chart on one A4 page:
// the steps as boxes joined by arrows, and beside them the materials, where
// it is handled, the time limit and the responsible officer.
func (s *Store) ServiceGuidePDF(ctx context.Context, id, path string) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	g, err := s.ServiceGuide(ctx, id)
	if err != nil {
		return err
	}
	contact, err := s.CardContact(ctx)
	if err != nil {
		return err
	}
	pdf := render.NewPDF("P", "A4")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(g.Matter+" 办事流程", true)
	pdf.AddPage()
	drawGuide(pdf, &g, contact.Name)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("data: guide pdf: %w", err)
	}
	return savePDF(pdf, path)
}

func drawGuide(pdf *fpdf.Fpdf, g *ServiceGuide, station string) {
	const left, top = 15.0, 15.0
	render.DrawText(pdf, left, top, 180, 10, g.Matter+" 办事流程图", 18, true, "C")
	pdf.SetTextColor(90, 90, 90)
	render.DrawText(pdf, left, top+10, 180, 6, station, 9, false, "C")
	pdf.SetTextColor(0, 0, 0)

	// Flow: boxes down the left two thirds.
	n := len(g.Steps)
	flowX, flowW := left, 108.0
	y0, y1 := top+22, 282.0
	gap := 8.0
	boxH := min(26.0, (y1-y0-gap*float64(n-1))/float64(max(n, 1)))
	y := y0
	for i, st := range g.Steps {
		// Number badge and box.
		pdf.SetDrawColor(31, 94, 160)
		pdf.SetLineWidth(0.5)
		if i == 0 || i == n-1 {
			pdf.SetFillColor(222, 235, 250)
		} else {
			pdf.SetFillColor(245, 249, 255)
		}
		pdf.RoundedRect(flowX, y, flowW, boxH, 3, "1234", "FD")
		pdf.SetFillColor(31, 94, 160)
		pdf.Circle(flowX+7, y+boxH/2, 4.2, "F")
		pdf.SetTextColor(255, 255, 255)
		render.DrawText(pdf, flowX+2.8, y+boxH/2-3, 8.4, 6, fmt.Sprint(i+1), 10, true, "C")
		pdf.SetTextColor(20, 20, 20)
		lines := capLines(render.WrapText(pdf, st.Detail, flowW-20, 9, false), 2)
		textH := 6 + 4.8*float64(len(lines))
		ty := y + (boxH-textH)/2
		render.DrawText(pdf, flowX+14, ty, flowW-18, 6, st.Name, 12, true, "L")
		for k, line := range lines {
			render.DrawText(pdf, flowX+14, ty+6+4.8*float64(k), flowW-18, 4.8, line, 9, false, "L")
		}
		if i < n-1 {
			// Arrow down to the next box.
			cx := flowX + flowW/2
			pdf.SetDrawColor(31, 94, 160)
			pdf.SetLineWidth(0.8)
			pdf.Line(cx, y+boxH, cx, y+boxH+gap-2)
			pdf.SetFillColor(31, 94, 160)
			pdf.Polygon([]fpdf.PointType{{X: cx - 2.5, Y: y + boxH + gap - 3}, {X: cx + 2.5, Y: y + boxH + gap - 3}, {X: cx, Y: y + boxH + gap}}, "F")
		}
		y += boxH + gap
	}

	// Side panel: what to bring, where, how long, who.
	sx, sw := flowX+flowW+8, 180+left-(flowX+flowW+8)
	sy := y0
	section := func(title string, lines []string, boxes bool) {
		pdf.SetFillColor(31, 94, 160)
		pdf.Rect(sx, sy, sw, 7, "F")
		pdf.SetTextColor(255, 255, 255)
		render.DrawText(pdf, sx+2, sy+0.5, sw-4, 6, title, 10, true, "L")
		pdf.SetTextColor(20, 20, 20)
		sy += 9
		indent := 2.0
		if boxes {
			indent = 7
		}
		for _, l := range lines {
			if boxes {
				pdf.SetDrawColor(60, 60, 60)
				pdf.SetLineWidth(0.3)
				pdf.Rect(sx+2, sy+1.2, 3, 3, "D") // a box to tick
			}
			for _, w := range render.WrapText(pdf, l, sw-indent-2, 9.5, false) {
				render.DrawText(pdf, sx+indent, sy, sw-indent-2, 5, w, 9.5, false, "L")
				sy += 5
			}
		}
		sy += 4
	}
	if len(g.Materials) == 0 {
		section("所需材料", []string{"无需材料"}, false)
	} else {
		section("所需材料", g.Materials, true)
	}
	section("办理地点", []string{orDash(g.Location)}, false)
	section("办理时限", []string{orDash(g.TimeLimit)}, false)
	who := []string{orDash(g.Officer)}
	if g.Phone != "" {
		who = append(who, "电话："+g.Phone)
	}
	section("责任人", who, false)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
