package store

import (
	"context"
)

// SystemActor is who a change is recorded as when no officer is named:
// the program itself, stationctl without --as, scheduled work.
const SystemActor = "system"

// ActorSource names the acting officer at the moment of a write; the GUI
// passes one whose answer follows sign-in and lock.
type ActorSource interface{ Actor() string }

type actorName string

func (a actorName) Actor() string { return string(a) }

type actorKey struct{}
type quietKey struct{}

// WithActor returns a context whose writes are recorded as done by name.
func WithActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, ActorSource(actorName(name)))
}

// WithActorSource is WithActor for a name that may change (sign-in, lock).
func WithActorSource(ctx context.Context, src ActorSource) context.Context {
	return context.WithValue(ctx, actorKey{}, src)
}

// ActorFrom is the acting officer of ctx, or SystemActor.
func ActorFrom(ctx context.Context) string {
	if src, ok := ctx.Value(actorKey{}).(ActorSource); ok && src != nil {
		if a := src.Actor(); a != "" {
			return a
		}
	}
	return SystemActor
}

// QuietAudit returns a context whose writes add no per-record audit rows:
// for bulk work (a bundle import, demo data) that writes one summary row
// of its own with AuditEvent instead.
func QuietAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, quietKey{}, true)
}

func auditQuiet(ctx context.Context) bool {
	q, _ := ctx.Value(quietKey{}).(bool)
	return q
}
