// Command stationctl is Station Desk's headless command line, over the same
// data layer as the GUI. It builds with CGO_ENABLED=0.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	os.Exit(profiled(func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

// profiled runs fn with a CPU profile written to $STATIONDESK_CPUPROFILE when
// that is set: how the import figures of `make bench` are profiled in the
// very process they are measured in.
func profiled(fn func() int) int {
	path := os.Getenv("STATIONDESK_CPUPROFILE")
	if path == "" {
		return fn()
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stationctl: cpu profile:", err)
		return fn()
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "stationctl: cpu profile:", err)
		return fn()
	}
	defer pprof.StopCPUProfile()
	return fn()
}
