package data

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func ledgerLeaders(t *testing.T, st *Store) []Officer {
	t.Helper()
	var out []Officer
	for _, o := range []Officer{{Name: "周建华", Role: "局长", Phone: "13873600001"}, {Name: "孙丽", Role: "副局长", Phone: "13873600002"}, {Name: "钱国强", Role: "副局长"}} {
		if err := st.AddOfficer(context.Background(), &o); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	return out
}

func TestRotaRoundRobinWithSwap(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	ls := ledgerLeaders(t, st)
	ids := []string{ls[0].ID, ls[1].ID, ls[2].ID}
	// 2026-11-16 (Mon) to 11-24 (Tue): seven working days, the weekend skipped.
	got, err := st.GenerateRota(ctx, "2026-11-16", "2026-11-24", ids)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"2026-11-16", "周建华"}, {"2026-11-17", "孙丽"}, {"2026-11-18", "钱国强"}, {"2026-11-19", "周建华"},
		{"2026-11-20", "孙丽"}, {"2026-11-23", "钱国强"}, {"2026-11-24", "周建华"}}
	check := func(label string, want [][2]string) []Duty {
		t.Helper()
		rota, err := st.Rota(ctx, "2026-11-01", "2026-11-30")
		if err != nil {
			t.Fatal(err)
		}
		if len(rota) != len(want) {
			t.Fatalf("%s: %d duties, want %d", label, len(rota), len(want))
		}
		for i, w := range want {
			if rota[i].Date != w[0] || rota[i].OfficerName != w[1] {
				t.Fatalf("%s: day %d is %s %s, want %v", label, i, rota[i].Date, rota[i].OfficerName, w)
			}
		}
		return rota
	}
	if len(got) != 7 {
		t.Fatalf("generated %d", len(got))
	}
	rota := check("generated", want)
	// 孙丽 (Tue 17th) swaps with 钱国强 (Mon 23rd).
	if err := st.SwapDuties(ctx, rota[1].ID, rota[5].ID, "", "办公室"); ErrorKind(err) != KindInvalid {
		t.Fatalf("swap without a reason: %v", err)
	}
	if err := st.SwapDuties(ctx, rota[0].ID, rota[3].ID, "x", "办公室"); ErrorKind(err) != KindInvalid {
		t.Fatalf("swap of one leader with himself: %v", err)
	}
	if err := st.SwapDuties(ctx, rota[1].ID, rota[5].ID, "外出开会", "办公室"); err != nil {
		t.Fatal(err)
	}
	want[1][1], want[5][1] = "钱国强", "孙丽"
	rota = check("after the swap", want)
	// A substitution: 周建华 stands in for 钱国强 on Wednesday 18th.
	if err := st.ReassignDuty(ctx, rota[2].ID, ls[0].ID, "病假", "办公室"); err != nil {
		t.Fatal(err)
	}
	want[2][1] = "周建华"
	check("after the substitution", want)
	swaps, err := st.DutySwaps(ctx, "2026-11-01", "2026-11-30")
	if err != nil || len(swaps) != 2 {
		t.Fatalf("swaps %v %v", swaps, err)
	}
	var sw DutySwap
	for _, w := range swaps {
		if w.OtherDate != "" {
			sw = w
		}
	}
	if sw.Date != "2026-11-17" || sw.FromName != "孙丽" || sw.ToName != "钱国强" || sw.OtherDate != "2026-11-23" || sw.Reason != "外出开会" ||
		sw.RecordedBy != "办公室" || sw.SwappedAt.IsZero() {
		t.Fatalf("swap recorded as %+v", sw)
	}
	// Regenerating a range replaces what was planned there, and only there.
	if _, err := st.GenerateRota(ctx, "2026-11-23", "2026-11-24", []string{ls[2].ID}); err != nil {
		t.Fatal(err)
	}
	want[5][1], want[6][1] = "钱国强", "钱国强"
	check("regenerated", want)
	if _, err := st.GenerateRota(ctx, "2026-11-24", "2026-11-23", ids); ErrorKind(err) != KindInvalid {
		t.Fatalf("backwards range: %v", err)
	}
	if _, err := st.GenerateRota(ctx, "2026-11-23", "2026-11-24", nil); ErrorKind(err) != KindInvalid {
		t.Fatalf("no leaders: %v", err)
	}
}

