package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	dsync "stationdesk/data/sync"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Criteria say whom a policy is for (享受对象), as data a person reads in one
// sentence and the program checks against each resident. The bureau sets
// them on its policies and they travel down in the policies' rows (column
// criteria, so the policies' authority covers them); a station sets them on
// its local policies. Every condition set must hold; a policy without
// criteria targets nobody in particular.
type Criteria struct {
	MinAge int    `json:"min_age,omitempty"` // 年满 N 周岁 (0: no lower bound)
	MaxAge int    `json:"max_age,omitempty"` // at most N 周岁 (0: no upper bound)
	AgeOn  string `json:"age_on,omitempty"`  // YYYY-MM-DD the age is reckoned on; "" = the day of the check
	Gender string `json:"gender,omitempty"`  // 男 / 女 / "" (either)
	// Resident categories: at least one of AnyOf, and every one of AllOf.
	AnyOf []string `json:"any_of,omitempty"`
	AllOf []string `json:"all_of,omitempty"`
	// Villages: living in one of them; none = the whole township.
	Villages []string `json:"villages,omitempty"`
	// NoVisit: no visit with this service within the last NoVisitDays days.
	NoVisit     string `json:"no_visit,omitempty"`
	NoVisitDays int    `json:"no_visit_days,omitempty"`
}

// Limits of criteria: what a bureau can sensibly state, and a bound on what
// a bundle may carry.
const (
	maxCriteriaBytes    = 8 << 10
	maxCriteriaItems    = 20 // categories in one list
	maxCriteriaVillages = 100
	maxCriteriaAge      = 150
	maxNoVisitDays      = 3650
)

// IsZero says whether no condition is set.
func (c *Criteria) IsZero() bool {
	return c.MinAge == 0 && c.MaxAge == 0 && c.Gender == "" && len(c.AnyOf) == 0 && len(c.AllOf) == 0 &&
		len(c.Villages) == 0 && c.NoVisit == "" && c.NoVisitDays == 0
}

// Validate normalises criteria and checks them as any typed input.
func (c *Criteria) Validate() error {
	var err error
	if c.MinAge < 0 || c.MinAge > maxCriteriaAge {
		return Invalid("min_age", "最低年龄应在 0 到 150 周岁之间")
	}
	if c.MaxAge < 0 || c.MaxAge > maxCriteriaAge {
		return Invalid("max_age", "最高年龄应在 0 到 150 周岁之间")
	}
	if c.MaxAge > 0 && c.MaxAge < c.MinAge {
		return Invalid("max_age", "最高年龄不能小于最低年龄")
	}
	if c.AgeOn, err = checkDate("age_on", c.AgeOn, false); err != nil {
		return err
	}
	if c.AgeOn != "" && c.MinAge == 0 && c.MaxAge == 0 {
		c.AgeOn = ""
	}
	c.Gender = strings.TrimSpace(c.Gender)
	if c.Gender != "" && c.Gender != "男" && c.Gender != "女" {
		return Invalid("gender", "性别应为男或女，不限时留空")
	}
	for _, l := range []struct {
		field string
		list  *[]string
		max   int
		n     int
	}{{"any_of", &c.AnyOf, maxTag, maxCriteriaItems}, {"all_of", &c.AllOf, maxTag, maxCriteriaItems}, {"villages", &c.Villages, maxShort, maxCriteriaVillages}} {
		if *l.list, err = checkList(l.field, *l.list, l.max); err != nil {
			return err
		}
		if len(*l.list) > l.n {
			return Invalid(l.field, "列出的项目太多")
		}
		if len(*l.list) == 0 {
			*l.list = nil
		}
	}
	if c.NoVisit, err = checkText("no_visit", c.NoVisit, maxShort, false); err != nil {
		return err
	}
	switch {
	case c.NoVisit == "" && c.NoVisitDays != 0:
		return Invalid("no_visit", "请选择服务项目")
	case c.NoVisit != "" && (c.NoVisitDays < 1 || c.NoVisitDays > maxNoVisitDays):
		return Invalid("no_visit_days", "天数应在 1 到 3650 之间")
	}
	return nil
}

