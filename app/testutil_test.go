package app

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// fixedNow is the UI clock in tests: a Tuesday, 2026-11-17.
var fixedNow = time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local)

// newTestStore opens a fresh database under t.TempDir(); withDemo fills it with
// the default demo data up to fixedNow.
func newTestStore(t testing.TB, withDemo bool) *data.Store {
	t.Helper()
	st, err := data.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if withDemo {
		if _, err := demo.Run(t.Context(), st, demo.Default(fixedNow)); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// testTextScale is the text size newTestEnv's theme has (fit_test.go sets 特大).
var testTextScale float32 = 1

// newTestEnv gives a test app with the real theme and a window of the given size.
func newTestEnv(t testing.TB, st *data.Store, size fyne.Size) *Env {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme(testTextScale))
	w := test.NewWindow(nil)
	t.Cleanup(func() {
		if windowOpen(w) { // a test may have closed it (the close guard's tests)
			w.Close()
		}
	})
	w.Resize(size)
	old := now
	now = func() time.Time { return fixedNow }
	t.Cleanup(func() { now = old })
	e := &Env{App: a, Win: w, Store: st, Ctx: t.Context()}
	q := &uiQueue{}
	queues.Store(e, q)
	t.Cleanup(func() { queues.Delete(e) })
	e.do = q.push
	if id, ok, err := st.Identity(t.Context()); err == nil && ok {
		e.Ident = id
	}
	return e
}

// uiQueue holds results of Go work until the test goroutine runs them: the
// test driver's fyne.Do would run them on the worker goroutine, racing the test.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

// queues maps each test Env to its queue.
var queues sync.Map

func (q *uiQueue) push(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

func (q *uiQueue) take() []func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	fns := q.fns
	q.fns = nil
	return fns
}

// wait lets every Go call finish and runs its result on the test goroutine,
// until no work is left (results may start more work).
func (e *Env) wait() {
	for {
		e.busy.Wait()
		q, _ := queues.Load(e)
		fns := q.(*uiQueue).take()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// show puts obj in the env's window and lets pending loads finish.
func (e *Env) showForTest(obj fyne.CanvasObject) {
	e.Win.SetContent(obj)
	e.wait()
}

// snap writes the window to $STATIONDESK_SCREENSHOTS/name.png (make screenshots).
func snap(t testing.TB, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("STATIONDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// msgText is every message a form's fieldMessages shows now, field lines and
// status line, joined.
func msgText(m *fieldMessages) string {
	var out []string
	for _, s := range m.all {
		if s.line.Visible() && s.line.Text != "" {
			out = append(out, s.line.Text)
		}
	}
	if m.status.Visible() && m.status.Text != "" {
		out = append(out, m.status.Text)
	}
	return strings.Join(out, "；")
}
