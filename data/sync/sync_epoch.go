package sync

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"stationdesk/data/store"
)

// Epochs and sequence state (docs/bundle-format.md, "Epochs and restores").
//
// An installation's epoch is a random name for one unbroken history of its
// database. It changes whenever that history may have been cut: a restore
// from a backup, an enrolment or re-enrolment, a bureau rebuilt from its
// recovery file. Sequence numbers count bundles within an epoch, and replay
// protection holds within it; an epoch once left is closed for good.
//
//   - Its own new epoch: the installation forgets what it sent and what was
//     acknowledged (out_seq, acked_*, sync_sent), so its next bundle to each
//     peer is sequence 1 of the new epoch and carries everything again.
//   - A peer's new epoch: the receiver forgets what it believed the peer
//     holds and sends it everything again, the peer's own versions included
//     (echo_own), until the peer acknowledges a bundle of the new epoch.
//
// A stolen key can open epochs too; the remedy for a stolen key is a new
// key (RekeyStation), whose holder then starts a new epoch. The tables are
// schemaSyncEpochs (schema_sync.go).

// MaxSeqGap is how far a bundle's sequence may lie beyond the last one
// applied from its sender in the same epoch. A station that lost every
// bundle for years stays far below it; a sequence of 2^63-1 does not.
const MaxSeqGap = 10000

// epochOf reads this installation's epoch.
func epochOf(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (string, error) {
	var e string
	if err := q.QueryRowContext(ctx, `SELECT epoch FROM sync_state WHERE one = 1`).Scan(&e); err != nil {
		return "", fmt.Errorf("data: read epoch: %w", err)
	}
	return e, nil
}

// Epoch is this installation's current epoch (see schemaSyncEpochs in schema_sync.go).
func (s *Engine) Epoch(ctx context.Context) (string, error) { return epochOf(ctx, s.r) }

func init() {
	// The restored history is cut short: peers must not take the next
	// bundles for replays, and must send back what was lost.
	store.OnRestore(func(ctx context.Context, tx *sql.Tx) error {
		if _, err := newEpochTx(ctx, tx); err != nil {
			return err
		}
		return noteRestoreTx(ctx, tx)
	})
}

// newEpochTx starts a new epoch of this installation inside tx.
func newEpochTx(ctx context.Context, tx *sql.Tx) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("data: new epoch: %w", err)
	}
	e := hex.EncodeToString(b[:])
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET epoch = ?, epoch_at = ? WHERE one = 1`, e, store.NowMillis()); err != nil {
		return "", fmt.Errorf("data: new epoch: %w", err)
	}
	if err := store.SetSettingTx(ctx, tx, settingAwaitEcho, e); err != nil {
		return "", err
	}
	for _, q := range []string{
		`UPDATE sync_peers SET out_seq = 0, out_hash = '', acked_seq = 0, acked_lseq = 0, echo_own = 0`,
		`DELETE FROM sync_sent`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return "", fmt.Errorf("data: new epoch: %w", err)
		}
	}
	return e, nil
}

// forgetPeerTx makes the next bundle to a peer carry everything in its reach,
// its own versions included: the peer may have lost anything.
func forgetPeerTx(ctx context.Context, tx *sql.Tx, code string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE sync_peers SET acked_seq = 0, acked_lseq = 0, echo_own = 1 WHERE code = ?`, code); err != nil {
		return fmt.Errorf("data: reset peer: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sync_sent WHERE peer = ?`, code); err != nil {
		return fmt.Errorf("data: reset peer: %w", err)
	}
	return nil
}

// checkSeq judges a bundle's epoch and sequence against what was applied
// from its sender. fresh is true when the bundle opens a new epoch of the
// sender: its sequence then counts from nothing and the sender is sent
// everything again.
func checkSeq(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, h BundleHeader, p Peer) (fresh bool, err error) {
	switch {
	case h.Epoch == p.InEpoch:
	case h.Epoch == "":
		return false, refuse("old_epoch", "旧包：发送方此后已恢复数据、重新安装或升级了程序，这个包已作废", nil)
	case p.InEpoch == "" && h.Seq > p.InSeq:
		// The first epoch named by a sender that named none before (a new
		// station, or one whose program was upgraded): the count goes on.
	default:
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM sync_epochs WHERE peer = ? AND epoch = ?`, p.Code, h.Epoch).Scan(&n); err != nil {
			return false, fmt.Errorf("data: read epochs: %w", err)
		}
		if n > 0 {
			return false, refuse("old_epoch", "旧包：发送方此后已恢复数据或重新安装，这个包已作废", nil)
		}
		fresh = true
	}
	last := p.InSeq
	if fresh {
		last = 0
	}
	if h.Seq <= last {
		return false, oldBundle(h, p)
	}
	if h.Seq > last+MaxSeqGap {
		return false, refuse("bad_seq", fmt.Sprintf("包序号异常（第 %d 号，上一个是第 %d 号）；如果这不是本单位发出的包，对方的密钥可能已泄露，请重新发放密钥", h.Seq, last), nil)
	}
	return fresh, nil
}

// noteEpochTx records a bundle's epoch as seen from its sender; when the
// bundle opened a new epoch, the sender is sent everything again.
func noteEpochTx(ctx context.Context, tx *sql.Tx, h BundleHeader, fresh bool) error {
	if h.Epoch != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_epochs(peer, epoch, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, h.Sender, h.Epoch, store.NowMillis()); err != nil {
			return fmt.Errorf("data: note epoch: %w", err)
		}
	}
	if !fresh {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_peers SET gaps = '' WHERE code = ?`, h.Sender); err != nil {
		return fmt.Errorf("data: note epoch: %w", err)
	}
	return forgetPeerTx(ctx, tx, h.Sender)
}

