package data

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLendingReviewSheet: the week's printable sheet lists exactly that
// week's entries and carries the lines the deputy director signs.
func TestLendingReviewSheet(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	today := ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	addLending(t, st, "前一周日", "2026-11-15", "2026-11-30", "")
	addLending(t, st, "王建国", "2026-11-16", "2026-11-30", "")
	addLending(t, st, "李秀英", "2026-11-17", "2026-11-30", "2026-11-17")
	path := filepath.Join(t.TempDir(), "周审核表.pdf")
	n, err := st.LendingReviewSheet(ctx, today, today, path)
	if err != nil || n != 2 {
		t.Fatalf("sheet: %d entries, %v", n, err)
	}
	text := pdfText(t, path)
	for _, want := range []string{"人事档案外借周审核表", "2026-11-16 至 2026-11-22", "王建国", "李秀英", "未归还", "分管副局长（签字）", "审核意见"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if strings.Contains(text, "前一周日") {
		t.Error("the sheet lists the week before")
	}
	if _, err := st.ReviewWeek(ctx, today, "孙副局长", "手续齐全"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LendingReviewSheet(ctx, today, today, path); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, path); !strings.Contains(text, "手续齐全") || !strings.Contains(text, "孙副局长") {
		t.Errorf("the reviewed sheet lacks the review: %s", text)
	}
}
