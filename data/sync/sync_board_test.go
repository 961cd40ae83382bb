package sync_test

import (
	"context"
	"strings"
	"testing"

	"stationdesk/data"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// TestConflictAsAPersonReadsIt: a conflict names the record, the sides by
// name, fields in Chinese, values as a person reads them; a list in another
// order is no conflict; settling tells the losing station in its next
// bundle, and an undo takes the settlement (and the record) back.
func TestConflictAsAPersonReadsIt(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	rid, id := data.NewID(), data.NewID()
	edit(t, st, `INSERT INTO residents(id, origin, created_at, updated_at, name, village) VALUES (?, ?, 1, 1, '张桂兰', '丹洲村')`, rid, net.codes[0])
	edit(t, st, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, services, notes) VALUES (?, ?, 1, 1, '2026-11-01', ?, '["资格认证","政策解读"]', '首次')`, id, net.codes[0], rid)
	net.syncAround()
	edit(t, st, `UPDATE visits SET notes = '站点修改', services = '["政策解读","资格认证"]', followup_done_at = '2026-11-03' WHERE id = ?`, id)
	// The bureau's edit is the later one: its clock a millisecond past the
	// station's (both edits may fall within one millisecond, and on equal
	// clocks the higher node code, the station's, would win).
	var stationHLC int64
	st.Read().QueryRow(`SELECT hlc FROM sync_state WHERE one = 1`).Scan(&stationHLC)
	edit(t, net.bureau, `UPDATE sync_state SET hlc = max(hlc, ?) WHERE one = 1`, stationHLC+1<<dsync.HlcShift)
	edit(t, net.bureau, `UPDATE visits SET notes = '局端修改' WHERE id = ?`, id)
	net.syncAround()
	net.syncAround()
	cs, err := net.bureau.Conflicts(ctx, false, 10)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %+v %v", cs, err)
	}
	c := cs[0]
	if !strings.Contains(c.Summary, "张桂兰") || !strings.Contains(c.Summary, "2026-11-01") {
		t.Errorf("summary %q does not name the record", c.Summary)
	}
	names := map[string]bool{c.WinnerName: true, c.LoserName: true}
	if !names["本局"] || !names["桃花镇劳动保障站"] {
		t.Errorf("sides named %q and %q", c.WinnerName, c.LoserName)
	}
	for _, f := range c.Fields {
		if f.Name == "services" {
			t.Errorf("the same services in another order shown as a conflict: %+v", f)
		}
		if f.Label == f.Name {
			t.Errorf("field %s has no Chinese name", f.Name)
		}
		if strings.Contains(f.Current+f.Loser, "[") || strings.Contains(f.Current+f.Loser, "e+") {
			t.Errorf("field %s shown raw: %q / %q", f.Name, f.Current, f.Loser)
		}
	}
	if got := dsync.ConflictValue("status_at", float64(1796594628954)); !strings.HasPrefix(got, "2026-") || len(got) != len("2026-12-06 14:20") {
		t.Errorf("a stamp reads %q", got)
	}
	if got := dsync.ConflictValue("services", `["资格认证","政策解读"]`); got != "资格认证、政策解读" {
		t.Errorf("a list reads %q", got)
	}
	loserNode := c.LoserNode
	winnerNotes := notes(t, net.bureau, id)

	// Keep the current value: the station whose edit lost is told.
	if err := net.bureau.SettleConflict(ctx, c.N, false, "王科长"); err != nil {
		t.Fatal(err)
	}
	net.syncAround()
	outs, err := st.ConflictOutcomes(ctx, 10)
	if loserNode != net.codes[0] {
		t.Fatalf("the later edit (the bureau's) lost: loser %s", loserNode)
	}
	if err != nil || len(outs) != 1 || !strings.Contains(outs[0].Summary, "张桂兰") || outs[0].SettledBy != "王科长" {
		t.Fatalf("the losing station was not told: %+v %v", outs, err)
	}
	// Undo: open again, the outcome withdrawn at the station.
	if err := net.bureau.UndoSettlement(ctx, c.N); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.UndoSettlement(ctx, c.N); data.ErrorKind(err) != data.KindConflict {
		t.Fatalf("undo of an open conflict: %v", err)
	}
	net.syncAround()
	if outs, _ := st.ConflictOutcomes(ctx, 10); len(outs) != 0 {
		t.Fatalf("outcome not withdrawn: %+v", outs)
	}
	// Take the other side, then undo: the record is as it was.
	if err := net.bureau.SettleConflict(ctx, c.N, true, "王科长"); err != nil {
		t.Fatal(err)
	}
	if got := notes(t, net.bureau, id); got == winnerNotes {
		t.Fatalf("taking the other side left %q", got)
	}
	if err := net.bureau.UndoSettlement(ctx, c.N); err != nil {
		t.Fatal(err)
	}
	if got := notes(t, net.bureau, id); got != winnerNotes {
		t.Fatalf("after undo the record says %q, want %q", got, winnerNotes)
	}
	net.syncAround()
	if a := notes(t, st, id); a != winnerNotes {
		t.Fatalf("station has %q after the undo travelled, want %q", a, winnerNotes)
	}
	if open, _ := net.bureau.Conflicts(ctx, false, 10); len(open) != 1 {
		t.Fatalf("%d open conflicts after undo, want 1", len(open))
	}
}

// TestSetColumnsNeverConflictOnOrder: the bureau and a station both change
// a visit's services to the same set in another order: nothing to settle.
func TestSetColumnsNeverConflictOnOrder(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	id, other := data.NewID(), data.NewID()
	for _, v := range []string{id, other} {
		edit(t, st, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, services) VALUES (?, ?, 1, 1, '2026-11-01', 'r', '["政策解读"]')`, v, net.codes[0])
	}
	net.syncAround()
	edit(t, st, `UPDATE visits SET services = '["资格认证","政策解读"]' WHERE id = ?`, id)
	edit(t, net.bureau, `UPDATE visits SET services = '["政策解读","资格认证"]' WHERE id = ?`, id)
	// The control: another set is a real conflict.
	edit(t, st, `UPDATE visits SET services = '["资格认证","政策解读"]' WHERE id = ?`, other)
	edit(t, net.bureau, `UPDATE visits SET services = '["政策解读","医保报销"]' WHERE id = ?`, other)
	net.syncAround()
	net.syncAround()
	cs, err := net.bureau.Conflicts(ctx, true, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].RecordID != other {
		t.Fatalf("conflicts %+v: want only the visit whose services differ as sets", cs)
	}
}

