package store

// Drafts keep a form that is being typed (draft.go in package data).

// schemaDrafts is the drafts step.
const schemaDrafts = `
CREATE TABLE drafts (
	kind     TEXT PRIMARY KEY,           -- which form: visit, opinion, ...
	body     TEXT NOT NULL,              -- the form's fields, as the UI wrote them (JSON)
	saved_at INTEGER NOT NULL            -- unix ms
);`
