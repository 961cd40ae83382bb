package data_test

import (
	"context"
	"time"

	"stationdesk/data"
	"stationdesk/data/demo"
)

// Package data's own tests fill stores with the demo generator, which they
// cannot import themselves (helpers_test.go).
func init() {
	data.UseDemo(func(ctx context.Context, st *data.Store, opt data.DemoOptions) (map[string]int, error) {
		return demo.Run(ctx, st, demo.Options(opt))
	}, func(until time.Time) data.DemoOptions { return data.DemoOptions(demo.Default(until)) }, demo.Identity)
}
