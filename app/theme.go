package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"stationdesk/assets"
)

// cjkFont is the embedded Droid Sans Fallback: Chinese renders on machines
// that have no CJK font of their own.
var cjkFont = fyne.NewStaticResource("DroidSansFallbackFull.ttf", assets.CJKFont)

// TextScales offered in 设置: older officers need larger text.
var TextScales = []struct {
	Label string
	Scale float32
}{
	{"标准", 1.0},
	{"较大", 1.2},
	{"特大", 1.45},
}

// deskTheme is Fyne's default theme with the CJK font and a text scale.
type deskTheme struct {
	scale float32
}

// NewTheme returns the app's theme at the given text scale (1 = standard).
func NewTheme(scale float32) fyne.Theme {
	if scale < 0.8 || scale > 2 {
		scale = 1
	}
	return &deskTheme{scale: scale}
}

func (t *deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNamePrimary {
		return color.NRGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *deskTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	return cjkFont
}

func (t *deskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *deskTheme) Size(n fyne.ThemeSizeName) float32 {
	s := theme.DefaultTheme().Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.scale
	}
	return s
}
