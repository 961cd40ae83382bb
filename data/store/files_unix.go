//go:build unix

package store

import (
	"os"
	"syscall"
)

// openNoBlock opens for reading without waiting for a writer, should the
// path have become a FIFO since it was looked at.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
