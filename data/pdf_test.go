package data

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils, installed by make).
func pdfText(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestPDFChineseTextIsExtractable(t *testing.T) {
	p := newPDF("P", "A4")
	p.AddPage()
	p.Cell(0, 10, "劳保站工作台 政策卡片 2014")
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := savePDF(p, path); err != nil {
		t.Fatal(err)
	}
	if got := pdfText(t, path); !strings.Contains(got, "劳保站工作台 政策卡片 2014") {
		t.Fatalf("text not extractable, got %q", got)
	}
}

// TestMixedTextUsesALatinFont draws text mixing Chinese and ASCII through
// drawText: the CJK font has no digits, so they must come from the Latin font.
func TestMixedTextUsesALatinFont(t *testing.T) {
	p := newPDF("P", "A4")
	p.AddPage()
	drawText(p, 10, 10, 190, 10, "湘人社发〔2014〕32号 No.7", 12, false, "L")
	drawText(p, 10, 20, 190, 10, "“通知”——见附件①……", 12, true, "L")
	writeCell(p, 8, "电话：13800001234", 10, false)
	p.SetXY(10, 40)
	p.CellFormat(0, 10, "之后的中文", "", 0, "L", false, 0, "") // the CJK font must be set again
	path := filepath.Join(t.TempDir(), "mixed.pdf")
	if err := savePDF(p, path); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
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
