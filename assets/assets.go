// Package assets holds what the program carries inside it: the CJK font, the
// icon, the translations and the version.
package assets

import (
	_ "embed"
)

// Version is the program's version; FyneApp.toml carries the same number and
// a test keeps them equal.
const Version = "0.1.0"

// CJKFont is Droid Sans Fallback (Apache-2.0, see fonts/LICENSE-DroidSansFallback.txt):
// TrueType outlines covering Chinese, used by the GUI and by PDFs.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var CJKFont []byte
