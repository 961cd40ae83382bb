package main

import (
	"context"

	"stationdesk/data"
)

// actorCtx is the command's context acting as officer as (--as), or as the system.
func actorCtx(e *env, as string) context.Context {
	if as == "" {
		return e.ctx
	}
	return data.WithActor(e.ctx, as)
}
