package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// over composites c (which may be translucent) over an opaque background.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 0xff}
}

// contrast is WCAG 2's contrast ratio of fg over bg.
func contrast(fg, bg color.Color) float64 {
	f, b := luminance(over(fg, bg)), luminance(bg)
	if f < b {
		f, b = b, f
	}
	return (f + 0.05) / (b + 0.05)
}

// TestThemeContrast computes, from the theme's own colours, every pair of
// text and background (4.5:1) and of control and background (3:1) in both
// the light and the dark theme, forced and followed.
func TestThemeContrast(t *testing.T) {
	text := [][2]fyne.ThemeColorName{
		{theme.ColorNameForeground, theme.ColorNameBackground},
		{theme.ColorNameForeground, theme.ColorNameInputBackground},
		{theme.ColorNameForeground, theme.ColorNameButton},
		{theme.ColorNameForeground, theme.ColorNameMenuBackground},
		{theme.ColorNameForeground, theme.ColorNameOverlayBackground},
		{theme.ColorNameForeground, theme.ColorNameHeaderBackground},
		{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground},
		{theme.ColorNamePrimary, theme.ColorNameBackground},   // high-importance text, links
		{theme.ColorNameHyperlink, theme.ColorNameBackground}, //
		{theme.ColorNameSuccess, theme.ColorNameBackground},   // 现行有效
		{theme.ColorNameWarning, theme.ColorNameBackground},
		{theme.ColorNameError, theme.ColorNameBackground}, // field messages
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess}, // 出席
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning}, // 迟到
		{theme.ColorNameForegroundOnError, theme.ColorNameError},     // 缺席
	}
	controls := [][2]fyne.ThemeColorName{
		{theme.ColorNameInputBorder, theme.ColorNameBackground},      // unchecked boxes, entry borders
		{theme.ColorNameInputBorder, theme.ColorNameInputBackground}, //
		{theme.ColorNamePrimary, theme.ColorNameBackground},          // checked boxes, the focused entry's border
		{theme.ColorNameFocus, theme.ColorNameBackground},            // the focus ring of buttons and checks
	}
	for _, mode := range ThemeModes {
		for _, sys := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			th := NewThemeMode(1, mode.Code)
			check := func(pairs [][2]fyne.ThemeColorName, min float64) {
				for _, p := range pairs {
					bg := over(th.Color(p[1], sys), th.Color(theme.ColorNameBackground, sys))
					if r := contrast(th.Color(p[0], sys), bg); r < min {
						t.Errorf("%s (system %d): %s on %s is %.2f:1, want %.1f:1", mode.Code, sys, p[0], p[1], r, min)
					}
				}
			}
			check(text, 4.5)
			check(controls, 3)
		}
	}
	// The choice holds whatever the system says.
	if NewThemeMode(1, "dark").Color(theme.ColorNameBackground, theme.VariantLight) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("深色 does not force the dark background")
	}
	if NewThemeMode(1, "light").Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("浅色 does not force the light background")
	}
}

func TestSettingsThemeChoice(t *testing.T) {
	st := serviceStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(settingsScreen(e))
	v := e.views["settings"].(*settingsView)
	if v.mode.Selected != "跟随系统" {
		t.Fatalf("starts at %q", v.mode.Selected)
	}
	v.mode.SetSelected("深色")
	e.wait()
	if m, _ := st.Setting(t.Context(), settingThemeMode, ""); m != "dark" || currentMode(e) != "dark" {
		t.Fatalf("深色: stored %q, theme %q", m, currentMode(e))
	}
	v.scale.SetSelected("特大") // the text size keeps the light/dark choice
	e.wait()
	if currentMode(e) != "dark" || currentScale(e) != largestScale() {
		t.Fatalf("after 特大: %q %v", currentMode(e), currentScale(e))
	}
	if th := LoadTheme(t.Context(), st).(*deskTheme); th.mode != "dark" || th.scale != largestScale() {
		t.Fatalf("next start: %+v", th)
	}
}
