package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stationdesk/data"
)

// serviceUI is the 上门服务 screen: residents, visits, follow-ups and the
// visit plan, over the roster and catalogue loaded once.
type serviceUI struct {
	e        *Env
	officers []data.Officer // active roster
	names    map[string]string
	villages []string
	services []string
	actor    *widget.Select // 经办人: who is doing the work at this desk
	actorID  string

	tabs      *container.AppTabs
	residents *residentTab
	visits    *visitTab
	follow    *followupTab
	plan      *planTab
	outreach  *outreachTab // 告知清单 (reach.go)
}

// serviceBasics is what the screen loads before anything else.
type serviceBasics struct {
	officers []data.Officer
	all      []data.Officer
	villages []string
	services []string
}

func loadServiceBasics(ctx context.Context, st *data.Store) (serviceBasics, error) {
	var b serviceBasics
	var err error
	if b.all, err = st.Officers(ctx, false); err != nil {
		return b, err
	}
	for _, o := range b.all {
		if o.Active {
			b.officers = append(b.officers, o)
		}
	}
	if b.villages, err = st.Villages(ctx); err != nil {
		return b, err
	}
	b.services, err = st.VisitServices(ctx)
	return b, err
}

func serviceScreen(e *Env) fyne.CanvasObject {
	u := newServiceUI(e)
	e.setView("service", u)
	return page(lang.L("上门服务"), u.content())
}

func newServiceUI(e *Env) *serviceUI {
	u := &serviceUI{e: e, names: map[string]string{}}
	u.actor = widget.NewSelect(nil, func(s string) {
		for _, o := range u.officers {
			if officerLabel(o) == s {
				u.actorID = o.ID
			}
		}
	})
	u.actor.PlaceHolder = lang.L("请选择经办人")
	u.residents = newResidentTab(u)
	u.visits = newVisitTab(u)
	u.follow = newFollowupTab(u)
	u.plan = newPlanTab(u)
	u.outreach = newOutreachTab(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("服务对象"), u.residents.content),
		container.NewTabItem(lang.L("上门记录"), u.visits.content),
		container.NewTabItem(lang.L("待跟进"), u.follow.content),
		container.NewTabItem(lang.L("走访计划"), u.plan.content),
		container.NewTabItem(lang.L("告知清单"), u.outreach.content),
	)
	u.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case u.visits.content:
			u.visits.reload()
		case u.follow.content:
			u.follow.reload()
		case u.plan.content:
			u.plan.reload()
		case u.outreach.content:
			u.outreach.reload()
		}
	}
	u.reloadBasics(func() { u.residents.reload() })
	return u
}

func (u *serviceUI) content() fyne.CanvasObject {
	top := container.NewHBox(layoutSpacer(), widget.NewLabel(lang.L("经办人")), container.NewGridWrap(fyne.NewSize(160, u.actor.MinSize().Height), u.actor))
	return container.NewBorder(top, nil, nil, nil, u.tabs)
}

func officerLabel(o data.Officer) string {
	if o.Role == "" {
		return o.Name
	}
	return o.Name + "（" + o.Role + "）"
}

// reloadBasics reloads roster, villages and catalogue, then calls next.
func (u *serviceUI) reloadBasics(next func()) {
	Go(u.e, func(ctx context.Context) (serviceBasics, error) { return loadServiceBasics(ctx, u.e.Store) },
		func(b serviceBasics, err error) {
			if err != nil {
				u.e.ShowError(err)
				return
			}
			u.officers, u.villages, u.services = b.officers, b.villages, b.services
			for _, o := range b.all {
				u.names[o.ID] = o.Name
			}
			opts := make([]string, len(u.officers))
			chosen := ""
			for i, o := range u.officers {
				opts[i] = officerLabel(o)
				if o.ID == u.actorID || (u.actorID == "" && chosen == "" && o.Name == u.e.Actor()) {
					chosen = opts[i]
				}
			}
			// The default is one of this installation's own people: at the
			// bureau the roster also holds every station's officers.
			for i, o := range u.officers {
				if chosen == "" && o.StationCode == u.e.Ident.Code {
					chosen = opts[i]
				}
			}
			if chosen == "" && len(opts) > 0 && u.e.Ident.Role != data.RoleBureau {
				chosen = opts[0]
			}
			u.actor.Options = opts
			if chosen != "" {
				u.actor.SetSelected(chosen)
			}
			u.residents.setVillages(u.villages)
			u.visits.setFilters()
			u.follow.setVillages(u.villages)
			u.plan.setVillages(u.villages)
			if next != nil {
				next()
			}
		})
}

// actorName is who audited actions are recorded as: the signed-in officer,
// else the 经办人 chosen on this screen.
func (u *serviceUI) actorName() string {
	if a := u.e.Actor(); a != "" {
		return a
	}
	return u.names[u.actorID]
}

