package data

import (
	"bytes"
	"database/sql"
	"testing"
)

func TestTrainingValidation(t *testing.T) {
	st, ctx := setUpStation(t)
	for _, c := range []struct {
		name  string
		tr    Training
		field string
	}{
		{"no topic", Training{Type: TrainingSpecial, Date: "2026-11-03"}, "topic"},
		{"bad date", Training{Type: TrainingSpecial, Date: "2026-13-03", Topic: "x"}, "date"},
		{"bad type", Training{Type: "party", Date: "2026-11-03", Topic: "x"}, "type"},
		{"bad start", Training{Type: TrainingSpecial, Date: "2026-11-03", Topic: "x", Start: "9点"}, "start"},
		{"end before start", Training{Type: TrainingSpecial, Date: "2026-11-03", Topic: "x", Start: "15:00", End: "14:00"}, "end"},
		{"study day not on a third Friday", Training{Type: TrainingStudyDay, Date: "2026-11-13", Topic: "x"}, "date"},
		{"moved without reason", Training{Type: TrainingStudyDay, Date: "2026-11-27", MovedFrom: "2026-11-20", Topic: "x"}, "move_reason"},
		{"moved from a wrong day", Training{Type: TrainingStudyDay, Date: "2026-11-27", MovedFrom: "2026-11-19", MoveReason: "r", Topic: "x"}, "moved_from"},
		{"special moved", Training{Type: TrainingSpecial, Date: "2026-11-27", MovedFrom: "2026-11-20", MoveReason: "r", Topic: "x"}, "moved_from"},
		{"long topic", Training{Type: TrainingSpecial, Date: "2026-11-03", Topic: string(bytes.Repeat([]byte("政"), 101))}, "topic"},
	} {
		err := st.SaveTraining(ctx, &c.tr)
		de, ok := err.(*Error)
		if !ok || de.Kind != KindInvalid || de.Field != c.field || de.Msg == "" {
			t.Errorf("%s: got %v, want invalid %s", c.name, err, c.field)
		}
	}
}

func TestTrainingCRUD(t *testing.T) {
	st, ctx := setUpStation(t)
	tr := Training{Type: TrainingStudyDay, Date: "2026-11-20", Topic: " 养老保险资格认证新规 ", Speaker: "王建国", Place: "站会议室",
		PolicyIDs: []string{"p1", "p1", " ", "p2"}, Notes: "带上笔记本"}
	if err := st.SaveTraining(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	if tr.ID == "" || tr.Start != "14:30" || tr.End != "17:30" || tr.Topic != "养老保险资格认证新规" || len(tr.PolicyIDs) != 2 {
		t.Fatalf("saved = %+v", tr)
	}
	// A second record for the same study day is refused.
	dup := Training{Type: TrainingStudyDay, Date: "2026-11-20", Topic: "重复"}
	if err := st.SaveTraining(ctx, &dup); ErrorKind(err) != KindInvalid {
		t.Fatalf("duplicate study day: %v", err)
	}
	got, err := st.Training(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Topic != tr.Topic || got.Speaker != "王建国" || got.PolicyIDs[1] != "p2" || got.Notes != "带上笔记本" || got.Origin != "430702101" {
		t.Fatalf("read back = %+v", got)
	}
	got.Topic = "社保卡服务规范"
	if err := st.SaveTraining(ctx, &got); err != nil {
		t.Fatal(err)
	}
	sp := Training{Type: TrainingCoaching, Date: "2026-11-05", Start: "9:00", End: "11:30", Topic: "业务辅导：医保缴费"}
	if err := st.SaveTraining(ctx, &sp); err != nil {
		t.Fatal(err)
	}
	if sp.Start != "09:00" {
		t.Fatalf("start not normalised: %q", sp.Start)
	}
	list, err := st.Trainings(ctx, "2026-01-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Topic != "社保卡服务规范" || list[1].Type != TrainingCoaching {
		t.Fatalf("list = %+v", list)
	}
	m, err := st.AddMaterial(ctx, sp.ID, `C:\课件\医保缴费.pptx`, []byte{0, 1, 2, 0xff})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "医保缴费.pptx" || m.Size != 4 {
		t.Fatalf("material = %+v", m)
	}
	ms, _ := st.Materials(ctx, sp.ID)
	if len(ms) != 1 {
		t.Fatalf("materials = %+v", ms)
	}
	_, b, err := st.MaterialContent(ctx, m.ID)
	if err != nil || !bytes.Equal(b, []byte{0, 1, 2, 0xff}) {
		t.Fatalf("content = %v, %v", b, err)
	}
	if _, err := st.AddMaterial(ctx, "nope", "a.pdf", nil); ErrorKind(err) != KindNotFound {
		t.Fatalf("material for a missing session: %v", err)
	}
	if err := st.DeleteTraining(ctx, sp.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Training(ctx, sp.ID); ErrorKind(err) != KindNotFound {
		t.Fatalf("deleted training still there: %v", err)
	}
	if ms, _ := st.Materials(ctx, sp.ID); len(ms) != 0 {
		t.Fatalf("materials of a deleted session: %+v", ms)
	}
	if err := st.DeleteTraining(ctx, sp.ID); ErrorKind(err) != KindNotFound {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestPolicyChoices(t *testing.T) {
	st, ctx := setUpStation(t)
	for i, p := range []struct{ title, doc, eff, status string }{
		{"关于做好城乡居民养老保险待遇领取资格认证工作的通知", "常人社发〔2014〕18号", "2014-09-01", "现行有效"},
		{"关于调整基本养老金的通知", "湘人社发〔2025〕12号", "2025-07-01", "现行有效"},
		{"关于旧办法的通知", "湘人社发〔2010〕1号", "2010-01-01", "已废止"},
	} {
		if err := st.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO policies(id, created_at, updated_at, title, doc_no, effective, status) VALUES (?, 0, 0, ?, ?, ?, ?)`,
				NewID(), p.title, p.doc, p.eff, p.status)
			return err
		}); err != nil {
			t.Skipf("policies table differs (%d): %v", i, err)
		}
	}
	all, err := st.PolicyChoices(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Title != "关于调整基本养老金的通知" || all[2].Status != "已废止" {
		t.Fatalf("choices = %+v", all)
	}
	some, _ := st.PolicyChoices(ctx, "养老", 10)
	if len(some) != 2 {
		t.Fatalf("养老 matched %d", len(some))
	}
	byDoc, _ := st.PolicyChoices(ctx, "〔2014〕", 10)
	if len(byDoc) != 1 {
		t.Fatalf("doc number matched %d", len(byDoc))
	}
	if pct, _ := st.PolicyChoices(ctx, "%", 10); len(pct) != 0 {
		t.Fatalf("%% matched %d", len(pct))
	}
	got, _ := st.PoliciesByID(ctx, []string{all[1].ID, "gone"})
	if len(got) != 1 || got[0].ID != all[1].ID {
		t.Fatalf("by id = %+v", got)
	}
}
