// Command bench measures Station Desk against the performance targets of
// DESIGN.md and prints one line per figure with its target and ok or SHORT.
// It writes the figures to bench/results.json. `make bench` runs it; it never
// fails a build on a SHORT figure, it reports.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"stationdesk/assets"
	"stationdesk/data"
)

// Figure is one measured number beside its target.
type Figure struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Target string  `json:"target"`
	OK     bool    `json:"ok"`
	Note   string  `json:"note,omitempty"`
}

type results struct {
	Version  string    `json:"version"`
	When     time.Time `json:"when"`
	GOOS     string    `json:"goos"`
	CPUs     int       `json:"cpus"`
	Figures  []Figure  `json:"figures"`
	Failures []string  `json:"failures,omitempty"`
}

var (
	work     = flag.String("work", "bench/work", "scratch folder (removed and made anew)")
	out      = flag.String("out", "bench/results.json", "where to write the figures")
	ctl      = flag.String("stationctl", "bin/stationctl", "stationctl binary")
	gui      = flag.String("stationdesk", "bin/stationdesk", "stationdesk GUI binary (\"\" skips the start-up figure)")
	bigN     = flag.Int("big", 1000000, "records in the bundle whose import memory is measured (0 skips)")
	searches = flag.Int("searches", 2000, "policy searches to time")
)

