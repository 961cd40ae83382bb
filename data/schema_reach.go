package data

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
