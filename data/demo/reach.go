package demo

import (
	"slices"
	"time"

	"stationdesk/data"
)

// The demo's part of 政策找人: realistic criteria on some policies, pension
// recipients among the older residents, and policies explained or cards
// handed out on the visits that record 政策宣传.

// firstCategories are what a demo resident's first category is drawn
// from; data.PensionCategory follows from age (pension).
var firstCategories = slices.DeleteFunc(slices.Clone(data.ResidentCategories), func(c string) bool { return c == data.PensionCategory })

// pension adds the pension category to seven in ten residents of 60
// and over. It draws nothing from the random stream, so the rest of the
// demo stays as it was.
func pension(cats []string, birth, until time.Time, i int) []string {
	if (data.IDCard{Birth: birth}).Age(until) >= 60 && i%10 < 7 {
		return append(cats, data.PensionCategory)
	}
	return cats
}

// criteria are criteria such policies carry, by policy category.
var criteria = map[string][]data.Criteria{
	"养老保险": {
		{AnyOf: []string{data.PensionCategory}, NoVisit: data.ServicePensionCert, NoVisitDays: 365},
		{MinAge: 80, AnyOf: []string{"高龄"}},
		{MinAge: 60, AnyOf: []string{"低保", "特困"}},
	},
	"医疗保险": {
		{AnyOf: []string{"低保", "特困", "残疾"}},
		{MinAge: 65, AnyOf: []string{"失能"}},
	},
	"就业创业": {
		{MinAge: 16, MaxAge: 59, AnyOf: []string{"低保", "残疾"}},
	},
	"社保卡": {
		{MinAge: 60, NoVisit: "社会保障卡申领/激活", NoVisitDays: 730},
	},
	"其他": {
		{MinAge: 70, AllOf: []string{"高龄", "独居"}},
		{Gender: "女", MinAge: 55, AnyOf: []string{"留守老人", "独居"}},
		{AnyOf: []string{"重点优抚"}, Villages: []string{"桃花村", "柳树村", "石门村"}},
	},
}

func addReach(d *gen) error {
	// A database at an older schema (the upgrade test) has no criteria yet.
	var have int
	if err := d.tx.QueryRowContext(d.ctx, `SELECT count(*) FROM pragma_table_info('policies') WHERE name = 'criteria'`).Scan(&have); err != nil || have == 0 {
		return err
	}
	var targeted []string
	for i, id := range d.policies {
		cat := data.PolicyCategories[i%len(data.PolicyCategories)] // as addPolicies made them
		list := criteria[cat]
		if len(list) == 0 || d.rng.IntN(3) != 0 {
			continue
		}
		c := list[d.rng.IntN(len(list))]
		if err := d.exec(`UPDATE policies SET criteria = ? WHERE id = ?`, c.Encode(), id); err != nil {
			return err
		}
		targeted = append(targeted, id)
	}
	if len(targeted) == 0 || len(d.officers) == 0 {
		return nil
	}
	rows, err := d.tx.QueryContext(d.ctx, `SELECT v.id, v.date FROM visits v, json_each(v.services) j
		WHERE v.origin = ? AND j.value = ? ORDER BY v.rowid`, d.origin, data.ServicePolicyTalk)
	if err != nil {
		return err
	}
	type talk struct{ id, date string }
	var talks []talk
	for rows.Next() {
		var t talk
		if err := rows.Scan(&t.id, &t.date); err != nil {
			rows.Close()
			return err
		}
		talks = append(talks, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cards := 0
	for _, t := range talks {
		p := d.pick(targeted)
		if d.rng.IntN(2) == 0 {
			if err := d.exec(`UPDATE visits SET policies_explained = ? WHERE id = ?`, mustJSON([]string{p}), t.id); err != nil {
				return err
			}
			continue
		}
		day, _ := time.ParseInLocation(time.DateOnly, t.date, time.Local)
		at := day.Add(11 * time.Hour)
		if err := d.exec(`INSERT INTO card_handouts(id, origin, created_at, updated_at, policy_id, count, handed_on, place, officer_id, visit_id)
			VALUES (?, ?, ?, ?, ?, 1, ?, '上门服务', ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), p, t.date, d.pick(d.officers), t.id); err != nil {
			return err
		}
		cards++
	}
	d.counts["card_handouts"] += cards
	return nil
}
