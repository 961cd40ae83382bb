//go:build !unix

package store

import "os"

// openNoBlock opens for reading (no FIFOs to wait on here).
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
