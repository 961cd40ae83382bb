package data

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The layers of data/ (docs/architecture.md) and who may import whom. Each
// rule names the project packages a layer may depend on, directly or
// through another: the engine stands alone, documents know only the
// embedded assets, sync knows only the engine, the features know the three;
// the demo generator is imported only by app, the commands and bench (and
// tests, which go list -deps does not follow).
const module = "stationdesk"

var layerRules = []struct {
	pkg     string   // import path
	dir     string   // folder, relative to data/
	allowed []string // project packages it may depend on
}{
	{module + "/data/store", "store", nil},
	{module + "/data/render", "render", []string{module + "/assets"}},
	{module + "/data/sync", "sync", []string{module + "/data/store"}},
	{module + "/data", ".", []string{module + "/data/store", module + "/data/sync", module + "/data/render", module + "/assets"}},
}

// demoImporters are the packages (and those below them) that may import data/demo.
var demoImporters = []string{module + "/app", module + "/cmd", module + "/bench", module + "/data/demo"}

// projectDeps runs go list -deps over patterns for goos and maps each
// project package to the project packages it depends on (itself left out).
func projectDeps(t *testing.T, goos string, patterns ...string) map[string][]string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	args := append([]string{"list", "-e", "-deps", "-tags", "migrated_fynedo",
		"-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}{{if .Error}} ERROR {{.Error}}{{end}}`}, patterns...)
	cmd := exec.Command(goBin, args...)
	cmd.Env = append(os.Environ(), "GOOS="+goos)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list (GOOS=%s): %v\n%s", goos, err, msg)
	}
	deps := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !inModule(f[0]) {
			continue
		}
		if i := slices.Index(f, "ERROR"); i > 0 {
			t.Fatalf("go list (GOOS=%s) %s: %s", goos, f[0], strings.Join(f[i+1:], " "))
		}
		var own []string
		for _, d := range f[1:] {
			if inModule(d) && d != f[0] {
				own = append(own, d)
			}
		}
		deps[f[0]] = own
	}
	return deps
}

func inModule(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }

// hasGoFiles says whether dir holds a Go file of the package (tests aside).
func hasGoFiles(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}

func TestLayerImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	var present []string
	for _, r := range layerRules {
		if !hasGoFiles(r.dir) {
			t.Logf("%s does not exist yet: its rule is skipped", r.pkg)
			continue
		}
		present = append(present, r.pkg)
	}
	for _, goos := range slices.Compact([]string{runtime.GOOS, "linux", "windows"}) {
		all := projectDeps(t, goos, module+"/...")
		for _, r := range layerRules {
			if !slices.Contains(present, r.pkg) {
				continue
			}
			deps, ok := all[r.pkg]
			if !ok {
				t.Errorf("GOOS=%s: go list did not list %s", goos, r.pkg)
				continue
			}
			for _, d := range deps {
				if !slices.Contains(r.allowed, d) {
					t.Errorf("GOOS=%s: %s depends on %s; it may depend only on %v", goos, r.pkg, d, r.allowed)
				}
			}
		}
		for pkg, deps := range all {
			if !slices.Contains(deps, module+"/data/demo") || slices.ContainsFunc(demoImporters, func(p string) bool {
				return pkg == p || strings.HasPrefix(pkg, p+"/")
			}) {
				continue
			}
			t.Errorf("GOOS=%s: %s depends on %s/data/demo; only app, cmd, bench and tests may", goos, pkg, module)
		}
	}
}
