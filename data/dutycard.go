package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // photos may be JPEG
	_ "image/png"  // or PNG
	dsync "stationdesk/data/sync"
	"strings"

	"github.com/go-pdf/fpdf"

	"stationdesk/data/render"
)

// maxPhotoBytes bounds an officer's photo: a card needs no more.
const maxPhotoBytes = 2 << 20

// errBadImage: an incoming photo that is not an image the form would take.
var errBadImage = errors.New("not a PNG or JPEG image that decodes")

func init() {
	// What sync checks in a photo that arrives in a bundle (sync_validate.go).
	dsync.RegisterIncomingRules("officer_photos", map[string]dsync.Rule{"content": photo, "mime": dsync.OneOf(false, "PNG", "JPG")})
}

// photo: decoded before it is stored, within a size limit, so that no
// printing later meets a broken image.
func photo(v any) error {
	b, ok := v.([]byte)
	if !ok {
		return errBadImage
	}
	return decodeImage(b)
}

// decodeImage: the photo rules of the form (photoType: size, dimensions,
// decoded whole); a panic inside a decoder counts as a bad image.
func decodeImage(b []byte) (err error) {
	defer func() {
		if recover() != nil {
			err = errBadImage
		}
	}()
	if _, err := photoType(b); err != nil {
		return errBadImage
	}
	return nil
}

// photoType checks that b is a PNG or JPEG image of sensible size and gives
// its type as fpdf names it ("PNG", "JPG").
func photoType(b []byte) (string, error) {
	if len(b) == 0 {
		return "", Invalid("photo", "照片文件是空的")
	}
	if len(b) > maxPhotoBytes {
		return "", Invalid("photo", "照片不能超过 2 MB")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", Invalid("photo", "照片应为 PNG 或 JPEG 图片")
	}
	if cfg.Width < 16 || cfg.Height < 16 || cfg.Width > 6000 || cfg.Height > 6000 {
		return "", Invalid("photo", "照片尺寸不合适")
	}
	// Decoded whole before it is kept: a truncated file would break every
	// print of the card (and, in a bundle, every station that takes it).
	if _, _, err := image.Decode(bytes.NewReader(b)); err != nil {
		return "", Invalid("photo", "照片文件已损坏，无法显示，请换一张")
	}
	switch format {
	case "png":
		return "PNG", nil
	case "jpeg":
		return "JPG", nil
	}
	return "", Invalid("photo", "照片应为 PNG 或 JPEG 图片")
}

// SetOfficerPhoto keeps a photo for the officer's duty card (nil removes it).
func (s *Store) SetOfficerPhoto(ctx context.Context, officerID string, photo []byte) error {
	o, err := s.Officer(ctx, officerID)
	if err != nil {
		return err
	}
	mime := ""
	if photo != nil {
		if mime, err = photoType(photo); err != nil {
			return err
		}
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		if _, err := tx.ExecContext(ctx, `UPDATE officer_photos SET deleted = 1, updated_at = ? WHERE officer_id = ? AND deleted = 0`, now, o.ID); err != nil {
			return fmt.Errorf("data: set photo: %w", err)
		}
		if photo == nil {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO officer_photos(id, origin, created_at, updated_at, officer_id, station_code, mime, content)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), ident.Code, now, now, o.ID, o.StationCode, mime, photo)
		if err != nil {
			return fmt.Errorf("data: set photo: %w", err)
		}
		return nil
	})
}

// OfficerPhoto returns the officer's photo and its type; nil if none.
func (s *Store) OfficerPhoto(ctx context.Context, officerID string) ([]byte, string, error) {
	var b []byte
	var mime string
	err := s.Read().QueryRowContext(ctx, `SELECT content, mime FROM officer_photos WHERE officer_id = ? AND deleted = 0 ORDER BY updated_at DESC LIMIT 1`, officerID).Scan(&b, &mime)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("data: read photo: %w", err)
	}
	return b, mime, nil
}

// DutyCard is what an officer's duty card (工作牌) shows.
type DutyCard struct {
	Officer Officer  `json:"officer"`
	Station string   `json:"station"` // name of the officer's station
	Matters []string `json:"matters"` // service guides naming the officer as responsible
	Photo   []byte   `json:"-"`
	PhotoAs string   `json:"-"`
}

