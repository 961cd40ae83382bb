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

// ThemeModes offered in 设置: follow the system, or always light or dark.
var ThemeModes = []struct {
	Code, Label string
}{
	{"system", "跟随系统"},
	{"light", "浅色"},
	{"dark", "深色"},
}

// settingThemeMode keeps the choice (system, light, dark).
const settingThemeMode = "theme_mode"

// deskTheme is Fyne's default theme with the embedded CJK font, a text
// scale, a light or dark choice, and colours that meet WCAG AA contrast in
// both variants (4.5:1 for text, 3:1 for controls and the focus ring;
// TestThemeContrast computes them).
type deskTheme struct {
	scale float32
	mode  string // system, light, dark
}

// NewTheme returns the app's theme at the given text scale (1 = standard),
// following the system's light or dark choice.
func NewTheme(scale float32) fyne.Theme { return NewThemeMode(scale, "system") }

// NewThemeMode is NewTheme with light or dark forced (mode light, dark) or
// following the system (system).
func NewThemeMode(scale float32, mode string) fyne.Theme {
	if scale < 0.8 || scale > 2 {
		scale = 1
	}
	return &deskTheme{scale: scale, mode: mode}
}

// palette overrides Fyne's colours where they fall short of AA, per variant.
var palette = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNamePrimary:             rgb(0x1f5fa8),
		theme.ColorNameForegroundOnPrimary: rgb(0xffffff),
		theme.ColorNameSuccess:             rgb(0x1b7a31),
		theme.ColorNameForegroundOnSuccess: rgb(0xffffff),
		theme.ColorNameWarning:             rgb(0x935400),
		theme.ColorNameForegroundOnWarning: rgb(0xffffff),
		theme.ColorNameError:               rgb(0xc0282a),
		theme.ColorNameForegroundOnError:   rgb(0xffffff),
		theme.ColorNameInputBorder:         rgb(0x6e6e6e),
		theme.ColorNamePlaceHolder:         rgb(0x6b6b6b),
		theme.ColorNameFocus:               color.NRGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xc0},
		theme.ColorNameHyperlink:           rgb(0x1f5fa8),
	},
	theme.VariantDark: {
		theme.ColorNamePrimary:             rgb(0x6fa8f0),
		theme.ColorNameForegroundOnPrimary: rgb(0x0f1620),
		theme.ColorNameSuccess:             rgb(0x5cc46e),
		theme.ColorNameForegroundOnSuccess: rgb(0x0f1a12),
		theme.ColorNameWarning:             rgb(0xf0a23b),
		theme.ColorNameForegroundOnWarning: rgb(0x1a1206),
		theme.ColorNameError:               rgb(0xff7b72),
		theme.ColorNameForegroundOnError:   rgb(0x1f0d0c),
		theme.ColorNameInputBorder:         rgb(0x8f8f8f),
		theme.ColorNamePlaceHolder:         rgb(0xa8a8a8),
		theme.ColorNameFocus:               color.NRGBA{R: 0x6f, G: 0xa8, B: 0xf0, A: 0xc0},
		theme.ColorNameHyperlink:           rgb(0x6fa8f0),
	},
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// variant is the variant shown: the officer's choice, else the system's.
func (t *deskTheme) variant(v fyne.ThemeVariant) fyne.ThemeVariant {
	switch t.mode {
	case "light":
		return theme.VariantLight
	case "dark":
		return theme.VariantDark
	}
	return v
}

func (t *deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	v = t.variant(v)
	if c, ok := palette[v][n]; ok {
		return c
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
