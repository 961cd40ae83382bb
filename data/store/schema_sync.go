package store

// schemaSync is the sync step: this installation's keys, the peers it
// exchanges bundles with, the change log (one row per record: its current
// version), bundles sent and imported, and conflicts kept for review.
//
// Change tracking itself is done by triggers that ensureSyncTriggers adds at
// run time to every registered kind's table, so that a kind declared after
// this step joins sync without a step of its own.
const schemaSync = `
CREATE TABLE sync_keys (
	name       TEXT PRIMARY KEY CHECK (name IN ('sign','age')),
	secret     TEXT NOT NULL,
	public     TEXT NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_state (
	one      INTEGER PRIMARY KEY CHECK (one = 1),
	node     TEXT NOT NULL DEFAULT '',
	hlc      INTEGER NOT NULL DEFAULT 0,
	lseq     INTEGER NOT NULL DEFAULT 0,
	applying INTEGER NOT NULL DEFAULT 0,
	skew_ms  INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_state(one) VALUES (1);

CREATE TABLE sync_peers (
	code          TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('station','bureau')),
	sign_pub      TEXT NOT NULL,
	age_recipient TEXT NOT NULL,
	enrolled_at   INTEGER NOT NULL,
	in_seq        INTEGER NOT NULL DEFAULT 0,
	in_hash       TEXT NOT NULL DEFAULT '',
	in_at         INTEGER NOT NULL DEFAULT 0,
	in_created    INTEGER NOT NULL DEFAULT 0,
	gaps          TEXT NOT NULL DEFAULT '',
	out_seq       INTEGER NOT NULL DEFAULT 0,
	out_hash      TEXT NOT NULL DEFAULT '',
	acked_seq     INTEGER NOT NULL DEFAULT 0,
	acked_lseq    INTEGER NOT NULL DEFAULT 0,
	clock_ahead_ms INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sync_changes (
	kind      TEXT NOT NULL,
	id        TEXT NOT NULL,
	hlc       INTEGER NOT NULL,
	node      TEXT NOT NULL,
	base_hlc  INTEGER NOT NULL DEFAULT 0,
	base_node TEXT NOT NULL DEFAULT '',
	lseq      INTEGER NOT NULL,
	PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sync_changes_lseq ON sync_changes(kind, lseq);

CREATE TABLE sync_sent (
	peer       TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	hash       TEXT NOT NULL,
	max_lseq   INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	records    INTEGER NOT NULL,
	bytes      INTEGER NOT NULL,
	PRIMARY KEY (peer, seq)
) STRICT;

CREATE TABLE sync_imported (
	hash        TEXT PRIMARY KEY,
	peer        TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	imported_at INTEGER NOT NULL,
	records     INTEGER NOT NULL,
	applied     INTEGER NOT NULL,
	skipped     INTEGER NOT NULL,
	conflicts   INTEGER NOT NULL
) STRICT;
CREATE INDEX sync_imported_peer ON sync_imported(peer, imported_at);

CREATE TABLE sync_conflicts (
	n           INTEGER PRIMARY KEY AUTOINCREMENT,
	kind        TEXT NOT NULL,
	record_id   TEXT NOT NULL,
	reason      TEXT NOT NULL CHECK (reason IN ('concurrent','duplicate')),
	winner_hlc  INTEGER NOT NULL,
	winner_node TEXT NOT NULL,
	loser_hlc   INTEGER NOT NULL,
	loser_node  TEXT NOT NULL,
	loser_row   TEXT NOT NULL,
	detected_at INTEGER NOT NULL,
	settled_at  INTEGER NOT NULL DEFAULT 0,
	settled_by  TEXT NOT NULL DEFAULT '',
	choice      TEXT NOT NULL DEFAULT '',
	UNIQUE (kind, record_id, loser_hlc, loser_node)
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(settled_at, kind);
`

// schemaSyncEpochs adds epochs and revoked keys (see sync_epoch.go).
const schemaSyncEpochs = `
ALTER TABLE sync_state ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN epoch_at INTEGER NOT NULL DEFAULT 0;
UPDATE sync_state SET epoch = lower(hex(randomblob(16))), epoch_at = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE one = 1;
ALTER TABLE sync_peers ADD COLUMN in_epoch TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_peers ADD COLUMN echo_own INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_peers ADD COLUMN keyed_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sync_epochs (
	peer    TEXT NOT NULL,
	epoch   TEXT NOT NULL,
	seen_at INTEGER NOT NULL,
	PRIMARY KEY (peer, epoch)
) STRICT, WITHOUT ROWID;
CREATE TABLE sync_revoked (
	peer       TEXT NOT NULL,
	sign_pub   TEXT NOT NULL,
	revoked_at INTEGER NOT NULL,
	PRIMARY KEY (peer, sign_pub)
) STRICT;
`
