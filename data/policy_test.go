package data

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// makeDocx builds a minimal Word document with the given paragraphs.
func makeDocx(t testing.TB, paras ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		b.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr>`)
		// Split each paragraph into two runs, as Word does.
		rs := []rune(p)
		half := len(rs) / 2
		for _, part := range []string{string(rs[:half]), string(rs[half:])} {
			b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">`)
			xmlEscape(&b, part)
			b.WriteString(`</w:t></w:r>`)
		}
		b.WriteString(`</w:p>`)
	}
	b.WriteString(`</w:body></w:document>`)
	w.Write([]byte(b.String()))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEscape(b *strings.Builder, s string) {
	s = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	b.WriteString(s)
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyFrontMatterImport(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	rep, err := st.ImportPolicies(ctx, "testdata/policy")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 6 || rep.Failed != 0 {
		t.Fatalf("report %+v", rep)
	}
	hits, err := st.SearchPolicies(ctx, PolicyQuery{Text: "〔2014〕21"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].DocNo != "武人社发〔2014〕21号" {
		t.Fatalf("hits %+v", hits)
	}
	p, err := st.Policy(ctx, hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Category != "医疗保险" || p.Effective != "2014-09-01" || p.Expires != "" || p.Issuer != "常德市武陵区人力资源和社会保障局" ||
		len(p.Tags) != 3 || p.Tags[0] != "定点医疗机构" || !strings.HasPrefix(p.Body, "自2014年9月1日起") || p.Summary == "" ||
		p.SourceFile != "01-yibao-dingdian.md" || p.Source != SourceLocal {
		t.Fatalf("policy %+v", p)
	}

	// Importing the same folder again changes nothing.
	rep, err = st.ImportPolicies(ctx, "testdata/policy")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 0 || rep.Unchanged != 6 {
		t.Fatalf("re-import %+v", rep)
	}
	// A changed file updates its policy (matched on 文号), keeping notes.
	if err := st.SetPolicyNotes(ctx, p.ID, "本站已张贴"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, _ := os.ReadFile("testdata/policy/01-yibao-dingdian.md")
	changed := strings.Replace(string(b), "四家医院", "五家医院", 1)
	path := writeFile(t, dir, "renamed.md", []byte(changed))
	rep, err = st.ImportPolicies(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Items[0].ID != p.ID {
		t.Fatalf("update %+v", rep)
	}
	p2, _ := st.Policy(ctx, p.ID)
	if !strings.Contains(p2.Title, "五家医院") || p2.LocalNotes != "本站已张贴" {
		t.Fatalf("updated %+v", p2)
	}
	n, _ := st.Stats(ctx)
	if n["policies"] != 6 {
		t.Fatalf("policies = %d", n["policies"])
	}
	// Without 文号 the title matches: 05 has none.
	rep, err = st.ImportPolicies(ctx, "testdata/policy/05-shiye-baoxianjin.md")
	if err != nil || rep.Unchanged != 1 {
		t.Fatalf("title match %+v %v", rep, err)
	}
}

func TestPolicyImportBadFiles(t *testing.T) {
	st := openStation(t)
	dir := t.TempDir()
	good := "---\ntitle: 好文件\ndoc_no: 武人社发〔2020〕1号\ncategory: 社保卡\n---\n正文"
	files := map[string]string{
		"a-good.md":       good,
		"b-nohead.md":     "---\ntitle: 没有结束\n正文",
		"c-badyaml.md":    "---\ntitle: [未闭合\n---\n正文",
		"d-category.md":   "---\ntitle: 类别错\ncategory: 火星保险\n---\n",
		"e-date.md":       "---\ntitle: 日期错\neffective: 2014-13-45\n---\n",
		"f-notitle.md":    "---\ndoc_no: x\n---\n正文",
		"g-status.md":     "---\ntitle: 状态错\nstatus: 可能有效\n---\n",
		"h-plain.txt":     "纯文本标题\n第一段。",
		"i-broken.docx":   "PK not really a zip",
		"j-tags.md":       "---\ntitle: 标签错\ntags: {a: 1}\n---\n",
		"README.md":       "skipped in folders",
		"k-ignored.pdf":   "%PDF",
		"l-gbk.txt":       "\xd5\xfe\xb2\xdf\xb1\xea\xcc\xe2\n\xd5\xfd\xce\xc4", // 政策标题 / 正文 in GBK
		"m-expiry.md":     "---\ntitle: 失效早于生效\neffective: 2015-01-01\nexpires: 2014-01-01\n---\n",
		"n-emptyfront.md": "---\n---\n正文",
		"o-docx-nodoc.docx": string(func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("other.xml")
			w.Write([]byte("<a/>"))
			zw.Close()
			return buf.Bytes()
		}()),
	}
	for name, body := range files {
		writeFile(t, dir, name, []byte(body))
	}
	rep, err := st.ImportPolicies(t.Context(), dir, filepath.Join(dir, "missing.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"missing.md":        "找不到",
		"b-nohead.md":       "没有结束行",
		"c-badyaml.md":      "文件头格式有误",
		"d-category.md":     "类别应为",
		"e-date.md":         "生效日期",
		"f-notitle.md":      "缺少标题",
		"g-status.md":       "状态应为",
		"i-broken.docx":     "不是有效的 Word 文档",
		"j-tags.md":         "标签",
		"m-expiry.md":       "失效日期早于生效日期",
		"n-emptyfront.md":   "缺少标题",
		"o-docx-nodoc.docx": "缺少正文",
	}
	got := map[string]ImportItem{}
	for _, it := range rep.Items {
		got[filepath.Base(it.File)] = it
	}
	for name, reason := range want {
		it, ok := got[name]
		if !ok || it.Action != ImportFailed || !strings.Contains(it.Reason, reason) {
			t.Errorf("%s: got %+v, want failure with %q", name, it, reason)
		}
	}
	for _, name := range []string{"a-good.md", "h-plain.txt", "l-gbk.txt"} {
		if got[name].Action != ImportAdded {
			t.Errorf("%s: %+v", name, got[name])
		}
	}
	if _, ok := got["README.md"]; ok {
		t.Error("README imported")
	}
	if _, ok := got["k-ignored.pdf"]; ok {
		t.Error("pdf imported")
	}
	if rep.Added != 3 || rep.Failed != len(want) {
		t.Fatalf("report %+v", rep)
	}
	hits, _ := st.SearchPolicies(t.Context(), PolicyQuery{Text: "政策标题"})
	if len(hits) != 1 {
		t.Fatalf("GBK file not decoded: %+v", hits)
	}
}

func TestPolicyDocxImport(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	dir := t.TempDir()
	doc := makeDocx(t, "武人社发〔2016〕8号", "关于调整城乡居民基本养老保险基础养老金标准的通知",
		"各乡镇劳动保障站：", "自2016年1月1日起，基础养老金每人每月提高10元。", "特此通知。")
	path := writeFile(t, dir, "基础养老金.docx", doc)
	rep, err := st.ImportPolicies(ctx, path)
	if err != nil || rep.Added != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	p, err := st.Policy(ctx, rep.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "关于调整城乡居民基本养老保险基础养老金标准的通知" || p.DocNo != "武人社发〔2016〕8号" ||
		!strings.Contains(p.Body, "基础养老金每人每月提高10元") || strings.Contains(p.Body, "〔2016〕8号") {
		t.Fatalf("policy %+v", p)
	}
	atts, err := st.Attachments(ctx, p.ID)
	if err != nil || len(atts) != 1 || atts[0].Name != "基础养老金.docx" || atts[0].Size != int64(len(doc)) {
		t.Fatalf("attachments %+v %v", atts, err)
	}
	content, err := st.AttachmentContent(ctx, atts[0].ID)
	if err != nil || !bytes.Equal(content, doc) {
		t.Fatal("attachment not kept byte for byte")
	}
	out, err := st.ExportAttachment(ctx, atts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, doc) || filepath.Base(out) != "基础养老金.docx" {
		t.Fatal("exported attachment differs")
	}
	// Same file again: unchanged; a new version of the file replaces the attachment.
	rep, _ = st.ImportPolicies(ctx, path)
	if rep.Unchanged != 1 {
		t.Fatalf("re-import %+v", rep)
	}
	doc2 := makeDocx(t, "武人社发〔2016〕8号", "关于调整城乡居民基本养老保险基础养老金标准的通知", "自2016年1月1日起，基础养老金每人每月提高15元。")
	writeFile(t, dir, "基础养老金.docx", doc2)
	rep, _ = st.ImportPolicies(ctx, path)
	if rep.Updated != 1 {
		t.Fatalf("update %+v", rep)
	}
	atts, _ = st.Attachments(ctx, p.ID)
	content, _ = st.AttachmentContent(ctx, atts[0].ID)
	if len(atts) != 1 || !bytes.Equal(content, doc2) {
		t.Fatal("attachment not replaced")
	}
	if n, _ := st.Stats(ctx); n["policies"] != 1 || n["policy_attachments"] != 1 {
		t.Fatalf("stats %v", n)
	}
}

func TestDocxZipBomb(t *testing.T) {
	// 64 MB of zeros compresses to a few dozen KB; the reader must stop at its limit.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(zeros)
	}
	zw.Close()
	if _, err := docxParagraphs(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "过大") {
		t.Fatalf("zip bomb: %v", err)
	}
}

func TestPolicySupersession(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	dir := t.TempDir()
	// The old one names its successor by 文号, and comes first in the folder.
	writeFile(t, dir, "1-old.md", []byte("---\ntitle: 城乡居民医保缴费旧办法\ndoc_no: 武人社发〔2013〕5号\ncategory: 医疗保险\nstatus: 已被替代\nsuperseded_by: 武人社发〔2015〕2号\n---\n旧办法 医保缴费"))
	writeFile(t, dir, "2-new.md", []byte("---\ntitle: 城乡居民医保缴费新办法\ndoc_no: 武人社发〔2015〕2号\ncategory: 医疗保险\n---\n新办法 医保缴费"))
	rep, err := st.ImportPolicies(ctx, dir)
	if err != nil || rep.Added != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	oldID, newID := rep.Items[0].ID, rep.Items[1].ID
	old, _ := st.Policy(ctx, oldID)
	nw, _ := st.Policy(ctx, newID)
	if old.SupersededBy != newID || old.Successor == nil || old.Successor.DocNo != "武人社发〔2015〕2号" {
		t.Fatalf("old %+v", old)
	}
	if len(nw.Supersedes) != 1 || nw.Supersedes[0].ID != oldID {
		t.Fatalf("new %+v", nw)
	}
	// Both stay searchable, the current one first even though the old one was added first.
	hits, _ := st.SearchPolicies(ctx, PolicyQuery{Text: "医保缴费"})
	if len(hits) != 2 || hits[0].ID != newID || hits[1].InForce {
		t.Fatalf("hits %+v", hits)
	}
	// Supersede by API; a policy cannot replace itself.
	third := Policy{Title: "第三份", Category: "医疗保险"}
	if err := st.AddPolicy(ctx, &third); err != nil {
		t.Fatal(err)
	}
	if err := st.SupersedePolicy(ctx, newID, newID); ErrorKind(err) != KindInvalid {
		t.Fatalf("self: %v", err)
	}
	if err := st.SupersedePolicy(ctx, newID, third.ID); err != nil {
		t.Fatal(err)
	}
	nw, _ = st.Policy(ctx, newID)
	if nw.Status != PolicySuperseded || nw.Successor == nil || nw.Successor.ID != third.ID || len(nw.Supersedes) != 1 {
		t.Fatalf("new after %+v", nw)
	}
}

func TestPolicyBureauReadOnly(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	p := Policy{Title: "区局下发的政策", Category: "社保卡", Source: SourceBureau, DocNo: "武人社发〔2019〕3号"}
	if err := st.AddPolicy(ctx, &p); err != nil {
		t.Fatal(err)
	}
	p.Title = "改了标题"
	if err := st.UpdatePolicy(ctx, &p); ErrorKind(err) != KindInvalid {
		t.Fatalf("edit of a bureau policy: %v", err)
	}
	before, _ := st.Policy(ctx, p.ID)
	if err := st.SetPolicyNotes(ctx, p.ID, "本站备注"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPolicyNotes(ctx, p.ID, "本站备注（改）"); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Policy(ctx, p.ID)
	if got.Title != "区局下发的政策" || got.LocalNotes != "本站备注（改）" || !got.ReadOnly(RoleStation) {
		t.Fatalf("%+v", got)
	}
	// The bureau's record itself is untouched: notes are the station's own record.
	if !got.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatal("noting a bureau policy changed the bureau's record")
	}
	if n, _ := st.Stats(ctx); n["policy_notes"] != 1 {
		t.Fatalf("notes records: %d", n["policy_notes"])
	}
	// An import naming the same 文号 is refused for that file.
	path := writeFile(t, t.TempDir(), "x.md", []byte("---\ntitle: 本地版本\ndoc_no: 武人社发〔2019〕3号\n---\n"))
	rep, err := st.ImportPolicies(ctx, path)
	if err != nil || rep.Failed != 1 || !strings.Contains(rep.Items[0].Reason, "区人社局") {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestPolicyExpiredSortsLast(t *testing.T) {
	st := openStation(t)
	ctx := t.Context()
	old := clock
	clock = func() time.Time { return time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local) }
	t.Cleanup(func() { clock = old })
	exp := Policy{Title: "档案 过期的通知", Effective: "2014-01-01", Expires: "2014-12-31", Category: "人事人才"}
	cur := Policy{Title: "档案 现行的通知", Effective: "2013-01-01", Category: "人事人才"}
	rep := Policy{Title: "档案 废止的通知", Effective: "2015-01-01", Status: PolicyRepealed, Category: "人事人才"}
	for _, p := range []*Policy{&exp, &rep, &cur} {
		if err := st.AddPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"档案", ""} {
		hits, _ := st.SearchPolicies(ctx, PolicyQuery{Text: q})
		if len(hits) != 3 || hits[0].ID != cur.ID || hits[0].StatusText != PolicyCurrent {
			t.Fatalf("%q: %+v", q, hits)
		}
		for _, h := range hits[1:] {
			if h.InForce {
				t.Fatalf("%q: %+v", q, hits)
			}
			if h.ID == exp.ID && h.StatusText != "已过期" {
				t.Fatalf("expired shown as %q", h.StatusText)
			}
		}
	}
}

func FuzzPolicyFrontMatter(f *testing.F) {
	for _, name := range []string{"01-yibao-dingdian.md", "09-jumin-yibao-jiaofei.md"} {
		b, _ := os.ReadFile(filepath.Join("testdata/policy", name))
		f.Add(b)
	}
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\ntitle: a\ntags: x, y\n---\nbody\n---\nmore"))
	f.Add([]byte("---\na: &a [*a, *a]\n---"))
	f.Add([]byte("\xEF\xBB\xBF---\r\ntitle: t\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parsePolicyText(b)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("error of kind %q: %v", ErrorKind(err), err)
			}
			return
		}
		if strings.TrimSpace(p.Title) == "" {
			t.Fatal("policy without title accepted")
		}
		_ = p.Validate()
	})
}

func FuzzDocx(f *testing.F) {
	f.Add(makeDocx(f, "标题", "武人社发〔2016〕8号", "正文"))
	f.Add(makeDocx(f, "---", "title: 前置", "---", "正文"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parsePolicyDocx(b)
		if err != nil {
			if ErrorKind(err) != KindInvalid {
				t.Fatalf("error of kind %q: %v", ErrorKind(err), err)
			}
			return
		}
		if p.Title == "" {
			t.Fatal("policy without title accepted")
		}
	})
}
