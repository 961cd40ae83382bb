package data

import (
	"context"
	"testing"
	"time"
)

// benchReach is a demo station of 4,000 residents and 2,000 policies (the
// demo gives criteria to about one in six) for the benchmarks of 政策找人;
// make bench measures the full 20,000 × 10,000 (bench/reach.go).
func benchReach(b *testing.B) (*Store, []string, []string) {
	b.Helper()
	st := openStation(b)
	if _, err := runDemo(context.Background(), st, DemoOptions{Residents: 4000, Visits: 20000, Policies: 2000, Seed: 7, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		b.Fatal(err)
	}
	col := func(q string) []string {
		rows, err := st.Read().Query(q)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			out = append(out, id)
		}
		return out
	}
	return st, col(`SELECT id FROM residents ORDER BY id`), col(`SELECT id FROM policies WHERE criteria != '' AND status = '现行有效' AND expires = '' ORDER BY id`)
}

func BenchmarkResidentPolicies(b *testing.B) {
	st, residents, _ := benchReach(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := st.ResidentPolicies(ctx, residents[i%len(residents)]); err != nil {
			b.Fatal(err)
		}
		i += 37
	}
}

func BenchmarkPolicyReach(b *testing.B) {
	st, _, policies := benchReach(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := st.PolicyReach(ctx, policies[i%len(policies)], ""); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
