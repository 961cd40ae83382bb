package render

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"

	"stationdesk/assets"
)

// Font is the family name of the embedded CJK font in every PDF; after any
// of this package's text functions it is the font set.
const Font = "cjk"

// latinFont is DejaVu Sans, for what the CJK font lacks.
const latinFont = "latin"

// NewPDF starts a document on the given page size ("A4", "A6", …) with the
// embedded fonts, so that its text is real and extractable.
func NewPDF(orientation, size string) *fpdf.Fpdf {
	p := fpdf.New(orientation, "mm", size, "")
	p.AddUTF8FontFromBytes(Font, "", assets.CJKFont)
	p.AddUTF8FontFromBytes(Font, "B", assets.CJKFont)
	p.AddUTF8FontFromBytes(latinFont, "", assets.LatinFont)
	p.AddUTF8FontFromBytes(latinFont, "B", assets.LatinBoldFont)
	p.SetFont(Font, "", 11)
	p.SetCreator("Station Desk "+assets.Version, true)
	p.SetAutoPageBreak(true, 12)
	return p
}

// WritePDF renders p to w; nothing reaches w if rendering fails.
func WritePDF(p *fpdf.Fpdf, w io.Writer) error {
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return fmt.Errorf("render: pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
