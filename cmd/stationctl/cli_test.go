package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestCommonFlagsAnywhere: --data-dir, --json and --as work before the command
// words, between them and after them, and mean the same each time.
func TestCommonFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := ctl(t, "--data-dir", dir, "init", "station", "--name", "桃花镇劳动保障站", "--code", "430702101"); code != 0 {
		t.Fatalf("init with --data-dir first: %d %s", code, e)
	}
	if code, _, e := ctl(t, "--as", "王秀英", "demo", "--residents", "3", "--visits", "4", "--policies", "2", "--data-dir", dir); code != 0 {
		t.Fatalf("demo: %d %s", code, e)
	}
	var want map[string]int
	for i, args := range [][]string{
		{"--data-dir", dir, "stats", "--json"},
		{"stats", "--data-dir", dir, "--json"},
		{"--json", "stats", "--data-dir=" + dir},
		{"--data-dir", dir, "--json", "stats"},
	} {
		code, out, e := ctl(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		var got map[string]int
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, out)
		}
		if got["residents"] != 3 || got["visits"] != 4 || got["policies"] != 2 {
			t.Fatalf("%v: counts %v", args, got)
		}
		if i > 0 && len(got) != len(want) {
			t.Fatalf("%v: %d keys, first form gave %d", args, len(got), len(want))
		}
		want = got
	}
	// A flag between the group word and the command word.
	if code, out, e := ctl(t, "policy", "--data-dir", dir, "search", "养老", "--json"); code != 0 || !strings.HasPrefix(out, "[") {
		t.Fatalf("policy --data-dir D search: %d %s %s", code, out, e)
	}
	assertActor(t, dir, "王秀英") // --as before the command words
}

// TestHelpSuggestionsCompletion: the conventions people know from other
// command lines, with the exit codes of DESIGN.md (0 ok, 2 usage).
func TestHelpSuggestionsCompletion(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string // substrings expected on stdout / stderr
	}{
		{[]string{"help", "bundle"}, 0, "stationctl bundle [command]", ""},
		{[]string{"bundle", "--help"}, 0, "verify", ""},
		{[]string{"bundle", "import", "--help"}, 0, "stationctl bundle import FILE...", ""},
		{[]string{"help", "policy", "search"}, 0, "--limit", ""},
		{[]string{}, 0, "Available Commands", ""},
		{[]string{"--version"}, 0, "stationctl ", ""},
		{[]string{"version"}, 0, "stationctl ", ""},
		{[]string{"stast"}, 2, "", "did you mean stats"},
		{[]string{"bundle", "improt", "x.stbundle"}, 2, "", "did you mean import"},
		{[]string{"polcy", "search", "医保"}, 2, "", "did you mean policy"},
		{[]string{"bundle"}, 2, "", "stationctl bundle --help"},
		{[]string{"stats", "--bogus"}, 2, "", "unknown flag: --bogus"},
		{[]string{"demo", "--residents", "many"}, 2, "", "--residents"},
		{[]string{"completion", "bash"}, 0, "complete -o default -F __start_stationctl stationctl", ""},
		{[]string{"completion", "zsh"}, 0, "#compdef stationctl", ""},
		{[]string{"completion", "powershell"}, 0, "Register-ArgumentCompleter", ""},
	} {
		code, out, e := ctl(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(e, tc.err) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %.300s\nstderr: %s", tc.args, code, tc.code, out, e)
		}
	}
	// The shell asks for completions of bundle files through cobra's hidden command.
	if code, out, _ := ctl(t, "__complete", "bundle", "import", ""); code != 0 || !strings.Contains(out, "stbundle") {
		t.Errorf("completion of bundle import: %d %q", code, out)
	}
}

// TestEveryCommandHasHelp walks the tree: each command, the ones other files
// add later too, has a one-line help and answers --help with exit 0.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newRoot(&env{ctx: context.Background()})
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden {
				continue
			}
			n++
			if sub.Short == "" {
				t.Errorf("%s: no Short help", sub.CommandPath())
			}
			words := strings.Fields(strings.TrimPrefix(sub.CommandPath(), "stationctl "))
			if code, out, e := ctl(t, append(words, "--help")...); code != 0 || !strings.Contains(out, "Usage:") {
				t.Errorf("%s --help: %d %s", sub.CommandPath(), code, e)
			}
			walk(sub)
		}
	}
	walk(root)
	if n < 50 {
		t.Fatalf("only %d commands in the tree", n)
	}
}
