package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"stationdesk/assets"
	"stationdesk/data"
)

// env is what every command gets: the common flags, output streams and
// (opened lazily) the store. A fresh one is made for every run.
type env struct {
	ctx     context.Context // carries the acting officer (--as) for every write
	dataDir string
	json    bool
	as      string
	out     io.Writer
	errOut  io.Writer
	store   *data.Store
	started bool // the command line parsed and a command's RunE was reached
}

// A command is built afresh for every run by a function registered from its
// feature's file, so that its flag variables start at their defaults:
//
//	func init() {
//		registerGroup("keys", "密钥备份与恢复 / key backup and recovery")
//		register("keys", func(e *env) *cobra.Command {
//			c := &cobra.Command{Use: "backup --out FILE", Short: "备份密钥 / back up the keys"}
//			out := c.Flags().String("out", "", "file to write")
//			c.RunE = func(_ *cobra.Command, args []string) error { ...e.open()...; return e.emit(v, text) }
//			return c
//		})
//	}
//
// Common flags (--data-dir, --json, --as) are the root's and work before or
// after the command words. A usageError (exit 2) is for a mistake in the
// command line; any other error exits 1.
type builder struct {
	parent string // "" for the root, else a group registered with registerGroup
	build  func(e *env) *cobra.Command
}

var (
	builders []builder
	groups   = map[string]string{} // group word -> its one-line help
)

// register adds a command under parent: "" for a top-level command such as
// `stats`, or a group word such as "policy" for `policy search`.
func register(parent string, build func(e *env) *cobra.Command) {
	builders = append(builders, builder{parent, build})
}

// registerGroup declares a word that only gathers commands (`policy`, `bundle`).
func registerGroup(name, short string) { groups[name] = short }

func init() {
	for name, short := range map[string]string{
		"init":     "初始化本机身份 / set up this installation",
		"station":  "站点登记（区县人社局）/ stations of a bureau",
		"bundle":   "同步包：导出、检查、导入 / bundles: export, verify, import",
		"policy":   "政策资料 / policy library",
		"resident": "服务对象 / residents served",
		"visit":    "上门服务 / home visits",
		"opinion":  "群众意见 / residents' opinions",
		"report":   "月报与概况 / reports",
		"training": "培训与干部学习日 / training and study days",
		"account":  "账号 / accounts",
		"lending":  "档案外借台账 / file lending register",
		"rota":     "值班表 / duty rota",
		"liaison":  "联系点 / liaison with stations",
		"officer":  "工作人员 / officers",
	} {
		registerGroup(name, short)
	}
	register("", func(e *env) *cobra.Command {
		return &cobra.Command{Use: "version", Short: "版本号 / print the version", Args: cobra.NoArgs,
			RunE: func(c *cobra.Command, args []string) error {
				fmt.Fprintf(e.out, "stationctl %s\n", assets.Version)
				return nil
			}}
	})
}

// usageError marks a mistake in the command line itself (exit 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// newRoot builds the whole command tree over e.
func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "stationctl",
		Short: "劳保站工作台命令行 / Station Desk command line",
		Long: "stationctl " + assets.Version + "：劳保站工作台命令行 / Station Desk command line\n\n" +
			"Every command takes --data-dir DIR, --json and --as NAME, before or after the command words.\n" +
			"Exit status: 0 ok, 1 failure (message on stderr), 2 a mistake in the command line.",
		Version:       assets.Version,
		Args:          cobra.ArbitraryArgs,
		RunE:          groupRun,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Reached only once the words, flags and arguments parsed: any error
		// before it is a usage error.
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			e.started = true
			if e.as = strings.TrimSpace(e.as); e.as != "" {
				e.ctx = data.WithActor(e.ctx, e.as)
			}
			return nil
		},
		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate("stationctl {{.Version}}\n")
	// A group answers unknown words itself (groupRun), so it is runnable; its
	// usage still lists only its commands.
	root.SetUsageTemplate(strings.Replace(root.UsageTemplate(), "{{if .Runnable}}", "{{if and .Runnable (not .HasAvailableSubCommands)}}", 1))
	root.SetOut(e.out)
	root.SetErr(e.errOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&e.dataDir, "data-dir", "", "data folder (default: the per-user folder the GUI uses, or $STATIONDESK_DATA_DIR)")
	pf.BoolVar(&e.json, "json", false, "machine-readable output")
	pf.StringVar(&e.as, "as", "", "officer recorded as making the changes (default: system)")
	root.MarkPersistentFlagDirname("data-dir")

	parents := map[string]*cobra.Command{"": root}
	for name, short := range groups {
		g := &cobra.Command{Use: name, Short: short, Args: cobra.ArbitraryArgs, RunE: groupRun, SuggestionsMinimumDistance: 2}
		parents[name] = g
		root.AddCommand(g)
	}
	for _, b := range builders {
		p, ok := parents[b.parent]
		if !ok {
			panic("stationctl: command registered under unknown group " + b.parent)
		}
		p.AddCommand(b.build(e))
	}
	return root
}

// groupRun answers a group word given alone or with an unknown command after it.
func groupRun(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		if !c.HasParent() {
			return c.Help()
		}
		return usageError{"which command? see `" + c.CommandPath() + " --help`"}
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageError{msg}
}

func run(args []string, stdout, stderr io.Writer) int {
	e := &env{ctx: context.Background(), out: stdout, errOut: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	defer func() {
		if e.store != nil {
			e.store.Close()
		}
	}()
	c, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	var u usageError
	if errors.As(err, &u) || !e.started {
		fmt.Fprintf(stderr, "%s: %s\n", c.CommandPath(), strings.TrimSpace(err.Error()))
		if c.Runnable() && c.HasParent() && !c.HasSubCommands() {
			fmt.Fprintf(stderr, "usage: %s\n", c.UseLine())
		}
		return 2
	}
	fmt.Fprintf(stderr, "%s: %s\n", c.CommandPath(), describe(err))
	return 1
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
	dir, err := e.dir()
	if err != nil {
		return nil, err
	}
	st, err := data.Open(dir)
	if err != nil {
		return nil, err
	}
	e.store = st
	return st, nil
}

// dir is the data folder without opening the store (restore needs it closed).
func (e *env) dir() (string, error) {
	if e.dataDir != "" {
		return e.dataDir, nil
	}
	return data.DefaultDataDir()
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

// bundleFiles completes bundle file names in the shell.
func bundleFiles(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"stbundle"}, cobra.ShellCompDirectiveFilterFileExt
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }
