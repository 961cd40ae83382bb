package data

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"

	"stationdesk/assets"
)

// pdfFont is the family name of the embedded CJK font in every PDF.
const pdfFont = "cjk"

// newPDF starts a document on the given page size ("A4", "A6", …) with the
// embedded CJK font as real, extractable text.
func newPDF(orientation, size string) *fpdf.Fpdf {
	p := fpdf.New(orientation, "mm", size, "")
	p.AddUTF8FontFromBytes(pdfFont, "", assets.CJKFont)
	p.AddUTF8FontFromBytes(pdfFont, "B", assets.CJKFont)
	p.AddUTF8FontFromBytes(pdfLatinFont, "", assets.LatinFont)
	p.AddUTF8FontFromBytes(pdfLatinFont, "B", assets.LatinBoldFont)
	p.SetFont(pdfFont, "", 11)
	p.SetCreator("Station Desk "+assets.Version, true)
	p.SetAutoPageBreak(true, 12)
	return p
}

// writePDF renders p to w.
func writePDF(p *fpdf.Fpdf, w io.Writer) error {
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return fmt.Errorf("data: render pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// savePDF renders p into a file, replacing it only once it is complete.
func savePDF(p *fpdf.Fpdf, path string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return writePDF(p, w) })
}
