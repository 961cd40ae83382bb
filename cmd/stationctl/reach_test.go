package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"stationdesk/data"
)

func TestReachCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := ctl(t, "demo", "--residents", "80", "--visits", "200", "--policies", "30", "--seed", "3", "--data-dir", dir); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var policy, resident string
	st.Read().QueryRow(`SELECT id FROM policies WHERE deleted = 0 AND status = '现行有效' AND expires = '' ORDER BY id LIMIT 1`).Scan(&policy)
	st.Read().QueryRow(`SELECT id FROM residents WHERE village = '桃花村' ORDER BY id LIMIT 1`).Scan(&resident)
	st.Close()

	code, out, e := ctl(t, "policy", "criteria", policy, "--min-age", "60", "--any-of", "低保,特困", "--json", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, `"sentence": "年满 60 周岁、属于低保或特困的本乡居民"`) {
		t.Fatalf("criteria: %d %s %s", code, out, e)
	}
	if code, _, e := ctl(t, "policy", "criteria", policy, "--min-age", "-1", "--data-dir", dir); code != 1 || !strings.Contains(e, "最低年龄") {
		t.Fatalf("bad criteria: %d %s", code, e)
	}
	var reach data.PolicyReach
	code, out, e = ctl(t, "policy", "reach", policy, "--json", "--data-dir", dir)
	if code != 0 || json.Unmarshal([]byte(out), &reach) != nil || reach.Eligible == 0 || len(reach.People) != reach.Eligible {
		t.Fatalf("reach: %d %s %s", code, out, e)
	}
	// The same answer as the data layer, and a village narrows it.
	var village data.PolicyReach
	code, out, _ = ctl(t, "--json", "policy", "reach", policy, "--village", "桃花村", "--data-dir", dir)
	if code != 0 || json.Unmarshal([]byte(out), &village) != nil || village.Eligible >= reach.Eligible {
		t.Fatalf("reach in 桃花村: %s", out)
	}
	for _, p := range village.People {
		if p.Village != "桃花村" {
			t.Fatalf("%+v outside 桃花村", p)
		}
	}
	var rp data.ResidentReach
	code, out, e = ctl(t, "resident", "policies", resident, "--json", "--data-dir", dir)
	if code != 0 || json.Unmarshal([]byte(out), &rp) != nil || rp.ResidentID != resident {
		t.Fatalf("resident policies: %d %s %s", code, out, e)
	}
	st, _ = data.Open(dir)
	want, err := st.ResidentPolicies(context.Background(), resident)
	st.Close()
	if err != nil || len(want.Untold) != len(rp.Untold) || len(want.Told) != len(rp.Told) {
		t.Fatalf("cli %+v, data %+v", rp, want)
	}
	if code, _, e := ctl(t, "resident", "policies", "no-such-id", "--data-dir", dir); code != 1 || e == "" {
		t.Fatalf("unknown resident: %d %s", code, e)
	}
	pdf := filepath.Join(dir, "告知清单.pdf")
	if code, out, e := ctl(t, "resident", "outreach", "--out", pdf, "--village", "桃花村", "--data-dir", dir); code != 0 || !strings.Contains(out, "位居民") {
		t.Fatalf("outreach: %d %s %s", code, out, e)
	}
	if code, _, _ := ctl(t, "resident", "outreach", "--data-dir", dir); code != 2 {
		t.Fatalf("outreach without --out: %d", code)
	}
	var due []data.PensionDue
	code, out, e = ctl(t, "resident", "pension-due", "--json", "--data-dir", dir)
	if code != 0 || json.Unmarshal([]byte(out), &due) != nil || len(due) == 0 {
		t.Fatalf("pension-due: %d %s %s", code, out, e)
	}
}
