package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

func init() {
	settingsPanels = append(settingsPanels, auditPanel)
}

// auditActions names the actions of the log for people.
var auditActions = map[string]string{
	"create": "新建", "update": "修改", "delete": "删除", "undelete": "撤销删除", "purge": "清除",
	data.AuditReveal: "查看完整信息", data.AuditExport: "导出个人信息", data.AuditErase: "删除个人信息",
	data.AuditSignIn: "登录", data.AuditSignInFailed: "登录失败", data.AuditAccount: "账号变更",
	data.AuditPassword: "密码变更", data.AuditBackup: "备份", data.AuditRestore: "从备份恢复", "status": "状态变更",
	data.AuditBundleImport: "导入同步包",
}

// auditFields names the commonest fields; others show their column name.
var auditFields = map[string]string{
	"name": "姓名", "phone": "电话", "id_number": "身份证号", "role": "职务", "address": "住址", "village": "村(社区)",
	"notes": "备注", "status": "状态", "title": "标题", "date": "日期", "deleted": "删除标记", "active": "在岗",
	"duties": "分工", "gender": "性别", "birth_date": "出生日期", "categories": "服务类别", "needs": "需求",
	"consent": "同意保存信息", "content": "内容", "reply": "答复", "outcome": "结果", "services": "服务项目",
	"summary": "摘要", "body": "正文", "doc_no": "文号", "category": "类别", "topic": "主题",
}

func auditPanel(e *Env) fyne.CanvasObject {
	open := widget.NewButtonWithIcon(lang.L("查看操作记录"), theme.SearchIcon(), func() { showAuditLog(e, data.AuditQuery{}) })
	return card(lang.L("操作记录"), lang.L("谁在什么时候改了什么、查看或导出了哪些个人信息；记录只增不改"), container.NewHBox(open))
}

// showRecordHistory shows the audit trail of one record (other screens call it).
func showRecordHistory(e *Env, kind, id string) {
	showAuditLog(e, data.AuditQuery{Kind: kind, RecordID: id})
}

func showAuditLog(e *Env, q data.AuditQuery) {
	v := newAuditView(e, q)
	d := dialog.NewCustom(lang.L("操作记录"), lang.L("关闭"), v.content(), e.Win)
	sz := e.Win.Canvas().Size()
	d.Resize(fyne.NewSize(sz.Width*0.92, sz.Height*0.9))
	d.Show()
	v.load()
}

// auditView is the searchable log: by officer, action and dates.
type auditView struct {
	e       *Env
	base    data.AuditQuery
	actor   *widget.Select
	action  *widget.Select
	from    *widget.Entry
	to      *widget.Entry
	search  *widget.Button
	msgs    *fieldMessages
	message *widget.Label // what the search found
	list    *widget.List
	lines   []data.AuditLine
}

const allLabel = "全部"

func newAuditView(e *Env, q data.AuditQuery) *auditView {
	v := &auditView{e: e, base: q}
	v.actor = widget.NewSelect([]string{lang.L(allLabel)}, nil)
	v.actor.SetSelected(lang.L(allLabel))
	actions := []string{lang.L(allLabel)}
	for _, a := range []string{"create", "update", "delete", data.AuditReveal, data.AuditExport, data.AuditErase, data.AuditSignIn, data.AuditSignInFailed, data.AuditAccount, data.AuditPassword, data.AuditBackup, data.AuditRestore} {
		actions = append(actions, lang.L(auditActions[a]))
	}
	v.action = widget.NewSelect(actions, nil)
	v.action.SetSelected(lang.L(allLabel))
	v.from = widget.NewEntry()
	v.from.SetPlaceHolder(lang.L("起始日期 2026-11-01"))
	v.to = widget.NewEntry()
	v.to.SetPlaceHolder(lang.L("截止日期 2026-11-30"))
	v.search = widget.NewButtonWithIcon(lang.L("查询"), theme.SearchIcon(), v.load)
	v.msgs = newFieldMessages(e.Win)
	v.message = widget.NewLabel("")
	v.list = widget.NewList(func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("2026-11-17 09:00　王秀英　修改　工作人员")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(auditText(v.lines[i])) })
	Go(e, func(ctx context.Context) ([]string, error) { return e.Store.AuditActors(ctx) }, func(names []string, err error) {
		if err == nil {
			v.actor.SetOptions(append([]string{lang.L(allLabel)}, names...))
		}
	})
	return v
}

func (v *auditView) content() fyne.CanvasObject {
	filters := container.NewGridWithColumns(5, v.actor, v.action, v.msgs.at(v.from, "from"), v.msgs.at(v.to, "to"), v.search)
	top := container.NewVBox(filters, v.msgs.status, v.message)
	if v.base.RecordID != "" {
		top.Add(widget.NewLabel(lang.L("这条记录的全部操作")))
	}
	return container.NewBorder(top, nil, nil, nil, v.list)
}

func (v *auditView) query() (data.AuditQuery, error) {
	q := v.base
	if s := v.actor.Selected; s != "" && s != lang.L(allLabel) {
		q.Actor = s
	}
	for code, label := range auditActions {
		if v.action.Selected == lang.L(label) {
			q.Action = code
		}
	}
	from, err := parseFormDate("from", v.from.Text)
	if err != nil {
		return q, err
	}
	to, err := parseFormDate("to", v.to.Text)
	if err != nil {
		return q, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return q, data.Invalid("to", "截止日期不能早于起始日期")
	}
	q.From = from
	if !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the whole last day
	}
	q.Limit = 1000
	return q, nil
}

func (v *auditView) load() {
	q, err := v.query()
	v.msgs.report(err)
	v.message.SetText("")
	if err != nil {
		return
	}
	Go(v.e, func(ctx context.Context) ([]data.AuditLine, error) { return v.e.Store.AuditLog(ctx, q) }, func(lines []data.AuditLine, err error) {
		v.msgs.report(err)
		if err != nil {
			return
		}
		v.lines = lines
		if len(lines) == 0 {
			v.message.SetText(lang.L("没有符合条件的记录"))
		}
		v.list.Refresh()
	})
}

// auditText is one line of the log as an officer reads it.
func auditText(a data.AuditLine) string {
	action := a.Action
	if l, ok := auditActions[a.Action]; ok {
		action = lang.L(l)
	}
	kind := a.Kind
	for _, k := range data.Kinds() {
		if k.Name == a.Kind {
			kind = lang.L(k.Label)
		}
	}
	if a.Kind == "accounts" {
		kind = lang.L("登录账号")
	}
	s := fmt.Sprintf("%s　%s　%s　%s", a.At.Format("2006-01-02 15:04:05"), a.Actor, action, kind)
	if ch := a.Changes(); ch != nil && a.Action != "create" {
		var parts []string
		for _, c := range ch {
			f := c.Field
			if l, ok := auditFields[f]; ok {
				f = lang.L(l)
			}
			if c.Personal {
				parts = append(parts, f+lang.L("：已修改"))
			} else {
				parts = append(parts, fmt.Sprintf("%s：%s → %s", f, orEmpty(c.Old), orEmpty(c.New)))
			}
		}
		s += "　" + strings.Join(parts, "；")
	} else if a.Detail != "" && a.Action != "create" {
		s += "　" + a.Detail
	}
	return s
}

func orEmpty(s string) string {
	if s == "" {
		return lang.L("（空）")
	}
	return s
}
