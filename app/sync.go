package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// syncScreen is 数据同步: export a bundle to a folder or USB stick, import
// bundles, and at the bureau enrol stations, watch them and settle conflicts.
func syncScreen(e *Env) fyne.CanvasObject {
	v := newSyncView(e)
	c := v.content()
	v.reload()
	return page(lang.L("数据同步"), container.NewVScroll(c))
}

type syncView struct {
	e      *Env
	bureau bool

	status *widget.Label

	enrollPath *widget.Entry
	enrollBtn  *widget.Button
	enrollCard *widget.Card

	station    *widget.Select
	codes      map[string]string // select label -> station code
	outDir     *widget.Entry
	exportBtn  *widget.Button
	exportBar  *widget.ProgressBar
	exportDone *widget.Label // progress and where the bundle went
	exportMsgs *fieldMessages
	enrollMsgs *fieldMessages
	allBtn     *widget.Button    // bureau: 发送给全部站点
	names      map[string]string // peer code -> name, for import results
	outcomes   *fyne.Container   // station: the bureau's settlements of its conflicts

	inPaths   *widget.Entry
	importBtn *widget.Button
	importBar *widget.ProgressBar
	results   *fyne.Container

	addCode, addName, addDir *widget.Entry
	addBtn                   *widget.Button
	addMsg                   *widget.Label // where the file was written
	addMsgs                  *fieldMessages
	board                    *fyne.Container
	conflicts                *conflictPanel
	root                     *fyne.Container
}

// relayout lets the page grow or shrink with what the cards now hold.
func (v *syncView) relayout() {
	if v.root != nil {
		v.root.Refresh()
	}
}

func newSyncView(e *Env) *syncView {
	v := &syncView{e: e, bureau: e.Ident.Role == data.RoleBureau, codes: map[string]string{}}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord

	v.enrollPath = widget.NewEntry()
	v.enrollPath.SetPlaceHolder(lang.L("区县人社局发放的登记文件"))
	v.enrollBtn = widget.NewButtonWithIcon(lang.L("导入登记文件"), theme.LoginIcon(), v.onEnroll)

	v.station = widget.NewSelect(nil, nil)
	v.station.PlaceHolder = lang.L("选择站点")
	v.outDir = widget.NewEntry()
	v.outDir.SetPlaceHolder(lang.L("导出到的文件夹或U盘"))
	v.exportBtn = widget.NewButtonWithIcon(lang.L("导出同步包"), theme.UploadIcon(), v.onExport)
	v.exportBtn.Importance = widget.HighImportance
	v.exportBar = widget.NewProgressBar()
	v.exportBar.Hide()
	v.exportDone = widget.NewLabel("")
	v.exportDone.Wrapping = fyne.TextWrapWord
	v.exportMsgs, v.enrollMsgs = newFieldMessages(e.Win), newFieldMessages(e.Win)
	v.allBtn = widget.NewButtonWithIcon(lang.L("发送给全部站点"), theme.MailSendIcon(), v.onExportAll)
	v.names = map[string]string{}
	v.outcomes = container.NewVBox()

	v.inPaths = widget.NewMultiLineEntry()
	v.inPaths.SetPlaceHolder(lang.L("同步包文件，每行一个；也可填文件夹，导入其中全部同步包"))
	v.inPaths.SetMinRowsVisible(3)
	v.importBtn = widget.NewButtonWithIcon(lang.L("导入同步包"), theme.DownloadIcon(), v.onImport)
	v.importBtn.Importance = widget.HighImportance
	v.importBar = widget.NewProgressBar()
	v.importBar.Hide()
	v.results = container.NewVBox()

	v.addCode = widget.NewEntry()
	v.addCode.SetPlaceHolder(lang.L("站点代码，例如 430702101"))
	v.addName = widget.NewEntry()
	v.addName.SetPlaceHolder(lang.L("站点名称"))
	v.addDir = widget.NewEntry()
	v.addDir.SetPlaceHolder(lang.L("登记文件保存到的文件夹"))
	v.addBtn = widget.NewButtonWithIcon(lang.L("登记站点"), theme.ContentAddIcon(), v.onAddStation)
	v.addMsg = widget.NewLabel("")
	v.addMsg.Wrapping = fyne.TextWrapWord
	v.addMsgs = newFieldMessages(e.Win)
	v.board = container.NewVBox()
	v.conflicts = newConflictPanel(e, v.reload)
	return v
}

