package data

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Officers sign in with a password, hashed with argon2id and a salt of
// their own. Accounts are local to this installation: they never travel in
// bundles. Only an administrator (站长, or the bureau's admin) makes
// accounts and resets passwords; stationctl acts as the system.

// ArgonParams are the argon2id costs of new hashes; each hash keeps its own.
type ArgonParams struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// PasswordParams: RFC 9106's second recommendation (64 MiB, 3 passes).
// Tests may lower it.
var PasswordParams = ArgonParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

const (
	passwordKeyLen  = 32
	passwordSaltLen = 16
	// MinPasswordLen and MaxPasswordLen bound a password, in characters.
	MinPasswordLen = 8
	MaxPasswordLen = 64
)

func (p ArgonParams) String() string {
	return fmt.Sprintf("argon2id$v=%d$m=%d,t=%d,p=%d", argon2.Version, p.MemoryKiB, p.Time, p.Threads)
}

func parseArgonParams(s string) (ArgonParams, error) {
	var p ArgonParams
	var v int
	var threads uint32
	if _, err := fmt.Sscanf(s, "argon2id$v=%d$m=%d,t=%d,p=%d", &v, &p.MemoryKiB, &p.Time, &threads); err != nil || v != argon2.Version || threads == 0 || threads > 255 || p.Time == 0 || p.Time > 100 || p.MemoryKiB == 0 || p.MemoryKiB > 4<<20 {
		return p, fmt.Errorf("data: unknown password hash %q", s)
	}
	p.Threads = uint8(threads)
	return p, nil
}

func hashPassword(password string, salt []byte, p ArgonParams) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, passwordKeyLen)
}

// newPasswordHash makes a fresh salt and hashes password with PasswordParams.
func newPasswordHash(password string) (hash, salt []byte, params string, err error) {
	salt = make([]byte, passwordSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, "", fmt.Errorf("data: salt: %w", err)
	}
	return hashPassword(password, salt, PasswordParams), salt, PasswordParams.String(), nil
}

// checkPassword compares in constant time.
func checkPassword(password string, hash, salt []byte, params string) bool {
	p, err := parseArgonParams(params)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(hashPassword(password, salt, p), hash) == 1
}

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return Invalid("password", fmt.Sprintf("密码至少 %d 位", MinPasswordLen))
	}
	if n > MaxPasswordLen {
		return Invalid("password", fmt.Sprintf("密码不能超过 %d 位", MaxPasswordLen))
	}
	if !utf8.ValidString(pw) || strings.IndexFunc(pw, unicode.IsControl) >= 0 {
		return Invalid("password", "密码中有不能使用的字符")
	}
	if strings.TrimSpace(pw) == "" {
		return Invalid("password", "密码不能全是空格")
	}
	return nil
}

// Account is an officer's sign-in.
type Account struct {
	OfficerID  string    `json:"officer_id"`
	Login      string    `json:"login"` // the officer's name when the account was made
	Role       string    `json:"role"`  // the officer's role (站长, 劳保专干, ...)
	Admin      bool      `json:"admin"`
	Disabled   bool      `json:"disabled"`
	MustChange bool      `json:"must_change"` // a reset password must be changed at next sign-in
	LastSignIn time.Time `json:"last_signin"`
}

// ErrBadSignIn is the answer to a wrong name or password (which one is not said).
var ErrBadSignIn = &Error{Kind: KindInvalid, Op: "sign in", Field: "password", Msg: "姓名或密码不正确"}

// HasAccounts says whether any officer can sign in (then the GUI asks for it).
func (s *Store) HasAccounts(ctx context.Context) (bool, error) {
	var n int
	if err := s.Read().QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE disabled = 0").Scan(&n); err != nil {
		return false, fmt.Errorf("data: count accounts: %w", err)
	}
	return n > 0, nil
}

const accountCols = `a.officer_id, a.login, COALESCE(o.role, ''), a.is_admin, a.disabled, a.must_change, a.last_signin`

func scanAccount(sc interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var admin, disabled, must int
	var last int64
	if err := sc.Scan(&a.OfficerID, &a.Login, &a.Role, &admin, &disabled, &must, &last); err != nil {
		return a, err
	}
	a.Admin, a.Disabled, a.MustChange = admin == 1, disabled == 1, must == 1
	if last > 0 {
		a.LastSignIn = time.UnixMilli(last)
	}
	return a, nil
}

