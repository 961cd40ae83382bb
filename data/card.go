package data

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"stationdesk/data/render"
)

// SettingContactPhone is the station's phone printed on policy cards; when
// unset, the phone of the station head (or first active officer) is used.
const SettingContactPhone = "contact_phone"

// CardContact is the station's contact printed on cards.
type CardContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// CardContact returns the station's name (Identity) and contact phone.
func (s *Store) CardContact(ctx context.Context) (CardContact, error) {
	var c CardContact
	id, _, err := s.Identity(ctx)
	if err != nil {
		return c, err
	}
	c.Name = id.Name
	if c.Phone, err = s.Setting(ctx, SettingContactPhone, ""); err != nil {
		return c, err
	}
	if c.Phone == "" {
		err := s.Read().QueryRowContext(ctx, `SELECT phone FROM officers WHERE deleted = 0 AND active = 1 AND phone != '' AND station_code = ?
			ORDER BY role != '站长', role != '劳保专干', name LIMIT 1`, id.Code).Scan(&c.Phone)
		if err != nil {
			c.Phone = ""
		}
	}
	return c, nil
}

// CardLayout chooses how cards are printed.
type CardLayout struct {
	Sheet bool // four A6 cards on each A4 sheet, with cut lines; else one A6 page per card
}

const (
	cardW, cardH = 105.0, 148.0
)

// PolicyCardsPDF prints the policy cards of ids (in order) into path.
func (s *Store) PolicyCardsPDF(ctx context.Context, ids []string, layout CardLayout, path string) (err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	if len(ids) == 0 {
		return Invalid("policy_id", "请选择要打印的政策")
	}
	contact, err := s.CardContact(ctx)
	if err != nil {
		return err
	}
	var ps []Policy
	for _, id := range ids {
		p, err := s.Policy(ctx, id)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	var pdf *fpdf.Fpdf
	if layout.Sheet {
		pdf = render.NewPDF("P", "A4")
	} else {
		pdf = render.NewPDF("P", "A6")
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle("政策卡片", true)
	for i, p := range ps {
		x, y := 0.0, 0.0
		if layout.Sheet {
			slot := i % 4
			if slot == 0 {
				pdf.AddPage()
				drawCutLines(pdf)
			}
			x, y = float64(slot%2)*cardW, float64(slot/2)*148.5
		} else {
			pdf.AddPage()
		}
		if err := drawPolicyCard(pdf, x, y, &p, contact); err != nil {
			return err
		}
	}
	return savePDF(pdf, path)
}

func drawCutLines(pdf *fpdf.Fpdf) {
	pdf.SetDrawColor(170, 170, 170)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{2, 2}, 0)
	pdf.Line(cardW, 0, cardW, 297)
	pdf.Line(0, 148.5, 210, 148.5)
	pdf.SetDashPattern([]float64{}, 0)
}

// drawPolicyCard lays one A6 card out with its top-left corner at (x, y).
func drawPolicyCard(pdf *fpdf.Fpdf, x, y float64, p *Policy, c CardContact) error {
	const m = 8.0 // margin
	w := cardW - 2*m
	// Header band.
	pdf.SetFillColor(176, 32, 38)
	pdf.Rect(x, y, cardW, 13, "F")
	pdf.SetTextColor(255, 255, 255)
	render.DrawText(pdf, x+m, y+3, w, 7, "政策卡片", 11, true, "L")
	render.DrawText(pdf, x+m, y+3, w, 7, c.Name, 8, false, "R")
	pdf.SetTextColor(20, 20, 20)

	cy := y + 17
	for _, line := range capLines(render.WrapText(pdf, p.Title, w, 12.5, true), 4) {
		render.DrawText(pdf, x+m, cy, w, 6, line, 12.5, true, "L")
		cy += 6
	}
	cy += 1.5
	pdf.SetTextColor(90, 90, 90)
	var meta []string
	if p.DocNo != "" {
		meta = append(meta, "文号："+p.DocNo)
	}
	eff := p.Effective
	if eff == "" {
		eff = "见正文"
	}
	meta = append(meta, "生效日期："+eff+"    状态："+p.Status)
	if p.Expires != "" {
		meta = append(meta, "有效期至："+p.Expires)
	}
	if p.Issuer != "" {
		meta = append(meta, "发文单位："+p.Issuer)
	}
	for _, line := range meta {
		render.DrawText(pdf, x+m, cy, w, 4.6, line, 8.5, false, "L")
		cy += 4.6
	}
	cy += 1.5
	pdf.SetDrawColor(176, 32, 38)
	pdf.SetLineWidth(0.4)
	pdf.Line(x+m, cy, x+cardW-m, cy)
	cy += 3

	// The summary fills the space down to the contact block.
	qr := 27.0
	bottom := y + cardH - m - qr - 3
	pdf.SetTextColor(20, 20, 20)
	lh := 5.0
	summary := strings.ReplaceAll(strings.TrimSpace(p.Summary), "\n", " ")
	body := strings.TrimSpace(p.Body)
	if summary == "" || strings.HasPrefix(body, strings.TrimSuffix(summary, "……")) {
		// No summary of its own: the text itself, as far as the card holds.
		summary = body
	}
	for _, line := range capLines(render.WrapText(pdf, summary, w, 9.5, false), int((bottom-cy)/lh)) {
		render.DrawText(pdf, x+m, cy, w, lh, line, 9.5, false, "L")
		cy += lh
	}

	// Contact on the left, QR code with the policy's reference on the right.
	png, err := qrcode.Encode(p.Reference(), qrcode.Medium, 256)
	if err != nil {
		return fmt.Errorf("data: qr code: %w", err)
	}
	name := "qr-" + p.ID
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	qy := y + cardH - m - qr
	pdf.ImageOptions(name, x+cardW-m-qr, qy, qr, qr, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	cw := w - qr - 2
	render.DrawText(pdf, x+m, qy+2, cw, 5, "咨询办理", 9, true, "L")
	ly := qy + 7.5
	for _, line := range capLines(render.WrapText(pdf, c.Name, cw, 8.5, false), 2) {
		render.DrawText(pdf, x+m, ly, cw, 4.5, line, 8.5, false, "L")
		ly += 4.5
	}
	if c.Phone != "" {
		render.DrawText(pdf, x+m, ly, cw, 4.5, "电话："+c.Phone, 8.5, false, "L")
	}
	pdf.SetTextColor(120, 120, 120)
	render.DrawText(pdf, x+m, qy+qr-4, cw, 4, "扫码核对政策编号", 7, false, "L")
	pdf.SetTextColor(0, 0, 0)
	return pdf.Error()
}

// capLines keeps at most n lines, marking a cut with an ellipsis.
func capLines(lines []string, n int) []string {
	if n <= 0 {
		return nil
	}
	if len(lines) <= n {
		return lines
	}
	out := append([]string(nil), lines[:n]...)
	rs := []rune(out[n-1])
	if len(rs) > 1 {
		rs = rs[:len(rs)-1]
	}
	out[n-1] = string(rs) + "…"
	return out
}
