package store

// Fault tests: a power cut during a write (the writing process killed), a
// full disk, the database locked by another program, a read-only data
// folder. Each must give a clear error and lose nothing already saved.
// STATIONDESK_FAULT_LONG=1 runs the long variants (many kills at random
// moments).

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	faultChildEnv = "STATIONDESK_FAULT_CHILD" // mode:dir, set for the re-executed test binary
	faultLongEnv  = "STATIONDESK_FAULT_LONG"
)

// TestFaultChild is not a test on its own: it is the child process of the
// fault tests, re-executed from the test binary.
func TestFaultChild(t *testing.T) {
	spec := os.Getenv(faultChildEnv)
	if spec == "" {
		t.Skip("child process of the fault tests")
	}
	mode, dir, _ := strings.Cut(spec, ":")
	switch mode {
	case "write":
		faultWriter(dir)
	case "hold", "exclusive":
		faultLocker(dir, mode == "exclusive")
	}
	os.Exit(0)
}

// faultWriter commits officers in a loop and reports each commit on stdout.
func faultWriter(dir string) {
	st, err := Open(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ctx := context.Background()
	pad := strings.Repeat("值班记录", 200)
	var start int // numbering goes on from earlier rounds
	st.Read().QueryRow("SELECT count(*) FROM officers WHERE name LIKE 'fault-%'").Scan(&start)
	for i := start + 1; ; i++ {
		err := st.Write(ctx, func(tx *sql.Tx) error {
			o := &Officer{Name: fmt.Sprintf("fault-%06d", i), Duties: pad}
			if err := insertOfficer(ctx, tx, "430702101", o); err != nil {
				return err
			}
			return SetSettingTx(ctx, tx, fmt.Sprintf("fault-%d", i%50), pad)
		})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println(i) // committed
	}
}

// faultLocker takes the write lock (or, exclusive, the whole file) and
// holds it until its stdin closes.
func faultLocker(dir string, exclusive bool) {
	path := filepath.Join(dir, DBFileName)
	q := "file:" + filepath.ToSlash(path) + "?_pragma=busy_timeout(5000)"
	if exclusive {
		q += "&_pragma=locking_mode(EXCLUSIVE)"
	}
	db, err := sql.Open("sqlite", q)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for _, s := range []string{"BEGIN IMMEDIATE", "INSERT INTO settings(key, value) VALUES ('locker', 'x') ON CONFLICT(key) DO UPDATE SET value = 'y'"} {
		if _, err := conn.ExecContext(context.Background(), s); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
	}
	if exclusive {
		if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
}

type faultChild struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner
	stdin io.WriteCloser
}

func startFaultChild(t *testing.T, mode, dir string) *faultChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), faultChildEnv+"="+mode+":"+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &faultChild{cmd: cmd, lines: bufio.NewScanner(out), stdin: in}
	t.Cleanup(func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return c
}

// next is the child's next line; "" when it has ended.
func (c *faultChild) next() string {
	if !c.lines.Scan() {
		return ""
	}
	return c.lines.Text()
}

func faultStation(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Setup(context.Background(), Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return dir
}

func TestFaultKilledDuringWrite(t *testing.T) {
	rounds := 1
	if os.Getenv(faultLongEnv) != "" {
		rounds = 25
	}
	dir := faultStation(t)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	total := 0
	for round := 0; round < rounds; round++ {
		c := startFaultChild(t, "write", dir)
		// Kill after a random number of commits: mid-transaction or between.
		stopAt := total + 20 + rng.IntN(60)
		committed := 0
		for committed < stopAt {
			line := c.next()
			n, err := strconv.Atoi(line)
			if err != nil {
				t.Fatalf("child: %q", line)
			}
			committed = n
		}
		if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// Lines written before the kill are commits too.
		for line := c.next(); line != ""; line = c.next() {
			if n, err := strconv.Atoi(line); err == nil {
				committed = n
			}
		}
		c.cmd.Wait()
		total = committed

		st, err := Open(dir)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := st.IntegrityCheck(context.Background()); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var n int
		st.Read().QueryRow("SELECT count(*) FROM officers WHERE name LIKE 'fault-%'").Scan(&n)
		st.Close()
		// Every reported commit is there; at most the one being reported when killed is extra.
		if n < committed || n > committed+1 {
			t.Fatalf("round %d: %d officers after the kill, %d were committed", round, n, committed)
		}
		total = n
	}
	t.Logf("%d rounds, %d commits, all kept", rounds, total)
}

func TestFaultDiskFull(t *testing.T) {
	st := openStore(t, "")
	ctx := context.Background()
	if err := st.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, nil); err != nil {
		t.Fatal(err)
	}
	var pages int
	st.w.QueryRow("PRAGMA page_count").Scan(&pages)
	// A database that may not grow by more than 40 pages stands for a full disk.
	if _, err := st.w.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+40)); err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("满", 3000)
	saved := 0
	var full error
	for i := 0; i < 1000; i++ {
		err := st.AddOfficer(ctx, &Officer{Name: fmt.Sprintf("满-%d", i), Duties: pad})
		if err != nil {
			full = err
			break
		}
		saved++
	}
	if full == nil {
		t.Fatal("the database never filled up")
	}
	if !DiskFull(full) || ErrorKind(full) != KindIO || !strings.Contains(full.Error(), "disk full") {
		t.Fatalf("full disk gave %v (kind %q)", full, ErrorKind(full))
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	st.Read().QueryRow("SELECT count(*) FROM officers WHERE name LIKE '满-%'").Scan(&n)
	if n != saved || saved == 0 {
		t.Fatalf("%d officers kept, %d were saved", n, saved)
	}
	// Once there is room again, writing goes on.
	st.w.Exec("PRAGMA max_page_count = 1073741823")
	if err := st.AddOfficer(ctx, &Officer{Name: "有空间了"}); err != nil {
		t.Fatal(err)
	}
}

