package store

// schemaReach is the migration step of 政策找人 (eligibility.go, reach.go):
//
//   - policies.criteria: whom a policy is for, as JSON (Criteria), "" none;
//     a column of the policy so that it travels, and is owned, with it;
//   - visits.policies_explained: the policies explained on a visit
//     (政策宣传), a JSON list of policy IDs; with the cards handed out on a
//     visit (card_handouts.visit_id) it says who was told of what;
//   - indexes that let a resident's list and a policy's reach read only
//     what they need.
const schemaReach = `
ALTER TABLE policies ADD COLUMN criteria TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN policies_explained TEXT NOT NULL DEFAULT '[]';
CREATE INDEX policies_reach ON policies(id, criteria, status, expires, deleted) WHERE criteria != '';
CREATE INDEX visits_explained ON visits(policies_explained, resident_id, deleted) WHERE policies_explained != '[]';
CREATE INDEX card_handouts_visit ON card_handouts(visit_id, policy_id, deleted) WHERE visit_id != '';
`

func init() {
	// visits_service_last_insert, set-based, for a bulk load (sync_bulk.go):
	// the loaded visits in rowid order, each one's services upserted as the
	// trigger would, with no GROUP BY. A GROUP BY (resident, service) cannot
	// come from an index, so it sorted every visit × service; with
	// temp_store = MEMORY during an import SQLite's sorter never spills, and
	// at a million visits that sort took the import from 181 to 291 MB.
	// The derived table is small and stays in the page cache.
	RegisterBulkRefresh("visits_service_last_insert", `INSERT INTO resident_service_last(resident_id, service, last_date)
		SELECT v.resident_id, j.value, v.date FROM visits v, json_each(CASE WHEN json_valid(v.services) THEN v.services ELSE '[]' END) j
		WHERE v.rowid > ?1 AND +v.deleted = 0 AND j.type = 'text'
		ON CONFLICT(resident_id, service) DO UPDATE SET last_date = excluded.last_date WHERE excluded.last_date > last_date`)
	RegisterBulkRefresh("residents_reach_stamp_insert", `UPDATE reach_stamp SET n = n + 1`)
}

// schemaReachServices is the second step of 政策找人: each resident's latest
// visit per service, kept by triggers whichever way visits arrive (form,
// import, sync), so that "no visit with service X within N days" is an
// index range instead of a pass over every visit. Derived, not a record
// kind: it never travels.
//
// reach_stamp counts changes to residents, so that a policy's reach can
// keep the residents it checks in memory between calls (reach.go).
const schemaReachServices = `
CREATE TABLE reach_stamp (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL) STRICT;
INSERT INTO reach_stamp VALUES (1, 0);
CREATE TRIGGER residents_reach_stamp_insert AFTER INSERT ON residents BEGIN UPDATE reach_stamp SET n = n + 1; END;
CREATE TRIGGER residents_reach_stamp_update AFTER UPDATE ON residents BEGIN UPDATE reach_stamp SET n = n + 1; END;
CREATE TRIGGER residents_reach_stamp_delete AFTER DELETE ON residents BEGIN UPDATE reach_stamp SET n = n + 1; END;

CREATE TABLE resident_service_last (
	resident_id TEXT NOT NULL,
	service     TEXT NOT NULL,
	last_date   TEXT NOT NULL,
	PRIMARY KEY (resident_id, service)
) STRICT, WITHOUT ROWID;
CREATE INDEX resident_service_last_date ON resident_service_last(service, last_date, resident_id);

INSERT INTO resident_service_last(resident_id, service, last_date)
	SELECT v.resident_id, j.value, max(v.date) FROM visits v, json_each(CASE WHEN json_valid(v.services) THEN v.services ELSE '[]' END) j
	WHERE v.deleted = 0 AND j.type = 'text' GROUP BY v.resident_id, j.value;

CREATE TRIGGER visits_service_last_insert AFTER INSERT ON visits WHEN NEW.deleted = 0 AND json_valid(NEW.services) BEGIN
	INSERT INTO resident_service_last(resident_id, service, last_date)
	SELECT NEW.resident_id, j.value, NEW.date FROM json_each(NEW.services) j WHERE j.type = 'text'
	ON CONFLICT(resident_id, service) DO UPDATE SET last_date = max(last_date, excluded.last_date);
END;
CREATE TRIGGER visits_service_last_update AFTER UPDATE OF date, resident_id, services, deleted ON visits BEGIN
	DELETE FROM resident_service_last WHERE resident_id IN (OLD.resident_id, NEW.resident_id);
	INSERT INTO resident_service_last(resident_id, service, last_date)
	SELECT v.resident_id, j.value, max(v.date) FROM visits v, json_each(CASE WHEN json_valid(v.services) THEN v.services ELSE '[]' END) j
	WHERE v.resident_id IN (OLD.resident_id, NEW.resident_id) AND v.deleted = 0 AND j.type = 'text' GROUP BY v.resident_id, j.value;
END;
`
