package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// initAs gives this installation its identity (init bureau, init station --name).
func initAs(e *env, role data.Role, name, code string) error {
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

func init() {
	for _, r := range []struct {
		role       data.Role
		use, short string
	}{
		{data.RoleBureau, "bureau --name NAME --code DIVISION_CODE", "初始化为区县人社局 / set up as a bureau"},
		{data.RoleStation, "station --enroll ENROLL_FILE --code ONE_TIME_CODE | --name NAME --code CODE", "初始化为站点 / set up as a station"},
	} {
		register("init", func(e *env) *cobra.Command {
			c := &cobra.Command{Use: r.use, Short: r.short}
			fs := c.Flags()
			name := fs.String("name", "", "name of the bureau or station")
			code := fs.String("code", "", "administrative division code (6 to 12 digits)")
			var enroll *string
			if r.role == data.RoleStation {
				enroll = fs.String("enroll", "", "the enrolment `ENROLL_FILE` from the bureau (station add, station rekey); --code is then the one-time code the bureau gave by phone ('-' reads it from stdin; default $"+envEnrolCode+")")
			}
			c.RunE = func(_ *cobra.Command, args []string) error {
				if enroll != nil && *enroll != "" {
					return enrollStation(e, *enroll, *code)
				}
				return initAs(e, r.role, *name, *code)
			}
			return c
		})
	}

	register("", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "stats", Short: "各类记录条数 / counts per kind"}
		c.RunE = func(_ *cobra.Command, args []string) error {
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
		}
		return c
	})

	register("", func(e *env) *cobra.Command {
		var opt demo.Options
		var until string
		c := &cobra.Command{Use: "demo [--residents N --visits N --policies N --seed S]", Short: "生成演示数据 / make demo data"}
		fs := c.Flags()
		def := demo.Default(time.Now())
		fs.IntVar(&opt.Residents, "residents", def.Residents, "residents to make")
		fs.IntVar(&opt.Visits, "visits", def.Visits, "visits to make")
		fs.IntVar(&opt.Policies, "policies", def.Policies, "policies to make")
		fs.Uint64Var(&opt.Seed, "seed", def.Seed, "random seed: the same seed gives the same data")
		fs.StringVar(&until, "until", "", "the demo's last day, YYYY-MM-DD (default: today)")
		c.RunE = func(_ *cobra.Command, args []string) error {
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
			counts, err := demo.Run(e.ctx, st, opt)
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
		}
		return c
	})
}
