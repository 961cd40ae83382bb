package app

import (
	"context"
	"errors"
	"testing"
)

// A panic in background work (a PDF or image library meeting a broken file)
// reaches the screen as an error, never a crash.
func TestGoRecoversPanic(t *testing.T) {
	v, err := safeWork(context.Background(), func(context.Context) (int, error) {
		var m map[string]int
		m["x"]++
		return 1, nil
	})
	if v != 0 || !errors.Is(err, errPanicked) {
		t.Fatalf("got %d, %v", v, err)
	}
	if msg := UserMessage(err); msg == UserMessage(errors.New("other")) {
		t.Fatalf("the officer is not told what happened: %q", msg)
	}
}
