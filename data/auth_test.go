package data

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func cheapPasswords(t testing.TB) {
	old := PasswordParams
	PasswordParams = ArgonParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	t.Cleanup(func() { PasswordParams = old })
}

func TestPasswordHashing(t *testing.T) {
	cheapPasswords(t)
	h1, s1, p1, err := newPasswordHash("桃花镇2026年")
	if err != nil {
		t.Fatal(err)
	}
	h2, s2, _, _ := newPasswordHash("桃花镇2026年")
	if bytes.Equal(s1, s2) || bytes.Equal(h1, h2) {
		t.Fatal("the same password gave the same salt or hash")
	}
	if len(s1) != passwordSaltLen || len(h1) != passwordKeyLen || !strings.HasPrefix(p1, "argon2id$v=19$") {
		t.Fatalf("salt %d hash %d params %q", len(s1), len(h1), p1)
	}
	if !checkPassword("桃花镇2026年", h1, s1, p1) {
		t.Fatal("right password refused")
	}
	for _, wrong := range []string{"桃花镇2026", "桃花镇2026年 ", "", "TAOHUA2026"} {
		if checkPassword(wrong, h1, s1, p1) {
			t.Fatalf("wrong password %q accepted", wrong)
		}
	}
	// The hash keeps its own costs: a later change of PasswordParams still checks it.
	PasswordParams = ArgonParams{Time: 2, MemoryKiB: 2048, Threads: 1}
	if !checkPassword("桃花镇2026年", h1, s1, p1) {
		t.Fatal("old hash refused after a change of costs")
	}
	if checkPassword("桃花镇2026年", h1, s1, "argon2id$v=19$m=1024,t=1,p=0") || checkPassword("x", h1, s1, "bcrypt") {
		t.Fatal("bad params accepted")
	}
	for _, bad := range []string{"", "short", strings.Repeat("长", MaxPasswordLen+1), "abc\x00defgh", "        "} {
		if ErrorKind(ValidatePassword(bad)) != KindInvalid {
			t.Errorf("password %q accepted", bad)
		}
	}
}

