package data

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// ledgerClock fixes the data clock at 2026-11-17 (a Tuesday) for one test.
func ledgerClock(t testing.TB) time.Time {
	t.Helper()
	at := time.Date(2026, 11, 17, 10, 0, 0, 0, time.Local)
	old := clock
	clock = func() time.Time { return at }
	t.Cleanup(func() { clock = old })
	return at
}

func ledgerBureau(t testing.TB) *Store {
	t.Helper()
	st := openStore(t, "")
	if err := st.Setup(context.Background(), Identity{Role: RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	return st
}

func addLending(t *testing.T, st *Store, holder, out, due, back string) Lending {
	t.Helper()
	l := Lending{HolderName: holder, BorrowerUnit: "区委组织部", Borrower: "刘军", Purpose: "干部考察", ApprovedBy: "周敏",
		DateOut: out, DateDue: due, DateReturned: back}
	if err := st.SaveLending(context.Background(), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLendingSavedAndReadBack(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	l := Lending{HolderName: " 张三 ", BorrowerUnit: "区委组织部", Borrower: "刘军", Purpose: "干部考察", ApprovedBy: "周敏",
		DateOut: "2026/11/16", DateDue: "2026-11-20", Notes: "原件"}
	if err := st.SaveLending(ctx, &l); err != nil {
		t.Fatal(err)
	}
	got, err := st.Lending(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.HolderName != "张三" || got.DateOut != "2026-11-16" || got.DateDue != "2026-11-20" || got.BorrowerUnit != "区委组织部" ||
		got.Borrower != "刘军" || got.Purpose != "干部考察" || got.ApprovedBy != "周敏" || got.Notes != "原件" || got.Origin != "430702" {
		t.Fatalf("read back %+v", got)
	}
	if err := st.ReturnLending(ctx, l.ID, "2026-11-17"); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.Lending(ctx, l.ID); got.DateReturned != "2026-11-17" {
		t.Fatalf("returned %q", got.DateReturned)
	}
	stats, _ := st.Stats(ctx)
	if stats["archive_lendings"] != 1 {
		t.Fatalf("stats %v", stats)
	}
	for _, bad := range []Lending{
		{BorrowerUnit: "u", Borrower: "b", Purpose: "p", ApprovedBy: "a", DateOut: "2026-11-16", DateDue: "2026-11-20"},
		{HolderName: "h", BorrowerUnit: "u", Borrower: "b", Purpose: "p", DateOut: "2026-11-16", DateDue: "2026-11-20"},
		{HolderName: "h", BorrowerUnit: "u", Borrower: "b", Purpose: "p", ApprovedBy: "a", DateOut: "2026-11-16", DateDue: "2026-11-10"},
		{HolderName: "h", BorrowerUnit: "u", Borrower: "b", Purpose: "p", ApprovedBy: "a", DateOut: "2026-11-18", DateDue: "2026-11-20"},
		{HolderName: "h", BorrowerUnit: "u", Borrower: "b", Purpose: "p", ApprovedBy: "a", DateOut: "16.11", DateDue: "2026-11-20"},
	} {
		if err := st.SaveLending(ctx, &bad); ErrorKind(err) != KindInvalid {
			t.Errorf("%+v: err %v, want invalid", bad, err)
		}
	}
}

func TestLendingWeekReviewHoldsExactlyTheWeek(t *testing.T) {
	today := ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	// The week of 2026-11-17 runs Monday 11-16 to Sunday 11-22.
	addLending(t, st, "前一周日", "2026-11-15", "2026-11-30", "")
	mon := addLending(t, st, "周一", "2026-11-16", "2026-11-30", "")
	tue := addLending(t, st, "周二", "2026-11-17", "2026-11-30", "2026-11-17")
	addLending(t, st, "上月", "2026-10-16", "2026-10-30", "2026-10-29")
	week, err := st.WeekLendings(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(week) != 2 || week[0].ID != mon.ID || week[1].ID != tue.ID {
		t.Fatalf("week holds %v", week)
	}
	// A Sunday belongs to the week that began the Monday before.
	sun := time.Date(2026, 11, 22, 23, 0, 0, 0, time.Local)
	if WeekStart(sun).Format("2006-01-02") != "2026-11-16" || WeekStart(time.Date(2026, 11, 16, 0, 0, 0, 0, time.Local)).Format("2006-01-02") != "2026-11-16" {
		t.Fatalf("week of Sunday %s", WeekStart(sun))
	}
	prev, _ := st.WeekLendings(ctx, time.Date(2026, 11, 15, 12, 0, 0, 0, time.Local))
	if len(prev) != 1 || prev[0].HolderName != "前一周日" {
		t.Fatalf("previous week holds %v", prev)
	}
	if _, ok, _ := st.WeekReview(ctx, today); ok {
		t.Fatal("reviewed before any review")
	}
	if _, err := st.ReviewWeek(ctx, today, "", ""); ErrorKind(err) != KindInvalid {
		t.Fatalf("review without reviewer: %v", err)
	}
	if _, err := st.ReviewWeek(ctx, today, "孙副局长", "手续齐全"); err != nil {
		t.Fatal(err)
	}
	r, ok, err := st.WeekReview(ctx, sun)
	if err != nil || !ok || r.Reviewer != "孙副局长" || r.Remarks != "手续齐全" || r.Entries != 2 || r.Week != "2026-11-16" ||
		!r.ReviewedAt.Equal(today.Truncate(time.Millisecond)) {
		t.Fatalf("review %+v ok %v err %v", r, ok, err)
	}
	if _, ok, _ := st.WeekReview(ctx, time.Date(2026, 11, 15, 0, 0, 0, 0, time.Local)); ok {
		t.Fatal("the review covers the week before too")
	}
}

func TestLendingOverdueOnFixedClock(t *testing.T) {
	today := ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	late := addLending(t, st, "逾期未还", "2026-11-02", "2026-11-10", "")
	addLending(t, st, "今天到期", "2026-11-02", "2026-11-17", "")
	addLending(t, st, "逾期已还", "2026-11-02", "2026-11-10", "2026-11-12")
	od, err := st.OverdueLendings(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(od) != 1 || od[0].ID != late.ID || od[0].DaysOverdue(today) != 7 || LendingStatus(od[0], today) != "逾期 7 天" {
		t.Fatalf("overdue %v", od)
	}
	// The next day the one due today is overdue too; once returned it is not.
	tomorrow := today.AddDate(0, 0, 1)
	if od, _ = st.OverdueLendings(ctx, tomorrow); len(od) != 2 {
		t.Fatalf("tomorrow overdue %d", len(od))
	}
	if err := st.ReturnLending(ctx, late.ID, "2026-11-17"); err != nil {
		t.Fatal(err)
	}
	if od, _ = st.OverdueLendings(ctx, today); len(od) != 0 {
		t.Fatalf("returned file still overdue: %v", od)
	}
}

func TestLendingExportXLSXReadBack(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	addLending(t, st, "张三", "2026-11-02", "2026-11-10", "")
	addLending(t, st, "李四", "2026-11-16", "2026-11-30", "")
	path := filepath.Join(t.TempDir(), "lend.xlsx")
	n, err := st.ExportLendingsXLSX(ctx, path)
	if err != nil || n != 2 {
		t.Fatalf("export %d %v", n, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("人事档案外借台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "档案所属人" || rows[0][4] != "审批人" || rows[0][6] != "应还日期" {
		t.Fatalf("rows %v", rows)
	}
	if rows[1][0] != "李四" || rows[1][8] != "借出中" || rows[2][0] != "张三" || rows[2][8] != "逾期 7 天" || rows[2][5] != "2026-11-02" {
		t.Fatalf("rows %v", rows)
	}
}
