package store

func init() {
	// The bureau's policies, their attachments and its service guides go down to every station.
	RegisterKind(RecordKind{Name: "policies", Table: "policies", Label: "政策资料", Broadcast: true, Title: "title"})
	RegisterKind(RecordKind{Name: "policy_attachments", Table: "policy_attachments", Label: "政策附件", Broadcast: true, Title: "name"})
	// A station's notes on a policy are its own record, so that noting a bureau
	// policy never changes the bureau's record.
	RegisterKind(RecordKind{Name: "policy_notes", Table: "policy_notes", Label: "政策本站备注"})
	RegisterKind(RecordKind{Name: "service_guides", Table: "service_guides", Label: "办事指南", Broadcast: true, Personal: []string{"phone"}, Title: "matter"})
	RegisterKind(RecordKind{Name: "card_handouts", Table: "card_handouts", Label: "政策卡片发放"})

	// policies_fts_insert, set-based, for a bulk load (sync_bulk.go): one
	// full-text index flush for the whole load instead of one per statement.
	// The index rows go in map order by walking the map (CROSS JOIN keeps it
	// the outer loop), not by sorting every policy's tokens in memory.
	RegisterBulkRefresh("policies_fts_insert",
		`INSERT INTO policy_fts(policy_fts, rank) VALUES ('hashsize', 16777216)`,
		`DELETE FROM policy_fts WHERE rowid IN (SELECT m.n FROM policy_search_map m JOIN policies p ON p.id = m.policy_id WHERE p.rowid > ?1)`,
		`DELETE FROM policy_search_map WHERE policy_id IN (SELECT id FROM policies WHERE rowid > ?1)`,
		`INSERT INTO policy_search_map(policy_id, status, expires, effective, category)
			SELECT id, status, expires, effective, category FROM policies WHERE rowid > ?1 ORDER BY rowid`,
		`INSERT INTO policy_fts(rowid, title, doc_no, tags, summary, body)
			SELECT m.n, sd_search_tokens(p.title), sd_search_tokens(p.doc_no), sd_search_tags(p.tags),
				sd_search_tokens(p.summary), sd_search_tokens(p.body)
			FROM policy_search_map m CROSS JOIN policies p ON p.id = m.policy_id WHERE p.rowid > ?1 AND p.deleted = 0 ORDER BY m.n`,
		`INSERT INTO policy_fts(policy_fts, rank) VALUES ('hashsize', 1048576)`)
}

