// Command stationctl is Station Desk's headless command line, over the same
// data layer as the GUI. It builds with CGO_ENABLED=0.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
