package data

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestOutreachPDFAndWorkbook(t *testing.T) {
	atDay(t, "2026-11-17")
	ctx := context.Background()
	f := newReachFixture(t, openStation(t))
	// A second 低保 resident of 60+ in 桃花村, further along the road, and a
	// policy with a 文号 and a long title that wraps.
	r := &Resident{Name: "赵德明", IDNumber: withCheck("43070219450202001"), Village: "桃花村", Address: "桃花村3组9号", Categories: []string{"低保", "高龄"}}
	if err := f.st.AddResident(ctx, r, f.officer); err != nil {
		t.Fatal(err)
	}
	long := &Policy{Title: "关于进一步做好困难群众基本生活保障和城乡居民基本医疗保险参保资助工作的通知", DocNo: "常人社发〔2026〕18号", Category: "医疗保险", Body: "正文"}
	if err := f.st.AddPolicy(ctx, long); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetPolicyCriteria(ctx, long.ID, Criteria{AnyOf: []string{"低保", "特困"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "告知清单.pdf")
	n, err := f.st.SaveOutreach(ctx, "桃花村", pdf, "刘建国")
	if err != nil {
		t.Fatal(err)
	}
	// 王秀英 (12组3号), 李建国 (59: 低保 only → the 医疗 policy), 陈满仓 (pension), 赵德明 (3组9号).
	if n != 4 {
		t.Fatalf("%d residents listed", n)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"政策告知清单", "村（社区）：桃花村", "本人签字", "告知日期", "王秀英", "赵德明", "困难老人补贴",
		"常人社发〔2026〕18号", "养老金资格认证提醒", "2026年11月17日"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q:\n%s", want, text)
		}
	}
	// Walking order: 3组8号, 3组9号, 3组20号, 12组3号.
	order := []string{"李建国", "赵德明", "陈满仓", "王秀英"}
	last := -1
	for _, name := range order {
		i := strings.Index(text, name)
		if i < last {
			t.Fatalf("%s out of walking order:\n%s", name, text)
		}
		last = i
	}
	if st, err := os.Stat(pdf); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("PDF mode %v %v", st.Mode(), err)
	}
	if os.Getenv("STATIONDESK_LOOK") != "" {
		// go test -run TestOutreachPDF with STATIONDESK_LOOK=DIR keeps a PNG to look at.
		exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, filepath.Join(os.Getenv("STATIONDESK_LOOK"), "outreach")).Run()
	}

	xlsx := filepath.Join(dir, "告知清单.xlsx")
	if _, err := f.st.SaveOutreach(ctx, "", xlsx, "刘建国"); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("告知清单")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(OutreachHeaders, ",") {
		t.Fatalf("headers %v", rows[0])
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[1]+"/"+row[2]+"/"+row[4])
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"柳树村/张桂兰/困难老人补贴", "桃花村/赵德明/" + long.Title, "桃花村/陈满仓/养老金资格认证提醒"} {
		if !strings.Contains(joined, want) {
			t.Errorf("workbook lacks %s:\n%s", want, joined)
		}
	}
	if !strings.HasPrefix(joined, "柳树村/张桂兰") {
		t.Errorf("workbook not by village:\n%s", joined)
	}
	if audit := count(t, f.st, `SELECT count(*) FROM audit_log WHERE action = ? AND detail LIKE 'outreach list%'`, AuditExport); audit != 2 {
		t.Fatalf("%d exports in the audit log", audit)
	}
	// An empty list still prints a page saying so.
	empty := filepath.Join(dir, "empty.pdf")
	if n, err := f.st.SaveOutreach(ctx, "没有的村", empty, "刘建国"); err != nil || n != 0 {
		t.Fatal(n, err)
	}
	if !strings.Contains(pdfText(t, empty), "没有需要告知的居民") {
		t.Fatal("empty list")
	}
}
