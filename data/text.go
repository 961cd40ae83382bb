package data

import (
	"time"

	"strings"
)

// Dates an officer types pass checkDate before they are stored, as text
// passes the engine's CheckText (store/text.go).

var (
	errDateMissing = Invalid("date", "请填写日期")
	errDateFormat  = Invalid("date", "日期格式应为 年-月-日")
	errDateEarly   = Invalid("date", "日期不能早于 2000 年，请检查年份")
	errDateLate    = Invalid("date", "日期不能晚于五年以后，请检查年份")
)

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
