package data

import (
	"context"
	"testing"
	"time"
)

func tday(s string) time.Time {
	t, err := time.ParseInLocation(studyDateLayout, s, time.Local)
	if err != nil {
		panic(err)
	}
	return t
}

func TestThirdFriday(t *testing.T) {
	for _, c := range []struct {
		year  int
		month time.Month
		want  string
		why   string
	}{
		{2024, time.February, "2024-02-16", "leap year, starts on a Thursday"},
		{2028, time.February, "2028-02-18", "leap year, starts on a Tuesday"},
		{2026, time.May, "2026-05-15", "month starts on a Friday: the 1st counts"},
		{2025, time.August, "2025-08-15", "month starts on a Friday"},
		{2026, time.January, "2026-01-16", "month starts on a Thursday"},
		{2026, time.August, "2026-08-21", "month starts on a Saturday: the latest possible"},
		{2025, time.November, "2025-11-21", "month starts on a Saturday"},
		{2025, time.March, "2025-03-21", "month starts on a Saturday"},
		{2026, time.November, "2026-11-20", ""},
		{2026, time.December, "2026-12-18", ""},
		{2027, time.January, "2027-01-15", "month starts on a Friday"},
		{2027, time.October, "2027-10-15", "month starts on a Friday"},
		{2030, time.February, "2030-02-15", "February starts on a Friday"},
		{2000, time.February, "2000-02-18", "leap century"},
		{2100, time.February, "2100-02-19", "non-leap century"},
	} {
		got := ThirdFriday(c.year, c.month, time.Local)
		if got.Format(studyDateLayout) != c.want || got.Weekday() != time.Friday {
			t.Errorf("ThirdFriday(%d, %v) = %s, want %s (%s)", c.year, c.month, got.Format(studyDateLayout), c.want, c.why)
		}
		if got.Day() < 15 || got.Day() > 21 {
			t.Errorf("ThirdFriday(%d, %v) = day %d, outside 15..21", c.year, c.month, got.Day())
		}
	}
}

func TestThirdFridayEveryMonth(t *testing.T) {
	for y := 1990; y <= 2040; y++ {
		for m := time.January; m <= time.December; m++ {
			d := ThirdFriday(y, m, time.Local)
			n := 0
			for x := time.Date(y, m, 1, 0, 0, 0, 0, time.Local); !x.After(d); x = x.AddDate(0, 0, 1) {
				if x.Weekday() == time.Friday {
					n++
				}
			}
			if n != 3 || d.Weekday() != time.Friday || d.Month() != m {
				t.Fatalf("%d-%02d: %s is Friday number %d", y, m, d.Format(studyDateLayout), n)
			}
		}
	}
}

func TestNextStudyDayWithoutMoves(t *testing.T) {
	for _, c := range []struct{ now, want string }{
		{"2026-11-17", "2026-11-20"},
		{"2026-11-20", "2026-11-20"}, // the day itself
		{"2026-11-21", "2026-12-18"},
		{"2026-12-19", "2027-01-15"}, // over the new year
		{"2024-02-01", "2024-02-16"},
		{"2028-02-19", "2028-03-17"},
	} {
		if got := NextStudyDay(tday(c.now).Add(10 * time.Hour)).Format(studyDateLayout); got != c.want {
			t.Errorf("NextStudyDay(%s) = %s, want %s", c.now, got, c.want)
		}
	}
}

