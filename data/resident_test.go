package data

import (
	"context"
	"strings"
	"testing"
)

func invalidField(t *testing.T, err error, field, reason string) {
	t.Helper()
	de, ok := err.(*Error)
	if !ok || de.Kind != KindInvalid || de.Field != field || !strings.Contains(de.Msg, reason) {
		t.Fatalf("got %v, want invalid %s with %q", err, field, reason)
	}
}

func TestResidentAddDerivesAndRefusesDuplicates(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	idn := withCheck("43070219400312002")
	r := &Resident{Name: " 王秀英 ", IDNumber: strings.ToLower(idn[:10]) + " " + idn[10:], Phone: "+86 138 1234 5678",
		Village: "桃花村", Categories: []string{"高龄、独居", "高龄"}, Consent: true}
	if err := st.AddResident(ctx, r, "officer-1"); err != nil {
		t.Fatal(err)
	}
	got, err := st.Resident(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "王秀英" || got.Gender != "女" || got.BirthDate != "1940-03-12" || got.IDNumber != MaskIDNumber(idn) || got.Phone != "138****5678" {
		t.Fatalf("stored %+v", got)
	}
	if strings.Join(got.Categories, ",") != "高龄,独居" || !got.Consent || got.ConsentBy != "officer-1" || got.ConsentAt.IsZero() {
		t.Fatalf("categories/consent %+v", got)
	}
	if got.Age(clock()) < 86 {
		t.Fatalf("age %d", got.Age(clock()))
	}

	// The same number, typed another way, opens the existing resident.
	err = st.AddResident(ctx, &Resident{Name: "王秀英", IDNumber: idn}, "officer-2")
	if ErrorKind(err) != KindConflict {
		t.Fatalf("duplicate: %v", err)
	}
	if id, ok := ExistingResidentID(err); !ok || id != r.ID {
		t.Fatalf("existing id %q %v", id, ok)
	}
	if strings.Contains(err.Error(), idn) {
		t.Fatal("error message shows the ID number")
	}
	found, ok, err := st.ResidentByIDNumber(ctx, strings.ToLower(idn))
	if err != nil || !ok || found.ID != r.ID {
		t.Fatalf("lookup: %v %v %v", found.ID, ok, err)
	}
	if n, _ := st.CountResidents(ctx, ResidentFilter{}); n != 1 {
		t.Fatalf("%d residents", n)
	}
}

func TestResidentValidation(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	idn := withCheck("43070219400312001") // male
	for _, tc := range []struct {
		r             Resident
		field, reason string
	}{
		{Resident{Name: " ", IDNumber: idn}, "name", "姓名为空"},
		{Resident{Name: "李四", IDNumber: wrongCheck("43070219400312001")}, "id_number", "校验位错误"},
		{Resident{Name: "李四", IDNumber: withCheck("43070219400230001")}, "id_number", "出生日期无效"},
		{Resident{Name: "李四", IDNumber: idn, Gender: "女"}, "gender", "性别与身份证号不符"},
		{Resident{Name: "李四", IDNumber: idn, BirthDate: "1940-03-13"}, "birth_date", "出生日期与身份证号不符"},
		{Resident{Name: "李四", IDNumber: idn, Phone: "1381234567"}, "phone", "手机号格式错误"},
	} {
		err := st.AddResident(ctx, &tc.r, "o")
		invalidField(t, err, tc.field, tc.reason)
	}
	ok := &Resident{Name: "李四", IDNumber: idn, Gender: "男", BirthDate: "1940/3/12", Phone: "0736-7654321"}
	if err := st.AddResident(ctx, ok, "o"); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.CountResidents(ctx, ResidentFilter{}); n != 1 {
		t.Fatalf("%d residents saved, want only the good one", n)
	}
}

func TestResidentRevealIsAuditedAndUpdateKeepsMasked(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	idn := withCheck("43070219400312001")
	r := &Resident{Name: "李四", IDNumber: idn, Phone: "13812345678"}
	if err := st.AddResident(ctx, r, "o1"); err != nil {
		t.Fatal(err)
	}
	masked, _ := st.Resident(ctx, r.ID)
	masked.Address = "桃花村3组"
	if err := st.UpdateResident(ctx, &masked, "o1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RevealResident(ctx, r.ID, ""); ErrorKind(err) != KindInvalid {
		t.Fatalf("reveal without actor: %v", err)
	}
	sec, err := st.RevealResident(ctx, r.ID, "o2")
	if err != nil {
		t.Fatal(err)
	}
	if sec.IDNumber != idn || sec.Phone != "13812345678" {
		t.Fatalf("revealed %+v", sec)
	}
	all, err := st.RecordAudit(ctx, "residents", r.ID)
	var log []AuditEntry
	for _, a := range all {
		if a.Action == "reveal" {
			log = append(log, a)
		}
	}
	if err != nil || len(log) != 1 || log[0].Actor != "o2" || log[0].Action != "reveal" || log[0].At.IsZero() {
		t.Fatalf("audit %+v %v", log, err)
	}
	var leaks int
	st.Read().QueryRow("SELECT count(*) FROM audit_log WHERE detail LIKE ? OR detail LIKE ?", "%"+idn[6:14]+"%", "%12345678%").Scan(&leaks)
	if leaks != 0 {
		t.Fatal("audit log holds the value")
	}
	// Another resident may not take the number.
	other := &Resident{Name: "张三", IDNumber: withCheck("43070219500101003")}
	if err := st.AddResident(ctx, other, "o1"); err != nil {
		t.Fatal(err)
	}
	other.IDNumber = idn
	if err := st.UpdateResident(ctx, other, "o1"); ErrorKind(err) != KindConflict {
		t.Fatalf("update onto a taken number: %v", err)
	}
	// Deleting and adding again brings the same record back.
	if err := st.DeleteResident(ctx, r.ID, "o1"); err != nil {
		t.Fatal(err)
	}
	again := &Resident{Name: "李四", IDNumber: idn}
	if err := st.AddResident(ctx, again, "o1"); err != nil || again.ID != r.ID {
		t.Fatalf("re-add: %v %s/%s", err, again.ID, r.ID)
	}
}

func TestResidentListFilters(t *testing.T) {
	st := openStation(t)
	ctx := context.Background()
	if _, err := runDemo(ctx, st, DemoOptions{Residents: 300, Visits: 0, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	all, _ := st.CountResidents(ctx, ResidentFilter{})
	village, _ := st.CountResidents(ctx, ResidentFilter{Village: "桃花村"})
	old, _ := st.CountResidents(ctx, ResidentFilter{Category: "高龄"})
	if all != 300 || village == 0 || village >= all || old == 0 || old >= all {
		t.Fatalf("counts %d %d %d", all, village, old)
	}
	page, err := st.Residents(ctx, ResidentFilter{Village: "桃花村", Limit: 5, Offset: 2})
	if err != nil || len(page) != 5 {
		t.Fatalf("page %d %v", len(page), err)
	}
	for _, r := range page {
		if r.Village != "桃花村" || !strings.Contains(r.IDNumber, "********") || !strings.Contains(r.Phone, "****") {
			t.Fatalf("row %+v", r)
		}
	}
	vs, _ := st.Villages(ctx)
	if len(vs) < 5 {
		t.Fatalf("villages %v", vs)
	}
	byName, _ := st.Residents(ctx, ResidentFilter{Query: page[0].Name})
	if len(byName) == 0 {
		t.Fatal("search by name found nothing")
	}
}
