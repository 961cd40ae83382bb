// Package store is Station Desk's storage engine: it opens the SQLite
// database in a data folder (inspecting a file before writing to it, the
// clean mark that spares the check of an unchanged file), runs the ordered
// migrations that hold every table definition, and offers Write (one
// transaction) and Read (the read pool). It owns the kind registry
// (RegisterKind, the personal columns of each kind, bulk refresh hooks),
// Error and its Kind, the clock and the acting officer, the installation's
// identity and settings, the generated audit triggers, backups and restore,
// the text, ID-number and phone rules, and the search tokenizer SQLite calls
// from the policy library's triggers.
//
// It imports no package of this project: sync, the features (package data)
// and the GUI stand on it, never the other way round (data/layers_test.go).
package store
