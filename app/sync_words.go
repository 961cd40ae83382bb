package app

import (
	"fmt"

	"fyne.io/fyne/v2/lang"

	"stationdesk/data"
)

// peerStatusText says in plain words where a station stands with its bureau:
// what was sent, what the bureau has confirmed, what came back.
func peerStatusText(p data.StationStatus) string {
	text := fmt.Sprintf(lang.L("所属：%s（%s）。"), p.Name, p.Code)
	switch {
	case p.OutSeq == 0:
		text += lang.L("还没有向区县人社局发出过同步包。")
	case p.AckedSeq >= p.OutSeq:
		text += fmt.Sprintf(lang.L("已发出 %d 个同步包，区县人社局都已收到。"), p.OutSeq)
	case p.AckedSeq == 0:
		text += fmt.Sprintf(lang.L("已发出 %d 个同步包，区县人社局还没有回复收到；下次导出时会把这些记录再带上，不会丢失。"), p.OutSeq)
	default:
		text += fmt.Sprintf(lang.L("已发出 %d 个同步包，区县人社局已确认收到前 %d 个；其余的记录下次导出时会再带上，不会丢失。"), p.OutSeq, p.AckedSeq)
	}
	if p.InSeq == 0 {
		return text + lang.L("还没有收到过区县人社局的同步包。")
	}
	return text + fmt.Sprintf(lang.L("已收到区县人社局的 %d 个同步包。"), p.InSeq)
}

// notEnrolledExport is why 导出同步包 is disabled before the station joined its bureau.
const notEnrolledExport = "本站还没有加入区县人社局，所以还不能导出同步包。请先在上面“加入区县人社局”中导入区局发来的登记文件。"
