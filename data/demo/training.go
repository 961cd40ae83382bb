package demo

import (
	"math/rand/v2"
	"time"

	"stationdesk/data"
)

var studyTopics = []string{"城乡居民养老保险资格认证新规解读", "医保集中参保缴费政策学习", "社保卡服务规范", "就业困难人员认定与帮扶", "农民工工资支付保障条例学习", "上门服务工作规范", "群众意见收集与办理", "工伤保险政策解读", "政策宣传卡片使用培训", "失业保险稳岗返还政策", "档案管理与外借制度", "年度工作总结与部署"}

func addTrainings(d *gen) error {
	statuses := []string{"present", "present", "present", "present", "present", "present", "late", "leave", "absent"}
	n, a := 0, 0
	for m := d.start; !m.After(d.opt.Until); m = m.AddDate(0, 1, 0) {
		day := data.ThirdFriday(m.Year(), m.Month(), time.Local)
		if day.Before(d.start) || day.After(d.opt.Until) {
			continue
		}
		held, movedFrom, reason := day, "", ""
		if day.Month() == time.February { // the Spring Festival holiday usually covers it
			held, movedFrom, reason = day.AddDate(0, 0, 7), day.Format(time.DateOnly), "春节假期，顺延一周"
		}
		at := held.Add(14*time.Hour + 30*time.Minute)
		tid := d.id(at)
		if err := d.exec(`INSERT INTO trainings(id, origin, created_at, updated_at, type, date, topic, speaker, place, moved_from, move_reason)
			VALUES (?, ?, ?, ?, 'study_day', ?, ?, ?, ?, ?, ?)`, tid, d.origin, at.UnixMilli(), at.UnixMilli(),
			held.Format(time.DateOnly), studyTopics[int(day.Month())-1], d.personName(), "站会议室", movedFrom, reason); err != nil {
			return err
		}
		n++
		for _, oid := range d.officers {
			st := d.pick(statuses)
			reason := ""
			if st == "leave" {
				reason = d.pick([]string{"病假", "事假", "下村入户"})
			}
			if err := d.exec(`INSERT INTO attendance(id, origin, created_at, updated_at, training_id, officer_id, status, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), tid, oid, st, reason); err != nil {
				return err
			}
			a++
		}
	}
	// Special sessions draw on a random stream of their own so that the rest
	// of the demo (residents, visits) stays the same as without them.
	sub := *d
	sub.rng = rand.New(rand.NewPCG(d.opt.Seed, 0x5452414E))
	var policies []string
	rows, err := d.tx.QueryContext(d.ctx, `SELECT id FROM policies WHERE deleted=0 AND status='现行有效' ORDER BY effective DESC, id LIMIT 2`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		policies = append(policies, id)
	}
	rows.Close()
	for i, sp := range []struct {
		kind, topic, speaker, place, start, end string
		daysBefore                              int
	}{
		{data.TrainingSpecial, "城乡居民医保集中征缴业务专题培训", "区医保局 刘科长", "区人社局三楼会议室", "09:00", "11:30", 40},
		{data.TrainingCoaching, "养老金资格认证系统操作辅导", "区社保中心 陈主任", "站会议室", "15:00", "16:30", 75},
	} {
		day := d.opt.Until.AddDate(0, 0, -sp.daysBefore)
		day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, day.Location())
		at := day.Add(9 * time.Hour)
		tid := sub.id(at)
		linked := "[]"
		if i == 0 {
			linked = mustJSON(policies)
		}
		if err := d.exec(`INSERT INTO trainings(id, origin, created_at, updated_at, type, date, start_time, end_time, topic, speaker, place, policy_ids)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tid, d.origin, at.UnixMilli(), at.UnixMilli(), sp.kind,
			day.Format(time.DateOnly), sp.start, sp.end, sp.topic, sp.speaker, sp.place, linked); err != nil {
			return err
		}
		n++
		for j, oid := range d.officers {
			st := "present"
			if j == 2+i {
				st = "late"
			}
			if err := d.exec(`INSERT INTO attendance(id, origin, created_at, updated_at, training_id, officer_id, status, reason)
				VALUES (?, ?, ?, ?, ?, ?, ?, '')`, sub.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), tid, oid, st); err != nil {
				return err
			}
			a++
		}
	}
	d.counts["trainings"] = n
	d.counts["attendance"] = a
	return nil
}
