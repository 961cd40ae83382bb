package sync

import (
	"context"
	"fmt"

	"stationdesk/data/store"
)

// StationExport is one station's bundle of a send-to-all, or why it failed.
type StationExport struct {
	Code   string        `json:"code"`
	Name   string        `json:"name"`
	Result *ExportResult `json:"result,omitempty"`
	Err    error         `json:"-"`
	Error  string        `json:"error,omitempty"` // the reason, for --json
}

// ExportBundleAll writes one bundle for every enrolled station into dir (a
// USB stick, say), in code order: 发送给全部站点. A station that fails does
// not stop the others; its error is in its line. progress, if set, is
// called before each station with how many are done, the total and the
// station's name.
func (s *Engine) ExportBundleAll(ctx context.Context, dir string, progress func(done, total int, name string)) ([]StationExport, error) {
	ident, _, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	if ident.Role != store.RoleBureau {
		return nil, &store.Error{Kind: store.KindInvalid, Op: "export to all stations", Field: "role", Msg: "只有区县人社局向全部站点发送同步包"}
	}
	peers, err := s.Peers(ctx)
	if err != nil {
		return nil, err
	}
	var stations []Peer
	for _, p := range peers {
		if p.Role == store.RoleStation {
			stations = append(stations, p)
		}
	}
	if len(stations) == 0 {
		return nil, store.Invalid("station", "还没有登记站点")
	}
	out := make([]StationExport, 0, len(stations))
	for i, p := range stations {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("data: export to all stations: %w", err)
		}
		if progress != nil {
			progress(i, len(stations), p.Name)
		}
		r, err := s.ExportBundle(ctx, dir, p.Code, nil)
		e := StationExport{Code: p.Code, Name: p.Name, Result: r, Err: err}
		if err != nil {
			e.Error = errorText(err)
		}
		out = append(out, e)
	}
	if progress != nil {
		progress(len(stations), len(stations), "")
	}
	return out, nil
}