func (v *syncView) content() fyne.CanvasObject {
	browseDir := func(target *widget.Entry) *widget.Button {
		return widget.NewButtonWithIcon(lang.L("浏览…"), theme.FolderOpenIcon(), func() {
			dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
				if err == nil && u != nil {
					target.SetText(u.Path())
				}
			}, v.e.Win)
		})
	}
	addFile := widget.NewButtonWithIcon(lang.L("添加文件…"), theme.FileIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			v.inPaths.SetText(strings.TrimSpace(v.inPaths.Text + "\n" + r.URI().Path()))
		}, v.e.Win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{data.BundleExt}))
		d.Show()
	})
	addFolder := widget.NewButtonWithIcon(lang.L("添加文件夹…"), theme.FolderOpenIcon(), func() {
		dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				v.inPaths.SetText(strings.TrimSpace(v.inPaths.Text + "\n" + u.Path()))
			}
		}, v.e.Win)
	})
	exportRow := container.NewBorder(nil, nil, nil, browseDir(v.outDir), v.outDir)
	exportBody := container.NewVBox(v.exportMsgs.at(exportRow, "dir"), container.NewHBox(v.exportBtn), v.exportMsgs.status, v.exportBar, v.exportDone)
	if v.bureau {
		// The folder first (a USB stick), then one station or all of them.
		exportBody.Objects = []fyne.CanvasObject{v.exportMsgs.at(exportRow, "dir"),
			v.exportMsgs.at(v.station, "station"), buttonRow(v.exportBtn, v.allBtn),
			v.exportMsgs.status, v.exportBar, v.exportDone}
	}
	importBody := container.NewVBox(v.inPaths, container.NewHBox(addFile, addFolder, layoutSpacer(), v.importBtn), v.importBar, v.results)

	v.enrollCard = card(lang.L("加入区县人社局"), lang.L("导入区县人社局发放的登记文件后，才能与其交换同步包"),
		container.NewVBox(v.enrollMsgs.at(container.NewBorder(nil, nil, nil, container.NewHBox(widget.NewButtonWithIcon(lang.L("浏览…"), theme.FileIcon(), func() {
			dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
				if err == nil && r != nil {
					r.Close()
					v.enrollPath.SetText(r.URI().Path())
				}
			}, v.e.Win)
		}), v.enrollBtn), v.enrollPath), "file", "enrol"), v.enrollMsgs.status))
	v.enrollCard.Hide()

	exportSub := lang.L("包含区县人社局尚未确认收到的全部记录；文件已签名并加密，丢失也不会泄露个人信息")
	if v.bureau {
		exportSub = lang.L("政策、办事指南、节假日安排、人员变动、意见答复和收件回执；可发往一个站点，或一次为全部站点各写一个包")
	}
	parts := []fyne.CanvasObject{
		v.status,
		v.enrollCard,
		noteCard(lang.L("导出同步包"), exportSub, exportBody),
		noteCard(lang.L("导入同步包"), lang.L("先核对签名和发送方，再在一个事务中全部导入；同一个包导入两次不会重复"), importBody),
	}
	if !v.bureau {
		parts = append(parts, noteCard(lang.L("区县人社局的冲突裁定"), lang.L("本站与区县人社局同时修改同一条记录时，由区县人社局裁定保留哪一方"), v.outcomes))
	}
	if v.bureau {
		m := v.addMsgs
		addForm := container.NewVBox(
			container.NewGridWithColumns(2, m.at(v.addCode, "code"), m.at(v.addName, "name")),
			m.at(container.NewBorder(nil, nil, nil, container.NewHBox(browseDir(v.addDir), v.addBtn), v.addDir), "dir"),
			m.status, v.addMsg)
		parts = append(parts,
			widget.NewCard(lang.L("各站点情况"), "", v.board),
			noteCard(lang.L("待裁定的冲突"), lang.L("同一条记录在两处同时被修改：已按统一规则选定一方，另一方的内容保留在这里"), v.conflicts.box),
			card(lang.L("登记新站点"), lang.L("生成登记文件交给站点；文件内含站点密钥，请当面或用U盘交付"), addForm),
			rekeyCard(v.e))
	}
	v.root = container.NewVBox(parts...)
	return v.root
}

