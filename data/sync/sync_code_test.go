package sync_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"stationdesk/data"
	dsync "stationdesk/data/sync"
)

func fieldOf(err error) string {
	if de, ok := err.(*data.Error); ok {
		return de.Field
	}
	return ""
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 50; i++ {
		c, err := dsync.NewCode(dsync.OneTimeCodeDigits)
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 19 || strings.Count(c, "-") != 3 || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		d, ok := dsync.NormalizeCode(c, dsync.OneTimeCodeDigits)
		if !ok || dsync.FormatCode(d) != c {
			t.Fatalf("%q normalised to %q %v", c, d, ok)
		}
	}
	for in, want := range map[string]string{
		"1234 5678 9012 3456": "1234567890123456",
		"１２３４－５６７８ 9012-3456": "1234567890123456",
		" 1234567890123456\n": "1234567890123456",
	} {
		if got, ok := dsync.NormalizeCode(in, 16); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "123", "1234 5678 9012 345", "1234 5678 9012 34567", "1234 5678 9012 345x", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦"} {
		if _, ok := dsync.NormalizeCode(bad, 16); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// An enrolment file on a lost stick gives nothing away; with the wrong code
// nothing is written; with the code read out on the phone the station joins.
func TestSealedEnrolment(t *testing.T) {
	dsync.CheapScrypt(t)
	ctx := context.Background()
	net := newSyncNet(t, 0)
	file, code, err := net.bureau.AddStationSealed(ctx, "430702101", "桃花镇劳动保障站")
	if err != nil {
		t.Fatal(err)
	}
	if !dsync.EnrolmentSealed(file) {
		t.Fatal("enrolment file not sealed")
	}
	for _, secret := range []string{"AGE-SECRET-KEY", "430702101", "sign_key", "桃花镇"} {
		if bytes.Contains(file, []byte(secret)) {
			t.Fatalf("sealed file shows %q", secret)
		}
	}
	st := openStore(t, "")
	before := dbDump(t, st)
	wrong := "0000-0000-0000-0000"
	if wrong == code {
		wrong = "1111-1111-1111-1111"
	}
	for _, c := range []string{"", "12345", wrong} {
		_, err := st.EnrollWithCode(ctx, file, c)
		if fieldOf(err) != "code" {
			t.Fatalf("code %q: %v, want a refusal at the code", c, err)
		}
	}
	if _, err := st.Enroll(ctx, file); fieldOf(err) != "code" {
		t.Fatalf("no code: %v", err)
	}
	if dbDump(t, st) != before {
		t.Fatal("a refused enrolment changed the database")
	}
	// Damage is not taken for a wrong code.
	damaged := bytes.Clone(file)
	damaged[len(damaged)-5] ^= 1
	if _, err := st.EnrollWithCode(ctx, damaged, code); err == nil || fieldOf(err) == "code" {
		t.Fatalf("damaged file: %v", err)
	}
	spoken := strings.ReplaceAll(code, "-", " ")
	id, err := st.EnrollWithCode(ctx, file, spoken)
	if err != nil {
		t.Fatal(err)
	}
	if id.Code != "430702101" {
		t.Fatalf("enrolled as %+v", id)
	}
	net.stations, net.codes = []*data.Store{st}, []string{"430702101"}
	demoData(t, st, 9)
	net.roundTrip(0)

	// A re-key gives a sealed file too; the old code does not open it.
	file2, code2, err := net.bureau.RekeyStationSealed(ctx, "430702101")
	if err != nil {
		t.Fatal(err)
	}
	if code2 == code {
		t.Fatal("re-key reused the code")
	}
	if _, err := st.EnrollWithCode(ctx, file2, code); fieldOf(err) != "code" {
		t.Fatalf("old code on the new file: %v", err)
	}
	if _, err := st.EnrollWithCode(ctx, file2, code2); err != nil {
		t.Fatal(err)
	}
	net.roundTrip(0)
	net.sameScope(t, 0)
}

// The recovery file brings a bureau back on a new PC: its keys and stations;
// the stations then send everything again within two round trips.
func TestRecoveryFileRoundTrip(t *testing.T) {
	dsync.CheapScrypt(t)
	ctx := context.Background()
	net := newSyncNet(t, 2)
	for i := range net.stations {
		demoData(t, net.stations[i], uint64(20+i))
		net.roundTrip(i)
	}
	if at, newer, err := net.bureau.RecoveryStatus(ctx); err != nil || !at.IsZero() || newer != 2 {
		t.Fatalf("before any recovery file: %v %d %v", at, newer, err)
	}
	// Station 1 was re-keyed once: its old key must stay refused after recovery.
	d1 := net.stations[1]
	oldEpoch := epochOfStore(t, d1)
	oldKeyBundle := sealAs(t, d1, "430702", 99, oldEpoch)
	f, err := net.bureau.RekeyStation(ctx, net.codes[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d1.Enroll(ctx, f); err != nil {
		t.Fatal(err)
	}
	net.roundTrip(1)

	file, code, err := net.bureau.WriteRecovery(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(strings.ReplaceAll(code, "-", "")) != dsync.RecoveryCodeDigits || bytes.Contains(file, []byte("AGE-SECRET-KEY")) {
		t.Fatalf("recovery code %q or file in clear", code)
	}
	if at, newer, err := net.bureau.RecoveryStatus(ctx); err != nil || at.IsZero() || newer != 0 {
		t.Fatalf("after writing it: %v %d %v", at, newer, err)
	}
	id, n, err := dsync.OpenRecovery(file, code)
	if err != nil || id.Code != "430702" || n != 2 {
		t.Fatalf("open recovery: %+v %d %v", id, n, err)
	}
	if _, _, err := dsync.OpenRecovery(file, strings.Repeat("1", 24)); fieldOf(err) != "code" {
		t.Fatalf("wrong code: %v", err)
	}
	if _, err := net.bureau.RestoreRecovery(ctx, file, code); err == nil {
		t.Fatal("a recovery file replaced a bureau that is set up")
	}
	// Records the stations hold of their own, to come back.
	var want []map[string]string
	for i := range net.stations {
		code := net.codes[i]
		want = append(want, snapshot(t, net.stations[i], func(kind string, row map[string]any) bool { return row["origin"] == code }))
	}

	// The bureau's PC is lost with its database.
	net.bureau.Close()
	nb := openStore(t, "")
	fresh := dbDump(t, nb)
	if _, err := nb.RestoreRecovery(ctx, file, strings.Repeat("2", 24)); fieldOf(err) != "code" {
		t.Fatalf("wrong code: %v", err)
	}
	if dbDump(t, nb) != fresh {
		t.Fatal("a refused recovery wrote")
	}
	if _, err := nb.RestoreRecovery(ctx, file, code); err != nil {
		t.Fatal(err)
	}
	net.bureau = nb
	peers, _ := nb.Peers(ctx)
	if len(peers) != 2 {
		t.Fatalf("recovered %d stations", len(peers))
	}
	refusedUnchanged(t, nb, oldKeyBundle, "revoked_key")
	for i := range net.stations {
		// The station does not know yet: its first bundle is the usual one.
		net.roundTrip(i)
		net.roundTrip(i)
		code := net.codes[i]
		got := snapshot(t, nb, func(kind string, row map[string]any) bool { return row["origin"] == code })
		for k, v := range want[i] {
			if got[k] != v {
				t.Errorf("station %s: %s not back at the bureau", code, k)
			}
		}
		if r := mustImport(t, nb, net.up(i), "imported"); r.Records != 0 {
			t.Errorf("station %s still sends %d", code, r.Records)
		}
	}
}

// The real work factor, once: what a person waits when opening a file.
func TestScryptRealWorkFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("256 MiB and about a second")
	}
	plain := []byte(`{"x":1}`)
	code, _ := dsync.NewCode(dsync.OneTimeCodeDigits)
	start := time.Now()
	file, err := dsync.SealWithCode(plain, code, dsync.OneTimeCodeDigits)
	if err != nil {
		t.Fatal(err)
	}
	sealed := time.Since(start)
	got, err := dsync.OpenWithCode(file, code, dsync.OneTimeCodeDigits, 100, (*dsync.ErrBadEnrolment))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("%s %v", got, err)
	}
	t.Logf("scrypt logN=%d: seal %v, open %v", dsync.ScryptWorkFactor, sealed, time.Since(start)-sealed)
	// A file asking for more work than the program writes is refused unread
	// (the stanza's work factor changed from 10 to 30: 128 GiB if believed).
	dsync.CheapScrypt(t)
	light, err := dsync.SealWithCode(plain, code, dsync.OneTimeCodeDigits)
	if err != nil {
		t.Fatal(err)
	}
	end := bytes.Index(light, []byte("\n---"))
	heavy := append(bytes.Replace(light[:end], []byte(" 10\n"), []byte(" 30\n"), 1), light[end:]...)
	if bytes.Equal(heavy, light) {
		t.Fatalf("no work factor in %q", light[:end])
	}
	if _, err := dsync.OpenWithCode(heavy, code, dsync.OneTimeCodeDigits, 100, (*dsync.ErrBadEnrolment)); err != (*dsync.ErrBadEnrolment) {
		t.Fatalf("work factor 30 accepted: %v", err)
	}
}