// Accounts lists every account, by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.Read().QueryContext(ctx, "SELECT "+accountCols+" FROM accounts a LEFT JOIN officers o ON o.id = a.officer_id ORDER BY a.disabled, a.login")
	if err != nil {
		return nil, fmt.Errorf("data: list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("data: list accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

type accountQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func accountByLogin(ctx context.Context, q accountQuerier, login string) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts a LEFT JOIN officers o ON o.id = a.officer_id WHERE a.login = ?", strings.TrimSpace(login)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, NotFound("account", "")
	}
	if err != nil {
		return a, fmt.Errorf("data: read account: %w", err)
	}
	return a, nil
}

// requireAdmin lets the system (stationctl, first set-up) and signed-in
// administrators through; anyone else gets a clear refusal.
func requireAdmin(ctx context.Context, tx *sql.Tx) error {
	actor := ActorFrom(ctx)
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE disabled = 0").Scan(&n); err != nil {
		return fmt.Errorf("data: count accounts: %w", err)
	}
	if actor == SystemActor || n == 0 {
		return nil
	}
	a, err := accountByLogin(ctx, tx, actor)
	if err != nil || !a.Admin || a.Disabled {
		return Invalid("actor", "只有管理员（站长）可以管理账号")
	}
	return nil
}

// CreateAccount gives an officer a sign-in; the first account of an
// installation is always an administrator.
func (s *Store) CreateAccount(ctx context.Context, officerID, password string, admin bool) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, salt, params, err := newPasswordHash(password)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx); err != nil {
			return err
		}
		return createAccountTx(ctx, tx, officerID, admin, hash, salt, params)
	})
}