// Encode is the stored form: "" when no condition is set.
func (c *Criteria) Encode() string {
	if c.IsZero() {
		return ""
	}
	return mustJSON(c)
}

// ParseCriteria reads stored or incoming criteria and checks them as typed
// input. "" is no criteria.
func ParseCriteria(raw string) (Criteria, error) {
	var c Criteria
	if raw == "" {
		return c, nil
	}
	if len(raw) > maxCriteriaBytes {
		return c, Invalid("criteria", "享受对象条件过长")
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() {
		return Criteria{}, Invalid("criteria", "享受对象条件无法识别")
	}
	if err := c.Validate(); err != nil {
		return Criteria{}, err
	}
	return c, nil
}

// Sentence is the criteria in one Chinese sentence, e.g.
// 年满 60 周岁、属于低保或特困的本乡居民; "" without criteria.
func (c *Criteria) Sentence() string {
	if c.IsZero() {
		return ""
	}
	var parts []string
	switch {
	case c.MinAge > 0 && c.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("%d 至 %d 周岁", c.MinAge, c.MaxAge))
	case c.MinAge > 0:
		parts = append(parts, fmt.Sprintf("年满 %d 周岁", c.MinAge))
	case c.MaxAge > 0:
		parts = append(parts, fmt.Sprintf("不超过 %d 周岁", c.MaxAge))
	}
	if len(parts) > 0 && c.AgeOn != "" {
		parts[0] += "（按 " + c.AgeOn + " 计）"
	}
	if len(c.AnyOf) > 0 {
		parts = append(parts, "属于"+strings.Join(c.AnyOf, "或"))
	}
	if len(c.AllOf) == 1 && len(c.AnyOf) == 0 {
		parts = append(parts, "属于"+c.AllOf[0])
	} else if len(c.AllOf) > 0 {
		parts = append(parts, "同时属于"+strings.Join(c.AllOf, "和"))
	}
	if c.NoVisit != "" {
		parts = append(parts, fmt.Sprintf("近 %d 天未办理%s", c.NoVisitDays, c.NoVisit))
	}
	who := "本乡"
	if len(c.Villages) > 0 {
		who = strings.Join(c.Villages, "、")
	}
	if c.Gender != "" {
		who += c.Gender + "性"
	}
	who += "居民"
	if len(parts) == 0 {
		return who
	}
	return strings.Join(parts, "、") + "的" + who
}

// resident facts the criteria are checked against.
type reachPerson struct {
	ID, Name, Village, Address, Origin string
	Gender                             string
	birth                              int // yyyymmdd; 0 unknown
	cats                               []string
}

func dateNumber(s string) int {
	if len(s) != 10 {
		return 0
	}
	n, err := strconv.Atoi(s[:4] + s[5:7] + s[8:])
	if err != nil {
		return 0
	}
	return n
}

// ageOn is the age in whole years on day (both yyyymmdd). A person born on
// 29 February turns a year older on 1 March in common years, as
// IDCard.Age counts (the day after 28 February).
func ageOn(birth, day int) int { return (day - birth) / 10000 }