// DutyCards gathers the cards of the given officers; none given: every active
// officer of this station (or of the bureau itself).
func (s *Store) DutyCards(ctx context.Context, officerIDs ...string) ([]DutyCard, error) {
	officers, err := s.Officers(ctx, len(officerIDs) == 0)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	rows, err := s.Read().QueryContext(ctx, `SELECT code, name FROM stations WHERE deleted = 0`)
	if err != nil {
		return nil, fmt.Errorf("data: duty cards: %w", err)
	}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: duty cards: %w", err)
		}
		names[c] = n
	}
	rows.Close()
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	guides, err := s.ServiceGuides(ctx)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, id := range officerIDs {
		want[id] = true
	}
	var out []DutyCard
	for _, o := range officers {
		if len(want) > 0 && !want[o.ID] || len(officerIDs) == 0 && o.StationCode != ident.Code {
			continue
		}
		c := DutyCard{Officer: o, Station: names[o.StationCode]}
		if c.Station == "" {
			c.Station = ident.Name
		}
		for _, g := range guides {
			if g.OfficerID == o.ID {
				c.Matters = append(c.Matters, g.Matter)
			}
		}
		if c.Photo, c.PhotoAs, err = s.OfficerPhoto(ctx, o.ID); err != nil {
			return nil, err
		}
		out = append(out, c)
		delete(want, o.ID)
	}
	for id := range want {
		return nil, NotFound("officer", id)
	}
	return out, nil
}

// DutyCardsPDF prints one duty card per page (A6 landscape, to fit a card
// holder) for the given officers, or for every active officer.
func (s *Store) DutyCardsPDF(ctx context.Context, path string, officerIDs ...string) (_ int, err error) {
	defer recoverPDF(&err) // a broken image or font fails this print, not the program
	cards, err := s.DutyCards(ctx, officerIDs...)
	if err != nil {
		return 0, err
	}
	if len(cards) == 0 {
		return 0, Invalid("officers", "还没有在岗的工作人员")
	}
	p := render.NewPDF("L", "A6")
	p.SetTitle("工作牌", true)
	p.SetAutoPageBreak(false, 0)
	for i, c := range cards {
		p.AddPage()
		w, h := p.GetPageSize()
		// Frame and title band.
		p.SetDrawColor(180, 30, 30)
		p.SetLineWidth(0.8)
		p.Rect(4, 4, w-8, h-8, "D")
		p.SetFillColor(180, 30, 30)
		p.Rect(4, 4, w-8, 14, "F")
		p.SetTextColor(255, 255, 255)
		render.DrawText(p, 6, 5, w-12, 12, c.Station, 14, true, "C")
		p.SetTextColor(0, 0, 0)
		// Photo, or a frame for one.
		px, py, pw, ph := 10.0, 24.0, 30.0, 40.0
		if c.Photo != nil && decodeImage(c.Photo) != nil {
			c.Photo = nil // a photo that does not decode: the card gets the empty frame
		}
		if c.Photo != nil {
			name := fmt.Sprintf("photo%d", i)
			p.RegisterImageOptionsReader(name, fpdfImage(c.PhotoAs), bytes.NewReader(c.Photo))
			p.ImageOptions(name, px, py, pw, ph, false, fpdfImage(c.PhotoAs), 0, "")
		} else {
			p.SetDrawColor(160, 160, 160)
			p.SetLineWidth(0.3)
			p.Rect(px, py, pw, ph, "D")
			p.SetTextColor(150, 150, 150)
			render.DrawText(p, px, py+ph/2-3, pw, 6, "照片", 9, false, "C")
			p.SetTextColor(0, 0, 0)
		}
		// Name, role, duties, phone.
		x, tw := px+pw+8, w-(px+pw+8)-8
		render.DrawText(p, x, py, tw, 11, c.Officer.Name, 22, true, "L")
		y := py + 13
		render.DrawText(p, x, y, tw, 7, "职务："+c.Officer.Role, 12, false, "L")
		y += 8
		if c.Officer.Phone != "" {
			render.DrawText(p, x, y, tw, 7, "电话："+c.Officer.Phone, 12, false, "L")
			y += 8
		}
		duties := strings.TrimSpace(c.Officer.Duties)
		if len(c.Matters) > 0 {
			if duties != "" {
				duties += "；"
			}
			duties += "经办：" + strings.Join(c.Matters, "、")
		}
		if duties != "" {
			for n, line := range render.WrapText(p, "职责："+duties, tw, 10, false) {
				if n == 5 {
					break
				}
				render.DrawText(p, x, y, tw, 5.5, line, 10, false, "L")
				y += 5.5
			}
		}
		p.SetTextColor(180, 30, 30)
		render.DrawText(p, 4, h-14, w-8, 6, "有事请找我　竭诚为您服务", 10, false, "C")
		p.SetTextColor(0, 0, 0)
	}
	if err := p.Error(); err != nil {
		return 0, fmt.Errorf("data: duty cards: %w", err)
	}
	return len(cards), savePDF(p, path)
}

func fpdfImage(t string) fpdf.ImageOptions { return fpdf.ImageOptions{ImageType: t, ReadDpi: false} }
