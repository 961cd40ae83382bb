package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestResidentCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := ctl(t, "init", "station", "--name", "示例镇劳动保障站", "--code", "430702101", "--data-dir", dir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	csv := filepath.Join(dir, "名单.csv")
	// Row 2 valid, row 3 a wrong check character, row 4 the same number as row 2.
	body := "\ufeff姓名,村（社区）,身份证号,联系电话\n王秀英,桃花村,11010519491231002x,138 1234 5678\n李四,桃花村,110105194912310021,\n王秀英,桃花村,11010519491231002X,\n"
	if err := os.WriteFile(csv, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	type report struct {
		Imported, Updated int
		Rejected          []struct {
			Row    int
			Reason string
		}
	}
	for _, step := range []struct {
		args              []string
		imported, updated int
		residents         float64
	}{
		{[]string{"--dry-run"}, 1, 0, 0},
		{nil, 1, 0, 1},
		{nil, 0, 1, 1},
	} {
		args := append([]string{"resident", "import", csv, "--json", "--data-dir", dir}, step.args...)
		code, out, e := ctl(t, args...)
		if code != 0 {
			t.Fatalf("import: %d %s", code, e)
		}
		var rep report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		if rep.Imported != step.imported || rep.Updated != step.updated || len(rep.Rejected) != 2 ||
			rep.Rejected[0].Row != 3 || rep.Rejected[0].Reason != "身份证号校验位错误" || rep.Rejected[1].Row != 4 || rep.Rejected[1].Reason != "与第 2 行身份证号重复" {
			t.Fatalf("%v: report %+v", step.args, rep)
		}
		_, out, _ = ctl(t, "stats", "--json", "--data-dir", dir)
		var stats map[string]float64
		json.Unmarshal([]byte(out), &stats)
		if stats["residents"] != step.residents {
			t.Fatalf("%v: %v residents", step.args, stats["residents"])
		}
	}
	if code, _, e := ctl(t, "resident", "export", "--out", filepath.Join(dir, "r.xlsx"), "--data-dir", dir); code != 0 {
		t.Fatalf("export: %s", e)
	}
	if code, _, e := ctl(t, "visit", "form", "--out", filepath.Join(dir, "f.pdf"), "--data-dir", dir); code != 0 {
		t.Fatalf("form: %s", e)
	}
	if code, _, _ := ctl(t, "resident", "import", filepath.Join(dir, "nope.xls"), "--data-dir", dir); code != 1 {
		t.Fatalf("a missing file: exit %d", code)
	}
	if code, _, _ := ctl(t, "resident", "import", "--data-dir", dir); code != 2 {
		t.Fatalf("no file: exit %d", code)
	}
}
