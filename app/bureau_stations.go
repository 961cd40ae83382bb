package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// stationFilter is the station choice on a list that merges every
// station's records at the bureau (上门服务, 待跟进, 群众意见), and the names
// the rows show. At a station it is nil: its lists hold its own records.
type stationFilter struct {
	sel   *widget.Select
	codes map[string]string // option -> code
	names map[string]string // code -> short name
}

// newStationFilter loads the enrolled stations; changed gets the chosen
// code ("" for all).
func newStationFilter(e *Env, changed func(code string)) *stationFilter {
	if e.Ident.Role != data.RoleBureau {
		return nil
	}
	f := &stationFilter{codes: map[string]string{}, names: map[string]string{}}
	all := lang.L("全部站点")
	f.sel = widget.NewSelect([]string{all}, nil)
	f.sel.SetSelected(all)
	f.sel.OnChanged = func(s string) { changed(f.codes[s]) }
	Go(e, func(ctx context.Context) ([]data.Peer, error) { return e.Store.Peers(ctx) }, func(peers []data.Peer, err error) {
		if err != nil {
			return
		}
		opts := []string{all}
		for _, p := range peers {
			if p.Role != data.RoleStation {
				continue
			}
			opts = append(opts, p.Name)
			f.codes[p.Name] = p.Code
			f.names[p.Code] = chartName(p.Name)
		}
		f.sel.Options = opts
		f.sel.Refresh()
	})
	return f
}

// object is the select, or nothing at a station.
func (f *stationFilter) objects() []fyne.CanvasObject {
	if f == nil {
		return nil
	}
	return []fyne.CanvasObject{f.sel}
}

// prefix is "丹洲乡 · " before a row's text at the bureau, "" at a station.
func (f *stationFilter) prefix(code string) string {
	if f == nil {
		return ""
	}
	if n := f.names[code]; n != "" {
		return n + " · "
	}
	return code + " · "
}
