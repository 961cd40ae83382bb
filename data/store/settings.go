package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Role is what this installation is: a township station or the district bureau.
type Role string

const (
	RoleStation Role = "station"
	RoleBureau  Role = "bureau"
)

// Identity is who this installation is, chosen at first start.
type Identity struct {
	Role         Role   `json:"role"`
	Name         string `json:"name"`
	Code         string `json:"code"` // administrative division code, or the bureau-given station code
	DivisionCode string `json:"division_code"`
}

// Setting keys kept in the settings table.
const (
	SettingRole      = "role"
	SettingName      = "name"
	SettingCode      = "code"
	SettingDivision  = "division_code"
	SettingLanguage  = "language"
	SettingTextScale = "text_scale"
	SettingStudyTime = "study_time"
)

// Setting returns a setting's value, or def when it is not set.
func (s *Store) Setting(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("data: read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.Write(ctx, func(tx *sql.Tx) error { return SetSettingTx(ctx, tx, key, value) })
}

// SetSettingTx stores a setting inside a write transaction.
func SetSettingTx(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("data: write setting %s: %w", key, err)
	}
	return nil
}

// Identity returns who this installation is; ok is false before set-up.
func (s *Store) Identity(ctx context.Context) (id Identity, ok bool, err error) {
	rows, err := s.r.QueryContext(ctx, "SELECT key, value FROM settings WHERE key IN (?, ?, ?, ?)",
		SettingRole, SettingName, SettingCode, SettingDivision)
	if err != nil {
		return id, false, fmt.Errorf("data: read identity: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return id, false, fmt.Errorf("data: read identity: %w", err)
		}
		switch k {
		case SettingRole:
			id.Role = Role(v)
		case SettingName:
			id.Name = v
		case SettingCode:
			id.Code = v
		case SettingDivision:
			id.DivisionCode = v
		}
	}
	if err := rows.Err(); err != nil {
		return id, false, fmt.Errorf("data: read identity: %w", err)
	}
	return id, id.Role != "", nil
}

// Validate checks an identity before set-up.
func (id *Identity) Validate() error {
	id.Code = strings.TrimSpace(id.Code)
	id.DivisionCode = strings.TrimSpace(id.DivisionCode)
	if id.Role != RoleStation && id.Role != RoleBureau {
		return Invalid("role", "请选择单位类型")
	}
	if err := CheckFields(TextField{"name", &id.Name, MaxShort, false}); err != nil {
		return err
	}
	if id.Name == "" {
		return Invalid("name", "名称不能为空")
	}
	if id.Code == "" {
		return Invalid("code", "行政区划代码不能为空")
	}
	if !DivisionCode(id.Code) {
		return Invalid("code", "行政区划代码应为 6 到 12 位数字")
	}
	if id.DivisionCode == "" {
		id.DivisionCode = id.Code
	}
	if !DivisionCode(id.DivisionCode) {
		return Invalid("division_code", "行政区划代码应为 6 到 12 位数字")
	}
	return nil
}

// DivisionCode says whether s is 6 to 12 ASCII digits.
func DivisionCode(s string) bool { return IsDigits(s) && len(s) >= 6 && len(s) <= 12 }

// IsDigits says whether s is one or more ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ErrAlreadySetUp is returned by Setup on an installation that has an identity.
var ErrAlreadySetUp = &Error{Kind: KindConflict, Op: "set up", Err: errors.New("this data folder is already set up")}

// Setup records the installation's identity, its own station row and the
// first officers, all in one transaction.
func (s *Store) Setup(ctx context.Context, id Identity, roster []Officer) error {
	if err := id.Validate(); err != nil {
		return err
	}
	for i := range roster {
		roster[i].StationCode = id.Code
		if err := roster[i].Validate(); err != nil {
			return err
		}
	}
	if _, ok, err := s.Identity(ctx); err != nil {
		return err
	} else if ok {
		return ErrAlreadySetUp
	}
	return s.Write(ctx, func(tx *sql.Tx) error { return SetupTx(ctx, tx, id, roster, NewID(), NowMillis()) })
}

// SetupTx writes the identity, the own station row (stationID) and the roster.
func SetupTx(ctx context.Context, tx *sql.Tx, id Identity, roster []Officer, stationID string, now int64) error {
	for k, v := range map[string]string{SettingRole: string(id.Role), SettingName: id.Name, SettingCode: id.Code, SettingDivision: id.DivisionCode} {
		if err := SetSettingTx(ctx, tx, k, v); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stations(id, origin, created_at, updated_at, code, name, role, division_code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, stationID, id.Code, now, now, id.Code, id.Name, string(id.Role), id.DivisionCode); err != nil {
		return fmt.Errorf("data: add own station: %w", err)
	}
	for i := range roster {
		if err := insertOfficer(ctx, tx, id.Code, &roster[i]); err != nil {
			return err
		}
	}
	return nil
}
