package data

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
)

func ledgerPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 60; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), 90, uint8(y * 3), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDutyCardPDFNamesTheOfficer(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "")
	roster := []Officer{{Name: "王秀英", Role: "站长", Phone: "13873612345", Duties: "全面负责劳保站工作"}, {Name: "李建国", Role: "劳保专干"}}
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, roster); err != nil {
		t.Fatal(err)
	}
	officers, err := st.Officers(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var wang Officer
	for _, o := range officers {
		if o.Name == "王秀英" {
			wang = o
		}
	}
	g := ServiceGuide{Matter: "养老金资格认证", Steps: []GuideStep{{Name: "窗口受理"}}, OfficerID: wang.ID, Officer: wang.Name}
	if err := st.SaveServiceGuide(ctx, &g); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOfficerPhoto(ctx, wang.ID, []byte("not a picture")); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad photo: %v", err)
	}
	if err := st.SetOfficerPhoto(ctx, wang.ID, ledgerPNG(t)); err != nil {
		t.Fatal(err)
	}
	if b, typ, _ := st.OfficerPhoto(ctx, wang.ID); len(b) == 0 || typ != "PNG" {
		t.Fatalf("photo back: %d bytes %s", len(b), typ)
	}
	path := filepath.Join(t.TempDir(), "card.pdf")
	n, err := st.DutyCardsPDF(ctx, path, wang.ID)
	if err != nil || n != 1 {
		t.Fatalf("cards %d %v", n, err)
	}
	text := pdfText(t, path)
	for _, want := range []string{"王秀英", "站长", "13873612345", "桃花镇劳动保障站", "全面负责劳保站工作", "养老金资格认证"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "李建国") {
		t.Error("the card of one officer names another")
	}
	// Every active officer: one card each, the one without a photo too.
	all := filepath.Join(t.TempDir(), "all.pdf")
	if n, err := st.DutyCardsPDF(ctx, all); err != nil || n != 2 {
		t.Fatalf("all cards %d %v", n, err)
	}
	if text := pdfText(t, all); !strings.Contains(text, "李建国") || !strings.Contains(text, "劳保专干") || !strings.Contains(text, "王秀英") {
		t.Fatalf("all cards:\n%s", text)
	}
	if _, err := st.DutyCardsPDF(ctx, all, "no-such-officer"); ErrorKind(err) != KindNotFound {
		t.Fatalf("unknown officer: %v", err)
	}
}

// FuzzDutyCardPhoto feeds arbitrary bytes to the photo check: it may refuse
// them but must not panic, and names only types fpdf knows.
func FuzzDutyCardPhoto(f *testing.F) {
	f.Add(ledgerPNG(f))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, err := photoType(b)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("error kind %v", err)
			}
			return
		}
		if typ != "PNG" && typ != "JPG" {
			t.Fatalf("type %q", typ)
		}
	})
}
