package render

import (
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"

	"stationdesk/assets"
)

// The embedded CJK font has no Latin letters, digits or many common symbols
// (“” —— …… ① ℃), so every PDF draws text in runs: what the CJK font has in
// it, the rest in DejaVu Sans. All PDFs write their text through these functions.

var (
	cjkOnce   sync.Once
	cjkFace   *sfnt.Font
	cjkMu     sync.Mutex
	cjkBuf    sfnt.Buffer
	cjkGlyphs = map[rune]bool{}
)

// inCJKFont reports whether the embedded CJK font draws r (ASCII never: the
// Latin font draws it better).
func inCJKFont(r rune) bool {
	if r < 0x80 {
		return false
	}
	cjkOnce.Do(func() { cjkFace, _ = sfnt.Parse(assets.CJKFont) })
	if cjkFace == nil {
		return true
	}
	cjkMu.Lock()
	defer cjkMu.Unlock()
	has, ok := cjkGlyphs[r]
	if !ok {
		i, err := cjkFace.GlyphIndex(&cjkBuf, r)
		has = err == nil && i != 0
		cjkGlyphs[r] = has
	}
	return has
}

// noLineStart are the characters a Chinese line must not begin with.
const noLineStart = "，。、；：？！）》」』】〕…,.;:?!)"

type pdfRun struct {
	text  string
	latin bool
}

func pdfRuns(s string) []pdfRun {
	var runs []pdfRun
	var b strings.Builder
	latin := false
	for i, r := range s {
		l := !inCJKFont(r)
		if i > 0 && l != latin {
			runs = append(runs, pdfRun{b.String(), latin})
			b.Reset()
		}
		latin = l
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		runs = append(runs, pdfRun{b.String(), latin})
	}
	return runs
}

func setRunFont(pdf *fpdf.Fpdf, latin bool, size float64, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	if latin {
		pdf.SetFont(latinFont, style, size)
	} else {
		pdf.SetFont(Font, style, size)
	}
}

// TextWidth measures s in mm at the given size.
func TextWidth(pdf *fpdf.Fpdf, s string, size float64, bold bool) float64 {
	w := 0.0
	for _, r := range pdfRuns(s) {
		setRunFont(pdf, r.latin, size, bold)
		w += pdf.GetStringWidth(r.text)
	}
	setRunFont(pdf, false, size, bold)
	return w
}

// fitText cuts s until it fits in width w.
func fitText(pdf *fpdf.Fpdf, s string, w, size float64, bold bool) string {
	for TextWidth(pdf, s, size, bold) > w && len([]rune(s)) > 1 {
		s = string([]rune(s)[:len([]rune(s))-1])
	}
	return s
}

// DrawCell draws a bordered table cell (filled if fill) with s cut to fit,
// aligned "L", "C" or "R", and moves right like CellFormat with ln=0.
func DrawCell(pdf *fpdf.Fpdf, w, h float64, s string, size float64, bold bool, align string, fill bool) {
	x, y := pdf.GetXY()
	pdf.CellFormat(w, h, "", "1", 0, "", fill, 0, "")
	DrawText(pdf, x+1, y, w-2, h, fitText(pdf, s, w-2, size, bold), size, bold, align)
	pdf.SetXY(x+w, y)
}

// WriteCell writes one line of s at the current position, in a cell of
// height h as wide as the text, and moves right like CellFormat with ln=0.
func WriteCell(pdf *fpdf.Fpdf, h float64, s string, size float64, bold bool) {
	x, y := pdf.GetXY()
	w := TextWidth(pdf, s, size, bold)
	DrawText(pdf, x, y, w, h, s, size, bold, "L")
	pdf.SetXY(x+w, y)
}

// WriteText flows s from the current position, wrapping at the margin.
func WriteText(pdf *fpdf.Fpdf, h float64, s string, size float64, bold bool) {
	for _, r := range pdfRuns(s) {
		setRunFont(pdf, r.latin, size, bold)
		pdf.Write(h, r.text)
	}
	setRunFont(pdf, false, size, bold)
}

// DrawText writes one line of s in a box of width w at (x, y), aligned
// "L", "C" or "R", cut to fit the box.
func DrawText(pdf *fpdf.Fpdf, x, y, w, h float64, s string, size float64, bold bool, align string) {
	s = fitText(pdf, s, w, size, bold)
	tw := TextWidth(pdf, s, size, bold)
	switch align {
	case "C":
		x += (w - tw) / 2
	case "R":
		x += w - tw
	}
	for _, r := range pdfRuns(s) {
		setRunFont(pdf, r.latin, size, bold)
		rw := pdf.GetStringWidth(r.text)
		pdf.SetXY(x, y)
		pdf.CellFormat(rw, h, r.text, "", 0, "L", false, 0, "")
		x += rw
	}
	// Leave the CJK font set: callers may go on with plain CellFormat.
	setRunFont(pdf, false, size, bold)
}

// WrapText breaks s into lines no wider than w, between any two characters
// (Chinese has no spaces) but keeping ASCII words whole where it can.
func WrapText(pdf *fpdf.Fpdf, s string, w, size float64, bold bool) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		start := 0
		for start < len(rs) {
			end := start
			for end < len(rs) && TextWidth(pdf, string(rs[start:end+1]), size, bold) <= w {
				end++
			}
			if end == start {
				end = start + 1
			}
			// Closing punctuation never starts a line: it stays, slightly over.
			for end < len(rs) && end > start && strings.ContainsRune(noLineStart, rs[end]) {
				end++
			}
			if end < len(rs) && rs[end] < 0x80 && rs[end] != ' ' {
				// Do not split an ASCII word when a break before it exists.
				k := end
				for k > start && rs[k-1] < 0x80 && rs[k-1] != ' ' {
					k--
				}
				if k > start {
					end = k
				}
			}
			lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
			start = end
			for start < len(rs) && rs[start] == ' ' {
				start++
			}
		}
		if len(rs) == 0 {
			lines = append(lines, "")
		}
	}
	return lines
}
