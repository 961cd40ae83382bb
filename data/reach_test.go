package data

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// atDay sets the clock to 10:00 on a day for the rest of the test.
func atDay(t testing.TB, day string) {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	old := clock
	clock = func() time.Time { return d.Add(10 * time.Hour) }
	t.Cleanup(func() { clock = old })
}

// reachFixture: a station with an officer, residents and policies with criteria.
type reachFixture struct {
	st       *Store
	officer  string
	res      map[string]*Resident // by name
	policies map[string]string    // by title: ID
}

func newReachFixture(t *testing.T, st *Store) *reachFixture {
	t.Helper()
	ctx := context.Background()
	f := &reachFixture{st: st, res: map[string]*Resident{}, policies: map[string]string{}}
	o := &Officer{Name: "刘建国", Role: "服务小分队队员"}
	if err := st.AddOfficer(ctx, o); err != nil {
		t.Fatal(err)
	}
	f.officer = o.ID
	for _, r := range []*Resident{
		{Name: "王秀英", IDNumber: withCheck("43070219500312002"), Village: "桃花村", Address: "桃花村12组3号", Categories: []string{"低保"}},
		{Name: "李建国", IDNumber: withCheck("43070219661118001"), Village: "桃花村", Address: "桃花村3组8号", Categories: []string{"低保"}},
		{Name: "张桂兰", IDNumber: withCheck("43070219400101002"), Village: "柳树村", Address: "柳树村1组1号", Categories: []string{"特困", "高龄"}},
		{Name: "陈满仓", IDNumber: withCheck("43070219520606003"), Village: "桃花村", Address: "桃花村3组20号", Categories: []string{PensionCategory}},
	} {
		if err := st.AddResident(ctx, r, o.ID); err != nil {
			t.Fatal(err)
		}
		f.res[r.Name] = r
	}
	for _, p := range []struct {
		title string
		c     Criteria
	}{
		{"困难老人补贴", Criteria{MinAge: 60, AnyOf: []string{"低保", "特困"}}},
		{"养老金资格认证提醒", Criteria{AnyOf: []string{PensionCategory}, NoVisit: ServicePensionCert, NoVisitDays: 365}},
		{"就业创业扶持", Criteria{}},
	} {
		pol := &Policy{Title: p.title, Category: "其他", Body: p.title}
		if err := st.AddPolicy(ctx, pol); err != nil {
			t.Fatal(err)
		}
		if err := st.SetPolicyCriteria(ctx, pol.ID, p.c); err != nil {
			t.Fatal(err)
		}
		f.policies[p.title] = pol.ID
	}
	return f
}

