package store

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheckText: CheckText never panics; what it accepts is valid UTF-8,
// trimmed, without \r or any refused character, and within max; what it
// refuses comes back unchanged with a KindInvalid error naming the field.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"", " 张三 ", "张\x00三", "a\x1b[31m", "\u202e", "第一行\r\n第二行", "\xff", "a\u2028b",
		"\t缩进\n", strings.Repeat("政", 31), "\u2066x\u2069", "\r", "\u0085"} {
		f.Add(s, 30, true)
		f.Add(s, 30, false)
	}
	f.Fuzz(func(t *testing.T, s string, max int, multiline bool) {
		if max < 0 {
			max = -max
		}
		max %= 300
		got, err := CheckText("f", s, max, multiline)
		if err != nil {
			de, ok := err.(*Error)
			if !ok || de.Kind != KindInvalid || de.Field != "f" || de.Msg == "" {
				t.Fatalf("refusal %#v", err)
			}
			if got != s {
				t.Fatalf("refused %q but returned %q", s, got)
			}
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("accepted invalid UTF-8 %q", got)
		}
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("accepted %d characters over max %d", n, max)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("accepted %q with surrounding space", got)
		}
		for _, r := range got {
			if r == '\r' || RefusedRune(r, multiline) != nil {
				t.Fatalf("accepted %q holding %U", got, r)
			}
			if !multiline && (r == '\n' || r == '\t') {
				t.Fatalf("single-line text %q holds %U", got, r)
			}
			if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029 {
				t.Fatalf("accepted %q holding %U", got, r)
			}
		}
		// Checking again changes nothing.
		if again, err := CheckText("f", got, max, multiline); err != nil || again != got {
			t.Fatalf("not stable: %q -> %q, %v", got, again, err)
		}
	})
}
