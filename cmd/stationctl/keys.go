package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"stationdesk/data"
)

// Environment variables a script may use instead of typing a code on the
// command line (where other local users could read it in the process list).
const (
	envEnrolCode    = "STATIONDESK_ENROL_CODE"
	envRecoveryCode = "STATIONDESK_RECOVERY_CODE"
)

// codeFrom gives a code: the flag's value, a line of stdin when the flag is
// "-", or else the environment variable.
func codeFrom(flag, envName string) (string, error) {
	if flag == "-" {
		line, err := bufio.NewReader(io.LimitReader(os.Stdin, 256)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("读取验证码失败 / cannot read the code from stdin: %w", err)
		}
		return strings.TrimSpace(line), nil
	}
	if flag != "" {
		return flag, nil
	}
	return os.Getenv(envName), nil
}

// writeSecret writes a file that holds keys: readable by its owner only.
func writeSecret(path string, b []byte) error {
	// 0600 under a fresh name, never through a link planted at path.
	if err := data.WritePrivateFile(path, b); err != nil {
		return fmt.Errorf("写入文件失败 / cannot write %s: %w", path, err)
	}
	return nil
}

// emitEnrolment reports a sealed enrolment file and its one-time code.
func emitEnrolment(e *env, verb, code, name, path, otc string) error {
	return e.emit(map[string]any{"code": code, "name": name, "path": path, "one_time_code": otc}, func(w io.Writer) {
		fmt.Fprintf(w, "%s站点 %s（%s），登记文件 %s\n", verb, name, code, path)
		fmt.Fprintf(w, "一次性验证码 / one-time code:\n\n    %s\n\n", otc)
		fmt.Fprintln(w, "请把登记文件交给站点，验证码另行电话告知（不要和文件放在一起）。")
	})
}

func init() {
	registerGroup("keys", "密钥备份与恢复（区县人社局）/ the bureau's recovery file")

	register("station", func(e *env) *cobra.Command {
		var code, out string
		c := &cobra.Command{Use: "rekey --code CODE --out ENROLL_FILE", Short: "为站点重新发放密钥，旧密钥作废 / give a station new keys"}
		fs := c.Flags()
		fs.StringVar(&code, "code", "", "the station's code")
		fs.StringVar(&out, "out", "", "where to write the new enrolment file")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if code == "" || out == "" {
				return usageError{"--code and --out are required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			file, otc, err := st.RekeyStationSealed(e.ctx, code)
			if err != nil {
				return err
			}
			if err := writeSecret(out, file); err != nil {
				return err
			}
			name := code
			if peers, err := st.Peers(e.ctx); err == nil {
				for _, p := range peers {
					if p.Code == code {
						name = p.Name
					}
				}
			}
			return emitEnrolment(e, "已为", code, name, out, otc)
		}
		return c
	})

	register("keys", func(e *env) *cobra.Command {
		var out string
		c := &cobra.Command{Use: "backup --out FILE", Short: "写出恢复文件（本局密钥和各站公钥）/ write the recovery file"}
		c.Flags().StringVar(&out, "out", "", "where to write the recovery file")
		c.RunE = func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usageError{"--out is required"}
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			file, code, err := st.WriteRecovery(e.ctx)
			if err != nil {
				return err
			}
			if err := writeSecret(out, file); err != nil {
				return err
			}
			return e.emit(map[string]any{"path": out, "recovery_code": code}, func(w io.Writer) {
				fmt.Fprintf(w, "恢复文件已写入 %s\n恢复码 / recovery code:\n\n    %s\n\n", out, code)
				fmt.Fprintln(w, "请把恢复码抄在纸上，与恢复文件分开保管；两者缺一不可。")
			})
		}
		return c
	})

	register("keys", func(e *env) *cobra.Command {
		var code string
		c := &cobra.Command{Use: "restore FILE [--code CODE]", Short: "在新安装上用恢复文件恢复本局 / rebuild the bureau from its recovery file", Args: cobra.ExactArgs(1)}
		c.Flags().StringVar(&code, "code", "", "the recovery code ('-' reads it from stdin; default $"+envRecoveryCode+")")
		c.RunE = func(_ *cobra.Command, args []string) error {
			b, err := readLimited(args[0], 4<<20)
			if err != nil {
				return err
			}
			code, err := codeFrom(code, envRecoveryCode)
			if err != nil {
				return err
			}
			st, err := e.open()
			if err != nil {
				return err
			}
			id, err := st.RestoreRecovery(e.ctx, b, code)
			if err != nil {
				return err
			}
			peers, _ := st.Peers(e.ctx)
			return e.emit(map[string]any{"role": id.Role, "name": id.Name, "code": id.Code, "stations": len(peers), "data_dir": st.Dir}, func(w io.Writer) {
				fmt.Fprintf(w, "已恢复 %s（%s）的密钥和 %d 个站点的登记，数据目录 %s\n", id.Name, id.Code, len(peers), st.Dir)
				fmt.Fprintln(w, "各站点导入本局的下一个同步包后，会把它们的全部记录重新发来；另请恢复最近的备份（如有）。")
			})
		}
		return c
	})
}

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("读取文件失败 / cannot read %s: %w", path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, data.Invalid("file", "这不是一个普通文件")
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("读取文件失败 / cannot read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, data.Invalid("file", "文件过大")
	}
	return b, nil
}
