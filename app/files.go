package app

// Files as the desktop does them: one mechanism for every export and print.
//
// How a screen uses it:
//
//   - 另存为 / 导出: chooseSave(e, name, write) asks where to save name — the
//     operating system's own dialog where it has one (Windows' file dialog,
//     the XDG desktop portal on Linux desktops that run one), otherwise the
//     in-app dialog below, entirely in Chinese, with 桌面, 文档 and every
//     mounted USB drive first — and calls write(path); write does its work
//     through Go and, once the file is written, calls
//     showSaved(e, title, detail, path): the whole path with 打开 and
//     打开所在文件夹 (and 打印 for a PDF).
//   - 打印: printDoc(e, name, write) writes the document into the print
//     folder without asking, then sends it to the printer (Windows: the
//     shell's print verb; Linux: CUPS lp when a printer is set up) or opens
//     it in the system's PDF viewer; the message offers 另存为….
//
// A write function given to printDoc / saveDoc is func(ctx, path) error and
// runs off the event thread.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// nativeDialogs lets chooseSave use the operating system's dialog; tests
// turn it off to drive the in-app one.
var nativeDialogs = true

// chooseSave asks where to save a file named name and calls write with the
// chosen path on the event thread.
func chooseSave(e *Env, name string, write func(path string)) {
	if nativeDialogs {
		start := defaultSaveDir()
		Go(e, func(ctx context.Context) (string, error) { return nativeSave(e.Win, name, start) },
			func(path string, err error) {
				switch {
				case err == nil && path != "":
					write(withExt(path, name))
				case errors.Is(err, errNoNative):
					newFileChooser(e, name, write).show()
				}
				// cancelled: nothing
			})
		return
	}
	newFileChooser(e, name, write).show()
}

// errNoNative: the system offers no dialog of its own here.
var errNoNative = errors.New("no native file dialog")

// withExt adds name's extension to path when the officer typed none.
func withExt(path, name string) string {
	if ext := filepath.Ext(name); ext != "" && filepath.Ext(path) == "" {
		return path + ext
	}
	return path
}

// saveDoc is chooseSave for a document made by write off the event thread;
// then showSaved tells where it went.
func saveDoc(e *Env, name, title string, write func(ctx context.Context, path string) error) {
	chooseSave(e, name, func(path string) {
		Go(e, func(ctx context.Context) (struct{}, error) { return struct{}{}, write(ctx, path) },
			func(_ struct{}, err error) {
				if err != nil { // the writer left any earlier file at path as it was
					e.ShowError(err)
					return
				}
				showSaved(e, title, "", path)
			})
	})
}

// printDoc writes the document into the print folder and prints it.
func printDoc(e *Env, name, title string, write func(ctx context.Context, path string) error) {
	dir := printDir()
	path := filepath.Join(dir, safeFileName(name))
	Go(e, func(ctx context.Context) (string, error) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", &data.Error{Kind: data.KindIO, Op: "print folder", Err: err}
		}
		if err := write(ctx, path); err != nil {
			return "", err
		}
		return printFile(path)
	}, func(how string, err error) {
		if err != nil {
			e.ShowError(err)
			return
		}
		msg := lang.L("已用 PDF 阅读器打开，请在阅读器中选择“打印”。")
		if how == "printer" {
			msg = lang.L("已发送到打印机。")
		}
		showPrinted(e, title, msg, path, name)
	})
}

// printFile sends a file to the printer or the viewer and says which
// ("printer" or "viewer"); tests put a recorder here.
var printFile = sendToPrinter

// printDir is where printDoc keeps what it prints (the newest of each name).
func printDir() string { return filepath.Join(os.TempDir(), "stationdesk-print") }

