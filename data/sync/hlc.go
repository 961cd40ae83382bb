package sync

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// A hybrid logical clock stamp: unix milliseconds << 16 | a counter. A
// version of a record is (hlc, node), node being the station code that made
// it; two versions compare by hlc, then by node, so every copy picks the same
// winner. The clock never runs backwards and, after an import, is ahead of
// every stamp it has seen (unless that stamp looks wrong, see maxClockAhead).
const hlcShift = 16

// maxClockAhead is how far a stamp may lie beyond this computer's clock
// before it is treated as coming from a computer with a wrong clock.
const maxClockAhead = 24 * time.Hour

func hlcMillis(h int64) int64 { return h >> hlcShift }

// HLCTime is the wall time inside a stamp.
func HLCTime(h int64) time.Time { return time.UnixMilli(hlcMillis(h)) }

// hlcWallSQL is this computer's clock in ms, as SQLite sees it, plus the
// test-only skew; hlcTickSQL advances the clock and the local change counter.
const (
	hlcWallSQL = `(CAST(unixepoch('subsec') * 1000 AS INTEGER) + skew_ms)`
	hlcTickSQL = `UPDATE sync_state SET hlc = max(hlc + 1, ` + hlcWallSQL + ` << 16), lseq = lseq + 1 WHERE one = 1`
)

// tick issues a fresh local stamp and change number inside tx.
func tick(ctx context.Context, tx *sql.Tx) (hlc, lseq int64, node string, err error) {
	err = tx.QueryRowContext(ctx, hlcTickSQL+` RETURNING hlc, lseq, node`).Scan(&hlc, &lseq, &node)
	if err != nil {
		err = fmt.Errorf("data: sync clock: %w", err)
	}
	return
}

// nextLseq takes the next local change number inside tx.
func nextLseq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var n int64
	if err := tx.QueryRowContext(ctx, `UPDATE sync_state SET lseq = lseq + 1 WHERE one = 1 RETURNING lseq`).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: sync change number: %w", err)
	}
	return n, nil
}

// wallMillis is this computer's clock as the stamps see it.
func wallMillis(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int64, error) {
	var ms int64
	err := q.QueryRowContext(ctx, `SELECT `+hlcWallSQL+` FROM sync_state WHERE one = 1`).Scan(&ms)
	return ms, err
}

// version identifies one state of a record.
type version struct {
	HLC  int64
	Node string
}

func (v version) zero() bool { return v.HLC == 0 && v.Node == "" }

// after reports whether v wins over w when neither descends from the other.
func (v version) after(w version) bool {
	if v.HLC != w.HLC {
		return v.HLC > w.HLC
	}
	return v.Node > w.Node
}

// outcome of merging an incoming version into the local one.
type outcome int

const (
	keepLocal    outcome = iota // incoming is known already, or older by its own author
	takeIncoming                // incoming descends from local (or local is absent)
	conflictWin                 // concurrent; incoming wins, local kept as the loser
	conflictLose                // concurrent; local wins, incoming kept as the loser
)

// merge decides between the local version (cur, built on curBase) and an
// incoming one (in, built on inBase). The rule depends only on the two
// versions, so every copy decides the same way whatever the order of arrival.
func merge(cur, curBase, in, inBase version, haveLocal bool) outcome {
	switch {
	case !haveLocal:
		return takeIncoming
	case in == cur:
		return keepLocal
	case inBase == cur:
		return takeIncoming // incoming was made over what we hold
	case curBase == in:
		return keepLocal // we made ours over the incoming one
	case in.Node == cur.Node:
		// One author's versions are ordered by its own clock.
		if in.HLC > cur.HLC {
			return takeIncoming
		}
		return keepLocal
	case in.after(cur):
		return conflictWin
	default:
		return conflictLose
	}
}
