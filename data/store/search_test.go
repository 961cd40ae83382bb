package store

import "testing"

func TestSearchTokens(t *testing.T) {
	got := SearchTokens("医保卡，A1")
	want := "医保 保卡 " + searchSep + " a1 " + searchSep + " 医 保 卡 a 1 "
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	// The same characters again, and characters beyond the BMP: each
	// unigram once, and the pooled set left empty for the next field.
	for i := 0; i < 2; i++ {
		got = SearchTokens("𠀀医𠀀医，医")
		want = "𠀀医 医𠀀 𠀀医 " + searchSep + " " + searchSep + " 𠀀 医 " // a one-character run has no bigram
		if got != want {
			t.Fatalf("round %d: got %q want %q", i, got, want)
		}
	}
}
