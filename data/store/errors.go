package store

import (
	"errors"
	"fmt"
)

// Kind says what sort of failure an Error is, so that the GUI and the command
// line can tell a person what happened and what to do.
type Kind string

const (
	KindIO       Kind = "io"        // the disk or folder could not be used
	KindForeign  Kind = "foreign"   // the file is not a Station Desk database
	KindTooNew   Kind = "too_new"   // written by a newer version
	KindDamaged  Kind = "damaged"   // the file fails its check
	KindLocked   Kind = "locked"    // another program holds the database
	KindNotFound Kind = "not_found" // no such record
	KindInvalid  Kind = "invalid"   // bad input; Field and Msg say which and why
	KindConflict Kind = "conflict"  // the record exists already or was changed meanwhile
)

// Error is the error type of this package.
type Error struct {
	Kind  Kind
	Op    string // what was being done, in English, for logs
	Field string // for KindInvalid: the field at fault
	Msg   string // for KindInvalid: a short Chinese reason shown to the officer
	Err   error
}

func (e *Error) Error() string {
	s := "data: " + e.Op
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorKind returns the Kind of err, or "" when it is not an *Error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Invalid builds a validation error for field with a Chinese reason.
func Invalid(field, msg string) error {
	return &Error{Kind: KindInvalid, Op: "validate", Field: field, Msg: msg}
}

// NotFound builds a not-found error for a kind of record.
func NotFound(kind, id string) error {
	return &Error{Kind: KindNotFound, Op: "find " + kind, Err: fmt.Errorf("no %s %q", kind, id)}
}