// syncState is what the screen shows about this installation.
type syncState struct {
	peers     []data.StationStatus
	conflicts conflictState
	outcomes  []data.ConflictOutcome
}

func (v *syncView) reload() {
	Go(v.e, func(ctx context.Context) (syncState, error) {
		var s syncState
		var err error
		if s.peers, err = v.e.Store.SyncBoard(ctx, now()); err != nil {
			return s, err
		}
		if v.bureau {
			s.conflicts, err = loadConflicts(ctx, v.e.Store)
		} else {
			s.outcomes, err = v.e.Store.ConflictOutcomes(ctx, 20)
		}
		return s, err
	}, func(s syncState, err error) {
		if err != nil {
			v.status.SetText(UserMessage(err))
			return
		}
		v.show(s)
	})
}

func (v *syncView) show(s syncState) {
	for _, p := range s.peers {
		v.names[p.Code] = p.Name
	}
	v.names[v.e.Ident.Code] = v.e.Ident.Name
	v.showOutcomes(s.outcomes)
	if v.bureau {
		labels := make([]string, 0, len(s.peers))
		v.codes = map[string]string{}
		for _, p := range s.peers {
			l := fmt.Sprintf("%s（%s）", p.Name, p.Code)
			labels = append(labels, l)
			v.codes[l] = p.Code
		}
		v.station.Options = labels
		if v.station.Selected == "" && len(labels) > 0 {
			v.station.SetSelected(labels[0])
		}
		v.station.Refresh()
		v.status.SetText(fmt.Sprintf(lang.L("本局已登记 %d 个站点。"), len(s.peers)))
		v.showBoard(s.peers)
		v.conflicts.show(s.conflicts)
		v.relayout()
		return
	}
	if len(s.peers) == 0 {
		v.status.SetText(lang.L("本站尚未登记到区县人社局。"))
		v.enrollCard.Show()
		v.exportBtn.Disable()
		v.importBtn.Disable()
		v.exportMsgs.status.SetText(lang.L(notEnrolledExport))
		v.exportMsgs.status.Show()
		v.relayout()
		return
	}
	p := s.peers[0]
	v.enrollCard.Hide()
	v.exportBtn.Enable()
	v.importBtn.Enable()
	defer v.relayout()
	v.status.SetText(peerStatusText(p))
}

func (v *syncView) showBoard(peers []data.StationStatus) {
	weights := []float32{2, 1.6, 0.8, 1.1, 1}
	table := container.NewVBox(tableRow(weights, bwCell(lang.L("站点"), true), bwCell(lang.L("最近收到"), true), bwCell(lang.L("包序号"), true),
		bwCell(lang.L("本月新增记录"), true), bwCell(lang.L("待裁定冲突"), true)))
	for _, p := range peers {
		last := bwCell(lang.L("从未送来数据包"), false)
		last.Importance = widget.WarningImportance
		if p.InAt > 0 {
			last = bwCell(time.UnixMilli(p.InAt).Format("2006-01-02 15:04"), false)
		}
		conf := bwCell(fmt.Sprint(p.OpenConflicts), false)
		if p.OpenConflicts > 0 {
			conf.Importance = widget.WarningImportance
		}
		seq := fmt.Sprint(p.InSeq)
		if p.ClockAheadMs > 0 {
			seq += " " + lang.L("（时钟超前）")
		}
		table.Add(tableRow(weights, bwCell(p.Name, false), last, bwCell(seq, false), bwCell(thousands(p.RecordsThisMonth), false), conf))
		if p.Refused != nil && p.Refused.Record != nil {
			// Either a bug or an attack: the bureau must see it.
			warn := widget.NewLabel(fmt.Sprintf(lang.L("⚠ %s 拒收第 %d 号包：%s"), time.UnixMilli(p.Refused.At).Format("2006-01-02 15:04"),
				p.Refused.Seq, recordRefusalText(p.Refused.Reason, p.Refused.Record)))
			warn.Importance = widget.DangerImportance
			warn.Wrapping = fyne.TextWrapWord
			table.Add(warn)
		}
	}
	v.board.Objects = []fyne.CanvasObject{table}
	if len(peers) == 0 {
		v.board.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("还没有登记站点。"))}
	}
	v.board.Refresh()
}

