package data

import (
	"strings"
	"testing"
)

func TestCriteriaMatch(t *testing.T) {
	// Visits: w1 had a certification on 2026-01-10, w2 on 2025-11-17.
	lastCert := map[string]string{"w1": "2026-01-10", "w2": "2025-11-17"}
	last := func(id, service string) string {
		if service == ServicePensionCert {
			return lastCert[id]
		}
		return ""
	}
	person := func(id, birth, gender, village string, cats ...string) reachPerson {
		return reachPerson{ID: id, birth: dateNumber(birth), Gender: gender, Village: village, cats: cats}
	}
	for _, tc := range []struct {
		name  string
		c     Criteria
		p     reachPerson
		today string
		want  bool
	}{
		// Ages on the boundary days: 60 on the 60th birthday, not the day before.
		{"60 on the birthday", Criteria{MinAge: 60}, person("a", "1966-11-17", "男", "桃花村"), "2026-11-17", true},
		{"59 the day before", Criteria{MinAge: 60}, person("a", "1966-11-17", "男", "桃花村"), "2026-11-16", false},
		{"max 69 still on the day before 70", Criteria{MinAge: 60, MaxAge: 69}, person("a", "1956-11-18", "男", "桃花村"), "2026-11-17", true},
		{"70 on the birthday is over 69", Criteria{MinAge: 60, MaxAge: 69}, person("a", "1956-11-17", "男", "桃花村"), "2026-11-17", false},
		{"max only", Criteria{MaxAge: 16}, person("a", "2010-01-01", "女", "桃花村"), "2026-11-17", true},
		// Born 29 February: a year older on 1 March in common years, on 29 February in leap years.
		{"leap birth, common year, 28 Feb", Criteria{MinAge: 60}, person("a", "1964-02-29", "男", "桃花村"), "2024-02-28", false},
		{"leap birth, leap year, 29 Feb", Criteria{MinAge: 60}, person("a", "1964-02-29", "男", "桃花村"), "2024-02-29", true},
		{"leap birth, common year, 28 Feb (61)", Criteria{MinAge: 61}, person("a", "1964-02-29", "男", "桃花村"), "2025-02-28", false},
		{"leap birth, common year, 1 Mar (61)", Criteria{MinAge: 61}, person("a", "1964-02-29", "男", "桃花村"), "2025-03-01", true},
		// A reference date fixes the day the age is reckoned on.
		{"age on a reference date", Criteria{MinAge: 60, AgeOn: "2026-12-31"}, person("a", "1966-12-31", "男", "桃花村"), "2026-06-01", true},
		{"age on a reference date, a day short", Criteria{MinAge: 60, AgeOn: "2026-12-30"}, person("a", "1966-12-31", "男", "桃花村"), "2027-06-01", false},
		{"no birth date, no age", Criteria{MinAge: 60}, person("a", "", "男", "桃花村"), "2026-11-17", false},
		// Gender and village.
		{"gender", Criteria{Gender: "女"}, person("a", "1950-01-01", "男", "桃花村"), "2026-11-17", false},
		{"gender ok", Criteria{Gender: "女"}, person("a", "1950-01-01", "女", "桃花村"), "2026-11-17", true},
		{"village", Criteria{Villages: []string{"柳树村", "石门村"}}, person("a", "1950-01-01", "女", "桃花村"), "2026-11-17", false},
		{"village ok", Criteria{Villages: []string{"柳树村", "桃花村"}}, person("a", "1950-01-01", "女", "桃花村"), "2026-11-17", true},
		// Categories: any of, all of, both.
		{"any of: one", Criteria{AnyOf: []string{"低保", "特困"}}, person("a", "1950-01-01", "女", "桃花村", "特困"), "2026-11-17", true},
		{"any of: none", Criteria{AnyOf: []string{"低保", "特困"}}, person("a", "1950-01-01", "女", "桃花村", "高龄", "独居"), "2026-11-17", false},
		{"all of: all", Criteria{AllOf: []string{"高龄", "独居"}}, person("a", "1950-01-01", "女", "桃花村", "独居", "残疾", "高龄"), "2026-11-17", true},
		{"all of: one missing", Criteria{AllOf: []string{"高龄", "独居"}}, person("a", "1950-01-01", "女", "桃花村", "高龄"), "2026-11-17", false},
		{"any and all", Criteria{AnyOf: []string{"低保", "特困"}, AllOf: []string{"失能"}}, person("a", "1950-01-01", "女", "桃花村", "失能", "低保"), "2026-11-17", true},
		{"any and all, any missing", Criteria{AnyOf: []string{"低保", "特困"}, AllOf: []string{"失能"}}, person("a", "1950-01-01", "女", "桃花村", "失能"), "2026-11-17", false},
		// Intervals: "no visit with the service within N days"; a visit N days ago lies outside.
		{"never visited", Criteria{NoVisit: ServicePensionCert, NoVisitDays: 365}, person("w0", "1950-01-01", "女", "桃花村"), "2026-11-17", true},
		{"visited within", Criteria{NoVisit: ServicePensionCert, NoVisitDays: 365}, person("w1", "1950-01-01", "女", "桃花村"), "2026-11-17", false},
		{"visited exactly N days ago", Criteria{NoVisit: ServicePensionCert, NoVisitDays: 365}, person("w2", "1950-01-01", "女", "桃花村"), "2026-11-17", true},
		{"visited N-1 days ago", Criteria{NoVisit: ServicePensionCert, NoVisitDays: 365}, person("w2", "1950-01-01", "女", "桃花村"), "2026-11-16", false},
		{"another service does not count", Criteria{NoVisit: "医保报销代办", NoVisitDays: 30}, person("w1", "1950-01-01", "女", "桃花村"), "2026-01-11", true},
		// No criteria: the policy targets nobody in particular.
		{"no criteria", Criteria{}, person("a", "1950-01-01", "女", "桃花村"), "2026-11-17", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			if err := c.Validate(); err != nil {
				t.Fatalf("validate: %v", err)
			}
			if got := c.match(&tc.p, dateNumber(tc.today), tc.today, last); got != tc.want {
				t.Fatalf("match on %s = %v, want %v", tc.today, got, tc.want)
			}
		})
	}
}

