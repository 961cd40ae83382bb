package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stationdesk/assets"
	"stationdesk/data"
)

func TestWizardSetsUpStationAndRoster(t *testing.T) {
	st := newTestStore(t, false)
	e := newTestEnv(t, st, fyne.NewSize(1000, 700))
	var got *data.Identity
	w := buildWizard(e, func(id data.Identity) { got = &id })
	e.showForTest(w.content())

	// Missing name: a message, nothing saved.
	test.Type(w.code, "430702101")
	test.Tap(w.finish)
	e.wait()
	if m := w.msgs.msg("name"); !m.Visible() || m.Text == "" || got != nil {
		t.Fatalf("empty name accepted (message %q)", msgText(w.msgs))
	}
	test.Type(w.name, "桃花镇劳动保障站")

	// A bad phone is refused at the roster row.
	test.Type(w.offName, "王秀英")
	w.offRole.SetText("站长")
	test.Type(w.offPhone, "12345")
	test.Tap(w.addOfficer)
	if m := w.offMsgs.msg("phone").Text; len(w.roster) != 0 || !strings.Contains(m, "电话") && !strings.Contains(m, "手机") {
		t.Fatalf("bad phone: roster %d, message %q", len(w.roster), msgText(w.offMsgs))
	}
	w.offPhone.SetText("")
	test.Type(w.offPhone, "138-0000-1234")
	if w.offMsgs.msg("phone").Visible() {
		t.Fatal("the phone's message stays after the phone was fixed")
	}
	test.Tap(w.addOfficer)
	if w.offRole.Text != "" {
		t.Fatalf("the next officer's role box keeps %q", w.offRole.Text)
	}
	test.Tap(w.offRole) // a click into the empty role box opens the list of roles
	if e.Win.Canvas().Overlays().Top() == nil {
		t.Fatal("clicking the role box did not open its list")
	}
	e.Win.Canvas().Overlays().Top().Hide()
	e.Win.Canvas().Overlays().Remove(e.Win.Canvas().Overlays().Top())
	test.Type(w.offName, "李建国")
	test.Type(w.offPhone, "0736-7221234")
	w.offPhone.OnSubmitted(w.offPhone.Text) // Enter adds the row
	if len(w.roster) != 2 {
		t.Fatalf("roster has %d officers, want 2", len(w.roster))
	}
	test.Type(w.adminPass, "站长的密码2026")
	test.Type(w.adminPass2, "站长的密码2026")
	test.Tap(w.finish)
	e.wait()
	if got == nil {
		t.Fatalf("wizard did not finish: %q", msgText(w.msgs))
	}
	id, ok, err := st.Identity(t.Context())
	if err != nil || !ok || id.Name != "桃花镇劳动保障站" || id.Code != "430702101" || id.Role != data.RoleStation {
		t.Fatalf("identity %+v %v %v", id, ok, err)
	}
	offs, err := st.Officers(t.Context(), true)
	if err != nil || len(offs) != 2 {
		t.Fatalf("officers %+v %v", offs, err)
	}
	phones := map[string]string{}
	for _, o := range offs {
		phones[o.Name] = o.Phone
	}
	if phones["王秀英"] != "13800001234" || phones["李建国"] != "07367221234" {
		t.Fatalf("officers landed as %v", phones)
	}
}

func TestWizardBureauRole(t *testing.T) {
	st := newTestStore(t, false)
	e := newTestEnv(t, st, fyne.NewSize(1000, 700))
	w := buildWizard(e, func(data.Identity) {})
	e.showForTest(w.content())
	w.role.SetSelected(w.role.Options[1])
	test.Type(w.name, "武陵区人力资源和社会保障局")
	test.Type(w.code, "430702")
	test.Type(w.offName, "周志强")
	test.Type(w.adminPass, "管理员的密码12")
	test.Type(w.adminPass2, "管理员的密码12")
	test.Tap(w.finish)
	e.wait()
	id, ok, _ := st.Identity(t.Context())
	if !ok || id.Role != data.RoleBureau {
		t.Fatalf("identity %+v", id)
	}
	// A new bureau is asked to write its recovery file (sync_keys.go).
	if keysOf(e).confirm == nil {
		t.Fatal("the bureau is not offered a recovery file at set-up")
	}
	keysOf(e).confirm(false)
}

func TestStartShowsWizardThenShell(t *testing.T) {
	st := newTestStore(t, false)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	e.showForTest(e.root())
	if e.shell != nil {
		t.Fatal("shell shown before set-up")
	}
	st2 := newTestStore(t, true)
	e2 := newTestEnv(t, st2, fyne.NewSize(1100, 720))
	e2.showForTest(e2.root())
	if e2.shell == nil || e2.Current() != "home" {
		t.Fatalf("after set-up the shell should open on home, got %q", e2.Current())
	}
	for _, s := range screens() {
		e2.Show(s.ID)
		e2.wait()
		if e2.Current() != s.ID {
			t.Fatalf("navigation to %s failed", s.ID)
		}
	}
}

func TestHomeShowsRealFigures(t *testing.T) {
	st := newTestStore(t, true)
	e := newTestEnv(t, st, fyne.NewSize(1100, 720))
	e.showForTest(homeScreen(e))
	counts, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	texts := labelTexts(e.Win.Content())
	for _, want := range []string{strconv.Itoa(counts["residents"]), strconv.Itoa(counts["visits"]), "2026年11月20日", "还有 3 天"} {
		if !containsText(texts, want) {
			t.Errorf("home lacks %q; has %q", want, texts)
		}
	}
}

