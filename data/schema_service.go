package data

func init() {
	registerKind(RecordKind{Name: "residents", Table: "residents", Label: "服务对象"})
	registerKind(RecordKind{Name: "visits", Table: "visits", Label: "上门服务"})
	registerKind(RecordKind{Name: "opinions", Table: "opinions", Label: "群众意见"})
}

// schemaService is migration 4. Door-to-door service owns it.
const schemaService = `
CREATE TABLE residents (` + recordColumns + `,
	name        TEXT NOT NULL,
	gender      TEXT NOT NULL DEFAULT '',
	id_number   TEXT,
	birth_date  TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	village     TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	categories  TEXT NOT NULL DEFAULT '[]',
	needs       TEXT NOT NULL DEFAULT '',
	consent     INTEGER NOT NULL DEFAULT 0,
	consent_by  TEXT NOT NULL DEFAULT '',
	consent_at  INTEGER NOT NULL DEFAULT 0,
	notes       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX residents_id_number ON residents(id_number) WHERE id_number IS NOT NULL;
CREATE INDEX residents_village ON residents(village);

CREATE TABLE visits (` + recordColumns + `,
	date              TEXT NOT NULL,
	resident_id       TEXT NOT NULL,
	officer_ids       TEXT NOT NULL DEFAULT '[]',
	services          TEXT NOT NULL DEFAULT '[]',
	outcome           TEXT NOT NULL DEFAULT '',
	notes             TEXT NOT NULL DEFAULT '',
	followup_needed   INTEGER NOT NULL DEFAULT 0,
	followup_due      TEXT NOT NULL DEFAULT '',
	followup_done_at  TEXT NOT NULL DEFAULT '',
	followup_done_by  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visits_resident ON visits(resident_id, date);
CREATE INDEX visits_date ON visits(date);
CREATE INDEX visits_followup ON visits(followup_due) WHERE followup_needed = 1 AND followup_done_at = '';

CREATE TABLE opinions (` + recordColumns + `,
	date        TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	resident_id TEXT NOT NULL DEFAULT '',
	visit_id    TEXT NOT NULL DEFAULT '',
	category    TEXT NOT NULL DEFAULT '',
	content     TEXT NOT NULL,
	status      TEXT NOT NULL DEFAULT '已记录',
	status_by   TEXT NOT NULL DEFAULT '',
	status_at   INTEGER NOT NULL DEFAULT 0,
	reply       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX opinions_status ON opinions(status, date);
`
