package data

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// edit makes one tracked change in st (as the app would: a write transaction).
func edit(t testing.TB, st *Store, q string, args ...any) {
	t.Helper()
	if err := st.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(q, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func ids(t testing.TB, st *Store, q string, args ...any) []string {
	t.Helper()
	rows, err := st.Read().Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

// written is the last value one node wrote into one record's notes field.
type written struct{ kind, id, node, token string }

// TestSyncConvergence is the round-trip property: one bureau, three
// stations, random edits, deletions and replies on every side, and bundles
// that are lost, delivered twice or out of order. After a few honest rounds
// every copy agrees and no written value is lost: it is either the current
// value or kept in a conflict list.
func TestSyncConvergence(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	steps := 120
	if os.Getenv("STATIONDESK_SYNC_LONG") != "" {
		seeds = []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
		steps = 600
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { convergence(t, seed, steps) })
	}
}

func convergence(t *testing.T, seed uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 99))
	net := newSyncNet(t, 3)
	nodes := append([]*Store{net.bureau}, net.stations...)
	codes := append([]string{"430702"}, net.codes...)
	last := map[string]written{} // kind/id/node -> last write
	superseded := map[string]bool{}
	tok := 0
	write := func(n int, kind, id string) {
		tok++
		token := fmt.Sprintf("t%d-%s", tok, codes[n])
		col := "notes"
		if kind == "opinions" {
			col = "reply"
			if n > 0 {
				col = "content"
			}
		}
		if kind == "policies" {
			col = "local_notes"
		}
		// A value this node has seen and now overwrites is superseded, not lost.
		var old string
		nodes[n].Read().QueryRow("SELECT "+col+" FROM "+kind+" WHERE id = ?", id).Scan(&old)
		superseded[old] = true
		edit(t, nodes[n], "UPDATE "+kind+" SET "+col+" = ?, updated_at = updated_at + 1 WHERE id = ?", token, id)
		last[kind+"/"+id+"/"+codes[n]] = written{kind, id, codes[n], token}
	}
	insert := func(n int, kind string) {
		id := NewID()
		tok++
		token := fmt.Sprintf("t%d-%s", tok, codes[n])
		switch kind {
		case "visits":
			edit(t, nodes[n], `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', ?)`, id, codes[n], token)
		case "opinions":
			edit(t, nodes[n], `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, 1, 1, '2026-11-01', ?)`, id, codes[n], token)
		case "policies":
			source := SourceLocal
			if n == 0 {
				source = SourceBureau
			}
			edit(t, nodes[n], `INSERT INTO policies(id, origin, created_at, updated_at, title, local_notes, source) VALUES (?, ?, 1, 1, '关于做好资格认证工作的通知', ?, ?)`, id, codes[n], token, source)
		}
		last[kind+"/"+id+"/"+codes[n]] = written{kind, id, codes[n], token}
	}
	// Each station starts with a few records, the bureau with policies.
	for n := 1; n <= 3; n++ {
		for i := 0; i < 3; i++ {
			insert(n, "visits")
			insert(n, "opinions")
		}
	}
	for i := 0; i < 3; i++ {
		insert(0, "policies")
	}
	var toBureau []string
	toStation := make([][]string, 4)
	deliver := func(queue *[]string, st *Store) {
		if len(*queue) == 0 {
			return
		}
		i := rng.IntN(len(*queue))
		p := (*queue)[i]
		r, err := st.ImportBundle(ctx, p)
		if r.Status == "refused" && r.Reason != "replayed" && r.Reason != "rolled_back" {
			t.Fatalf("import %s refused: %s (%v)", p, r.Message, err)
		}
		if rng.IntN(3) != 0 { // else keep it to deliver again later
			*queue = append((*queue)[:i], (*queue)[i+1:]...)
		}
	}
	for step := 0; step < steps; step++ {
		n := rng.IntN(4)
		switch op := rng.IntN(10); {
		case op < 4: // edit something this node may edit
			var cands []string
			kind := []string{"visits", "opinions", "policies"}[rng.IntN(3)]
			if n == 0 {
				cands = ids(t, nodes[0], "SELECT id FROM "+kind)
			} else {
				// A station changes only its own records (sync_authority.go).
				cands = ids(t, nodes[n], "SELECT id FROM "+kind+" WHERE origin = ?", codes[n])
			}
			if len(cands) == 0 {
				continue
			}
			id := cands[rng.IntN(len(cands))]
			if rng.IntN(8) == 0 {
				edit(t, nodes[n], "UPDATE "+kind+" SET deleted = 1 - deleted WHERE id = ?", id)
				continue
			}
			write(n, kind, id)
		case op < 5:
			if n == 0 {
				insert(0, "policies")
			} else {
				insert(n, []string{"visits", "opinions"}[rng.IntN(2)])
			}
		case op < 7: // export
			if n == 0 {
				s := 1 + rng.IntN(3)
				toStation[s] = append(toStation[s], net.down(s-1))
			} else {
				toBureau = append(toBureau, net.up(n-1))
			}
		case op < 8: // lose a bundle
			if n == 0 && len(toBureau) > 0 {
				toBureau = toBureau[1:]
			} else if n > 0 && len(toStation[n]) > 0 {
				toStation[n] = toStation[n][1:]
			}
		default: // deliver one, maybe keeping it to deliver again
			if n == 0 {
				deliver(&toBureau, net.bureau)
			} else {
				deliver(&toStation[n], nodes[n])
			}
		}
	}
	// Then honest rounds: every bundle delivered, in order.
	for round := 0; round < 3; round++ {
		for i := range net.stations {
			p := net.up(i)
			if r, err := net.bureau.ImportBundle(ctx, p); r.Status != "imported" {
				t.Fatalf("round %d: %s %v", round, r.Message, err)
			}
		}
		for i, st := range net.stations {
			p := net.down(i)
			if r, err := st.ImportBundle(ctx, p); r.Status != "imported" {
				t.Fatalf("round %d: %s %v", round, r.Message, err)
			}
		}
	}
	// All copies agree on what each station holds.
	for i, st := range net.stations {
		code := net.codes[i]
		scope := func(kind string, row map[string]any) bool {
			k, _ := syncKind(kind)
			if row["origin"] == code || (k.StationColumn != "" && row[k.StationColumn] == code) {
				return true
			}
			if k.Broadcast && row["origin"] == "430702" {
				return true
			}
			return false
		}
		atBureau, atStation := snapshot(t, net.bureau, scope), snapshot(t, st, nil)
		for k, v := range atStation {
			if atBureau[k] != v {
				t.Errorf("station %s: %s\n station %s\n bureau  %s", code, k, v, atBureau[k])
			}
		}
		for k := range atBureau {
			if _, ok := atStation[k]; !ok {
				t.Errorf("station %s lacks %s", code, k)
			}
		}
		// Nothing left to send either way.
		if r, err := st.ExportBundle(ctx, net.out, "", nil); err != nil || r.Records != 0 {
			t.Errorf("station %s still has %d records to send after the receipts (%v)", code, r.Records, err)
		}
	}
	// Nothing lost: every last write is current or kept as a conflict's loser.
	conflictRows := map[string]string{}
	for _, st := range nodes {
		rows, err := st.Read().Query(`SELECT kind || '/' || record_id, loser_row FROM sync_conflicts`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k, r string
			rows.Scan(&k, &r)
			conflictRows[k] += r
		}
		rows.Close()
	}
	final := snapshot(t, net.bureau, nil)
	lost, conflicts := 0, 0
	for _, w := range last {
		cur := final[w.kind+"/"+w.id]
		if cur == "" {
			t.Errorf("record %s/%s (by %s) missing at the bureau", w.kind, w.id, w.node)
			continue
		}
		if strings.Contains(cur, strconv.Quote(w.token)) {
			continue
		}
		if superseded[w.token] {
			continue
		}
		if strings.Contains(conflictRows[w.kind+"/"+w.id], strconv.Quote(w.token)) {
			conflicts++
			continue
		}
		lost++
		t.Errorf("write %s by %s to %s/%s lost", w.token, w.node, w.kind, w.id)
	}
	for _, st := range nodes {
		if err := st.IntegrityCheck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d: %d records, %d last writes, %d kept as conflicts", seed, len(final), len(last), conflicts)
}
