package data

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// 政策找人: who may qualify for which policy, and who has not been told.
//
// Nothing here is stored: every list is worked out when asked, from the
// policies' criteria, the residents and their visits, so a changed
// criterion, a new category, a birthday or a new policy shows at once and
// there is no rebuild step. A person counts as told of a policy when a card
// of it was handed out on a visit to them (card_handouts.visit_id) or a
// visit to them explained it (visits.policies_explained, 政策宣传).

// ServicePolicyTalk is the catalogue service that explaining policies on a
// visit records.
const ServicePolicyTalk = "政策宣传"

// maxExplained bounds the policies one visit explains.
const maxExplained = 50

// checkExplained checks a visit's explained policies; explaining is the
// service 政策宣传, which the visit then lists.
func checkExplained(v *Visit) error {
	var err error
	if v.PoliciesExplained, err = checkList("policies_explained", v.PoliciesExplained, maxShort); err != nil {
		return err
	}
	if len(v.PoliciesExplained) > maxExplained {
		return Invalid("policies_explained", "一次上门讲解的政策不能超过 50 项")
	}
	if len(v.PoliciesExplained) > 0 && !slices.Contains(v.Services, ServicePolicyTalk) {
		v.Services = append(v.Services, ServicePolicyTalk)
	}
	return nil
}

func checkExplainedExist(ctx context.Context, tx *sql.Tx, ids []string) error {
	for _, id := range ids {
		if _, err := findPolicy(ctx, tx, id); err != nil {
			if ErrorKind(err) == KindNotFound {
				return Invalid("policies_explained", "讲解的政策不在政策库中")
			}
			return err
		}
	}
	return nil
}

// PolicyBrief names a policy in a list of policies to explain.
type PolicyBrief struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	DocNo    string `json:"doc_no"`
	Category string `json:"category"`
	Criteria string `json:"criteria"` // the criteria's sentence

	source, origin string // a station's local policy serves that station's residents only
}

// serves says whether the policy is for residents of the station origin: the
// bureau's policies are for all, a station's local ones for its own.
func (b PolicyBrief) serves(origin string) bool { return b.source != SourceLocal || b.origin == origin }

// servingOnly keeps the policies that serve origin.
func servingOnly(list []PolicyBrief, origin string) []PolicyBrief {
	return slices.DeleteFunc(list, func(b PolicyBrief) bool { return !b.serves(origin) })
}

// reachPolicy is a policy with criteria, in force.
type reachPolicy struct {
	id string
	c  *Criteria
}

// reach is one evaluation: the people and policies it looks at, and what it
// read about their visits.
type reach struct {
	ctx       context.Context
	q         querier
	today     int
	todayText string
	people    []reachPerson
	policies  []reachPolicy
	last      map[string]map[string]string // service → resident → latest date within the widest window
	told      map[string]map[string]bool   // resident → policy → told
	cats      map[string][]string          // categories by their stored text
}

func newReach(ctx context.Context, q querier, today time.Time) *reach {
	t := today.Format(time.DateOnly)
	return &reach{ctx: ctx, q: q, today: dateNumber(t), todayText: t, last: map[string]map[string]string{}, told: map[string]map[string]bool{}, cats: map[string][]string{}}
}

