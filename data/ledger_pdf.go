package data

import (
	"strings"

	"github.com/go-pdf/fpdf"
)

// The embedded CJK font draws no Latin letters or digits, so the ledgers'
// PDFs write ASCII runs in Helvetica (a core font, extractable) and the rest
// in the CJK font.

// ledgerRuns splits s into runs of ASCII and of other characters.
func ledgerRuns(s string) (runs []string, latin []bool) {
	for _, r := range s {
		l := r < 0x80
		if n := len(runs); n > 0 && latin[n-1] == l {
			runs[n-1] += string(r)
			continue
		}
		runs, latin = append(runs, string(r)), append(latin, l)
	}
	return runs, latin
}

func ledgerFont(p *fpdf.Fpdf, latin bool, size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	if latin {
		p.SetFont("Helvetica", style, size)
	} else {
		p.SetFont(pdfFont, style, size)
	}
}

// ledgerWidth measures s in mm.
func ledgerWidth(p *fpdf.Fpdf, s string, size float64, bold bool) float64 {
	w := 0.0
	runs, latin := ledgerRuns(s)
	for i, r := range runs {
		ledgerFont(p, latin[i], size, bold)
		w += p.GetStringWidth(r)
	}
	return w
}

// ledgerDraw writes one line of s in a box (x, y, w, h), aligned "L" or "C",
// cut to fit the box.
func ledgerDraw(p *fpdf.Fpdf, x, y, w, h float64, s string, size float64, bold bool, align string) {
	for ledgerWidth(p, s, size, bold) > w && len([]rune(s)) > 1 {
		s = string([]rune(s)[:len([]rune(s))-1])
	}
	if align == "C" {
		x += (w - ledgerWidth(p, s, size, bold)) / 2
	}
	runs, latin := ledgerRuns(s)
	for i, r := range runs {
		ledgerFont(p, latin[i], size, bold)
		rw := p.GetStringWidth(r)
		p.SetXY(x, y)
		p.CellFormat(rw, h, r, "", 0, "L", false, 0, "")
		x += rw
	}
	ledgerFont(p, false, size, bold)
}

// ledgerWrap breaks s into lines no wider than w (between any two characters).
func ledgerWrap(p *fpdf.Fpdf, s string, w, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		for start := 0; start < len(rs); {
			end := start + 1
			for end < len(rs) && ledgerWidth(p, string(rs[start:end+1]), size, bold) <= w {
				end++
			}
			// Closing punctuation never starts a line.
			for end < len(rs) && strings.ContainsRune("，。、；：？！）》,.;:?!)", rs[end]) {
				end++
			}
			lines = append(lines, string(rs[start:end]))
			start = end
		}
	}
	return lines
}

// ledgerCell draws a bordered table cell with s in it and moves right.
func ledgerCell(p *fpdf.Fpdf, w, h float64, s string, size float64, bold, fill bool) {
	x, y := p.GetXY()
	p.CellFormat(w, h, "", "1", 0, "", fill, 0, "")
	ledgerDraw(p, x+1, y, w-2, h, s, size, bold, "C")
	p.SetXY(x+w, y)
}
