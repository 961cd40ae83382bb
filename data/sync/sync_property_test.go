package sync_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
	dsync "stationdesk/data/sync"
)

// edit makes one tracked change in st (as the app would: a write transaction).
func edit(t testing.TB, st *data.Store, q string, args ...any) {
	t.Helper()
	if err := st.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(q, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func ids(t testing.TB, st *data.Store, q string, args ...any) []string {
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
type written struct {
	kind, id, node, token string
	step                  int // when it was written (-1: before the random steps)
}

// TestSyncConvergence is the round-trip property: one bureau, three
// stations, random edits, deletions and replies on every side, and bundles
// that are lost, delivered twice or out of order. After a few honest rounds
// every copy agrees and no written value is lost: it is either the current
// value or kept in a conflict list.
//
// Two more actors: a hostile fourth station that signs, with its own valid
// key, bundles of changes outside its authority (none may land anywhere),
// and stations that restore a backup at random points (what the bureau
// holds of theirs must come back; only what never left the station is lost
// with its disk).
func TestSyncConvergence(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	steps := 120
	if os.Getenv("STATIONDESK_SYNC_LONG") != "" {
		seeds = []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
		steps = 600
	}
	if v, err := strconv.ParseUint(os.Getenv("STATIONDESK_SYNC_SEED"), 10, 64); err == nil {
		seeds, steps = []uint64{v}, 600 // one seed of the long run, again
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { convergence(t, seed, steps) })
	}
}

func convergence(t *testing.T, seed uint64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 99))
	net := newSyncNet(t, 4)
	hostile, hostileCode := net.stations[3], net.codes[3]
	net.stations, net.codes = net.stations[:3], net.codes[:3]
	nodes := append([]*data.Store{net.bureau}, net.stations...)
	codes := append([]string{"430702"}, net.codes...)
	last := map[string]written{} // kind/id/node -> last write
	superseded := map[string]bool{}
	tok, step := 0, -1
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
		last[kind+"/"+id+"/"+codes[n]] = written{kind, id, codes[n], token, step}
	}
	insert := func(n int, kind string) {
		id := data.NewID()
		tok++
		token := fmt.Sprintf("t%d-%s", tok, codes[n])
		switch kind {
		case "visits":
			edit(t, nodes[n], `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, notes) VALUES (?, ?, 1, 1, '2026-11-01', 'r', ?)`, id, codes[n], token)
		case "opinions":
			edit(t, nodes[n], `INSERT INTO opinions(id, origin, created_at, updated_at, date, content) VALUES (?, ?, 1, 1, '2026-11-01', ?)`, id, codes[n], token)
		case "policies":
			source := data.SourceLocal
			if n == 0 {
				source = data.SourceBureau
			}
			edit(t, nodes[n], `INSERT INTO policies(id, origin, created_at, updated_at, title, local_notes, source) VALUES (?, ?, 1, 1, '关于做好资格认证工作的通知', ?, ?)`, id, codes[n], token, source)
		}
		last[kind+"/"+id+"/"+codes[n]] = written{kind, id, codes[n], token, step}
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
	deliver := func(queue *[]string, st *data.Store) {
		if len(*queue) == 0 {
			return
		}
		i := rng.IntN(len(*queue))
		p := (*queue)[i]
		r, err := st.ImportBundle(ctx, p)
		if r.Status == "refused" && r.Reason != "replayed" && r.Reason != "rolled_back" && r.Reason != "old_epoch" {
			t.Fatalf("import %s refused: %s (%v)", p, r.Message, err)
		}
		if rng.IntN(3) != 0 { // else keep it to deliver again later
			*queue = append((*queue)[:i], (*queue)[i+1:]...)
		}
	}
	backups, backedUp := map[int]string{}, map[int]int{}
	backupDir := t.TempDir()
	restores, attacks := 0, 0
	for step = 0; step < steps; step++ {
		n := rng.IntN(4)
		op := rng.IntN(12)
		switch {
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
				// Each side deletes only its own records (the bureau answers
				// a station's opinion, it does not delete it).
				edit(t, nodes[n], "UPDATE "+kind+" SET deleted = 1 - deleted WHERE id = ? AND origin = ?", id, codes[n])
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
		case op < 10: // deliver one, maybe keeping it to deliver again
			if n == 0 {
				deliver(&toBureau, net.bureau)
			} else {
				deliver(&toStation[n], nodes[n])
			}
		case op < 11: // a station backs up, or restores its last backup
			if n == 0 {
				continue
			}
			if backups[n] == "" || rng.IntN(2) == 0 {
				b, err := nodes[n].Backup(ctx, backupDir, data.BackupManual)
				if err != nil {
					t.Fatal(err)
				}
				backups[n], backedUp[n] = b, step
				continue
			}
			// What the bureau holds of the station's must come back; its
			// writes since the backup that never reached the bureau are
			// lost with its disk.
			atBureau := heldAt(t, net.bureau)
			for k, w := range last {
				if w.node == codes[n] && w.step >= backedUp[n] && !strings.Contains(atBureau, strconv.Quote(w.token)) {
					delete(last, k)
				}
			}
			dir := nodes[n].Dir
			nodes[n].Close()
			if _, err := data.Restore(ctx, dir, backups[n], ""); err != nil {
				t.Fatal(err)
			}
			nodes[n] = openStore(t, dir)
			net.stations[n-1] = nodes[n]
			restores++
		default: // the hostile station tries something outside its authority
			attacks++
			hostileBundle(t, rng, net.bureau, hostile, hostileCode, fmt.Sprintf("hostile-%d", attacks))
		}
	}
	step = steps
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
			k, _ := dsync.SyncKind(kind)
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
	// Nothing hostile landed anywhere.
	for i, st := range nodes {
		if h := heldAt(t, st); strings.Contains(h, "hostile-") {
			t.Errorf("%s holds a hostile change", codes[i])
		}
	}
	for _, st := range nodes {
		if err := st.IntegrityCheck(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d: %d records, %d last writes, %d kept as conflicts, %d restores, %d hostile bundles refused", seed, len(final), len(last), conflicts, restores, attacks)
}

// heldAt is every value a store holds: its records and its conflict list.
func heldAt(t testing.TB, st *data.Store) string {
	t.Helper()
	var b strings.Builder
	for _, v := range snapshot(t, st, nil) {
		b.WriteString(v)
	}
	for _, r := range ids(t, st, `SELECT loser_row FROM sync_conflicts`) {
		b.WriteString(r)
	}
	return b.String()
}

// hostileBundle sends the bureau a bundle signed with the hostile station's
// own key: a change of a record that is not its own (another station's or the
// bureau's, kept as its owner's, taken over, or passed off as the bureau's
// version), beside a record of its own that must not land either. It must be
// refused whole.
func hostileBundle(t *testing.T, rng *rand.Rand, bureau, hostile *data.Store, code, token string) {
	t.Helper()
	var keys []string
	all := snapshot(t, bureau, nil)
	for k := range all {
		kind := k[:strings.IndexByte(k, '/')]
		if kind == "visits" || kind == "opinions" || kind == "policies" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return
	}
	sort.Strings(keys)
	key := keys[rng.IntN(len(keys))]
	kind := key[:strings.IndexByte(key, '/')]
	var row map[string]any
	if err := json.Unmarshal([]byte(all[key]), &row); err != nil {
		t.Fatal(err)
	}
	col := map[string]string{"visits": "notes", "opinions": "content", "policies": "title"}[kind]
	row[col] = token
	node := code
	switch rng.IntN(4) {
	case 1:
		row["origin"] = code // take the record over
	case 2:
		node = "430702" // pass the change off as the bureau's
	case 3:
		row["deleted"] = 1
	}
	hlc := (time.Now().UnixMilli() + 1000) << dsync.HlcShift
	own := data.NewID()
	records := map[string][]string{
		kind: {handRecord(row["id"].(string), hlc, node, row)},
	}
	records["visits"] = append(records["visits"], handRecord(own, hlc, code, map[string]any{
		"origin": code, "created_at": 1, "updated_at": 1, "deleted": 0, "date": "2026-11-01", "resident_id": "r", "notes": token}))
	r, err := bureau.ImportBundle(context.Background(), handBundle(t, hostile, bureau, records))
	if r.Status != "refused" {
		t.Fatalf("hostile bundle (%s %s) imported: %s", kind, row["id"], r.Message)
	}
	if _, ok := dsync.RefusalOf(err); !ok {
		t.Fatalf("hostile bundle: %v", err)
	}
}
