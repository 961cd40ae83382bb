package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"stationdesk/data"
)

// TestAsNamesTheOfficerOfEveryChange runs a changing command with --as (after
// the positional words, as people type it) and finds the name in the audit trail.
func TestAsNamesTheOfficerOfEveryChange(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run([]string{"init", "station", "--name", "桃花镇劳动保障站", "--code", "430702101", "--data-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("init: %d %s", code, errOut.String())
	}
	policy := filepath.Join(t.TempDir(), "p.md")
	if err := os.WriteFile(policy, []byte("---\ntitle: 关于做好医保参保工作的通知\ndoc_no: 武人社发〔2026〕3号\ncategory: 医疗保险\n---\n正文。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"policy", "import", policy, "--as", "王秀英", "--data-dir", dir}, &out, &errOut); code != 0 {
		t.Fatalf("import: %d %s", code, errOut.String())
	}
	assertActor(t, dir, "王秀英")
}

// assertActor finds name among the officers of the audit trail in dir.
func assertActor(t *testing.T, dir, name string) {
	t.Helper()
	st, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	actors, err := st.AuditActors(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(actors, name) {
		t.Fatalf("audit actors %v lack the --as officer %s", actors, name)
	}
}
