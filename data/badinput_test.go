package data

// Bad input on every save path (issue 8): empty required fields, text over
// its limit, pasted control characters, wrong types where a string carries a
// number or a date, and dates out of range each get a KindInvalid error
// naming the field the form shows it under, never a panic, and nothing is
// written: the whole database dumps the same before and after.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// badEnv is a bureau holding one of everything the save paths refer to.
type badEnv struct {
	ctx      context.Context
	st       *Store // the bureau
	fresh    *Store // an installation not set up yet
	today    string
	o1, o2   Officer
	resident Resident
	policy   Policy
	training Training
	visit    Visit // its follow-up is open
	opinion  Opinion
	duties   []Duty
	station  string
	seq      int
}

func newBadEnv(t *testing.T) *badEnv {
	t.Helper()
	cheapPasswords(t)
	now := ledgerClock(t) // 2026-11-17, a Tuesday
	ctx := context.Background()
	e := &badEnv{ctx: ctx, st: openStore(t, ""), fresh: openStore(t, ""), today: now.Format(time.DateOnly), station: "430702101"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	st := e.st
	must(st.Setup(ctx, Identity{Role: RoleBureau, Name: "示例区人社局", Code: "430702"}, nil))
	must(st.EnsureKeys(ctx))
	_, err := st.AddStation(ctx, e.station, "桃花镇劳动保障站")
	must(err)
	e.o1, e.o2 = Officer{Name: "王秀英", Role: "站长"}, Officer{Name: "李建国", Role: "劳保专干"}
	must(st.AddOfficer(ctx, &e.o1))
	must(st.AddOfficer(ctx, &e.o2))
	e.resident = Resident{Name: "张桂兰", IDNumber: e.nextIDNumber()}
	must(st.AddResident(ctx, &e.resident, e.o1.ID))
	e.policy = Policy{Title: "关于做好资格认证工作的通知", Body: "正文"}
	must(st.AddPolicy(ctx, &e.policy))
	e.training = Training{Type: TrainingSpecial, Date: "2026-11-03", Topic: "政策培训"}
	must(st.SaveTraining(ctx, &e.training))
	e.visit = Visit{Date: "2026-11-10", ResidentID: e.resident.ID, OfficerIDs: []string{e.o1.ID}, Services: []string{"其他"},
		FollowupNeeded: true, FollowupDue: "2026-11-30"}
	must(st.AddVisit(ctx, &e.visit, nil, nil))
	e.opinion = Opinion{Date: e.today, Source: "窗口", Content: "希望延长窗口办公时间"}
	must(st.AddOpinion(ctx, &e.opinion, e.o1.ID))
	e.duties, err = st.GenerateRota(ctx, "2026-11-09", "2026-11-13", []string{e.o1.ID, e.o2.ID})
	must(err)
	return e
}

// nextIDNumber is a valid ID number not used yet.
func (e *badEnv) nextIDNumber() string {
	e.seq++
	return withCheck(fmt.Sprintf("43070219400312%03d", e.seq))
}

func (e *badEnv) lending() Lending {
	return Lending{HolderName: "张三", BorrowerUnit: "区委组织部", Borrower: "刘军", Purpose: "干部考察", ApprovedBy: "周敏",
		DateOut: e.today, DateDue: "2026-11-30"}
}

func (e *badEnv) liaison() LiaisonVisit {
	return LiaisonVisit{OfficerID: e.o1.ID, StationCode: e.station, Date: e.today, Discussed: "资格认证进度"}
}

func (e *badEnv) guide() ServiceGuide {
	return ServiceGuide{Matter: "失业保险金申领", Steps: []GuideStep{{"提交申请", "到窗口提交申领表"}}}
}

// catch runs call and turns a panic into an error.
func catch(call func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return call()
}

// refusedUnwritten runs call and checks that it is refused at field, with a
// message that has its English, and that nothing was written to st.
func refusedUnwritten(t *testing.T, en map[string]string, st *Store, name, field string, call func() error) {
	t.Helper()
	before := dbDump(t, st)
	err := catch(call)
	de, ok := err.(*Error)
	switch {
	case !ok || de.Kind != KindInvalid:
		t.Errorf("%s: %v, want invalid %s", name, err, field)
	case de.Field != field:
		t.Errorf("%s: refused at %q (%s), want %q", name, de.Field, de.Msg, field)
	case en[de.Msg] == "" && !strings.HasPrefix(de.Msg, "身份证号应为 18 位（现为 "):
		// (ParseIDCard, in validate.go, puts the length typed into that one.)
		t.Errorf("%s: message %q has no English", name, de.Msg)
	}
	if dbDump(t, st) != before {
		t.Errorf("%s: refused but the database changed", name)
	}
}

// textCase is one typed text field of a save path: call submits otherwise
// valid input with the field set to v.
type textCase struct {
	fn, field  string
	max        int
	multiline  bool   // \n and \t are kept
	required   bool   // empty is refused
	splits     bool   // white space separates the items of the list (categories)
	fresh      bool   // runs on the installation not set up yet
	table, col string // where a multi-line value is stored, to read it back
	call       func(e *badEnv, st *Store, v string) error
}

// editing makes a case's call: base is valid input, edit puts the value
// under test into it, save submits it.
func editing[T any](base func(*badEnv, *Store) (T, error), save func(*badEnv, *Store, *T) error) func(edit func(*T, string)) func(*badEnv, *Store, string) error {
	return func(edit func(*T, string)) func(*badEnv, *Store, string) error {
		return func(e *badEnv, st *Store, v string) error {
			x, err := base(e, st)
			if err != nil {
				return err
			}
			edit(&x, v)
			return save(e, st, &x)
		}
	}
}

// valid wraps a constructor of valid input for editing.
func valid[T any](f func(*badEnv) T) func(*badEnv, *Store) (T, error) {
	return func(e *badEnv, _ *Store) (T, error) { return f(e), nil }
}

// setupInput is what the first start of an installation submits.
type setupInput struct {
	id      Identity
	officer Officer
}

func textCases() []textCase {
	resident := editing(valid(func(e *badEnv) Resident { return Resident{Name: "李四", IDNumber: e.nextIDNumber()} }),
		func(e *badEnv, st *Store, r *Resident) error { return st.AddResident(e.ctx, r, e.o1.ID) })
	updateResident := editing(valid(func(e *badEnv) Resident { return e.resident }),
		func(e *badEnv, st *Store, r *Resident) error { return st.UpdateResident(e.ctx, r, e.o1.ID) })
	type visitInput struct {
		v  Visit
		op *Opinion
	}
	visit := editing(valid(func(e *badEnv) visitInput {
		return visitInput{v: Visit{Date: e.today, ResidentID: e.resident.ID, OfficerIDs: []string{e.o1.ID}, Services: []string{"其他"}}}
	}), func(e *badEnv, st *Store, in *visitInput) error { return st.AddVisit(e.ctx, &in.v, nil, in.op) })
	opinion := editing(valid(func(e *badEnv) Opinion { return Opinion{Date: e.today, Source: "窗口", Content: "意见"} }),
		func(e *badEnv, st *Store, o *Opinion) error { return st.AddOpinion(e.ctx, o, e.o1.ID) })
	policy := editing(valid(func(e *badEnv) Policy {
		return Policy{Title: "关于调整城乡居民基础养老金的通知", Body: "正文"}
	}),
		func(e *badEnv, st *Store, p *Policy) error { return st.AddPolicy(e.ctx, p) })
	updatePolicy := editing(func(e *badEnv, st *Store) (Policy, error) { return st.Policy(e.ctx, e.policy.ID) },
		func(e *badEnv, st *Store, p *Policy) error { return st.UpdatePolicy(e.ctx, p) })
	guide := editing(valid((*badEnv).guide), func(e *badEnv, st *Store, g *ServiceGuide) error { return st.SaveServiceGuide(e.ctx, g) })
	training := editing(valid(func(e *badEnv) Training {
		return Training{Type: TrainingSpecial, Date: "2026-11-04", Topic: "业务培训"}
	}),
		func(e *badEnv, st *Store, tr *Training) error { return st.SaveTraining(e.ctx, tr) })
	lending := editing(valid((*badEnv).lending), func(e *badEnv, st *Store, l *Lending) error { return st.SaveLending(e.ctx, l) })
	liaison := editing(valid((*badEnv).liaison), func(e *badEnv, st *Store, l *LiaisonVisit) error { return st.AddLiaisonVisit(e.ctx, l) })
	officer := editing(valid(func(e *badEnv) Officer { return Officer{Name: "赵六"} }),
		func(e *badEnv, st *Store, o *Officer) error { return st.AddOfficer(e.ctx, o) })
	firstStart := valid(func(e *badEnv) setupInput {
		return setupInput{Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, Officer{Name: "王秀英"}}
	})
	setup := editing(firstStart, func(e *badEnv, st *Store, in *setupInput) error { return st.Setup(e.ctx, in.id, []Officer{in.officer}) })
	setupAdmin := editing(firstStart, func(e *badEnv, st *Store, in *setupInput) error {
		return st.SetupWithAdmin(e.ctx, in.id, []Officer{in.officer}, "桃花镇2026年")
	})
	return []textCase{
		{fn: "AddResident", field: "name", max: 30, required: true, call: resident(func(r *Resident, v string) { r.Name = v })},
		{fn: "AddResident", field: "village", max: 60, call: resident(func(r *Resident, v string) { r.Village = v })},
		{fn: "AddResident", field: "address", max: 200, call: resident(func(r *Resident, v string) { r.Address = v })},
		{fn: "AddResident", field: "needs", max: 2000, multiline: true, table: "residents", col: "needs", call: resident(func(r *Resident, v string) { r.Needs = v })},
		{fn: "AddResident", field: "notes", max: 2000, multiline: true, table: "residents", col: "notes", call: resident(func(r *Resident, v string) { r.Notes = v })},
		{fn: "AddResident", field: "categories", max: 20, splits: true, call: resident(func(r *Resident, v string) { r.Categories = []string{"高龄", v} })},
		{fn: "UpdateResident", field: "name", max: 30, required: true, call: updateResident(func(r *Resident, v string) { r.Name = v })},
		{fn: "UpdateResident", field: "notes", max: 2000, multiline: true, table: "residents", col: "notes", call: updateResident(func(r *Resident, v string) { r.Notes = v })},

		{fn: "AddVisit", field: "outcome", max: 500, call: visit(func(in *visitInput, v string) { in.v.Outcome = v })},
		{fn: "AddVisit", field: "notes", max: 4000, multiline: true, table: "visits", col: "notes", call: visit(func(in *visitInput, v string) { in.v.Notes = v })},
		{fn: "AddVisit", field: "services", max: 60, required: true, call: visit(func(in *visitInput, v string) { in.v.Services = []string{v} })},
		{fn: "AddVisit", field: "officer_ids", max: 60, required: true, call: visit(func(in *visitInput, v string) { in.v.OfficerIDs = []string{v} })},
		{fn: "AddVisit", field: "content", max: 4000, multiline: true, required: true, table: "opinions", col: "content",
			call: visit(func(in *visitInput, v string) { in.op = &Opinion{Content: v} })},
		{fn: "CloseFollowup", field: "followup_result", max: 2000, multiline: true, table: "visits", col: "followup_result",
			call: func(e *badEnv, st *Store, v string) error {
				return st.CloseFollowup(e.ctx, e.visit.ID, e.o1.ID, e.today, v)
			}},
		{fn: "SetVisitServices", field: "services", max: 60, required: true, call: func(e *badEnv, st *Store, v string) error { return st.SetVisitServices(e.ctx, []string{v}) }},
		{fn: "SetVisitIntervals", field: "interval", max: 20, call: func(e *badEnv, st *Store, v string) error {
			return st.SetVisitIntervals(e.ctx, map[string]int{"高龄": 90, v: 30})
		}},

		{fn: "AddOpinion", field: "content", max: 4000, multiline: true, required: true, table: "opinions", col: "content", call: opinion(func(o *Opinion, v string) { o.Content = v })},
		{fn: "AddOpinion", field: "category", max: 20, call: opinion(func(o *Opinion, v string) { o.Category = v })},
		{fn: "AdvanceOpinion", field: "status_by", max: 60, required: true,
			call: func(e *badEnv, st *Store, v string) error {
				return st.AdvanceOpinion(e.ctx, e.opinion.ID, "已上报", "", v)
			}},
		{fn: "AdvanceOpinion", field: "reply", max: 4000, multiline: true, required: true, table: "opinions", col: "reply",
			call: func(e *badEnv, st *Store, v string) error {
				return st.AdvanceOpinion(e.ctx, e.opinion.ID, "已答复", v, e.o1.ID)
			}},

		{fn: "AddPolicy", field: "title", max: 200, required: true, call: policy(func(p *Policy, v string) { p.Title = v })},
		{fn: "AddPolicy", field: "doc_no", max: 60, call: policy(func(p *Policy, v string) { p.DocNo = v })},
		{fn: "AddPolicy", field: "issuer", max: 100, call: policy(func(p *Policy, v string) { p.Issuer = v })},
		{fn: "AddPolicy", field: "summary", max: 2000, multiline: true, table: "policies", col: "summary", call: policy(func(p *Policy, v string) { p.Summary = v })},
		{fn: "AddPolicy", field: "body", max: 200000, multiline: true, table: "policies", col: "body", call: policy(func(p *Policy, v string) { p.Body = v })},
		{fn: "AddPolicy", field: "tags", max: 20, call: policy(func(p *Policy, v string) { p.Tags = []string{"养老", v} })},
		{fn: "UpdatePolicy", field: "title", max: 200, required: true, call: updatePolicy(func(p *Policy, v string) { p.Title = v })},
		{fn: "UpdatePolicy", field: "body", max: 200000, multiline: true, table: "policies", col: "body", call: updatePolicy(func(p *Policy, v string) { p.Body = v })},
		{fn: "SetPolicyNotes", field: "local_notes", max: 20000, multiline: true, table: "policy_notes", col: "notes",
			call: func(e *badEnv, st *Store, v string) error { return st.SetPolicyNotes(e.ctx, e.policy.ID, v) }},

		{fn: "SaveServiceGuide", field: "matter", max: 60, required: true, call: guide(func(g *ServiceGuide, v string) { g.Matter = v })},
		{fn: "SaveServiceGuide", field: "steps", max: 30, required: true, call: guide(func(g *ServiceGuide, v string) { g.Steps[0].Name = v })},
		{fn: "SaveServiceGuide", field: "steps", max: 500, multiline: true, call: guide(func(g *ServiceGuide, v string) { g.Steps[0].Detail = v })},
		{fn: "SaveServiceGuide", field: "materials", max: 200, call: guide(func(g *ServiceGuide, v string) { g.Materials = []string{v} })},
		{fn: "SaveServiceGuide", field: "location", max: 100, call: guide(func(g *ServiceGuide, v string) { g.Location = v })},
		{fn: "SaveServiceGuide", field: "time_limit", max: 60, call: guide(func(g *ServiceGuide, v string) { g.TimeLimit = v })},
		{fn: "SaveServiceGuide", field: "officer", max: 30, call: guide(func(g *ServiceGuide, v string) { g.Officer = v })},

		{fn: "SaveTraining", field: "topic", max: 100, required: true, call: training(func(tr *Training, v string) { tr.Topic = v })},
		{fn: "SaveTraining", field: "speaker", max: 30, call: training(func(tr *Training, v string) { tr.Speaker = v })},
		{fn: "SaveTraining", field: "place", max: 60, call: training(func(tr *Training, v string) { tr.Place = v })},
		{fn: "SaveTraining", field: "notes", max: 2000, multiline: true, table: "trainings", col: "notes", call: training(func(tr *Training, v string) { tr.Notes = v })},
		{fn: "MoveStudyDay", field: "move_reason", max: 60, required: true, call: func(e *badEnv, st *Store, v string) error {
			reg := ThirdFriday(2026, time.December, time.Local)
			_, err := st.MoveStudyDay(e.ctx, reg, reg.AddDate(0, 0, -1), v)
			return err
		}},
		{fn: "AddMaterial", field: "name", max: 120, required: true, call: func(e *badEnv, st *Store, v string) error {
			_, err := st.AddMaterial(e.ctx, e.training.ID, v, []byte("课件"))
			return err
		}},
		{fn: "SaveAttendance", field: "reason", max: 60, table: "attendance", col: "reason", call: func(e *badEnv, st *Store, v string) error {
			return st.SaveAttendance(e.ctx, e.training.ID, []AttendanceEntry{{OfficerID: e.o1.ID, Status: Present}, {OfficerID: e.o2.ID, Status: Leave, Reason: v}})
		}},

		{fn: "SaveLending", field: "holder_name", max: 30, required: true, call: lending(func(l *Lending, v string) { l.HolderName = v })},
		{fn: "SaveLending", field: "borrower_unit", max: 60, required: true, call: lending(func(l *Lending, v string) { l.BorrowerUnit = v })},
		{fn: "SaveLending", field: "borrower", max: 30, required: true, call: lending(func(l *Lending, v string) { l.Borrower = v })},
		{fn: "SaveLending", field: "purpose", max: 200, required: true, call: lending(func(l *Lending, v string) { l.Purpose = v })},
		{fn: "SaveLending", field: "approved_by", max: 30, required: true, call: lending(func(l *Lending, v string) { l.ApprovedBy = v })},
		{fn: "SaveLending", field: "notes", max: 500, multiline: true, table: "archive_lendings", col: "notes", call: lending(func(l *Lending, v string) { l.Notes = v })},
		{fn: "ReviewWeek", field: "reviewer", max: 30, required: true, call: func(e *badEnv, st *Store, v string) error {
			_, err := st.ReviewWeek(e.ctx, clock(), v, "")
			return err
		}},
		{fn: "ReviewWeek", field: "remarks", max: 500, multiline: true, table: "lending_reviews", col: "remarks", call: func(e *badEnv, st *Store, v string) error {
			_, err := st.ReviewWeek(e.ctx, clock(), "周敏", v)
			return err
		}},

		{fn: "AddLiaisonVisit", field: "discussed", max: 2000, multiline: true, required: true, table: "liaison_visits", col: "discussed",
			call: liaison(func(l *LiaisonVisit, v string) { l.Discussed = v })},
		{fn: "AddLiaisonVisit", field: "problems", max: 2000, multiline: true, table: "liaison_visits", col: "problems", call: liaison(func(l *LiaisonVisit, v string) { l.Problems = v })},
		{fn: "AddLiaisonVisit", field: "help", max: 2000, multiline: true, table: "liaison_visits", col: "help", call: liaison(func(l *LiaisonVisit, v string) { l.Help = v })},
		{fn: "AddLiaisonVisit", field: "followup", max: 2000, multiline: true, table: "liaison_visits", col: "followup", call: liaison(func(l *LiaisonVisit, v string) { l.Followup = v })},

		{fn: "SaveDutyNotes", field: "notes", max: 200, call: func(e *badEnv, st *Store, v string) error { return st.SaveDutyNotes(e.ctx, e.duties[0].ID, v) }},
		{fn: "SwapDuties", field: "reason", max: 200, required: true, call: func(e *badEnv, st *Store, v string) error {
			return st.SwapDuties(e.ctx, e.duties[0].ID, e.duties[1].ID, v, "王秀英")
		}},
		{fn: "SwapDuties", field: "recorded_by", max: 30, call: func(e *badEnv, st *Store, v string) error {
			return st.SwapDuties(e.ctx, e.duties[0].ID, e.duties[1].ID, "出差", v)
		}},
		{fn: "ReassignDuty", field: "reason", max: 200, required: true, call: func(e *badEnv, st *Store, v string) error {
			return st.ReassignDuty(e.ctx, e.duties[0].ID, e.o2.ID, v, "王秀英")
		}},
		{fn: "AddHallOpinion", field: "content", max: 4000, multiline: true, required: true, table: "opinions", col: "content", call: func(e *badEnv, st *Store, v string) error {
			_, err := st.AddHallOpinion(e.ctx, e.duties[0].ID, "", v)
			return err
		}},
		{fn: "AddHallOpinion", field: "category", max: 20, call: func(e *badEnv, st *Store, v string) error {
			_, err := st.AddHallOpinion(e.ctx, e.duties[0].ID, v, "大厅空调坏了")
			return err
		}},

		{fn: "AddOfficer", field: "name", max: 30, required: true, call: officer(func(o *Officer, v string) { o.Name = v })},
		{fn: "AddOfficer", field: "role", max: 30, call: officer(func(o *Officer, v string) { o.Role = v })},
		{fn: "AddOfficer", field: "duties", max: 4000, multiline: true, table: "officers", col: "duties", call: officer(func(o *Officer, v string) { o.Duties = v })},
		{fn: "UpdateOfficer", field: "name", max: 30, required: true, call: func(e *badEnv, st *Store, v string) error {
			o := e.o2
			o.Name = v
			return st.UpdateOfficer(e.ctx, &o)
		}},

		{fn: "Setup", field: "name", max: 60, required: true, fresh: true, call: setup(func(in *setupInput, v string) { in.id.Name = v })},
		{fn: "Setup", field: "name", max: 30, required: true, fresh: true, call: setup(func(in *setupInput, v string) { in.officer.Name = v })},
		{fn: "SetupWithAdmin", field: "name", max: 60, required: true, fresh: true, call: setupAdmin(func(in *setupInput, v string) { in.id.Name = v })},
		{fn: "SetupWithAdmin", field: "name", max: 30, required: true, fresh: true, call: setupAdmin(func(in *setupInput, v string) { in.officer.Name = v })},
		{fn: "AddStation", field: "name", max: 60, required: true, call: func(e *badEnv, st *Store, v string) error {
			_, err := st.AddStation(e.ctx, "430702199", v)
			return err
		}},
		{fn: "SettleConflict", field: "settled_by", max: 60, call: func(e *badEnv, st *Store, v string) error { return st.SettleConflict(e.ctx, 1, false, v) }},
	}
}

// pasted are characters that come in with copy and paste from web pages,
// terminals and chat programs.
var pasted = []string{"张\x00三", "a\x1b[31m", "\u202e", "x\u2066y\u2069", "a\u2028b", "王\u0085五", "\xff\xfe"}

func TestBadTextRefusedOnEverySavePath(t *testing.T) {
	e := newBadEnv(t)
	en := englishTexts(t)
	fns, refusals, kept := map[string]bool{}, 0, 0
	defer func() {
		t.Logf("%d save paths, %d refusals checked, %d valid values read back", len(fns), refusals, kept)
	}()
	for _, c := range textCases() {
		fns[c.fn] = true
		st := e.st
		if c.fresh {
			st = e.fresh
		}
		name := c.fn + "." + c.field
		var bad []string
		for _, p := range pasted {
			if c.splits && strings.ContainsAny(p, "\u2028\u0085") {
				continue // white space separates categories
			}
			bad = append(bad, p)
		}
		bad = append(bad, strings.Repeat("政", c.max+1))
		if c.required {
			bad = append(bad, "", " \t\u3000 ")
		}
		if !c.multiline && !c.splits {
			bad = append(bad, "第一行\n第二行", "张\t三")
		}
		refusals += len(bad)
		for _, v := range bad {
			refusedUnwritten(t, en, st, fmt.Sprintf("%s %q", name, short(v)), c.field, func() error { return c.call(e, st, v) })
		}
		if c.table == "" {
			continue
		}
		// What is stored is trimmed; a multi-line field keeps its inner line
		// breaks and tabs, with \r\n as \n.
		in, want := " 第一行\u3000", "第一行"
		if c.multiline {
			in, want = "  第一行\r\n第二行\t末尾\r\n  ", "第一行\n第二行\t末尾"
		}
		if err := c.call(e, st, in); err != nil {
			t.Errorf("%s: valid %q refused: %v", name, in, err)
		} else if n := count(t, st, "SELECT count(*) FROM "+c.table+" WHERE "+c.col+" = ?", want); n == 0 {
			t.Errorf("%s: %q not stored as %q", name, in, want)
		} else {
			kept++
		}
	}
}

// TestBadValuesRefusedOnEverySavePath: wrong types where a string carries a
// number, a date or a choice, and dates out of range.
func TestBadValuesRefusedOnEverySavePath(t *testing.T) {
	e := newBadEnv(t)
	en := englishTexts(t)
	ctx := e.ctx
	idn := e.nextIDNumber()
	addResident := func(edit func(*Resident)) func() error {
		return func() error {
			r := Resident{Name: "李四", IDNumber: idn}
			edit(&r)
			return e.st.AddResident(ctx, &r, e.o1.ID)
		}
	}
	addVisit := func(edit func(*Visit)) func() error {
		return func() error {
			v := Visit{Date: e.today, ResidentID: e.resident.ID, OfficerIDs: []string{e.o1.ID}, Services: []string{"其他"}}
			edit(&v)
			return e.st.AddVisit(ctx, &v, nil, nil)
		}
	}
	addOpinion := func(edit func(*Opinion)) func() error {
		return func() error {
			o := Opinion{Date: e.today, Source: "窗口", Content: "意见"}
			edit(&o)
			return e.st.AddOpinion(ctx, &o, e.o1.ID)
		}
	}
	addPolicy := func(edit func(*Policy)) func() error {
		return func() error {
			p := Policy{Title: "关于调整城乡居民基础养老金的通知", Body: "正文"}
			edit(&p)
			return e.st.AddPolicy(ctx, &p)
		}
	}
	saveTraining := func(edit func(*Training)) func() error {
		return func() error {
			tr := Training{Type: TrainingSpecial, Date: "2026-11-04", Topic: "业务培训"}
			edit(&tr)
			return e.st.SaveTraining(ctx, &tr)
		}
	}
	saveLending := func(edit func(*Lending)) func() error {
		return func() error {
			l := e.lending()
			edit(&l)
			return e.st.SaveLending(ctx, &l)
		}
	}
	handout := func(edit func(*CardHandout)) func() error {
		return func() error {
			h := CardHandout{PolicyID: e.policy.ID, Count: 20, HandedOn: e.today, Place: "窗口"}
			edit(&h)
			return e.st.RecordHandout(ctx, &h)
		}
	}
	born1890 := withCheck("43070218900312001")
	n := 0
	for _, c := range []struct {
		name, field string
		st          *Store
		call        func() error
	}{
		{"resident ID number letters", "id_number", nil, addResident(func(r *Resident) { r.IDNumber = "ABCDEFGHIJKLMNOPQR" })},
		{"resident ID number from Excel", "id_number", nil, addResident(func(r *Resident) { r.IDNumber = "4.30702E+17" })},
		{"resident ID number pasted with a control", "id_number", nil, addResident(func(r *Resident) { r.IDNumber = idn[:9] + "\x00" + idn[9:] })},
		{"resident born 1890", "id_number", nil, addResident(func(r *Resident) { r.IDNumber = born1890 })},
		{"resident phone letters", "phone", nil, addResident(func(r *Resident) { r.Phone = "一三八" })},
		{"resident phone too short", "phone", nil, addResident(func(r *Resident) { r.Phone = "1381234" })},
		{"resident phone bidi", "phone", nil, addResident(func(r *Resident) { r.Phone = "13812345678\u202e" })},
		{"resident birth date not a date", "birth_date", nil, addResident(func(r *Resident) { r.BirthDate = "明天" })},
		{"resident gender", "gender", nil, addResident(func(r *Resident) { r.Gender = "1" })},
		{"visit date not a date", "date", nil, addVisit(func(v *Visit) { v.Date = "11/17" })},
		{"visit date as a number", "date", nil, addVisit(func(v *Visit) { v.Date = "46343" })},
		{"visit date before 2000", "date", nil, addVisit(func(v *Visit) { v.Date = "1999-12-31" })},
		{"visit date tomorrow", "date", nil, addVisit(func(v *Visit) { v.Date = "2026-11-18" })},
		{"visit date empty", "date", nil, addVisit(func(v *Visit) { v.Date = " " })},
		{"follow-up before the visit", "followup_due", nil, addVisit(func(v *Visit) { v.FollowupNeeded, v.FollowupDue = true, "2026-11-16" })},
		{"follow-up in 2099", "followup_due", nil, addVisit(func(v *Visit) { v.FollowupNeeded, v.FollowupDue = true, "2099-01-01" })},
		{"follow-up missing", "followup_due", nil, addVisit(func(v *Visit) { v.FollowupNeeded = true })},
		{"visit cards zero", "cards", nil, func() error {
			v := Visit{Date: e.today, ResidentID: e.resident.ID, OfficerIDs: []string{e.o1.ID}, Services: []string{"其他"}}
			return e.st.AddVisit(ctx, &v, []VisitCard{{PolicyID: e.policy.ID, Count: 0}}, nil)
		}},
		{"follow-up closed on a bad day", "followup_done_at", nil, func() error { return e.st.CloseFollowup(ctx, e.visit.ID, e.o1.ID, "2026-13-01", "已办") }},
		{"follow-up closed before 2000", "followup_done_at", nil, func() error { return e.st.CloseFollowup(ctx, e.visit.ID, e.o1.ID, "1990-01-01", "已办") }},
		{"follow-up closed before the visit", "followup_done_at", nil, func() error { return e.st.CloseFollowup(ctx, e.visit.ID, e.o1.ID, "2026-11-09", "已办") }},
		{"visit interval too long", "interval", nil, func() error { return e.st.SetVisitIntervals(ctx, map[string]int{"高龄": 5000}) }},
		{"opinion date 30 February", "date", nil, addOpinion(func(o *Opinion) { o.Date = "2026-02-30" })},
		{"opinion date 1980", "date", nil, addOpinion(func(o *Opinion) { o.Date = "1980-01-01" })},
		{"opinion source", "source", nil, addOpinion(func(o *Opinion) { o.Source = "微信" })},
		{"opinion status unknown", "status", nil, func() error { return e.st.AdvanceOpinion(ctx, e.opinion.ID, "完成", "", e.o1.ID) }},
		{"policy effective not a date", "effective", nil, addPolicy(func(p *Policy) { p.Effective = "九月一日" })},
		{"policy expires before effective", "expires", nil, addPolicy(func(p *Policy) { p.Effective, p.Expires = "2014-09-01", "2014-01-01" })},
		{"policy category", "category", nil, addPolicy(func(p *Policy) { p.Category = "杂项" })},
		{"policy status", "status", nil, addPolicy(func(p *Policy) { p.Status = "有效" })},
		{"guide phone", "phone", nil, func() error { g := e.guide(); g.Phone = "电话"; return e.st.SaveServiceGuide(ctx, &g) }},
		{"guide 13 steps", "steps", nil, func() error {
			g := e.guide()
			for len(g.Steps) < 13 {
				g.Steps = append(g.Steps, GuideStep{Name: "步骤"})
			}
			return e.st.SaveServiceGuide(ctx, &g)
		}},
		{"training date not a date", "date", nil, saveTraining(func(tr *Training) { tr.Date = "下周三" })},
		{"training date 1990", "date", nil, saveTraining(func(tr *Training) { tr.Date = "1990-11-04" })},
		{"training date 2040", "date", nil, saveTraining(func(tr *Training) { tr.Date = "2040-11-04" })},
		{"training start 25:00", "start", nil, saveTraining(func(tr *Training) { tr.Start = "25:00" })},
		{"training start as a number", "start", nil, saveTraining(func(tr *Training) { tr.Start = "0.6041666" })},
		{"training end before start", "end", nil, saveTraining(func(tr *Training) { tr.Start, tr.End = "15:00", "14:00" })},
		{"training type", "type", nil, saveTraining(func(tr *Training) { tr.Type = "讲座" })},
		{"study day moved from a bad day", "moved_from", nil, saveTraining(func(tr *Training) {
			tr.Type, tr.Date, tr.MovedFrom, tr.MoveReason = TrainingStudyDay, "2026-12-17", "2026-12-32", "节假日"
		})},
		{"attendance status", "status", nil, func() error {
			return e.st.SaveAttendance(ctx, e.training.ID, []AttendanceEntry{{OfficerID: e.o1.ID, Status: "出席"}})
		}},
		{"study time", "time", nil, func() error { return e.st.SetStudyTime(ctx, "14点半") }},
		{"lending out not a date", "date_out", nil, saveLending(func(l *Lending) { l.DateOut = "昨天" })},
		{"lending out 1999", "date_out", nil, saveLending(func(l *Lending) { l.DateOut = "1999-11-17" })},
		{"lending due 2099", "date_due", nil, saveLending(func(l *Lending) { l.DateDue = "2099-11-17" })},
		{"lending due before out", "date_due", nil, saveLending(func(l *Lending) { l.DateDue = "2026-11-01" })},
		{"lending returned tomorrow", "date_returned", nil, saveLending(func(l *Lending) { l.DateReturned = "2026-11-18" })},
		{"liaison date 1999", "date", nil, func() error { l := e.liaison(); l.Date = "1999-01-01"; return e.st.AddLiaisonVisit(ctx, &l) }},
		{"liaison date not a date", "date", nil, func() error { l := e.liaison(); l.Date = "2026-11-1x"; return e.st.AddLiaisonVisit(ctx, &l) }},
		{"rota from not a date", "from", nil, func() error {
			_, err := e.st.GenerateRota(ctx, "下周一", "2026-12-31", []string{e.o1.ID})
			return err
		}},
		{"rota to 2099", "to", nil, func() error {
			_, err := e.st.GenerateRota(ctx, "2026-12-01", "2099-12-31", []string{e.o1.ID})
			return err
		}},
		{"officer phone", "phone", nil, func() error { o := Officer{Name: "赵六", Phone: "12345"}; return e.st.AddOfficer(ctx, &o) }},
		{"handout count zero", "count", nil, handout(func(h *CardHandout) { h.Count = 0 })},
		{"handout count huge", "count", nil, handout(func(h *CardHandout) { h.Count = 1 << 40 })},
		{"handout date not a date", "handed_on", nil, handout(func(h *CardHandout) { h.HandedOn = "上周" })},
		{"handout date 1999", "handed_on", nil, handout(func(h *CardHandout) { h.HandedOn = "1999-11-17" })},
		{"handout date tomorrow", "handed_on", nil, handout(func(h *CardHandout) { h.HandedOn = "2026-11-18" })},
		{"handout place", "place", nil, handout(func(h *CardHandout) { h.Place = "窗口\x00" })},
		{"setup code letters", "code", e.fresh, func() error {
			return e.fresh.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "43O7O21O1"}, nil)
		}},
		{"setup code too short", "code", e.fresh, func() error {
			return e.fresh.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "4307"}, nil)
		}},
		{"setup division code", "division_code", e.fresh, func() error {
			return e.fresh.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101", DivisionCode: "湖南"}, nil)
		}},
		{"setup role", "role", e.fresh, func() error {
			return e.fresh.Setup(ctx, Identity{Role: "town", Name: "桃花镇", Code: "430702101"}, nil)
		}},
		{"setup officer phone", "phone", e.fresh, func() error {
			return e.fresh.Setup(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, []Officer{{Name: "王秀英", Phone: "电话"}})
		}},
		{"setup admin without roster", "roster", e.fresh, func() error {
			return e.fresh.SetupWithAdmin(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, nil, "桃花镇2026年")
		}},
		{"setup admin password with a control", "password", e.fresh, func() error {
			return e.fresh.SetupWithAdmin(ctx, Identity{Role: RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, []Officer{{Name: "王秀英"}}, "桃花镇\x002026年")
		}},
		{"station code letters", "code", nil, func() error { _, err := e.st.AddStation(ctx, "code\u202e", "柳树镇劳动保障站"); return err }},
	} {
		st := c.st
		if st == nil {
			st = e.st
		}
		refusedUnwritten(t, en, st, c.name, c.field, c.call)
		n++
	}
	t.Logf("%d wrong values refused", n)
	// No refusal repeats the ID number or phone typed.
	for _, raw := range []string{born1890, "1381234"} {
		r := Resident{Name: "李四", IDNumber: raw, Phone: raw}
		if err := e.st.AddResident(ctx, &r, e.o1.ID); err == nil || strings.Contains(err.Error(), raw) {
			t.Errorf("error %v for %s", err, MaskIDNumber(raw))
		}
	}
}

