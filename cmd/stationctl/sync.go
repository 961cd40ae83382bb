package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// enrollStation is `init station --enroll FILE`: start a station from the
// enrolment file its bureau wrote with `station add`.
func enrollStation(e *env, path, code string) error {
	b, err := readLimited(path, 1<<20)
	if err != nil {
		return err
	}
	if code, err = codeFrom(code, envEnrolCode); err != nil {
		return err
	}
	if data.EnrolmentSealed(b) && code == "" {
		return usageError{"this enrolment file is sealed: give the one-time code from the bureau with --code (or '-' for stdin, or $" + envEnrolCode + ")"}
	}
	st, err := e.open()
	if err != nil {
		return err
	}
	id, err := st.EnrollWithCode(e.ctx, b, code)
	if err != nil {
		return err
	}
	peers, err := st.Peers(e.ctx)
	if err != nil {
		return err
	}
	bureau := ""
	for _, p := range peers {
		if p.Role == data.RoleBureau {
			bureau = p.Code
		}
	}
	return e.emit(map[string]any{"role": id.Role, "name": id.Name, "code": id.Code, "bureau": bureau, "data_dir": st.Dir}, func(w io.Writer) {
		fmt.Fprintf(w, "已按登记文件初始化 %s（%s），所属区县人社局 %s，数据目录 %s\n", id.Name, id.Code, bureau, st.Dir)
	})
}

func init() {
	register("station", func(e *env) *cobra.Command {
		var code, name, out string
		c := &cobra.Command{Use: "add --code CODE --name NAME --out ENROLL_FILE", Short: "登记站点，写出登记文件 / enrol a station"}
		fs := c.Flags()
		fs.StringVar(&code, "code", "", "the station's code (6 to 12 digits)")
		fs.StringVar(&name, "name", "", "the station's name")
		fs.StringVar(&out, "out", "", "where to write the enrolment file (keep it secret: it holds the station's keys)")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if code == "" || name == "" || out == "" {
				return usageError{"--code, --name and --out are required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			file, otc, err := st.AddStationSealed(e.ctx, code, name)
			if err != nil {
				return err
			}
			if err := writeSecret(out, file); err != nil {
				return err
			}
			return emitEnrolment(e, "已登记", code, name, out, otc)
		}
		return c
	})

	register("bundle", func(e *env) *cobra.Command {
		var dir, station string
		var all bool
		c := &cobra.Command{Use: "export --out DIR [--station CODE | --all]", Short: "导出同步包 / write a bundle"}
		fs := c.Flags()
		fs.StringVar(&dir, "out", "", "folder to write the bundle into")
		fs.StringVar(&station, "station", "", "bureau: the station the bundle is for")
		fs.BoolVar(&all, "all", false, "bureau: one bundle for every enrolled station")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if dir == "" {
				return usageError{"--out is required"}
			}
			if all && station != "" {
				return usageError{"--all and --station exclude each other"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			if all {
				return exportAll(e, st, dir)
			}
			r, err := st.ExportBundle(e.ctx, dir, station, nil)
			if err != nil {
				return err
			}
			return e.emit(map[string]any{"path": r.Path, "records": r.Records, "bytes": r.Bytes, "seq": r.Seq, "receiver": r.Receiver}, func(w io.Writer) {
				fmt.Fprintf(w, "共 %d 条记录，写入 %s（%d 字节，第 %d 号包，发往 %s）\n", r.Records, r.Path, r.Bytes, r.Seq, r.Receiver)
			})
		}
		return c
	})

	register("bundle", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "verify FILE", Short: "检查同步包，不导入 / check a bundle without importing", ValidArgsFunction: bundleFiles}
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"one bundle file, please"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			info, err := st.VerifyBundle(e.ctx, args[0])
			if err != nil {
				return refusalText(err)
			}
			return e.emit(info, func(w io.Writer) {
				fmt.Fprintf(w, "同步包完好：发送方 %s，接收方 %s，第 %d 号\n", info.Header.Sender, info.Header.Receiver, info.Header.Seq)
				kinds := make([]string, 0, len(info.Records))
				for k := range info.Records {
					kinds = append(kinds, k)
				}
				sort.Strings(kinds)
				for _, k := range kinds {
					fmt.Fprintf(w, "  %-20s %d\n", k, info.Records[k])
				}
				if info.Already {
					fmt.Fprintln(w, "（本机已导入过这个包）")
				}
			})
		}
		return c
	})

	register("bundle", func(e *env) *cobra.Command {
		c := &cobra.Command{Use: "import FILE...", Short: "导入同步包 / import bundles", ValidArgsFunction: bundleFiles}
		c.RunE = func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{"at least one bundle file"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			results := st.ImportBundles(e.ctx, args, nil)
			refused := 0
			for _, r := range results {
				if r.Status == "refused" {
					refused++
				}
			}
			if err := e.emit(map[string]any{"bundles": results}, func(w io.Writer) {
				for _, r := range results {
					fmt.Fprintf(w, "%s: %s", r.Path, r.Message)
					if r.Status == "imported" {
						fmt.Fprintf(w, "（应用 %d 条，已有 %d 条，冲突 %d 条）", r.Applied, r.Skipped, r.Conflicts)
					}
					if r.Gap != "" {
						fmt.Fprintf(w, "；缺少第 %s 号包（其内容已包含在本包中）", r.Gap)
					}
					fmt.Fprintln(w)
					for _, warn := range r.Warnings {
						fmt.Fprintf(w, "  注意：%s\n", warn)
					}
				}
			}); err != nil {
				return err
			}
			if refused > 0 {
				return fmt.Errorf("%d 个同步包被拒绝 / %d bundle(s) refused", refused, refused)
			}
			return nil
		}
		return c
	})
}

// refusalText puts a refusal's reason first, for the person reading stderr.
func refusalText(err error) error {
	if r, ok := data.RefusalOf(err); ok {
		return fmt.Errorf("拒绝：%s / refused (%s)", r.Msg, r.Reason)
	}
	return err
}

// exportAll is bundle export --all: one bundle per station; a station that
// fails is reported and makes the command fail after the others are written.
func exportAll(e *env, st *data.Store, dir string) error {
	res, err := st.ExportBundleAll(e.ctx, dir, nil)
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range res {
		if r.Err != nil {
			failed++
		}
	}
	if err := e.emit(res, func(w io.Writer) {
		for _, r := range res {
			if r.Err != nil {
				fmt.Fprintf(w, "%s（%s）：失败，%s\n", r.Name, r.Code, r.Error)
				continue
			}
			fmt.Fprintf(w, "%s（%s）：共 %d 条记录，写入 %s\n", r.Name, r.Code, r.Result.Records, r.Result.Path)
		}
	}); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d 个站点的同步包未能写入 / %d bundles failed", failed, failed)
	}
	return nil
}
