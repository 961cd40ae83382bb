package render

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// savedText writes p to a file and extracts its text with pdftotext
// (poppler-utils, installed by make).
func savedText(t *testing.T, p *fpdf.Fpdf) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := WriteFile(path, func(w io.Writer) error { return WritePDF(p, w) }); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return path, string(out)
}

func TestPDFChineseTextIsExtractable(t *testing.T) {
	p := NewPDF("P", "A4")
	p.AddPage()
	p.Cell(0, 10, "劳保站工作台 政策卡片 2014")
	if _, got := savedText(t, p); !strings.Contains(got, "劳保站工作台 政策卡片 2014") {
		t.Fatalf("text not extractable, got %q", got)
	}
}

// TestMixedTextUsesALatinFont draws text mixing Chinese and ASCII through
// DrawText: the CJK font has no digits, so they must come from the Latin font.
func TestMixedTextUsesALatinFont(t *testing.T) {
	p := NewPDF("P", "A4")
	p.AddPage()
	DrawText(p, 10, 10, 190, 10, "湘人社发〔2014〕32号 No.7", 12, false, "L")
	DrawText(p, 10, 20, 190, 10, "“通知”——见附件①……", 12, true, "L")
	WriteCell(p, 8, "电话：13800001234", 10, false)
	p.SetXY(10, 40)
	p.CellFormat(0, 10, "之后的中文", "", 0, "L", false, 0, "") // the CJK font must be set again
	path, text := savedText(t, p)
	for _, want := range []string{"湘人社发〔2014〕32号 No.7", "“通知”——见附件①……", "电话：13800001234", "之后的中文"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	fonts, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fonts), "utf8latin") || !strings.Contains(string(fonts), "utf8cjk") {
		t.Fatalf("want both fonts in the PDF:\n%s", fonts)
	}
	runs := pdfRuns("文号2014号")
	if len(runs) != 3 || runs[1].text != "2014" || !runs[1].latin || runs[0].latin {
		t.Fatalf("runs %+v", runs)
	}
	for _, r := range "…“”—①℃" {
		if inCJKFont(r) {
			t.Errorf("%c is said to be in the CJK font, which draws it as a box", r)
		}
	}
	for _, r := range "政〔〕，。（）" {
		if !inCJKFont(r) {
			t.Errorf("%c should come from the CJK font", r)
		}
	}
}

// WrapText keeps lines within the width, never starts one with closing
// punctuation and keeps an ASCII word whole where a break before it exists.
func TestWrapText(t *testing.T) {
	p := NewPDF("P", "A4")
	p.AddPage()
	const w, size = 40.0, 10.0
	s := "灵活就业人员参加职工基，本养老保险按规定享受No.2014-32号文件第二段。\n\n末行"
	lines := WrapText(p, s, w, size, false)
	if len(lines) < 4 {
		t.Fatalf("not wrapped: %q", lines)
	}
	if got, want := strings.Join(lines, ""), strings.ReplaceAll(s, "\n", ""); got != want {
		t.Fatalf("text lost or changed: %q", lines)
	}
	if lines[len(lines)-2] != "" || lines[len(lines)-1] != "末行" {
		t.Fatalf("paragraphs not kept: %q", lines)
	}
	slack := TextWidth(p, "，", size, false) // closing punctuation may stay, slightly over
	word := false
	for i, l := range lines {
		if l != "" && strings.ContainsRune(noLineStart, []rune(l)[0]) {
			t.Errorf("line %d starts with closing punctuation: %q", i, l)
		}
		if TextWidth(p, l, size, false) > w+slack {
			t.Errorf("line %d too wide: %q", i, l)
		}
		word = word || strings.Contains(l, "No.2014-32")
	}
	if !word {
		t.Errorf("the document number was split: %q", lines)
	}
}
