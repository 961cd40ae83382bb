package data

import "encoding/json"

// errInvalidRecord marks an incoming record that breaks a rule of typed
// input; field names the column.
type errInvalidRecord struct {
	kind, id, field string
	row             map[string]json.RawMessage
	err             error
}

func (e *errInvalidRecord) Error() string {
	s := "invalid record: " + e.kind + " " + e.id + ": " + e.field
	if e.err != nil {
		s += ": " + e.err.Error()
	}
	return s
}

func (e *errInvalidRecord) Unwrap() error { return e.err }
