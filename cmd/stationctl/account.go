package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// readPassword takes the password from the first line of stdin, so that it
// never shows in the list of processes or the shell's history.
func readPassword(e *env) (string, error) {
	fmt.Fprintln(e.errOut, "密码（从标准输入读一行）/ password (one line on stdin):")
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usageError{"no password on stdin"}
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func findOfficer(e *env, st *data.Store, name string) (data.Officer, error) {
	offs, err := st.Officers(e.ctx, false)
	if err != nil {
		return data.Officer{}, err
	}
	for _, o := range offs {
		if o.Name == name || o.ID == name {
			return o, nil
		}
	}
	return data.Officer{}, data.NotFound("officer", name)
}

func init() {
	register("account", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "list", Short: "账号列表 / list accounts"}
		c.RunE = func(_ *cobra.Command, args []string) error {
			st, err := e.open()
			if err != nil {
				return err
			}
			list, err := st.Accounts(e.ctx)
			if err != nil {
				return err
			}
			if list == nil {
				list = []data.Account{}
			}
			return e.emit(list, func(w io.Writer) {
				for _, a := range list {
					flags := ""
					if a.Admin {
						flags += " 管理员/admin"
					}
					if a.Disabled {
						flags += " 已停用/disabled"
					}
					fmt.Fprintf(w, "%-10s %-8s%s\n", a.Login, a.Role, flags)
				}
			})
		}
		return c
	})
	register("account", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "add OFFICER_NAME [--admin]", Short: "新建账号 / add an account"}
		c.Long = c.Short + "\n\n" + "password on stdin"
		admin := c.Flags().Bool("admin", false, "the account manages the others (站长)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"give the officer's name"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			o, err := findOfficer(e, st, args[0])
			if err != nil {
				return err
			}
			pw, err := readPassword(e)
			if err != nil {
				return err
			}
			if err := st.CreateAccount(e.ctx, o.ID, pw, *admin); err != nil {
				return err
			}
			return e.emit(map[string]any{"login": o.Name, "officer_id": o.ID, "admin": *admin}, func(w io.Writer) {
				fmt.Fprintf(w, "已为 %s 设置登录密码\n", o.Name)
			})
		}
		return c
	})
	register("account", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "reset NAME", Short: "重置密码 / reset a password"}
		c.Long = c.Short + "\n\n" + "new password on stdin"
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"give the account's name"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			pw, err := readPassword(e)
			if err != nil {
				return err
			}
			if err := st.ResetPassword(e.ctx, args[0], pw); err != nil {
				return err
			}
			return e.emit(map[string]any{"login": args[0], "must_change": true}, func(w io.Writer) {
				fmt.Fprintf(w, "已重置 %s 的密码；下次登录时须修改\n", args[0])
			})
		}
		return c
	})
	for _, v := range []struct {
		word, short string
		disable     bool
	}{{"disable", "停用账号 / disable an account", true}, {"enable", "启用账号 / enable an account", false}} {
		register("account", func(e *env) *cobra.Command {
			c := &cobra.Command{Use: v.word + " NAME", Short: v.short}
			c.RunE = func(_ *cobra.Command, args []string) error {
				if len(args) != 1 {
					return usageError{"give the account's name"}
				}
				st, err := e.open()
				if err != nil {
					return err
				}
				list, err := st.Accounts(e.ctx)
				if err != nil {
					return err
				}
				for _, a := range list {
					if a.Login == args[0] {
						if err := st.SetAccount(e.ctx, a.Login, a.Admin, v.disable); err != nil {
							return err
						}
						return e.emit(map[string]any{"login": a.Login, "disabled": v.disable}, func(w io.Writer) {
							fmt.Fprintf(w, "%s: %s\n", a.Login, v.word)
						})
					}
				}
				return data.NotFound("account", args[0])
			}
			return c
		})
	}

	register("resident", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "erase RESIDENT_ID", Short: "删除服务对象个人信息 / erase a resident's data"}
		c.Long = c.Short + "\n\n" + "removes the person's data on their request"
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"give the resident's ID"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if err := st.EraseResident(e.ctx, "", args[0]); err != nil {
				return err
			}
			return e.emit(map[string]any{"erased": args[0]}, func(w io.Writer) {
				fmt.Fprintf(w, "已删除服务对象 %s 的个人信息，上门记录匿名保留\n", args[0])
			})
		}
		return c
	})

	register("", func(e *env) *cobra.Command {
		var q data.AuditQuery
		var from, to string
		c := &cobra.Command{Use: "audit [--actor NAME] [--action A] [--kind K] [--record ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N]", Short: "操作记录 / audit trail"}
		fs := c.Flags()
		fs.StringVar(&q.Actor, "actor", "", "only what this officer did")
		fs.StringVar(&q.Action, "action", "", "create, update, delete, reveal, export, erase, signin, ...")
		fs.StringVar(&q.Kind, "kind", "", "kind of record (residents, visits, ...)")
		fs.StringVar(&q.RecordID, "record", "", "one record's history")
		fs.StringVar(&from, "from", "", "first day")
		fs.StringVar(&to, "to", "", "last day")
		fs.IntVar(&q.Limit, "limit", 100, "at most this many entries, newest first")
		c.RunE = func(_ *cobra.Command, args []string) error {
			for _, d := range []struct {
				s   string
				dst *time.Time
				add int
			}{{from, &q.From, 0}, {to, &q.To, 1}} {
				if d.s == "" {
					continue
				}
				t, err := time.ParseInLocation("2006-01-02", d.s, time.Local)
				if err != nil {
					return usageError{"dates are YYYY-MM-DD"}
				}
				*d.dst = t.AddDate(0, 0, d.add)
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			lines, err := st.AuditLog(e.ctx, q)
			if err != nil {
				return err
			}
			if lines == nil {
				lines = []data.AuditLine{}
			}
			return e.emit(lines, func(w io.Writer) {
				for _, l := range lines {
					fmt.Fprintf(w, "%s  %-8s %-13s %-10s %s %s\n", l.At.Format("2006-01-02 15:04:05"), l.Actor, l.Action, l.Kind, l.RecordID, l.Detail)
				}
			})
		}
		return c
	})
}
