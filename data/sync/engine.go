package sync

import (
	"database/sql"
	"io"

	"stationdesk/data/store"
)

// Engine is sync over an open database: its methods are what package
// data's Store offers of sync (ExportBundle, ImportBundle, AddStation,
// Enroll, SyncBoard, ...).
type Engine struct {
	*store.Store
	r *sql.DB // the read pool
}

// New puts the sync engine on an open database.
func New(st *store.Store) *Engine { return &Engine{Store: st, r: st.Read()} }

// What package data gives sync at init, so that sync stands on the engine
// alone: the program's version, written in every bundle header
// (assets.Version), and the one private temp-then-rename file writer
// (render.WriteFile) that bundles are written with.
var (
	ProgramVersion string
	WriteFile      func(path string, write func(io.Writer) error) error
)
