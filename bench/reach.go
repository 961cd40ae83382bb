package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"slices"
	"time"

	"stationdesk/data"
)

// reachOnly, when set, names a station's data folder (e.g. one made by
// `stationctl demo`) on which only the 政策找人 figures are measured.
var reachOnly = flag.String("reach-only", "", "measure only the policy-reach figures on this data folder")

// measureReach times the lists of 政策找人 on the demo station: a
// resident's list (the resident page and the visit form) and a policy's
// reach (可能符合 N 人, 已告知 M 人), both worked out afresh on every call.
func measureReach(r *results, dir string) {
	ctx := context.Background()
	st := openStation(r, dir)
	if st == nil {
		return
	}
	defer st.Close()
	residents, err := ids(ctx, st, `SELECT id FROM residents WHERE deleted = 0 ORDER BY id`)
	policies, err2 := ids(ctx, st, `SELECT id FROM policies WHERE criteria != '' AND deleted = 0 AND status = ? ORDER BY id`, data.PolicyCurrent)
	if err := cmp.Or(err, err2); err != nil || len(residents) == 0 || len(policies) == 0 {
		r.fail("policy reach: read the demo", fmt.Errorf("%v (%d residents, %d policies with criteria)", err, len(residents), len(policies)))
		return
	}
	timeEach := func(n int, fn func(i int) error) ([]time.Duration, error) {
		var ts []time.Duration
		for i := 0; i < n; i++ {
			t0 := time.Now()
			if err := fn(i); err != nil {
				return nil, err
			}
			ts = append(ts, time.Since(t0))
		}
		slices.Sort(ts)
		return ts, nil
	}
	var listed int
	ts, err := timeEach(200, func(i int) error {
		res, err := st.ResidentPolicies(ctx, residents[i*len(residents)/200])
		listed += len(res.Untold)
		return err
	})
	if err != nil {
		r.fail("policy reach: a resident's list", err)
		return
	}
	med, p95, worst := ts[len(ts)/2], ts[len(ts)*95/100], ts[len(ts)-1]
	note := fmt.Sprintf("%d policies with criteria; 200 residents, %.1f policies each to tell", len(policies), float64(listed)/200)
	r.add(Figure{Name: "policy reach: a resident's list, median", Value: ms(med), Unit: "ms", Target: "< 50 ms", OK: med < 50*time.Millisecond, Note: note})
	r.add(Figure{Name: "policy reach: a resident's list, p95", Value: ms(p95), Unit: "ms", Target: "< 50 ms", OK: p95 < 50*time.Millisecond,
		Note: fmt.Sprintf("slowest of 200: %.1f ms", ms(worst))})

	var eligible int
	n := min(60, len(policies))
	ts, err = timeEach(n, func(i int) error {
		rc, err := st.PolicyReach(ctx, policies[i*len(policies)/n], "")
		eligible += rc.Eligible
		return err
	})
	if err != nil {
		r.fail("policy reach: a policy's reach", err)
		return
	}
	med, worst = ts[len(ts)/2], ts[len(ts)-1]
	note = fmt.Sprintf("%d policies, %d residents possibly eligible each on average", n, eligible/n)
	r.add(Figure{Name: "policy reach: a policy's reach, median", Value: ms(med), Unit: "ms", Target: "< 200 ms", OK: med < 200*time.Millisecond, Note: note})
	r.add(Figure{Name: "policy reach: a policy's reach, slowest", Value: ms(worst), Unit: "ms", Target: "< 200 ms", OK: worst < 200*time.Millisecond})

	villages, err := st.Villages(ctx)
	if err != nil || len(villages) == 0 {
		r.fail("policy reach: villages", err)
		return
	}
	t0 := time.Now()
	list, err := st.Outreach(ctx, villages[0])
	if err != nil {
		r.fail("policy reach: outreach list", err)
		return
	}
	d := time.Since(t0)
	r.add(Figure{Name: "outreach list of one village", Value: ms(d), Unit: "ms", Target: "(no target)", OK: true,
		Note: fmt.Sprintf("%s: %d residents to visit", villages[0], len(list))})
	t0 = time.Now()
	due, err := st.PensionDueList(ctx, data.PensionDueWithin)
	if err != nil {
		r.fail("pension certification list", err)
		return
	}
	d = time.Since(t0)
	r.add(Figure{Name: "待认证 list (pension certification)", Value: ms(d), Unit: "ms", Target: "(no target)", OK: true,
		Note: fmt.Sprintf("%d residents due", len(due))})
}

// ids reads one column of text.
func ids(ctx context.Context, st *data.Store, q string, args ...any) ([]string, error) {
	rows, err := st.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
