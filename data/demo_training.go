package data

import (
	"time"
)

var demoTopics = []string{"城乡居民养老保险资格认证新规解读", "医保集中参保缴费政策学习", "社保卡服务规范", "就业困难人员认定与帮扶", "农民工工资支付保障条例学习", "上门服务工作规范", "群众意见收集与办理", "工伤保险政策解读", "政策宣传卡片使用培训", "失业保险稳岗返还政策", "档案管理与外借制度", "年度工作总结与部署"}

func demoTrainings(d *demo) error {
	statuses := []string{"present", "present", "present", "present", "present", "present", "late", "leave", "absent"}
	n, a := 0, 0
	for m := d.start; !m.After(d.opt.Until); m = m.AddDate(0, 1, 0) {
		day := ThirdFriday(m.Year(), m.Month(), time.Local)
		if day.Before(d.start) || day.After(d.opt.Until) {
			continue
		}
		at := day.Add(14*time.Hour + 30*time.Minute)
		tid := d.id(at)
		if err := d.exec(`INSERT INTO trainings(id, origin, created_at, updated_at, type, date, topic, speaker, place)
			VALUES (?, ?, ?, ?, 'study_day', ?, ?, ?, ?)`, tid, d.origin, at.UnixMilli(), at.UnixMilli(),
			day.Format("2006-01-02"), demoTopics[int(day.Month())-1], d.personName(), "站会议室"); err != nil {
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
	d.counts["trainings"] = n
	d.counts["attendance"] = a
	return nil
}
