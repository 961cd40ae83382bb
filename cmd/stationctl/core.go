package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"stationdesk/data"
)

func init() {
	var name, code, enroll string
	initFlags := func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "name of the bureau or station")
		fs.StringVar(&code, "code", "", "administrative division code (6 to 12 digits)")
		fs.StringVar(&enroll, "enroll", "", "init station: the enrolment file from the bureau (see sync.go)")
	}
	initAs := func(role data.Role) func(e *env, fs *flag.FlagSet, args []string) error {
		return func(e *env, fs *flag.FlagSet, args []string) error {
			if role == data.RoleStation && enroll != "" {
				return enrollStation(e, enroll)
			}
			if name == "" || code == "" {
				return usageError{"--name and --code are required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			id := data.Identity{Role: role, Name: name, Code: code}
			if err := st.Setup(e.ctx, id, nil); err != nil {
				return err
			}
			if role == data.RoleBureau {
				if err := st.EnsureKeys(e.ctx); err != nil { // signing key and age identity
					return err
				}
			}
			return e.emit(map[string]any{"role": role, "name": name, "code": code, "data_dir": st.Dir}, func(w io.Writer) {
				fmt.Fprintf(w, "已初始化 %s（%s），数据目录 %s\n", name, code, st.Dir)
			})
		}
	}
	register("init bureau", &command{usage: "init bureau --name NAME --code DIVISION_CODE", flags: initFlags, run: initAs(data.RoleBureau)})
	register("init station", &command{usage: "init station --enroll ENROLL_FILE | --name NAME --code CODE", flags: initFlags, run: initAs(data.RoleStation)})

	register("stats", &command{usage: "stats", run: func(e *env, fs *flag.FlagSet, args []string) error {
		st, err := e.open()
		if err != nil {
			return err
		}
		counts, err := st.Stats(e.ctx)
		if err != nil {
			return err
		}
		return e.emit(counts, func(w io.Writer) {
			for _, k := range data.Kinds() {
				fmt.Fprintf(w, "%-16s %-10s %d\n", k.Name, k.Label, counts[k.Name])
			}
		})
	}})

	var opt data.DemoOptions
	var until string
	register("demo", &command{usage: "demo [--residents N --visits N --policies N --seed S]",
		flags: func(fs *flag.FlagSet) {
			def := data.DefaultDemo(time.Now())
			fs.IntVar(&opt.Residents, "residents", def.Residents, "residents to make")
			fs.IntVar(&opt.Visits, "visits", def.Visits, "visits to make")
			fs.IntVar(&opt.Policies, "policies", def.Policies, "policies to make")
			fs.Uint64Var(&opt.Seed, "seed", def.Seed, "random seed: the same seed gives the same data")
			fs.StringVar(&until, "until", "", "the demo's last day, YYYY-MM-DD (default: today)")
		},
		run: func(e *env, fs *flag.FlagSet, args []string) error {
			if until != "" {
				t, err := time.ParseInLocation("2006-01-02", until, time.Local)
				if err != nil {
					return usageError{"--until wants YYYY-MM-DD"}
				}
				opt.Until = t
			}
			if opt.Residents < 0 || opt.Visits < 0 || opt.Policies < 0 {
				return usageError{"counts must not be negative"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			counts, err := st.Demo(e.ctx, opt)
			if err != nil {
				return err
			}
			return e.emit(counts, func(w io.Writer) {
				keys := make([]string, 0, len(counts))
				for k := range counts {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					fmt.Fprintf(w, "%-12s %d\n", k, counts[k])
				}
			})
		}})
}