// showOutcomes lists, at a station, how the bureau settled conflicts over its records.
func (v *syncView) showOutcomes(list []data.ConflictOutcome) {
	v.outcomes.Objects = nil
	if len(list) == 0 {
		v.outcomes.Add(widget.NewLabel(lang.L("没有裁定。")))
	}
	for _, o := range list {
		l := widget.NewLabel(fmt.Sprintf(lang.L("%s　%s：%s——区县人社局裁定保留%s（%s）"), o.SettledAt.Format("2006-01-02 15:04"), lang.L(o.KindLabel), o.Summary, o.Kept, o.SettledBy))
		l.Wrapping = fyne.TextWrapWord
		v.outcomes.Add(l)
	}
	v.outcomes.Refresh()
}

// startExport shows an export under way: the buttons off, the bar at zero.
func (v *syncView) startExport() {
	v.exportMsgs.clear()
	v.exportBtn.Disable()
	v.allBtn.Disable()
	v.exportBar.SetValue(0)
	v.exportBar.Show()
	v.exportDone.SetText(lang.L("正在导出…"))
	v.relayout()
}

// endExport shows how an export ended and says whether it succeeded.
func (v *syncView) endExport(err error) bool {
	v.exportBtn.Enable()
	v.allBtn.Enable()
	v.exportMsgs.report(err)
	if err != nil {
		v.exportBar.Hide()
		v.exportDone.SetText("")
		return false
	}
	v.exportBar.SetValue(1)
	return true
}

// onExportAll writes one bundle per station into the chosen folder: 发送给全部站点.
func (v *syncView) onExportAll() {
	dir := strings.TrimSpace(v.outDir.Text)
	v.exportDone.SetText("")
	if dir == "" {
		v.exportMsgs.refuse("dir", "请选择导出到的文件夹")
		return
	}
	v.startExport()
	Go(v.e, func(ctx context.Context) ([]data.StationExport, error) {
		if err := checkFolder("dir", dir); err != nil {
			return nil, err
		}
		return v.e.Store.ExportBundleAll(ctx, dir, func(done, total int, name string) {
			f := float64(done) / float64(total)
			v.e.onUI(func() {
				v.exportBar.SetValue(f)
				if name != "" {
					v.exportDone.SetText(fmt.Sprintf(lang.L("正在为%s导出（%d/%d）…"), name, done+1, total))
				}
			})
		})
	}, func(rs []data.StationExport, err error) {
		if !v.endExport(err) {
			return
		}
		ok := 0
		var lines []string
		for _, r := range rs {
			if r.Err != nil {
				lines = append(lines, fmt.Sprintf(lang.L("%s：未能导出，%s"), r.Name, UserMessage(r.Err)))
				continue
			}
			ok++
			lines = append(lines, fmt.Sprintf(lang.L("%s：%s 条记录，%s"), r.Name, thousands(r.Result.Records), filepath.Base(r.Result.Path)))
		}
		head := fmt.Sprintf(lang.L("已为 %d 个站点各写一个同步包，保存在 %s"), ok, dir)
		v.exportDone.SetText(head + "\n" + strings.Join(lines, "\n"))
		v.relayout()
		v.reload()
	})
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

func (v *syncView) onExport() {
	dir := strings.TrimSpace(v.outDir.Text)
	v.exportDone.SetText("")
	if dir == "" {
		v.exportMsgs.refuse("dir", "请选择导出到的文件夹")
		return
	}
	code := ""
	if v.bureau {
		code = v.codes[v.station.Selected]
		if code == "" {
			v.exportMsgs.refuse("station", "请选择要发往的站点")
			return
		}
	}
	v.startExport()
	Go(v.e, func(ctx context.Context) (*data.ExportResult, error) {
		if err := checkFolder("dir", dir); err != nil {
			return nil, err
		}
		return v.e.Store.ExportBundle(ctx, dir, code, func(done, total int) {
			if total > 0 {
				f := float64(done) / float64(total)
				v.e.onUI(func() { v.exportBar.SetValue(f) })
			}
		})
	}, func(r *data.ExportResult, err error) {
		if !v.endExport(err) {
			return
		}
		v.exportDone.SetText(fmt.Sprintf(lang.L("共 %s 条记录，写入 %s"), thousands(r.Records), r.Path))
		v.relayout()
		v.reload()
	})
}

// bundlePaths expands the typed lines: files as they are, folders to the
// bundles inside them, in name order (which is sequence order per sender).
func bundlePaths(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		p := strings.TrimSpace(line)
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			m, _ := filepath.Glob(filepath.Join(p, "*"+data.BundleExt))
			out = append(out, m...)
			continue
		}
		out = append(out, p)
	}
	return out
}

