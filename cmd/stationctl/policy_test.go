package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func ctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestPolicyCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := ctl(t, "init", "station", "--name", "示例镇劳动保障站", "--code", "430702101", "--data-dir", dir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	code, out, e := ctl(t, "policy", "import", "../../data/testdata/policy", "--data-dir", dir, "--json")
	if code != 0 {
		t.Fatalf("import: %d %s", code, e)
	}
	var rep struct{ Added int }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Added != 6 {
		t.Fatalf("import report %q: %v", out, err)
	}
	code, out, e = ctl(t, "policy", "search", "〔2014〕21", "--json", "--data-dir", dir, "--limit", "5")
	if code != 0 {
		t.Fatalf("search: %d %s", code, e)
	}
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); err != nil || len(hits) != 1 {
		t.Fatalf("search output %q: %v", out, err)
	}
	for _, k := range []string{"id", "title", "doc_no", "status", "snippet"} {
		if _, ok := hits[0][k]; !ok {
			t.Errorf("search item lacks %q", k)
		}
	}
	if hits[0]["doc_no"] != "武人社发〔2014〕21号" {
		t.Fatalf("hit %v", hits[0])
	}
	code, out, _ = ctl(t, "policy", "search", "档案", "--json", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "【档案】") {
		t.Fatalf("highlighted snippet missing: %s", out)
	}
	id := hits[0]["id"].(string)
	pdf := filepath.Join(t.TempDir(), "card.pdf")
	if code, _, e := ctl(t, "policy", "card", id, "--out", pdf, "--data-dir", dir); code != 0 {
		t.Fatalf("card: %d %s", code, e)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("card not a PDF: %v", err)
	}
	if code, _, e := ctl(t, "policy", "handout", id, "--count", "5", "--place", "窗口", "--date", "2026-11-02", "--data-dir", dir); code != 0 {
		t.Fatalf("handout: %d %s", code, e)
	}
	code, out, _ = ctl(t, "policy", "handouts", id, "--json", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, `"cards": 5`) {
		t.Fatalf("handouts: %s", out)
	}
	// A bad file is named on stderr with exit 1; the good one still imports.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "bad.md"), []byte("---\ntitle: 坏\ncategory: 火星\n---\n"), 0o644)
	os.WriteFile(filepath.Join(bad, "good.md"), []byte("---\ntitle: 好的政策\n---\n正文"), 0o644)
	code, out, e = ctl(t, "policy", "import", bad, "--data-dir", dir)
	if code != 1 || !strings.Contains(out, "bad.md") || !strings.Contains(out, "类别应为") || !strings.Contains(out, "新增 1") {
		t.Fatalf("bad import: %d %q %q", code, out, e)
	}
	if code, _, _ := ctl(t, "policy", "card", "--data-dir", dir); code != 2 {
		t.Fatalf("card without arguments: exit %d", code)
	}
}