func TestRotaHallOpinionsJoinOpinions(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	ls := ledgerLeaders(t, st)
	rota, err := st.GenerateRota(ctx, "2026-11-17", "2026-11-18", []string{ls[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddHallOpinion(ctx, rota[0].ID, "养老保险", "希望认证能在村里办"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddHallOpinion(ctx, rota[1].ID, "", "明天的意见"); ErrorKind(err) != KindInvalid {
		t.Fatalf("opinion on a duty not yet begun: %v", err)
	}
	if _, err := st.AddHallOpinion(ctx, rota[0].ID, "", "  "); ErrorKind(err) != KindInvalid {
		t.Fatalf("empty opinion: %v", err)
	}
	ops, err := st.HallOpinions(ctx, "2026-11-17")
	if err != nil || len(ops) != 1 || ops[0].Content != "希望认证能在村里办" || ops[0].StatusBy != ls[1].ID {
		t.Fatalf("hall opinions %v %v", ops, err)
	}
	var source, status, resident string
	if err := st.Read().QueryRowContext(ctx, `SELECT source, status, resident_id FROM opinions WHERE id = ?`, ops[0].ID).Scan(&source, &status, &resident); err != nil {
		t.Fatal(err)
	}
	if source != "大厅值班" || status != "已记录" || resident != "" {
		t.Fatalf("opinion row %s %s %q", source, status, resident)
	}
	stats, _ := st.Stats(ctx)
	if stats["opinions"] != 1 || stats["duty_rota"] != 2 {
		t.Fatalf("stats %v", stats)
	}
}

func TestRotaPDFNamesTheLeaders(t *testing.T) {
	ledgerClock(t)
	ctx := context.Background()
	st := ledgerBureau(t)
	ls := ledgerLeaders(t, st)
	if _, err := st.GenerateRota(ctx, "2026-11-16", "2026-11-20", []string{ls[0].ID, ls[1].ID}); err != nil {
		t.Fatal(err)
	}
	from, to := WeekRange(ledgerClock(t))
	path := filepath.Join(t.TempDir(), "rota.pdf")
	if err := st.RotaPDF(ctx, path, "大厅值班表（本周）", from, to); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	for _, want := range []string{"大厅值班表", "周建华", "孙丽", "2026-11-16", "星期五", "13873600002"} {
		if !strings.Contains(text, want) {
			t.Errorf("rota PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "钱国强") {
		t.Error("the PDF names a leader not on the rota")
	}
}

func TestRotaOfAStationStaysItsOwnAtTheBureau(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st, b := net.stations[0], net.bureau
	head := Officer{Name: "王秀英", Role: "站长"}
	if err := st.AddOfficer(ctx, &head); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GenerateRota(ctx, "2026-11-16", "2026-11-20", []string{head.ID}); err != nil {
		t.Fatal(err)
	}
	chief := Officer{Name: "周建华", Role: "局长"}
	if err := b.AddOfficer(ctx, &chief); err != nil {
		t.Fatal(err)
	}
	mustImport(t, b, net.up(0), "imported")
	if stats, _ := b.Stats(ctx); stats["duty_rota"] != 5 {
		t.Fatalf("the station's rota did not reach the bureau: %v", stats)
	}
	if r, _ := b.Rota(ctx, "2026-11-01", "2026-11-30"); len(r) != 0 {
		t.Fatalf("the bureau lists the station's rota as its own: %v", r)
	}
	if _, err := b.GenerateRota(ctx, "2026-11-16", "2026-11-20", []string{chief.ID}); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.Rota(ctx, "2026-11-01", "2026-11-30"); len(r) != 5 || r[0].OfficerName != "周建华" {
		t.Fatalf("bureau rota %v", r)
	}
	if stats, _ := b.Stats(ctx); stats["duty_rota"] != 10 {
		t.Fatalf("the bureau's rota replaced the station's: %v", stats)
	}
}
