package store

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Everything an officer types passes CheckText (and every date data's
// checkDate) before it is stored, whether it comes from the GUI, stationctl or a file
// import: this is the last line of defence behind the forms. Records that
// arrive in bundles from other stations are checked by sync, not here.

// Length limits in characters (runes), by the kind of field.
const (
	MaxTag      = 20     // a resident category, a policy tag
	MaxName     = 30     // a person's name, a role
	MaxShort    = 60     // a place, a unit, a station, a document number, a short reason
	MaxTitle    = 100    // a training topic, an issuer, a service guide's location
	MaxFileName = 120    // a file's name
	MaxLine     = 200    // a policy title, a purpose, an address, a reason
	MaxNote     = 500    // an outcome, short notes, a guide step's detail
	MaxText     = 2000   // notes, needs, a summary, what was discussed
	MaxLong     = 4000   // an opinion, a reply, a visit's notes
	MaxNotes    = 20000  // a station's notes on a policy
	MaxBody     = 200000 // a policy's full text
)

// The refusals below are templates: InvalidAt fills in the field. They are
// written as Invalid literals so that the translation test finds them.
var (
	errTextEncoding = Invalid("text", "含有无法识别的字符（编码错误），请重新输入")
	errTextNewline  = Invalid("text", "这里只能填写一行，不能换行")
	errTextControl  = Invalid("text", "含有看不见的控制字符（多为复制粘贴带入），请删除后重新输入")
	errTextFormat   = Invalid("text", "含有看不见的排版符号（如文字方向控制符），请删除后重新输入")
	errTextTooLong  = Invalid("text", "内容过长")

	textTooLong = map[int]error{
		MaxTag:      Invalid("text", "不能超过 20 个字"),
		MaxName:     Invalid("text", "不能超过 30 个字"),
		MaxShort:    Invalid("text", "不能超过 60 个字"),
		MaxTitle:    Invalid("text", "不能超过 100 个字"),
		MaxFileName: Invalid("text", "不能超过 120 个字"),
		MaxLine:     Invalid("text", "不能超过 200 个字"),
		MaxNote:     Invalid("text", "不能超过 500 个字"),
		MaxText:     Invalid("text", "不能超过 2000 个字"),
		MaxLong:     Invalid("text", "不能超过 4000 个字"),
		MaxNotes:    Invalid("text", "不能超过 2 万字"),
		MaxBody:     Invalid("text", "不能超过 20 万字"),
	}
)

// InvalidAt is a copy of the template error naming field.
func InvalidAt(field string, template error) error {
	e := *template.(*Error)
	e.Field = field
	return &e
}

// RefusedRune says whether r may not be stored in text: control characters
// (a line break and a tab only in multi-line text), line and paragraph
// separators, and the bidi controls that make text read differently from
// how it is stored. It returns the template of the refusal, or nil.
func RefusedRune(r rune, multiline bool) error {
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

// CheckText is the one check of typed text: it trims surrounding white
// space, turns \r\n (and a lone \r) into \n, and refuses invalid UTF-8,
// refused characters (see RefusedRune) and text longer than max characters.
// On refusal it returns s unchanged and a KindInvalid error naming field.
func CheckText(field, s string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return s, InvalidAt(field, errTextEncoding)
	}
	t := s
	if strings.ContainsRune(t, '\r') {
		t = strings.ReplaceAll(strings.ReplaceAll(t, "\r\n", "\n"), "\r", "\n")
	}
	t = strings.TrimSpace(t)
	n := 0
	for _, r := range t {
		if bad := RefusedRune(r, multiline); bad != nil {
			return s, InvalidAt(field, bad)
		}
		n++
	}
	if n > max {
		if e, ok := textTooLong[max]; ok {
			return s, InvalidAt(field, e)
		}
		return s, InvalidAt(field, errTextTooLong)
	}
	return t, nil
}

// TextField is one field for CheckFields: the value is replaced by its
// checked form.
type TextField struct {
	Field     string
	P         *string
	Max       int
	Multiline bool
}

// CheckFields runs CheckText over fields in order and stops at the first refusal.
func CheckFields(fields ...TextField) error {
	for _, f := range fields {
		v, err := CheckText(f.Field, *f.P, f.Max, f.Multiline)
		if err != nil {
			return err
		}
		*f.P = v
	}
	return nil
}

// CheckList checks each item of a list of one-line entries (a catalogue, tags,
// categories) and returns them without empty ones and duplicates, in order.
func CheckList(field string, items []string, max int) ([]string, error) {
	out := []string{}
	for _, it := range items {
		v, err := CheckText(field, it, max, false)
		if err != nil {
			return items, err
		}
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}