// loadPeople reads the residents matching where (on residents r).
func (r *reach) loadPeople(where string, args ...any) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT r.id, r.name, r.village, r.address, r.origin, r.gender, r.birth_date, r.categories
		FROM residents r WHERE r.deleted = 0`+where, args...)
	if err != nil {
		return fmt.Errorf("data: reach residents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p reachPerson
		var birth, cats string
		if err := rows.Scan(&p.ID, &p.Name, &p.Village, &p.Address, &p.Origin, &p.Gender, &birth, &cats); err != nil {
			return fmt.Errorf("data: reach residents: %w", err)
		}
		p.birth = dateNumber(birth)
		p.cats = r.categories(cats)
		r.people = append(r.people, p)
	}
	return rows.Err()
}

// reachPeople keeps every resident as the criteria see them, with the
// reach_stamp they were read at: a policy's reach reads 20,000 residents,
// which costs more than checking them.
type reachPeople struct {
	mu     sync.Mutex
	stamp  int64
	people []reachPerson // shared: never changed once stored
}

// loadAllPeople puts the residents of a village ("" = all) in r.people,
// from the store's copy while no resident changed.
func (r *reach) loadAllPeople(s *Store, village string) error {
	var stamp int64
	if err := r.q.QueryRowContext(r.ctx, "SELECT n FROM reach_stamp").Scan(&stamp); err != nil {
		return fmt.Errorf("data: reach stamp: %w", err)
	}
	s.reach.mu.Lock()
	all, ok := s.reach.people, s.reach.stamp == stamp && s.reach.people != nil
	s.reach.mu.Unlock()
	if !ok {
		if err := r.loadPeople(""); err != nil {
			return err
		}
		all = r.people
		s.reach.mu.Lock()
		s.reach.people, s.reach.stamp = all, stamp
		s.reach.mu.Unlock()
	}
	r.people = all
	if village != "" {
		r.people = nil
		for _, p := range all {
			if p.Village == village {
				r.people = append(r.people, p)
			}
		}
	}
	return nil
}

// loadPolicies reads the policies in force that carry criteria, where (on
// policies p) narrows them.
func (r *reach) loadPolicies(where string, args ...any) error {
	rows, err := r.q.QueryContext(r.ctx, `SELECT p.id, p.criteria FROM policies p
		WHERE p.criteria != '' AND +p.deleted = 0 AND p.status = ? AND (p.expires = '' OR p.expires >= ?)`+where,
		append([]any{PolicyCurrent, r.todayText}, args...)...)
	if err != nil {
		return fmt.Errorf("data: reach policies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return fmt.Errorf("data: reach policies: %w", err)
		}
		if c := parsedCriteria(raw); c.ok && !c.IsZero() {
			r.policies = append(r.policies, reachPolicy{id, &c.Criteria})
		}
	}
	return rows.Err()
}

// loadVisits reads what the criteria need of visits (the latest date of
// each service they name, within the widest window) and who was told of
// what. resident and policy, when not "", narrow the reading.
func (r *reach) loadVisits(resident, policy string) error {
	windows := map[string]int{}
	for _, p := range r.policies {
		if p.c.NoVisit != "" {
			windows[p.c.NoVisit] = max(windows[p.c.NoVisit], p.c.NoVisitDays)
		}
	}
	for service, days := range windows {
		q := `SELECT resident_id, last_date FROM resident_service_last WHERE service = ? AND last_date > ?`
		args := []any{service, daysBefore(r.todayText, days)}
		if resident != "" {
			q += " AND resident_id = ?"
			args = append(args, resident)
		}
		m := map[string]string{}
		if err := r.scanPairs(q, args, func(a, b string) { m[a] = b }); err != nil {
			return err
		}
		r.last[service] = m
	}
	add := func(res, pol string) {
		t := r.told[res]
		if t == nil {
			t = map[string]bool{}
			r.told[res] = t
		}
		t[pol] = true
	}
	cards := `SELECT v.resident_id, h.policy_id FROM card_handouts h JOIN visits v ON v.id = h.visit_id
		WHERE h.visit_id != '' AND h.deleted = 0 AND v.deleted = 0`
	talks := `SELECT v.resident_id, j.value FROM visits v, json_each(v.policies_explained) j
		WHERE v.policies_explained != '[]' AND +v.deleted = 0` // "+": through visits_explained, not visits_date
	var cargs, targs []any
	if resident != "" {
		cards += " AND v.resident_id = ?"
		talks += " AND v.resident_id = ?"
		cargs, targs = append(cargs, resident), append(targs, resident)
	}
	if policy != "" {
		cards += " AND h.policy_id = ?"
		talks += " AND j.value = ?"
		cargs, targs = append(cargs, policy), append(targs, policy)
	}
	if err := r.scanPairs(cards, cargs, add); err != nil {
		return err
	}
	return r.scanPairs(talks, targs, add)
}

func (r *reach) scanPairs(q string, args []any, fn func(a, b string)) error {
	rows, err := r.q.QueryContext(r.ctx, q, args...)
	if err != nil {
		return fmt.Errorf("data: reach visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return fmt.Errorf("data: reach visits: %w", err)
		}
		fn(a, b)
	}
	return rows.Err()
}

// categories decodes a resident's categories; most residents share a few
// combinations, decoded once each.
func (r *reach) categories(raw string) []string {
	if c, ok := r.cats[raw]; ok {
		return c
	}
	var c []string
	if raw != "[]" && raw != "" {
		_ = json.Unmarshal([]byte(raw), &c)
	}
	r.cats[raw] = c
	return c
}

func (r *reach) lastVisit(resident, service string) string { return r.last[service][resident] }

// eligible says whether person i may qualify for policy j.
func (r *reach) eligible(i, j int) bool {
	return r.policies[j].c.match(&r.people[i], r.today, r.todayText, r.lastVisit)
}

func (r *reach) isTold(resident, policy string) bool { return r.told[resident][policy] }

// briefs reads the names of policies, by category and title.
func briefs(ctx context.Context, q querier, ids []string) ([]PolicyBrief, error) {
	out := make([]PolicyBrief, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT id, title, doc_no, category, criteria, source, origin FROM policies WHERE id IN (SELECT value FROM json_each(?))", mustJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("data: read policies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b PolicyBrief
		var raw string
		if err := rows.Scan(&b.ID, &b.Title, &b.DocNo, &b.Category, &raw, &b.source, &b.origin); err != nil {
			return nil, fmt.Errorf("data: read policies: %w", err)
		}
		b.Criteria = parsedCriteria(raw).sentence
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b PolicyBrief) int {
		return cmp.Or(cmp.Compare(a.Category, b.Category), cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
	})
	return out, rows.Err()
}

// ResidentReach is what a resident may qualify for.
type ResidentReach struct {
	ResidentID string        `json:"resident_id"`
	Untold     []PolicyBrief `json:"untold"` // may qualify, not told yet: the cards to bring
	Told       []PolicyBrief `json:"told"`   // may qualify, told already
}

// ResidentPolicies lists the policies in force a resident may qualify for,
// split into those they were not told of and those they were.
func (s *Store) ResidentPolicies(ctx context.Context, residentID string) (ResidentReach, error) {
	out := ResidentReach{ResidentID: residentID, Untold: []PolicyBrief{}, Told: []PolicyBrief{}}
	r := newReach(ctx, s.Read(), clock())
	if err := r.loadPeople(" AND r.id = ?", residentID); err != nil {
		return out, err
	}
	if len(r.people) == 0 {
		return out, NotFound("resident", residentID)
	}
	if err := r.loadPolicies(""); err != nil {
		return out, err
	}
	if err := r.loadVisits(residentID, ""); err != nil {
		return out, err
	}
	var untold, told []string
	for j, p := range r.policies {
		if !r.eligible(0, j) {
			continue
		}
		if r.isTold(residentID, p.id) {
			told = append(told, p.id)
		} else {
			untold = append(untold, p.id)
		}
	}
	var err error
	if out.Untold, err = briefs(ctx, s.Read(), untold); err != nil {
		return out, err
	}
	if out.Told, err = briefs(ctx, s.Read(), told); err != nil {
		return out, err
	}
	origin := r.people[0].Origin
	out.Untold, out.Told = servingOnly(out.Untold, origin), servingOnly(out.Told, origin)
	return out, nil
}

// ReachPerson is one resident who may qualify for a policy.
type ReachPerson struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Village string `json:"village"`
	Address string `json:"address"`
	Told    bool   `json:"told"`
}

// PolicyReach is how far a policy has reached: 可能符合 Eligible 人, of whom
// 已告知 Told 人.
type PolicyReach struct {
	PolicyID string        `json:"policy_id"`
	Title    string        `json:"title"`
	Criteria string        `json:"criteria"` // the sentence; "" when the policy has none
	Village  string        `json:"village,omitempty"`
	Eligible int           `json:"eligible"`
	Told     int           `json:"told"`
	People   []ReachPerson `json:"people"` // by village and address
}

// PolicyReach works out who may qualify for a policy (in one village, or
// all when village is "") and who of them was told. A policy without
// criteria, or not in force, reaches nobody.
func (s *Store) PolicyReach(ctx context.Context, policyID, village string) (PolicyReach, error) {
	p, err := findPolicy(ctx, s.Read(), policyID)
	if err != nil {
		return PolicyReach{}, err
	}
	out := PolicyReach{PolicyID: p.ID, Title: p.Title, Village: village, People: []ReachPerson{}}
	r := newReach(ctx, s.Read(), clock())
	if err := r.loadPolicies(" AND p.id = ?", policyID); err != nil {
		return out, err
	}
	if len(r.policies) == 0 {
		var raw string
		if err := s.Read().QueryRowContext(ctx, "SELECT criteria FROM policies WHERE id = ?", policyID).Scan(&raw); err != nil {
			return out, fmt.Errorf("data: read criteria: %w", err)
		}
		out.Criteria = parsedCriteria(raw).sentence
		return out, nil
	}
	out.Criteria = r.policies[0].c.Sentence()
	if err := r.loadAllPeople(s, village); err != nil {
		return out, err
	}
	if err := r.loadVisits("", policyID); err != nil {
		return out, err
	}
	for i := range r.people {
		pp := &r.people[i]
		if p.Source == SourceLocal && pp.Origin != p.Origin || !r.eligible(i, 0) {
			continue
		}
		told := r.isTold(pp.ID, policyID)
		out.Eligible++
		if told {
			out.Told++
		}
		out.People = append(out.People, ReachPerson{ID: pp.ID, Name: pp.Name, Village: pp.Village, Address: pp.Address, Told: told})
	}
	slices.SortFunc(out.People, func(a, b ReachPerson) int {
		return walkOrder(a.Village, a.Address, a.Name, b.Village, b.Address, b.Name)
	})
	return out, nil
}

// walkOrder orders people for a walking round: by village, then address
// with its numbers compared as numbers (3组 before 12组), then name.
func walkOrder(va, aa, na, vb, ab, nb string) int {
	return cmp.Or(cmp.Compare(va, vb), naturalCompare(aa, ab), cmp.Compare(na, nb))
}

// naturalCompare compares strings with runs of ASCII digits compared by
// value. Other bytes compare as bytes: UTF-8 keeps code point order.
func naturalCompare(a, b string) int {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), cmp.Compare(na, nb)); c != 0 {
				return c
			}
			continue
		}
		if a[i] != b[j] {
			return cmp.Compare(a[i], b[j])
		}
		i++
		j++
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

// OutreachEntry is one line of the outreach list (告知清单): a resident and
// the policies to explain to them.
type OutreachEntry struct {
	ResidentID string        `json:"resident_id"`
	Name       string        `json:"name"`
	Village    string        `json:"village"`
	Address    string        `json:"address"`
	Policies   []PolicyBrief `json:"policies"`
}

// Outreach is the outreach list of a village ("" = every village): each
// resident with policies they may qualify for and were not told of, in
// walking order.
func (s *Store) Outreach(ctx context.Context, village string) ([]OutreachEntry, error) {
	r := newReach(ctx, s.Read(), clock())
	if err := r.loadAllPeople(s, village); err != nil {
		return nil, err
	}
	if err := r.loadPolicies(""); err != nil {
		return nil, err
	}
	if err := r.loadVisits("", ""); err != nil {
		return nil, err
	}
	out := []OutreachEntry{}
	var todo [][]string // per entry of out: the policies to explain
	var origins []string
	need := map[string]bool{}
	for i := range r.people {
		pp := &r.people[i]
		var ids []string
		for j, pol := range r.policies {
			if r.eligible(i, j) && !r.isTold(pp.ID, pol.id) {
				ids = append(ids, pol.id)
				need[pol.id] = true
			}
		}
		if len(ids) > 0 {
			out = append(out, OutreachEntry{ResidentID: pp.ID, Name: pp.Name, Village: pp.Village, Address: pp.Address})
			todo = append(todo, ids)
			origins = append(origins, pp.Origin)
		}
	}
	all, err := briefs(ctx, s.Read(), slices.Collect(maps.Keys(need)))
	if err != nil {
		return nil, err
	}
	rank := map[string]int{} // briefs come in category and title order
	for i, b := range all {
		rank[b.ID] = i
	}
	for k, ids := range todo {
		order := make([]int, len(ids))
		for i, id := range ids {
			order[i] = rank[id]
		}
		slices.Sort(order)
		for _, x := range order {
			if b := all[x]; b.serves(origins[k]) {
				out[k].Policies = append(out[k].Policies, b)
			}
		}
	}
	out = slices.DeleteFunc(out, func(e OutreachEntry) bool { return len(e.Policies) == 0 })
	slices.SortFunc(out, func(a, b OutreachEntry) int {
		return walkOrder(a.Village, a.Address, a.Name, b.Village, b.Address, b.Name)
	})
	return out, nil
}
