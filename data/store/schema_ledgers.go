package store

// The other ledgers of the service hall (issue 11): archive lending with its
// weekly review, the hall duty rota with swaps, cadres' liaison with the
// stations, and officers' photos for duty cards.
func init() {
	RegisterKind(RecordKind{Name: "archive_lendings", Table: "archive_lendings", Label: "档案外借"})
	RegisterKind(RecordKind{Name: "lending_reviews", Table: "lending_reviews", Label: "档案外借周审"})
	RegisterKind(RecordKind{Name: "duty_rota", Table: "duty_rota", Label: "大厅值班"})
	RegisterKind(RecordKind{Name: "duty_swaps", Table: "duty_swaps", Label: "值班调换"})
	// Liaison records belong to the station visited: they go down to it.
	RegisterKind(RecordKind{Name: "liaison_assignments", Table: "liaison_assignments", Label: "联系分工", StationColumn: "station_code"})
	RegisterKind(RecordKind{Name: "liaison_visits", Table: "liaison_visits", Label: "联系走访", StationColumn: "station_code"})
	// A photo goes wherever its officer's station is.
	RegisterKind(RecordKind{Name: "officer_photos", Table: "officer_photos", Label: "工作牌照片", StationColumn: "station_code"})
}

// schemaLedgers is the ledgers step.
const schemaLedgers = `
CREATE TABLE archive_lendings (` + recordColumns + `,
	holder_name   TEXT NOT NULL,
	borrower_unit TEXT NOT NULL,
	borrower      TEXT NOT NULL,
	purpose       TEXT NOT NULL DEFAULT '',
	approved_by   TEXT NOT NULL,
	date_out      TEXT NOT NULL,
	date_due      TEXT NOT NULL,
	date_returned TEXT NOT NULL DEFAULT '',
	notes         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX archive_lendings_out ON archive_lendings(deleted, date_out);
CREATE INDEX archive_lendings_open ON archive_lendings(deleted, date_due) WHERE date_returned = '';

-- The deputy director's weekly review: week is that week's Monday.
CREATE TABLE lending_reviews (` + recordColumns + `,
	week        TEXT NOT NULL,
	reviewer    TEXT NOT NULL,
	reviewed_at INTEGER NOT NULL,
	remarks     TEXT NOT NULL DEFAULT '',
	entries     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX lending_reviews_week ON lending_reviews(week, reviewed_at);

CREATE TABLE duty_rota (` + recordColumns + `,
	date         TEXT NOT NULL,
	officer_id   TEXT NOT NULL,
	officer_name TEXT NOT NULL,
	notes        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX duty_rota_date ON duty_rota(deleted, date);

CREATE TABLE duty_swaps (` + recordColumns + `,
	rota_id     TEXT NOT NULL,
	date        TEXT NOT NULL,
	from_id     TEXT NOT NULL,
	from_name   TEXT NOT NULL,
	to_id       TEXT NOT NULL,
	to_name     TEXT NOT NULL,
	other_date  TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL DEFAULT '',
	swapped_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX duty_swaps_date ON duty_swaps(date);

CREATE TABLE liaison_assignments (` + recordColumns + `,
	officer_id   TEXT NOT NULL,
	officer_name TEXT NOT NULL,
	station_code TEXT NOT NULL,
	since        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX liaison_assignments_officer ON liaison_assignments(officer_id, deleted);

CREATE TABLE liaison_visits (` + recordColumns + `,
	officer_id   TEXT NOT NULL,
	officer_name TEXT NOT NULL,
	station_code TEXT NOT NULL,
	date         TEXT NOT NULL,
	discussed    TEXT NOT NULL DEFAULT '',
	problems     TEXT NOT NULL DEFAULT '',
	help         TEXT NOT NULL DEFAULT '',
	followup     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX liaison_visits_station ON liaison_visits(station_code, deleted, date);
CREATE INDEX liaison_visits_officer ON liaison_visits(officer_id, deleted, date);

CREATE TABLE officer_photos (` + recordColumns + `,
	officer_id   TEXT NOT NULL,
	station_code TEXT NOT NULL DEFAULT '',
	mime         TEXT NOT NULL DEFAULT '',
	content      BLOB NOT NULL
) STRICT;
CREATE INDEX officer_photos_officer ON officer_photos(officer_id, deleted);
`
