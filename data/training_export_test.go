package data

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// exportFixture is a session with a roster of officers from two stations,
// some of them not present.
func exportFixture(t *testing.T) (*Store, Training) {
	t.Helper()
	st, ctx := setUpStation(t)
	for _, o := range []Officer{{Name: "赵红霞", Role: "劳保专干", StationCode: "430702102"}, {Name: "欧阳明华", Role: "组织委员"}} {
		if err := st.AddOfficer(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	tr := Training{Type: TrainingStudyDay, Date: "2026-11-27", MovedFrom: "2026-11-20", MoveReason: "区局统一安排",
		Topic: "城乡居民养老保险待遇领取资格认证新规解读", Speaker: "王建国", Place: "镇政府三楼会议室"}
	if err := st.SaveTraining(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	roster, _ := st.Attendance(ctx, tr.ID)
	for i := range roster {
		if roster[i].Name == "李秀英" {
			roster[i].Status, roster[i].Reason = Leave, "下村入户"
		}
	}
	if err := st.SaveAttendance(ctx, tr.ID, roster); err != nil {
		t.Fatal(err)
	}
	return st, tr
}

func TestSignInSheetPDF(t *testing.T) {
	st, tr := exportFixture(t)
	path := filepath.Join(t.TempDir(), "签到表.pdf")
	if err := st.SaveSignInSheetPDF(t.Context(), tr.ID, path); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	for _, want := range []string{"干部学习日签到表", "桃源镇劳动保障站", tr.Topic, "镇政府三楼会议室", "2026年11月27日（星期五）",
		"原定2026年11月20日", "王建国", "李秀英", "张志强", "赵红霞", "欧阳明华", "430702102", "签名", "所属站点", "请假：下村入户", "应到 5 人"} {
		if !strings.Contains(text, want) {
			t.Errorf("sign-in sheet lacks %q:\n%s", want, text)
		}
	}
	if err := st.SaveSignInSheetPDF(t.Context(), "nope", path); ErrorKind(err) != KindNotFound {
		t.Fatalf("sheet of a missing session: %v", err)
	}
}

func TestSignInSheetRosterOfAStudyDay(t *testing.T) {
	st, ctx := setUpStation(t)
	guest := Officer{Name: "赵红霞", Role: "劳保专干", StationCode: "430702102"}
	if err := st.AddOfficer(ctx, &guest); err != nil {
		t.Fatal(err)
	}
	day := Training{Type: TrainingStudyDay, Date: "2026-11-20", Topic: "本站学习"}
	joint := Training{Type: TrainingSpecial, Date: "2026-11-05", Topic: "联合培训"}
	for _, tr := range []*Training{&day, &joint} {
		if err := st.SaveTraining(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	if sh, _ := st.SignInSheet(ctx, day.ID); len(sh.Roster) != 3 {
		t.Fatalf("study day sheet lists %d, want this station's 3", len(sh.Roster))
	}
	if sh, _ := st.SignInSheet(ctx, joint.ID); len(sh.Roster) != 4 {
		t.Fatalf("joint training sheet lists %d, want all 4", len(sh.Roster))
	}
	// Once the guest is recorded at the study day, the sheet lists them too.
	if err := st.SaveAttendance(ctx, day.ID, []AttendanceEntry{{OfficerID: guest.ID, Status: Present}}); err != nil {
		t.Fatal(err)
	}
	if sh, _ := st.SignInSheet(ctx, day.ID); len(sh.Roster) != 4 {
		t.Fatalf("study day sheet with a recorded guest lists %d", len(sh.Roster))
	}
}

func TestSignInSheetPDFManyPages(t *testing.T) {
	sh := SignInSheet{Unit: "区人社局", Training: Training{Type: TrainingSpecial, Date: "2026-11-03", Start: "09:00", End: "11:00", Topic: "全区联合培训"}}
	for i := 0; i < 60; i++ {
		sh.Roster = append(sh.Roster, AttendanceEntry{Name: "干部" + string(rune('甲'+i)), Role: "劳保专干", StationName: "某某镇劳动保障站", Status: Present})
	}
	path := filepath.Join(t.TempDir(), "s.pdf")
	if err := writeFileAtomic(path, func(w io.Writer) error { return WriteSignInSheetPDF(sh, w) }); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	if pages := strings.Count(text, "\f"); pages < 2 {
		t.Fatalf("60 officers on %d page(s)", pages)
	}
	if strings.Count(text, "序号") < 2 {
		t.Fatal("the table header is not repeated on the next page")
	}
	if !strings.Contains(text, "干部"+string(rune('甲'+59))) {
		t.Fatal("the last officer is missing")
	}
}

func TestAttendanceXLSX(t *testing.T) {
	st, tr := exportFixture(t)
	path := filepath.Join(t.TempDir(), "出勤.xlsx")
	if err := st.SaveAttendanceXLSX(t.Context(), tr.ID, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("出勤登记")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "序号,姓名,职务,所属站点,出勤情况,请假事由" {
		t.Fatalf("headers = %q", rows[0])
	}
	officers, _ := st.Officers(t.Context(), true)
	if len(rows)-1 != len(officers) || len(officers) != 5 {
		t.Fatalf("%d data rows for %d officers", len(rows)-1, len(officers))
	}
	names := map[string][]string{}
	for _, r := range rows[1:] {
		names[r[1]] = r
	}
	for _, o := range officers {
		if names[o.Name] == nil {
			t.Errorf("no row for %s", o.Name)
		}
	}
	if r := names["李秀英"]; len(r) < 6 || r[4] != "请假" || r[5] != "下村入户" {
		t.Errorf("李秀英 = %q", r)
	}
	if r := names["赵红霞"]; r[3] != "430702102" || r[4] != "出席" {
		t.Errorf("赵红霞 = %q", r)
	}
	info, _ := f.GetRows("培训信息")
	found := false
	for _, r := range info {
		if len(r) > 1 && r[0] == "主题" && r[1] == tr.Topic {
			found = true
		}
	}
	if !found {
		t.Errorf("培训信息 lacks the topic: %q", info)
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"14:30", "9:00", "24:00", "下午", "", "23:59", "07:5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseStudyClock(s)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("%q: error of kind %q", s, ErrorKind(err))
			}
			return
		}
		if m < 0 || m >= 24*60 {
			t.Fatalf("%q: %d minutes", s, m)
		}
		if got := addStudyClock(s, 0); got != addStudyClock(got, 0) {
			t.Fatalf("%q: not normalised: %q", s, got)
		}
	})
}

func FuzzTrainingValidate(f *testing.F) {
	f.Add("study_day", "2026-11-20", "14:30", "", "主题", "")
	f.Add("study_day", "2026-11-27", "14:30", "17:30", "主题", "2026-11-20")
	f.Add("special", "2026-02-29", "9:00", "8:00", "", "")
	f.Fuzz(func(t *testing.T, typ, date, start, end, topic, movedFrom string) {
		tr := Training{Type: typ, Date: date, Start: start, End: end, Topic: topic, MovedFrom: movedFrom, MoveReason: "节假日"}
		err := tr.validate(true)
		if err != nil {
			de, ok := err.(*Error)
			if !ok || de.Kind != KindInvalid || de.Msg == "" {
				t.Fatalf("not a validation error: %v", err)
			}
			return
		}
		if _, e1 := parseStudyClock(tr.Start); e1 != nil {
			t.Fatalf("accepted start %q", tr.Start)
		}
		if tr.Type == TrainingStudyDay {
			reg := tr.Day()
			if tr.MovedFrom != "" {
				reg, _ = time.ParseInLocation(studyDateLayout, tr.MovedFrom, time.Local)
			}
			if !reg.Equal(ThirdFriday(reg.Year(), reg.Month(), reg.Location())) {
				t.Fatalf("study day on %s (from %q) accepted", tr.Date, tr.MovedFrom)
			}
		}
	})
}
