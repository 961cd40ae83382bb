package store

func init() {
	RegisterKind(RecordKind{Name: "residents", Table: "residents", Label: "服务对象",
		Personal: []string{"id_number", "phone", "name", "birth_date", "address", "needs", "notes", "categories"}})
	RegisterKind(RecordKind{Name: "visits", Table: "visits", Label: "上门服务",
		Personal: []string{"notes", "followup_result"}}) // free text that often names the person
	RegisterKind(RecordKind{Name: "opinions", Table: "opinions", Label: "群众意见"})

	// The insert triggers below, set-based, for a bulk load (sync_bulk.go):
	// ?1 is the largest rowid before the load. "+deleted": the visits are
	// read through the covering index visits_resident, in resident order.
	RegisterBulkRefresh("residents_last_visit_insert", `INSERT OR REPLACE INTO resident_last_visit(resident_id, last_visit)
		SELECT r.id, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = r.id AND v.deleted = 0), '')
		FROM residents r WHERE r.rowid > ?1`)
	RegisterBulkRefresh("residents_plan_insert", `INSERT OR REPLACE INTO resident_plan(resident_id, category, village, last_visit)
		SELECT r.id, j.value, r.village, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = r.id AND v.deleted = 0), '')
		FROM residents r, json_each(CASE WHEN json_valid(r.categories) THEN r.categories ELSE '[]' END) j
		WHERE r.rowid > ?1 AND r.deleted = 0 AND json_valid(r.categories) AND j.type = 'text'`)
	RegisterBulkRefresh("visits_last_visit_insert", `INSERT INTO resident_last_visit(resident_id, last_visit)
		SELECT resident_id, max(date) FROM visits WHERE rowid > ?1 AND +deleted = 0 GROUP BY resident_id
		ON CONFLICT(resident_id) DO UPDATE SET last_visit = max(last_visit, excluded.last_visit)`)
	RegisterBulkRefresh("visits_plan_insert", `UPDATE resident_plan SET last_visit = m.d
		FROM (SELECT resident_id AS rid, max(date) AS d FROM visits WHERE rowid > ?1 AND +deleted = 0 GROUP BY resident_id) AS m
		WHERE resident_plan.resident_id = m.rid AND resident_plan.last_visit < m.d`)
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
CREATE INDEX residents_village ON residents(village, name);
CREATE INDEX residents_name ON residents(name);

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
	followup_done_by  TEXT NOT NULL DEFAULT '',
	followup_result   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visits_resident ON visits(resident_id, deleted, date, id);
CREATE INDEX visits_date ON visits(deleted, date, id);
CREATE INDEX visits_followup ON visits(deleted, followup_due, id, resident_id) WHERE followup_needed = 1 AND followup_done_at = '';

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
CREATE INDEX opinions_date ON opinions(date);
CREATE INDEX opinions_resident ON opinions(resident_id) WHERE resident_id != '';

-- Each resident's latest visit, kept by triggers whichever way visits arrive
-- (form, import, sync). A derived table of its own, not a record kind, so that
-- it never travels in bundles nor marks a resident as changed.
CREATE TABLE resident_last_visit (
	resident_id TEXT PRIMARY KEY,
	last_visit  TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX resident_last_visit_date ON resident_last_visit(last_visit);

CREATE TRIGGER residents_last_visit_insert AFTER INSERT ON residents BEGIN
	INSERT OR REPLACE INTO resident_last_visit(resident_id, last_visit)
	VALUES (NEW.id, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = NEW.id AND v.deleted = 0), ''));
END;
CREATE TRIGGER visits_last_visit_insert AFTER INSERT ON visits WHEN NEW.deleted = 0 BEGIN
	INSERT INTO resident_last_visit(resident_id, last_visit) VALUES (NEW.resident_id, NEW.date)
	ON CONFLICT(resident_id) DO UPDATE SET last_visit = max(last_visit, excluded.last_visit);
END;
CREATE TRIGGER visits_last_visit_update AFTER UPDATE OF date, resident_id, deleted ON visits BEGIN
	INSERT OR REPLACE INTO resident_last_visit(resident_id, last_visit)
	SELECT rid, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = rid AND v.deleted = 0), '')
	FROM (SELECT OLD.resident_id AS rid UNION SELECT NEW.resident_id);
END;

-- The visit plan: one row per resident and category with the latest visit,
-- so that "not visited for N days" is an index range per category.
CREATE TABLE resident_plan (
	resident_id TEXT NOT NULL,
	category    TEXT NOT NULL,
	village     TEXT NOT NULL DEFAULT '',
	last_visit  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (resident_id, category)
) STRICT, WITHOUT ROWID;
CREATE INDEX resident_plan_due ON resident_plan(category, last_visit);

CREATE TRIGGER residents_plan_insert AFTER INSERT ON residents WHEN NEW.deleted = 0 AND json_valid(NEW.categories) BEGIN
	INSERT OR REPLACE INTO resident_plan(resident_id, category, village, last_visit)
	SELECT NEW.id, j.value, NEW.village, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = NEW.id AND v.deleted = 0), '')
	FROM json_each(NEW.categories) j WHERE j.type = 'text';
END;
CREATE TRIGGER residents_plan_update AFTER UPDATE OF categories, village, deleted ON residents BEGIN
	DELETE FROM resident_plan WHERE resident_id = OLD.id;
	INSERT OR REPLACE INTO resident_plan(resident_id, category, village, last_visit)
	SELECT NEW.id, j.value, NEW.village, COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = NEW.id AND v.deleted = 0), '')
	FROM json_each(CASE WHEN NEW.deleted = 0 AND json_valid(NEW.categories) THEN NEW.categories ELSE '[]' END) j WHERE j.type = 'text';
END;
CREATE TRIGGER visits_plan_insert AFTER INSERT ON visits WHEN NEW.deleted = 0 BEGIN
	UPDATE resident_plan SET last_visit = NEW.date WHERE resident_id = NEW.resident_id AND last_visit < NEW.date;
END;
CREATE TRIGGER visits_plan_update AFTER UPDATE OF date, resident_id, deleted ON visits BEGIN
	UPDATE resident_plan SET last_visit = COALESCE((SELECT max(date) FROM visits v WHERE v.resident_id = resident_plan.resident_id AND v.deleted = 0), '')
	WHERE resident_id IN (OLD.resident_id, NEW.resident_id);
END;
`
