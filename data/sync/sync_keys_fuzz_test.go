package sync

import (
	"encoding/json"
	"testing"
)

// Fixed codes of the fuzz seeds under testdata/fuzz (sealed at work factor 10).
const (
	fuzzEnrolmentCode = "1234-5678-9012-3456"
	fuzzRecoveryCode  = "1234-5678-9012-3456-7890-1234"
)

// FuzzEnrolmentFile feeds any bytes to the station's reading of an enrolment
// file, sealed or plain: no panic, no more work than the limits allow, and
// only a file the bureau signed is taken (the seeds' bureau: 430702).
func FuzzEnrolmentFile(f *testing.F) {
	CheapScrypt(f)
	f.Add([]byte(`{"enrolment":"{}","signature":""}`))
	f.Add([]byte(ageMagic + "-> scrypt AAAAAAAAAAAAAAAAAAAAAA 30\nAAAA\n--- AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		plain, err := OpenEnrolment(b, fuzzEnrolmentCode)
		if err != nil {
			return
		}
		e, err := parseEnrolment(plain)
		if err != nil {
			return
		}
		if e.Bureau.Code != "430702" || e.Station.Code != "430702101" {
			t.Fatalf("a changed enrolment parsed: bureau %s station %s", e.Bureau.Code, e.Station.Code)
		}
	})
}

// FuzzRecoveryFile feeds any bytes to the reading of a recovery file, sealed
// and plain; a document that passes is usable as it is.
func FuzzRecoveryFile(f *testing.F) {
	CheapScrypt(f)
	f.Add([]byte(`{"format":"stationdesk-recovery","version":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, d := range func() []*recoveryDoc {
			var out []*recoveryDoc
			if d, err := openRecovery(b, fuzzRecoveryCode); err == nil {
				out = append(out, d)
			}
			if d, err := parseRecovery(b); err == nil {
				out = append(out, d)
			}
			return out
		}() {
			if _, err := parseSignSeed(d.Bureau.SignKey); err != nil {
				t.Fatal("bad key passed")
			}
			for _, st := range d.Stations {
				if _, err := parseSignPub(st.SignPub); err != nil {
					t.Fatal("bad station key passed")
				}
				if len(st.Record) > 0 {
					var row map[string]json.RawMessage
					if json.Unmarshal(st.Record, &row) != nil {
						t.Fatal("bad record passed")
					}
				}
			}
		}
	})
}
