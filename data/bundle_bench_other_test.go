//go:build !unix

package data

func cpuSeconds() float64 { return 0 }
