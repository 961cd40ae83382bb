package demo

import (
	"fmt"
	"strings"
	"time"

	"stationdesk/data"
)

var policyTopics = map[string][]string{
	"养老保险": {"城乡居民养老保险待遇领取资格认证", "基本养老金调整", "城乡居民养老保险缴费档次", "养老保险关系转移接续", "被征地农民养老保险", "企业职工基本养老保险视同缴费年限认定", "高龄老人养老金补贴", "丧葬补助金和抚恤金发放", "个人账户储存额继承", "养老保险待遇重复领取清理"},
	"医疗保险": {"城乡居民医保集中参保缴费", "异地就医直接结算", "门诊慢特病待遇", "医保定点医疗机构管理", "大病保险报销", "医保个人账户家庭共济", "住院费用报销比例调整", "生育保险待遇", "医疗救助与医保衔接", "医保电子凭证激活"},
	"失业保险": {"失业保险金申领", "失业保险稳岗返还", "技能提升补贴", "失业人员价格临时补贴", "失业保险关系转移", "一次性扩岗补助"},
	"工伤保险": {"工伤认定申请", "工伤保险待遇核定", "劳动能力鉴定", "建筑业按项目参加工伤保险", "工伤预防费使用管理", "工亡职工供养亲属抚恤金"},
	"就业创业": {"就业困难人员认定", "创业担保贷款", "公益性岗位开发管理", "高校毕业生就业见习", "农村劳动力转移就业", "零就业家庭援助", "返乡创业扶持", "职业技能培训补贴", "灵活就业人员社保补贴", "家政服务员培训"},
	"劳动关系": {"农民工工资支付保障", "劳动合同签订", "劳动争议调解仲裁", "欠薪线索处置", "工资保证金管理", "集体协商", "新就业形态劳动者权益保障"},
	"人事人才": {"流动人员人事档案管理", "人事档案外借审批", "职称评审", "专业技术人员继续教育", "档案转递", "人才引进落户", "事业单位公开招聘"},
	"社保卡":  {"社会保障卡申领", "社会保障卡激活与挂失", "电子社保卡签发", "社保卡跨省通办", "社保卡居民服务一卡通", "社保卡补换"},
	"其他":   {"干部学习日制度", "上门服务工作", "政策宣传卡片发放", "群众意见征集办理", "政务服务好差评", "证明事项告知承诺制", "窗口服务规范"},
}

var issuers = []struct{ name, prefix string }{
	{"湖南省人力资源和社会保障厅", "湘人社发"},
	{"湖南省人力资源和社会保障厅办公室", "湘人社办发"},
	{"常德市人力资源和社会保障局", "常人社发"},
	{"武陵区人力资源和社会保障局", "武人社发"},
	{"武陵区人力资源和社会保障局办公室", "武人社办"},
	{"湖南省医疗保障局", "湘医保发"},
	{"常德市医疗保障局", "常医保发"},
}

var actions = []string{"关于做好", "关于进一步加强", "关于印发", "关于调整", "关于开展", "关于规范", "关于进一步做好", "关于落实", "关于明确"}
var endings = []string{"工作的通知", "的实施意见", "实施办法的通知", "有关问题的通知", "专项行动的通知", "经办规程的通知", "若干措施"}

// clauses are sentences a policy body is assembled from; %s is the topic.
var clauses = []string{
	"本办法适用于本区户籍参保人员和在本区就业的外来务工人员。",
	"申请人持居民身份证、户口簿到户籍所在地乡镇（街道）劳动保障站提出申请。",
	"行动不便的老年人、残疾人，可由服务小分队上门办理%s。",
	"经办机构应在受理之日起十五个工作日内审核办结，并将结果告知申请人。",
	"符合条件的，待遇自申请次月起发放；不符合条件的，书面说明理由。",
	"各乡镇劳动保障站要通过宣传栏、政策卡片和村民会议做好%s的政策宣传。",
	"对弄虚作假骗取待遇的，依法追回并记入社会保险信用档案。",
	"%s所需资金由社会保险基金和财政补助资金共同承担。",
	"村（社区）协办员负责摸底排查，建立台账，每季度报送一次。",
	"本通知自印发之日起施行，此前规定与本通知不一致的，以本通知为准。",
	"办理%s不收取任何费用，群众可拨打12333咨询。",
	"医保经办大厅和社保卡服务网点实行延时服务和预约服务。",
	"档案材料应当真实、完整，经办人员须逐份登记、按月归档。",
	"异地居住人员可通过电子社保卡或手机应用完成认证和备案。",
	"对高龄、独居、失能老人，每年至少上门走访一次。",
	"补贴标准根据上年度全区城镇居民人均可支配收入适时调整。",
}

