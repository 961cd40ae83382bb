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
