package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLedgerCommands(t *testing.T) {
	dir := t.TempDir()
	must := func(args ...string) string {
		t.Helper()
		code, out, e := ctl(t, append(args, "--data-dir", dir)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return out
	}
	must("init", "bureau", "--name", "示例区人社局", "--code", "430702")
	today := time.Now().Format("2006-01-02")
	old := time.Now().AddDate(0, 0, -30).Format("2006-01-02")
	must("lending", "add", "--holder", "张三", "--unit", "区委组织部", "--borrower", "刘军", "--purpose", "考察", "--approved-by", "周敏",
		"--out", old, "--due", time.Now().AddDate(0, 0, -2).Format("2006-01-02"))
	must("lending", "add", "--holder", "李四", "--unit", "区纪委", "--borrower", "陈刚", "--purpose", "核查", "--approved-by", "周敏",
		"--out", today, "--due", today)
	var list []map[string]any
	if err := json.Unmarshal([]byte(must("lending", "list", "--json")), &list); err != nil || len(list) != 2 {
		t.Fatalf("list %v %v", list, err)
	}
	if err := json.Unmarshal([]byte(must("lending", "list", "--overdue", "--json")), &list); err != nil || len(list) != 1 || list[0]["holder_name"] != "张三" {
		t.Fatalf("overdue %v %v", list, err)
	}
	if err := json.Unmarshal([]byte(must("lending", "list", "--week", today, "--json")), &list); err != nil || len(list) != 1 || list[0]["holder_name"] != "李四" {
		t.Fatalf("week %v %v", list, err)
	}
	if code, _, _ := ctl(t, "lending", "review", "--data-dir", dir); code == 0 {
		t.Fatal("review without a reviewer succeeded")
	}
	if out := must("lending", "review", "--reviewer", "孙丽", "--json"); !strings.Contains(out, `"entries": 1`) {
		t.Fatalf("review %s", out)
	}
	xlsx := filepath.Join(t.TempDir(), "l.xlsx")
	if out := must("lending", "export", "--out", xlsx, "--json"); !strings.Contains(out, `"rows": 2`) {
		t.Fatalf("export %s", out)
	}

	must("officer", "add", "--name", "周建华", "--role", "局长")
	must("officer", "add", "--name", "孙丽", "--role", "副局长")
	var rota []map[string]any
	if err := json.Unmarshal([]byte(must("rota", "generate", "--from", "2026-11-16", "--to", "2026-11-20", "--leaders", "孙丽,周建华", "--json")), &rota); err != nil || len(rota) != 5 {
		t.Fatalf("rota %v %v", rota, err)
	}
	if rota[0]["officer_name"] != "孙丽" || rota[1]["officer_name"] != "周建华" || rota[2]["officer_name"] != "孙丽" {
		t.Fatalf("rota order %v", rota)
	}
	must("rota", "swap", rota[0]["id"].(string), rota[1]["id"].(string), "--reason", "外出开会")
	if err := json.Unmarshal([]byte(must("rota", "list", "--from", "2026-11-16", "--to", "2026-11-20", "--json")), &rota); err != nil || rota[0]["officer_name"] != "周建华" {
		t.Fatalf("after swap %v %v", rota, err)
	}
	pdf := filepath.Join(t.TempDir(), "rota.pdf")
	must("rota", "pdf", "--out", pdf, "--month", "2026-11")
	cards := filepath.Join(t.TempDir(), "cards.pdf")
	must("dutycard", "--out", cards, "--officer", "孙丽")
	if _, err := exec.LookPath("pdftotext"); err == nil {
		for path, want := range map[string]string{pdf: "孙丽", cards: "副局长"} {
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil || !strings.Contains(string(out), want) {
				t.Fatalf("%s lacks %s: %v", path, want, err)
			}
		}
	}
}
