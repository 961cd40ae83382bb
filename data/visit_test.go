package data

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

// visitFixture: a store with two officers, one policy and one resident.
func visitFixture(t *testing.T) (*Store, []string, *Resident) {
	t.Helper()
	st := openStation(t)
	ctx := context.Background()
	var officers []string
	for _, n := range []string{"刘建国", "陈秀兰"} {
		o := &Officer{Name: n, Role: "服务小分队队员"}
		if err := st.AddOfficer(ctx, o); err != nil {
			t.Fatal(err)
		}
		officers = append(officers, o.ID)
	}
	r := &Resident{Name: "王秀英", IDNumber: withCheck("43070219400312002"), Village: "桃花村", Categories: []string{"高龄"}}
	if err := st.AddResident(ctx, r, officers[0]); err != nil {
		t.Fatal(err)
	}
	return st, officers, r
}

func TestVisitFollowupAndCards(t *testing.T) {
	st, officers, r := visitFixture(t)
	ctx := context.Background()
	day := time.Now().AddDate(0, 0, -10).Format("2006-01-02")
	bad := &Visit{Date: day, ResidentID: r.ID, OfficerIDs: officers, Services: []string{"医保报销代办"}, FollowupNeeded: true}
	invalidField(t, st.AddVisit(ctx, bad, nil, nil), "followup_due", "跟进期限")
	invalidField(t, st.AddVisit(ctx, &Visit{Date: day, ResidentID: r.ID, Services: []string{"其他"}}, nil, nil), "officer_ids", "小分队")
	invalidField(t, st.AddVisit(ctx, &Visit{Date: day, ResidentID: r.ID, OfficerIDs: []string{"nobody"}, Services: []string{"其他"}}, nil, nil), "officer_ids", "名册")
	invalidField(t, st.AddVisit(ctx, &Visit{Date: time.Now().AddDate(0, 0, 1).Format("2006-01-02"), ResidentID: r.ID, OfficerIDs: officers, Services: []string{"其他"}}, nil, nil), "date", "晚于今天")

	var policyID string
	st.Write(ctx, func(tx *sql.Tx) error {
		policyID = NewID()
		_, err := tx.ExecContext(ctx, "INSERT INTO policies(id, created_at, updated_at, title) VALUES (?, 1, 1, '城乡居民养老保险')", policyID)
		return err
	})
	v := &Visit{Date: day, ResidentID: r.ID, OfficerIDs: officers, Services: []string{"医保报销代办", "政策宣传"}, Outcome: "资料不全，待补交",
		FollowupNeeded: true, FollowupDue: time.Now().AddDate(0, 0, -2).Format("2006-01-02")}
	op := &Opinion{Content: "希望医保报销能在村里直接办理", Category: "医疗保险"}
	if err := st.AddVisit(ctx, v, []VisitCard{{PolicyID: policyID, Count: 2}}, op); err != nil {
		t.Fatal(err)
	}
	var n, count int
	var place, visitID string
	st.Read().QueryRow("SELECT count(*), sum(count), max(place), max(visit_id) FROM card_handouts").Scan(&n, &count, &place, &visitID)
	if n != 1 || count != 2 || place != "上门服务" || visitID != v.ID {
		t.Fatalf("card handouts %d %d %s %s", n, count, place, visitID)
	}
	ops, _ := st.Opinions(ctx, OpinionFilter{ResidentID: r.ID})
	if len(ops) != 1 || ops[0].VisitID != v.ID || ops[0].Source != "上门服务" || ops[0].ResidentName != "王秀英" {
		t.Fatalf("opinion from the visit: %+v", ops)
	}

	q, err := st.FollowupQueue(ctx, VisitFilter{})
	if err != nil || len(q) != 1 || !q[0].Overdue || q[0].ResidentName != "王秀英" {
		t.Fatalf("queue %+v %v", q, err)
	}
	open, overdue, _ := st.CountFollowups(ctx, VisitFilter{})
	if open != 1 || overdue != 1 {
		t.Fatalf("open %d overdue %d", open, overdue)
	}
	if err := st.CloseFollowup(ctx, v.ID, officers[1], time.Now().Format("2006-01-02"), "已补交材料"); err != nil {
		t.Fatal(err)
	}
	if err := st.CloseFollowup(ctx, v.ID, officers[1], time.Now().Format("2006-01-02"), ""); ErrorKind(err) != KindConflict {
		t.Fatalf("closing twice: %v", err)
	}
	if q, _ := st.FollowupQueue(ctx, VisitFilter{}); len(q) != 0 {
		t.Fatalf("queue after closing: %d", len(q))
	}
	got, _ := st.Visit(ctx, v.ID)
	if got.FollowupDoneBy != officers[1] || got.FollowupResult != "已补交材料" || got.FollowupDoneAt == "" {
		t.Fatalf("closed visit %+v", got)
	}
	tl, err := st.ResidentTimeline(ctx, r.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range tl {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "followup,registered,visit,opinion" && strings.Join(kinds, ",") != "followup,registered,opinion,visit" {
		t.Fatalf("timeline %v", kinds)
	}
	res, _ := st.Resident(ctx, r.ID)
	if res.LastVisit != day {
		t.Fatalf("last visit %q, want %s", res.LastVisit, day)
	}
}

func TestVisitFiltersAndPlan(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	if _, err := runDemo(ctx, st, DemoOptions{Residents: 200, Visits: 2000, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	all, _ := st.CountVisits(ctx, VisitFilter{})
	if all != 2000 {
		t.Fatalf("%d visits", all)
	}
	page, err := st.Visits(ctx, VisitFilter{Village: "桃花村", Limit: 20})
	if err != nil || len(page) != 20 {
		t.Fatalf("village page %d %v", len(page), err)
	}
	for i, v := range page {
		if v.Village != "桃花村" || (i > 0 && v.Date > page[i-1].Date) {
			t.Fatalf("row %d %+v", i, v)
		}
	}
	month := page[0].Date[:7]
	inMonth, _ := st.Visits(ctx, VisitFilter{Month: month, Limit: 500})
	for _, v := range inMonth {
		if !strings.HasPrefix(v.Date, month) {
			t.Fatalf("month filter let %s through", v.Date)
		}
	}
	officer := page[0].OfficerIDs[0]
	byOfficer, _ := st.CountVisits(ctx, VisitFilter{OfficerID: officer})
	if byOfficer == 0 || byOfficer >= all {
		t.Fatalf("officer filter %d of %d", byOfficer, all)
	}
	q, _ := st.FollowupQueue(ctx, VisitFilter{Limit: 500})
	for i := 1; i < len(q); i++ {
		if q[i].FollowupDue < q[i-1].FollowupDue || q[i].FollowupDoneAt != "" {
			t.Fatalf("queue out of order at %d", i)
		}
	}
	if _, err := st.Visits(ctx, VisitFilter{Month: "2026-13"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad month: %v", err)
	}

	// Plan: a 高龄 resident never visited is due; one visited yesterday is not.
	st2, officers, r := visitFixture(t)
	due, err := st2.DueResidents(ctx, DueFilter{})
	if err != nil || len(due) != 1 || due[0].ID != r.ID || due[0].DaysSince != -1 || due[0].Interval != 90 {
		t.Fatalf("due %+v %v", due, err)
	}
	v := &Visit{Date: time.Now().AddDate(0, 0, -1).Format("2006-01-02"), ResidentID: r.ID, OfficerIDs: officers[:1], Services: []string{"养老金领取资格认证"}}
	if err := st2.AddVisit(ctx, v, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := st2.CountDueResidents(ctx, DueFilter{}); n != 0 {
		t.Fatalf("still due after a visit: %d", n)
	}
	if err := st2.SetVisitIntervals(ctx, map[string]int{"高龄": 1}); err != nil {
		t.Fatal(err)
	}
	if n, _ := st2.CountDueResidents(ctx, DueFilter{Category: "高龄"}); n != 0 {
		t.Fatalf("visited yesterday, interval 1: due %d", n)
	}
	st2.SetVisitIntervals(ctx, map[string]int{"高龄": 0, "独居": 5})
	if n, _ := st2.CountDueResidents(ctx, DueFilter{}); n != 0 {
		t.Fatalf("no interval for 高龄 any more, yet due %d", n)
	}
	// The plan follows category changes, villages and deletion.
	st2.SetVisitIntervals(ctx, map[string]int{"高龄": 90, "独居": 0})
	r2 := &Resident{Name: "李德明", IDNumber: withCheck("43070219350101001"), Village: "柳树村", Categories: []string{"独居"}}
	if err := st2.AddResident(ctx, r2, officers[0]); err != nil {
		t.Fatal(err)
	}
	if n, _ := st2.CountDueResidents(ctx, DueFilter{}); n != 0 {
		t.Fatalf("独居 has no interval, yet due %d", n)
	}
	r2.Categories = []string{"独居", "高龄"}
	if err := st2.UpdateResident(ctx, r2, officers[0]); err != nil {
		t.Fatal(err)
	}
	if d, _ := st2.DueResidents(ctx, DueFilter{Village: "柳树村"}); len(d) != 1 || d[0].ID != r2.ID || d[0].Category != "高龄" {
		t.Fatalf("due after adding 高龄: %+v", d)
	}
	if n, _ := st2.CountDueResidents(ctx, DueFilter{Village: "桃花村"}); n != 0 {
		t.Fatalf("village filter: %d", n)
	}
	if err := st2.DeleteResident(ctx, r2.ID, officers[0]); err != nil {
		t.Fatal(err)
	}
	if n, _ := st2.CountDueResidents(ctx, DueFilter{}); n != 0 {
		t.Fatalf("deleted resident still due: %d", n)
	}
}

func TestOpinionStatusFlow(t *testing.T) {
	st, officers, r := visitFixture(t)
	ctx := context.Background()
	invalidField(t, st.AddOpinion(ctx, &Opinion{Date: time.Now().Format("2006-01-02"), Source: "窗口"}, officers[0]), "content", "不能为空")
	invalidField(t, st.AddOpinion(ctx, &Opinion{Date: time.Now().Format("2006-01-02"), Source: "微信", Content: "x"}, officers[0]), "source", "来源")
	o := &Opinion{Date: time.Now().Format("2006-01-02"), Source: "电话", ResidentID: r.ID, Category: "养老保险", Content: "养老金认证能否在手机上完成"}
	if err := st.AddOpinion(ctx, o, officers[0]); err != nil {
		t.Fatal(err)
	}
	// A station reports and no further: the reply and a status from 已答复
	// on are the bureau's (TestStationCannotAnswerOpinions in sync tests the
	// copies at both ends).
	invalidField(t, st.AdvanceOpinion(ctx, o.ID, "已答复", "可通过“湘税社保”App 完成认证", officers[1]), "status", "区县人社局")
	invalidField(t, st.AdvanceOpinion(ctx, o.ID, "已上报", "站里自己写的答复", officers[0]), "reply", "区县人社局")
	if err := st.AdvanceOpinion(ctx, o.ID, "已上报", "", officers[0]); err != nil {
		t.Fatal(err)
	}
	if err := st.AdvanceOpinion(ctx, o.ID, "已记录", "", officers[0]); ErrorKind(err) != KindInvalid {
		t.Fatalf("moved back: %v", err)
	}
	invalidField(t, st.AdvanceOpinion(ctx, o.ID, "已办结", "", officers[1]), "status", "区县人社局")
	list, _ := st.Opinions(ctx, OpinionFilter{Status: "已上报"})
	if len(list) != 1 || list[0].StatusBy != officers[0] || list[0].StatusAt.IsZero() || list[0].Reply != "" {
		t.Fatalf("reported %+v", list)
	}
	hist, _ := st.OpinionHistory(ctx, o.ID)
	if len(hist) != 2 || hist[0].Status != "已记录" || hist[1].Status != "已上报" || hist[1].Actor != officers[0] {
		t.Fatalf("history %+v", hist)
	}
	counts, _ := st.CountOpinions(ctx, OpinionFilter{})
	if counts["已上报"] != 1 || counts["已答复"] != 0 {
		t.Fatalf("counts %v", counts)
	}
}
