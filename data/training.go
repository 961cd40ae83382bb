package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	dsync "stationdesk/data/sync"
	"strings"
	"time"
)

// Kinds of training session.
const (
	TrainingStudyDay = "study_day" // 干部学习日
	TrainingSpecial  = "special"   // 专题培训
	TrainingCoaching = "coaching"  // 业务辅导
)

// TrainingTypes are the kinds of session in display order, with their Chinese names.
var TrainingTypes = []struct{ Code, Label string }{
	{TrainingStudyDay, "干部学习日"},
	{TrainingSpecial, "专题培训"},
	{TrainingCoaching, "业务辅导"},
}

// TrainingTypeLabel is the Chinese name of a kind of session.
func TrainingTypeLabel(code string) string {
	for _, t := range TrainingTypes {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

// Training is one session: a monthly study day or a special training.
type Training struct {
	Record
	Type       string   `json:"type"`
	Date       string   `json:"date"`  // YYYY-MM-DD
	Start      string   `json:"start"` // HH:MM
	End        string   `json:"end"`
	Topic      string   `json:"topic"`
	Speaker    string   `json:"speaker"`
	Place      string   `json:"place"`
	MovedFrom  string   `json:"moved_from,omitempty"` // study days: the third Friday it was moved from
	MoveReason string   `json:"move_reason,omitempty"`
	PolicyIDs  []string `json:"policy_ids"`
	Notes      string   `json:"notes"`
}

// Day is the session's date at local midnight (zero if the date is bad).
func (t Training) Day() time.Time {
	d, _ := time.ParseInLocation(studyDateLayout, t.Date, time.Local)
	return d
}

// Validate normalises and checks a session before saving. needTopic is false
// only for a study day planned by moving it (the topic comes later).
func (t *Training) validate(needTopic bool) error {
	for _, p := range []*string{&t.Type, &t.Start, &t.End} {
		*p = strings.TrimSpace(*p)
	}
	if t.Type == "" {
		t.Type = TrainingStudyDay
	}
	if TrainingTypeLabel(t.Type) == t.Type {
		return Invalid("type", "请选择培训类型")
	}
	var err error
	if t.Date, err = checkDate("date", t.Date, true); err != nil {
		return err
	}
	if t.MovedFrom, err = checkDate("moved_from", t.MovedFrom, false); err != nil {
		return err
	}
	day, _ := time.ParseInLocation(studyDateLayout, t.Date, time.Local)
	if t.Start == "" {
		t.Start = DefaultStudyTime
	}
	start, err := parseStudyClock(t.Start)
	if err != nil {
		return Invalid("start", "开始时间格式应为 时:分，例如 14:30")
	}
	if t.End == "" {
		t.End = addStudyClock(t.Start, StudyDayLength)
	}
	end, err := parseStudyClock(t.End)
	if err != nil {
		return Invalid("end", "结束时间格式应为 时:分，例如 17:30")
	}
	if end <= start {
		return Invalid("end", "结束时间应晚于开始时间")
	}
	t.Start, t.End = fmt.Sprintf("%02d:%02d", start/60, start%60), fmt.Sprintf("%02d:%02d", end/60, end%60)
	if err := checkFields(textField{"topic", &t.Topic, maxTitle, false}); err != nil {
		return err
	}
	if needTopic && t.Topic == "" {
		return Invalid("topic", "请填写培训主题")
	}
	err = checkFields(
		textField{"speaker", &t.Speaker, maxName, false},
		textField{"place", &t.Place, maxShort, false},
		textField{"move_reason", &t.MoveReason, maxShort, false},
		textField{"notes", &t.Notes, maxText, true},
	)
	if err != nil {
		return err
	}
	if t.Type != TrainingStudyDay && t.MovedFrom != "" {
		return Invalid("moved_from", "只有干部学习日可以调整日期")
	}
	if t.Type == TrainingStudyDay {
		if t.MovedFrom == t.Date {
			t.MovedFrom, t.MoveReason = "", ""
		}
		reg := day
		if t.MovedFrom != "" {
			reg, _ = time.ParseInLocation(studyDateLayout, t.MovedFrom, time.Local)
			if t.MoveReason == "" {
				return Invalid("move_reason", "请填写调整原因，例如：法定节假日")
			}
		} else {
			t.MoveReason = ""
		}
		if !reg.Equal(ThirdFriday(reg.Year(), reg.Month(), time.Local)) {
			if t.MovedFrom != "" {
				return Invalid("moved_from", "原定日期不是该月的第三个星期五")
			}
			return Invalid("date", "干部学习日是每月第三个星期五；调整到其他日期请使用“调整日期”并写明原因")
		}
	}
	ids := []string{} // stored as [], never null
	seen := map[string]bool{}
	for _, id := range t.PolicyIDs {
		if id = strings.TrimSpace(id); id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	t.PolicyIDs = ids
	return nil
}

// SaveTraining adds a session (empty ID) or saves changes to one.
func (s *Store) SaveTraining(ctx context.Context, t *Training) error {
	return s.saveTraining(ctx, t, true)
}

func (s *Store) saveTraining(ctx context.Context, t *Training, needTopic bool) error {
	if err := t.validate(needTopic); err != nil {
		return err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return err
	}
	policies, _ := json.Marshal(t.PolicyIDs)
	return s.Write(ctx, func(tx *sql.Tx) error {
		if t.Type == TrainingStudyDay {
			key := t.Date
			if t.MovedFrom != "" {
				key = t.MovedFrom
			}
			// Study days are per station: each origin has one per third Friday.
			origin := ident.Code
			if t.ID != "" {
				if err := tx.QueryRowContext(ctx, `SELECT origin FROM trainings WHERE id=?`, t.ID).Scan(&origin); err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("data: save training: %w", err)
				}
			}
			var other string
			err := tx.QueryRowContext(ctx, `SELECT id FROM trainings WHERE deleted=0 AND type='study_day' AND id<>?1 AND origin=?3
				AND (moved_from=?2 OR (moved_from='' AND date=?2)) LIMIT 1`, t.ID, key, origin).Scan(&other)
			if err == nil {
				return Invalid("date", "这个月的干部学习日已经有记录，请打开那条记录修改")
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("data: save training: %w", err)
			}
		}
		now := nowMillis()
		if t.ID == "" {
			t.ID = NewID()
			t.Origin = ident.Code
			t.CreatedAt = time.UnixMilli(now)
			_, err := tx.ExecContext(ctx, `INSERT INTO trainings(id, origin, created_at, updated_at, type, date, start_time, end_time,
				topic, speaker, place, moved_from, move_reason, policy_ids, notes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				t.ID, t.Origin, now, now, t.Type, t.Date, t.Start, t.End, t.Topic, t.Speaker, t.Place, t.MovedFrom, t.MoveReason, string(policies), t.Notes)
			if err != nil {
				return fmt.Errorf("data: add training: %w", err)
			}
			t.UpdatedAt = t.CreatedAt
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE trainings SET type=?, date=?, start_time=?, end_time=?, topic=?, speaker=?, place=?,
			moved_from=?, move_reason=?, policy_ids=?, notes=?, updated_at=? WHERE id=? AND deleted=0`,
			t.Type, t.Date, t.Start, t.End, t.Topic, t.Speaker, t.Place, t.MovedFrom, t.MoveReason, string(policies), t.Notes, now, t.ID)
		if err != nil {
			return fmt.Errorf("data: update training: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("training", t.ID)
		}
		t.UpdatedAt = time.UnixMilli(now)
		return nil
	})
}

// DeleteTraining leaves a tombstone for a session, its attendance and materials.
func (s *Store) DeleteTraining(ctx context.Context, id string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := nowMillis()
		res, err := tx.ExecContext(ctx, `UPDATE trainings SET deleted=1, updated_at=? WHERE id=? AND deleted=0`, now, id)
		if err != nil {
			return fmt.Errorf("data: delete training: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("training", id)
		}
		for _, table := range []string{"attendance", "training_materials"} {
			if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET deleted=1, updated_at=? WHERE training_id=? AND deleted=0`, now, id); err != nil {
				return fmt.Errorf("data: delete training: %w", err)
			}
		}
		return nil
	})
}

const trainingCols = `id, origin, created_at, updated_at, type, date, start_time, end_time, topic, speaker, place, moved_from, move_reason, policy_ids, notes`

func scanTraining(sc interface{ Scan(...any) error }) (Training, error) {
	var t Training
	var c, u int64
	var pol string
	err := sc.Scan(&t.ID, &t.Origin, &c, &u, &t.Type, &t.Date, &t.Start, &t.End, &t.Topic, &t.Speaker, &t.Place, &t.MovedFrom, &t.MoveReason, &pol, &t.Notes)
	if err != nil {
		return t, err
	}
	t.CreatedAt, t.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
	if json.Unmarshal([]byte(pol), &t.PolicyIDs) != nil || t.PolicyIDs == nil {
		t.PolicyIDs = []string{}
	}
	return t, nil
}

// Training returns one session.
func (s *Store) Training(ctx context.Context, id string) (Training, error) {
	t, err := scanTraining(s.Read().QueryRowContext(ctx, `SELECT `+trainingCols+` FROM trainings WHERE id=? AND deleted=0`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, NotFound("training", id)
	}
	if err != nil {
		return t, fmt.Errorf("data: read training: %w", err)
	}
	return t, nil
}

// TrainingSummary is a session with its attendance counts, for lists.
type TrainingSummary struct {
	Training
	Recorded int `json:"recorded"` // attendance rows
	Attended int `json:"attended"` // present or late
	Absent   int `json:"absent"`
	Leave    int `json:"leave"`
}

// Rate is the share of recorded officers who attended (0 when none is recorded).
func (t TrainingSummary) Rate() float64 {
	if t.Recorded == 0 {
		return 0
	}
	return float64(t.Attended) / float64(t.Recorded)
}

// Trainings lists the sessions dated from..to (YYYY-MM-DD, either may be ""),
// newest first, with attendance counts.
func (s *Store) Trainings(ctx context.Context, from, to string) ([]TrainingSummary, error) {
	if to == "" {
		to = "9999-12-31"
	}
	rows, err := s.Read().QueryContext(ctx, `SELECT t.id, t.origin, t.created_at, t.updated_at, t.type, t.date, t.start_time, t.end_time,
		t.topic, t.speaker, t.place, t.moved_from, t.move_reason, t.policy_ids, t.notes,
		count(a.id), coalesce(sum(a.status IN ('present','late')), 0), coalesce(sum(a.status='absent'), 0), coalesce(sum(a.status='leave'), 0)
		FROM trainings t LEFT JOIN attendance a ON a.training_id=t.id AND a.deleted=0
		WHERE t.deleted=0 AND t.date BETWEEN ? AND ?
		GROUP BY t.id ORDER BY t.date DESC, t.start_time DESC`, from, to)
	if err != nil {
		return nil, fmt.Errorf("data: list trainings: %w", err)
	}
	defer rows.Close()
	var out []TrainingSummary
	for rows.Next() {
		var ts TrainingSummary
		var c, u int64
		var pol string
		t := &ts.Training
		if err := rows.Scan(&t.ID, &t.Origin, &c, &u, &t.Type, &t.Date, &t.Start, &t.End, &t.Topic, &t.Speaker, &t.Place,
			&t.MovedFrom, &t.MoveReason, &pol, &t.Notes, &ts.Recorded, &ts.Attended, &ts.Absent, &ts.Leave); err != nil {
			return nil, fmt.Errorf("data: list trainings: %w", err)
		}
		t.CreatedAt, t.UpdatedAt = time.UnixMilli(c), time.UnixMilli(u)
		if json.Unmarshal([]byte(pol), &t.PolicyIDs) != nil || t.PolicyIDs == nil {
			t.PolicyIDs = []string{}
		}
		out = append(out, ts)
	}
	return out, rows.Err()
}

// PolicyChoice is a policy offered when linking policies to a session.
type PolicyChoice struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	DocNo     string `json:"doc_no"`
	Category  string `json:"category"`
	Effective string `json:"effective"`
	Status    string `json:"status"`
}

// PolicyChoices lists policies for the session editor's picker, newest first;
// query (may be "") matches the title or document number.
func (s *Store) PolicyChoices(ctx context.Context, query string, limit int) ([]PolicyChoice, error) {
	if limit <= 0 {
		limit = 50
	}
	q := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.TrimSpace(query)) + "%"
	rows, err := s.Read().QueryContext(ctx, `SELECT id, title, doc_no, category, effective, status FROM policies
		WHERE deleted=0 AND (title LIKE ?1 ESCAPE '\' OR doc_no LIKE ?1 ESCAPE '\')
		ORDER BY status='现行有效' DESC, effective DESC, title LIMIT ?2`, q, limit)
	if err != nil {
		return nil, fmt.Errorf("data: list policies for training: %w", err)
	}
	defer rows.Close()
	var out []PolicyChoice
	for rows.Next() {
		var p PolicyChoice
		if err := rows.Scan(&p.ID, &p.Title, &p.DocNo, &p.Category, &p.Effective, &p.Status); err != nil {
			return nil, fmt.Errorf("data: list policies for training: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PoliciesByID returns the linked policies that still exist, in the given order.
func (s *Store) PoliciesByID(ctx context.Context, ids []string) ([]PolicyChoice, error) {
	var out []PolicyChoice
	for _, id := range ids {
		var p PolicyChoice
		err := s.Read().QueryRowContext(ctx, `SELECT id, title, doc_no, category, effective, status FROM policies WHERE id=? AND deleted=0`, id).
			Scan(&p.ID, &p.Title, &p.DocNo, &p.Category, &p.Effective, &p.Status)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("data: read linked policy: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Material is a file attached to a session (without its bytes).
type Material struct {
	ID         string    `json:"id"`
	TrainingID string    `json:"training_id"`
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	AddedAt    time.Time `json:"added_at"`
}

// MaxMaterialSize bounds one material file (slides with pictures fit).
const MaxMaterialSize = 50 << 20

// AddMaterial attaches a file to a session, byte for byte.
func (s *Store) AddMaterial(ctx context.Context, trainingID, name string, content []byte) (Material, error) {
	name, err := checkText("name", filepath.Base(strings.ReplaceAll(name, `\`, "/")), maxFileName, false)
	if err != nil {
		return Material{}, err
	}
	if name == "" || name == "." || name == "/" {
		return Material{}, Invalid("name", "材料文件名不能为空")
	}
	if len(content) > MaxMaterialSize {
		return Material{}, Invalid("content", "材料文件不能超过 50 MB")
	}
	if _, err := s.Training(ctx, trainingID); err != nil {
		return Material{}, err
	}
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return Material{}, err
	}
	sum := sha256.Sum256(content)
	m := Material{ID: NewID(), TrainingID: trainingID, Name: name, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
	now := nowMillis()
	m.AddedAt = time.UnixMilli(now)
	if content == nil {
		content = []byte{}
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO training_materials(id, origin, created_at, updated_at, training_id, name, size, sha256, content)
			VALUES (?,?,?,?,?,?,?,?,?)`, m.ID, ident.Code, now, now, trainingID, m.Name, m.Size, m.SHA256, content)
		if err != nil {
			return fmt.Errorf("data: add material: %w", err)
		}
		return nil
	})
	return m, err
}

// Materials lists a session's files.
func (s *Store) Materials(ctx context.Context, trainingID string) ([]Material, error) {
	rows, err := s.Read().QueryContext(ctx, `SELECT id, training_id, name, size, sha256, created_at FROM training_materials
		WHERE training_id=? AND deleted=0 ORDER BY created_at, name`, trainingID)
	if err != nil {
		return nil, fmt.Errorf("data: list materials: %w", err)
	}
	defer rows.Close()
	var out []Material
	for rows.Next() {
		var m Material
		var c int64
		if err := rows.Scan(&m.ID, &m.TrainingID, &m.Name, &m.Size, &m.SHA256, &c); err != nil {
			return nil, fmt.Errorf("data: list materials: %w", err)
		}
		m.AddedAt = time.UnixMilli(c)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MaterialContent returns a material file's bytes.
func (s *Store) MaterialContent(ctx context.Context, id string) (Material, []byte, error) {
	var m Material
	var c int64
	var b []byte
	err := s.Read().QueryRowContext(ctx, `SELECT id, training_id, name, size, sha256, created_at, content FROM training_materials WHERE id=? AND deleted=0`, id).
		Scan(&m.ID, &m.TrainingID, &m.Name, &m.Size, &m.SHA256, &c, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil, NotFound("material", id)
	}
	if err != nil {
		return m, nil, fmt.Errorf("data: read material: %w", err)
	}
	m.AddedAt = time.UnixMilli(c)
	return m, b, nil
}

// DeleteMaterial removes a file from a session (tombstone; the bytes are dropped).
func (s *Store) DeleteMaterial(ctx context.Context, id string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE training_materials SET deleted=1, content=x'', updated_at=? WHERE id=? AND deleted=0`, nowMillis(), id)
		if err != nil {
			return fmt.Errorf("data: delete material: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFound("material", id)
		}
		return nil
	})
}

func init() {
	// What sync checks in a session that arrives in a bundle (sync_validate.go).
	dsync.RegisterIncomingRules("trainings", map[string]dsync.Rule{"type": trainingType})
	dsync.RegisterIncomingRules("training_materials", map[string]dsync.Rule{"name": dsync.TextRule(maxFileName, false)})
}

func trainingType(v any) error {
	s, err := dsync.TextOf(v)
	if err != nil {
		return err
	}
	for _, t := range TrainingTypes {
		if t.Code == s {
			return nil
		}
	}
	return dsync.ErrBadChoice
}
