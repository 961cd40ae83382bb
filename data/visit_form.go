package data

import (
	"context"
	"strings"

	"github.com/go-pdf/fpdf"

	"stationdesk/data/render"
)

// VisitFormPDF writes the printable visit form (上门服务记录表) for squads
// that write on paper in the field: one blank page, or one page per
// resident named, with their name, village and address filled in (ID
// number masked). The services offered are the station's catalogue.
func (s *Store) VisitFormPDF(ctx context.Context, path string, residentIDs []string) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	services, err := s.VisitServices(ctx)
	if err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	var people []Resident
	for _, id := range residentIDs {
		r, err := s.Resident(ctx, id)
		if err != nil {
			return err
		}
		people = append(people, r)
	}
	if len(people) == 0 {
		people = []Resident{{}}
	}
	p := render.NewPDF("P", "A4")
	p.SetAutoPageBreak(false, 10)
	for _, r := range people {
		visitFormPage(p, ident.Name, services, r)
	}
	return savePDF(p, path)
}

func visitFormPage(p *fpdf.Fpdf, station string, services []string, r Resident) {
	const left, width = 15.0, 180.0
	p.AddPage()
	p.SetFont(render.Font, "B", 17)
	p.SetXY(left, 12)
	p.CellFormat(width, 9, "上门服务记录表", "", 1, "C", false, 0, "")
	render.DrawText(p, left, 21, width, 6, station, 10, false, "C")
	p.SetXY(left+width-45, 14)
	p.CellFormat(12, 6, "编号：", "", 0, "L", false, 0, "")
	p.Line(left+width-33, 19, left+width, 19)
	y := 26.0

	row := func(h float64, cells ...string) {
		// cells alternate label, value; widths share the row evenly.
		n := len(cells) / 2
		w := width / float64(n)
		for i := 0; i < n; i++ {
			x := left + float64(i)*w
			p.Rect(x, y, w, h, "D")
			p.SetXY(x+1.5, y+1)
			p.SetFont(render.Font, "B", 10)
			p.CellFormat(22, 6, cells[2*i], "", 0, "L", false, 0, "")
			render.WriteCell(p, 6, cells[2*i+1], 10.5, false)
		}
		y += h
	}
	box := func(x, y float64) { p.Rect(x, y+1.6, 3.2, 3.2, "D") }
	choices := func(label string, opts []string, h float64) {
		p.Rect(left, y, width, h, "D")
		p.SetXY(left+1.5, y+1)
		p.SetFont(render.Font, "B", 10)
		p.CellFormat(22, 6, label, "", 0, "L", false, 0, "")
		p.SetFont(render.Font, "", 10)
		x, yy := left+25, y+1
		for _, o := range opts {
			w := render.TextWidth(p, o, 10, false) + 9
			if x+w > left+width-2 {
				x, yy = left+25, yy+6.5
			}
			box(x, yy)
			p.SetXY(x+4.5, yy)
			render.WriteCell(p, 6, o, 10, false)
			x += w
		}
		y += h
	}
	lines := func(label string, n int) {
		h := 7.0 * float64(n)
		p.Rect(left, y, width, h, "D")
		p.SetXY(left+1.5, y+1)
		p.SetFont(render.Font, "B", 10)
		p.CellFormat(22, 6, label, "", 0, "L", false, 0, "")
		p.SetDrawColor(190, 190, 190)
		for i := 1; i < n; i++ {
			p.Line(left+25, y+7*float64(i), left+width-3, y+7*float64(i))
		}
		p.SetDrawColor(0, 0, 0)
		y += h
	}

	// pair draws "□a  □b" in the value part of the row above, at x.
	pair := func(x float64, a, b string) {
		yy := y - 8 + 1
		for i, t := range []string{a, b} {
			xx := x + float64(i)*14
			box(xx, yy)
			p.SetXY(xx+4.5, yy)
			p.CellFormat(8, 6, t, "", 0, "L", false, 0, "")
		}
	}
	row(8, "上门日期", "　　　　年　　月　　日", "小分队成员", "")
	row(8, "姓　　名", r.Name, "性　　别", r.Gender)
	if r.Gender == "" {
		pair(left+width/2+24, "男", "女")
	}
	row(8, "身份证号", r.IDNumber, "联系电话", r.Phone)
	row(8, "村（社区）", r.Village, "住　　址", r.Address)
	catH := 8.0
	if len(ResidentCategories) > 6 {
		catH = 14.5
	}
	choices("服务类别", ResidentCategories, catH)
	svcH := 8.0 + 6.5*float64((len(services)-1)/4)
	choices("服务项目", services, svcH)
	choices("办理结果", []string{"已办结", "已代为提交，等待审核", "资料不全，待补交", "已讲解政策", "本人不在家"}, 14.5)
	lines("情况记录", 7)
	row(8, "需要跟进", "", "跟进期限", "　　　　年　　月　　日")
	pair(left+24, "是", "否")
	lines("跟进事项", 3)
	p.Rect(left, y, width, 24, "D")
	p.SetXY(left+1.5, y+1)
	p.SetFont(render.Font, "B", 10)
	p.CellFormat(40, 6, "发放政策卡片", "", 0, "L", false, 0, "")
	p.SetFont(render.Font, "", 10)
	for i := 0; i < 3; i++ {
		yy := y + 7 + float64(i)*5.5
		p.SetXY(left+25, yy)
		p.CellFormat(18, 5, "政策名称", "", 0, "L", false, 0, "")
		p.Line(left+43, yy+4.5, left+140, yy+4.5)
		p.SetXY(left+143, yy)
		p.CellFormat(10, 5, "份数", "", 0, "L", false, 0, "")
		p.Line(left+153, yy+4.5, left+width-5, yy+4.5)
	}
	y += 24
	lines("群众意见", 5)
	row(12, "对象签字", "（本人或家属）", "经办人签字", "")
	p.SetXY(left, y+3)
	p.SetFont(render.Font, "", 8.5)
	p.MultiCell(width, 4.5, strings.Join([]string{
		"说明：回站后请在「上门服务」中录入本表。录入人：　　　　　　　录入日期：",
		"本表含个人信息，请妥善保管，录入后按规定存档或销毁，不得外传。",
	}, "\n"), "", "L", false)
}
