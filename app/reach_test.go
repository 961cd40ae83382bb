package app

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"stationdesk/data"
)

// reachStation: a station with a 低保 resident of 86 and a local policy for
// 低保 and 特困 residents of 60 and over.
func reachStation(t *testing.T) (*data.Store, data.Resident, *data.Policy) {
	t.Helper()
	st := serviceStation(t)
	r := data.Resident{Name: "张桂兰", IDNumber: svcID("43070219400101002"), Village: "桃花村", Address: "桃花村3组8号", Categories: []string{"低保"}}
	if err := st.AddResident(t.Context(), &r, ""); err != nil {
		t.Fatal(err)
	}
	p := &data.Policy{Title: "困难老人补贴", Category: "其他", Body: "困难老人补贴"}
	if err := st.AddPolicy(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	return st, r, p
}

func TestCriteriaEditorSavesAndSaysIt(t *testing.T) {
	st, _, p := reachStation(t)
	e := newTestEnv(t, st, fyne.NewSize(1000, 760))
	c := newCriteriaEditor(e, p.ID, false)
	e.showForTest(container.NewVScroll(c.card))
	if !strings.Contains(c.reach.Text, "未设条件") || !strings.Contains(c.sentence.Text, "未设条件") {
		t.Fatalf("no criteria yet: %q %q", c.reach.Text, c.sentence.Text)
	}
	test.Type(c.minAge, "60")
	c.anyOf.SetSelected([]string{"低保", "特困"})
	if c.sentence.Text != "享受对象：年满 60 周岁、属于低保或特困的本乡居民" {
		t.Fatalf("sentence %q", c.sentence.Text)
	}
	test.Tap(c.save)
	e.wait()
	got, err := st.PolicyCriteria(t.Context(), p.ID)
	if err != nil || got.MinAge != 60 || strings.Join(got.AnyOf, ",") != "低保,特困" {
		t.Fatalf("saved %+v %v", got, err)
	}
	if !strings.Contains(c.reach.Text, "可能符合 1 人，已告知 0 人") || c.people.Disabled() {
		t.Fatalf("reach %q", c.reach.Text)
	}
	// A word for a number, then an upper age below the lower: refused at their fields.
	c.minAge.SetText("六十")
	test.Tap(c.save)
	e.wait()
	if m := c.msgs.msg("min_age"); !m.Visible() || !strings.Contains(m.Text, "请填写整数") {
		t.Fatalf("min_age message %q", m.Text)
	}
	c.minAge.SetText("70")
	test.Type(c.maxAge, "65")
	test.Tap(c.save)
	e.wait()
	if m := c.msgs.msg("max_age"); !m.Visible() || !strings.Contains(m.Text, "最高年龄不能小于最低年龄") {
		t.Fatalf("max_age message %q", m.Text)
	}
	if got, _ := st.PolicyCriteria(t.Context(), p.ID); got.MinAge != 60 {
		t.Fatalf("a refused edit saved %+v", got)
	}
	// Read-only (a bureau policy at a station): nothing to change.
	ro := newCriteriaEditor(e, p.ID, true)
	e.showForTest(ro.card)
	if ro.save.Visible() || !ro.minAge.Disabled() || ro.minAge.Text != "60" {
		t.Fatal("read-only editor can change")
	}
}

func TestResidentPoliciesAndVisitExplains(t *testing.T) {
	st, r, p := reachStation(t)
	if err := st.SetPolicyCriteria(t.Context(), p.ID, data.Criteria{MinAge: 60, AnyOf: []string{"低保"}}); err != nil {
		t.Fatal(err)
	}
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	d := u.residents.detail
	d.open(r.ID)
	e.wait()
	if got := d.tabs.Items[2].Text; got != "可能符合的政策（1）" || !svcHasText(d.reach.box, "困难老人补贴") || !svcHasText(d.reach.box, "享受对象：年满 60 周岁、属于低保的本乡居民") {
		t.Fatalf("resident's list: tab %q", got)
	}
	test.Tap(svcButton(t, d.content, "记录上门"))
	e.wait()
	f := u.visits.form
	c, ok := f.reach.checks[p.ID]
	if !ok {
		t.Fatal("the visit form does not offer the policy")
	}
	test.Tap(c)
	f.squad.SetSelected(f.squad.Options[:1])
	f.services.SetSelected([]string{"医保报销代办"})
	test.Tap(f.saveBtn)
	e.wait()
	if !f.saved {
		t.Fatalf("visit not saved: %q", msgText(f.msgs))
	}
	rp, err := st.ResidentPolicies(t.Context(), r.ID)
	if err != nil || len(rp.Untold) != 0 || len(rp.Told) != 1 {
		t.Fatalf("after explaining: %+v %v", rp, err)
	}
	visits, _ := st.Visits(t.Context(), data.VisitFilter{})
	if len(visits) != 1 || strings.Join(visits[0].Services, ",") != "医保报销代办,政策宣传" {
		t.Fatalf("visit %+v", visits)
	}
	// The page shows it at once (afterSave reopens the resident).
	if got := d.tabs.Items[2].Text; got != "可能符合的政策（0）" || !svcHasText(d.reach.box, "已告知（1 项）") {
		t.Fatalf("after the visit: tab %q", got)
	}
}

func TestOutreachTabAndPensionPanel(t *testing.T) {
	st := newTestStore(t, true)
	e, u := showService(t, st, fyne.NewSize(1280, 800))
	u.tabs.SelectIndex(4)
	e.wait()
	want, err := st.Outreach(t.Context(), "")
	if err != nil || len(want) == 0 {
		t.Fatalf("demo outreach %d %v", len(want), err)
	}
	if len(u.outreach.entries) != len(want) || u.outreach.entries[0].ResidentID != want[0].ResidentID {
		t.Fatalf("tab lists %d, data %d", len(u.outreach.entries), len(want))
	}
	u.outreach.village.SetSelected(want[0].Village)
	e.wait()
	for _, en := range u.outreach.entries {
		if en.Village != want[0].Village {
			t.Fatalf("%s outside %s", en.Village, want[0].Village)
		}
	}
	due, err := st.PensionDueList(t.Context(), data.PensionDueWithin)
	if err != nil || len(due) == 0 {
		t.Fatalf("demo pension list %d %v", len(due), err)
	}
	panel := pensionHomePanel(e)
	e.wait()
	if !svcHasText(panel, "待认证 "+strconv.Itoa(len(due))+" 人") {
		t.Fatal("首页 does not count 待认证")
	}
}

// TestScreenshotsReach renders the criteria of a policy, a resident's list
// and the outreach list (make screenshots).
func TestScreenshotsReach(t *testing.T) {
	st := newTestStore(t, true)
	size := fyne.NewSize(1100, 720)
	e := newTestEnv(t, st, size)
	var pid string
	st.Read().QueryRow(`SELECT id FROM policies WHERE criteria LIKE '%any_of%' AND status = '现行有效' AND expires = '' ORDER BY title LIMIT 1`).Scan(&pid)
	if pid == "" {
		t.Fatal("no demo policy with criteria")
	}
	c := newCriteriaEditor(e, pid, false)
	e.showForTest(container.NewVScroll(c.card))
	if c.sentence.Text == "" || !strings.Contains(c.reach.Text, "可能符合") {
		t.Fatalf("criteria card: %q %q", c.sentence.Text, c.reach.Text)
	}
	snap(t, e.Win, "policy-criteria")

	e2, u := showService(t, st, size)
	list, _ := st.Outreach(t.Context(), "")
	u.residents.detail.open(list[0].ResidentID)
	e2.wait()
	u.residents.detail.tabs.SelectIndex(2)
	snap(t, e2.Win, "resident-policies")
	u.tabs.SelectIndex(4)
	e2.wait()
	snap(t, e2.Win, "outreach-list")
}