func TestAccountsSignInAndReset(t *testing.T) {
	cheapPasswords(t)
	st := openStore(t, "")
	ctx := context.Background()
	roster := []Officer{{Name: "王秀英", Role: "站长"}, {Name: "李建国", Role: "劳保专干"}}
	if err := st.SetupWithAdmin(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, roster, "short"); ErrorKind(err) != KindInvalid {
		t.Fatalf("short admin password: %v", err)
	}
	if _, ok, _ := st.Identity(ctx); ok {
		t.Fatal("a refused set-up was saved")
	}
	if err := st.SetupWithAdmin(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, roster, "站长的密码123"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.HasAccounts(ctx); !ok {
		t.Fatal("no account after set-up")
	}
	admin, err := st.SignIn(ctx, "王秀英", "站长的密码123")
	if err != nil || !admin.Admin || admin.Role != "站长" || admin.LastSignIn.IsZero() {
		t.Fatalf("admin sign-in %+v %v", admin, err)
	}
	if _, err := st.SignIn(ctx, "王秀英", "错误的密码"); err != ErrBadSignIn {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := st.SignIn(ctx, "没有这人", "站长的密码123"); err != ErrBadSignIn {
		t.Fatalf("unknown name: %v", err)
	}

	// The admin gives 李建国 an account; 李建国 cannot make or reset accounts.
	offs, _ := st.Officers(ctx, false)
	var li string
	for _, o := range offs {
		if o.Name == "李建国" {
			li = o.ID
		}
	}
	asAdmin := WithActor(ctx, "王秀英")
	asLi := WithActor(ctx, "李建国")
	if err := st.CreateAccount(asAdmin, li, "李建国的登录密码", false); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAccount(asAdmin, li, "李建国的登录密码", false); ErrorKind(err) != KindConflict {
		t.Fatalf("second account for one officer: %v", err)
	}
	if err := st.ResetPassword(asLi, "王秀英", "夺权的密码123"); ErrorKind(err) != KindInvalid {
		t.Fatalf("non-admin reset: %v", err)
	}
	if a, err := st.SignIn(ctx, "李建国", "李建国的登录密码"); err != nil || a.Admin {
		t.Fatalf("officer sign-in %+v %v", a, err)
	}

	// Reset: the old password stops working, the new one must be changed.
	if err := st.ResetPassword(asAdmin, "李建国", "临时密码0001"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SignIn(ctx, "李建国", "李建国的登录密码"); err != ErrBadSignIn {
		t.Fatalf("old password after reset: %v", err)
	}
	a, err := st.SignIn(ctx, "李建国", "临时密码0001")
	if err != nil || !a.MustChange {
		t.Fatalf("after reset %+v %v", a, err)
	}
	if err := st.ChangePassword(asLi, "李建国", "不对的原密码", "李建国的新密码12"); ErrorKind(err) != KindInvalid {
		t.Fatalf("change with a wrong old password: %v", err)
	}
	if err := st.ChangePassword(asLi, "李建国", "临时密码0001", "李建国的新密码12"); err != nil {
		t.Fatal(err)
	}
	if a, err := st.SignIn(ctx, "李建国", "李建国的新密码12"); err != nil || a.MustChange {
		t.Fatalf("after change %+v %v", a, err)
	}

	// The last admin stays one; a disabled account cannot sign in.
	if err := st.SetAccount(asAdmin, "王秀英", false, false); ErrorKind(err) != KindInvalid {
		t.Fatalf("removing the last admin: %v", err)
	}
	if err := st.SetAccount(asAdmin, "李建国", false, true); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SignIn(ctx, "李建国", "李建国的新密码12"); err != ErrBadSignIn {
		t.Fatalf("disabled account: %v", err)
	}

	// Everything is in the log, no password or hash in it.
	log, _ := st.AuditLog(ctx, AuditQuery{Kind: "accounts"})
	actions := map[string]int{}
	for _, e := range log {
		actions[e.Action]++
		for _, pw := range []string{"站长的密码123", "李建国的登录密码", "临时密码0001", "李建国的新密码12"} {
			if strings.Contains(e.Detail, pw) {
				t.Fatalf("password in the log: %+v", e)
			}
		}
	}
	if actions[AuditSignIn] != 4 || actions[AuditSignInFailed] != 4 || actions[AuditPassword] != 2 || actions[AuditAccount] != 3 {
		t.Fatalf("audit actions %v", actions)
	}
	var n int
	st.Read().QueryRow("SELECT count(*) FROM accounts WHERE hash = '' OR length(salt) != ?", passwordSaltLen).Scan(&n)
	if n != 0 {
		t.Fatal("an account without hash or salt")
	}
}

// BenchmarkPasswordHash measures one sign-in's hashing at the real costs.
func BenchmarkPasswordHash(b *testing.B) {
	salt := make([]byte, passwordSaltLen)
	for i := 0; i < b.N; i++ {
		hashPassword("桃花镇2026年", salt, PasswordParams)
	}
}

func TestSignInPausesAfterWrongPasswords(t *testing.T) {
	cheapPasswords(t)
	st := openStore(t, "")
	ctx := context.Background()
	if err := st.SetupWithAdmin(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"},
		[]Officer{{Name: "王秀英", Role: "站长"}}, "站长的密码123"); err != nil {
		t.Fatal(err)
	}
	old := clock
	defer func() { clock = old }()
	now := time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local)
	clock = func() time.Time { return now }
	for i := 0; i < MaxSignInFailures; i++ {
		if _, err := st.SignIn(ctx, "王秀英", "猜的密码0000"); err != ErrBadSignIn {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := st.SignIn(ctx, "王秀英", "站长的密码123"); err != ErrSignInPaused {
		t.Fatalf("right password during the pause: %v", err)
	}
	now = now.Add(SignInPause + time.Second)
	if _, err := st.SignIn(ctx, "王秀英", "站长的密码123"); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
}
