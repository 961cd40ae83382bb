package data

func init() {
	registerKind(RecordKind{Name: "policies", Table: "policies", Label: "政策资料"})
	registerKind(RecordKind{Name: "service_guides", Table: "service_guides", Label: "办事指南"})
	registerKind(RecordKind{Name: "card_handouts", Table: "card_handouts", Label: "政策卡片发放"})
}

// schemaPolicy is migration 2. The policy library owns it.
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
	local_notes   TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE service_guides (` + recordColumns + `,
	matter     TEXT NOT NULL,
	steps      TEXT NOT NULL DEFAULT '[]',
	materials  TEXT NOT NULL DEFAULT '[]',
	location   TEXT NOT NULL DEFAULT '',
	time_limit TEXT NOT NULL DEFAULT '',
	officer_id TEXT NOT NULL DEFAULT '',
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
`
