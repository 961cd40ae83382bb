package data

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"gopkg.in/yaml.v3"
)

// policyFrontMatter is the header of a policy file (DESIGN.md):
//
//	---
//	title: 关于做好……的通知
//	doc_no: 常人社发〔2014〕18号
//	...
//	---
//	正文……
type policyFrontMatter struct {
	Title        string    `yaml:"title"`
	DocNo        string    `yaml:"doc_no"`
	Issuer       string    `yaml:"issuer"`
	Category     string    `yaml:"category"`
	Effective    string    `yaml:"effective"`
	Expires      string    `yaml:"expires"`
	Status       string    `yaml:"status"`
	SupersededBy string    `yaml:"superseded_by"` // ID or 文号 of the successor
	Summary      string    `yaml:"summary"`
	Tags         yaml.Node `yaml:"tags"` // a list, or one comma-separated string
	Source       string    `yaml:"source"`
}

// maxPolicyText is the largest Markdown/text policy file read.
const maxPolicyText = 4 << 20

// decodeText turns file bytes into UTF-8: UTF-8 with or without BOM, else GB18030.
func decodeText(b []byte) (string, error) {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		return "", Invalid("encoding", "文件编码无法识别，请另存为 UTF-8")
	}
	return string(out), nil
}

// parsePolicyText reads a Markdown/text policy: front matter when present,
// else the first line is the title and the rest the text.
func parsePolicyText(b []byte) (Policy, error) {
	var p Policy
	if len(b) > maxPolicyText {
		return p, Invalid("size", "文件太大（超过 4 MB）")
	}
	text, err := decodeText(b)
	if err != nil {
		return p, err
	}
	if strings.ContainsRune(text, 0) {
		return p, Invalid("encoding", "不是文本文件")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	header, body, has, err := splitFrontMatter(text)
	if err != nil {
		return p, err
	}
	if !has {
		title, rest, _ := strings.Cut(strings.TrimLeft(text, "\n\t "), "\n")
		p.Title = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(title), "#"))
		p.Body = strings.TrimSpace(rest)
		if p.Title == "" {
			return p, Invalid("title", "文件为空")
		}
		return p, nil
	}
	var fm policyFrontMatter
	if err := yaml.Unmarshal([]byte(header), &fm); err != nil {
		return p, Invalid("front_matter", "文件头格式有误："+yamlReason(err))
	}
	tags, err := frontMatterTags(&fm.Tags)
	if err != nil {
		return p, err
	}
	p = Policy{Title: fm.Title, DocNo: fm.DocNo, Issuer: fm.Issuer, Category: fm.Category, Effective: fm.Effective,
		Expires: fm.Expires, Status: fm.Status, SupersededBy: strings.TrimSpace(fm.SupersededBy), Summary: fm.Summary,
		Tags: tags, Body: strings.TrimSpace(body)}
	switch strings.TrimSpace(fm.Source) {
	case "", "local", "本站":
	case "bureau", "区人社局":
		p.Source = SourceBureau
	default:
		return p, Invalid("source", "来源应为 local 或 bureau")
	}
	if strings.TrimSpace(p.Title) == "" {
		return p, Invalid("title", "文件头缺少标题（title）")
	}
	return p, nil
}

// splitFrontMatter separates a leading "---" block from the text.
func splitFrontMatter(text string) (header, body string, ok bool, err error) {
	t := strings.TrimLeft(text, "\n")
	if !strings.HasPrefix(t, "---") {
		return "", text, false, nil
	}
	first, rest, _ := strings.Cut(t, "\n")
	if strings.TrimSpace(first) != "---" {
		return "", text, false, nil
	}
	if strings.HasPrefix(rest, "---") {
		end, after, _ := strings.Cut(rest, "\n")
		if strings.TrimSpace(end) == "---" {
			return "", after, true, nil
		}
	}
	i := strings.Index(rest, "\n---")
	for i >= 0 {
		line := rest[i+1:]
		end, after, _ := strings.Cut(line, "\n")
		if strings.TrimSpace(end) == "---" {
			return rest[:i], after, true, nil
		}
		j := strings.Index(rest[i+4:], "\n---")
		if j < 0 {
			break
		}
		i += 4 + j
	}
	return "", "", false, Invalid("front_matter", "文件头没有结束行（---）")
}

func frontMatterTags(n *yaml.Node) ([]string, error) {
	switch n.Kind {
	case 0:
		return nil, nil
	case yaml.ScalarNode:
		var out []string
		for _, t := range strings.FieldsFunc(n.Value, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
			out = append(out, strings.TrimSpace(t))
		}
		return out, nil
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, Invalid("tags", "标签（tags）应为文字列表")
			}
			out = append(out, c.Value)
		}
		return out, nil
	}
	return nil, Invalid("tags", "标签（tags）应为文字列表")
}

// yamlReason shortens a YAML error to its line and cause.
func yamlReason(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	if len(s) > 120 {
		s = s[:120]
	}
	return fmt.Sprint(s)
}
