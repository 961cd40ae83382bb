package store

import (
	"context"
	"testing"
	"time"
)

func TestBackupRotation(t *testing.T) {
	day := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	b := func(s, label string) BackupInfo { return BackupInfo{Path: s + " " + label, Time: day(s), Label: label} }
	// 2026-11-17 is a Tuesday.
	daily := func(n int) []BackupInfo {
		var out []BackupInfo
		start := day("2026-11-17 09:00")
		for i := 0; i < n; i++ {
			d := start.AddDate(0, 0, -i)
			out = append(out, BackupInfo{Path: d.Format("2006-01-02 15:04") + " daily", Time: d, Label: BackupDaily})
		}
		return out
	}
	cases := []struct {
		name string
		in   []BackupInfo
		keep []string
	}{
		{"nothing", nil, nil},
		{"a few days: all kept", daily(5), []string{"2026-11-17 09:00 daily", "2026-11-16 09:00 daily", "2026-11-15 09:00 daily", "2026-11-14 09:00 daily", "2026-11-13 09:00 daily"}},
		{"sixty days: seven days and four weeks",
			daily(60),
			[]string{
				"2026-11-17 09:00 daily", "2026-11-16 09:00 daily", "2026-11-15 09:00 daily", "2026-11-14 09:00 daily",
				"2026-11-13 09:00 daily", "2026-11-12 09:00 daily", "2026-11-11 09:00 daily",
				// then the newest of four older weeks: W46 (before the 11th), W45, W44, W43
				"2026-11-10 09:00 daily", "2026-11-08 09:00 daily", "2026-11-01 09:00 daily", "2026-10-25 09:00 daily",
			}},
		{"several in one day: the newest of the day, and the newest three",
			[]BackupInfo{b("2026-11-17 08:00", BackupDaily), b("2026-11-17 10:00", BackupPreImport), b("2026-11-17 11:00", BackupPreImport),
				b("2026-11-17 12:00", BackupPreImport), b("2026-11-17 13:00", BackupPreImport)},
			[]string{"2026-11-17 13:00 pre-import", "2026-11-17 12:00 pre-import", "2026-11-17 11:00 pre-import"}},
		{"pre-migration copies stay",
			append(daily(20), b("2026-01-05 10:00", "pre-migrate-v3")),
			[]string{
				"2026-11-17 09:00 daily", "2026-11-16 09:00 daily", "2026-11-15 09:00 daily", "2026-11-14 09:00 daily",
				"2026-11-13 09:00 daily", "2026-11-12 09:00 daily", "2026-11-11 09:00 daily",
				"2026-11-10 09:00 daily", "2026-11-08 09:00 daily", "2026-11-01 09:00 daily",
				"2026-01-05 10:00 pre-migrate-v3",
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keep, drop := planRotation(c.in)
			if len(keep)+len(drop) != len(c.in) {
				t.Fatalf("kept %d + dropped %d of %d", len(keep), len(drop), len(c.in))
			}
			var got []string
			for _, k := range keep {
				got = append(got, k.Path)
			}
			if len(got) != len(c.keep) {
				t.Fatalf("kept %q\nwant %q", got, c.keep)
			}
			for i := range got {
				if got[i] != c.keep[i] {
					t.Fatalf("kept %q\nwant %q", got, c.keep)
				}
			}
		})
	}
}

func TestAutoBackupOncePerDayAndRotates(t *testing.T) {
	st := openStore(t, "")
	ctx := context.Background()
	start := time.Date(2026, 9, 1, 9, 0, 0, 0, time.Local)
	for i := 0; i < 40; i++ {
		now := start.AddDate(0, 0, i)
		p, err := st.AutoBackup(ctx, now)
		if err != nil || p == "" {
			t.Fatalf("day %d: %q %v", i, p, err)
		}
		if p2, err := st.AutoBackup(ctx, now.Add(3*time.Hour)); err != nil || p2 != "" {
			t.Fatalf("second backup on day %d: %q %v", i, p2, err)
		}
	}
	list, err := ListBackups(BackupDir(st.Dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != KeepDaily+KeepWeekly {
		t.Fatalf("%d backups kept: %v", len(list), list)
	}
	if err := CheckBackup(ctx, list[0].Path, true); err != nil {
		t.Fatalf("newest backup: %v", err)
	}
}
