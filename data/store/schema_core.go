package store

func init() {
	RegisterKind(RecordKind{Name: "stations", Table: "stations", Label: "站点", StationColumn: "code", Title: "name"})
	RegisterKind(RecordKind{Name: "officers", Table: "officers", Label: "工作人员", Personal: []string{"phone"}, StationColumn: "station_code"})
}

const schemaCore = `
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE stations (` + recordColumns + `,
	code          TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('station','bureau')),
	division_code TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE officers (` + recordColumns + `,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL DEFAULT '',
	station_code TEXT NOT NULL DEFAULT '',
	phone        TEXT NOT NULL DEFAULT '',
	duties       TEXT NOT NULL DEFAULT '',
	active       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX officers_station ON officers(station_code, active);

CREATE TABLE audit_log (
	seq       INTEGER PRIMARY KEY AUTOINCREMENT,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	kind      TEXT NOT NULL DEFAULT '',
	record_id TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_record ON audit_log(kind, record_id);
`
