package data

import "time"

// DefaultStudyTime is when the monthly study day (干部学习日) starts.
const DefaultStudyTime = "14:30"

// ThirdFriday returns the third Friday of the month, at midnight in loc.
func ThirdFriday(year int, month time.Month, loc *time.Location) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	offset := (int(time.Friday) - int(first.Weekday()) + 7) % 7
	return first.AddDate(0, 0, offset+14)
}

// NextStudyDay is the first regular study day (third Friday) on or after the
// day of t, ignoring moves; the training records refine this with moved days.
func NextStudyDay(t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	sd := ThirdFriday(t.Year(), t.Month(), t.Location())
	if sd.Before(day) {
		n := day.AddDate(0, 1, -day.Day()+1)
		sd = ThirdFriday(n.Year(), n.Month(), t.Location())
	}
	return sd
}