var tagPool = []string{"上门服务", "资格认证", "待遇发放", "参保缴费", "经办流程", "窗口服务", "政策宣传", "告知承诺", "一网通办", "便民服务", "台账管理", "补贴申领"}

func addPolicies(d *gen) error {
	type made struct {
		id, docNo string
		year      int
		cat       string
	}
	var all []made
	for i := 0; i < d.opt.Policies; i++ {
		cat := data.PolicyCategories[i%len(data.PolicyCategories)]
		topic := d.pick(policyTopics[cat])
		iss := issuers[d.rng.IntN(len(issuers))]
		year := 2010 + d.rng.IntN(17)
		if year > d.opt.Until.Year() {
			year = d.opt.Until.Year()
		}
		eff := fmt.Sprintf("%d-%02d-%02d", year, 1+d.rng.IntN(12), 1+d.rng.IntN(28))
		title := d.pick(actions) + topic + d.pick(endings)
		if d.rng.IntN(8) == 0 {
			title = fmt.Sprintf("关于做好%d年度%s工作的通知", year+1, topic)
		}
		docNo := fmt.Sprintf("%s〔%d〕%d号", iss.prefix, year, 1+d.rng.IntN(120))
		if d.rng.IntN(15) == 0 {
			docNo = "" // service guides and notices often have none
		}
		status, expires := data.PolicyCurrent, ""
		switch r := d.rng.IntN(20); {
		case r == 0:
			status = data.PolicyRepealed
		case r <= 2:
			expires = fmt.Sprintf("%d-12-31", year+1+d.rng.IntN(3))
		}
		summary := fmt.Sprintf("本文件规定了%s的对象、条件、办理流程和时限。群众可到乡镇（街道）劳动保障站或社区服务中心咨询办理。", topic)
		var body strings.Builder
		body.WriteString(summary + "\n\n")
		n := 3 + d.rng.IntN(6)
		for k := 0; k < n; k++ {
			c := d.pick(clauses)
			if strings.Contains(c, "%s") {
				c = fmt.Sprintf(c, topic)
			}
			fmt.Fprintf(&body, "%s、%s\n", chineseNumber(k+1), c)
		}
		tags := []string{cat, topic, d.pick(tagPool)}
		at := d.start
		id := d.id(at)
		if err := d.exec(`INSERT INTO policies(id, origin, created_at, updated_at, title, doc_no, issuer, category, effective, expires, status, summary, body, tags, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, d.origin, at.UnixMilli(), at.UnixMilli(), title, docNo, iss.name, cat, eff, expires, status, summary, body.String(), mustJSON(tags), d.policySource()); err != nil {
			return err
		}
		d.policies = append(d.policies, id)
		all = append(all, made{id, docNo, year, cat})
	}
	// About one in twelve is replaced by a later policy of its category.
	latest := map[string]made{}
	for _, m := range all {
		if l, ok := latest[m.cat]; !ok || m.year > l.year {
			latest[m.cat] = m
		}
	}
	for i, m := range all {
		l := latest[m.cat]
		if i%12 == 5 && l.id != m.id && l.year > m.year {
			if err := d.exec(`UPDATE policies SET status = ?, superseded_by = ? WHERE id = ?`, data.PolicySuperseded, l.id, m.id); err != nil {
				return err
			}
		}
	}
	d.counts["policies"] = d.opt.Policies
	if err := data.OptimizePolicyIndex(d.ctx, d.tx); err != nil {
		return err
	}
	if err := addGuides(d); err != nil {
		return err
	}
	return addHandouts(d)
}

func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n <= 10 {
		return digits[n]
	}
	if n < 20 {
		return "十" + digits[n-10]
	}
	return fmt.Sprint(n)
}

// addGuides adds a few service guides with their flow.
func addGuides(d *gen) error {
	if d.opt.Policies == 0 {
		return nil
	}
	officer := func() (string, string, string) {
		if len(d.officers) == 0 {
			return "", "", ""
		}
		id := d.pick(d.officers)
		var name, phone string
		_ = d.tx.QueryRowContext(d.ctx, "SELECT name, phone FROM officers WHERE id = ?", id).Scan(&name, &phone)
		return id, name, phone
	}
	for _, g := range Guides {
		oid, name, phone := officer()
		at := d.start
		if err := d.exec(`INSERT INTO service_guides(id, origin, created_at, updated_at, matter, steps, materials, location, time_limit, officer_id, officer, phone)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), g.Matter,
			mustJSON(g.Steps), mustJSON(g.Materials), g.Location, g.TimeLimit, oid, name, phone); err != nil {
			return err
		}
	}
	d.counts["service_guides"] = len(Guides)
	return nil
}