// safeFileName keeps a file name free of path separators and characters
// Windows refuses.
func safeFileName(name string) string {
	return strings.NewReplacer("/", "-", `\`, "-", ":", "-", "*", "", "?", "", `"`, "", "<", "", ">", "", "|", "").Replace(name)
}

// savedNote is the message after a save (tests press its buttons).
type savedNote struct {
	e                  *Env
	dlg                *dialog.CustomDialog
	title, detail      string
	path               string
	open, folder, prnt *widget.Button
	saveAs             *widget.Button
}

var lastSaved *savedNote

// showSaved tells where a file was saved, the whole path, with 打开 and
// 打开所在文件夹 (and 打印 for a PDF).
func showSaved(e *Env, title, detail, path string) {
	n := noteFor(e, title, detail, path)
	if strings.EqualFold(filepath.Ext(path), ".pdf") {
		n.prnt = widget.NewButtonWithIcon(lang.L("打印"), theme.DocumentPrintIcon(), func() {
			n.dlg.Hide()
			Go(e, func(ctx context.Context) (string, error) { return printFile(path) }, func(_ string, err error) {
				if err != nil {
					e.ShowError(err)
				}
			})
		})
	}
	n.showWith(lang.L("已保存到："))
}

// showPrinted tells what printDoc did, with 另存为… for a copy to keep.
func showPrinted(e *Env, title, msg, path, name string) {
	n := noteFor(e, title, msg, path)
	n.saveAs = widget.NewButtonWithIcon(lang.L("另存为…"), theme.DocumentSaveIcon(), func() {
		n.dlg.Hide()
		chooseSave(e, name, func(to string) {
			Go(e, func(ctx context.Context) (struct{}, error) { return struct{}{}, data.CopyPrivateFile(path, to) },
				func(_ struct{}, err error) {
					if err != nil {
						e.ShowError(err)
						return
					}
					showSaved(e, title, "", to)
				})
		})
	})
	n.showWith(lang.L("文件位置："))
}

func noteFor(e *Env, title, detail, path string) *savedNote {
	n := &savedNote{path: path, title: title, detail: detail, e: e}
	lastSaved = n
	n.open = widget.NewButtonWithIcon(lang.L("打开"), theme.FileIcon(), func() {
		n.dlg.Hide()
		openPath(e, path)
	})
	n.folder = widget.NewButtonWithIcon(lang.L("打开所在文件夹"), theme.FolderOpenIcon(), func() {
		n.dlg.Hide()
		openPath(e, filepath.Dir(path))
	})
	return n
}

// showWith shows the note: what happened, where (the whole path), buttons.
func (n *savedNote) showWith(where string) {
	var lines []fyne.CanvasObject
	if n.detail != "" {
		d := widget.NewLabel(n.detail)
		d.Wrapping = fyne.TextWrapWord
		lines = append(lines, d)
	}
	p := widget.NewLabel(where + n.path)
	p.Wrapping = fyne.TextWrapBreak
	lines = append(lines, p)
	n.dlg = dialog.NewCustomWithoutButtons(n.title, container.NewVBox(lines...), n.e.Win)
	buttons := []fyne.CanvasObject{widget.NewButton(lang.L("关闭"), func() { n.dlg.Hide() })}
	if n.saveAs != nil {
		buttons = append(buttons, n.saveAs)
	}
	buttons = append(buttons, n.folder, n.open)
	if n.prnt != nil {
		buttons = append(buttons, n.prnt)
	}
	n.open.Importance = widget.HighImportance
	n.dlg.SetButtons(buttons)
	n.dlg.Resize(dialogSize(n.e, fyne.NewSize(640, 220)))
	n.dlg.Show()
}

// openPath opens a file with its program, or a folder in the file manager.
func openPath(e *Env, path string) {
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // C:/… on Windows
	}
	if err := e.App.OpenURL(u); err != nil {
		e.ShowError(&data.Error{Kind: data.KindIO, Op: "open file", Err: err})
	}
}

// Places: where the in-app dialog starts.

// place is a folder offered first.
type place struct {
	Label string
	Path  string
}

// userPlaces are 桌面, 文档, every mounted USB drive (U 盘) and the home
// folder, those that exist.
func userPlaces() []place {
	home, _ := os.UserHomeDir()
	var out []place
	for _, p := range []place{
		{lang.L("桌面"), desktopDir(home)},
		{lang.L("文档"), documentsDir(home)},
	} {
		if isDir(p.Path) {
			out = append(out, p)
		}
	}
	for _, d := range removableDrives() {
		out = append(out, place{fmt.Sprintf(lang.L("U 盘 %s"), d.Label), d.Path})
	}
	if home != "" {
		out = append(out, place{lang.L("个人文件夹"), home})
	}
	return out
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// desktopDir and documentsDir follow the XDG user dirs where set (a Chinese
// desktop names them 桌面 and 文档).
func desktopDir(home string) string { return xdgDir(home, "XDG_DESKTOP_DIR", "Desktop", "桌面") }
func documentsDir(home string) string {
	return xdgDir(home, "XDG_DOCUMENTS_DIR", "Documents", "文档")
}

func xdgDir(home, key string, names ...string) string {
	if b, err := os.ReadFile(filepath.Join(home, ".config", "user-dirs.dirs")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
				v = strings.Trim(v, `"`)
				v = strings.Replace(v, "$HOME", home, 1)
				if isDir(v) {
					return v
				}
			}
		}
	}
	for _, n := range names {
		if p := filepath.Join(home, n); isDir(p) {
			return p
		}
	}
	return filepath.Join(home, names[0])
}

// defaultSaveDir is where a save starts: the first USB drive, else the desktop.
func defaultSaveDir() string {
	ps := userPlaces()
	for _, p := range ps {
		if strings.HasPrefix(p.Label, lang.L("U 盘")) {
			return p.Path
		}
	}
	if len(ps) > 0 {
		return ps[0].Path
	}
	return ""
}

// The in-app dialog.

// fileChooser is the in-app save dialog: places on the left, the folder's
// subfolders and files on the right, the file name below.
type fileChooser struct {
	e       *Env
	name    string
	write   func(string)
	dlg     *dialog.CustomDialog
	places  []place
	dir     string
	entries []os.DirEntry
	list    *widget.List
	where   *widget.Label
	file    *widget.Entry
	save    *widget.Button
	up      *widget.Button
	msg     *widget.Label
}

