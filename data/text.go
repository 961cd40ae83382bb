package data

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Everything an officer types passes checkText (and every date checkDate)
// before it is stored, whether it comes from the GUI, stationctl or a file
// import: this is the last line of defence behind the forms. Records that
// arrive in bundles from other stations are checked by sync, not here.

// Length limits in characters (runes), by the kind of field.
const (
	maxTag      = 20     // a resident category, a policy tag
	maxName     = 30     // a person's name, a role
	maxShort    = 60     // a place, a unit, a station, a document number, a short reason
	maxTitle    = 100    // a training topic, an issuer, a service guide's location
	maxFileName = 120    // a file's name
	maxLine     = 200    // a policy title, a purpose, an address, a reason
	maxNote     = 500    // an outcome, short notes, a guide step's detail
	maxText     = 2000   // notes, needs, a summary, what was discussed
	maxLong     = 4000   // an opinion, a reply, a visit's notes
	maxNotes    = 20000  // a station's notes on a policy
	maxBody     = 200000 // a policy's full text
)

// The refusals below are templates: invalidAt fills in the field. They are
// written as Invalid literals so that the translation test finds them.
var (
	errTextEncoding = Invalid("text", "含有无法识别的字符（编码错误），请重新输入")
	errTextNewline  = Invalid("text", "这里只能填写一行，不能换行")
	errTextControl  = Invalid("text", "含有看不见的控制字符（多为复制粘贴带入），请删除后重新输入")
	errTextFormat   = Invalid("text", "含有看不见的排版符号（如文字方向控制符），请删除后重新输入")
	errTextTooLong  = Invalid("text", "内容过长")

	textTooLong = map[int]error{
		maxTag:      Invalid("text", "不能超过 20 个字"),
		maxName:     Invalid("text", "不能超过 30 个字"),
		maxShort:    Invalid("text", "不能超过 60 个字"),
		maxTitle:    Invalid("text", "不能超过 100 个字"),
		maxFileName: Invalid("text", "不能超过 120 个字"),
		maxLine:     Invalid("text", "不能超过 200 个字"),
		maxNote:     Invalid("text", "不能超过 500 个字"),
		maxText:     Invalid("text", "不能超过 2000 个字"),
		maxLong:     Invalid("text", "不能超过 4000 个字"),
		maxNotes:    Invalid("text", "不能超过 2 万字"),
		maxBody:     Invalid("text", "不能超过 20 万字"),
	}

	errDateMissing = Invalid("date", "请填写日期")
	errDateFormat  = Invalid("date", "日期格式应为 年-月-日")
	errDateEarly   = Invalid("date", "日期不能早于 2000 年，请检查年份")
	errDateLate    = Invalid("date", "日期不能晚于五年以后，请检查年份")
)

// invalidAt is a copy of the template error naming field.
func invalidAt(field string, template error) error {
	e := *template.(*Error)
	e.Field = field
	return &e
}

// refusedRune says whether r may not be stored in text: control characters
// (a line break and a tab only in multi-line text), line and paragraph
// separators, and the bidi controls that make text read differently from
// how it is stored. It returns the template of the refusal, or nil.
func refusedRune(r rune, multiline bool) error {
	switch {
	case r == '\n':
		if multiline {
			return nil
		}
		return errTextNewline
	case r == '\t':
		if multiline {
			return nil
		}
		return errTextControl
	case unicode.IsControl(r):
		return errTextControl
	case r == '\u2028' || r == '\u2029', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return errTextFormat
	}
	return nil
}

// checkText is the one check of typed text: it trims surrounding white
// space, turns \r\n (and a lone \r) into \n, and refuses invalid UTF-8,
// refused characters (see refusedRune) and text longer than max characters.
// On refusal it returns s unchanged and a KindInvalid error naming field.
func checkText(field, s string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return s, invalidAt(field, errTextEncoding)
	}
	t := s
	if strings.ContainsRune(t, '\r') {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "\r\n", "\n"), "\r", "\n")
	}
	t = strings.TrimSpace(t)
	n := 0
	for _, r := range t {
		if bad := refusedRune(r, multiline); bad != nil {
			return s, invalidAt(field, bad)
		}
		n++
	}
	if n > max {
		if e, ok := textTooLong[max]; ok {
			return s, invalidAt(field, e)
		}
		return s, invalidAt(field, errTextTooLong)
	}
	return t, nil
}

// textField is one field for checkFields: the value is replaced by its
// checked form.
type textField struct {
	field     string
	p         *string
	max       int
	multiline bool
}

// checkFields runs checkText over fields in order and stops at the first refusal.
func checkFields(fields ...textField) error {
	for _, f := range fields {
		v, err := checkText(f.field, *f.p, f.max, f.multiline)
		if err != nil {
			return err
		}
		*f.p = v
	}
	return nil
}

// checkList checks each item of a list of one-line entries (a catalogue, tags,
// categories) and returns them without empty ones and duplicates, in order.
func checkList(field string, items []string, max int) ([]string, error) {
	out := []string{}
	for _, it := range items {
		v, err := checkText(field, it, max, false)
		if err != nil {
			return items, err
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// Work dates (visits, opinions, ledgers, sessions, rotas) lie between
// earliestWorkDate and planYears ahead: outside that the year is a typo.
const (
	earliestWorkDate = "2000-01-01"
	planYears        = 5
)

// checkDate reads a date typed as 年-月-日 (2026-11-17, 2026/11/17, 2026.11.17,
// 20261117, 2026年11月17日) and returns it as YYYY-MM-DD. An empty date is
// refused when required, else returned as "". Dates before 2000 or more
// than five years ahead are refused; callers add their own bounds (not
// after today, not before the visit) with their own messages. On refusal
// it returns s unchanged.
func checkDate(field, s string, required bool) (string, error) {
	if strings.TrimSpace(s) == "" {
		if required {
			return s, invalidAt(field, errDateMissing)
		}
		return "", nil
	}
	t, err := svcParseDate(s)
	if err != nil {
		return s, invalidAt(field, errDateFormat)
	}
	d := t.Format(time.DateOnly)
	if d < earliestWorkDate {
		return s, invalidAt(field, errDateEarly)
	}
	if d > clock().AddDate(planYears, 0, 0).Format(time.DateOnly) {
		return s, invalidAt(field, errDateLate)
	}
	return d, nil
}