func TestStudyCalendar(t *testing.T) {
	for _, c := range []struct {
		name   string
		year   int
		start  string
		moves  []StudyDayMove
		month  int // 1-based index into the result, by regular month
		date   string
		from   string
		reason string
		begin  string
		end    string
	}{
		{name: "plain", year: 2026, start: "14:30", month: 11, date: "2026-11-20", begin: "14:30", end: "17:30"},
		{name: "station time", year: 2026, start: "15:00", month: 3, date: "2026-03-20", begin: "15:00", end: "18:00"},
		{name: "bad time falls back", year: 2026, start: "25:00", month: 3, date: "2026-03-20", begin: "14:30", end: "17:30"},
		{name: "leap February 2024", year: 2024, start: "14:30", month: 2, date: "2024-02-16", begin: "14:30", end: "17:30"},
		{name: "leap February 2028 moved to the 29th", year: 2028, start: "14:30",
			moves: []StudyDayMove{{From: tday("2028-02-18"), To: tday("2028-02-29"), Reason: "春节假期"}},
			month: 2, date: "2028-02-29", from: "2028-02-18", reason: "春节假期", begin: "14:30", end: "17:30"},
		{name: "moved for a holiday", year: 2026, start: "14:30",
			moves: []StudyDayMove{{From: tday("2026-02-20"), To: tday("2026-02-27"), Reason: "春节假期，顺延一周"}},
			month: 2, date: "2026-02-27", from: "2026-02-20", reason: "春节假期，顺延一周", begin: "14:30", end: "17:30"},
		{name: "moved into the next month", year: 2025, start: "14:30",
			moves: []StudyDayMove{{From: tday("2025-01-17"), To: tday("2025-02-07"), Reason: "春节"}},
			month: 1, date: "2025-02-07", from: "2025-01-17", reason: "春节", begin: "14:30", end: "17:30"},
		{name: "session on the day with its own time", year: 2026, start: "14:30",
			moves: []StudyDayMove{{From: tday("2026-05-15"), To: tday("2026-05-15"), Start: "09:00", End: "11:00"}},
			month: 5, date: "2026-05-15", begin: "09:00", end: "11:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			days := StudyCalendar(c.year, c.start, c.moves, time.Local)
			if len(days) != 12 {
				t.Fatalf("%d study days, want 12", len(days))
			}
			for i := 1; i < len(days); i++ {
				if days[i].Date.Before(days[i-1].Date) {
					t.Fatalf("not in date order: %s before %s", days[i-1].Date, days[i].Date)
				}
			}
			var got *StudyDay
			for i := range days {
				if days[i].Regular().Month() == time.Month(c.month) {
					got = &days[i]
				}
			}
			if got == nil {
				t.Fatalf("no study day for month %d", c.month)
			}
			from := ""
			if got.Moved() {
				from = got.MovedFrom.Format(studyDateLayout)
			}
			if got.Date.Format(studyDateLayout) != c.date || from != c.from || got.MoveReason != c.reason || got.Start != c.begin || got.End != c.end {
				t.Errorf("got %s from %q (%q) %s–%s, want %s from %q (%q) %s–%s", got.Date.Format(studyDateLayout), from, got.MoveReason,
					got.Start, got.End, c.date, c.from, c.reason, c.begin, c.end)
			}
		})
	}
}

// setUpStation gives a set-up station with a small roster.
func setUpStation(t testing.TB) (*Store, context.Context) {
	t.Helper()
	st := openStore(t, "")
	ctx := context.Background()
	roster := []Officer{{Name: "王建国", Role: "站长"}, {Name: "李秀英", Role: "劳保专干"}, {Name: "张志强", Role: "社区专干"}}
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃源镇劳动保障站", Code: "430702101"}, roster); err != nil {
		t.Fatal(err)
	}
	return st, ctx
}

