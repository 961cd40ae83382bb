package sync

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"filippo.io/age"

	"stationdesk/data/store"
)

// Files that carry private keys (enrolment files, the bureau's recovery file)
// are encrypted with age's scrypt passphrase recipient under a code of digits
// that a person reads aloud or writes on paper.
//
// Strength: a one-time enrolment code is 16 digits (10^16 ≈ 2^53 codes); a
// recovery code 24 digits (≈ 2^80). Each guess costs one scrypt at
// ScryptWorkFactor 18 (N = 2^18, r = 8): 256 MiB of memory and about a
// second of one core, so trying half the enrolment codes takes some 10^8
// core-years.
const (
	OneTimeCodeDigits  = 16
	RecoveryCodeDigits = 24
)

// ScryptWorkFactor is log2 of scrypt's N for files this program writes;
// tests lower it, nothing else does.
var ScryptWorkFactor = 18

// maxScryptWorkFactor bounds what a file may ask of the reader (memory and
// time), whatever it declares.
const maxScryptWorkFactor = 18

// ageMagic starts every binary age file.
const ageMagic = "age-encryption.org/v1\n"

// isSealed reports whether b is encrypted (an age file) rather than plain JSON.
func isSealed(b []byte) bool { return bytes.HasPrefix(b, []byte(ageMagic)) }

// NewCode makes a code of n random digits, written in groups of four.
func NewCode(n int) (string, error) {
	var b strings.Builder
	ten := big.NewInt(10)
	for i := 0; i < n; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			return "", fmt.Errorf("data: make code: %w", err)
		}
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String(), nil
}

// normalizeCode keeps the digits of a typed code (full-width digits count,
// spaces and dashes are ignored); ok is false unless exactly n remain and
// nothing else was typed.
func normalizeCode(s string, n int) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case r == ' ' || r == '-' || r == '　' || r == '－' || r == '\t' || r == '\n' || r == '\r':
		default:
			return "", false
		}
		if b.Len() > n {
			return "", false
		}
	}
	return b.String(), b.Len() == n
}

// FormatCode writes a code's digits in groups of four, as it was shown.
func FormatCode(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sealWithCode encrypts plain under a code of n digits.
func sealWithCode(plain []byte, code string, n int) ([]byte, error) {
	digits, ok := normalizeCode(code, n)
	if !ok {
		return nil, errors.New("data: seal: bad code")
	}
	r, err := age.NewScryptRecipient(digits)
	if err != nil {
		return nil, fmt.Errorf("data: seal: %w", err)
	}
	r.SetWorkFactor(ScryptWorkFactor)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		return nil, fmt.Errorf("data: seal: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("data: seal: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("data: seal: %w", err)
	}
	return out.Bytes(), nil
}

// openWithCode decrypts a sealed file of at most limit plain bytes. A code of
// the wrong form or the wrong code is refused at field "code"; a damaged
// file with bad.
func openWithCode(b []byte, code string, n int, limit int64, bad error) ([]byte, error) {
	if strings.TrimSpace(code) == "" {
		return nil, store.Invalid("code", "请输入验证码")
	}
	digits, ok := normalizeCode(code, n)
	if !ok {
		if n == RecoveryCodeDigits {
			return nil, store.Invalid("code", "恢复码应为 24 位数字")
		}
		return nil, store.Invalid("code", "验证码应为 16 位数字")
	}
	id, err := age.NewScryptIdentity(digits)
	if err != nil {
		return nil, bad
	}
	id.SetMaxWorkFactor(maxScryptWorkFactor)
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		var wrong *age.NoIdentityMatchError
		if errors.As(err, &wrong) {
			return nil, store.Invalid("code", "验证码不对，请核对后重新输入")
		}
		return nil, bad
	}
	plain, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil || int64(len(plain)) > limit {
		return nil, bad
	}
	return plain, nil
}
