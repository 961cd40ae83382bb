package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestScreenshotsLargeLight renders the main screens at 特大 in the light
// theme on a 1366×768 window (make screenshots writes them to
// docs/screenshots/large-*.png), and checks that each still fits.
func TestScreenshotsLargeLight(t *testing.T) {
	layoutOnly(t)
	st := trainingDemo(t)
	e := newTestEnv(t, st, fyne.NewSize(1366, 768))
	e.App.Settings().SetTheme(NewThemeMode(largestScale(), "light"))
	e.showForTest(newShell(e))
	shots := []struct {
		name string
		show func()
	}{
		{"large-light-home", func() { e.Show("home") }},
		{"large-light-policies", func() {
			e.Show("policies")
			e.wait()
			l := e.views["policies"].(*policyLibrary)
			if len(l.hits) > 0 {
				l.list.Select(0)
			}
		}},
		{"large-light-training", func() { e.Show("training") }},
		{"large-light-attendance", func() {
			last, ok, err := st.LastStudyDay(t.Context(), fixedNow)
			if err != nil || !ok {
				t.Fatalf("no study day in the demo: %v", err)
			}
			e.views["training"].(*trainingUI).showAttendance(last.Training)
		}},
		{"large-light-residents", func() { e.Show("service") }},
		{"large-light-settings", func() { e.Show("settings") }},
	}
	for _, s := range shots {
		s.show()
		e.wait()
		if m := windowMin(e); !fits(m) {
			t.Errorf("%s: window minimum %v", s.name, m)
		}
		snap(t, e.Win, s.name)
	}
}
