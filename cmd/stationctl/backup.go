package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

func init() {
	register("", func(e *env) *cobra.Command {
		var out string
		c := &cobra.Command{Use: "backup [--out DIR]", Short: "备份数据库 / back up the database"}
		fs := c.Flags()
		fs.StringVar(&out, "out", "", "folder to write the backup to (default: the data folder's backups/)")
		c.RunE = func(_ *cobra.Command, args []string) error {
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
		}
		return c
	})

	register("", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "backups", Short: "自动备份列表 / list the automatic backups"}
		c.Long = c.Short + "\n\n" + "list the automatic backups"
		c.RunE = func(_ *cobra.Command, args []string) error {
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
		}
		return c
	})

	register("", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "restore FILE", Short: "从备份恢复 / restore a backup"}
		c.RunE = func(_ *cobra.Command, args []string) error {
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
		}
		return c
	})
}