func TestStoreMoveStudyDay(t *testing.T) {
	st, ctx := setUpStation(t)
	if err := st.SetStudyTime(ctx, "15:00"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStudyTime(ctx, "下午"); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad study time accepted: %v", err)
	}
	// Not a third Friday, no reason, too far: refused.
	if _, err := st.MoveStudyDay(ctx, tday("2026-10-09"), tday("2026-10-23"), "国庆"); ErrorKind(err) != KindInvalid {
		t.Fatalf("move from a non-study day: %v", err)
	}
	if _, err := st.MoveStudyDay(ctx, tday("2026-10-16"), tday("2026-10-23"), " "); ErrorKind(err) != KindInvalid {
		t.Fatalf("move without a reason: %v", err)
	}
	if _, err := st.MoveStudyDay(ctx, tday("2026-10-16"), tday("2027-01-23"), "太远"); ErrorKind(err) != KindInvalid {
		t.Fatalf("move far away: %v", err)
	}
	tr, err := st.MoveStudyDay(ctx, tday("2026-10-16"), tday("2026-10-23"), "区里统一安排专题培训")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Date != "2026-10-23" || tr.MovedFrom != "2026-10-16" || tr.Start != "15:00" {
		t.Fatalf("moved training = %+v", tr)
	}
	// Moving it again keeps one record for the month and the original date.
	if _, err := st.MoveStudyDay(ctx, tday("2026-10-16"), tday("2026-10-30"), "与村两委换届冲突"); err != nil {
		t.Fatal(err)
	}
	days, err := st.StudyCalendar(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	oct := days[9]
	if oct.Date.Format(studyDateLayout) != "2026-10-30" || oct.MovedFrom.Format(studyDateLayout) != "2026-10-16" || oct.MoveReason != "与村两委换届冲突" || oct.TrainingID != tr.ID {
		t.Fatalf("October = %+v", oct)
	}
	if days[0].Start != "15:00" || days[0].End != "18:00" {
		t.Fatalf("station time not used: %+v", days[0])
	}
	// The next study day honours the move; on the 16th there is none.
	next, err := st.NextStudyDay(ctx, tday("2026-10-10"))
	if err != nil {
		t.Fatal(err)
	}
	if next.Date.Format(studyDateLayout) != "2026-10-30" || !next.Moved() {
		t.Fatalf("next = %+v", next)
	}
	if _, ok, _ := st.StudyDayOn(ctx, tday("2026-10-16")); ok {
		t.Fatal("the moved-away day still counts as a study day")
	}
	if _, ok, _ := st.StudyDayOn(ctx, tday("2026-10-30").Add(15*time.Hour)); !ok {
		t.Fatal("the moved-to day is not a study day")
	}
	// Moving back clears the move.
	if _, err := st.MoveStudyDay(ctx, tday("2026-10-16"), tday("2026-10-16"), ""); err != nil {
		t.Fatal(err)
	}
	days, _ = st.StudyCalendar(ctx, 2026)
	if days[9].Moved() || days[9].Date.Format(studyDateLayout) != "2026-10-16" {
		t.Fatalf("moved back = %+v", days[9])
	}
	n := 0
	st.Read().QueryRow(`SELECT count(*) FROM trainings WHERE deleted=0`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d trainings after moving one study day three times, want 1", n)
	}
}

func TestStudyDaysArePerStation(t *testing.T) {
	st, ctx := setUpStation(t)
	// Another station's study day for the same Friday, as a bureau import would bring it.
	edit(t, st, `INSERT INTO trainings(id, origin, created_at, updated_at, type, date, moved_from, move_reason, topic)
		VALUES (?, '430702102', 0, 0, 'study_day', '2026-11-27', '2026-11-20', '邻站调整', '邻站学习')`, NewID())
	days, err := st.StudyCalendar(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if days[10].Moved() || days[10].TrainingID != "" {
		t.Fatalf("another station's move shows in our calendar: %+v", days[10])
	}
	own := Training{Type: TrainingStudyDay, Date: "2026-11-20", Topic: "本站学习"}
	if err := st.SaveTraining(ctx, &own); err != nil {
		t.Fatalf("our study day refused because of another station's: %v", err)
	}
	if days, _ = st.StudyCalendar(ctx, 2026); days[10].TrainingID != own.ID {
		t.Fatalf("November = %+v", days[10])
	}
	if list, _ := st.Trainings(ctx, "2026-11-01", "2026-11-30"); len(list) != 2 {
		t.Fatalf("the session list has %d, want both stations' 2", len(list))
	}
}
