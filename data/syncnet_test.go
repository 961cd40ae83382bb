package data

// The sync test network and small database helpers for the tests of the
// features that sync (bureau figures, liaison, reach, backups, ...); sync's
// own tests have theirs in data/sync.

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// syncNet is one bureau and its enrolled stations, each in its own folder.
type syncNet struct {
	t          testing.TB
	bureau     *Store
	stations   []*Store
	codes      []string
	out        string
	enrolFiles [][]byte // each station's enrolment file, as AddStation wrote it
}

func newSyncNet(t testing.TB, n int) *syncNet {
	t.Helper()
	ctx := context.Background()
	net := &syncNet{t: t, out: t.TempDir()}
	net.bureau = openStore(t, "")
	if err := net.bureau.Setup(ctx, Identity{Role: RoleBureau, Name: "示例区人社局", Code: "430702"}, nil); err != nil {
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

func mustImport(t testing.TB, st *Store, path, want string) *ImportResult {
	t.Helper()
	r, err := st.ImportBundle(context.Background(), path)
	if r.Status != want {
		t.Fatalf("import %s: status %s (%s), want %s; err %v", filepath.Base(path), r.Status, r.Message, want, err)
	}
	return r
}

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

// dbDump is every row of every table, sorted: equal dumps, equal databases.
func dbDump(t testing.TB, st *Store) string {
	t.Helper()
	ctx := context.Background()
	tables := ids(t, st, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	var b strings.Builder
	for _, tb := range tables {
		rows, err := st.Read().QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(tb, `"`, `""`)+`"`)
		if err != nil {
			continue // shadow tables of full-text indexes
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "## %s\n%s\n", tb, strings.Join(lines, "\n"))
	}
	return b.String()
}

// diskState lists every file beside the data folder (its parent, the data
// folder left out) with its size: what an attack must not touch.
func diskState(t testing.TB, st *Store) string {
	t.Helper()
	root := filepath.Dir(st.Dir)
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p == st.Dir {
			return filepath.SkipDir
		}
		info, _ := d.Info()
		if info != nil {
			out = append(out, fmt.Sprintf("%s %d %v", p, info.Size(), info.Mode()))
		}
		return nil
	})
	return strings.Join(out, "\n")
}
