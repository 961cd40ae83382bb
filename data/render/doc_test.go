package render

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Documents know no database: nothing under render reaches database/sql or
// SQLite (the project's own imports are checked by data's TestLayerImports).
func TestNoSQL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-tags", "migrated_fynedo", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/go-pdf/fpdf") {
		t.Fatalf("go list gave no dependencies: %q", deps)
	}
	for _, d := range deps {
		if d == "database/sql" || strings.HasPrefix(d, "modernc.org/sqlite") {
			t.Errorf("render depends on %s", d)
		}
	}
}
