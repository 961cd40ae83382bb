package store

import (
	"testing"
	"time"
)

// TestDateMessagesHaveEnglish: every refusal of CheckDate is shown through
// lang.L, so each needs its English.
func TestDateMessagesHaveEnglish(t *testing.T) {
	en := englishTexts(t)
	for _, e := range []error{errDateMissing, errDateFormat, errDateEarly, errDateLate} {
		if msg := e.(*Error).Msg; en[msg] == "" {
			t.Errorf("no English for %q", msg)
		}
	}
}

func TestCheckDate(t *testing.T) {
	old := clock
	clock = func() time.Time { return time.Date(2026, 11, 17, 10, 0, 0, 0, time.Local) }
	t.Cleanup(func() { clock = old })
	for _, tc := range []struct {
		in       string
		required bool
		want     string
		bad      error
	}{
		{"2026-11-17", true, "2026-11-17", nil},
		{" 2026/1/5 ", true, "2026-01-05", nil},
		{"2026.1.5", true, "2026-01-05", nil},
		{"20260105", true, "2026-01-05", nil},
		{"2026年1月5日", true, "2026-01-05", nil},
		{"2000-01-01", true, "2000-01-01", nil},
		{"2031-11-17", true, "2031-11-17", nil}, // five years ahead
		{"", false, "", nil},
		{"  ", false, "", nil},
		{"", true, "", errDateMissing},
		{"1999-12-31", true, "", errDateEarly},
		{"0001-01-01", true, "", errDateEarly},
		{"2031-11-18", true, "", errDateLate},
		{"9999-12-31", false, "", errDateLate},
		{"2026-02-30", true, "", errDateFormat},
		{"2026-13-01", true, "", errDateFormat},
		{"明天", true, "", errDateFormat},
		{"45000", true, "", errDateFormat}, // an Excel serial number
		{"2026-11-17\x00", true, "", errDateFormat},
		{"2026-11-17 10:00", true, "", errDateFormat},
	} {
		got, err := CheckDate("day", tc.in, tc.required)
		if tc.bad == nil {
			if err != nil || got != tc.want {
				t.Errorf("CheckDate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		de, ok := err.(*Error)
		if !ok || de.Kind != KindInvalid || de.Field != "day" || de.Msg != tc.bad.(*Error).Msg {
			t.Errorf("CheckDate(%q): %v; want day: %s", tc.in, err, tc.bad.(*Error).Msg)
		}
		if got != tc.in {
			t.Errorf("CheckDate(%q) refused but returned %q", tc.in, got)
		}
	}
}
