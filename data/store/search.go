package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"modernc.org/sqlite"
)

// Chinese search. FTS5's trigram tokenizer finds nothing for 1–2 character
// terms, so the index (policy_fts, kept by triggers) holds every run of
// letters and digits as overlapping bigrams, then the run's characters as
// unigrams, in a unicode61 table. A query term of one character matches a
// unigram, a longer one the phrase of its bigrams; a separator token between
// runs keeps a phrase from spanning two runs. Terms with punctuation inside
// (〔2014〕21) are narrowed by their runs and then checked exactly.

// searchSep separates runs in the index: a private-use character that no
// query produces (queries split on it) but unicode61 keeps as a token.
const searchSep = "\uE000"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("sd_search_tokens", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			return SearchTokens(valueText(args[0])), nil
		})
	sqlite.MustRegisterDeterministicScalarFunction("sd_search_tags", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var tags []string
			_ = json.Unmarshal([]byte(valueText(args[0])), &tags)
			return SearchTokens(strings.Join(tags, "\n")), nil
		})
}

func valueText(v driver.Value) string {
	switch t := v.(type) {
	case string:
		return t
	case []byte:
		return string(t)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// searchRune folds one character for search: full-width ASCII to ASCII,
// ideographic space to space, lower case. One rune in, one rune out, so that
// positions in the folded text are positions in the original.
func searchRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// FoldSearchRunes is s folded for search, rune by rune (see searchRune).
func FoldSearchRunes(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = searchRune(r)
	}
	return rs
}

// FoldSearch is the text search compares: what a policy "contains" means
// strings.Contains over the folded field and the folded term.
// (strings.Map: no copy of a field that folding leaves as it is, as most are.)
func FoldSearch(s string) string { return strings.Map(searchRune, s) }

func isSearchWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// SearchRuns splits folded text into runs of letters and digits.
func SearchRuns(rs []rune) [][]rune {
	var runs [][]rune
	start := -1
	for i, r := range rs {
		if isSearchWord(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			runs = append(runs, rs[start:i])
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, rs[start:])
	}
	return runs
}

// SearchTokens is the index text of one field (sd_search_tokens).
func SearchTokens(s string) string {
	runs := SearchRuns(FoldSearchRunes(s))
	if len(runs) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(4 * len(s))
	seen := seenPool.Get().(*runeSet)
	defer seenPool.Put(seen)
	var uni []rune
	for _, run := range runs {
		for k := 0; k+1 < len(run); k++ {
			b.WriteRune(run[k])
			b.WriteRune(run[k+1])
			b.WriteByte(' ')
		}
		b.WriteString(searchSep + " ")
		for _, r := range run {
			if seen.add(r) {
				uni = append(uni, r)
			}
		}
	}
	for _, r := range uni {
		b.WriteRune(r)
		b.WriteByte(' ')
		seen.remove(r)
	}
	return b.String()
}

// runeSet is the set of characters a field has shown so far: one bit per
// character of the Basic Multilingual Plane (where all common Chinese is),
// a map beyond. SearchTokens empties it again before returning it to the
// pool, so that a body of thousands of characters costs no map.
type runeSet struct {
	bmp  [1 << 16 / 64]uint64
	more map[rune]bool
}

var seenPool = sync.Pool{New: func() any { return &runeSet{} }}

// add puts r in the set and says whether it was new.
func (s *runeSet) add(r rune) bool {
	if r >= 0 && r < 1<<16 {
		w, bit := r/64, uint64(1)<<(r%64)
		if s.bmp[w]&bit != 0 {
			return false
		}
		s.bmp[w] |= bit
		return true
	}
	if s.more[r] {
		return false
	}
	if s.more == nil {
		s.more = map[rune]bool{}
	}
	s.more[r] = true
	return true
}

func (s *runeSet) remove(r rune) {
	if r >= 0 && r < 1<<16 {
		s.bmp[r/64] &^= uint64(1) << (r % 64)
		return
	}
	delete(s.more, r)
}
