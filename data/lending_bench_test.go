package data

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// BenchmarkLendingWeek measures the weekly review list and the overdue check
// over a ledger of 20,000 loans (decades of a bureau's lending).
func BenchmarkLendingWeek(b *testing.B) {
	ctx := context.Background()
	st := ledgerBureau(b)
	start := time.Date(2000, 1, 3, 0, 0, 0, 0, time.Local)
	if err := st.Write(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 20000; i++ {
			out := start.AddDate(0, 0, i%9800)
			back := out.AddDate(0, 0, 10).Format("2006-01-02")
			if i%50 == 0 {
				back = ""
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO archive_lendings(`+lendingCols+`) VALUES (?, '430702', 0, 0, ?, '区委组织部', '刘军', '考察', '周敏', ?, ?, ?, '')`,
				NewID(), fmt.Sprintf("档案%d", i), out.Format("2006-01-02"), out.AddDate(0, 0, 14).Format("2006-01-02"), back); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	day := time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)
	b.Run("week", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.WeekLendings(ctx, day); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("overdue", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.OverdueLendings(ctx, day); err != nil {
				b.Fatal(err)
			}
		}
	})
}