func TestFaultLockedByAnotherProcess(t *testing.T) {
	old := busyTimeoutMS
	busyTimeoutMS = 300
	defer func() { busyTimeoutMS = old }()
	dir := faultStation(t)
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.AddOfficer(ctx, &Officer{Name: "王秀英"}); err != nil {
		t.Fatal(err)
	}

	// Another program holds the write lock: a write says so and loses nothing.
	c := startFaultChild(t, "hold", dir)
	if line := c.next(); line != "locked" {
		t.Fatalf("child: %q", line)
	}
	err = st.AddOfficer(ctx, &Officer{Name: "李建国"})
	if ErrorKind(err) != KindLocked || !strings.Contains(err.Error(), "locked by another program") {
		t.Fatalf("write while locked: %v (kind %q)", err, ErrorKind(err))
	}
	c.stdin.Close()
	c.cmd.Wait()
	if err := st.AddOfficer(ctx, &Officer{Name: "李建国"}); err != nil {
		t.Fatalf("after the lock went: %v", err)
	}
	offs, _ := st.Officers(ctx, false)
	if len(offs) != 2 {
		t.Fatalf("%d officers, want 2", len(offs))
	}
	st.Close()

	// Another program holds the whole file: opening says so.
	c = startFaultChild(t, "exclusive", dir)
	if line := c.next(); line != "locked" {
		t.Fatalf("child: %q", line)
	}
	_, err = Open(dir)
	if ErrorKind(err) != KindLocked {
		t.Fatalf("open while held: %v (kind %q)", err, ErrorKind(err))
	}
	c.stdin.Close()
	c.cmd.Wait()
	st2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if err := st2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestFaultRestoreRefusesOpenDatabase(t *testing.T) {
	dir := faultStation(t)
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	file, err := st.BackupTo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// st is still open (as the GUI would be): the restore must refuse.
	if _, err := Restore(ctx, dir, file, ""); ErrorKind(err) != KindLocked {
		t.Fatalf("restore under an open store: %v", err)
	}
	if err := st.AddOfficer(ctx, &Officer{Name: "还能写"}); err != nil {
		t.Fatalf("store after refused restore: %v", err)
	}
}

func TestFaultReadOnlyDataFolder(t *testing.T) {
	dir := faultStation(t)
	ctx := context.Background()
	if os.Geteuid() == 0 {
		// root writes anywhere: stand in a folder that refuses new files.
		old := probeWritable
		probeWritable = func(string) error {
			return &Error{Kind: KindIO, Op: "data folder is read-only or full", Err: &os.PathError{Op: "open", Path: dir, Err: syscall.EROFS}}
		}
		defer func() { probeWritable = old }()
	} else {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o700)
	}
	_, err := Open(dir)
	if ErrorKind(err) != KindIO || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("read-only folder: %v (kind %q)", err, ErrorKind(err))
	}
	if os.Geteuid() != 0 {
		os.Chmod(dir, 0o700)
	} else {
		probeWritable = func(dir string) error { return nil }
	}
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if id, ok, _ := st.Identity(ctx); !ok || id.Code != "430702101" {
		t.Fatal("data lost after the read-only folder")
	}
}
