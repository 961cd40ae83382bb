package data

// The State Council's holiday arrangements (国务院办公厅关于部分节假日安排的
// 通知) for the years already announced: days off, and the weekend days
// worked instead (调休上班). A year not listed here gets only the statutory
// days fixed by the calendar (statutoryFixed) until the bureau enters the
// arrangement once it is published.

type builtinSpan struct {
	name     string
	from, to string   // days off, inclusive
	work     []string // weekend days worked instead
}

// builtinHolidays by year. Sources: 国办发明电〔2024〕12号 (2025),
// the notice of 2025-11-04 (2026).
var builtinHolidays = map[int][]builtinSpan{
	2025: {
		{"元旦", "2025-01-01", "2025-01-01", nil},
		{"春节", "2025-01-28", "2025-02-04", []string{"2025-01-26", "2025-02-08"}},
		{"清明节", "2025-04-04", "2025-04-06", nil},
		{"劳动节", "2025-05-01", "2025-05-05", []string{"2025-04-27"}},
		{"端午节", "2025-05-31", "2025-06-02", nil},
		{"国庆节、中秋节", "2025-10-01", "2025-10-08", []string{"2025-09-28", "2025-10-11"}},
	},
	2026: {
		{"元旦", "2026-01-01", "2026-01-03", []string{"2026-01-04"}},
		{"春节", "2026-02-15", "2026-02-23", []string{"2026-02-14", "2026-02-28"}},
		{"清明节", "2026-04-04", "2026-04-06", nil},
		{"劳动节", "2026-05-01", "2026-05-05", []string{"2026-05-09"}},
		{"端午节", "2026-06-19", "2026-06-21", nil},
		{"中秋节", "2026-09-25", "2026-09-27", nil},
		{"国庆节", "2026-10-01", "2026-10-07", []string{"2026-09-20", "2026-10-10"}},
	},
}

// statutoryFixed are the statutory holidays on fixed Gregorian dates
// (全国年节及纪念日放假办法, as revised in 2024), marked in years whose
// arrangement is not built in; the lunar ones (春节, 清明, 端午, 中秋) and
// the weekend days worked instead come only with the published arrangement.
var statutoryFixed = []struct{ monthDay, name string }{
	{"01-01", "元旦"}, {"05-01", "劳动节"}, {"05-02", "劳动节"},
	{"10-01", "国庆节"}, {"10-02", "国庆节"}, {"10-03", "国庆节"},
}