func (v *syncView) onImport() {
	paths := bundlePaths(v.inPaths.Text)
	if len(paths) == 0 {
		v.results.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("请添加要导入的同步包"))}
		v.results.Refresh()
		return
	}
	v.importBtn.Disable()
	v.importBar.SetValue(0)
	v.importBar.Show()
	v.results.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("正在导入…"))}
	v.results.Refresh()
	v.relayout()
	Go(v.e, func(ctx context.Context) ([]*data.ImportResult, error) {
		return v.e.Store.ImportBundles(ctx, paths, func(i int) {
			f := float64(i) / float64(len(paths))
			v.e.onUI(func() { v.importBar.SetValue(f) })
		}), nil
	}, func(rs []*data.ImportResult, _ error) {
		v.importBtn.Enable()
		v.importBar.SetValue(1)
		v.results.Objects = nil
		own := 0
		for _, r := range rs {
			if r.Status == "refused" && (r.Reason == "own" || r.Reason == "not_for_us") {
				own++ // this installation's outgoing bundles, or other stations', on the same stick
				continue
			}
			l := widget.NewLabel(v.bundleName(r) + "　" + importText(r))
			l.Wrapping = fyne.TextWrapWord
			switch r.Status {
			case "refused":
				l.Importance = widget.DangerImportance
			case "imported":
				l.Importance = widget.SuccessImportance
			}
			v.results.Add(l)
		}
		if own > 0 {
			text := fmt.Sprintf(lang.L("另有 %d 个是本局发往站点的包，已跳过"), own)
			if !v.bureau {
				text = fmt.Sprintf(lang.L("另有 %d 个是本站发出或发给其他站点的包，已跳过"), own)
			}
			l := widget.NewLabel(text)
			l.Importance = widget.LowImportance
			v.results.Add(l)
		}
		v.results.Refresh()
		v.relayout()
		v.reload()
	})
}

// bundleName names a bundle by its sender (a station's name, 区县人社局),
// with its number; the file's name only when the sender is not known.
func (v *syncView) bundleName(r *data.ImportResult) string {
	name := v.names[r.Sender]
	if name == "" {
		return filepath.Base(r.Path)
	}
	if r.Seq > 0 {
		return fmt.Sprintf(lang.L("%s（第 %d 号包）"), name, r.Seq)
	}
	return name
}

// importText says in plain Chinese what happened to one bundle.
func importText(r *data.ImportResult) string {
	switch r.Status {
	case "imported":
		s := fmt.Sprintf(lang.L("已导入：新增或更新 %s 条，已有 %s 条，冲突 %s 条"), thousands(r.Applied), thousands(r.Skipped), thousands(r.Conflicts))
		if r.Gap != "" {
			s += "；" + fmt.Sprintf(lang.L("未收到第 %s 号包，其内容已包含在本包中"), r.Gap)
		}
		return s + keysImportNotes(r)
	case "skipped":
		return lang.L("已导入过，跳过")
	}
	if r.Record != nil {
		return lang.L("拒绝：") + recordRefusalText(r.Reason, r.Record)
	}
	return lang.L("拒绝：") + refusalText(r.Reason)
}

// recordRefusalText names the record that made a bundle be refused, in the
// words of a bureau officer: who sent it, whose record it touched, which.
func recordRefusalText(reason string, r *data.RefusedRecord) string {
	if reason == "bad_record" {
		field := data.FieldLabel(r.Field)
		if field != r.Field {
			field = lang.L(field)
		}
		return fmt.Sprintf(lang.L("%s的数据包中%s%s不符合录入规则（%s），已整包拒收"), r.SenderName, lang.L(r.KindLabel), r.What, field)
	}
	if r.Owner == "" || r.Owner == r.Sender {
		return fmt.Sprintf(lang.L("%s的数据包含有它无权发送的%s%s，已整包拒收"), r.SenderName, lang.L(r.KindLabel), r.What)
	}
	return fmt.Sprintf(lang.L("%s的数据包试图修改%s的%s%s，已整包拒收"), r.SenderName, r.OwnerName, lang.L(r.KindLabel), r.What)
}