// schemaPolicy is migration 2. The policy library owns it.
//
// The search index policy_fts is kept by triggers, so that every writer of
// policies (import, demo, sync) keeps it in step in the same transaction.
// Its text comes from sd_search_tokens (policy_search.go): CJK and other
// word runs as overlapping bigrams, then their unigrams.
const schemaPolicy = `
CREATE TABLE policies (` + recordColumns + `,
	title         TEXT NOT NULL,
	doc_no        TEXT NOT NULL DEFAULT '',
	issuer        TEXT NOT NULL DEFAULT '',
	category      TEXT NOT NULL DEFAULT '其他',
	effective     TEXT NOT NULL DEFAULT '',
	expires       TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT '现行有效',
	superseded_by TEXT NOT NULL DEFAULT '',
	summary       TEXT NOT NULL DEFAULT '',
	body          TEXT NOT NULL DEFAULT '',
	tags          TEXT NOT NULL DEFAULT '[]',
	source        TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local','bureau')),
	local_notes   TEXT NOT NULL DEFAULT '',
	source_file   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX policies_doc_no ON policies(doc_no) WHERE doc_no != '';
CREATE INDEX policies_title ON policies(title);
CREATE INDEX policies_superseded_by ON policies(superseded_by) WHERE superseded_by != '';
CREATE INDEX policies_list ON policies(deleted, category, effective);

CREATE TABLE policy_notes (` + recordColumns + `,
	policy_id TEXT NOT NULL,
	notes     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX policy_notes_one ON policy_notes(policy_id, origin);

CREATE TABLE policy_attachments (` + recordColumns + `,
	policy_id TEXT NOT NULL,
	name      TEXT NOT NULL,
	mime      TEXT NOT NULL DEFAULT '',
	size      INTEGER NOT NULL,
	sha256    TEXT NOT NULL,
	content   BLOB NOT NULL
) STRICT;
CREATE INDEX policy_attachments_policy ON policy_attachments(policy_id, name);

-- policy_search_map numbers the index rows and keeps a copy of what ranking
-- and filters need, so that a search never reads the wide policies rows.
CREATE TABLE policy_search_map (
	n         INTEGER PRIMARY KEY,
	policy_id TEXT NOT NULL UNIQUE,
	status    TEXT NOT NULL DEFAULT '',
	expires   TEXT NOT NULL DEFAULT '',
	effective TEXT NOT NULL DEFAULT '',
	category  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE VIRTUAL TABLE policy_fts USING fts5(title, doc_no, tags, summary, body,
	content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

CREATE TRIGGER policies_fts_insert AFTER INSERT ON policies BEGIN
	-- An INSERT OR REPLACE removes the old row without its delete trigger.
	DELETE FROM policy_fts WHERE rowid = (SELECT n FROM policy_search_map WHERE policy_id = NEW.id);
	DELETE FROM policy_search_map WHERE policy_id = NEW.id;
	INSERT INTO policy_search_map(policy_id, status, expires, effective, category)
		VALUES (NEW.id, NEW.status, NEW.expires, NEW.effective, NEW.category);
	INSERT INTO policy_fts(rowid, title, doc_no, tags, summary, body)
		SELECT n, sd_search_tokens(NEW.title), sd_search_tokens(NEW.doc_no), sd_search_tags(NEW.tags),
			sd_search_tokens(NEW.summary), sd_search_tokens(NEW.body)
		FROM policy_search_map WHERE policy_id = NEW.id AND NEW.deleted = 0;
END;
CREATE TRIGGER policies_fts_update AFTER UPDATE OF title, doc_no, tags, summary, body, deleted ON policies BEGIN
	DELETE FROM policy_fts WHERE rowid = (SELECT n FROM policy_search_map WHERE policy_id = OLD.id);
	INSERT INTO policy_fts(rowid, title, doc_no, tags, summary, body)
		SELECT n, sd_search_tokens(NEW.title), sd_search_tokens(NEW.doc_no), sd_search_tags(NEW.tags),
			sd_search_tokens(NEW.summary), sd_search_tokens(NEW.body)
		FROM policy_search_map WHERE policy_id = NEW.id AND NEW.deleted = 0;
END;
CREATE TRIGGER policies_search_attrs AFTER UPDATE OF status, expires, effective, category ON policies BEGIN
	UPDATE policy_search_map SET status = NEW.status, expires = NEW.expires, effective = NEW.effective, category = NEW.category
		WHERE policy_id = NEW.id;
END;
CREATE TRIGGER policies_fts_delete AFTER DELETE ON policies BEGIN
	DELETE FROM policy_fts WHERE rowid = (SELECT n FROM policy_search_map WHERE policy_id = OLD.id);
	DELETE FROM policy_search_map WHERE policy_id = OLD.id;
END;

CREATE TABLE service_guides (` + recordColumns + `,
	matter     TEXT NOT NULL,
	steps      TEXT NOT NULL DEFAULT '[]',
	materials  TEXT NOT NULL DEFAULT '[]',
	location   TEXT NOT NULL DEFAULT '',
	time_limit TEXT NOT NULL DEFAULT '',
	officer_id TEXT NOT NULL DEFAULT '',
	officer    TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	policy_id  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE card_handouts (` + recordColumns + `,
	policy_id  TEXT NOT NULL,
	count      INTEGER NOT NULL CHECK (count > 0),
	handed_on  TEXT NOT NULL,
	place      TEXT NOT NULL DEFAULT '',
	officer_id TEXT NOT NULL DEFAULT '',
	visit_id   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX card_handouts_policy ON card_handouts(policy_id, handed_on);
CREATE INDEX card_handouts_day ON card_handouts(handed_on);
`
