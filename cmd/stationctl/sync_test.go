package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSyncCommands(t *testing.T) {
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
	o := addAndEnrol(t, bureau, station, "430702101", "桃花镇劳动保障站")
	if !strings.Contains(o, `"bureau": "430702"`) {
		t.Fatalf("init station: %s", o)
	}
	must("demo", "--residents", "10", "--visits", "20", "--policies", "3", "--data-dir", station)
	var exp struct {
		Path    string
		Records int
		Bytes   int64
	}
	if err := json.Unmarshal([]byte(must("bundle", "export", "--out", out, "--data-dir", station, "--json")), &exp); err != nil || exp.Records == 0 || exp.Bytes == 0 {
		t.Fatalf("export: %+v %v", exp, err)
	}
	if fi, err := os.Stat(exp.Path); err != nil || fi.Size() != exp.Bytes {
		t.Fatalf("bundle file: %v", err)
	}
	must("bundle", "verify", exp.Path, "--data-dir", bureau)
	var imp struct {
		Bundles []struct {
			Status  string
			Applied int
		}
	}
	json.Unmarshal([]byte(must("bundle", "import", exp.Path, "--json", "--data-dir", bureau)), &imp)
	if len(imp.Bundles) != 1 || imp.Bundles[0].Status != "imported" || imp.Bundles[0].Applied != exp.Records {
		t.Fatalf("import: %+v", imp)
	}
	json.Unmarshal([]byte(must("bundle", "import", exp.Path, "--json", "--data-dir", bureau)), &imp)
	if imp.Bundles[0].Status != "skipped" {
		t.Fatalf("second import: %+v", imp)
	}
	b, _ := os.ReadFile(exp.Path)
	b[len(b)-10] ^= 1
	bad := filepath.Join(out, "bad.stbundle")
	os.WriteFile(bad, b, 0o600)
	if code, _, e := syncCtl(t, "bundle", "verify", bad, "--data-dir", bureau); code != 1 || !strings.Contains(e, "拒绝") {
		t.Fatalf("verify of a damaged bundle: exit %d %s", code, e)
	}
	if code, _, _ := syncCtl(t, "bundle", "import", bad, "--data-dir", bureau); code != 1 {
		t.Fatalf("import of a damaged bundle: exit %d", code)
	}
	if code, _, _ := syncCtl(t, "bundle", "export", "--out", out, "--data-dir", bureau); code != 1 {
		t.Fatal("a bureau exported without naming the station")
	}
	must("bundle", "export", "--out", out, "--station", "430702101", "--data-dir", bureau)

	// --all: one bundle per station; the station imports its own from the folder.
	enrol2 := filepath.Join(t.TempDir(), "enrol2.json")
	must("station", "add", "--code", "430702102", "--name", "柳树镇劳动保障站", "--out", enrol2, "--data-dir", bureau)
	stick := t.TempDir()
	var all []struct {
		Code   string
		Name   string
		Result struct{ Path string }
	}
	if err := json.Unmarshal([]byte(must("bundle", "export", "--all", "--out", stick, "--data-dir", bureau, "--json")), &all); err != nil ||
		len(all) != 2 || all[0].Name != "桃花镇劳动保障站" || all[1].Code != "430702102" || all[1].Result.Path == "" {
		t.Fatalf("export --all: %+v %v", all, err)
	}
	files, _ := filepath.Glob(filepath.Join(stick, "*.stbundle"))
	if len(files) != 2 {
		t.Fatalf("%d bundles written by --all", len(files))
	}
	_, o, _ = syncCtl(t, append([]string{"bundle", "import", "--json", "--data-dir", station}, files...)...)
	json.Unmarshal([]byte(o), &imp)
	imported := 0
	for _, b := range imp.Bundles {
		if b.Status == "imported" {
			imported++
		}
	}
	if imported != 1 {
		t.Fatalf("the station imported %d of the bundles written by --all: %+v", imported, imp)
	}
	if code, _, _ := syncCtl(t, "bundle", "export", "--all", "--station", "430702101", "--out", stick, "--data-dir", bureau); code != 2 {
		t.Fatalf("--all with --station: exit %d", code)
	}
}

func syncCtl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}
