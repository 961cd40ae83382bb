package demo

import (
	"fmt"
	"time"

	"stationdesk/data"
	"stationdesk/data/store"
)

// idNumber makes a valid 18-digit ID number for a birth date.
func (d *gen) idNumber(birth time.Time, male bool) string {
	seq := d.rng.IntN(500) * 2
	if male {
		seq++
	}
	first := fmt.Sprintf("430702%s%03d", birth.Format("20060102"), seq)
	return first + string(store.IDCheckChar(first))
}

func addResidents(d *gen) error {
	seen := map[string]bool{}
	for i := 0; i < d.opt.Residents; i++ {
		birth := time.Date(1928+d.rng.IntN(60), time.Month(1+d.rng.IntN(12)), 1+d.rng.IntN(28), 0, 0, 0, 0, time.UTC)
		male := d.rng.IntN(2) == 0
		idn := d.idNumber(birth, male)
		for seen[idn] {
			idn = d.idNumber(birth, male)
		}
		seen[idn] = true
		gender := "女"
		if male {
			gender = "男"
		}
		cats := []string{d.pick(firstCategories)}
		if d.opt.Until.Year()-birth.Year() >= 80 && cats[0] != "高龄" {
			cats = append(cats, "高龄")
		}
		cats = pension(cats, birth, d.opt.Until, i)
		village := d.pick(villages)
		at := d.start.Add(time.Duration(i) * time.Minute)
		id := d.id(at)
		if err := d.exec(`INSERT INTO residents(id, origin, created_at, updated_at, name, gender, id_number, birth_date, phone, village, address, categories, consent, consent_by, consent_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, id, d.origin, at.UnixMilli(), at.UnixMilli(), d.personName(), gender, idn,
			birth.Format("2006-01-02"), d.mobile(), village, fmt.Sprintf("%s%d组%d号", village, 1+d.rng.IntN(12), 1+d.rng.IntN(80)),
			mustJSON(cats), d.pick(d.officers), at.UnixMilli()); err != nil {
			return err
		}
		d.residents = append(d.residents, id)
	}
	d.counts["residents"] = len(d.residents)
	return nil
}

func addVisits(d *gen) error {
	if len(d.residents) == 0 {
		return nil
	}
	outcomes := []string{"已办结", "已办结", "已办结", "资料不全，待补交", "已代为提交，等待审核", "已讲解政策"}
	for i := 0; i < d.opt.Visits; i++ {
		day := d.day()
		at := day.Add(9*time.Hour + time.Duration(d.rng.IntN(480))*time.Minute)
		squad := []string{d.pick(d.officers), d.pick(d.officers)}
		if squad[0] == squad[1] {
			squad = squad[:1]
		}
		follow, due, done := 0, "", ""
		if d.rng.IntN(5) == 0 {
			follow = 1
			due = day.AddDate(0, 0, 7+d.rng.IntN(21)).Format("2006-01-02")
			if d.rng.IntN(2) == 0 {
				done = day.AddDate(0, 0, 3+d.rng.IntN(10)).Format("2006-01-02")
			} else if due < d.opt.Until.AddDate(0, 0, -10).Format("2006-01-02") && i%8 != 0 {
				// Most older follow-ups were done by now: the queue holds the recent ones and a few overdue.
				if t, err := time.Parse("2006-01-02", due); err == nil {
					done = t.AddDate(0, 0, -1).Format("2006-01-02")
				}
			}
		}
		if err := d.exec(`INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id, officer_ids, services, outcome, followup_needed, followup_due, followup_done_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), day.Format("2006-01-02"),
			d.pick(d.residents), mustJSON(squad), mustJSON([]string{d.pick(data.DefaultServices)}), d.pick(outcomes), follow, due, done); err != nil {
			return err
		}
	}
	d.counts["visits"] = d.opt.Visits
	return nil
}

func addOpinions(d *gen) error {
	contents := []string{"希望医保报销能在村里直接办理", "养老金认证能否在手机上完成", "建议增加社保卡补办网点", "村里老人希望多开展政策宣讲", "反映就业见习岗位信息不够及时", "希望简化失业保险金申领材料"}
	sources := []string{"窗口", "上门服务", "村民会议", "电话"}
	statuses := []string{"已记录", "已上报", "已答复", "已办结"}
	if d.role != data.RoleBureau {
		// Replies are the bureau's (the sync authorization table): a station's own
		// opinions wait for them.
		statuses = statuses[:2]
	}
	n := d.opt.Visits / 20
	for i := 0; i < n; i++ {
		day := d.day()
		at := day.Add(10 * time.Hour)
		resident := ""
		if len(d.residents) > 0 && d.rng.IntN(2) == 0 {
			resident = d.pick(d.residents)
		}
		st := d.pick(statuses)
		reply := ""
		if st == "已答复" || st == "已办结" {
			reply = "已转相关科室研究办理，感谢您的建议。"
		}
		if err := d.exec(`INSERT INTO opinions(id, origin, created_at, updated_at, date, source, resident_id, category, content, status, reply)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), day.Format("2006-01-02"),
			d.pick(sources), resident, d.pick(data.PolicyCategories), d.pick(contents), st, reply); err != nil {
			return err
		}
	}
	d.counts["opinions"] = n
	return nil
}
