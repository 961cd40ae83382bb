package store

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// NormalizeDigits strips spaces and dashes, turns full-width digits and
// letters into ASCII and lower-case x into X.
func NormalizeDigits(s string, keep func(rune) bool) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = r - '０' + '0'
		}
		if r >= 'Ａ' && r <= 'Ｚ' {
			r = r - 'Ａ' + 'A'
		}
		if r >= 'ａ' && r <= 'ｚ' {
			r = r - 'ａ' + 'a'
		}
		switch r {
		case '＋':
			r = '+'
		case '（':
			r = '('
		case '）':
			r = ')'
		}
		if unicode.IsSpace(r) || r == '-' || r == '－' || r == '—' || r == '\u00a0' || r == '\u3000' {
			continue
		}
		if keep != nil && !keep(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizePhone checks a mobile or landline number and returns it in its
// plain form (11 digits for a mobile, 0 + area code + number for a landline).
func NormalizePhone(raw string) (string, error) {
	s := NormalizeDigits(raw, nil)
	s = strings.TrimPrefix(s, "(")
	s = strings.Replace(s, ")", "", 1)
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	}
	if s == "" {
		return "", Invalid("phone", "电话号码为空")
	}
	if IsDigits(s) {
		// Mobile: 1[3-9] + 9 digits.
		if len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' {
			return s, nil
		}
		// Landline: 0 + 2–3 digit area code + 7–8 digit number (10 to 12 digits in all).
		if s[0] == '0' && len(s) >= 10 && len(s) <= 12 && s[1] != '0' {
			return s, nil
		}
		if s[0] == '0' {
			return "", Invalid("phone", "固定电话格式错误（应为区号加 7–8 位号码）")
		}
	}
	return "", Invalid("phone", "手机号格式错误")
}

// MaskPhone shows a phone as 138****1234; landlines keep the area code.
func MaskPhone(p string) string {
	r := []rune(p)
	switch {
	case len(r) == 0:
		return ""
	case len(r) == 11 && r[0] == '1':
		return string(r[:3]) + "****" + string(r[7:])
	case len(r) > 6:
		return string(r[:len(r)-6]) + "****" + string(r[len(r)-2:])
	default:
		return strings.Repeat("*", len(r))
	}
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar computes the ISO 7064 MOD 11-2 check character of 17 digits.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// IDCard is a validated resident ID number (GB 11643-1999) and what it says.
type IDCard struct {
	Number string    // 18 characters, normalised
	Birth  time.Time // date of birth
	Male   bool      // the 17th digit is odd
}

// Gender returns 男 or 女.
func (c IDCard) Gender() string {
	if c.Male {
		return "男"
	}
	return "女"
}

// Age in whole years on the given day.
func (c IDCard) Age(on time.Time) int {
	y := on.Year() - c.Birth.Year()
	if on.Month() < c.Birth.Month() || (on.Month() == c.Birth.Month() && on.Day() < c.Birth.Day()) {
		y--
	}
	return y
}

// ParseIDCard normalises and validates an ID number; today bounds the birth
// date. 15-digit legacy numbers are converted to 18. Region codes are not
// checked: retired codes stay valid.
func ParseIDCard(raw string, today time.Time) (IDCard, error) {
	s := strings.ToUpper(NormalizeDigits(raw, nil))
	if s == "" {
		return IDCard{}, Invalid("id_number", "身份证号为空")
	}
	switch len(s) {
	case 15:
		if !IsDigits(s) {
			return IDCard{}, Invalid("id_number", "身份证号只能包含数字和末位 X")
		}
		first := s[:6] + "19" + s[6:]
		s = first + string(IDCheckChar(first))
	case 18:
		if !IsDigits(s[:17]) || !(IsDigits(s[17:]) || s[17] == 'X') {
			return IDCard{}, Invalid("id_number", "身份证号只能包含数字和末位 X")
		}
	default:
		return IDCard{}, Invalid("id_number", fmt.Sprintf("身份证号应为 18 位（现为 %d 位）", len([]rune(s))))
	}
	birth, err := time.ParseInLocation("20060102", s[6:14], time.UTC)
	if err != nil || birth.Format("20060102") != s[6:14] {
		return IDCard{}, Invalid("id_number", "身份证号中的出生日期无效")
	}
	y, m, d := today.Date()
	if birth.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) || birth.Year() < 1880 {
		return IDCard{}, Invalid("id_number", "身份证号中的出生日期无效")
	}
	if IDCheckChar(s[:17]) != s[17] {
		return IDCard{}, Invalid("id_number", "身份证号校验位错误")
	}
	return IDCard{Number: s, Birth: birth, Male: (s[16]-'0')%2 == 1}, nil
}

// MaskPersonal is how a view outside the record's own screen (the bureau's
// conflict board) shows the value of personal column col: an ID number or a
// phone masked, other personal text as it is (who settles a conflict must
// know whose record it is).
func MaskPersonal(col, v string) string {
	switch col {
	case "phone":
		return MaskPhone(v)
	case "id_number":
		return MaskIDNumber(v)
	}
	return v
}

// MaskIDNumber shows an ID number as 430702********123X.
func MaskIDNumber(n string) string {
	r := []rune(n)
	switch {
	case len(r) == 18:
		return string(r[:6]) + "********" + string(r[14:])
	case len(r) <= 4:
		return strings.Repeat("*", len(r))
	default:
		return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
	}
}
