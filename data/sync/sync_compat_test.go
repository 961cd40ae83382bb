package sync_test

import (
	"context"
	"testing"

	"stationdesk/data"
)

// TestTrainingWithoutPoliciesTravels: a session saved with no linked
// policies reaches the bureau. The program stored such a list as JSON null
// before it wrote [], and stations hold those rows; the checks of incoming
// records must take both.
func TestTrainingWithoutPoliciesTravels(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	tr := &data.Training{Type: data.TrainingSpecial, Date: "2026-11-10", Start: "09:00", End: "10:00", Topic: "业务培训", Place: "站会议室"}
	if err := st.SaveTraining(ctx, tr); err != nil {
		t.Fatal(err)
	}
	var stored string
	st.Read().QueryRow(`SELECT policy_ids FROM trainings WHERE id = ?`, tr.ID).Scan(&stored)
	if stored != "[]" {
		t.Fatalf("policy_ids stored as %q, want []", stored)
	}
	old := &data.Training{Type: data.TrainingSpecial, Date: "2026-11-11", Start: "09:00", End: "10:00", Topic: "旧版本保存的培训", Place: "站会议室"}
	if err := st.SaveTraining(ctx, old); err != nil {
		t.Fatal(err)
	}
	edit(t, st, `UPDATE trainings SET policy_ids = 'null', updated_at = updated_at + 1 WHERE id = ?`, old.ID)
	mustImport(t, net.bureau, net.up(0), "imported")
	var n int
	net.bureau.Read().QueryRow(`SELECT count(*) FROM trainings WHERE id IN (?, ?)`, tr.ID, old.ID).Scan(&n)
	if n != 2 {
		t.Fatalf("%d of 2 sessions arrived at the bureau", n)
	}
}
