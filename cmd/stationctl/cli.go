package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"stationdesk/assets"
	"stationdesk/data"
)

// env is what every command gets: parsed common flags, output streams and
// (opened lazily) the store.
type env struct {
	ctx     context.Context // carries the acting officer (--as) for every write
	dataDir string
	json    bool
	as      string
	out     io.Writer
	errOut  io.Writer
	store   *data.Store
}

// command is one `stationctl WORD [WORD]` entry; each feature registers its
// own in its file's init.
type command struct {
	usage string // shown in help, after "stationctl "
	run   func(e *env, fs *flag.FlagSet, args []string) error
	flags func(fs *flag.FlagSet) // optional: declares the command's own flags
}

var commands = map[string]*command{}

func register(name string, c *command) { commands[name] = c }

// usageError marks a mistake in the command line itself (exit 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		fmt.Fprintf(stdout, "stationctl %s\n", assets.Version)
		return 0
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(stdout)
		return 0
	}
	name, rest := args[0], args[1:]
	if c, ok := commands[name]; !ok || c == nil {
		if len(rest) > 0 {
			name = args[0] + " " + args[1]
			rest = args[2:]
		}
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "stationctl: unknown command %q; see `stationctl help`\n", strings.Join(args[:min(2, len(args))], " "))
		return 2
	}
	e := &env{ctx: context.Background(), out: stdout, errOut: stderr}
	fs := flag.NewFlagSet("stationctl "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&e.dataDir, "data-dir", "", "data folder (default: the per-user folder the GUI uses, or $STATIONDESK_DATA_DIR)")
	fs.BoolVar(&e.json, "json", false, "machine-readable output")
	fs.StringVar(&e.as, "as", "", "officer recorded as making the changes (default: system)")
	if c.flags != nil {
		c.flags(fs)
	}
	if err := fs.Parse(interleave(fs, rest)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if e.as = strings.TrimSpace(e.as); e.as != "" {
		e.ctx = data.WithActor(e.ctx, e.as)
	}
	defer func() {
		if e.store != nil {
			e.store.Close()
		}
	}()
	if err := c.run(e, fs, fs.Args()); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "stationctl %s: %s\nusage: stationctl %s\n", name, u.msg, c.usage)
			return 2
		}
		fmt.Fprintf(stderr, "stationctl %s: %s\n", name, describe(err))
		return 1
	}
	return 0
}

// interleave lets flags follow positional arguments (`policy search 医保 --json`).
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 < len(args) {
					flags = append(flags, args[i+1])
					i++
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// describe turns an error into the line a person reads on stderr.
func describe(err error) string {
	var de *data.Error
	if errors.As(err, &de) {
		switch de.Kind {
		case data.KindInvalid:
			return fmt.Sprintf("%s (%s)", de.Msg, de.Field)
		case data.KindForeign:
			return "这不是劳保站工作台的数据库，未作任何改动 / not a Station Desk database, left untouched: " + de.Err.Error()
		case data.KindTooNew:
			return "数据库由更新版本的程序写入，请升级 / written by a newer version, left untouched: " + de.Err.Error()
		case data.KindDamaged:
			return "数据库文件已损坏，请从备份恢复 / the database file is damaged, restore a backup: " + de.Err.Error()
		case data.KindLocked:
			return "数据库正被其他程序使用 / the database is in use by another program"
		}
	}
	return err.Error()
}

// open opens the store of the chosen data folder once.
func (e *env) open() (*data.Store, error) {
	if e.store != nil {
		return e.store, nil
	}
	dir := e.dataDir
	if dir == "" {
		d, err := data.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	st, err := data.Open(dir)
	if err != nil {
		return nil, err
	}
	e.store = st
	return st, nil
}

// emit prints v as JSON with --json, or text() otherwise.
func (e *env) emit(v any, text func(w io.Writer)) error {
	if e.json {
		enc := json.NewEncoder(e.out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	text(e.out)
	return nil
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "stationctl %s: 劳保站工作台命令行 / Station Desk command line\n\nCommands:\n", assets.Version)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  stationctl %s\n", commands[n].usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --data-dir DIR and --json.")
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }
