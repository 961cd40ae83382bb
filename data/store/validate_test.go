package store

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var idToday = time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)

// withCheck appends the right check character to 17 digits.
func withCheck(first17 string) string { return first17 + string(IDCheckChar(first17)) }

// wrongCheck appends a check character that is not the right one.
func wrongCheck(first17 string) string {
	c := IDCheckChar(first17)
	if c == '1' {
		return first17 + "2"
	}
	return first17 + "1"
}

func TestParseIDCard(t *testing.T) {
	male := withCheck("43070219500101001")   // 17th digit 1: male
	female := withCheck("43070219800229002") // 1980 is a leap year
	tests := []struct {
		name   string
		in     string
		want   string // normalised number; "" = must fail
		reason string // part of the Chinese reason when it fails
		male   bool
		birth  string
	}{
		{"valid male", male, male, "", true, "1950-01-01"},
		{"valid female 29 Feb of a leap year", female, female, "", false, "1980-02-29"},
		{"known sample with X", "11010519491231002X", "11010519491231002X", "", false, "1949-12-31"},
		{"lower-case x", "11010519491231002x", "11010519491231002X", "", false, "1949-12-31"},
		{"full-width digits", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", "", false, "1949-12-31"},
		{"full-width lower x", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", "", false, "1949-12-31"},
		{"spaces", " 110105 19491231 002X ", "11010519491231002X", "", false, "1949-12-31"},
		{"ideographic space and tab", "110105\u300019491231\t002X", "11010519491231002X", "", false, "1949-12-31"},
		{"wrong check character", wrongCheck("43070219500101001"), "", "校验位错误", false, ""},
		{"X where a digit belongs", "43070219500101001X", "", "校验位错误", false, ""},
		{"30 February", withCheck("43070219800230001"), "", "出生日期无效", false, ""},
		{"29 February of a common year", withCheck("43070219810229001"), "", "出生日期无效", false, ""},
		{"month 13", withCheck("43070219801301001"), "", "出生日期无效", false, ""},
		{"future birth date", withCheck("43070220261118001"), "", "出生日期无效", false, ""},
		{"born today", withCheck("43070220261117001"), withCheck("43070220261117001"), "", true, "2026-11-17"},
		{"15-digit legacy", "430702500101001", withCheck("43070219500101001"), "", true, "1950-01-01"},
		{"15-digit legacy, bad date", "430702500230001", "", "出生日期无效", false, ""},
		{"15-digit with letters", "43070250010100X", "", "只能包含数字", false, ""},
		{"17 characters", "43070219500101001", "", "18 位", false, ""},
		{"19 characters", male + "1", "", "18 位", false, ""},
		{"letters", "43070219500101A01" + "1", "", "只能包含数字", false, ""},
		{"Chinese text", "身份证号码不详身份证号码不详身份证号码", "", "", false, ""},
		{"empty", "   ", "", "为空", false, ""},
		{"retired region code still valid", withCheck("43242219600101001"), withCheck("43242219600101001"), "", true, "1960-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseIDCard(tc.in, idToday)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("ParseIDCard(%q) = %v, want an error", tc.in, got.Number)
				}
				if ErrorKind(err) != KindInvalid {
					t.Fatalf("error kind %q, want invalid", ErrorKind(err))
				}
				if de := err.(*Error); !strings.Contains(de.Msg, tc.reason) || de.Field != "id_number" {
					t.Fatalf("reason %q (field %s), want it to contain %q", de.Msg, de.Field, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseIDCard(%q): %v", tc.in, err)
			}
			if got.Number != tc.want || got.Male != tc.male || got.Birth.Format("2006-01-02") != tc.birth {
				t.Fatalf("got %s male=%v birth=%s, want %s male=%v birth=%s", got.Number, got.Male, got.Birth.Format("2006-01-02"), tc.want, tc.male, tc.birth)
			}
		})
	}
}

func TestIDCardAgeAndGender(t *testing.T) {
	c, err := ParseIDCard(withCheck("43070219461117002"), idToday)
	if err != nil {
		t.Fatal(err)
	}
	if c.Gender() != "女" || c.Age(idToday) != 80 || c.Age(idToday.AddDate(0, 0, -1)) != 79 {
		t.Fatalf("gender %s age %d / %d", c.Gender(), c.Age(idToday), c.Age(idToday.AddDate(0, 0, -1)))
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want, reason string
	}{
		{"13812345678", "13812345678", ""},
		{"138 1234 5678", "13812345678", ""},
		{"138-1234-5678", "13812345678", ""},
		{"+86 138 1234 5678", "13812345678", ""},
		{"+8613812345678", "13812345678", ""},
		{"0086 13812345678", "13812345678", ""},
		{"＋８６　１３８１２３４５６７８", "13812345678", ""},
		{"19912345678", "19912345678", ""},
		{"19112345678", "19112345678", ""},
		{"17312345678", "17312345678", ""},
		{"0736-7654321", "07367654321", ""},
		{"0736-76543210", "073676543210", ""},
		{"010-12345678", "01012345678", ""},
		{"(0736)7654321", "07367654321", ""},
		{"（0736）7654321", "07367654321", ""},
		{"12812345678", "", "手机号格式错误"}, // 1 then 2: no such mobile
		{"1381234567", "", "手机号格式错误"},  // 10 digits
		{"138123456789", "", "手机号格式错误"},
		{"+86 1381234567", "", "手机号格式错误"},
		{"138abcd5678", "", "手机号格式错误"},
		{"7654321", "", "手机号格式错误"}, // a local number without area code
		{"0736-12345", "", "固定电话"},
		{"0010-1234567", "", "固定电话"},
		{"", "", "为空"},
		{" - ", "", "为空"},
	}
	for _, tc := range tests {
		got, err := NormalizePhone(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("NormalizePhone(%q) = %q, want an error", tc.in, got)
				continue
			}
			if de := err.(*Error); de.Kind != KindInvalid || !strings.Contains(de.Msg, tc.reason) {
				t.Errorf("NormalizePhone(%q): %v, want reason with %q", tc.in, err, tc.reason)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestMasks(t *testing.T) {
	if got := MaskIDNumber("43070219500101123X"); got != "430702********123X" {
		t.Errorf("MaskIDNumber = %s", got)
	}
	if got := MaskPhone("13812341234"); got != "138****1234" {
		t.Errorf("MaskPhone = %s", got)
	}
	if got := MaskPhone("07367654321"); strings.Contains(got, "7654") || !strings.HasPrefix(got, "0736") {
		t.Errorf("MaskPhone(landline) = %s", got)
	}
	if got := MaskIDNumber("王小明"); got != "***" {
		t.Errorf("MaskIDNumber(short) = %s", got)
	}
}

func FuzzParseIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "11010519491231002x", "430702500101001", "１１０１０５１９４９１２３１００２Ｘ", "", "4307021950010100", "43070219800230001X", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseIDCard(s, idToday)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("error of kind %q", ErrorKind(err))
			}
			if strings.Contains(err.Error(), s) && len(s) > 6 {
				t.Fatalf("error message contains the input")
			}
			return
		}
		if len(c.Number) != 18 || IDCheckChar(c.Number[:17]) != c.Number[17] || c.Birth.After(idToday) {
			t.Fatalf("accepted a bad number %q from %q", c.Number, s)
		}
		// Normalising is idempotent.
		again, err := ParseIDCard(c.Number, idToday)
		if err != nil || again != c {
			t.Fatalf("re-parse of %q: %v %v", c.Number, again, err)
		}
		if m := MaskIDNumber(c.Number); strings.Contains(m, c.Number[6:14]) {
			t.Fatalf("mask %q shows the birth date", m)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0736-7654321", "（010）12345678", "", "+", "0086", "１３８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := NormalizePhone(s)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("error of kind %q", ErrorKind(err))
			}
			return
		}
		if !IsDigits(p) || len(p) < 10 || len(p) > 12 {
			t.Fatalf("accepted %q as %q", s, p)
		}
		if again, err := NormalizePhone(p); err != nil || again != p {
			t.Fatalf("not idempotent: %q -> %q, %v", p, again, err)
		}
		if m := MaskPhone(p); !utf8.ValidString(m) || m == p {
			t.Fatalf("mask %q of %q", m, p)
		}
	})
}
