package store

func init() {
	RegisterKind(RecordKind{Name: "trainings", Table: "trainings", Label: "培训记录", Title: "topic"})
	RegisterKind(RecordKind{Name: "attendance", Table: "attendance", Label: "出勤记录"})
	RegisterKind(RecordKind{Name: "training_materials", Table: "training_materials", Label: "培训材料", Title: "name"})
}

// schemaTraining is migration 3. Training records own it.
const schemaTraining = `
CREATE TABLE trainings (` + recordColumns + `,
	type        TEXT NOT NULL DEFAULT 'study_day',
	date        TEXT NOT NULL,
	start_time  TEXT NOT NULL DEFAULT '14:30',
	end_time    TEXT NOT NULL DEFAULT '17:30',
	topic       TEXT NOT NULL DEFAULT '',
	speaker     TEXT NOT NULL DEFAULT '',
	place       TEXT NOT NULL DEFAULT '',
	moved_from  TEXT NOT NULL DEFAULT '',
	move_reason TEXT NOT NULL DEFAULT '',
	policy_ids  TEXT NOT NULL DEFAULT '[]',
	notes       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX trainings_date ON trainings(date);

CREATE TABLE attendance (` + recordColumns + `,
	training_id TEXT NOT NULL,
	officer_id  TEXT NOT NULL,
	status      TEXT NOT NULL DEFAULT 'present' CHECK (status IN ('present','late','leave','absent')),
	reason      TEXT NOT NULL DEFAULT '',
	UNIQUE (training_id, officer_id)
) STRICT;
CREATE INDEX attendance_officer ON attendance(officer_id);

-- Material files of a session (slides, handouts), kept byte for byte.
CREATE TABLE training_materials (` + recordColumns + `,
	training_id TEXT NOT NULL,
	name        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	sha256      TEXT NOT NULL,
	content     BLOB NOT NULL
) STRICT;
CREATE INDEX training_materials_training ON training_materials(training_id);
`
