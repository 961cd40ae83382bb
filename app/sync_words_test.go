package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"stationdesk/data"
)

func TestPeerStatusInPlainWords(t *testing.T) {
	p := func(out, acked, in int64) data.StationStatus {
		return data.StationStatus{Peer: data.Peer{Name: "示例区人社局", Code: "430702", OutSeq: out, AckedSeq: acked, InSeq: in}}
	}
	for _, c := range []struct {
		s    data.StationStatus
		want []string
	}{
		{p(0, 0, 0), []string{"还没有向区县人社局发出过同步包", "还没有收到过"}},
		{p(3, 0, 1), []string{"已发出 3 个同步包，区县人社局还没有回复收到", "不会丢失", "已收到区县人社局的 1 个"}},
		{p(3, 2, 2), []string{"已确认收到前 2 个"}},
		{p(3, 3, 2), []string{"都已收到"}},
	} {
		got := peerStatusText(c.s)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%+v: %q lacks %q", c.s.Peer, got, w)
			}
		}
		if strings.Contains(got, "第 0 号") || strings.Contains(got, "确认到第") {
			t.Errorf("jargon: %q", got)
		}
	}
}

func TestExportDisabledSaysWhy(t *testing.T) {
	st := newTestStore(t, false)
	if err := st.Setup(t.Context(), data.Identity{Role: data.RoleStation, Name: "桃花镇劳动保障站", Code: "430702101"}, nil); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, st, fyne.NewSize(1280, 800))
	e.showForTest(syncScreen(e))
	if !trHasText(e.Win.Content(), "本站还没有加入区县人社局，所以还不能导出同步包。请先在上面“加入区县人社局”中导入区局发来的登记文件。") {
		t.Fatalf("no reason beside the disabled export: %q", trainingTexts(e.Win.Content()))
	}
}
