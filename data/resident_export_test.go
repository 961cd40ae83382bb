package data

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func readSheet(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExportsReadBack(t *testing.T) {
	st, officers, r := visitFixture(t)
	ctx := context.Background()
	full := withCheck("43070219400312002")
	r2 := &Resident{Name: "李德明", IDNumber: withCheck("43070219350101001"), Phone: "13812345678", Village: "柳树村", Categories: []string{"高龄", "独居"}, Consent: true}
	if err := st.AddResident(ctx, r2, officers[0]); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	masked := filepath.Join(dir, "residents.xlsx")
	n, err := st.ExportResidentsXLSX(ctx, masked, ResidentFilter{}, false, "")
	if err != nil || n != 2 {
		t.Fatalf("export %d %v", n, err)
	}
	rows := readSheet(t, masked)
	if strings.Join(rows[0], ",") != strings.Join(ResidentExportHeaders, ",") || len(rows) != 3 {
		t.Fatalf("sheet %v", rows)
	}
	if rows[1][0] != "李德明" || rows[1][2] != MaskIDNumber(withCheck("43070219350101001")) || rows[1][5] != "138****5678" || rows[1][8] != "高龄、独居" || rows[1][10] != "是" {
		t.Fatalf("row %v", rows[1])
	}
	for _, row := range rows {
		for _, c := range row {
			if strings.Contains(c, full) || strings.Contains(c, "12345678") {
				t.Fatalf("masked export holds a full value: %v", row)
			}
		}
	}

	if _, err := st.ExportResidentsXLSX(ctx, masked, ResidentFilter{}, true, ""); ErrorKind(err) != KindInvalid {
		t.Fatalf("full export without actor: %v", err)
	}
	fullPath := filepath.Join(dir, "residents-full.xlsx")
	if _, err := st.ExportResidentsXLSX(ctx, fullPath, ResidentFilter{Village: "桃花村"}, true, officers[1]); err != nil {
		t.Fatal(err)
	}
	rows = readSheet(t, fullPath)
	if len(rows) != 2 || rows[1][2] != full {
		t.Fatalf("full export %v", rows)
	}
	var audited int
	st.Read().QueryRow("SELECT count(*) FROM audit_log WHERE action = 'export_full' AND actor = ?", officers[1]).Scan(&audited)
	if audited != 1 {
		t.Fatal("full export not in the audit log")
	}
	// A full export imports back as updates.
	rep, err := st.ImportResidentsFile(ctx, fullPath, true, officers[0])
	if err != nil || rep.Updated != 1 || len(rep.Rejected) != 0 {
		t.Fatalf("re-import of export: %+v %v", rep, err)
	}

	day := time.Now().AddDate(0, 0, -3).Format("2006-01-02")
	v := &Visit{Date: day, ResidentID: r.ID, OfficerIDs: officers, Services: []string{"医保报销代办"}, Outcome: "已办结", FollowupNeeded: true, FollowupDue: day}
	if err := st.AddVisit(ctx, v, nil, &Opinion{Content: "希望多开展政策宣讲", Category: "其他"}); err != nil {
		t.Fatal(err)
	}
	vp := filepath.Join(dir, "visits.xlsx")
	if n, err := st.ExportVisitsXLSX(ctx, vp, VisitFilter{}); err != nil || n != 1 {
		t.Fatalf("visits export %d %v", n, err)
	}
	rows = readSheet(t, vp)
	if rows[0][0] != "上门日期" || rows[1][0] != day || rows[1][1] != "王秀英" || rows[1][3] != "刘建国、陈秀兰" || rows[1][7] != "是" {
		t.Fatalf("visits sheet %v", rows)
	}
	op := filepath.Join(dir, "opinions.xlsx")
	if n, err := st.ExportOpinionsXLSX(ctx, op, OpinionFilter{}); err != nil || n != 1 {
		t.Fatalf("opinions export %d %v", n, err)
	}
	rows = readSheet(t, op)
	if rows[0][4] != "意见内容" || rows[1][1] != "上门服务" || rows[1][2] != "王秀英" || rows[1][5] != "已记录" || rows[1][6] != "刘建国" {
		t.Fatalf("opinions sheet %v", rows)
	}
}
