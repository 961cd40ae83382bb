package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// importRows is a sheet with every kind of bad row; the comments give the Excel row.
func importRows() [][]string {
	good1 := withCheck("43070219400312002") // 女
	good2 := withCheck("43070219350101001") // 男
	return [][]string{
		{"备注", "村（社区）", "姓名", "身份证号", "联系电话", "性别", "住址", "服务类别"},                     // 1: any order, full-width parentheses
		{"行动不便", "桃花村", "王秀英", good1, "138 1234 5678", "女", "桃花村3组12号", "高龄、独居"},      // 2
		{"", "柳树村", "李德明", strings.ToLower(good2), "0736-7654321", "", "柳树村1组", "高龄"}, // 3
		{"", "桃花村", "张三", wrongCheck("43070219500101001"), "", "", "", ""},            // 4
		{"", "桃花村", "李四", withCheck("43070219500230001"), "", "", "", ""},             // 5
		{"", "桃花村", "赵五", withCheck("43070219500101003"), "1381234567", "", "", ""},   // 6
		{"", "桃花村", "", withCheck("43070219500101011"), "", "", "", ""},               // 7
		{"", "桃花村", "王秀英", good1, "", "", "", ""},                                     // 8
		{"", "桃花村", "钱六", withCheck("43070219500101021"), "", "女", "", ""},            // 9
		{"", "", "", "", "", "", "", ""},                                   // 10: empty, skipped
		{"", "桃花村", "孙七", "4307021950010100", "", "", "", ""},              // 11
		{"", "桃花村", "周八", withCheck("43070220991231001"), "", "", "", ""},  // 12: future
		{"", "桃花村", "吴九", "4.30702E+17", "", "", "", ""},                   // 13
		{"", "龙泉村", "郑十", "430702500101051", "13912345678", "男", "", "失能"}, // 14: 15-digit
	}
}

var wantRejected = []ImportRejection{
	{4, "身份证号校验位错误"},
	{5, "出生日期无效"},
	{6, "手机号格式错误"},
	{7, "姓名为空"},
	{8, "与第 2 行身份证号重复"},
	{9, "性别与身份证号不符"},
	{11, "身份证号应为 18 位（现为 16 位）"},
	{12, "出生日期无效"},
	{13, "身份证号被 Excel 存成了数字，请将该列设为文本后重新填写"},
}

func csvBytes(rows [][]string) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

func xlsxBytes(t testing.TB, rows [][]string, gap bool) []byte {
	f := excelize.NewFile()
	for i, r := range rows {
		if gap && i == 9 {
			continue // a truly empty row: no <row> element at all
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkReport(t *testing.T, rep ResidentImportReport, imported, updated int) {
	t.Helper()
	if rep.Imported != imported || rep.Updated != updated {
		t.Fatalf("imported %d updated %d, want %d %d", rep.Imported, rep.Updated, imported, updated)
	}
	if len(rep.Rejected) != len(wantRejected) {
		t.Fatalf("rejected %+v", rep.Rejected)
	}
	for i, w := range wantRejected {
		if rep.Rejected[i] != w {
			t.Errorf("rejection %d: got %+v, want %+v", i, rep.Rejected[i], w)
		}
	}
}

func TestImportResidentsEncodingsAndReasons(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(csvBytes(importRows()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		file string
		data []byte
	}{
		{"utf8", "r.csv", csvBytes(importRows())},
		{"utf8 bom", "r.csv", append([]byte{0xEF, 0xBB, 0xBF}, csvBytes(importRows())...)},
		{"gb18030", "r.CSV", gb},
		{"xlsx", "r.xlsx", xlsxBytes(t, importRows(), false)},
		{"xlsx with a missing row", "r.xlsx", xlsxBytes(t, importRows(), true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStation(t)
			ctx := context.Background()
			rep, err := st.ImportResidents(ctx, tc.file, bytes.NewReader(tc.data), false, "o1")
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, 3, 0)
			r, ok, err := st.ResidentByIDNumber(ctx, withCheck("43070219400312002"))
			if err != nil || !ok {
				t.Fatalf("imported resident not found: %v", err)
			}
			if r.Name != "王秀英" || r.Village != "桃花村" || r.Address != "桃花村3组12号" || r.Notes != "行动不便" ||
				strings.Join(r.Categories, ",") != "高龄,独居" || r.Phone != "138****5678" || r.Gender != "女" || r.BirthDate != "1940-03-12" {
				t.Fatalf("imported %+v", r)
			}
			if _, ok, _ := st.ResidentByIDNumber(ctx, withCheck("43070219500101051")); !ok {
				t.Fatal("15-digit number not converted on import")
			}
		})
	}
}

func TestImportResidentsDryRunAndReimport(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "名单.csv")
	data := csvBytes(importRows())
	writeImportFile(t, path, data)
	var auditBefore int
	st.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&auditBefore)
	rep, err := st.ImportResidentsFile(ctx, path, true, "o1")
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, 3, 0)
	if n, _ := st.CountResidents(ctx, ResidentFilter{}); n != 0 {
		t.Fatalf("dry run wrote %d residents", n)
	}
	var audit int
	st.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&audit)
	if audit != auditBefore {
		t.Fatalf("dry run wrote %d audit rows", audit)
	}
	if _, err := st.ImportResidentsFile(ctx, path, false, "o1"); err != nil {
		t.Fatal(err)
	}
	// Again, with a changed phone and an empty address: updated, not duplicated.
	rows := importRows()
	rows[1][4], rows[1][6] = "13987654321", ""
	rep, err = st.ImportResidents(ctx, "again.csv", bytes.NewReader(csvBytes(rows)), false, "o1")
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, 0, 3)
	if n, _ := st.CountResidents(ctx, ResidentFilter{}); n != 3 {
		t.Fatalf("%d residents after re-import, want 3", n)
	}
	r, _, _ := st.ResidentByIDNumber(ctx, withCheck("43070219400312002"))
	if r.Phone != "139****4321" || r.Address != "桃花村3组12号" {
		t.Fatalf("re-import: phone %s address %q", r.Phone, r.Address)
	}
}