func main() {
	flag.Parse()
	r := &results{Version: assets.Version, When: time.Now(), GOOS: runtime.GOOS + "/" + runtime.GOARCH, CPUs: runtime.NumCPU()}
	if *reachOnly != "" {
		measureReach(r, *reachOnly)
		return
	}
	if err := run(r); err != nil {
		r.Failures = append(r.Failures, err.Error())
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	fmt.Printf("\nfigures written to %s\n", *out)
}

func (r *results) add(f Figure) {
	mark := "ok"
	if !f.OK {
		mark = "SHORT"
	}
	fmt.Printf("%-52s %12.2f %-6s target %-16s %s", f.Name, f.Value, f.Unit, f.Target, mark)
	if f.Note != "" {
		fmt.Printf("  (%s)", f.Note)
	}
	fmt.Println()
	r.Figures = append(r.Figures, f)
}

func (r *results) fail(what string, err error) {
	msg := fmt.Sprintf("%s: %v", what, err)
	fmt.Printf("%-52s FAILED: %v\n", what, err)
	r.Failures = append(r.Failures, msg)
}

// lastCPU is the CPU seconds (user + system) of the last stationctl run: on
// a loaded machine wall times vary far more than CPU time.
var lastCPU float64

// stationctl runs one command and returns its stdout, wall time and peak RSS.
func stationctl(args ...string) ([]byte, time.Duration, int64, error) {
	cmd := exec.Command(*ctl, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	outb, err := cmd.Output()
	d := time.Since(t0)
	var rss int64
	lastCPU = 0
	if cmd.ProcessState != nil {
		lastCPU = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss * 1024 // kilobytes on Linux
		}
	}
	if err != nil {
		return outb, d, rss, fmt.Errorf("stationctl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return outb, d, rss, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// enrolPair makes a bureau and one station enrolled to it under root.
func enrolPair(root, code string) (bureau, station string, err error) {
	bureau, station = filepath.Join(root, "bureau"), filepath.Join(root, "station")
	enroll := filepath.Join(root, "enroll.json")
	if _, _, _, err := stationctl("init", "bureau", "--name", "武陵区人力资源和社会保障局", "--code", "430702", "--data-dir", bureau); err != nil {
		return "", "", err
	}
	// The enrolment file is sealed under a one-time code that station add prints.
	out, _, _, err := stationctl("station", "add", "--code", code, "--name", "示例镇劳动保障站", "--out", enroll, "--data-dir", bureau, "--json")
	if err != nil {
		return "", "", err
	}
	var added struct {
		OneTimeCode string `json:"one_time_code"`
	}
	if err := json.Unmarshal(out, &added); err != nil {
		return "", "", fmt.Errorf("station add: %w", err)
	}
	if _, _, _, err := stationctl("init", "station", "--enroll", enroll, "--code", added.OneTimeCode, "--data-dir", station); err != nil {
		return "", "", err
	}
	return bureau, station, nil
}

func run(r *results) error {
	if err := os.RemoveAll(*work); err != nil {
		return err
	}
	if err := os.MkdirAll(*work, 0o755); err != nil {
		return err
	}
	fmt.Printf("Station Desk %s benchmarks on %s, %d CPUs\n\n", assets.Version, r.GOOS, r.CPUs)

	bureau, station, err := enrolPair(filepath.Join(*work, "main"), "430702101")
	if err != nil {
		return err
	}
	_, d, _, err := stationctl("demo", "--residents", "20000", "--visits", "100000", "--policies", "10000", "--seed", "1", "--data-dir", station)
	if err != nil {
		return err
	}
	fmt.Printf("demo data (10,000 policies, 20,000 residents, 100,000 visits, a year of training) made in %.1f s\n\n", d.Seconds())

	measureQueries(r, station)
	measureReach(r, station)
	measureBundles(r, bureau, station)
	if *bigN > 0 {
		measureBigImport(r)
	}
	if *gui != "" {
		measureStartup(r, station)
	}
	return nil
}

// openStation opens a station's database in this process (nil: failed, reported).
func openStation(r *results, dir string) *data.Store {
	st, err := data.Open(dir)
	if err != nil {
		r.fail("open station database", err)
		return nil
	}
	return st
}

// measureQueries opens the station's database in this process and times the
// policy search and the first pages of the visit lists.
func measureQueries(r *results, dir string) {
	ctx := context.Background()
	st := openStation(r, dir)
	if st == nil {
		return
	}
	defer st.Close()
	queries := []string{"保", "医", "档", "卡", "证", "险", "医保", "档案", "认证", "社保", "失业", "工伤", "就业", "养老",
		"资格认证", "养老保险", "社保卡", "创业担保", "异地就医", "劳动合同", "农民工工资",
		"2014", "2019", "〔2014〕", "〔2018〕2", "人社发", "医保 报销", "档案 外借", "养老 认证"}
	var times []time.Duration
	for i := 0; i < *searches; i++ {
		q := queries[i%len(queries)]
		t0 := time.Now()
		if _, err := st.SearchPolicies(ctx, data.PolicyQuery{Text: q, Limit: 50}); err != nil {
			r.fail("policy search", err)
			return
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	med, p99 := times[len(times)/2], times[len(times)*99/100]
	r.add(Figure{Name: "policy search, 10,000 policies: median", Value: ms(med), Unit: "ms", Target: "< 5 ms", OK: med < 5*time.Millisecond,
		Note: fmt.Sprintf("%d queries of 1–5 characters and 文号 fragments", len(times))})
	r.add(Figure{Name: "policy search, 10,000 policies: p99", Value: ms(p99), Unit: "ms", Target: "< 30 ms", OK: p99 < 30*time.Millisecond})

	page := func(name string, fn func() error) {
		var ts []time.Duration
		for i := 0; i < 30; i++ {
			t0 := time.Now()
			if err := fn(); err != nil {
				r.fail(name, err)
				return
			}
			ts = append(ts, time.Since(t0))
		}
		slices.Sort(ts)
		m := ts[len(ts)/2]
		r.add(Figure{Name: name, Value: ms(m), Unit: "ms", Target: "< 50 ms", OK: m < 50*time.Millisecond, Note: "median of 30"})
	}
	page("visit list, first page of 50, 100,000 visits", func() error {
		_, err := st.Visits(ctx, data.VisitFilter{Limit: 50})
		return err
	})
	page("follow-up queue, first page of 50, 100,000 visits", func() error {
		if _, err := st.FollowupQueue(ctx, data.VisitFilter{Limit: 50}); err != nil {
			return err
		}
		_, _, err := st.CountFollowups(ctx, data.VisitFilter{})
		return err
	})
}

type exportOut struct {
	Path    string `json:"path"`
	Records int    `json:"records"`
	Bytes   int64  `json:"bytes"`
}

func export(dir, outDir string, station ...string) (exportOut, time.Duration, error) {
	args := []string{"bundle", "export", "--out", outDir, "--json", "--data-dir", dir}
	if len(station) > 0 {
		args = append(args, "--station", station[0])
	}
	b, d, _, err := stationctl(args...)
	var e exportOut
	if err == nil {
		err = json.Unmarshal(b, &e)
	}
	return e, d, err
}

// importSummary reads `bundle import --json` output: applied and skipped, whatever its shape.
func importCounts(b []byte) (applied, skipped int) {
	var list []map[string]any
	var wrapped struct {
		Bundles []map[string]any `json:"bundles"`
	}
	if json.Unmarshal(b, &wrapped) == nil && wrapped.Bundles != nil {
		list = wrapped.Bundles
	} else if json.Unmarshal(b, &list) != nil {
		var one map[string]any
		if json.Unmarshal(b, &one) == nil {
			list = []map[string]any{one}
		}
	}
	for _, m := range list {
		if v, ok := m["applied"].(float64); ok {
			applied += int(v)
		}
		if v, ok := m["skipped"].(float64); ok {
			skipped += int(v)
		}
	}
	return
}

func measureBundles(r *results, bureau, station string) {
	outDir := filepath.Join(*work, "main", "bundles")
	os.MkdirAll(outDir, 0o755)
	e, d, err := export(station, outDir)
	if err != nil {
		r.fail("bundle export", err)
		return
	}
	exportCPU := lastCPU
	r.add(Figure{Name: "bundle export, 100,000 visits + 20,000 residents", Value: d.Seconds(), Unit: "s", Target: "< 3 s", OK: d < 3*time.Second,
		Note: fmt.Sprintf("%d records, %.1f MB, whole stationctl run, %.2f s CPU", e.Records, float64(e.Bytes)/1e6, exportCPU)})

	b, d, _, err := stationctl("bundle", "import", e.Path, "--json", "--data-dir", bureau)
	if err != nil {
		r.fail("bundle import", err)
		return
	}
	applied, _ := importCounts(b)
	rate := float64(e.Records) / d.Seconds()
	r.add(Figure{Name: "bundle import at the bureau", Value: rate, Unit: "rec/s", Target: ">= 50,000/s", OK: rate >= 50000,
		Note: fmt.Sprintf("%d records (%d applied) in %.2f s, whole stationctl run; %.2f s CPU (%.0f rec/s of CPU)", e.Records, applied, d.Seconds(), lastCPU, float64(e.Records)/lastCPU)})
	importTime := d

	b, d, _, err = stationctl("bundle", "import", e.Path, "--json", "--data-dir", bureau)
	if err != nil {
		r.fail("bundle import again", err)
		return
	}
	applied, _ = importCounts(b)
	r.add(Figure{Name: "the same bundle imported again", Value: d.Seconds(), Unit: "s", Target: "< 0.5 s, 0 rows", OK: d < 500*time.Millisecond && applied == 0,
		Note: fmt.Sprintf("%d applied", applied)})

	if t, n, err := sqliteImport(station); err != nil {
		r.fail("sqlite3 .import of the same rows", err)
	} else {
		ratio := importTime.Seconds() / t.Seconds()
		r.add(Figure{Name: "import time / sqlite3 shell .import of the same rows", Value: ratio, Unit: "x", Target: "<= 3x", OK: ratio <= 3,
			Note: fmt.Sprintf("sqlite3 took %.2f s for %d rows from CSV into equivalent tables", t.Seconds(), n)})
	}
}

// sqliteImport dumps the station's record tables to CSV and times the
// sqlite3 shell importing them into a fresh database with the same tables
// and indexes.
func sqliteImport(station string) (time.Duration, int, error) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		return 0, 0, errors.New("sqlite3 shell not installed (apt-get install sqlite3)")
	}
	src := filepath.Join(station, data.DBFileName)
	dir := filepath.Join(*work, "main", "csv")
	os.MkdirAll(dir, 0o755)
	var script strings.Builder
	script.WriteString(".mode csv\n")
	total := 0
	for _, k := range data.Kinds() {
		csvPath := filepath.Join(dir, k.Table+".csv")
		f, err := os.Create(csvPath)
		if err != nil {
			return 0, 0, err
		}
		dump := exec.Command("sqlite3", "-csv", src, "SELECT * FROM "+k.Table)
		dump.Stdout = f
		if err := dump.Run(); err != nil {
			f.Close()
			return 0, 0, fmt.Errorf("dump %s: %w", k.Table, err)
		}
		f.Close()
		var n int
		if c, err := exec.Command("sqlite3", src, "SELECT count(*) FROM "+k.Table).Output(); err == nil {
			fmt.Sscan(string(c), &n) // rows, not lines: policy bodies span lines
		}
		if n == 0 {
			continue
		}
		total += n
		// The table and its indexes, not its triggers (they write tables of
		// the program's own). CSV has no NULL: STRICT goes, and a unique
		// index over a nullable column becomes a plain one.
		schema, err := exec.Command("sqlite3", src, "SELECT sql || ';' FROM sqlite_schema WHERE tbl_name = '"+k.Table+
			"' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC").Output()
		if err != nil {
			return 0, 0, err
		}
		ddl := strings.ReplaceAll(strings.ReplaceAll(string(schema), ") STRICT", ")"), "CREATE UNIQUE INDEX", "CREATE INDEX")
		fmt.Fprintf(&script, "%s\n.import %s %s\n", ddl, csvPath, k.Table)
	}
	db := filepath.Join(dir, "ratio.db")
	cmd := exec.Command("sqlite3", db)
	cmd.Stdin = strings.NewReader("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nBEGIN;\n" + script.String() + "COMMIT;\n")
	t0 := time.Now()
	if outb, err := cmd.CombinedOutput(); err != nil {
		return 0, 0, fmt.Errorf("sqlite3: %v: %s", err, outb)
	}
	return time.Since(t0), total, nil
}

// measureBigImport exports a station with about bigN records and measures
// the bureau's import from the operating system's accounting (peak RSS).
func measureBigImport(r *results) {
	bureau, station, err := enrolPair(filepath.Join(*work, "big"), "430702102")
	if err != nil {
		r.fail("big import set-up", err)
		return
	}
	visits := *bigN - *bigN/50
	if _, _, _, err := stationctl("demo", "--residents", fmt.Sprint(*bigN/50), "--visits", fmt.Sprint(visits), "--policies", "0", "--seed", "2", "--data-dir", station); err != nil {
		r.fail("big demo", err)
		return
	}
	outDir := filepath.Join(*work, "big", "bundles")
	os.MkdirAll(outDir, 0o755)
	e, ed, err := export(station, outDir)
	if err != nil {
		r.fail("big export", err)
		return
	}
	_, d, rss, err := stationctl("bundle", "import", e.Path, "--json", "--data-dir", bureau)
	if err != nil {
		r.fail("big import", err)
		return
	}
	bigCPU := lastCPU
	mb := float64(rss) / (1 << 20)
	r.add(Figure{Name: fmt.Sprintf("peak memory importing a bundle of %d records", e.Records), Value: mb, Unit: "MB", Target: "< 200 MB", OK: mb < 200,
		Note: fmt.Sprintf("getrusage max RSS of stationctl; export %.1f s, import %.1f s (%.1f s CPU), %.0f rec/s", ed.Seconds(), d.Seconds(), bigCPU, float64(e.Records)/d.Seconds())})
}

// measureStartup starts the GUI under Xvfb over the large database; the app,
// asked by STATIONDESK_EXIT_AFTER_FIRST_FRAME, prints a line once its first
// frame with the home screen's figures is up, then quits.
func measureStartup(r *results, station string) {
	if _, err := os.Stat(*gui); err != nil {
		r.fail("GUI start", fmt.Errorf("%s not built", *gui))
		return
	}
	if _, err := exec.LookPath("xvfb-run"); err != nil {
		r.fail("GUI start", errors.New("xvfb-run not installed"))
		return
	}
	var best time.Duration
	for i := 0; i < 3; i++ {
		// xvfb-run's own start-up is timed apart and taken off.
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		script := `t0=$(date +%s%N); "$1" --data-dir "$2" | while read -r line; do case "$line" in first-frame*) echo "$line $(( ($(date +%s%N) - t0) / 1000000 ))"; esac; done`
		cmd := exec.CommandContext(ctx, "xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "sh", "-c", script, "sh", *gui, station)
		cmd.Env = append(os.Environ(), "STATIONDESK_EXIT_AFTER_FIRST_FRAME=1")
		outb, err := cmd.Output()
		cancel()
		if err != nil {
			r.fail("GUI start", err)
			return
		}
		var msv int64
		for _, line := range strings.Split(string(outb), "\n") {
			if strings.HasPrefix(line, "first-frame") {
				f := strings.Fields(line)
				fmt.Sscan(f[len(f)-1], &msv)
			}
		}
		if msv == 0 {
			r.fail("GUI start", fmt.Errorf("no first-frame line: %q", outb))
			return
		}
		d := time.Duration(msv) * time.Millisecond
		if best == 0 || d < best {
			best = d
		}
	}
	r.add(Figure{Name: "GUI start to first frame, large database, Xvfb", Value: ms(best), Unit: "ms", Target: "< 1000 ms", OK: best < time.Second,
		Note: "best of 3, from exec to the home screen's figures shown"})
}
