package data

import "testing"

// FuzzArgonParams: a stored hash's parameters are parsed or refused, never
// accepted with a zero cost.
func FuzzArgonParams(f *testing.F) {
	for _, s := range []string{PasswordParams.String(), "argon2id$v=19$m=1024,t=1,p=1", "argon2id$v=19$m=0,t=1,p=1", "bcrypt$2a$10", "", "argon2id$v=19$m=1,t=1,p=256"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseArgonParams(s)
		if err == nil && (p.Time == 0 || p.Time > 100 || p.MemoryKiB == 0 || p.MemoryKiB > 4<<20 || p.Threads == 0) {
			t.Fatalf("%q accepted as %+v", s, p)
		}
	})
}
