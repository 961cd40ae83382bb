//go:build !unix

package sync_test

func cpuSeconds() float64 { return 0 }
