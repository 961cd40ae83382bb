package store

// schemaSafety is the safety step: officers' sign-in accounts (local to
// this installation: passwords never travel in bundles), the acting officer
// of the current write for the audit triggers, and an append-only audit log.
//
// The per-record audit triggers themselves are generated at open time from
// each registered kind's columns (see audit.go), so that a kind declared
// after this step is audited without a step of its own.
const schemaSafety = `
CREATE TABLE accounts (
	officer_id  TEXT PRIMARY KEY,
	login       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	is_admin    INTEGER NOT NULL DEFAULT 0,
	hash        BLOB NOT NULL,
	salt        BLOB NOT NULL,
	params      TEXT NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 0,
	disabled    INTEGER NOT NULL DEFAULT 0,
	failures    INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	last_signin INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One row: who is writing in the current transaction. Store.Write fills it
-- at the start of each transaction and clears it before commit.
CREATE TABLE audit_session (
	one   INTEGER PRIMARY KEY CHECK (one = 1),
	actor TEXT NOT NULL DEFAULT '',
	at    INTEGER NOT NULL DEFAULT 0,
	quiet INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO audit_session(one) VALUES (1);

CREATE INDEX audit_actor_at ON audit_log(actor, at);
CREATE INDEX audit_at ON audit_log(at);

-- Append-only: no program may rewrite or remove what the log says.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
`