func createAccountTx(ctx context.Context, tx *sql.Tx, officerID string, admin bool, hash, salt []byte, params string) error {
	var name string
	err := tx.QueryRowContext(ctx, "SELECT name FROM officers WHERE id = ? AND deleted = 0", officerID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound("officer", officerID)
	}
	if err != nil {
		return fmt.Errorf("data: find officer: %w", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE disabled = 0").Scan(&n); err != nil {
		return fmt.Errorf("data: count accounts: %w", err)
	}
	if n == 0 {
		admin = true
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE officer_id = ? OR login = ?", officerID, name).Scan(&n); err != nil {
		return fmt.Errorf("data: find account: %w", err)
	}
	if n > 0 {
		return &Error{Kind: KindConflict, Op: "create account", Field: "name", Msg: "这位人员已有账号，或已有同名账号", Err: errors.New("account exists")}
	}
	now := nowMillis()
	if _, err := tx.ExecContext(ctx, `INSERT INTO accounts(officer_id, login, is_admin, hash, salt, params, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, officerID, name, boolInt(admin), hash, salt, params, now, now); err != nil {
		return fmt.Errorf("data: create account: %w", err)
	}
	detail := "created"
	if admin {
		detail = "created admin"
	}
	return auditTx(ctx, tx, "", AuditAccount, "accounts", officerID, detail+": "+name)
}

// After this many wrong passwords in a row a name must wait SignInPause.
const (
	MaxSignInFailures = 5
	SignInPause       = time.Minute
)

// ErrSignInPaused answers attempts during the pause.
var ErrSignInPaused = &Error{Kind: KindInvalid, Op: "sign in", Field: "password", Msg: "密码错误次数过多，请 1 分钟后再试"}

type signInThrottle struct {
	mu    sync.Mutex
	fails map[string]int
	until map[string]time.Time
}

func (t *signInThrottle) paused(login string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return now.Before(t.until[login])
}

func (t *signInThrottle) record(login string, ok bool, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.fails == nil {
		t.fails, t.until = map[string]int{}, map[string]time.Time{}
	}
	if ok {
		delete(t.fails, login)
		delete(t.until, login)
		return
	}
	t.fails[login]++
	if t.fails[login] >= MaxSignInFailures {
		t.fails[login] = 0
		t.until[login] = now.Add(SignInPause)
	}
}

// SignIn checks an officer's password; every attempt is audited. After
// MaxSignInFailures wrong passwords the name waits SignInPause.
func (s *Store) SignIn(ctx context.Context, login, password string) (Account, error) {
	login = strings.TrimSpace(login)
	if s.throttle.paused(login, clock()) {
		return Account{}, ErrSignInPaused
	}
	a, err := s.signIn(ctx, login, password)
	s.throttle.record(login, err == nil, clock())
	return a, err
}

func (s *Store) signIn(ctx context.Context, login, password string) (Account, error) {
	var hash, salt []byte
	var params, officerID string
	var disabled int
	err := s.Read().QueryRowContext(ctx, "SELECT officer_id, hash, salt, params, disabled FROM accounts WHERE login = ?", login).Scan(&officerID, &hash, &salt, &params, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		hashPassword(password, make([]byte, passwordSaltLen), PasswordParams) // same time for an unknown name
		_ = s.Write(ctx, func(tx *sql.Tx) error {
			return auditTx(ctx, tx, login, AuditSignInFailed, "accounts", "", "unknown name")
		})
		return Account{}, ErrBadSignIn
	}
	if err != nil {
		return Account{}, fmt.Errorf("data: read account: %w", err)
	}
	if !checkPassword(password, hash, salt, params) || disabled == 1 {
		_ = s.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failures = failures + 1 WHERE officer_id = ?", officerID); err != nil {
				return err
			}
			return auditTx(ctx, tx, login, AuditSignInFailed, "accounts", officerID, "")
		})
		return Account{}, ErrBadSignIn
	}
	var a Account
	err = s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failures = 0, last_signin = ? WHERE officer_id = ?", nowMillis(), officerID); err != nil {
			return fmt.Errorf("data: sign in: %w", err)
		}
		if err := auditTx(ctx, tx, login, AuditSignIn, "accounts", officerID, ""); err != nil {
			return err
		}
		a, err = accountByLogin(ctx, tx, login)
		return err
	})
	return a, err
}

// ResetPassword sets a new password for an officer who forgot theirs
// (administrators only); it must be changed at the next sign-in.
func (s *Store) ResetPassword(ctx context.Context, login, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, salt, params, err := newPasswordHash(password)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx); err != nil {
			return err
		}
		return setPasswordTx(ctx, tx, login, hash, salt, params, true, "reset")
	})
}

// ChangePassword is an officer changing their own password.
func (s *Store) ChangePassword(ctx context.Context, login, old, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	var h, sl []byte
	var p string
	err := s.Read().QueryRowContext(ctx, "SELECT hash, salt, params FROM accounts WHERE login = ? AND disabled = 0", strings.TrimSpace(login)).Scan(&h, &sl, &p)
	if err != nil || !checkPassword(old, h, sl, p) {
		return &Error{Kind: KindInvalid, Op: "change password", Field: "old_password", Msg: "原密码不正确"}
	}
	if old == password {
		return Invalid("password", "新密码不能与原密码相同")
	}
	hash, salt, params, err := newPasswordHash(password)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error { return setPasswordTx(ctx, tx, login, hash, salt, params, false, "changed") })
}

func setPasswordTx(ctx context.Context, tx *sql.Tx, login string, hash, salt []byte, params string, must bool, what string) error {
	a, err := accountByLogin(ctx, tx, login)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE accounts SET hash = ?, salt = ?, params = ?, must_change = ?, failures = 0, updated_at = ? WHERE officer_id = ?",
		hash, salt, params, boolInt(must), nowMillis(), a.OfficerID); err != nil {
		return fmt.Errorf("data: set password: %w", err)
	}
	return auditTx(ctx, tx, "", AuditPassword, "accounts", a.OfficerID, what+": "+a.Login)
}

// SetAccount changes an account's administrator and disabled flags
// (administrators only); the last active administrator stays one.
func (s *Store) SetAccount(ctx context.Context, login string, admin, disabled bool) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx); err != nil {
			return err
		}
		a, err := accountByLogin(ctx, tx, login)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET is_admin = ?, disabled = ?, updated_at = ? WHERE officer_id = ?",
			boolInt(admin), boolInt(disabled), nowMillis(), a.OfficerID); err != nil {
			return fmt.Errorf("data: change account: %w", err)
		}
		var admins int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE is_admin = 1 AND disabled = 0").Scan(&admins); err != nil {
			return fmt.Errorf("data: count admins: %w", err)
		}
		if admins == 0 {
			return Invalid("admin", "至少要保留一名管理员")
		}
		return auditTx(ctx, tx, "", AuditAccount, "accounts", a.OfficerID, fmt.Sprintf("admin=%v disabled=%v: %s", admin, disabled, a.Login))
	})
}

// SetupWithAdmin is Setup whose first roster officer becomes the first
// administrator with password, all in one transaction.
func (s *Store) SetupWithAdmin(ctx context.Context, id Identity, roster []Officer, password string) error {
	if err := id.Validate(); err != nil {
		return err
	}
	if len(roster) == 0 {
		return Invalid("roster", "请至少添加一名工作人员")
	}
	for i := range roster {
		roster[i].StationCode = id.Code
		if err := roster[i].Validate(); err != nil {
			return err
		}
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	if _, ok, err := s.Identity(ctx); err != nil {
		return err
	} else if ok {
		return ErrAlreadySetUp
	}
	hash, salt, params, err := newPasswordHash(password)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if err := setupTx(ctx, tx, id, roster, NewID(), nowMillis()); err != nil {
			return err
		}
		return createAccountTx(ctx, tx, roster[0].ID, true, hash, salt, params)
	})
}
