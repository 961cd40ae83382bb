package demo

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"stationdesk/data"
	"stationdesk/data/store"
)

// Options sizes the demo data; the same options give the same database.
type Options struct {
	Residents int
	Visits    int
	Policies  int
	Seed      uint64
	Until     time.Time // the demo's "today"; its year of activity ends here
}

// Default is what the GUI offers on first start.
func Default(until time.Time) Options {
	return Options{Residents: 200, Visits: 600, Policies: 60, Seed: 1, Until: until}
}

// Identity is the station a demo fills when the folder is not set up yet.
var Identity = data.Identity{Role: data.RoleStation, Name: "示例镇劳动保障站", Code: "430702101", DivisionCode: "430702101"}

// gen carries the generator state shared by each feature's part.
type gen struct {
	ctx    context.Context
	tx     *sql.Tx
	rng    *rand.Rand
	opt    Options
	origin string
	role   data.Role
	start  time.Time // a year before Until

	officers  []string // IDs
	policies  []string
	residents []string
	counts    map[string]int

	stmts map[string]*sql.Stmt // prepared once: a statement's triggers are compiled at every prepare
}

// id makes a UUIDv7 from the demo's random stream and a stamp, so that the
// same seed gives the same IDs.
func (d *gen) id(at time.Time) string {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], d.rng.Uint64())
	binary.BigEndian.PutUint64(u[0:8], d.rng.Uint64())
	ms := uint64(at.UnixMilli())
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	u[6] = 0x70 | (u[6] & 0x0F)
	u[8] = 0x80 | (u[8] & 0x3F)
	return u.String()
}

func (d *gen) pick(list []string) string { return list[d.rng.IntN(len(list))] }

// day returns a random day within the demo year.
func (d *gen) day() time.Time {
	return d.start.AddDate(0, 0, d.rng.IntN(365))
}

func (d *gen) exec(q string, args ...any) error {
	st, ok := d.stmts[q]
	if !ok {
		var err error
		if st, err = d.tx.PrepareContext(d.ctx, q); err != nil {
			return err
		}
		d.stmts[q] = st
	}
	_, err := st.ExecContext(d.ctx, args...)
	return err
}

// Run fills st with realistic, deterministic demo data for one township:
// officers, policies, a year of study days with attendance, residents,
// visits and opinions, in one transaction. An unset-up folder becomes
// Identity. It returns how many records of each kind it wrote.
func Run(ctx context.Context, st *data.Store, opt Options) (map[string]int, error) {
	if opt.Until.IsZero() {
		opt.Until = time.Now()
	}
	opt.Until = time.Date(opt.Until.Year(), opt.Until.Month(), opt.Until.Day(), 10, 0, 0, 0, time.Local)
	ident, ok, err := st.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		ident = Identity
	}
	d := &gen{ctx: ctx, rng: rand.New(rand.NewPCG(opt.Seed, 0x5354444B)), opt: opt, origin: ident.Code, role: ident.Role,
		start: opt.Until.AddDate(-1, 0, 0), counts: map[string]int{}, stmts: map[string]*sql.Stmt{}}
	// Statement journals in memory, as for an import.
	if err := st.TempStoreInMemory(ctx); err != nil {
		return nil, err
	}
	err = st.Write(ctx, func(tx *sql.Tx) error {
		d.tx = tx
		defer func() {
			for _, st := range d.stmts {
				st.Close()
			}
		}()
		if _, err := tx.ExecContext(ctx, store.LargeCache); err != nil {
			return err
		}
		defer tx.ExecContext(ctx, store.DefaultCache)
		if !ok {
			if err := store.SetupTx(ctx, tx, ident, nil, d.id(d.start), d.start.UnixMilli()); err != nil {
				return err
			}
		}
		for _, part := range []struct {
			name string
			fn   func(*gen) error
		}{
			{"officers", addOfficers},
			{"policies", addPolicies},
			{"trainings", addTrainings},
			{"residents", addResidents},
			{"visits", addVisits},
			{"opinions", addOpinions},
			{"reach", addReach},
		} {
			if err := part.fn(d); err != nil {
				return fmt.Errorf("data: demo %s: %w", part.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d.counts, nil
}

var (
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺")
	givenChars = []rune("建国秀英桂兰玉兰淑珍志强明华丽娟海燕德明春梅金凤光辉红霞永红伟军小平淑芬文静家豪子涵思远雨萱俊杰晓东美玲国庆爱民翠花长青福生满仓桂芳秀珍凤英")
	villages   = []string{"桃花村", "柳树村", "石门村", "新塘村", "白鹤村", "龙泉村", "河西社区", "东风社区", "青山村", "马家湾村", "沙坪村", "枫林社区"}
)

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (d *gen) personName() string {
	s := string(surnames[d.rng.IntN(len(surnames))])
	n := 1 + d.rng.IntN(2)
	for i := 0; i < n; i++ {
		s += string(givenChars[d.rng.IntN(len(givenChars))])
	}
	return s
}

func (d *gen) mobile() string {
	prefixes := []string{"138", "139", "135", "136", "150", "151", "152", "158", "159", "173", "177", "181", "186", "189", "191", "199"}
	return fmt.Sprintf("%s%08d", d.pick(prefixes), d.rng.IntN(100000000))
}

func addOfficers(d *gen) error {
	roles := []string{"站长", "劳保专干", "劳保专干", "社区专干", "组织委员", "服务小分队队员", "服务小分队队员", "服务小分队队员"}
	for _, role := range roles {
		at := d.start
		id := d.id(at)
		if err := d.exec(`INSERT INTO officers(id, origin, created_at, updated_at, name, role, station_code, phone, duties, active)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, id, d.origin, at.UnixMilli(), at.UnixMilli(), d.personName(), role, d.origin, d.mobile(), ""); err != nil {
			return err
		}
		d.officers = append(d.officers, id)
	}
	d.counts["officers"] = len(roles)
	return nil
}
