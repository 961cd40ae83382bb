package store

import (
	"strings"
	"time"
)

// Dates an officer types pass CheckDate before they are stored, as text
// passes CheckText.

var (
	errDateMissing = Invalid("date", "请填写日期")
	errDateFormat  = Invalid("date", "日期格式应为 年-月-日")
	errDateEarly   = Invalid("date", "日期不能早于 2000 年，请检查年份")
	errDateLate    = Invalid("date", "日期不能晚于五年以后，请检查年份")
)

// Work dates (visits, opinions, ledgers, sessions, rotas) lie between
// EarliestWorkDate and PlanYears ahead: outside that the year is a typo.
const (
	EarliestWorkDate = "2000-01-01"
	PlanYears        = 5
)

// CheckDate reads a date typed as 年-月-日 (2026-11-17, 2026/11/17, 2026.11.17,
// 20261117, 2026年11月17日) and returns it as YYYY-MM-DD. An empty date is
// refused when required, else returned as "". Dates before 2000 or more
// than five years ahead are refused; callers add their own bounds (not
// after today, not before the visit) with their own messages. On refusal
// it returns s unchanged.
func CheckDate(field, s string, required bool) (string, error) {
	if strings.TrimSpace(s) == "" {
		if required {
			return s, InvalidAt(field, errDateMissing)
		}
		return "", nil
	}
	t, err := ParseDate(s)
	if err != nil {
		return s, InvalidAt(field, errDateFormat)
	}
	d := t.Format(time.DateOnly)
	if d < EarliestWorkDate {
		return s, InvalidAt(field, errDateEarly)
	}
	if d > clock().AddDate(PlanYears, 0, 0).Format(time.DateOnly) {
		return s, InvalidAt(field, errDateLate)
	}
	return d, nil
}

// ParseDate reads 1950-01-02, 1950/1/2, 1950.1.2 or 19500102.
func ParseDate(s string) (time.Time, error) {
	s = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(strings.TrimSpace(s))
	for _, layout := range []string{"2006-01-02", "2006-1-2", "20060102"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Invalid("date", "日期格式应为 年-月-日")
}
