package sync_test

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"stationdesk/data"
	"stationdesk/data/store"
	dsync "stationdesk/data/sync"
)

// The findings of issue 15, each tried as an attack: a bundle built by hand
// from docs/bundle-format.md, signed and encrypted with one station's own
// keys (what its enrolment file holds), never through the exporter.

// handRecord is one line of records/KIND.jsonl, written as the format page says.
func handRecord(id string, hlc int64, node string, row map[string]any) string {
	row["id"] = id
	b, err := json.Marshal(map[string]any{"id": id, "hlc": hlc, "node": node, "base_hlc": 0, "base_node": "", "row": row})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// handBundle seals records (kind → JSONL lines) and files (named by their
// SHA-256) as the next bundle from `from` to `to`.
func handBundle(t testing.TB, from, to *data.Store, records map[string][]string, files ...[]byte) string {
	t.Helper()
	ctx := context.Background()
	me, _, _ := from.Identity(ctx)
	them, _, _ := to.Identity(ctx)
	p, _, err := dsync.GetPeer(ctx, to.Read(), me.Code)
	if err != nil {
		t.Fatal(err)
	}
	seq := p.InSeq + 1
	epoch, err := dsync.EpochOf(ctx, from.Read())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := json.Marshal(dsync.Manifest{Sender: me.Code, Receiver: them.Code, Seq: seq, Epoch: epoch, Created: 1})
	entries := []zentry{{hdr: zip.FileHeader{Name: "manifest.json", Method: zip.Deflate}, body: m}}
	kinds := make([]string, 0, len(records))
	for k := range records {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		entries = append(entries, zentry{hdr: zip.FileHeader{Name: "records/" + k + ".jsonl", Method: zip.Deflate},
			body: []byte(strings.Join(records[k], "\n") + "\n")})
	}
	for _, f := range files {
		sum := sha256.Sum256(f)
		entries = append(entries, zentry{hdr: zip.FileHeader{Name: "files/" + hex.EncodeToString(sum[:]), Method: zip.Store}, body: f})
	}
	return sealBundleEpoch(t, from, them.Code, zipOf(t, entries...), seq, epoch)
}

// diskState lists every file beside the data folder (its parent, the data
// folder left out) with its size: what an attack must not touch.
func diskState(t testing.TB, st *data.Store) string {
	t.Helper()
	root := filepath.Dir(st.Dir)
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p == st.Dir {
			return filepath.SkipDir
		}
		info, _ := d.Info()
		if info != nil {
			out = append(out, fmt.Sprintf("%s %d %v", p, info.Size(), info.Mode()))
		}
		return nil
	})
	return strings.Join(out, "\n")
}

// attackRefused imports a hostile bundle and wants it refused with reason,
// the database's records and the disk outside the data folder unchanged.
func attackRefused(t *testing.T, st *data.Store, path, reason string) *dsync.ImportResult {
	t.Helper()
	disk := diskState(t, st)
	refusedUnchanged(t, st, path, reason)
	if diskState(t, st) != disk {
		t.Fatal("a refused bundle changed the disk outside the data folder")
	}
	// refusedUnchanged imported it once; the result again, for its message.
	r, _ := st.ImportBundle(context.Background(), path)
	return r
}

// idWithCheck completes 17 digits with their check character.
func idWithCheck(first17 string) string { return first17 + string(store.IDCheckChar(first17)) }

// attackNet is a bureau with two stations, a bureau policy, guide and
// attachment delivered to both, and a resident of station B known at the bureau.
type attackNet struct {
	*syncNet
	policy, guide, attachment, residentB string
}

func newAttackNet(t *testing.T) *attackNet {
	t.Helper()
	ctx := context.Background()
	n := &attackNet{syncNet: newSyncNet(t, 2)}
	p := &data.Policy{Title: "关于做好城乡居民养老保险待遇领取资格认证工作的通知", Category: "养老保险", Status: data.PolicyCurrent}
	if err := n.bureau.AddPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	n.policy = p.ID
	g := &data.ServiceGuide{Matter: "失业保险金申领", Steps: []data.GuideStep{{Name: "登记", Detail: "到窗口登记"}}}
	if err := n.bureau.SaveServiceGuide(ctx, g); err != nil {
		t.Fatal(err)
	}
	n.guide = g.ID
	f := filepath.Join(t.TempDir(), "通知.txt")
	os.WriteFile(f, []byte("附件正文"), 0o600)
	if err := n.bureau.AddAttachment(ctx, p.ID, f); err != nil {
		t.Fatal(err)
	}
	n.attachment = ids(t, n.bureau, `SELECT id FROM policy_attachments`)[0]
	r := &data.Resident{Name: "李四", IDNumber: idWithCheck("43070219450101123"), Consent: true}
	if err := n.stations[1].AddResident(ctx, r, "站长"); err != nil {
		t.Fatal(err)
	}
	n.residentB = r.ID
	mustImport(t, n.bureau, n.up(1), "imported")
	for i := range n.stations {
		mustImport(t, n.stations[i], n.down(i), "imported")
	}
	return n
}