// TestCJKRendersWithoutSystemFont renders Chinese with the app's theme and
// checks that the glyphs are real: two different characters must draw
// differently (missing glyphs draw the same box) and differ from a
// character that no font has.
func TestCJKRendersWithoutSystemFont(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(NewTheme(1))
	render := func(s string) image.Image {
		txt := canvas.NewText(s, color.Black)
		txt.TextSize = 32
		w := test.NewTempWindow(t, container.NewCenter(txt))
		w.Resize(fyne.NewSize(120, 80))
		return w.Canvas().Capture()
	}
	a, b, missing := render("劳"), render("保"), render("\U000F0000")
	if inked(a) < 30 {
		t.Fatalf("劳 drew almost nothing (%d dark pixels)", inked(a))
	}
	if sameImage(a, b) {
		t.Fatal("劳 and 保 render identically: boxes, not glyphs")
	}
	if sameImage(a, missing) {
		t.Fatal("劳 renders like a missing glyph")
	}
	if !strings.Contains(string(cjkFont.Content()[:4]), "\x00\x01\x00\x00") {
		t.Fatal("embedded font is not TrueType outlines")
	}
}

func inked(img image.Image) int {
	n := 0
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r+g+b < 3*0x8000 {
				n++
			}
		}
	}
	return n
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	bnd := a.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestEveryTextHasEnglish checks that each lang.L("…") literal in app/ and
// each Chinese validation message of data has an English translation.
func TestEveryTextHasEnglish(t *testing.T) {
	en, err := assets.Translations("en")
	if err != nil || len(en) == 0 {
		t.Fatalf("no English translations: %v", err)
	}
	var missing []string
	check := func(key, where string) {
		if _, ok := en[key]; !ok {
			missing = append(missing, where+": "+key)
		}
	}
	fset := token.NewFileSet()
	srcs, _ := filepath.Glob("*.go")
	for _, f := range srcs {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "L" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lang" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				check(s, fset.Position(lit.Pos()).String())
			}
			return true
		})
	}
	// Validation messages travel from data to the screen through lang.L(de.Msg),
	// and so do the refusals the forms in app/ find themselves.
	invalid := regexp.MustCompile(`Invalid\("[a-z_]+", "([^"]+)"\)`)
	refusal := regexp.MustCompile(`(?:Invalid|refuse)\([^,()]+, "([^"]+)"\)`)
	dsrcs, _ := filepath.Glob("../data/*.go")
	layers, _ := filepath.Glob("../data/*/*.go") // data/store, data/sync, ...
	dsrcs = append(dsrcs, layers...)
	for _, f := range append(dsrcs, srcs...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		re := invalid
		if !strings.HasPrefix(f, "../data/") {
			re = refusal
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			check(m[1], f)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d texts lack English:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

func TestVersionMatchesFyneApp(t *testing.T) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`).FindSubmatch(b)
	if m == nil || string(m[1]) != assets.Version {
		t.Fatalf("FyneApp.toml version %q, assets.Version %q", m, assets.Version)
	}
}

func TestScreenshotsShell(t *testing.T) {
	size := fyne.NewSize(1100, 720)
	st := newTestStore(t, false)
	e := newTestEnv(t, st, size)
	w := buildWizard(e, func(data.Identity) {})
	e.showForTest(w.content())
	test.Type(w.name, "桃花镇劳动保障站")
	test.Type(w.code, "430702101")
	for _, o := range [][2]string{{"王秀英", "13873612345"}, {"李建国", "13973654321"}} {
		test.Type(w.offName, o[0])
		w.offRole.SetText("劳保专干")
		test.Type(w.offPhone, o[1])
		test.Tap(w.addOfficer)
	}
	snap(t, e.Win, "wizard")

	st2 := newTestStore(t, true)
	e2 := newTestEnv(t, st2, size)
	e2.showForTest(e2.root())
	snap(t, e2.Win, "home")
	e2.Show("settings")
	e2.wait()
	snap(t, e2.Win, "settings")
}

// labelTexts collects the text of every label and canvas text under o.
func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Card:
			out = append(out, x.Title)
			if x.Content != nil {
				walk(x.Content)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func containsText(texts []string, want string) bool {
	for _, s := range texts {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func TestWizardStartsStationFromEnrolmentFile(t *testing.T) {
	bureau := newTestStore(t, false)
	ctx := t.Context()
	if err := bureau.Setup(ctx, data.Identity{Role: data.RoleBureau, Name: "武陵区人力资源和社会保障局", Code: "430702"}, nil); err != nil {
		t.Fatal(err)
	}
	file, err := bureau.AddStation(ctx, "430702101", "桃花镇劳动保障站")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "enrol.json")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	st := newTestStore(t, false)
	e := newTestEnv(t, st, fyne.NewSize(1000, 700))
	var got *data.Identity
	w := buildWizard(e, func(id data.Identity) { got = &id })
	e.showForTest(w.content())

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"not":"an enrolment"}`), 0o600)
	w.enrollFrom(bad)
	e.wait()
	if got != nil || msgText(w.msgs) == "" {
		t.Fatalf("a bad file was accepted (message %q)", w.message.Text)
	}
	w.enrollFrom(path)
	e.wait()
	if got == nil || got.Code != "430702101" || got.Role != data.RoleStation {
		t.Fatalf("after enrolment: %+v, message %q", got, msgText(w.msgs))
	}
	id, ok, _ := st.Identity(ctx)
	if !ok || id.Name != "桃花镇劳动保障站" {
		t.Fatalf("identity in the database: %+v", id)
	}
}
