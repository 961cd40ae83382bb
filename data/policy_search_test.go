package data

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"stationdesk/data/store"
)

// bruteForce is the reference: every folded term is in one folded field.
func bruteForce(ps []Policy, query string) []string {
	terms := strings.Fields(store.FoldSearch(query))
	var out []string
	for _, p := range ps {
		fields := append([]string{p.Title, p.DocNo, p.Summary, p.Body}, p.Tags...)
		ok := true
		for _, t := range terms {
			found := false
			for _, f := range fields {
				if strings.Contains(store.FoldSearch(f), t) {
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p.ID)
		}
	}
	sort.Strings(out)
	return out
}

func allPolicies(t testing.TB, st *Store) []Policy {
	t.Helper()
	rows, err := st.Read().QueryContext(context.Background(), "SELECT "+policyColumns+" FROM policies WHERE deleted = 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func searchIDs(t testing.TB, st *Store, q PolicyQuery) []string {
	t.Helper()
	q.Limit = 100000
	hits, err := st.SearchPolicies(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	sort.Strings(ids)
	return ids
}

// searchCorpus is the samples, a few hand-made traps and demo policies.
func searchCorpus(t testing.TB) *Store {
	st := openStation(t)
	ctx := context.Background()
	if _, err := st.ImportPolicies(ctx, "testdata/policy"); err != nil {
		t.Fatal(err)
	}
	traps := []Policy{
		{Title: "甲乙，乙丙", Body: "两段之间有标点"},                       // 甲乙丙 must not match across the comma
		{Title: "全角 ＡＢＣ１２３ 测试", Body: "Mixed Case Text 10% 上调"}, // full width folds to abc123
		{Title: "医", Body: "单字标题"},
		{Title: "保险", Tags: []string{"医保", "社保卡"}, Body: "标签里才有医保"},
		{Title: "文号在正文", Body: "依据湘人社发〔2014〕210号文件办理。"},
		{Title: "档 案 分开", Body: "档，案"},
		{Title: "被删除的医保政策", Body: "删除后不应出现"},
	}
	for i := range traps {
		if err := st.AddPolicy(ctx, &traps[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.DeletePolicy(ctx, traps[len(traps)-1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := runDemo(ctx, st, DemoOptions{Policies: 300, Seed: 7, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	return st
}

var searchQueries = []string{
	// one character
	"医", "保", "档", "号", "2", "〔", "a",
	// two characters
	"医保", "档案", "认证", "社保", "外借", "21", "14", "卡片", "乙丙",
	// more
	"资格认证", "城乡居民", "定点医疗机构", "劳动保障站", "甲乙丙", "abc123", "ＡＢＣ", "mixed case", "10%",
	// 文号 fragments
	"2014", "〔2014〕21", "〔2014〕", "21号", "武人社发", "〔2014〕210号", "发〔2014〕2", "湘人社发〔2014〕",
	// AND of terms
	"医保 住院", "档案 台账", "2014 认证", "医保 2014", "养老 认证 通知", "档 案", "医保 不存在的词",
	// nothing
	"不存在的词", "删除后不应出现",
}

func TestPolicySearchMatchesBruteForce(t *testing.T) {
	st := searchCorpus(t)
	corpus := allPolicies(t, st)
	for _, q := range searchQueries {
		want := bruteForce(corpus, q)
		got := searchIDs(t, st, PolicyQuery{Text: q})
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %d hits, want %d (missing %v, extra %v)", q, len(got), len(want), diff(want, got), diff(got, want))
		}
	}
	// The corpus must exercise both: queries with many hits and with few.
	if n := len(bruteForce(corpus, "医保")); n < 5 {
		t.Fatalf("corpus too small: 医保 has %d", n)
	}
	if n := len(bruteForce(corpus, "甲乙丙")); n != 0 {
		t.Fatalf("trap broken: %d", n)
	}
}

func TestPolicySearchRandomSubstrings(t *testing.T) {
	st := searchCorpus(t)
	corpus := allPolicies(t, st)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		p := corpus[rng.IntN(len(corpus))]
		rs := []rune(p.Title + "，" + p.DocNo + "。" + p.Body)
		n := 1 + rng.IntN(5)
		if i%2 == 1 {
			// 文号 fragments with punctuation inside: 〔2014〕2, 发〔20…
			rs, n = []rune(p.DocNo), 2+rng.IntN(7)
		}
		if len(rs) <= n {
			continue
		}
		at := rng.IntN(len(rs) - n)
		q := strings.TrimSpace(string(rs[at : at+n]))
		if q == "" {
			continue
		}
		want := bruteForce(corpus, q)
		got := searchIDs(t, st, PolicyQuery{Text: q})
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %d, want %d (missing %v, extra %v)", q, len(got), len(want), diff(want, got), diff(got, want))
		}
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	if len(out) > 3 {
		out = append(out[:3], "…")
	}
	return out
}

func TestPolicySearchRankingAndSnippet(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	body := strings.Repeat("档案管理要规范，档案要齐全。", 5)
	ps := []Policy{
		{Title: "正文多次提到", Body: body},
		{Title: "人事档案外借管理办法", Body: "外借要登记。"},
		{Title: "文号命中", DocNo: "档案发〔2020〕1号", Body: "无关"},
	}
	for i := range ps {
		if err := st.AddPolicy(ctx, &ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := st.SearchPolicies(ctx, PolicyQuery{Text: "档案"})
	if err != nil || len(hits) != 3 {
		t.Fatalf("%+v %v", hits, err)
	}
	if hits[2].ID != ps[0].ID {
		t.Fatalf("body-only hit ranked above title/文号 hits: %v, %v, %v", hits[0].Title, hits[1].Title, hits[2].Title)
	}
	h := hits[2]
	if len(h.Marks) == 0 || !strings.Contains(Highlight(h.Snippet, h.Marks, "[", "]"), "[档案]管理") {
		t.Fatalf("snippet %q marks %v", h.Snippet, h.Marks)
	}
	for _, hit := range hits {
		if hit.ID == ps[1].ID && (len(hit.TitleMarks) != 1 || hit.TitleMarks[0] != (Span{2, 4})) {
			t.Fatalf("title marks %v", hit.TitleMarks)
		}
	}
	// A long body: the snippet is a window around the first hit.
	long := Policy{Title: "长文", Body: strings.Repeat("无关的文字。", 100) + "这里讲资格认证的办法。" + strings.Repeat("其他。", 50)}
	if err := st.AddPolicy(ctx, &long); err != nil {
		t.Fatal(err)
	}
	hits, _ = st.SearchPolicies(ctx, PolicyQuery{Text: "资格认证"})
	if len(hits) != 1 || !strings.HasPrefix(hits[0].Snippet, "…") || !strings.Contains(Highlight(hits[0].Snippet, hits[0].Marks, "【", "】"), "讲【资格认证】的") {
		t.Fatalf("%+v", hits)
	}
}

func TestPolicySearchFilters(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	ps := []Policy{
		{Title: "医保甲", Category: "医疗保险", Effective: "2014-01-01"},
		{Title: "医保乙", Category: "医疗保险", Effective: "2015-01-01", Status: PolicyRepealed},
		{Title: "医保丙", Category: "社保卡", Effective: "2014-06-01"},
	}
	for i := range ps {
		if err := st.AddPolicy(ctx, &ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q    PolicyQuery
		want int
	}{
		{PolicyQuery{Text: "医保"}, 3},
		{PolicyQuery{Text: "医保", Category: "医疗保险"}, 2},
		{PolicyQuery{Text: "医保", Status: PolicyRepealed}, 1},
		{PolicyQuery{Text: "医保", Year: 2014}, 2},
		{PolicyQuery{Year: 2014, Category: "社保卡"}, 1},
		{PolicyQuery{Text: "〔", Year: 2015}, 0},
		{PolicyQuery{Text: "医保", Limit: 2}, 2},
	} {
		hits, err := st.SearchPolicies(ctx, c.q)
		if err != nil || len(hits) != c.want {
			t.Errorf("%+v: %d hits (%v), want %d", c.q, len(hits), err, c.want)
		}
	}
	years, _ := st.PolicyYears(ctx)
	if !slices.Equal(years, []int{2015, 2014}) {
		t.Fatalf("years %v", years)
	}
}

func TestPolicySearchIndexFollowsChanges(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	p := Policy{Title: "失业保险金申领", Body: "到窗口办理"}
	if err := st.AddPolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		hits, err := st.SearchPolicies(ctx, PolicyQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	if count("窗口") != 1 {
		t.Fatal("not indexed")
	}
	p.Body, p.Summary = "上门办理", ""
	if err := st.UpdatePolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if count("窗口") != 0 || count("上门") != 1 {
		t.Fatal("update not indexed")
	}
	// A failed write leaves the index as it was (same transaction).
	err := st.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE policies SET body = '回滚的内容' WHERE id = ?", p.ID); err != nil {
			return err
		}
		return fmt.Errorf("abort")
	})
	if err == nil || count("回滚") != 0 || count("上门") != 1 {
		t.Fatal("rolled back change visible in the index")
	}
	if err := st.DeletePolicy(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if count("上门") != 0 || count("失业") != 0 {
		t.Fatal("deleted policy still found")
	}
}

// policyBody is a policy body of the demo's kind (data/demo's clauses).
const policyBody = "一、本办法适用于本区户籍参保人员和在本区就业的外来务工人员。\n" +
	"二、申请人持居民身份证、户口簿到户籍所在地乡镇（街道）劳动保障站提出申请。\n" +
	"三、行动不便的老年人、残疾人，可由服务小分队上门办理城乡居民基本养老保险。\n" +
	"四、经办机构应在受理之日起十五个工作日内审核办结，并将结果告知申请人。\n" +
	"五、符合条件的，待遇自申请次月起发放；不符合条件的，书面说明理由。\n" +
	"六、各乡镇劳动保障站要通过宣传栏、政策卡片和村民会议做好城乡居民基本养老保险的政策宣传。\n" +
	"七、对弄虚作假骗取待遇的，依法追回并记入社会保险信用档案。\n" +
	"八、城乡居民基本养老保险所需资金由社会保险基金和财政补助资金共同承担。\n" +
	"九、村（社区）协办员负责摸底排查，建立台账，每季度报送一次。\n" +
	"十、本通知自印发之日起施行，此前规定与本通知不一致的，以本通知为准。\n" +
	"十一、办理城乡居民基本养老保险不收取任何费用，群众可拨打12333咨询。\n" +
	"十二、医保经办大厅和社保卡服务网点实行延时服务和预约服务。\n" +
	"十三、档案材料应当真实、完整，经办人员须逐份登记、按月归档。\n" +
	"十四、异地居住人员可通过电子社保卡或手机应用完成认证和备案。\n" +
	"十五、对高龄、独居、失能老人，每年至少上门走访一次。\n" +
	"十六、补贴标准根据上年度全区城镇居民人均可支配收入适时调整。\n"

func BenchmarkSearchTokens(b *testing.B) {
	p := policyBody
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		store.SearchTokens(p)
	}
}

// BenchmarkPolicySearch searches 10,000 demo policies with a mix of 1–4
// character queries and reports the median and p99 latency.
func BenchmarkPolicySearch(b *testing.B) {
	st := openDemo(b, DemoOptions{Policies: 10000, Seed: 1, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)})
	ctx := context.Background()
	queries := []string{"保", "医", "档", "卡", "证", "医保", "档案", "认证", "社保", "失业", "工伤", "就业", "2014", "21号",
		"资格认证", "养老保险", "社保卡", "定点医疗", "创业担保", "〔2018〕", "医保 报销", "档案 外借", "异地就医", "劳动合同"}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		if _, err := st.SearchPolicies(ctx, PolicyQuery{Text: q, Limit: 50}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		b.ReportMetric(float64(times[min(len(times)-1, len(times)*99/100)].Microseconds())/1000, "p99-ms")
	}
}

func TestPolicySearchIndexSurvivesReplace(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	p := Policy{Title: "社保卡补换", Body: "旧内容"}
	if err := st.AddPolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	// A writer that replaces whole rows (as an importer might) keeps the index right.
	err := st.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO policies(id, origin, created_at, updated_at, title, body) VALUES (?, '', 1, 2, '社保卡补换', '新内容')`, p.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"旧内容": 0, "新内容": 1, "补换": 1} {
		if got := len(searchIDs(t, st, PolicyQuery{Text: q})); got != want {
			t.Errorf("%q: %d hits, want %d", q, got, want)
		}
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
