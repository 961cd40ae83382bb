package main

import (
	"flag"
	"fmt"
	"io"

	"stationdesk/data"
)

func init() {
	var out string
	register("backup", &command{usage: "backup [--out DIR] [--as NAME]",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&out, "out", "", "folder to write the backup to (default: the data folder's backups/)")
		},
		run: func(e *env, fs *flag.FlagSet, args []string) error {
			if len(args) > 0 {
				return usageError{"unexpected argument " + args[0]}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			dir := out
			if dir == "" {
				dir = data.BackupDir(st.Dir)
			}
			path, err := st.BackupTo(e.ctx, dir)
			if err != nil {
				return err
			}
			return e.emit(map[string]string{"path": path}, func(w io.Writer) {
				fmt.Fprintf(w, "已备份到 %s\n", path)
			})
		}})

	register("backups", &command{usage: "backups                 (list the automatic backups)", run: func(e *env, fs *flag.FlagSet, args []string) error {
		dir, err := e.dir()
		if err != nil {
			return err
		}
		list, err := data.ListBackups(data.BackupDir(dir))
		if err != nil {
			return err
		}
		if list == nil {
			list = []data.BackupInfo{}
		}
		return e.emit(list, func(w io.Writer) {
			for _, b := range list {
				fmt.Fprintf(w, "%s  %-12s %8d KB  %s\n", b.Time.Format("2006-01-02 15:04"), b.Label, b.Size/1024, b.Path)
			}
		})
	}})

	register("restore", &command{usage: "restore FILE [--as NAME]",
		flags: func(fs *flag.FlagSet) {
		},
		run: func(e *env, fs *flag.FlagSet, args []string) error {
			if len(args) != 1 {
				return usageError{"give one backup file"}
			}
			dir, err := e.dir()
			if err != nil {
				return err
			}
			saved, err := data.Restore(e.ctx, dir, args[0], "")
			if err != nil {
				return err
			}
			return e.emit(map[string]string{"restored": args[0], "previous": saved, "data_dir": dir}, func(w io.Writer) {
				fmt.Fprintf(w, "已从 %s 恢复；原数据库另存为 %s\n", args[0], saved)
			})
		}})
}

// dir is the data folder without opening the store (restore needs it closed).
func (e *env) dir() (string, error) {
	if e.dataDir != "" {
		return e.dataDir, nil
	}
	return data.DefaultDataDir()
}
