package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	dsync "stationdesk/data/sync"
	"strings"
	"testing"
)

// The real scrypt work factor costs 256 MiB and a second per file; the
// data package tests it once.
func init() { dsync.ScryptWorkFactor = 10 }

// addAndEnrol runs `station add` at the bureau and `init station --enroll`
// with the one-time code it printed, as the two offices would; it returns
// what `init station --json` printed.
func addAndEnrol(t *testing.T, bureau, station, code, name string) string {
	t.Helper()
	enrol := filepath.Join(t.TempDir(), "enrol-"+code+".stenrol")
	c, o, e := syncCtl(t, "station", "add", "--code", code, "--name", name, "--out", enrol, "--data-dir", bureau, "--json")
	if c != 0 {
		t.Fatalf("station add: %s", e)
	}
	var r struct {
		OneTimeCode string `json:"one_time_code"`
	}
	if err := json.Unmarshal([]byte(o), &r); err != nil || len(r.OneTimeCode) != 19 {
		t.Fatalf("station add: %s %v", o, err)
	}
	c, o, e = syncCtl(t, "init", "station", "--enroll", enrol, "--code", r.OneTimeCode, "--data-dir", station, "--json")
	if c != 0 {
		t.Fatalf("init station: %s", e)
	}
	return o
}

func TestKeyCommands(t *testing.T) {
	bureau, station, out := t.TempDir(), t.TempDir(), t.TempDir()
	must := func(args ...string) string {
		t.Helper()
		code, o, e := syncCtl(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return o
	}
	must("init", "bureau", "--name", "示例区人社局", "--code", "430702", "--data-dir", bureau)
	enrol := filepath.Join(t.TempDir(), "enrol.stenrol")
	o := must("station", "add", "--code", "430702101", "--name", "桃花镇劳动保障站", "--out", enrol, "--data-dir", bureau)
	if !strings.Contains(o, "一次性验证码") {
		t.Fatalf("station add does not show the code: %s", o)
	}
	if fi, err := os.Stat(enrol); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("enrolment file: %v %v", fi.Mode(), err)
	}
	// Without the code, or with a wrong one: refused, nothing set up.
	if c, _, e := syncCtl(t, "init", "station", "--enroll", enrol, "--data-dir", station); c != 2 || !strings.Contains(e, "--code") {
		t.Fatalf("no code: exit %d %s", c, e)
	}
	if c, _, e := syncCtl(t, "init", "station", "--enroll", enrol, "--code", "0000-0000-0000-0000", "--data-dir", station); c != 1 || !strings.Contains(e, "验证码") {
		t.Fatalf("wrong code: exit %d %s", c, e)
	}
	// The code from the environment, for scripts.
	rekeyed := filepath.Join(t.TempDir(), "rekey.stenrol")
	var rk struct {
		OneTimeCode string `json:"one_time_code"`
	}
	json.Unmarshal([]byte(must("station", "rekey", "--code", "430702101", "--out", rekeyed, "--data-dir", bureau, "--json")), &rk)
	if len(rk.OneTimeCode) != 19 {
		t.Fatalf("rekey printed no code")
	}
	t.Setenv("STATIONDESK_ENROL_CODE", rk.OneTimeCode)
	must("init", "station", "--enroll", rekeyed, "--data-dir", station)
	// And from stdin (--code -), here for a third station folder.
	var rk2 struct {
		OneTimeCode string `json:"one_time_code"`
	}
	json.Unmarshal([]byte(must("station", "rekey", "--code", "430702101", "--out", rekeyed, "--data-dir", bureau, "--json")), &rk2)
	in := filepath.Join(t.TempDir(), "code.txt")
	os.WriteFile(in, []byte(rk2.OneTimeCode+"\n"), 0o600)
	f, _ := os.Open(in)
	oldIn := os.Stdin
	os.Stdin = f
	t.Setenv("STATIONDESK_ENROL_CODE", "")
	must("init", "station", "--enroll", rekeyed, "--code", "-", "--data-dir", station)
	os.Stdin = oldIn
	f.Close()
	must("demo", "--residents", "5", "--visits", "5", "--policies", "1", "--data-dir", station)
	var exp struct{ Path string }
	json.Unmarshal([]byte(must("bundle", "export", "--out", out, "--data-dir", station, "--json")), &exp)
	must("bundle", "import", exp.Path, "--data-dir", bureau)

	// The recovery file, and a bureau rebuilt from it in a new folder.
	rec := filepath.Join(t.TempDir(), "bureau.strecovery")
	var bk struct {
		Path         string
		RecoveryCode string `json:"recovery_code"`
	}
	json.Unmarshal([]byte(must("keys", "backup", "--out", rec, "--data-dir", bureau, "--json")), &bk)
	if len(strings.ReplaceAll(bk.RecoveryCode, "-", "")) != 24 {
		t.Fatalf("keys backup: %+v", bk)
	}
	if fi, err := os.Stat(rec); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("recovery file: %v", err)
	}
	nb := t.TempDir()
	if c, _, _ := syncCtl(t, "keys", "restore", rec, "--code", strings.Repeat("9", 24), "--data-dir", nb); c != 1 {
		t.Fatalf("wrong recovery code: exit %d", c)
	}
	if c, _, _ := syncCtl(t, "keys", "restore", rec, "--code", bk.RecoveryCode, "--data-dir", bureau); c != 1 {
		t.Fatal("restored over a bureau that is set up")
	}
	var rs struct {
		Code     string
		Stations int
	}
	json.Unmarshal([]byte(must("keys", "restore", rec, "--code", bk.RecoveryCode, "--data-dir", nb, "--json")), &rs)
	if rs.Code != "430702" || rs.Stations != 1 {
		t.Fatalf("keys restore: %+v", rs)
	}
	// Two round trips: the station sends everything again to the rebuilt bureau.
	for i := 0; i < 2; i++ {
		json.Unmarshal([]byte(must("bundle", "export", "--out", out, "--data-dir", station, "--json")), &exp)
		must("bundle", "import", exp.Path, "--data-dir", nb)
		json.Unmarshal([]byte(must("bundle", "export", "--out", out, "--station", "430702101", "--data-dir", nb, "--json")), &exp)
		must("bundle", "import", exp.Path, "--data-dir", station)
	}
	var stats map[string]int
	json.Unmarshal([]byte(must("stats", "--json", "--data-dir", nb)), &stats)
	if stats["residents"] != 5 || stats["visits"] != 5 {
		t.Fatalf("rebuilt bureau holds %v", stats)
	}
}