// lastChooser is the in-app dialog opened last (tests drive it).
var lastChooser *fileChooser

func newFileChooser(e *Env, name string, write func(string)) *fileChooser {
	c := &fileChooser{e: e, name: name, write: write, places: userPlaces()}
	lastChooser = c
	placeList := widget.NewList(func() int { return len(c.places) },
		func() fyne.CanvasObject { return widget.NewLabel("U 盘 KINGSTON") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(c.places[i].Label) })
	placeList.OnSelected = func(i widget.ListItemID) { c.cd(c.places[i].Path) }
	c.list = widget.NewList(func() int { return len(c.entries) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.FolderIcon()), widget.NewLabel("文件夹名称"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			en := c.entries[i]
			icon := theme.FileIcon()
			if en.IsDir() {
				icon = theme.FolderIcon()
			}
			box.Objects[0].(*widget.Icon).SetResource(icon)
			box.Objects[1].(*widget.Label).SetText(en.Name())
		})
	c.list.OnSelected = func(i widget.ListItemID) {
		en := c.entries[i]
		c.list.UnselectAll()
		if en.IsDir() {
			c.cd(filepath.Join(c.dir, en.Name()))
			return
		}
		c.file.SetText(en.Name())
	}
	c.where = widget.NewLabel("")
	c.where.Wrapping = fyne.TextWrapBreak
	c.up = widget.NewButtonWithIcon(lang.L("上一级"), theme.NavigateBackIcon(), func() { c.cd(filepath.Dir(c.dir)) })
	c.file = widget.NewEntry()
	c.file.SetText(name)
	c.file.OnSubmitted = func(string) { c.confirm() }
	c.msg = dangerLine()
	c.save = widget.NewButtonWithIcon(lang.L("保存"), theme.DocumentSaveIcon(), c.confirm)
	c.save.Importance = widget.HighImportance
	left := container.NewBorder(widget.NewLabelWithStyle(lang.L("常用位置"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, placeList)
	right := container.NewBorder(container.NewBorder(nil, nil, c.up, nil, c.where), nil, nil, nil, c.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.3
	bottom := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("文件名")), nil, c.file), c.msg)
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("保存文件"), container.NewBorder(nil, bottom, nil, nil, split), e.Win)
	c.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("取消"), c.dlg.Hide), c.save})
	if len(c.places) > 0 {
		start := defaultSaveDir()
		for i, p := range c.places {
			if p.Path == start {
				placeList.Select(i)
			}
		}
	}
	return c
}

func (c *fileChooser) show() {
	c.dlg.Resize(dialogSize(c.e, fyne.NewSize(860, 560)))
	c.dlg.Show()
}

// cd lists dir off the event thread: its folders first, then its files.
func (c *fileChooser) cd(dir string) {
	Go(c.e, func(ctx context.Context) ([]os.DirEntry, error) {
		list, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		var out []os.DirEntry
		for _, en := range list {
			if strings.HasPrefix(en.Name(), ".") {
				continue
			}
			out = append(out, en)
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].IsDir() && !out[j].IsDir() })
		return out, nil
	}, func(list []os.DirEntry, err error) {
		if err != nil {
			c.msg.SetText(lang.L("无法打开这个文件夹。"))
			c.msg.Show()
			return
		}
		c.msg.Hide()
		c.dir, c.entries = dir, list
		c.where.SetText(dir)
		c.list.Refresh()
	})
}

// confirm checks the name and hands the path to write.
func (c *fileChooser) confirm() {
	name := strings.TrimSpace(c.file.Text)
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\:*?"<>|`) {
		c.msg.SetText(lang.L("文件名不能为空，也不能含有 / \\ : * ? \" < > | 这些字符。"))
		c.msg.Show()
		return
	}
	if c.dir == "" {
		c.msg.SetText(lang.L("请先在左侧选择保存位置。"))
		c.msg.Show()
		return
	}
	path := withExt(filepath.Join(c.dir, name), c.name)
	if c.listed(filepath.Base(path)) {
		// Replacing a file is destructive: ask first. (The listing is the
		// folder as shown; the writer replaces a file only once complete.)
		ask := dialog.NewConfirm(lang.L("替换文件"),
			fmt.Sprintf(lang.L("“%s”已经存在。要用新文件替换它吗？"), filepath.Base(path)),
			func(ok bool) {
				if ok {
					c.dlg.Hide()
					c.write(path)
				}
			}, c.e.Win)
		ask.SetConfirmText(lang.L("替换"))
		ask.SetDismissText(lang.L("取消"))
		ask.Show()
		return
	}
	c.dlg.Hide()
	c.write(path)
}

// listed says whether the folder as shown holds a file of that name.
func (c *fileChooser) listed(name string) bool {
	for _, en := range c.entries {
		if !en.IsDir() && en.Name() == name {
			return true
		}
	}
	return false
}
