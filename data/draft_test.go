package data

import (
	"strings"
	"testing"
	"time"
)

func TestDraftSaveReplaceDrop(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	at := time.Date(2026, 11, 17, 9, 0, 0, 0, time.Local)
	if err := st.SaveDraft(ctx, "visit", `{"a":1}`, at); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, "visit", `{"a":2}`, at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, "opinion", `{"b":1}`, at); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, "visit", strings.Repeat("x", maxDraftBody+1), at); ErrorKind(err) != KindInvalid {
		t.Fatalf("oversized draft: %v", err)
	}
	// A crash: the store is not closed cleanly; a new one over the same file sees the drafts.
	st2, err := Open(dir)
	if err == nil {
		defer st2.Close()
	} else {
		st.Close()
		if st2, err = Open(dir); err != nil {
			t.Fatal(err)
		}
		defer st2.Close()
	}
	list, err := st2.Drafts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Kind != "visit" || list[0].Body != `{"a":2}` || !list[0].SavedAt.Equal(at.Add(time.Second)) {
		t.Fatalf("drafts: %+v", list)
	}
	if err := st2.DropDraft(ctx, "visit"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st2.DraftOf(ctx, "visit"); ok || err != nil {
		t.Fatalf("dropped draft still there: %v %v", ok, err)
	}
	if d, ok, err := st2.DraftOf(ctx, "opinion"); !ok || err != nil || d.Body != `{"b":1}` {
		t.Fatalf("opinion draft: %+v %v %v", d, ok, err)
	}
}