// revokedKey reports whether sig verifies with one of the peer's revoked keys.
func revokedKey(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, peer string, verify func(pub string) bool) (bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT sign_pub FROM sync_revoked WHERE peer = ?`, peer)
	if err != nil {
		return false, fmt.Errorf("data: read revoked keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pub string
		if err := rows.Scan(&pub); err != nil {
			return false, fmt.Errorf("data: read revoked keys: %w", err)
		}
		if verify(pub) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// revokeTx keeps a peer's replaced signing key, so that bundles still signed
// with it are refused as such.
func revokeTx(ctx context.Context, tx *sql.Tx, peer, pub string) error {
	if pub == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sync_revoked(peer, sign_pub, revoked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, peer, pub, store.NowMillis()); err != nil {
		return fmt.Errorf("data: revoke key: %w", err)
	}
	return nil
}

// settingAwaitEcho holds this installation's epoch from its start until the
// bureau has seen it, that is until a bundle of the bureau carries a receipt
// of that epoch: that bundle, and each after it, holds everything the bureau
// has for the station (its own lost versions included).
const settingAwaitEcho = "sync_await_echo"

// awaitingEcho says, at a station importing a bundle of its bureau, before
// which stamp its own versions of shared records come from a restored past
// (0: none; the bureau has sent everything back, or there was no restore).
// Once a bundle answers the current epoch, the wait is over.
func awaitingEcho(ctx context.Context, tx *sql.Tx, rec receipt) (int64, error) {
	var epoch, waiting string
	var at int64
	err := tx.QueryRowContext(ctx, `SELECT s.epoch, s.epoch_at, coalesce((SELECT value FROM settings WHERE key = ?), '') FROM sync_state s WHERE s.one = 1`,
		settingAwaitEcho).Scan(&epoch, &at, &waiting)
	if err != nil {
		return 0, fmt.Errorf("data: read epoch: %w", err)
	}
	if waiting != epoch || epoch == "" {
		return 0, nil
	}
	if rec.Epoch == epoch {
		if _, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, settingAwaitEcho); err != nil {
			return 0, fmt.Errorf("data: note epoch: %w", err)
		}
		return 0, nil
	}
	return at << hlcShift, nil
}

// settingRestored holds "EPOCH FROM TO" after a restore: in that epoch this
// installation's own versions stamped between FROM (its clock in the backup)
// and TO (the restore) were lost, and its bundles say so (BundleHeader.Restored).
const settingRestored = "sync_restored"

// noteRestoreTx records the restore window of the epoch just begun.
func noteRestoreTx(ctx context.Context, tx *sql.Tx) error {
	var epoch string
	var clock, at int64
	if err := tx.QueryRowContext(ctx, `SELECT epoch, hlc, epoch_at FROM sync_state WHERE one = 1`).Scan(&epoch, &clock, &at); err != nil {
		return fmt.Errorf("data: note restore: %w", err)
	}
	return store.SetSettingTx(ctx, tx, settingRestored, fmt.Sprintf("%s %d %d", epoch, clock, at<<hlcShift))
}

// restoredWindow is the restore window of the current epoch, if it began with one.
func restoredWindow(ctx context.Context, tx *sql.Tx, epoch string) (*[2]int64, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, settingRestored).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("data: read restore window: %w", err)
	}
	var e string
	var w [2]int64
	if n, _ := fmt.Sscanf(v, "%s %d %d", &e, &w[0], &w[1]); n != 3 || e != epoch || w[0] >= w[1] {
		return nil, nil
	}
	return &w, nil
}

// receiptNamesSent reports whether a receipt names a bundle this
// installation sent to the peer and still remembers (sync_sent keeps only
// those written since the peer's last new epoch).
func receiptNamesSent(ctx context.Context, tx *sql.Tx, peer string, r receipt) (bool, error) {
	if r.Seq <= 0 {
		return false, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_sent WHERE peer = ? AND seq = ? AND hash = ?`, peer, r.Seq, r.Hash).Scan(&n); err != nil {
		return false, fmt.Errorf("data: read receipt: %w", err)
	}
	return n > 0, nil
}
