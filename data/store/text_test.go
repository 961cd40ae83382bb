package store

import (
	"encoding/json"
	"strings"
	"testing"

	"stationdesk/assets"
)

func TestCheckTextKeepsAndNormalises(t *testing.T) {
	for _, tc := range []struct {
		in, want  string
		max       int
		multiline bool
	}{
		{"  张三　", "张三", 30, false},
		{"\u00a0张 三\t", "张 三", 30, false}, // surrounding no-break space and tab trimmed, inner space kept
		{"张三\n", "张三", 30, false},         // a pasted trailing line break is trimmed
		{"第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行", 100, true},
		{"\n\n  正文\n\t缩进\n\n", "正文\n\t缩进", 100, true},
		{"", "", 30, false},
		{"   ", "", 30, false},
		{strings.Repeat("政", 30), strings.Repeat("政", 30), 30, false}, // 90 bytes, 30 characters
		{"a😀b", "a😀b", 3, false},
		{"مرحبا שלום", "مرحبا שלום", 30, false}, // right-to-left script itself is fine
		{"\u200d👨\u200d👩", "\u200d👨\u200d👩", 30, false},
	} {
		got, err := CheckText("f", tc.in, tc.max, tc.multiline)
		if err != nil || got != tc.want {
			t.Errorf("CheckText(%q, %d, %v) = %q, %v; want %q", tc.in, tc.max, tc.multiline, got, err, tc.want)
		}
	}
}

func TestCheckTextRefuses(t *testing.T) {
	for _, tc := range []struct {
		in        string
		max       int
		multiline bool
		want      error // template
	}{
		{"张\x00三", 30, true, errTextControl},
		{"a\x1b[31m红字", 30, true, errTextControl},
		{"删除\x7f", 30, true, errTextControl},
		{"换\u0085行", 30, true, errTextControl},
		{"响\a铃", 30, true, errTextControl},
		{"分\f页", 100, true, errTextControl},
		{"竖\v表", 100, true, errTextControl},
		{"张\t三", 30, false, errTextControl},
		{"张\n三", 30, false, errTextNewline},
		{"张\r三", 30, false, errTextNewline},
		{"张\r\n三", 30, false, errTextNewline},
		{"abc\u202ecba", 30, true, errTextFormat},
		{"\u202e", 30, false, errTextFormat},
		{"a\u202ab", 30, true, errTextFormat},
		{"a\u2066b\u2069", 30, true, errTextFormat},
		{"a\u2028b", 30, true, errTextFormat},
		{"a\u2029b", 30, true, errTextFormat},
		{"\xff\xfe", 30, true, errTextEncoding},
		{"张\xe5三", 30, true, errTextEncoding},
		{"\xed\xa0\x80", 30, true, errTextEncoding}, // an encoded surrogate
		{strings.Repeat("政", 31), 30, false, textTooLong[MaxName]},
		{strings.Repeat("a", 201), MaxLine, false, textTooLong[MaxLine]},
		{strings.Repeat("字\n", 1001), MaxText, true, textTooLong[MaxText]},
		{strings.Repeat("a", 8), 7, false, errTextTooLong}, // a limit without its own message
	} {
		got, err := CheckText("field_x", tc.in, tc.max, tc.multiline)
		de, ok := err.(*Error)
		want := tc.want.(*Error)
		if !ok || de.Kind != KindInvalid || de.Field != "field_x" || de.Msg != want.Msg {
			t.Errorf("CheckText(%q, %d, %v): %v; want field_x: %s", tc.in, tc.max, tc.multiline, err, want.Msg)
			continue
		}
		if got != tc.in {
			t.Errorf("CheckText(%q) refused but returned %q, not the input", tc.in, got)
		}
		if strings.Contains(de.Error(), tc.in) {
			t.Errorf("the error repeats the input: %v", de)
		}
	}
	// The templates themselves never change.
	if errTextControl.(*Error).Field != "text" {
		t.Fatal("a refusal changed its template")
	}
}

func TestTextLimitsHaveMessages(t *testing.T) {
	for _, max := range []int{MaxTag, MaxName, MaxShort, MaxTitle, MaxFileName, MaxLine, MaxNote, MaxText, MaxLong, MaxNotes, MaxBody} {
		if _, ok := textTooLong[max]; !ok {
			t.Errorf("limit %d has no message of its own", max)
		}
		if _, err := CheckText("f", strings.Repeat("政", max), max, false); err != nil {
			t.Errorf("%d characters refused at limit %d: %v", max, max, err)
		}
	}
}

func TestCheckListDropsEmptiesAndDuplicates(t *testing.T) {
	got, err := CheckList("tags", []string{" 低保 ", "", "特困", "低保", "  "}, MaxTag)
	if err != nil || strings.Join(got, ",") != "低保,特困" {
		t.Fatalf("%q %v", got, err)
	}
	in := []string{"低保", "特\x00困"}
	got, err = CheckList("tags", in, MaxTag)
	if de, ok := err.(*Error); !ok || de.Field != "tags" || len(got) != 2 || got[1] != in[1] {
		t.Fatalf("%q %v", got, err)
	}
}

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

// TestTextMessagesHaveEnglish: every refusal of CheckText is shown through
// lang.L, so each needs its English.
func TestTextMessagesHaveEnglish(t *testing.T) {
	en := englishTexts(t)
	all := []error{errTextEncoding, errTextNewline, errTextControl, errTextFormat, errTextTooLong}
	for _, e := range textTooLong {
		all = append(all, e)
	}
	for _, e := range all {
		if msg := e.(*Error).Msg; en[msg] == "" {
			t.Errorf("no English for %q", msg)
		}
	}
}
