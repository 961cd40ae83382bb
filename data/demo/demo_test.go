package demo

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/store"
)

func openStore(t *testing.T) *data.Store {
	t.Helper()
	st, err := data.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestDemoIsDeterministic(t *testing.T) {
	until := time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)
	dump := func(seed uint64) []string {
		st := openStore(t)
		counts, err := Run(context.Background(), st, Options{Residents: 50, Visits: 120, Policies: 20, Seed: seed, Until: until})
		if err != nil {
			t.Fatal(err)
		}
		if counts["residents"] != 50 || counts["visits"] != 120 || counts["policies"] != 20 {
			t.Fatalf("counts %v", counts)
		}
		var out []string
		for _, k := range data.Kinds() {
			rows, err := st.Read().Query("SELECT * FROM " + k.Table + " ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				rows.Scan(ptrs...)
				out = append(out, k.Table+":"+fmtRow(vals))
			}
			rows.Close()
		}
		return out
	}
	a, b, c := dump(7), dump(7), dump(8)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("row counts differ: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different row %d:\n%s\n%s", i, a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if i < len(c) && a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("different seeds gave identical data")
	}
}

func fmtRow(vals []any) string {
	var buf strings.Builder
	for _, v := range vals {
		switch x := v.(type) {
		case []byte:
			buf.Write(x)
		default:
			buf.WriteString(store.SQLQuote(fmt.Sprint(x)))
		}
		buf.WriteByte('|')
	}
	return buf.String()
}

func TestDemoHasAMovedStudyDay(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if _, err := Run(ctx, st, Default(day("2026-11-17"))); err != nil {
		t.Fatal(err)
	}
	days, err := st.StudyCalendar(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if !days[1].Moved() || days[1].Date.Format(time.DateOnly) != "2026-02-27" || days[1].TrainingID == "" {
		t.Fatalf("February 2026 = %+v", days[1])
	}
	next, err := st.NextStudyDay(ctx, day("2026-11-17"))
	if err != nil || next.Date.Format(time.DateOnly) != "2026-11-20" {
		t.Fatalf("next = %+v, %v", next, err)
	}
}
