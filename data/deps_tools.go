//go:build tools

// This file pins modules that features use, so that go.mod lists them before
// their first import (built only with -tags tools, never in the program).
package data

import (
	_ "filippo.io/age"
	_ "fyne.io/fyne/v2"
	_ "github.com/go-pdf/fpdf"
	_ "github.com/skip2/go-qrcode"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/text/encoding/simplifiedchinese"
	_ "gopkg.in/yaml.v3"
)