// stationRow is a row of kind as station code would write it.
func baseRow(origin string, extra map[string]any) map[string]any {
	row := map[string]any{"origin": origin, "created_at": 1790000000000, "updated_at": 1790000000001, "deleted": 0}
	for k, v := range extra {
		row[k] = v
	}
	return row
}

func TestAttackBroadcastAsBureau(t *testing.T) { // finding 1
	ctx := context.Background()
	n := newAttackNet(t)
	a, codeA := n.stations[0], n.codes[0]
	hlc := (store.NowMillis() + 1000) << 16
	cases := []struct {
		name    string
		records map[string][]string
		kind    string
	}{
		{"retitle a bureau policy", map[string][]string{"policies": {handRecord(n.policy, hlc, codeA, baseRow("430702",
			map[string]any{"title": "区人社局紧急通知：请扫码 http://x.example", "source": "bureau", "category": "养老保险"}))}}, "policies"},
		{"delete a bureau policy", map[string][]string{"policies": {handRecord(n.policy, hlc, codeA, baseRow("430702",
			map[string]any{"title": "关于做好城乡居民养老保险待遇领取资格认证工作的通知", "source": "bureau", "deleted": 1}))}}, "policies"},
		{"new policy in the bureau's name", map[string][]string{"policies": {handRecord(data.NewID(), hlc, codeA, baseRow("430702",
			map[string]any{"title": "区人社局紧急通知 请扫码 http://x.example", "source": "bureau"}))}}, "policies"},
		{"own policy passing for the bureau's", map[string][]string{"policies": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"title": "区人社局紧急通知", "source": "bureau"}))}}, "policies"},
		{"rewrite a bureau guide", map[string][]string{"service_guides": {handRecord(n.guide, hlc, codeA, baseRow("430702",
			map[string]any{"matter": "扫码领取补贴"}))}}, "service_guides"},
		{"rewrite a bureau attachment", map[string][]string{"policy_attachments": {handRecord(n.attachment, hlc, codeA, baseRow("430702",
			map[string]any{"policy_id": n.policy, "name": "通知.txt", "size": 1, "sha256": "00", "content": map[string]string{"b64": "eA=="}}))}}, "policy_attachments"},
		{"own attachment on a bureau policy", map[string][]string{"policy_attachments": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"policy_id": n.policy, "name": "扫码.txt", "size": 1, "sha256": "00", "content": map[string]string{"b64": "eA=="}}))}}, "policy_attachments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := attackRefused(t, n.bureau, handBundle(t, a, n.bureau, c.records), "not_authorized")
			if r.Record == nil || r.Record.Kind != c.kind || !strings.Contains(r.Message, "桃花镇劳动保障站") || !strings.Contains(r.Message, "已整包拒收") {
				t.Fatalf("refusal does not name the sender and the record: %q %+v", r.Message, r.Record)
			}
		})
	}
	// Nothing reached the other station either.
	before := snapshot(t, n.stations[1], nil)
	mustImport(t, n.stations[1], n.down(1), "imported")
	if after := snapshot(t, n.stations[1], nil); len(after) != len(before) {
		t.Fatal("the bureau forwarded something after refusing it")
	}
	// Visible: the audit trail and the board of stations.
	log, err := n.bureau.AuditLog(ctx, data.AuditQuery{Action: dsync.AuditBundleRefused})
	if err != nil || len(log) == 0 {
		t.Fatalf("no audit line for the refusals (%v)", err)
	}
	board, err := n.bureau.SyncBoard(ctx, store.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range board {
		if (s.Refused != nil) != (s.Code == codeA) {
			t.Fatalf("board: station %s refused=%v", s.Code, s.Refused)
		}
	}
	// The message names the bureau as the owner of its policy.
	r := attackRefused(t, n.bureau, handBundle(t, a, n.bureau, cases[0].records), "not_authorized")
	if want := "桃花镇劳动保障站的数据包试图修改示例区人社局的政策资料《关于做好城乡居民养老保险待遇领取资格认证工作的通知》，已整包拒收"; r.Message != "拒绝："+want {
		t.Fatalf("message %q", r.Message)
	}
}

