// Package assets holds what the program carries inside it: the CJK font, the
// icon, the translations and the version.
package assets

import (
	"embed"
)

// Version is the program's version; FyneApp.toml carries the same number and
// a test keeps them equal.
const Version = "0.1.0"

// CJKFont is Droid Sans Fallback (Apache-2.0, see fonts/LICENSE-DroidSansFallback.txt):
// TrueType outlines covering Chinese, used by the GUI and by PDFs.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJKFont []byte

// LatinFont and LatinBoldFont are DejaVu Sans (Bitstream Vera licence, see
// fonts/LICENSE-DejaVu.txt): PDFs draw with them what the CJK font lacks,
// ASCII letters and digits, “” —— …… ① ℃ and other symbols.
//
//go:embed fonts/DejaVuSans.ttf
var LatinFont []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var LatinBoldFont []byte

// Lang holds the translation files, named like Fyne's own: FEATURE.LOCALE.json
// (base.en.json, policy.en.json, ...). Keys are the Simplified Chinese text
// itself, so Chinese needs no file of its own except for Fyne's built-in keys.
//
//go:embed lang/*.json
var Lang embed.FS

// Icon is the application icon.
//
//go:embed icon/icon.png
var Icon []byte
