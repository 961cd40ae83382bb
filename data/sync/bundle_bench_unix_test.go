//go:build unix

package sync_test

import "syscall"

// cpuSeconds is the CPU time this process has used: on a shared machine it
// says more about the code than the wall clock does.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
