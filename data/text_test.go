package data

import (
	"encoding/json"
	"testing"
	"time"

	"stationdesk/assets"
)

// englishTexts maps every Chinese text to its English translation.
func englishTexts(t *testing.T) map[string]string {
	t.Helper()
	raw, err := assets.Translations("en")
	if err != nil || len(raw) == 0 {
		t.Fatalf("no English translations: %v", err)
	}
	en := map[string]string{}
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			en[k] = s
		}
	}
	return en
}

// TestTextMessagesHaveEnglish: every refusal of checkDate is shown through
// lang.L, so each needs its English (the engine's test covers CheckText's).
func TestTextMessagesHaveEnglish(t *testing.T) {
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
		got, err := checkDate("day", tc.in, tc.required)
		if tc.bad == nil {
			if err != nil || got != tc.want {
				t.Errorf("checkDate(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		de, ok := err.(*Error)
		if !ok || de.Kind != KindInvalid || de.Field != "day" || de.Msg != tc.bad.(*Error).Msg {
			t.Errorf("checkDate(%q): %v; want day: %s", tc.in, err, tc.bad.(*Error).Msg)
		}
		if got != tc.in {
			t.Errorf("checkDate(%q) refused but returned %q", tc.in, got)
		}
	}
}