func refusalText(reason string) string {
	switch reason {
	case "bad_signature":
		return lang.L("签名不符")
	case "truncated":
		return lang.L("文件不完整（可能被截断）")
	case "altered":
		return lang.L("文件已被改动")
	case "unknown_sender":
		return lang.L("发送方未登记")
	case "not_for_us":
		return lang.L("不是发给本单位的")
	case "own":
		return lang.L("这是本单位自己导出的包")
	case "replayed":
		return lang.L("旧包，其内容已包含在后来的包中")
	case "rolled_back":
		return lang.L("局端数据版本回退")
	case "bad_archive":
		return lang.L("包内容不合规")
	case "bad_record", "out_of_scope":
		return lang.L("包内记录无效")
	case "not_authorized":
		return lang.L("包内有发送方无权修改的记录")
	case "decrypt":
		return lang.L("无法解密")
	case "too_big":
		return lang.L("文件过大")
	case "not_bundle", "bad_header":
		return lang.L("不是同步包文件")
	case "unsupported":
		return lang.L("由更新版本的程序写入，请升级")
	case "not_enrolled":
		return lang.L("本机尚未登记")
	case "revoked_key":
		return lang.L("密钥已作废（对方已重新发放密钥，这个包是用旧密钥签名的）")
	case "old_epoch":
		return lang.L("旧包：发送方此后已恢复数据或重新安装，这个包已作废")
	case "bad_seq":
		return lang.L("包序号异常；如果不是对方发出的包，对方的密钥可能已泄露，请重新发放密钥")
	}
	return lang.L("导入失败")
}

func (v *syncView) onEnroll() {
	p := strings.TrimSpace(v.enrollPath.Text)
	if p == "" {
		v.enrollMsgs.refuse("file", "请选择登记文件")
		return
	}
	v.enrollMsgs.clear()
	v.enrollBtn.Disable()
	enrolFromFile(v.e, p, func(id data.Identity, err error) {
		v.enrollBtn.Enable()
		v.enrollMsgs.report(err)
		if err == nil {
			v.exportMsgs.clear()
			dialog.ShowInformation(lang.L("已加入区县人社局"), fmt.Sprintf(lang.L("本站已作为“%s”加入区县人社局，可以导出同步包交给区局了。"), id.Name), v.e.Win)
			v.reload()
		}
	}, v.enrollBtn.Enable)
}

func (v *syncView) onAddStation() {
	code, name, dir := strings.TrimSpace(v.addCode.Text), strings.TrimSpace(v.addName.Text), strings.TrimSpace(v.addDir.Text)
	v.addMsg.SetText("")
	if dir == "" {
		v.addMsgs.refuse("dir", "请选择登记文件保存到的文件夹")
		return
	}
	v.addMsgs.clear()
	v.addBtn.Disable()
	Go(v.e, func(ctx context.Context) ([2]string, error) {
		if err := checkFolder("dir", dir); err != nil {
			return [2]string{}, err
		}
		file, otc, err := v.e.Store.AddStationSealed(ctx, code, name)
		if err != nil {
			return [2]string{}, err
		}
		out, err := sealedEnrolment(dir, code, file)
		return [2]string{out, otc}, err
	}, func(r [2]string, err error) {
		v.addBtn.Enable()
		v.addMsgs.report(err)
		if err != nil {
			return
		}
		showEnrolmentCode(v.e, r[0], r[1])
		v.addMsg.SetText(fmt.Sprintf(lang.L("已登记，登记文件写入 %s"), r[0]))
		v.addCode.SetText("")
		v.addName.SetText("")
		v.reload()
	})
}

// checkFolder refuses a typed folder that does not exist, at field.
func checkFolder(field, dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return data.Invalid(field, "找不到这个文件夹")
	}
	return nil
}

// readEnrolment reads the enrolment file at path; one that cannot be read
// is refused at the "file" field.
func readEnrolment(path string) ([]byte, error) {
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return nil, data.Invalid("file", "找不到这个文件")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &data.Error{Kind: data.KindIO, Op: "read enrolment", Err: err}
	}
	return b, nil
}

// thousands writes 1234567 as 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
