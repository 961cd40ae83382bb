package app

import (
	"bytes"
	"os"
	"path/filepath"
	dsync "stationdesk/data/sync"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// The real scrypt work factor (256 MiB, a second; far more under -race) is
// tested once in data/.
func init() { dsync.ScryptWorkFactor = 10 }

func bureauStore(t *testing.T) *data.Store {
	t.Helper()
	b := newTestStore(t, false)
	if err := b.Setup(t.Context(), data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureKeys(t.Context()); err != nil {
		t.Fatal(err)
	}
	return b
}

// lightPair is a bureau with three stations, the first enrolled in its own
// store (no demo data: these tests run under -race).
func lightPair(t *testing.T) (station, bureau *data.Store) {
	t.Helper()
	bureau = bureauStore(t)
	ctx := t.Context()
	for i, s := range [][2]string{{"430702101", "桃花镇劳动保障站"}, {"430702102", "柳树镇劳动保障站"}, {"430702103", "石门镇劳动保障站"}} {
		file, err := bureau.AddStation(ctx, s[0], s[1])
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			station = newTestStore(t, false)
			if _, err := station.Enroll(ctx, file); err != nil {
				t.Fatal(err)
			}
		}
	}
	return station, bureau
}

// typeCode answers the open code prompt.
func typeCode(t *testing.T, e *Env, code string) *codePrompt {
	t.Helper()
	p := keysOf(e).prompt
	if p == nil {
		t.Fatal("no code prompt open")
	}
	test.Type(p.entry, code)
	p.submit()
	e.wait()
	return p
}

// The bureau enrols a station on its screen: the code is shown large, the
// file is sealed; the station's wizard asks for the code, again while it is
// wrong, and joins with the right one.
func TestEnrolmentCodeOnScreen(t *testing.T) {
	bureau := bureauStore(t)
	be := newTestEnv(t, bureau, fyne.NewSize(1100, 900))
	be.Ident = data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}
	v := newSyncView(be)
	be.showForTest(page(lang.L("数据同步"), v.content()))
	dir := t.TempDir()
	test.Type(v.addCode, "430702101")
	test.Type(v.addName, "桃花镇劳动保障站")
	test.Type(v.addDir, dir)
	test.Tap(v.addBtn)
	be.wait()
	shown := keysOf(be).shown
	if shown == nil || len(shown.Text) != 19 || shown.TextSize < 2*theme.TextSize() {
		t.Fatalf("code shown: %+v", shown)
	}
	snap(t, be.Win, "sync-enrolment-code")
	path := filepath.Join(dir, "enrol-430702101"+enrolExt)
	file, err := os.ReadFile(path)
	if err != nil || !data.EnrolmentSealed(file) || bytes.Contains(file, []byte("AGE-SECRET")) {
		t.Fatalf("enrolment file %v", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("enrolment file mode %v", fi.Mode())
	}

	st := newTestStore(t, false)
	se := newTestEnv(t, st, fyne.NewSize(1000, 700))
	var got *data.Identity
	w := buildWizard(se, func(id data.Identity) { got = &id })
	se.showForTest(w.content())
	// Cancelling the prompt leaves the wizard usable.
	w.enrollFrom(path)
	se.wait()
	keysOf(se).prompt.cancel()
	se.wait()
	if got != nil || w.enroll.Disabled() {
		t.Fatalf("after a cancelled code prompt: %+v, busy %v", got, w.enroll.Disabled())
	}
	w.enrollFrom(path)
	se.wait()
	p := typeCode(t, se, "1111-2222-3333-4444")
	if got != nil {
		t.Fatal("enrolled with a wrong code")
	}
	again := keysOf(se).prompt
	if again == nil || again == p || again.msg.Hidden || !strings.Contains(again.msg.Text, "验证码不对") {
		t.Fatalf("no second prompt saying the code is wrong: %+v", again)
	}
	snap(t, se.Win, "sync-enrolment-code-wrong")
	if _, ok, _ := st.Identity(t.Context()); ok {
		t.Fatal("a wrong code set the station up")
	}
	typeCode(t, se, strings.ReplaceAll(shown.Text, "-", " "))
	if got == nil || got.Code != "430702101" {
		t.Fatalf("after the right code: %+v (%q)", got, msgText(w.msgs))
	}
}

// Re-keying is a button with a confirmation; the old key is refused after.
func TestRekeyButton(t *testing.T) {
	station, bureau := lightPair(t)
	e := newTestEnv(t, bureau, fyne.NewSize(1100, 900))
	e.Ident = data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}
	card := rekeyCard(e).(*widget.Card)
	e.showForTest(card)
	box := card.Content.(*fyne.Container)
	var sel *widget.Select
	var dir *widget.Entry
	var btn *widget.Button
	walk(box, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Select:
			sel = x
		case *widget.Entry:
			dir = x
		case *widget.Button:
			if x.Text == "重新发放密钥…" {
				btn = x
			}
		}
	})
	sid, _, _ := station.Identity(t.Context())
	for _, o := range sel.Options {
		if strings.Contains(o, sid.Code) {
			sel.SetSelected(o)
		}
	}
	out := t.TempDir()
	test.Type(dir, out)
	test.Tap(btn)
	e.wait()
	k := keysOf(e)
	if k.confirm == nil {
		t.Fatal("no confirmation before re-keying")
	}
	snap(t, e.Win, "sync-rekey-confirm")
	k.confirm(false)
	e.wait()
	if p := peerOf(t, bureau, sid.Code); p.KeyedAt != 0 {
		t.Fatal("re-keyed although cancelled")
	}
	test.Tap(btn)
	e.wait()
	k.confirm(true)
	e.wait()
	if p := peerOf(t, bureau, sid.Code); p.KeyedAt == 0 {
		t.Fatal("not re-keyed")
	}
	if k.shown == nil || len(k.shown.Text) != 19 {
		t.Fatal("no code shown after re-keying")
	}
	// The station's old key is refused now, by name.
	exp, err := station.ExportBundle(t.Context(), t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := bureau.ImportBundle(t.Context(), exp.Path)
	if r.Reason != "revoked_key" || !strings.Contains(importText(r), "密钥已作废") {
		t.Fatalf("old key: %+v %q", r, importText(r))
	}
	// The station imports the new file in 设置 and syncs again.
	se := newTestEnv(t, station, fyne.NewSize(1000, 700))
	se.Ident = sid
	file := filepath.Join(out, "enrol-"+sid.Code+enrolExt)
	enrolFromFile(se, file, func(id data.Identity, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}, nil)
	se.wait()
	typeCode(t, se, k.shown.Text)
	exp, err = station.ExportBundle(t.Context(), t.TempDir(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := bureau.ImportBundle(t.Context(), exp.Path); r.Status != "imported" {
		t.Fatalf("after re-enrolling: %+v %v", r, err)
	}
}

func peerOf(t *testing.T, st *data.Store, code string) data.Peer {
	t.Helper()
	ps, err := st.Peers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Code == code {
			return p
		}
	}
	t.Fatalf("no peer %s", code)
	return data.Peer{}
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	case *widget.Card:
		if x.Content != nil {
			walk(x.Content, fn)
		}
	}
}

