package data

import "fmt"

// PolicyCategories are the categories of DESIGN.md, in display order.
var PolicyCategories = []string{"养老保险", "医疗保险", "失业保险", "工伤保险", "就业创业", "劳动关系", "人事人才", "社保卡", "其他"}

var demoPolicyTopics = map[string][]string{
	"养老保险": {"城乡居民养老保险待遇领取资格认证", "基本养老金调整", "城乡居民养老保险缴费档次", "养老保险关系转移接续", "被征地农民养老保险"},
	"医疗保险": {"城乡居民医保集中参保缴费", "异地就医直接结算", "门诊慢特病待遇", "医保定点医疗机构管理", "大病保险报销"},
	"失业保险": {"失业保险金申领", "失业保险稳岗返还", "技能提升补贴", "失业人员价格临时补贴"},
	"工伤保险": {"工伤认定申请", "工伤保险待遇核定", "劳动能力鉴定", "建筑业按项目参加工伤保险"},
	"就业创业": {"就业困难人员认定", "创业担保贷款", "公益性岗位开发管理", "高校毕业生就业见习", "农村劳动力转移就业"},
	"劳动关系": {"农民工工资支付保障", "劳动合同签订", "劳动争议调解仲裁", "欠薪线索处置"},
	"人事人才": {"流动人员人事档案管理", "人事档案外借审批", "职称评审", "专业技术人员继续教育"},
	"社保卡":  {"社会保障卡申领", "社会保障卡激活与挂失", "电子社保卡签发", "社保卡跨省通办"},
	"其他":   {"干部学习日制度", "上门服务工作", "政策宣传卡片发放", "群众意见征集办理"},
}

var demoIssuers = []struct{ name, prefix string }{
	{"湖南省人力资源和社会保障厅", "湘人社发"},
	{"常德市人力资源和社会保障局", "常人社发"},
	{"武陵区人力资源和社会保障局", "武人社发"},
	{"湖南省医疗保障局", "湘医保发"},
}

var demoActions = []string{"关于做好", "关于进一步加强", "关于印发", "关于调整", "关于开展", "关于规范"}
var demoEndings = []string{"工作的通知", "的实施意见", "实施办法的通知", "有关问题的通知", "专项行动的通知"}

func demoPolicies(d *demo) error {
	for i := 0; i < d.opt.Policies; i++ {
		cat := PolicyCategories[i%len(PolicyCategories)]
		topic := d.pick(demoPolicyTopics[cat])
		iss := demoIssuers[d.rng.IntN(len(demoIssuers))]
		year := 2012 + d.rng.IntN(14)
		eff := fmt.Sprintf("%d-%02d-01", year, 1+d.rng.IntN(12))
		title := d.pick(demoActions) + topic + d.pick(demoEndings)
		status := "现行有效"
		if d.rng.IntN(10) == 0 {
			status = "已废止"
		}
		summary := fmt.Sprintf("本文件规定了%s的对象、条件、办理流程和时限。群众可到乡镇（街道）劳动保障站或社区服务中心咨询办理。", topic)
		body := summary + "\n\n一、适用范围。\n二、办理条件。\n三、办理流程：申请、受理、审核、办结。\n四、工作要求：各乡镇劳动保障站要做好政策宣传和上门服务。"
		at := d.start
		if err := d.exec(`INSERT INTO policies(id, origin, created_at, updated_at, title, doc_no, issuer, category, effective, status, summary, body, tags, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local')`,
			d.id(at), d.origin, at.UnixMilli(), at.UnixMilli(), title, fmt.Sprintf("%s〔%d〕%d号", iss.prefix, year, 1+d.rng.IntN(60)),
			iss.name, cat, eff, status, summary, body, mustJSON([]string{cat, topic})); err != nil {
			return err
		}
	}
	d.counts["policies"] = d.opt.Policies
	return nil
}