func TestImportResidentsRefusesBadFiles(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, reason string
		data         []byte
	}{
		{"r.csv", "缺少列：身份证号", []byte("姓名,电话\n王五,13812345678\n")},
		{"r.xls", ".xlsx", []byte("x")},
		{"r.pdf", ".xlsx", []byte("x")},
		{"r.xlsx", "Excel", []byte("not a zip")},
		{"r.csv", "空", nil},
		{"big.csv", "文件过大", bytes.Repeat([]byte("a"), maxTableBytes+1)},
		{"rows.csv", "文件过大", []byte("姓名,身份证号\n" + strings.Repeat("a,b\n", maxTableRows))},
	} {
		_, err := st.ImportResidents(ctx, tc.name, bytes.NewReader(tc.data), false, "o1")
		if de, ok := err.(*Error); !ok || de.Kind != KindInvalid || !strings.Contains(de.Msg, tc.reason) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.reason)
		}
	}
}

func TestDecodeTableText(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("姓名,村(社区)\n王秀英,桃花村\n")
	for _, in := range []string{"姓名,村(社区)\n王秀英,桃花村\n", "\ufeff姓名,村(社区)\n王秀英,桃花村\n", gb} {
		got, err := decodeTableText([]byte(in))
		if err != nil || got != "姓名,村(社区)\n王秀英,桃花村\n" {
			t.Errorf("decodeTableText(%q) = %q, %v", in, got, err)
		}
	}
}

func FuzzReadCSVTable(f *testing.F) {
	f.Add(csvBytes(importRows()))
	f.Add([]byte("\xef\xbb\xbf姓名,身份证号\n\"王,五\",1\n"))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("姓名\t身份证号\n王五\t1\n"))
	f.Add(gb)
	f.Add([]byte("\xff\xfe\x00\x00"))
	f.Add([]byte("\"unterminated\n,,,\r\n"))
	today := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := readCSVTable(b)
		if err != nil {
			if ErrorKind(err) == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(rows) > maxTableRows {
			t.Fatalf("%d rows", len(rows))
		}
		good, bad, err := parseResidentTable(rows, today)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range good {
			if p.row < 2 || p.row > len(rows) || seen[p.r.IDNumber] || p.r.Name == "" {
				t.Fatalf("bad accepted row %+v", p)
			}
			seen[p.r.IDNumber] = true
		}
		for _, r := range bad {
			if r.Row < 2 || r.Row > len(rows) || r.Reason == "" {
				t.Fatalf("bad rejection %+v", r)
			}
		}
	})
}

func writeImportFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
