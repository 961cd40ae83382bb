package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
	dsync "stationdesk/data/sync"
)

// syncNet is one bureau and its enrolled stations, each in its own folder.
type syncNet struct {
	t          testing.TB
	bureau     *data.Store
	stations   []*data.Store
	codes      []string
	out        string
	enrolFiles [][]byte // each station's enrolment file, as AddStation wrote it
}

func newSyncNet(t testing.TB, n int) *syncNet {
	t.Helper()
	ctx := context.Background()
	net := &syncNet{t: t, out: t.TempDir()}
	net.bureau = openStore(t, "")
	if err := net.bureau.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := net.bureau.EnsureKeys(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		code := []string{"430702101", "430702102", "430702103", "430702104"}[i]
		file, err := net.bureau.AddStation(ctx, code, []string{"桃花镇劳动保障站", "柳树镇劳动保障站", "石门镇劳动保障站", "白鹤镇劳动保障站"}[i])
		if err != nil {
			t.Fatal(err)
		}
		st := openStore(t, "")
		if _, err := st.Enroll(ctx, file); err != nil {
			t.Fatal(err)
		}
		net.stations = append(net.stations, st)
		net.codes = append(net.codes, code)
		net.enrolFiles = append(net.enrolFiles, file)
	}
	return net
}

// copyOfStore opens a copy of st's data folder (e.g. a fresh bureau for
// each import to compare or time).
func copyOfStore(t testing.TB, st *data.Store) *data.Store {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, st.Dir, dir)
	return openStore(t, dir)
}

// up exports station i's bundle and returns its path.
func (n *syncNet) up(i int) string {
	n.t.Helper()
	r, err := n.stations[i].ExportBundle(context.Background(), n.out, "", nil)
	if err != nil {
		n.t.Fatal(err)
	}
	return r.Path
}

func (n *syncNet) down(i int) string {
	n.t.Helper()
	r, err := n.bureau.ExportBundle(context.Background(), n.out, n.codes[i], nil)
	if err != nil {
		n.t.Fatal(err)
	}
	return r.Path
}

func mustImport(t testing.TB, st *data.Store, path, want string) *dsync.ImportResult {
	t.Helper()
	r, err := st.ImportBundle(context.Background(), path)
	if r.Status != want {
		t.Fatalf("import %s: status %s (%s), want %s; err %v", filepath.Base(path), r.Status, r.Message, want, err)
	}
	return r
}

// snapshot is every synced record of a store, by kind and id, as JSON.
func snapshot(t testing.TB, st *data.Store, filter func(kind string, row map[string]any) bool) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	tx, err := st.Read().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, k := range dsync.SyncKinds() {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM "+k.Table)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		sort.Strings(ids)
		for _, id := range ids {
			cols, _ := dsync.TableColumns(ctx, tx, k.Table)
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := tx.QueryRowContext(ctx, "SELECT "+dsync.SelectList(cols, "")+" FROM "+k.Table+" WHERE id = ?", id).Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := map[string]any{}
			for i, c := range cols {
				row[c.Name] = vals[i]
			}
			if filter != nil && !filter(k.Name, row) {
				continue
			}
			j, _ := dsync.AppendRow(nil, cols, vals, dsync.InlineBlob)
			out[k.Name+"/"+id] = string(j)
		}
	}
	return out
}

func TestSyncRoundTripBasic(t *testing.T) {
	ctx := context.Background()
	net := newSyncNet(t, 1)
	st := net.stations[0]
	if _, err := runDemo(ctx, st, demo.Options{Residents: 30, Visits: 60, Policies: 5, Seed: 7, Until: time.Date(2026, 11, 17, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	p := net.up(0)
	info, err := net.bureau.VerifyBundle(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Records["residents"] != 30 || info.Records["visits"] != 60 {
		t.Fatalf("verify counts %v", info.Records)
	}
	r := mustImport(t, net.bureau, p, "imported")
	if r.Applied == 0 || r.Conflicts != 0 {
		t.Fatalf("first import: %+v", r)
	}
	before := snapshot(t, net.bureau, nil)
	mustImport(t, net.bureau, p, "skipped")
	if after := snapshot(t, net.bureau, nil); len(after) != len(before) {
		t.Fatal("re-import changed the bureau")
	}
	stats, _ := net.bureau.Stats(ctx)
	if stats["residents"] != 30 || stats["visits"] != 60 {
		t.Fatalf("bureau stats %v", stats)
	}
	// The receipt going down stops the station re-sending.
	d := net.down(0)
	mustImport(t, st, d, "imported")
	p2 := net.up(0)
	info2, err := net.bureau.VerifyBundle(ctx, p2)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range info2.Records {
		total += n
	}
	if total != 0 {
		t.Fatalf("after the receipt the station still sends %v", info2.Records)
	}
	mustImport(t, net.bureau, p2, "imported")
	// Station's view of its own records equals the bureau's.
	mine := func(kind string, row map[string]any) bool { return row["origin"] == net.codes[0] }
	a, b := snapshot(t, st, mine), snapshot(t, net.bureau, mine)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("station %d records, bureau %d", len(a), len(b))
	}
	for k, v := range a {
		if b[k] != v {
			t.Fatalf("%s differs:\nstation %s\nbureau  %s", k, v, b[k])
		}
	}
	if err := net.bureau.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove
}
