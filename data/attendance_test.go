package data

import (
	"math"
	"testing"
	"time"
)

func statusOf(entries []AttendanceEntry, name string) AttendanceEntry {
	for _, e := range entries {
		if e.Name == name {
			return e
		}
	}
	return AttendanceEntry{}
}

func TestAttendanceEntry(t *testing.T) {
	st, ctx := setUpStation(t)
	// An officer of another station attends the bureau's joint training.
	guest := Officer{Name: "赵红霞", Role: "劳保专干", StationCode: "430702102"}
	if err := st.AddOfficer(ctx, &guest); err != nil {
		t.Fatal(err)
	}
	tr := Training{Type: TrainingSpecial, Date: "2026-11-05", Topic: "联合培训"}
	if err := st.SaveTraining(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	roster, err := st.Attendance(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(roster) != 4 {
		t.Fatalf("roster has %d, want 4", len(roster))
	}
	for _, e := range roster {
		if e.Status != Present || e.Recorded {
			t.Fatalf("default is not present: %+v", e)
		}
	}
	if statusOf(roster, "王建国").StationName != "桃源镇劳动保障站" || statusOf(roster, "赵红霞").StationName != "430702102" {
		t.Fatalf("station names: %+v", roster)
	}
	for i := range roster {
		switch roster[i].Name {
		case "李秀英":
			roster[i].Status, roster[i].Reason = Leave, " 病假 "
		case "张志强":
			roster[i].Status, roster[i].Reason = Absent, "不该保存的事由"
		case "赵红霞":
			roster[i].Status = Late
		}
	}
	if err := st.SaveAttendance(ctx, tr.ID, roster); err != nil {
		t.Fatal(err)
	}
	back, _ := st.Attendance(ctx, tr.ID)
	if e := statusOf(back, "李秀英"); e.Status != Leave || e.Reason != "病假" || !e.Recorded {
		t.Fatalf("leave = %+v", e)
	}
	if e := statusOf(back, "张志强"); e.Status != Absent || e.Reason != "" {
		t.Fatalf("absent = %+v", e)
	}
	if e := statusOf(back, "赵红霞"); e.Status != Late {
		t.Fatalf("late = %+v", e)
	}
	// Saving again changes nothing and keeps one row per officer.
	if err := st.SaveAttendance(ctx, tr.ID, back); err != nil {
		t.Fatal(err)
	}
	var n int
	st.Read().QueryRow(`SELECT count(*) FROM attendance WHERE training_id=?`, tr.ID).Scan(&n)
	if n != 4 {
		t.Fatalf("%d attendance rows, want 4", n)
	}
	// An officer who left the roster stays on the sessions they attended.
	g, _ := st.Officer(ctx, guest.ID)
	g.Active = false
	if err := st.UpdateOfficer(ctx, &g); err != nil {
		t.Fatal(err)
	}
	if back, _ = st.Attendance(ctx, tr.ID); len(back) != 4 {
		t.Fatalf("inactive officer dropped from a past session: %d", len(back))
	}
	bad := []AttendanceEntry{{OfficerID: back[0].OfficerID, Status: "maybe"}}
	if err := st.SaveAttendance(ctx, tr.ID, bad); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad status: %v", err)
	}
	if err := st.SaveAttendance(ctx, tr.ID, []AttendanceEntry{{OfficerID: "nobody", Status: Present}}); ErrorKind(err) != KindNotFound {
		t.Fatalf("unknown officer: %v", err)
	}
	if err := st.SaveAttendance(ctx, "nope", nil); ErrorKind(err) != KindNotFound {
		t.Fatalf("unknown training: %v", err)
	}
}

func trainingNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAttendanceRates(t *testing.T) {
	st, ctx := setUpStation(t)
	officers, _ := st.Officers(ctx, true)
	id := map[string]string{}
	for _, o := range officers {
		id[o.Name] = o.ID
	}
	// Three sessions: two in October (a study day and a coaching), one in November.
	plan := []struct {
		tr     Training
		status map[string]AttendanceStatus
	}{
		{Training{Type: TrainingStudyDay, Date: "2026-10-16", Topic: "十月学习"}, map[string]AttendanceStatus{"王建国": Present, "李秀英": Late, "张志强": Absent}},
		{Training{Type: TrainingCoaching, Date: "2026-10-28", Topic: "业务辅导"}, map[string]AttendanceStatus{"王建国": Present, "李秀英": Present, "张志强": Leave}},
		{Training{Type: TrainingStudyDay, Date: "2026-11-20", Topic: "十一月学习"}, map[string]AttendanceStatus{"王建国": Absent, "李秀英": Present, "张志强": Present}},
	}
	for _, p := range plan {
		tr := p.tr
		if err := st.SaveTraining(ctx, &tr); err != nil {
			t.Fatal(err)
		}
		var entries []AttendanceEntry
		for name, s := range p.status {
			entries = append(entries, AttendanceEntry{OfficerID: id[name], Status: s})
		}
		if err := st.SaveAttendance(ctx, tr.ID, entries); err != nil {
			t.Fatal(err)
		}
	}
	// A session with nothing recorded does not count as held.
	empty := Training{Type: TrainingSpecial, Date: "2026-12-01", Topic: "未登记"}
	st.SaveTraining(ctx, &empty)

	f, err := st.AttendanceFigures(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if f.Total.Sessions != 3 || f.Total.Recorded != 9 || f.Total.Attended != 6 || f.Total.Absent != 2 || f.Total.Leave != 1 || !trainingNear(f.Total.Rate, 6.0/9) {
		t.Fatalf("total = %+v", f.Total)
	}
	oct, nov, dec := f.Months[9], f.Months[10], f.Months[11]
	if oct.Period != "2026-10" || oct.Sessions != 2 || oct.Recorded != 6 || oct.Attended != 4 || !trainingNear(oct.Rate, 4.0/6) || oct.Absent != 1 {
		t.Fatalf("october = %+v", oct)
	}
	if nov.Sessions != 1 || !trainingNear(nov.Rate, 2.0/3) || dec.Sessions != 0 || dec.Rate != 0 {
		t.Fatalf("november = %+v, december = %+v", nov, dec)
	}
	want := map[string]struct {
		sessions, absent, leave int
		rate                    float64
	}{
		"王建国": {3, 1, 0, 2.0 / 3}, "李秀英": {3, 0, 0, 1}, "张志强": {3, 1, 1, 1.0 / 3},
	}
	if len(f.Officers) != 3 {
		t.Fatalf("officers = %+v", f.Officers)
	}
	for _, o := range f.Officers {
		w := want[o.Name]
		if o.Sessions != w.sessions || o.Absent != w.absent || o.Leave != w.leave || !trainingNear(o.Rate, w.rate) {
			t.Errorf("%s: %+v, want %+v", o.Name, o, w)
		}
	}
	if other, _ := st.AttendanceFigures(ctx, 2025); other.Total.Sessions != 0 || len(other.Months) != 12 {
		t.Fatalf("2025 = %+v", other.Total)
	}
	last, ok, err := st.LastStudyDay(ctx, tday("2026-11-25"))
	if err != nil || !ok || last.Topic != "十一月学习" || !trainingNear(last.Rate(), 2.0/3) {
		t.Fatalf("last study day = %+v %v %v", last, ok, err)
	}
	last, ok, _ = st.LastStudyDay(ctx, tday("2026-11-19"))
	if !ok || last.Topic != "十月学习" {
		t.Fatalf("last study day before November = %+v", last)
	}
	if _, ok, _ := st.LastStudyDay(ctx, tday("2026-10-01")); ok {
		t.Fatal("a last study day before any was held")
	}
}

// benchStation has 60 officers and a year of study days with attendance.
func benchStation(b *testing.B) (*Store, []string) {
	st, ctx := setUpStation(b)
	for i := 0; i < 57; i++ {
		o := Officer{Name: "干部" + string(rune('甲'+i)), Role: "劳保专干", StationCode: "43070210" + string(rune('0'+i%5))}
		if err := st.AddOfficer(ctx, &o); err != nil {
			b.Fatal(err)
		}
	}
	var ids []string
	for m := 1; m <= 12; m++ {
		tr := Training{Type: TrainingStudyDay, Date: ThirdFriday(2026, time.Month(m), time.Local).Format(studyDateLayout), Topic: "学习"}
		if err := st.SaveTraining(ctx, &tr); err != nil {
			b.Fatal(err)
		}
		roster, _ := st.Attendance(ctx, tr.ID)
		for i := range roster {
			roster[i].Status = AttendanceStatuses[(i+m)%4]
		}
		if err := st.SaveAttendance(ctx, tr.ID, roster); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, tr.ID)
	}
	return st, ids
}

func BenchmarkAttendanceFigures(b *testing.B) {
	st, _ := benchStation(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.AttendanceFigures(b.Context(), 2026); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSaveAttendance60(b *testing.B) {
	st, ids := benchStation(b)
	roster, _ := st.Attendance(b.Context(), ids[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range roster {
			roster[j].Status = AttendanceStatuses[(i+j)%4]
		}
		if err := st.SaveAttendance(b.Context(), ids[0], roster); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNextStudyDay(b *testing.B) {
	st, _ := benchStation(b)
	at := time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.NextStudyDay(b.Context(), at); err != nil {
			b.Fatal(err)
		}
	}
}
