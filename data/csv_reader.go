package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Limits on a table brought in from outside (resident import).
const (
	maxTableBytes = 20 << 20 // file size
	maxTableRows  = 50000    // rows, header included
	maxTableCols  = 100
	maxCellRunes  = 1000
)

var errTableTooLarge = &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "文件过大：最多 20 MB、50000 行"}

// decodeTableText turns the bytes of a text file into UTF-8: a UTF-8 file (with
// or without BOM) stays as it is, UTF-16 with a BOM is converted, anything
// else is read as GB18030, which Excel on a Chinese Windows writes.
func decodeTableText(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, _, err := transform.Bytes(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder(), b)
		if err != nil {
			return "", &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "无法识别文件的文字编码", Err: err}
		}
		return string(out), nil
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	out, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), b)
	if err != nil {
		return "", &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "无法识别文件的文字编码（应为 UTF-8 或 GB18030）", Err: err}
	}
	return string(out), nil
}

// readCSVTable reads a CSV (or tab-separated) file into rows of cells; row
// i of the result is the row Excel shows as i+1.
func readCSVTable(b []byte) ([][]string, error) {
	if len(b) > maxTableBytes {
		return nil, errTableTooLarge
	}
	text, err := decodeTableText(b)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	first, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.Count(first, "\t") > strings.Count(first, ","):
		r.Comma = '\t'
	case strings.Count(first, ";") > strings.Count(first, ",") && strings.Count(first, "，") == 0:
		r.Comma = ';'
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "CSV 文件格式有误，请用 Excel 另存为 CSV 后重试", Err: err}
			}
			return nil, &Error{Kind: KindIO, Op: "read table", Err: err}
		}
		if len(rows) >= maxTableRows || len(rec) > maxTableCols {
			return nil, errTableTooLarge
		}
		rows = append(rows, clipCells(rec))
	}
	return rows, nil
}

// readXLSXTable reads the first sheet of an .xlsx workbook; row i of the
// result is Excel's row i+1 (empty rows included).
func readXLSXTable(b []byte) ([][]string, error) {
	if len(b) > maxTableBytes {
		return nil, errTableTooLarge
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 200 << 20, UnzipXMLSizeLimit: 100 << 20})
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "无法打开这个 Excel 文件（应为 .xlsx）", Err: err}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "Excel 文件中没有工作表"}
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "无法读取 Excel 工作表", Err: err}
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		cols, err := it.Columns()
		if err != nil {
			return nil, &Error{Kind: KindInvalid, Op: "read table", Field: "file", Msg: "无法读取 Excel 工作表", Err: err}
		}
		if len(rows) >= maxTableRows || len(cols) > maxTableCols {
			return nil, errTableTooLarge
		}
		rows = append(rows, clipCells(cols))
	}
	return rows, it.Error()
}

func clipCells(rec []string) []string {
	for i, c := range rec {
		if utf8.RuneCountInString(c) > maxCellRunes {
			rec[i] = string([]rune(c)[:maxCellRunes])
		}
	}
	return rec
}
