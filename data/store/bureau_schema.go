package store

// The bureau desk's step (issue 17): the holiday calendar the bureau keeps
// and sends down with its policies, the outcome of a settled conflict sent
// to the station whose edit lost, and what undoing a settlement puts back.
func init() {
	RegisterKind(RecordKind{Name: "holidays", Table: "holidays", Label: "节假日安排", Broadcast: true})
	RegisterKind(RecordKind{Name: "conflict_outcomes", Table: "conflict_outcomes", Label: "冲突裁定结果", StationColumn: "station_code"})
}

// schemaBureauDesk is the bureau desk's step.
const schemaBureauDesk = `
-- The bureau's entries of the holiday calendar; each overrides the built-in
-- arrangement of its date (kind 'normal' cancels a built-in entry).
CREATE TABLE holidays (` + recordColumns + `,
	date TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday', 'normal')),
	name TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX holidays_date ON holidays(date, deleted);

-- A settled conflict, as the station whose edit lost is told of it.
CREATE TABLE conflict_outcomes (` + recordColumns + `,
	station_code TEXT NOT NULL,
	kind         TEXT NOT NULL,
	record_id    TEXT NOT NULL,
	summary      TEXT NOT NULL DEFAULT '',
	kept         TEXT NOT NULL,
	settled_by   TEXT NOT NULL DEFAULT '',
	settled_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX conflict_outcomes_station ON conflict_outcomes(station_code, settled_at);

-- The row as it was before a settlement took the losing version, for undo.
ALTER TABLE sync_conflicts ADD COLUMN undo_row TEXT NOT NULL DEFAULT '';
`