// addHandouts records a year of policy cards handed out.
func addHandouts(d *gen) error {
	if len(d.policies) == 0 || len(d.officers) == 0 {
		return nil
	}
	n := min(40+d.opt.Visits/10, 400)
	popular := d.policies[:min(len(d.policies), 12)]
	for i := 0; i < n; i++ {
		day := d.day()
		place := d.pick(data.HandoutPlaces)
		count := 1 + d.rng.IntN(5)
		if place == "村民会议" {
			count = 10 + d.rng.IntN(40)
		}
		at := day.Add(10 * time.Hour)
		if err := d.exec(`INSERT INTO card_handouts(id, origin, created_at, updated_at, policy_id, count, handed_on, place, officer_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), d.pick(popular), count,
			day.Format("2006-01-02"), place, d.pick(d.officers)); err != nil {
			return err
		}
	}
	d.counts["card_handouts"] = n
	return nil
}

// policySource is what the demo's policies are: the bureau's own at a bureau.
func (d *gen) policySource() string {
	if d.role == data.RoleBureau {
		return data.SourceBureau
	}
	return data.SourceLocal
}

// Guides are the demo's service guides, each with its flow.
var Guides = []data.ServiceGuide{
	{
		Matter: "失业保险金申领",
		Steps: []data.GuideStep{
			{Name: "失业登记", Detail: "持身份证到劳动保障站窗口办理失业登记"},
			{Name: "提交申请", Detail: "填写申领表，提交解除劳动关系证明"},
			{Name: "审核", Detail: "区就业服务中心审核参保缴费情况"},
			{Name: "核定待遇", Detail: "核定领取期限和标准，告知申请人"},
			{Name: "按月发放", Detail: "失业保险金按月打入社会保障卡"},
		},
		Materials: []string{"居民身份证", "解除或终止劳动关系证明", "社会保障卡", "失业登记证明"},
		Location:  "乡镇劳动保障站 1 号窗口", TimeLimit: "15 个工作日",
	},
	{
		Matter: "城乡居民养老保险待遇领取资格认证",
		Steps: []data.GuideStep{
			{Name: "预约", Detail: "本人或家属到窗口或电话预约"},
			{Name: "认证", Detail: "窗口人脸识别，或服务小分队上门认证"},
			{Name: "登记", Detail: "经办人员录入认证结果"},
			{Name: "继续发放", Detail: "认证通过，养老金照常发放"},
		},
		Materials: []string{"居民身份证", "社会保障卡"},
		Location:  "乡镇劳动保障站 2 号窗口（行动不便者可上门）", TimeLimit: "当场办结",
	},
	{
		Matter: "社会保障卡申领",
		Steps: []data.GuideStep{
			{Name: "提交申请", Detail: "持身份证到窗口填写申领表"},
			{Name: "采集照片", Detail: "现场采集照片和签名"},
			{Name: "制卡", Detail: "市社保卡中心统一制卡，约 30 个工作日"},
			{Name: "领卡激活", Detail: "到原窗口领卡，设置密码并激活"},
		},
		Materials: []string{"居民身份证", "近期免冠照片（现场可采集）"},
		Location:  "乡镇劳动保障站社保卡服务点", TimeLimit: "30 个工作日",
	},
	{
		Matter: "工伤认定申请",
		Steps: []data.GuideStep{
			{Name: "提出申请", Detail: "事故发生 30 日内由单位提出，或 1 年内由职工提出"},
			{Name: "受理", Detail: "区人社局工伤股审查材料，材料不全一次性告知"},
			{Name: "调查核实", Detail: "必要时到单位和现场调查"},
			{Name: "作出决定", Detail: "受理之日起 60 日内作出认定决定"},
			{Name: "送达", Detail: "书面送达职工和用人单位"},
		},
		Materials: []string{"工伤认定申请表", "劳动关系证明", "医疗诊断证明", "居民身份证"},
		Location:  "区人社局工伤保险股（劳动保障站可代收材料）", TimeLimit: "60 日",
	},
}
