package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPolicyCardPDF(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	if err := st.AddOfficer(ctx, &Officer{Name: "王建国", Role: "站长", Phone: "13812345678"}); err != nil {
		t.Fatal(err)
	}
	p := Policy{Title: "关于做好城乡居民基本养老保险待遇领取资格认证工作的通知", DocNo: "武人社发〔2014〕30号",
		Category: "养老保险", Effective: "2014-10-01", Summary: "领取城乡居民基本养老保险待遇的人员每年进行一次领取资格认证，行动不便的可申请上门认证。"}
	if err := st.AddPolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	one := filepath.Join(dir, "card.pdf")
	if err := st.PolicyCardsPDF(ctx, []string{p.ID}, CardLayout{}, one); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, one)), "")
	for _, want := range []string{"关于做好城乡居民基本养老保险", "武人社发〔2014〕30号", "2014-10-01", "示例镇劳动保障站", "13812345678", "资格认证"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q: %s", want, text)
		}
	}
	if info, _ := os.ReadFile(one); !strings.Contains(string(info), "/MediaBox [0 0 297.64 419.53]") && !strings.Contains(string(info), "297.6") {
		t.Errorf("card is not A6")
	}
	// Several per A4 sheet: five cards make two pages.
	ids := []string{p.ID, p.ID, p.ID, p.ID, p.ID}
	sheet := filepath.Join(dir, "sheet.pdf")
	if err := st.PolicyCardsPDF(ctx, ids, CardLayout{Sheet: true}, sheet); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(pdfText(t, sheet), "政策卡片"); n != 5 {
		t.Errorf("sheet has %d cards", n)
	}
	if err := st.PolicyCardsPDF(ctx, []string{"nope"}, CardLayout{}, one); ErrorKind(err) != KindNotFound {
		t.Errorf("missing policy: %v", err)
	}
}

func TestCardHandoutTotals(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	old := clock
	clock = func() time.Time { return time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local) }
	t.Cleanup(func() { clock = old })
	a, b := Policy{Title: "甲政策"}, Policy{Title: "乙政策"}
	st.AddPolicy(ctx, &a)
	st.AddPolicy(ctx, &b)
	for _, h := range []CardHandout{
		{PolicyID: a.ID, Count: 5, HandedOn: "2026-11-02", Place: "窗口"},
		{PolicyID: a.ID, Count: 30, HandedOn: "2026-11-10", Place: "村民会议"},
		{PolicyID: a.ID, Count: 2, HandedOn: "2026-10-31", Place: "上门服务"},
		{PolicyID: b.ID, Count: 7, HandedOn: "2026-11-17", Place: "窗口"},
		{PolicyID: b.ID, Count: 1, HandedOn: "2025-11-17", Place: "窗口"},
	} {
		if err := st.RecordHandout(ctx, &h); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []CardHandout{
		{PolicyID: a.ID, Count: 0, HandedOn: "2026-11-02", Place: "窗口"},
		{PolicyID: a.ID, Count: 1, HandedOn: "2026-11-18", Place: "窗口"},
		{PolicyID: a.ID, Count: 1, HandedOn: "2026-11-02", Place: "火星"},
		{PolicyID: a.ID, Count: 1, HandedOn: "昨天", Place: "窗口"},
	} {
		if err := st.RecordHandout(ctx, &bad); ErrorKind(err) != KindInvalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if err := st.RecordHandout(ctx, &CardHandout{PolicyID: "nope", Count: 1, HandedOn: "2026-11-02", Place: "窗口"}); ErrorKind(err) != KindNotFound {
		t.Errorf("unknown policy: %v", err)
	}
	months, err := st.HandoutsByMonth(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		m     string
		cards int
	}{{"2026-11", 42}, {"2026-10", 2}, {"2025-11", 1}}
	if len(months) != len(want) {
		t.Fatalf("months %+v", months)
	}
	for i, w := range want {
		if months[i].Key != w.m || months[i].Cards != w.cards {
			t.Errorf("month %d: %+v, want %v", i, months[i], w)
		}
	}
	if months[0].ByPlace["村民会议"] != 30 || months[0].Times != 3 {
		t.Errorf("by place %+v", months[0])
	}
	am, _ := st.HandoutsByMonth(ctx, a.ID)
	if len(am) != 2 || am[0].Cards != 35 || am[1].Cards != 2 {
		t.Errorf("policy a by month %+v", am)
	}
	per, _ := st.HandoutsByPolicy(ctx, "2026-11-01", "2026-11-30")
	if len(per) != 2 || per[0].Key != a.ID || per[0].Cards != 35 || per[0].Title != "甲政策" || per[1].Cards != 7 {
		t.Errorf("per policy %+v", per)
	}
	sum, _ := st.HandoutSummaryFor(ctx, "", clock())
	if sum.Total != 45 || sum.ThisMonth != 42 || sum.Policies != 2 || sum.ByPlace["窗口"] != 12 {
		t.Errorf("summary %+v", sum)
	}
	sa, _ := st.HandoutSummaryFor(ctx, a.ID, clock())
	if sa.Total != 37 || sa.ThisMonth != 35 || sa.Policies != 1 {
		t.Errorf("summary a %+v", sa)
	}
	list, _ := st.Handouts(ctx, a.ID, 0)
	if len(list) != 3 || list[0].HandedOn != "2026-11-10" {
		t.Errorf("list %+v", list)
	}
}

func TestServiceGuides(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	counts, err := runDemo(ctx, st, DemoOptions{Policies: 20, Seed: 3, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)})
	if err != nil {
		t.Fatal(err)
	}
	gs, err := st.ServiceGuides(ctx)
	if err != nil || len(gs) == 0 || len(gs) != counts["service_guides"] {
		t.Fatalf("%d guides, %v", len(gs), err)
	}
	g := gs[0]
	if len(g.Steps) < 3 || g.Officer == "" || g.Phone == "" || len(g.Materials) == 0 {
		t.Fatalf("guide %+v", g)
	}
	g.Steps = append(g.Steps, GuideStep{Name: "归档", Detail: "材料归档"}, GuideStep{Name: " "})
	if err := st.SaveServiceGuide(ctx, &g); err != nil {
		t.Fatal(err)
	}
	got, _ := st.ServiceGuide(ctx, g.ID)
	if got.Steps[len(got.Steps)-1].Name != "归档" {
		t.Fatalf("steps %+v", got.Steps)
	}
	if err := st.SaveServiceGuide(ctx, &ServiceGuide{Matter: "无步骤"}); ErrorKind(err) != KindInvalid {
		t.Fatalf("no steps: %v", err)
	}
	path := filepath.Join(t.TempDir(), "guide.pdf")
	if err := st.ServiceGuidePDF(ctx, g.ID, path); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, path)), "")
	for _, want := range []string{g.Matter, "办事流程图", g.Steps[0].Name, "归档", "所需材料", g.Materials[0], "办理时限", g.TimeLimit, g.Officer} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("guide pdf lacks %q", want)
		}
	}
}
