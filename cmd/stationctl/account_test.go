package main

import (
	"strings"
	"testing"
)

func TestStripAs(t *testing.T) {
	cases := []struct {
		in   string
		out  string
		name string
	}{
		{"stationctl demo --residents 3", "stationctl demo --residents 3", ""},
		{"stationctl demo --as 王秀英 --residents 3", "stationctl demo --residents 3", "王秀英"},
		{"stationctl --as=李建国 policy import a.md", "stationctl policy import a.md", "李建国"},
		{"stationctl policy search x -- --as y", "stationctl policy search x -- --as y", ""},
		{"stationctl stats --as", "stationctl stats --as", ""},
	}
	for _, c := range cases {
		out, name := stripAs(strings.Fields(c.in))
		if strings.Join(out, " ") != c.out || name != c.name {
			t.Errorf("%q: %q %q", c.in, out, name)
		}
	}
}
