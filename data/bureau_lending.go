package data

import (
	"context"
	"fmt"
	"io"
	"time"

	"stationdesk/data/render"
)

// LendingReviewSheet writes the printable sheet of one week's archive
// lendings (人事档案外借周审核表) for the deputy director to sign: every
// entry lent, due or returned that week, its status on the day, the
// recorded review if there is one, and lines for the remarks and signature.
// It returns how many entries the sheet lists.
func (s *Store) LendingReviewSheet(ctx context.Context, day, today time.Time, path string) (int, error) {
	list, err := s.WeekLendings(ctx, day)
	if err != nil {
		return 0, err
	}
	review, reviewed, err := s.WeekReview(ctx, day)
	if err != nil {
		return 0, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return 0, err
	}
	mon := WeekStart(day)
	sun := mon.AddDate(0, 0, 6)
	return len(list), writeFileAtomic(path, func(w io.Writer) error {
		p := render.NewPDF("L", "A4")
		p.SetMargins(12, 12, 12)
		p.SetAutoPageBreak(false, 12)
		p.AddPage()
		const left, width = 12.0, 273.0
		y := 12.0
		render.DrawText(p, left, y, width, 9, "人事档案外借周审核表", 16, true, "C")
		y += 10
		render.DrawText(p, left, y, width, 6, fmt.Sprintf("%s　%s 至 %s（共 %d 条）", ident.Name, mon.Format("2006-01-02"), sun.Format("2006-01-02"), len(list)), 10, false, "C")
		y += 9
		heads := []string{"序号", "档案所有人", "借阅单位", "借阅人", "用途", "批准人", "借出日期", "应还日期", "归还日期", "状态"}
		ws := []float64{12, 26, 42, 22, 55, 22, 23, 23, 23, 25}
		row := func(cells []string, bold, fill bool) {
			x := left
			p.SetFillColor(235, 235, 235)
			for i, c := range cells {
				style := "D"
				if fill {
					style = "FD"
				}
				p.Rect(x, y, ws[i], 8, style)
				render.DrawText(p, x+1.2, y+1, ws[i]-2.4, 6, c, 9, bold, "L")
				x += ws[i]
			}
			y += 8
		}
		p.SetDrawColor(120, 120, 120)
		p.SetLineWidth(0.2)
		row(heads, true, true)
		for i, l := range list {
			if y > 170 {
				p.AddPage()
				y = 12
				row(heads, true, true)
			}
			back := l.DateReturned
			if back == "" {
				back = "未归还"
			}
			row([]string{fmt.Sprint(i + 1), l.HolderName, l.BorrowerUnit, l.Borrower, l.Purpose, l.ApprovedBy, l.DateOut, l.DateDue, back, LendingStatus(l, today)}, false, false)
		}
		if len(list) == 0 {
			render.DrawText(p, left, y+1, width, 6, "本周没有外借登记。", 10, false, "L")
			y += 8
		}
		if y > 165 {
			p.AddPage()
			y = 12
		}
		y += 8
		remarks := "审核意见：________________________________________________________________________________"
		if reviewed && review.Remarks != "" {
			remarks = "审核意见：" + review.Remarks
		}
		render.DrawText(p, left, y, width, 7, remarks, 11, false, "L")
		y += 14
		sign := "分管副局长（签字）：____________________　　日期：______年____月____日"
		if reviewed {
			sign = fmt.Sprintf("分管副局长（签字）：____________________　　系统记录：%s 于 %s 审核", review.Reviewer, review.ReviewedAt.Format("2006-01-02 15:04"))
		}
		render.DrawText(p, left, y, width, 7, sign, 11, false, "L")
		return render.WritePDF(p, w)
	})
}