// writeCtx names the 经办人 on ctx's writes when nobody is signed in, so
// that the audit log says who did them.
func (u *serviceUI) writeCtx(ctx context.Context) context.Context {
	if u.e.Actor() == "" {
		if n := u.names[u.actorID]; n != "" {
			return data.WithActor(ctx, n)
		}
	}
	return ctx
}

func (u *serviceUI) officerNames(ids []string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n, ok := u.names[id]; ok {
			out = append(out, n)
		}
	}
	return strings.Join(out, "、")
}

// pager is a virtualised list over a paged query with a filter F: it knows
// the total, and loads a page of rows only when the list first shows one of
// them. The filter is copied on the event thread for every load.
type pager[T, F any] struct {
	e       *Env
	size    int
	total   int
	gen     int
	filter  F
	pages   map[int][]T
	loading map[int]bool
	fetch   func(ctx context.Context, f F, offset, limit int) ([]T, error)
	count   func(ctx context.Context, f F) (int, error)
	list    *widget.List
	onCount func(n int)
}

func newPager[T, F any](e *Env, fetch func(ctx context.Context, f F, offset, limit int) ([]T, error), count func(ctx context.Context, f F) (int, error),
	create func() fyne.CanvasObject, update func(T, fyne.CanvasObject), placeholder func(fyne.CanvasObject)) *pager[T, F] {
	p := &pager[T, F]{e: e, size: 100, fetch: fetch, count: count, pages: map[int][]T{}, loading: map[int]bool{}}
	p.list = widget.NewList(func() int { return p.total }, create, func(i widget.ListItemID, o fyne.CanvasObject) {
		if v, ok := p.item(i); ok {
			update(v, o)
		} else {
			placeholder(o)
		}
	})
	return p
}

// item returns row i, starting the load of its page when it is not there yet.
func (p *pager[T, F]) item(i int) (T, bool) {
	var zero T
	pg := i / p.size
	rows, ok := p.pages[pg]
	if ok {
		if j := i - pg*p.size; j < len(rows) {
			return rows[j], true
		}
		return zero, false
	}
	if !p.loading[pg] {
		p.loading[pg] = true
		gen, f := p.gen, p.filter
		Go(p.e, func(ctx context.Context) ([]T, error) { return p.fetch(ctx, f, pg*p.size, p.size) }, func(rows []T, err error) {
			if gen != p.gen {
				return
			}
			delete(p.loading, pg)
			if err != nil {
				p.e.ShowError(err)
				return
			}
			p.pages[pg] = rows
			p.list.Refresh()
		})
	}
	return zero, false
}

// reset forgets every page and counts again under filter f.
func (p *pager[T, F]) reset(f F) {
	p.gen++
	gen := p.gen
	p.filter = f
	p.pages, p.loading = map[int][]T{}, map[int]bool{}
	Go(p.e, func(ctx context.Context) (int, error) { return p.count(ctx, f) }, func(n int, err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.e.ShowError(err)
			return
		}
		p.total = n
		p.list.UnselectAll()
		p.list.ScrollToTop()
		p.list.Refresh()
		if p.onCount != nil {
			p.onCount(n)
		}
	})
}

// selectWithAll is a filter select whose first option means "no filter".
func selectWithAll(all string, changed func(string)) *widget.Select {
	s := widget.NewSelect([]string{all}, nil)
	s.SetSelected(all)
	s.OnChanged = func(v string) {
		if v == all {
			v = ""
		}
		changed(v)
	}
	return s
}

func setSelectOptions(s *widget.Select, all string, opts []string) {
	s.Options = append([]string{all}, opts...)
	if s.Selected == "" {
		s.Selected = all
	}
	s.Refresh()
}

func countText(format string, n int) string { return fmt.Sprintf(lang.L(format), n) }

// checkGrid is a set of checkboxes laid out in columns (a horizontal
// CheckGroup does not wrap, and a squad can be long).
type checkGrid struct {
	Options []string
	checks  []*widget.Check
	box     *fyne.Container
}

func newCheckGrid(cols int, options []string) *checkGrid {
	g := &checkGrid{Options: options, box: container.NewGridWithColumns(cols)}
	for _, o := range options {
		c := widget.NewCheck(o, nil)
		g.checks = append(g.checks, c)
		g.box.Add(c)
	}
	return g
}

// Selected lists the checked options, in order.
func (g *checkGrid) Selected() []string {
	var out []string
	for i, c := range g.checks {
		if c.Checked {
			out = append(out, g.Options[i])
		}
	}
	return out
}

// SetSelected checks exactly the options given.
func (g *checkGrid) SetSelected(sel []string) {
	for i, c := range g.checks {
		on := false
		for _, s := range sel {
			if s == g.Options[i] {
				on = true
			}
		}
		c.SetChecked(on)
	}
}