// The bureau writes its recovery file from 设置 and a new installation is
// restored from it in the wizard.
func TestRecoveryFileButtons(t *testing.T) {
	bureau := bureauStore(t)
	for _, c := range []string{"430702101", "430702102", "430702103"} {
		if _, err := bureau.AddStation(t.Context(), c, "站点"+c[7:]); err != nil {
			t.Fatal(err)
		}
	}
	e := newTestEnv(t, bureau, fyne.NewSize(1100, 900))
	e.Ident = data.Identity{Role: data.RoleBureau, Name: "示例区人力资源和社会保障局", Code: "430702"}
	card := keysPanel(e).(*widget.Card)
	e.showForTest(card)
	var dir *widget.Entry
	var btn *widget.Button
	var labels []*widget.Label
	walk(card, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Entry:
			dir = x
		case *widget.Button:
			if x.Text == "写出恢复文件…" {
				btn = x
			}
		case *widget.Label:
			labels = append(labels, x)
		}
	})
	says := func(what string) bool {
		for _, l := range labels {
			if strings.Contains(l.Text, what) {
				return true
			}
		}
		return false
	}
	if !says("还没有写过恢复文件") {
		t.Fatal("no status before the first recovery file")
	}
	out := t.TempDir()
	test.Type(dir, out)
	test.Tap(btn)
	e.wait()
	keysOf(e).confirm(true)
	e.wait()
	code := keysOf(e).shown
	if code == nil || len(strings.ReplaceAll(code.Text, "-", "")) != 24 {
		t.Fatalf("recovery code shown: %+v", code)
	}
	snap(t, e.Win, "settings-recovery-code")
	if !says("最近一次写出恢复文件") {
		t.Fatal("status not updated after writing")
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"+recoveryExt))
	if len(files) != 1 {
		t.Fatalf("%d recovery files", len(files))
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Fatalf("recovery file mode %v", fi.Mode())
	}

	fresh := newTestStore(t, false)
	fe := newTestEnv(t, fresh, fyne.NewSize(1000, 700))
	var got *data.Identity
	w := buildWizard(fe, func(id data.Identity) { got = &id })
	fe.showForTest(w.content())
	w.recoverFrom(files[0])
	fe.wait()
	typeCode(t, fe, strings.Repeat("3", 24))
	if got != nil || keysOf(fe).prompt == nil {
		t.Fatal("a wrong recovery code was taken")
	}
	typeCode(t, fe, code.Text)
	if got == nil || got.Role != data.RoleBureau || got.Code != "430702" {
		t.Fatalf("recovered as %+v", got)
	}
	if ps, _ := fresh.Peers(t.Context()); len(ps) != 3 {
		t.Fatalf("recovered %d stations", len(ps))
	}
}

func TestImportNotesOfKeys(t *testing.T) {
	for _, c := range []struct {
		r    data.ImportResult
		want []string
		not  string
	}{
		{data.ImportResult{Status: "imported", NewEpoch: true, Warnings: []string{"x"}}, []string{"全部记录"}, "时钟"},
		{data.ImportResult{Status: "imported", KeyWarning: true, Warnings: []string{"x"}}, []string{"密钥可能已泄露"}, "时钟"},
		{data.ImportResult{Status: "imported", KeyWarning: true, Warnings: []string{"x", "clock"}}, []string{"密钥可能已泄露", "时钟"}, "全部记录"},
		{data.ImportResult{Status: "refused", Reason: "revoked_key"}, []string{"密钥已作废"}, "签名不符"},
		{data.ImportResult{Status: "refused", Reason: "old_epoch"}, []string{"旧包"}, "签名不符"},
	} {
		got := importText(&c.r)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%+v: %q lacks %q", c.r, got, w)
			}
		}
		if strings.Contains(got, c.not) {
			t.Errorf("%+v: %q says %q", c.r, got, c.not)
		}
	}
}
