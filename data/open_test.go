package data

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stationdesk/data/store"
)

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestUpgradeFromPreviousReleaseKeepsCounts makes a database the way the
// previous schema version left it (every step but the last), fills it with
// demo data, then opens it with this program: it migrates after a backup and
// keeps every count.
func TestUpgradeFromPreviousReleaseKeepsCounts(t *testing.T) {
	dir := t.TempDir()
	st, err := features(store.OpenAt(dir, SchemaVersion()-1))
	if err != nil {
		t.Fatalf("open at the previous version: %v", err)
	}
	ctx := context.Background()
	if _, err := runDemo(ctx, st, DemoOptions{Residents: 40, Visits: 90, Policies: 25, Seed: 5, Until: time.Date(2026, 6, 1, 0, 0, 0, 0, time.Local)}); err != nil {
		t.Fatal(err)
	}
	// The previous version knew fewer kinds: count the tables it had.
	before := map[string]int{}
	for _, k := range Kinds() {
		var n int
		if st.Read().QueryRow("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name=?", k.Table).Scan(&n); n == 0 {
			continue
		}
		if err := st.Read().QueryRow("SELECT count(*) FROM " + k.Table + " WHERE deleted = 0").Scan(&n); err != nil {
			t.Fatal(err)
		}
		before[k.Name] = n
	}
	st.Close()

	st, err = Open(dir)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer st.Close()
	var version int
	st.Read().QueryRow("PRAGMA user_version").Scan(&version)
	if version != SchemaVersion() {
		t.Fatalf("user_version %d after upgrade, want %d", version, SchemaVersion())
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, n := range before {
		if after[k] != n {
			t.Errorf("%s: %d before the upgrade, %d after", k, n, after[k])
		}
	}
	if before["visits"] != 90 || before["residents"] != 40 {
		t.Fatalf("demo counts %v", before)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "backups", fmt.Sprintf("*pre-migrate-v%d*", SchemaVersion()-1)))
	if len(backups) != 1 {
		t.Fatalf("want one pre-migration backup, got %v", backups)
	}
}

// withCheck appends the right check character to 17 digits.
func withCheck(first17 string) string { return first17 + string(idCheckChar(first17)) }

// wrongCheck appends a check character that is not the right one.
func wrongCheck(first17 string) string {
	c := idCheckChar(first17)
	if c == '1' {
		return first17 + "2"
	}
	return first17 + "1"
}