// match says whether a person meets the criteria on a day (yyyymmdd, with
// its YYYY-MM-DD text for interval checks). last gives the date of the
// person's latest visit with a service ("" if none).
func (c *Criteria) match(p *reachPerson, today int, todayText string, last func(id, service string) string) bool {
	if c.IsZero() {
		return false
	}
	if c.MinAge > 0 || c.MaxAge > 0 {
		if p.birth == 0 {
			return false
		}
		on := today
		if c.AgeOn != "" {
			on = dateNumber(c.AgeOn)
		}
		a := ageOn(p.birth, on)
		if a < c.MinAge || (c.MaxAge > 0 && a > c.MaxAge) {
			return false
		}
	}
	if c.Gender != "" && p.Gender != c.Gender {
		return false
	}
	if len(c.Villages) > 0 && !slices.Contains(c.Villages, p.Village) {
		return false
	}
	if len(c.AnyOf) > 0 && !slices.ContainsFunc(c.AnyOf, func(x string) bool { return slices.Contains(p.cats, x) }) {
		return false
	}
	for _, x := range c.AllOf {
		if !slices.Contains(p.cats, x) {
			return false
		}
	}
	if c.NoVisit != "" {
		if d := last(p.ID, c.NoVisit); d != "" && d > daysBefore(todayText, c.NoVisitDays) {
			return false
		}
	}
	return true
}

// daysBefore is the day n days before day (YYYY-MM-DD). A visit on that day
// or earlier lies outside "within the last n days".
func daysBefore(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, -n).Format(time.DateOnly)
}

// criteriaCache holds parsed criteria by their stored text: a resident's
// list checks thousands of policies, and parsing each every time would
// cost more than checking it.
var criteriaCache = struct {
	sync.Mutex
	m map[string]*cachedCriteria
}{m: map[string]*cachedCriteria{}}

type cachedCriteria struct {
	Criteria
	ok       bool   // passed ParseCriteria
	sentence string // Sentence(), said once
}

// parsedCriteria parses stored criteria once; bad ones (which this program
// never stores) count as none.
func parsedCriteria(raw string) *cachedCriteria {
	criteriaCache.Lock()
	defer criteriaCache.Unlock()
	if c, ok := criteriaCache.m[raw]; ok {
		return c
	}
	c, err := ParseCriteria(raw)
	e := &cachedCriteria{Criteria: c, ok: err == nil, sentence: c.Sentence()}
	if len(criteriaCache.m) > 50000 {
		clear(criteriaCache.m)
	}
	criteriaCache.m[raw] = e
	return e
}

// PolicyCriteria returns a policy's criteria.
func (s *Store) PolicyCriteria(ctx context.Context, id string) (Criteria, error) {
	var raw string
	err := s.Read().QueryRowContext(ctx, "SELECT criteria FROM policies WHERE id = ? AND deleted = 0", id).Scan(&raw)
	if err == sql.ErrNoRows {
		return Criteria{}, NotFound("policy", id)
	}
	if err != nil {
		return Criteria{}, fmt.Errorf("data: read criteria: %w", err)
	}
	return ParseCriteria(raw)
}

// SetPolicyCriteria replaces a policy's criteria (zero criteria remove
// them). Only whoever may change the policy may: the bureau its policies, a
// station its local ones.
func (s *Store) SetPolicyCriteria(ctx context.Context, id string, c Criteria) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.writeOwnPolicy(ctx, id, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE policies SET criteria = ?, updated_at = ? WHERE id = ? AND criteria != ?",
			c.Encode(), nowMillis(), id, c.Encode())
		if err != nil {
			return fmt.Errorf("data: save criteria: %w", err)
		}
		return nil
	})
}

// writeOwnPolicy runs fn in a transaction if this installation may change
// the policy (the bureau its own, a station its local ones).
func (s *Store) writeOwnPolicy(ctx context.Context, id string, fn func(tx *sql.Tx) error) error {
	role, _, err := s.role(ctx)
	if err != nil {
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		old, err := findPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.ReadOnly(role) {
			return errBureauReadOnly
		}
		return fn(tx)
	})
}

func init() {
	// A policy's criteria arriving in a bundle are checked as typed ones.
	dsync.RegisterIncomingRules("policies", map[string]dsync.Rule{"criteria": criteriaRule})
}

// criteriaRule checks incoming criteria as typed ones (sync_validate.go).
func criteriaRule(v any) error {
	s, err := dsync.TextOf(v)
	if err != nil {
		return err
	}
	if !parsedCriteria(s).ok {
		_, err := ParseCriteria(s)
		return err
	}
	return nil
}