// short shortens a test value for the test's name.
func short(s string) string {
	if r := []rune(s); len(r) > 12 {
		return fmt.Sprintf("%s…(%d)", string(r[:6]), len(r))
	}
	return s
}

// TestDemoDataPassesTheChecks: every record the demo writes (straight into
// the tables) would be accepted by its save path's checks.
func TestDemoDataPassesTheChecks(t *testing.T) {
	until := time.Date(2026, 11, 17, 10, 0, 0, 0, time.Local)
	old := clock
	clock = func() time.Time { return until }
	t.Cleanup(func() { clock = old })
	ctx := context.Background()
	st := openStore(t, "")
	opt := DefaultDemo(until)
	if _, err := runDemo(ctx, st, opt); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("demo %s refused: %v", what, err)
		}
	}
	id, _, err := st.Identity(ctx)
	check("identity", err)
	check("identity", id.Validate())
	residents := ids(t, st, "SELECT id FROM residents WHERE deleted = 0")
	for _, rid := range residents {
		r, err := residentFull(ctx, st.Read(), rid)
		check("resident", err)
		check("resident "+r.Name, r.Validate(until))
	}
	visits, err := st.Visits(ctx, VisitFilter{Limit: 500})
	check("visits", err)
	for _, v := range visits {
		check("visit "+v.Date, v.Visit.Validate())
	}
	ops, err := st.Opinions(ctx, OpinionFilter{Limit: 500})
	check("opinions", err)
	for _, o := range ops {
		check("opinion "+o.Date, o.Validate())
	}
	for _, p := range allPolicies(t, st) {
		check("policy "+p.Title, p.Validate())
	}
	guides, err := st.ServiceGuides(ctx)
	check("guides", err)
	for _, g := range guides {
		check("guide "+g.Matter, g.Validate())
	}
	trainings, err := st.Trainings(ctx, "", "")
	check("trainings", err)
	for _, tr := range trainings {
		check("training "+tr.Date, tr.Training.validate(tr.Type != TrainingStudyDay || tr.Topic != ""))
	}
	officers, err := st.Officers(ctx, false)
	check("officers", err)
	for _, o := range officers {
		check("officer "+o.Name, o.Validate())
	}
	if len(residents) != opt.Residents || len(visits) == 0 || len(ops) == 0 || len(guides) == 0 || len(trainings) == 0 || len(officers) == 0 {
		t.Fatalf("demo wrote %d residents, %d visits, %d opinions, %d guides, %d trainings, %d officers",
			len(residents), len(visits), len(ops), len(guides), len(trainings), len(officers))
	}
}
