//go:build race

package app

// raceOn: the tests run under -race, where SQLite is ~50× slower. Tests that
// open dozens of stores only for layout (fit_test.go) run in make test's
// plain pass instead.
const raceOn = true
