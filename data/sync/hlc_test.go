package sync

import "testing"

// TestMergeTieBreak pins the merge rule for fixed cases, equal clocks
// included: every version of the program must pick the same winner.
func TestMergeTieBreak(t *testing.T) {
	v := func(h int64, n string) version { return version{h, n} }
	for _, c := range []struct {
		name                 string
		cur, curBase, in, ib version
		have                 bool
		want                 outcome
	}{
		{"no local record", v(0, ""), v(0, ""), v(5, "430702101"), v(0, ""), false, takeIncoming},
		{"same version", v(5, "430702101"), v(0, ""), v(5, "430702101"), v(0, ""), true, keepLocal},
		{"made over ours", v(5, "430702"), v(0, ""), v(3, "430702101"), v(5, "430702"), true, takeIncoming},
		{"ours made over it", v(3, "430702"), v(5, "430702101"), v(5, "430702101"), v(0, ""), true, keepLocal},
		{"same node, later", v(5, "430702101"), v(0, ""), v(6, "430702101"), v(0, ""), true, takeIncoming},
		{"same node, earlier", v(6, "430702101"), v(0, ""), v(5, "430702101"), v(0, ""), true, keepLocal},
		{"concurrent, higher clock wins", v(5, "430702"), v(0, ""), v(6, "430702101"), v(0, ""), true, conflictWin},
		{"concurrent, lower clock loses", v(6, "430702101"), v(0, ""), v(5, "430702"), v(0, ""), true, conflictLose},
		// Equal clocks: the higher node code (string order) wins, on both sides.
		{"equal clocks, higher node incoming", v(7, "430702"), v(0, ""), v(7, "430702101"), v(0, ""), true, conflictWin},
		{"equal clocks, higher node local", v(7, "430702101"), v(0, ""), v(7, "430702"), v(0, ""), true, conflictLose},
		{"equal clocks, two stations", v(7, "430702102"), v(0, ""), v(7, "430702101"), v(0, ""), true, conflictLose},
	} {
		if got := merge(c.cur, c.curBase, c.in, c.ib, c.have); got != c.want {
			t.Errorf("%s: merge = %d, want %d", c.name, got, c.want)
		}
	}
}