func TestCriteriaSentence(t *testing.T) {
	for _, tc := range []struct {
		c    Criteria
		want string
	}{
		{Criteria{MinAge: 60, AnyOf: []string{"低保", "特困"}}, "年满 60 周岁、属于低保或特困的本乡居民"},
		{Criteria{MinAge: 60, MaxAge: 69, Gender: "女", Villages: []string{"桃花村", "柳树村"}}, "60 至 69 周岁的桃花村、柳树村女性居民"},
		{Criteria{MaxAge: 16, AgeOn: "2026-09-01"}, "不超过 16 周岁（按 2026-09-01 计）的本乡居民"},
		{Criteria{AllOf: []string{"高龄", "独居"}}, "同时属于高龄和独居的本乡居民"},
		{Criteria{AllOf: []string{"失能"}}, "属于失能的本乡居民"},
		{Criteria{AnyOf: []string{PensionCategory}, NoVisit: ServicePensionCert, NoVisitDays: 365}, "属于养老金领取、近 365 天未办理养老金领取资格认证的本乡居民"},
		{Criteria{Gender: "男"}, "本乡男性居民"},
		{Criteria{}, ""},
	} {
		c := tc.c
		if err := c.Validate(); err != nil {
			t.Fatalf("%+v: %v", tc.c, err)
		}
		if got := c.Sentence(); got != tc.want {
			t.Errorf("%+v: sentence %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestCriteriaRefused(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		field string
	}{
		{`{"min_age":-1}`, "min_age"},
		{`{"max_age":151}`, "max_age"},
		{`{"min_age":70,"max_age":60}`, "max_age"},
		{`{"gender":"未知"}`, "gender"},
		{`{"min_age":60,"age_on":"1990-01-01"}`, "age_on"},
		{`{"min_age":60,"age_on":"明天"}`, "age_on"},
		{`{"any_of":["` + strings.Repeat("长", 21) + `"]}`, "any_of"},
		{`{"all_of":["高龄\n独居"]}`, "all_of"},
		{`{"villages":["桃花村\u202e"]}`, "villages"},
		{`{"no_visit":"养老金领取资格认证"}`, "no_visit_days"},
		{`{"no_visit":"养老金领取资格认证","no_visit_days":3651}`, "no_visit_days"},
		{`{"no_visit_days":30}`, "no_visit"},
		{`{"min_age":60,"path":"../x"}`, "criteria"},
		{`{"min_age":60}{"min_age":1}`, "criteria"},
		{`[1,2]`, "criteria"},
		{`{"min_age":"60"}`, "criteria"},
		{`{"any_of":["` + strings.Repeat(`a","`, 9000) + `"]}`, "criteria"},
	} {
		_, err := ParseCriteria(tc.raw)
		if err == nil {
			t.Errorf("%.60s: accepted", tc.raw)
			continue
		}
		if e, ok := err.(*Error); !ok || e.Kind != KindInvalid || e.Field != tc.field {
			t.Errorf("%.60s: %v, want invalid %s", tc.raw, err, tc.field)
		}
	}
	c, err := ParseCriteria(`{"min_age":60,"any_of":[" 低保","特困","低保"],"gender":" 女 "}`)
	if err != nil {
		t.Fatal(err)
	}
	if c.Gender != "女" || strings.Join(c.AnyOf, ",") != "低保,特困" {
		t.Fatalf("not normalised: %+v", c)
	}
	if c.Encode() != `{"min_age":60,"gender":"女","any_of":["低保","特困"]}` {
		t.Fatalf("encode: %s", c.Encode())
	}
}

func FuzzParseCriteria(f *testing.F) {
	f.Add(`{"min_age":60,"any_of":["低保","特困"]}`)
	f.Add(`{"no_visit":"养老金领取资格认证","no_visit_days":365,"villages":["桃花村"]}`)
	f.Add(`{"max_age":16,"age_on":"2026-09-01","gender":"女","all_of":["高龄"]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseCriteria(raw)
		if err != nil {
			return
		}
		// What was accepted encodes to a form accepted again, unchanged.
		again, err := ParseCriteria(c.Encode())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", c.Encode(), err)
		}
		if again.Encode() != c.Encode() || again.Sentence() != c.Sentence() {
			t.Fatalf("round trip changed %q to %q", c.Encode(), again.Encode())
		}
	})
}