func TestAttackOtherStationsRecords(t *testing.T) { // findings 3, 4 and 5
	ctx := context.Background()
	n := newAttackNet(t)
	a, codeA, codeB := n.stations[0], n.codes[0], n.codes[1]
	hlc := (store.NowMillis() + 1000) << 16
	t.Run("officer for another station's roster", func(t *testing.T) {
		attackRefused(t, n.bureau, handBundle(t, a, n.bureau, map[string][]string{"officers": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"name": "张三", "station_code": codeB}))}}), "not_authorized")
	})
	t.Run("photo for another station", func(t *testing.T) {
		attackRefused(t, n.bureau, handBundle(t, a, n.bureau, map[string][]string{"officer_photos": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"officer_id": data.NewID(), "station_code": codeB, "mime": "PNG", "content": map[string]string{"b64": "iVBORw0KGgo="}}))}}), "not_authorized")
	})
	for _, origin := range []string{codeA, codeB} {
		t.Run("take over another station's resident as "+origin, func(t *testing.T) {
			attackRefused(t, n.bureau, handBundle(t, a, n.bureau, map[string][]string{"residents": {handRecord(n.residentB, hlc, codeA, baseRow(origin,
				map[string]any{"name": "李四", "deleted": 1}))}}), "not_authorized")
		})
	}
	t.Run("a stations row", func(t *testing.T) {
		attackRefused(t, n.bureau, handBundle(t, a, n.bureau, map[string][]string{"stations": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"code": "430702103", "name": "石门镇劳动保障站", "role": "station"}))}}), "not_authorized")
	})
	t.Run("liaison records", func(t *testing.T) {
		attackRefused(t, n.bureau, handBundle(t, a, n.bureau, map[string][]string{"liaison_visits": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"officer_id": data.NewID(), "officer_name": "王科长", "station_code": codeA, "date": "2026-11-01"}))}}), "not_authorized")
	})
	// A stations row left by an older program does not block enrolment.
	edit(t, n.bureau, `INSERT INTO stations(id, origin, created_at, updated_at, code, name, role) VALUES (?, ?, 1, 1, '430702103', '假站', 'station')`, data.NewID(), codeA)
	if _, err := n.bureau.AddStation(ctx, "430702103", "石门镇劳动保障站"); err != nil {
		t.Fatalf("station add blocked by a station's row: %v", err)
	}
	if got := ids(t, n.bureau, `SELECT origin FROM stations WHERE code = '430702103'`); len(got) != 1 || got[0] != "430702" {
		t.Fatalf("stations rows of 430702103: %v", got)
	}
	// An honest bundle of A still imports after all that.
	edit(t, a, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id) VALUES (?, ?, 1, 1, '2026-11-01', ?)`, data.NewID(), codeA, data.NewID())
	mustImport(t, n.bureau, n.up(0), "imported")
}

// TestAttackFromBureau: a station refuses a bureau bundle carrying what the
// bureau does not send it: another station's records, or a change of owner.
func TestAttackFromBureau(t *testing.T) {
	n := newAttackNet(t)
	a, codeA, codeB := n.stations[0], n.codes[0], n.codes[1]
	hlc := (store.NowMillis() + 1000) << 16
	edit(t, a, `INSERT INTO visits(id, origin, created_at, updated_at, date, resident_id) VALUES (?, ?, 1, 1, '2026-11-01', ?)`, "own-visit", codeA, data.NewID())
	for _, c := range []struct {
		name    string
		records map[string][]string
	}{
		{"another station's resident", map[string][]string{"residents": {handRecord(n.residentB, hlc, "430702", baseRow(codeB, map[string]any{"name": "李四"}))}}},
		{"another station's officer", map[string][]string{"officers": {handRecord(data.NewID(), hlc, "430702", baseRow("430702", map[string]any{"name": "王五", "station_code": codeB}))}}},
		{"the station's record given away", map[string][]string{"visits": {handRecord("own-visit", hlc, "430702", baseRow(codeB, map[string]any{"date": "2026-11-01", "resident_id": "r"}))}}},
		{"a version made by another station", map[string][]string{"policies": {handRecord(data.NewID(), hlc, codeB, baseRow("430702", map[string]any{"title": "通知", "source": "bureau"}))}}},
		{"the bureau's own visits", map[string][]string{"visits": {handRecord(data.NewID(), hlc, "430702", baseRow("430702", map[string]any{"date": "2026-11-01", "resident_id": "r"}))}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			attackRefused(t, a, handBundle(t, n.bureau, a, c.records), "not_authorized")
		})
	}
	// What the bureau may send goes in: a new policy of its own.
	mustImport(t, a, handBundle(t, n.bureau, a, map[string][]string{"policies": {handRecord(data.NewID(), hlc, "430702",
		baseRow("430702", map[string]any{"title": "关于调整城乡居民基础养老金的通知", "source": "bureau"}))}}), "imported")
}

// TestAttackOpinionReply: finding 9. The station's edit never overwrites the
// bureau's reply, nor the bureau's reply the station's content; equal lists
// in another order are no conflict.
func TestAttackOpinionReply(t *testing.T) {
	ctx := context.Background()
	n := newAttackNet(t)
	a := n.stations[0]
	o := &data.Opinion{Date: "2026-11-01", Source: "窗口", Content: "希望医保报销能在村里直接办理", Category: "医疗保险"}
	if err := a.AddOpinion(ctx, o, "站长"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, n.bureau, n.up(0), "imported")
	// Both edit the opinion before seeing the other's edit.
	if err := n.bureau.AnswerOpinion(ctx, o.ID, "已协调医保局在村卫生室设代办点。", "王科长"); err != nil {
		t.Fatal(err)
	}
	edit(t, a, `UPDATE opinions SET content = ?, reply = ?, updated_at = updated_at + 1 WHERE id = ?`, "希望医保报销能在村里直接办理（村民补充：含慢病）", "电话里说会办", o.ID)
	up := n.up(0)
	mustImport(t, a, n.down(0), "imported")
	mustImport(t, n.bureau, up, "imported")
	mustImport(t, a, n.down(0), "imported")
	mustImport(t, n.bureau, n.up(0), "imported")
	for _, st := range []*data.Store{n.bureau, a} {
		var content, reply, status string
		st.Read().QueryRow(`SELECT content, reply, status FROM opinions WHERE id = ?`, o.ID).Scan(&content, &reply, &status)
		if content != "希望医保报销能在村里直接办理（村民补充：含慢病）" || reply != "已协调医保局在村卫生室设代办点。" || status != "已答复" {
			t.Fatalf("content %q reply %q status %q", content, reply, status)
		}
	}
	for _, st := range []*data.Store{n.bureau, a} {
		if c := count(t, st, `SELECT count(*) FROM sync_conflicts WHERE kind = 'opinions'`); c != 0 {
			t.Fatalf("%d conflicts kept for an opinion edited field by field", c)
		}
	}
	// Categories in another order: the same set, no conflict.
	rid := ids(t, n.stations[1], `SELECT id FROM residents`)[0]
	b := n.stations[1]
	edit(t, b, `UPDATE residents SET categories = '["高龄","独居"]', updated_at = updated_at + 1 WHERE id = ?`, rid)
	mustImport(t, n.bureau, n.up(1), "imported")
	edit(t, n.bureau, `UPDATE residents SET categories = '["独居","高龄"]', updated_at = updated_at + 2 WHERE id = ?`, rid)
	edit(t, b, `UPDATE residents SET categories = '["独居","高龄"]', updated_at = updated_at + 3 WHERE id = ?`, rid)
	mustImport(t, n.bureau, n.up(1), "imported")
	mustImport(t, b, n.down(1), "imported")
	for _, st := range []*data.Store{n.bureau, b} {
		if c := count(t, st, `SELECT count(*) FROM sync_conflicts WHERE kind = 'residents'`); c != 0 {
			t.Fatalf("%d conflicts over the same categories in another order", c)
		}
	}
}

// TestAttackInvalidRecords: finding 8 (and the broken photo of finding 3,
// the path-like attachment id of finding 2). Each record breaks a rule that
// typed input obeys; each bundle is refused whole, naming the field.
func TestAttackInvalidRecords(t *testing.T) {
	n := newAttackNet(t)
	a, codeA := n.stations[0], n.codes[0]
	hlc := (store.NowMillis() + 1000) << 16
	resident := func(extra map[string]any) map[string][]string {
		row := baseRow(codeA, map[string]any{"name": "王五", "id_number": idWithCheck("43070219400101123"), "categories": `["高龄"]`})
		for k, v := range extra {
			row[k] = v
		}
		return map[string][]string{"residents": {handRecord(data.NewID(), hlc, codeA, row)}}
	}
	pid := data.NewID()
	edit(t, a, `INSERT INTO policies(id, origin, created_at, updated_at, title, source) VALUES (?, ?, 1, 1, '本站政策', 'local')`, pid, codeA)
	mustImport(t, n.bureau, n.up(0), "imported")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00")
	for _, c := range []struct {
		name, field string
		records     map[string][]string
	}{
		{"ID number not-an-id", "id_number", resident(map[string]any{"id_number": "not-an-id"})},
		{"ID number with a wrong check digit", "id_number", resident(map[string]any{"id_number": "430702194001011230"})},
		{"phone abc", "phone", resident(map[string]any{"phone": "abc"})},
		{"deleted 7", "deleted", resident(map[string]any{"deleted": 7})},
		{"created_at -5", "created_at", resident(map[string]any{"created_at": -5})},
		{"a stamp a century ahead", "updated_at", resident(map[string]any{"updated_at": int64(4102444800000) * 2})},
		{"NUL in a name", "name", resident(map[string]any{"name": "王\x00五"})},
		{"ESC in notes", "notes", resident(map[string]any{"notes": "见\x1b[31m红字"})},
		{"bidi control", "address", resident(map[string]any{"address": "丹洲村\u202e1号"})},
		{"invalid JSON list", "categories", resident(map[string]any{"categories": `["高龄",`})},
		{"a list that is no list", "categories", resident(map[string]any{"categories": `{"a":1}`})},
		{"consent 2", "consent", resident(map[string]any{"consent": 2})},
		{"gender neither", "gender", resident(map[string]any{"gender": "X"})},
		{"id with a control character", "id", map[string][]string{"visits": {handRecord("01a2\x01", hlc, codeA, baseRow(codeA, map[string]any{"date": "2026-11-01", "resident_id": "r"}))}}},
		{"visit date in 1970", "date", map[string][]string{"visits": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA, map[string]any{"date": "1970-01-01", "resident_id": "r"}))}}},
		{"opinion status unknown", "status", map[string][]string{"opinions": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA, map[string]any{"date": "2026-11-01", "content": "意见", "status": "已删除"}))}}},
		{"attachment id as a path", "id", map[string][]string{"policy_attachments": {handRecord("../../x", hlc, codeA, baseRow(codeA,
			map[string]any{"policy_id": pid, "name": "a.txt", "size": 1, "sha256": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", "content": map[string]string{"b64": "eA=="}}))}}},
		{"attachment whose hash lies", "sha256", map[string][]string{"policy_attachments": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"policy_id": pid, "name": "a.txt", "size": 1, "sha256": strings.Repeat("0", 64), "content": map[string]string{"b64": "eA=="}}))}}},
		{"truncated PNG photo", "content", map[string][]string{"officer_photos": {handRecord(data.NewID(), hlc, codeA, baseRow(codeA,
			map[string]any{"officer_id": data.NewID(), "station_code": codeA, "mime": "PNG", "content": map[string]string{"b64": base64Std(png)}}))}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := attackRefused(t, n.bureau, handBundle(t, a, n.bureau, c.records), "bad_record")
			if r.Record == nil || r.Record.Field != c.field || !strings.Contains(r.Message, "不符合录入规则") {
				t.Fatalf("refusal does not name the field %s: %q %+v", c.field, r.Message, r.Record)
			}
			if strings.ContainsAny(r.Message, "\x00\x1b\u202e") {
				t.Fatalf("a control character reached the message: %q", r.Message)
			}
		})
	}
	// The same rules hold from the bureau's side.
	attackRefused(t, a, handBundle(t, n.bureau, a, map[string][]string{"policies": {handRecord(data.NewID(), hlc, "430702",
		baseRow("430702", map[string]any{"title": "通知\u202e", "source": "bureau"}))}}), "bad_record")
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// FuzzIncomingRow: any row of any kind either passes the checks of incoming
// records or is refused with an errInvalidRecord; never a panic.
func FuzzIncomingRow(f *testing.F) {
	st := openStore(f, "")
	ctx := context.Background()
	tx, err := st.Read().BeginTx(ctx, nil)
	if err != nil {
		f.Fatal(err)
	}
	kinds := dsync.SyncKinds()
	cols := make([][]dsync.Column, len(kinds))
	for i, k := range kinds {
		if cols[i], err = dsync.TableColumns(ctx, tx, k.Table); err != nil {
			f.Fatal(err)
		}
	}
	tx.Rollback()
	f.Add(uint8(0), `{"id":"01a24d99-375a-7c51-bcd6-9d6b16acf4c5","origin":"430702101","created_at":1,"updated_at":2,"deleted":0,"name":"桃花镇","code":"430702101","role":"station"}`)
	f.Add(uint8(5), `{"id":"01a24d99-375a-7c51-bcd6-9d6b16acf4c5","origin":"430702101","created_at":1,"updated_at":2,"deleted":0,"name":"王五","id_number":"not-an-id","categories":"[\"高龄\""}`)
	f.Add(uint8(6), `{"id":"x\u0000","origin":"430702101","created_at":-5,"deleted":7,"date":"2026-11-01","officer_ids":"[1,2]","steps":"[{\"name\":\"a\"}]"}`)
	f.Add(uint8(20), `{"id":"01a24d99-375a-7c51-bcd6-9d6b16acf4c5","content":{"b64":"iVBORw0KGgo="},"mime":"PNG","sha256":"00","size":-1}`)
	f.Fuzz(func(t *testing.T, kind uint8, row string) {
		i := int(kind) % len(kinds)
		rec := &dsync.IncomingRecord{ID: "r"}
		if json.Unmarshal([]byte(row), &rec.Row) != nil {
			return
		}
		err := dsync.CheckIncomingRow(kinds[i], cols[i], rec)
		var inv *dsync.ErrInvalidRecord
		var bad dsync.ErrBadRecord
		if err != nil && !errors.As(err, &inv) && !errors.As(err, &bad) {
			t.Fatalf("%s: %v", kinds[i].Name, err)
		}
	})
}

// TestAuthorityTableInDocs: docs/bundle-format.md prints the table the code
// reads, and every kind that travels has a line.
func TestAuthorityTableInDocs(t *testing.T) {
	for _, k := range dsync.SyncKinds() {
		if _, ok := dsync.AuthorityOf(k.Name); !ok {
			t.Errorf("kind %s has no line in the authorization table (sync_authority.go)", k.Name)
		}
	}
	doc, err := os.ReadFile("../../docs/bundle-format.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- authority table: generated from data/sync/sync_authority.go -->\n", "<!-- end of authority table -->"
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("docs/bundle-format.md has no authority table markers")
	}
	if got, want := s[i+len(begin):j], dsync.AuthorityMarkdown(); got != want {
		t.Fatalf("docs/bundle-format.md's authority table differs from the code; paste this:\n%s", want)
	}
}

// TestLocalEditsWithinAuthority: what a station's own forms save is what the
// bureau will accept, so an honest station never locks itself out.
func TestLocalEditsWithinAuthority(t *testing.T) {
	ctx := context.Background()
	n := newAttackNet(t)
	a := n.stations[0]
	f := filepath.Join(t.TempDir(), "本站说明\u202e.txt")
	os.WriteFile(f, []byte("x"), 0o600)
	if err := a.AddAttachment(ctx, n.policy, f); data.ErrorKind(err) != data.KindInvalid {
		t.Fatalf("a station attached a file to the bureau's policy: %v", err)
	}
	g, err := a.ServiceGuide(ctx, n.guide)
	if err != nil {
		t.Fatal(err)
	}
	g.Matter = "扫码领取补贴"
	if err := a.SaveServiceGuide(ctx, &g); data.ErrorKind(err) != data.KindInvalid {
		t.Fatalf("a station changed the bureau's guide: %v", err)
	}
	o := data.Officer{Name: "赵六"}
	if err := a.AddOfficer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00")
	if err := a.SetOfficerPhoto(ctx, o.ID, png); data.ErrorKind(err) != data.KindInvalid {
		t.Fatalf("a truncated photo was kept: %v", err)
	}
	// A local policy's attachment with an odd name is kept under a name
	// every copy accepts, and the bundle goes through.
	p := &data.Policy{Title: "本站办事须知", Category: "其他", Status: data.PolicyCurrent}
	if err := a.AddPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := a.AddAttachment(ctx, p.ID, f); err != nil {
		t.Fatal(err)
	}
	mustImport(t, n.bureau, n.up(0), "imported")
}
