package data

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

// Limits on a .docx: the file, the number of zip entries, and the
// uncompressed document text (guards against zip bombs).
const (
	maxDocxFile     = 32 << 20
	maxDocxEntries  = 5000
	maxDocxDocument = 16 << 20
	maxDocxRatio    = 200 // largest accepted uncompressed/compressed size of document.xml
)

var errDocxDamaged = Invalid("docx", "不是有效的 Word 文档（.docx），文件可能已损坏")

// docxParagraphs extracts the text of a .docx, one string per paragraph.
func docxParagraphs(b []byte) ([]string, error) {
	if len(b) > maxDocxFile {
		return nil, Invalid("size", "Word 文档太大（超过 32 MB）")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, errDocxDamaged
	}
	if len(zr.File) > maxDocxEntries {
		return nil, Invalid("docx", "Word 文档包含的部件太多，已拒绝")
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return nil, Invalid("docx", "不是 Word 文档：缺少正文部分（word/document.xml）")
	}
	if doc.UncompressedSize64 > maxDocxDocument ||
		(doc.CompressedSize64 > 0 && doc.UncompressedSize64/doc.CompressedSize64 > maxDocxRatio && doc.UncompressedSize64 > 1<<20) {
		return nil, Invalid("docx", "Word 文档正文过大或压缩比异常，已拒绝")
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, errDocxDamaged
	}
	defer rc.Close()
	// The header sizes can lie: read at most the limit, whatever they say.
	data, err := io.ReadAll(io.LimitReader(rc, maxDocxDocument+1))
	if err != nil {
		return nil, errDocxDamaged
	}
	if len(data) > maxDocxDocument {
		return nil, Invalid("docx", "Word 文档正文过大或压缩比异常，已拒绝")
	}
	return documentXMLParagraphs(data)
}

// documentXMLParagraphs walks WordprocessingML: w:t text, w:tab, w:br inside w:p.
func documentXMLParagraphs(data []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var paras []string
	var cur strings.Builder
	inPara, inText := false, false
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errDocxDamaged
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 256 {
				return nil, errDocxDamaged
			}
			switch t.Name.Local {
			case "p":
				if !inPara {
					inPara = true
					cur.Reset()
				}
			case "t":
				inText = true
			case "tab":
				cur.WriteByte('\t')
			case "br", "cr":
				cur.WriteByte('\n')
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "p":
				if inPara {
					paras = append(paras, cur.String())
					inPara = false
				}
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
	return paras, nil
}

var docNoPattern = regexp.MustCompile(`[\p{Han}]{2,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号`)

// parsePolicyDocx reads a .docx policy: a front matter in the first
// paragraphs when present, else the first paragraph is the title and a 文号
// in the first few paragraphs is recognised.
func parsePolicyDocx(b []byte) (Policy, error) {
	paras, err := docxParagraphs(b)
	if err != nil {
		return Policy{}, err
	}
	var kept []string
	for _, p := range paras {
		kept = append(kept, strings.TrimRight(p, " \t"))
	}
	text := strings.TrimSpace(strings.Join(kept, "\n"))
	if text == "" {
		return Policy{}, Invalid("docx", "Word 文档里没有文字")
	}
	if strings.HasPrefix(text, "---") {
		return parsePolicyText([]byte(text))
	}
	var p Policy
	var rest []string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if i < 6 && p.DocNo == "" {
			if m := docNoPattern.FindString(line); m != "" {
				p.DocNo = m
				if line == m {
					continue // a 文号 line of its own, above or below the title
				}
			}
		}
		if p.Title == "" && line != "" {
			p.Title = line
			continue
		}
		rest = append(rest, line)
	}
	p.Body = strings.TrimSpace(strings.Join(rest, "\n"))
	return p, nil
}