// TestConflictFieldsMaskPersonal: the board shows a kind's personal ID
// number and phone masked (RecordKind.Personal), its other fields as they are.
func TestConflictFieldsMaskPersonal(t *testing.T) {
	k, ok := dsync.SyncKind("residents")
	if !ok {
		t.Fatal("residents do not sync")
	}
	cur := map[string]any{"id_number": "43070219500101123X", "phone": "13812341234", "village": "丹洲村", "name": "张桂兰"}
	loser := map[string]any{"id_number": "430702195001011247", "phone": "13912341234", "village": "桃花村", "name": "张桂英"}
	got := map[string]dsync.FieldDiff{}
	for _, f := range dsync.DiffRows(cur, loser, k.Personal) {
		got[f.Name] = f
	}
	if f := got["id_number"]; f.Current != "430702********123X" || f.Loser != store.MaskIDNumber("430702195001011247") {
		t.Errorf("id_number shown as %+v", f)
	}
	if f := got["phone"]; f.Current != "138****1234" || f.Loser != "139****1234" {
		t.Errorf("phone shown as %+v", f)
	}
	if f := got["village"]; f.Current != "丹洲村" || f.Loser != "桃花村" {
		t.Errorf("village shown as %+v", f)
	}
	if f := got["name"]; f.Current != "张桂兰" || f.Loser != "张桂英" {
		t.Errorf("name shown as %+v", f)
	}
}