func (f *reachFixture) untold(t *testing.T, name string) []string {
	t.Helper()
	r, err := f.st.ResidentPolicies(context.Background(), f.res[name].ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range r.Untold {
		out = append(out, p.Title)
	}
	return out
}

func (f *reachFixture) reach(t *testing.T, title, village string) PolicyReach {
	t.Helper()
	r, err := f.st.PolicyReach(context.Background(), f.policies[title], village)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (f *reachFixture) visit(t *testing.T, name, day string, services []string, cards []string, explained []string) {
	t.Helper()
	v := &Visit{Date: day, ResidentID: f.res[name].ID, OfficerIDs: []string{f.officer}, Services: services, PoliciesExplained: explained}
	var vc []VisitCard
	for _, c := range cards {
		vc = append(vc, VisitCard{PolicyID: c, Count: 1})
	}
	if err := f.st.AddVisit(context.Background(), v, vc, nil); err != nil {
		t.Fatal(err)
	}
}

func names(people []ReachPerson) string {
	var s []string
	for _, p := range people {
		mark := ""
		if p.Told {
			mark = "✓"
		}
		s = append(s, p.Name+mark)
	}
	return strings.Join(s, " ")
}

func TestReachListsFollowChanges(t *testing.T) {
	atDay(t, "2026-11-17")
	ctx := context.Background()
	f := newReachFixture(t, openStation(t))
	const subsidy, pension = "困难老人补贴", "养老金资格认证提醒"

	// 李建国 turns 60 tomorrow; 陈满仓 was never certified.
	if got := f.untold(t, "王秀英"); !slices.Equal(got, []string{subsidy}) {
		t.Fatalf("王秀英 may qualify for %v", got)
	}
	if got := f.untold(t, "李建国"); len(got) != 0 {
		t.Fatalf("李建国 (59) may qualify for %v", got)
	}
	if got := f.untold(t, "陈满仓"); !slices.Equal(got, []string{pension}) {
		t.Fatalf("陈满仓 may qualify for %v", got)
	}
	r := f.reach(t, subsidy, "")
	if r.Eligible != 2 || r.Told != 0 || names(r.People) != "张桂兰 王秀英" || r.Criteria != "年满 60 周岁、属于低保或特困的本乡居民" {
		t.Fatalf("reach: %+v", r)
	}

	// Told: a card handed out on a visit to 王秀英, 政策宣传 on a visit to 张桂兰.
	f.visit(t, "王秀英", "2026-11-10", []string{"其他"}, []string{f.policies[subsidy]}, nil)
	f.visit(t, "张桂兰", "2026-11-11", []string{"其他"}, nil, []string{f.policies[subsidy]})
	if got := f.untold(t, "王秀英"); len(got) != 0 {
		t.Fatalf("王秀英 still to be told %v", got)
	}
	told, err := f.st.ResidentPolicies(ctx, f.res["张桂兰"].ID)
	if err != nil || len(told.Untold) != 0 || len(told.Told) != 1 || told.Told[0].Title != subsidy {
		t.Fatalf("张桂兰: %+v %v", told, err)
	}
	var services string
	if err := f.st.Read().QueryRow("SELECT services FROM visits WHERE resident_id = ?", f.res["张桂兰"].ID).Scan(&services); err != nil || !strings.Contains(services, ServicePolicyTalk) {
		t.Fatalf("explaining records 政策宣传: %s %v", services, err)
	}
	if r := f.reach(t, subsidy, ""); r.Eligible != 2 || r.Told != 2 {
		t.Fatalf("reach after telling: %+v", r)
	}
	if r := f.reach(t, subsidy, "柳树村"); r.Eligible != 1 || names(r.People) != "张桂兰✓" {
		t.Fatalf("reach in 柳树村: %+v", r)
	}

	// A birthday: 李建国 turns 60.
	atDay(t, "2026-11-18")
	if got := f.untold(t, "李建国"); !slices.Equal(got, []string{subsidy}) {
		t.Fatalf("李建国 at 60 may qualify for %v", got)
	}
	// A new category: 陈满仓 now 低保 too.
	cm := f.res["陈满仓"]
	full, err := f.st.RevealResident(ctx, cm.ID, f.officer)
	if err != nil {
		t.Fatal(err)
	}
	cm.IDNumber, cm.Phone = full.IDNumber, full.Phone
	cm.Categories = []string{PensionCategory, "低保"}
	if err := f.st.UpdateResident(ctx, cm, f.officer); err != nil {
		t.Fatal(err)
	}
	if got := f.untold(t, "陈满仓"); !slices.Equal(got, []string{pension, subsidy}) && !slices.Equal(got, []string{subsidy, pension}) {
		t.Fatalf("陈满仓 with 低保: %v", got)
	}
	// Certification on a visit takes the pension reminder off his list.
	f.visit(t, "陈满仓", "2026-11-18", []string{ServicePensionCert}, nil, nil)
	if got := f.untold(t, "陈满仓"); !slices.Equal(got, []string{subsidy}) {
		t.Fatalf("陈满仓 certified: %v", got)
	}
	// Changed criteria: 70 and over.
	if err := f.st.SetPolicyCriteria(ctx, f.policies[subsidy], Criteria{MinAge: 70, AnyOf: []string{"低保", "特困"}}); err != nil {
		t.Fatal(err)
	}
	if r := f.reach(t, subsidy, ""); names(r.People) != "张桂兰✓ 陈满仓 王秀英✓" || r.Criteria != "年满 70 周岁、属于低保或特困的本乡居民" {
		t.Fatalf("reach at 70: %+v", r)
	}
	// A new policy.
	np := &Policy{Title: "高龄津贴", Category: "其他", Body: "高龄津贴"}
	if err := f.st.AddPolicy(ctx, np); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetPolicyCriteria(ctx, np.ID, Criteria{AllOf: []string{"高龄"}}); err != nil {
		t.Fatal(err)
	}
	if got := f.untold(t, "张桂兰"); !slices.Equal(got, []string{"高龄津贴"}) {
		t.Fatalf("张桂兰 and the new policy: %v", got)
	}
	// A repealed policy reaches nobody.
	p, _ := f.st.Policy(ctx, np.ID)
	p.Status = PolicyRepealed
	if err := f.st.UpdatePolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if got := f.untold(t, "张桂兰"); len(got) != 0 {
		t.Fatalf("repealed policy still listed: %v", got)
	}

	// The outreach list of 桃花村, in walking order (3组 before 12组).
	out, err := f.st.Outreach(ctx, "桃花村")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range out {
		var ps []string
		for _, p := range e.Policies {
			ps = append(ps, p.Title)
		}
		lines = append(lines, e.Address+":"+strings.Join(ps, "+"))
	}
	if strings.Join(lines, " ") != "桃花村3组20号:困难老人补贴" {
		t.Fatalf("outreach: %v", lines)
	}
}

func TestSetCriteriaAuthority(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	p := &Policy{Title: "城乡居民养老保险待遇领取资格认证", Category: "养老保险", Body: "正文"}
	if err := net.bureau.AddPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.stations[0], net.down(0), "imported")
	err := net.stations[0].SetPolicyCriteria(ctx, p.ID, Criteria{MinAge: 60})
	if ErrorKind(err) != KindInvalid {
		t.Fatalf("a station set the bureau's criteria: %v", err)
	}
	if _, err := ParseCriteria(""); err != nil {
		t.Fatal(err)
	}
	if err := net.stations[0].SetPolicyCriteria(ctx, p.ID, Criteria{MinAge: -3}); ErrorKind(err) != KindInvalid {
		t.Fatalf("bad criteria: %v", err)
	}
}

// TestCriteriaInBundleSameListsBothSides: the bureau's criteria travel down;
// the station's residents and visits travel up; both sides then give the
// same lists. Criteria the program would refuse typed are refused in a
// bundle, whole.
func TestCriteriaInBundleSameListsBothSides(t *testing.T) {
	atDay(t, "2026-11-17")
	ctx := context.Background()
	net := newSyncNet(t, 1)
	bp := &Policy{Title: "困难老人补贴", Category: "其他", Body: "正文"}
	if err := net.bureau.AddPolicy(ctx, bp); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.SetPolicyCriteria(ctx, bp.ID, Criteria{MinAge: 60, AnyOf: []string{"低保", "特困"}}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, net.stations[0], net.down(0), "imported")
	st := net.stations[0]
	f := newReachFixture(t, st)
	f.visit(t, "张桂兰", "2026-11-11", []string{"其他"}, []string{bp.ID}, nil)
	mustImport(t, net.bureau, net.up(0), "imported")

	for _, side := range []*Store{st, net.bureau} {
		r, err := side.PolicyReach(ctx, bp.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Eligible != 2 || r.Told != 1 || names(r.People) != "张桂兰✓ 王秀英" {
			t.Fatalf("reach: %+v", r)
		}
	}
	for name, res := range f.res {
		a, err := st.ResidentPolicies(ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := net.bureau.ResidentPolicies(ctx, res.ID)
		if err != nil {
			t.Fatal(err)
		}
		if mustJSON(a) != mustJSON(b) {
			t.Fatalf("%s: station %s, bureau %s", name, mustJSON(a), mustJSON(b))
		}
	}
	a, err := st.Outreach(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := net.bureau.Outreach(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || mustJSON(a) != mustJSON(b) {
		t.Fatalf("outreach: station %s, bureau %s", mustJSON(a), mustJSON(b))
	}
	// Changed criteria arrive too.
	if err := net.bureau.SetPolicyCriteria(ctx, bp.ID, Criteria{MinAge: 80, AnyOf: []string{"低保", "特困"}}); err != nil {
		t.Fatal(err)
	}
	mustImport(t, st, net.down(0), "imported")
	if r, err := st.PolicyReach(ctx, bp.ID, ""); err != nil || names(r.People) != "张桂兰✓" {
		t.Fatalf("after the change: %+v %v", r, err)
	}

	// Criteria that typed input would refuse: the bundle is refused whole.
	if err := net.bureau.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE policies SET criteria = '{"min_age":-5}', updated_at = updated_at + 1 WHERE id = ?`, bp.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before := count(t, st, "SELECT count(*) FROM sync_changes")
	res, _ := st.ImportBundle(ctx, net.down(0))
	if res.Status != "refused" {
		t.Fatalf("bad criteria: %s %s", res.Status, res.Message)
	}
	if c, err := st.PolicyCriteria(ctx, bp.ID); err != nil || c.MinAge != 80 {
		t.Fatalf("criteria after the refusal: %+v %v", c, err)
	}
	if after := count(t, st, "SELECT count(*) FROM sync_changes"); after != before {
		t.Fatalf("a refused bundle changed the log: %d → %d", before, after)
	}
}

func TestPensionDueList(t *testing.T) {
	atDay(t, "2026-11-17")
	ctx := context.Background()
	f := newReachFixture(t, openStation(t))
	add := func(name, id string) {
		r := &Resident{Name: name, IDNumber: withCheck(id), Village: "柳树村", Address: "柳树村2组", Categories: []string{PensionCategory}}
		if err := f.st.AddResident(ctx, r, f.officer); err != nil {
			t.Fatal(err)
		}
		f.res[name] = r
	}
	add("赵德明", "43070219450202001")
	add("孙玉兰", "43070219460303002")
	add("周福生", "43070219470404003")
	// 赵德明: certified 2025-12-01, lapses 2026-12-01 (14 days left);
	// 孙玉兰: certified 2025-11-16, lapsed yesterday; 周福生: certified in June.
	atDay(t, "2025-12-01")
	f.visit(t, "赵德明", "2025-12-01", []string{ServicePensionCert}, nil, nil)
	f.visit(t, "孙玉兰", "2025-11-16", []string{ServicePensionCert, "其他"}, nil, nil)
	f.visit(t, "孙玉兰", "2025-11-30", []string{"其他"}, nil, nil)
	atDay(t, "2026-11-17")
	f.visit(t, "周福生", "2026-06-01", []string{ServicePensionCert}, nil, nil)

	list, err := f.st.PensionDueList(ctx, PensionDueWithin)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range list {
		got = append(got, d.Name+":"+d.LastCertified+":"+d.DueOn+":"+strconv.Itoa(d.DaysLeft))
	}
	want := []string{"陈满仓:::0", "孙玉兰:2025-11-16:2026-11-16:-1", "赵德明:2025-12-01:2026-12-01:14"}
	if !slices.Equal(got, want) {
		t.Fatalf("待认证 %v, want %v", got, want)
	}
	// With no lead time: only those without a certification in the last 12 months.
	if list, err := f.st.PensionDueList(ctx, 0); err != nil || len(list) != 2 {
		t.Fatalf("lapsed only: %v %v", list, err)
	}
}

func TestNaturalCompare(t *testing.T) {
	in := []string{"桃花村12组3号", "桃花村3组20号", "桃花村3组8号", "柳树村1组", "桃花村03组9号"}
	slices.SortFunc(in, naturalCompare)
	want := []string{"柳树村1组", "桃花村3组8号", "桃花村03组9号", "桃花村3组20号", "桃花村12组3号"}
	if !slices.Equal(in, want) {
		t.Fatalf("%v", in)
	}
}

// TestReachByStation: at the bureau, each station's share of possibly
// eligible residents told, from what arrived in bundles, agrees with what
// each station sees; the monthly report carries it.
func TestReachByStation(t *testing.T) {
	atDay(t, "2026-11-17")
	ctx := context.Background()
	net := newSyncNet(t, 2)
	bp := &Policy{Title: "困难老人补贴（区）", Category: "其他", Body: "正文"}
	if err := net.bureau.AddPolicy(ctx, bp); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.SetPolicyCriteria(ctx, bp.ID, Criteria{MinAge: 60, AnyOf: []string{"低保", "特困"}}); err != nil {
		t.Fatal(err)
	}
	var local string
	ids := []string{"43070219500312002", "43070219550505001", "43070219400101002", "43070219520606003", "43070219450202001"}
	for i, st := range net.stations {
		mustImport(t, st, net.down(i), "imported")
		o := &Officer{Name: "刘建国", Role: "服务小分队队员"}
		if err := st.AddOfficer(ctx, o); err != nil {
			t.Fatal(err)
		}
		// Station 0: three eligible, one told; station 1: two eligible, none told.
		for k := 0; k < 3-i; k++ {
			r := &Resident{Name: "居民", IDNumber: withCheck(ids[k+2*i][:14] + strconv.Itoa(100+i*10+k)), Village: "桃花村", Categories: []string{"特困"}}
			if err := st.AddResident(ctx, r, o.ID); err != nil {
				t.Fatal(err)
			}
			if i == 0 && k == 0 {
				v := &Visit{Date: "2026-11-10", ResidentID: r.ID, OfficerIDs: []string{o.ID}, Services: []string{"其他"}}
				if err := st.AddVisit(ctx, v, []VisitCard{{PolicyID: bp.ID, Count: 1}}, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		if i == 0 {
			// A local policy of station 0: for its own residents only, even at the bureau.
			lp := &Policy{Title: "本镇特困慰问", Category: "其他", Body: "正文"}
			if err := st.AddPolicy(ctx, lp); err != nil {
				t.Fatal(err)
			}
			if err := st.SetPolicyCriteria(ctx, lp.ID, Criteria{AnyOf: []string{"特困"}}); err != nil {
				t.Fatal(err)
			}
			local = lp.ID
		}
		mustImport(t, net.bureau, net.up(i), "imported")
	}
	if r, err := net.bureau.PolicyReach(ctx, local, ""); err != nil || r.Eligible != 3 {
		t.Fatalf("a station's local policy at the bureau reaches %+v %v", r, err)
	}
	var other string
	net.bureau.Read().QueryRow(`SELECT id FROM residents WHERE origin = ?`, net.codes[1]).Scan(&other)
	if rp, err := net.bureau.ResidentPolicies(ctx, other); err != nil || len(rp.Untold) != 1 || rp.Untold[0].ID != bp.ID {
		t.Fatalf("station 1's resident at the bureau: %+v %v", rp, err)
	}
	out, err := net.bureau.Outreach(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out {
		for _, p := range e.Policies {
			if p.ID == local && e.ResidentID == other {
				t.Fatal("station 0's local policy listed for station 1's resident")
			}
		}
	}
	list, err := net.bureau.ReachByStation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].PolicyID != bp.ID || len(list[0].Stations) != 2 {
		t.Fatalf("reach by station: %+v", list)
	}
	for i, st := range net.stations {
		here, err := st.PolicyReach(ctx, bp.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		got := list[0].Stations[i]
		if got.Code != net.codes[i] || got.Eligible != here.Eligible || got.Told != here.Told {
			t.Fatalf("station %d: bureau %+v, station %d/%d", i, got, here.Eligible, here.Told)
		}
	}
	if all := list[0].All; all.Eligible != 5 || all.Told != 1 || all.ShareText() != "20.0%" {
		t.Fatalf("all: %+v %s", all, all.ShareText())
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "月报.xlsx")
	if _, err := net.bureau.SaveMonthlyXLSX(ctx, "2026-11", clock(), xlsx); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(reachSheet)
	if err != nil || len(rows) != 3+3 {
		t.Fatalf("政策找人 sheet: %v %v", rows, err)
	}
	if strings.Join(rows[2], ",") != strings.Join(reachHeaders, ",") || rows[5][2] != ReportTotalLabel || rows[5][3] != "5" || rows[5][4] != "1" || rows[5][5] != "20.0%" {
		t.Fatalf("政策找人 rows: %v", rows)
	}
	pdf := filepath.Join(dir, "月报.pdf")
	if _, err := net.bureau.SaveMonthlyPDF(ctx, "2026-11", clock(), pdf); err != nil {
		t.Fatal(err)
	}
	if look := os.Getenv("STATIONDESK_LOOK"); look != "" {
		exec.Command("pdftoppm", "-png", "-r", "60", pdf, filepath.Join(look, "report")).Run()
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "政策找人") || !strings.Contains(text, "困难老人补贴（区）") || !strings.Contains(text, "20.0%") {
		t.Fatalf("PDF:\n%s", text)
	}
}

func TestExplainedPoliciesChecked(t *testing.T) {
	atDay(t, "2026-11-17")
	f := newReachFixture(t, openStation(t))
	v := &Visit{Date: "2026-11-17", ResidentID: f.res["王秀英"].ID, OfficerIDs: []string{f.officer}, Services: []string{"其他"}, PoliciesExplained: []string{NewID()}}
	if err := f.st.AddVisit(context.Background(), v, nil, nil); ErrorKind(err) != KindInvalid || !strings.Contains(err.Error(), "policies_explained") {
		t.Fatalf("an unknown policy explained: %v", err)
	}
	var many []string
	for i := 0; i <= maxExplained; i++ {
		many = append(many, NewID())
	}
	v.PoliciesExplained = many
	if err := v.Validate(); ErrorKind(err) != KindInvalid {
		t.Fatalf("%d policies explained on one visit: %v", len(many), err)
	}
	if n := count(t, f.st, "SELECT count(*) FROM visits"); n != 0 {
		t.Fatalf("%d visits stored", n)
	}
}
