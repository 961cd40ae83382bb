package data

import (
	"errors"
	"fmt"
	"io"
	"log"
	"path/filepath"
	"runtime/debug"

	"github.com/go-pdf/fpdf"

	"stationdesk/data/render"
)

// Documents are drawn and written by package render; what stays here is how
// their failures read: a failed write is an *Error of KindIO, a panic in the
// PDF or image library fails one print, never the program.

// writeFileAtomic writes a new private file at path with render.WriteFile
// (0600, a fresh O_EXCL name, renamed into place once complete).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if err := render.WriteFile(path, write); err != nil {
		var de *Error
		if errors.As(err, &de) {
			return err
		}
		return &Error{Kind: KindIO, Op: "write " + filepath.Ext(path), Err: err}
	}
	return nil
}

// WritePrivateFile writes b as a new private file at path (an enrolment
// file, a recovery file): 0600, never through an existing link.
func WritePrivateFile(path string, b []byte) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// CopyPrivateFile copies from (a regular file only) to a new private file
// at to: a printed document kept with 另存为….
func CopyPrivateFile(from, to string) error {
	in, _, err := openRegular(from)
	if err != nil {
		return &Error{Kind: KindIO, Op: "copy file", Err: err}
	}
	defer in.Close()
	return writeFileAtomic(to, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// savePDF renders p into a file, replacing it only once it is complete.
func savePDF(p *fpdf.Fpdf, path string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return render.WritePDF(p, w) })
}

// saveSheet ends a streamed list and writes its workbook to path, replacing
// it only once complete.
func saveSheet(w *render.SheetWriter, path string) error {
	defer w.Close()
	if err := w.Flush(); err != nil {
		return fmt.Errorf("data: write xlsx: %w", err)
	}
	// Personal data: a private file, never written through a planted link.
	return writeFileAtomic(path, func(out io.Writer) error {
		_, err := w.WriteTo(out)
		return err
	})
}

// recoverPDF turns a panic inside the PDF or image library into an error:
// a broken picture fails one print, never the program.
func recoverPDF(err *error) {
	if r := recover(); r != nil {
		log.Printf("data: pdf: panic: %v\n%s", r, debug.Stack())
		*err = errPDFPanic
	}
}

var errPDFPanic = Invalid("pdf", "打印文件未能生成：其中有无法处理的图片或内容，请检查后重试")
