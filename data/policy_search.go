package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"stationdesk/data/store"
)

// Chinese search: the index text comes from the engine's tokenizer
// (store/search.go), which SQLite calls from the triggers of policy_fts.

// OptimizePolicyIndex merges the index into one segment after a bulk load,
// so that searches read one list per token instead of many.
func OptimizePolicyIndex(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "INSERT INTO policy_fts(policy_fts) VALUES('optimize')"); err != nil {
		return fmt.Errorf("data: optimize policy index: %w", err)
	}
	return nil
}

// searchTerm is one whitespace-separated word of a query.
type searchTerm struct {
	folded  string   // the term as compared
	phrases []string // FTS5 phrases that every match contains
	exact   bool     // the phrases alone decide the match
}

func parseSearchQuery(q string) []searchTerm {
	var terms []searchTerm
	for _, w := range strings.FieldsFunc(string(store.FoldSearchRunes(q)), unicode.IsSpace) {
		if slices.ContainsFunc(terms, func(t searchTerm) bool { return t.folded == w }) {
			continue
		}
		t := searchTerm{folded: w}
		runs := store.SearchRuns([]rune(w))
		for _, run := range runs {
			if len(run) == 1 {
				t.phrases = append(t.phrases, `"`+string(run)+`"`)
				continue
			}
			var grams []string
			for k := 0; k+1 < len(run); k++ {
				grams = append(grams, string(run[k:k+2]))
			}
			t.phrases = append(t.phrases, `"`+strings.Join(grams, " ")+`"`)
		}
		t.exact = len(runs) == 1 && len(runs[0]) == len([]rune(w))
		if !t.exact {
			t.phrases = narrowingPhrases(runs, t.phrases)
		}
		terms = append(terms, t)
	}
	return terms
}

// narrowingPhrases is the index query of a term with punctuation inside,
// such as 〔2018〕2, whose every match is checked exactly afterwards: the
// phrases of its runs of two or more characters. A one-character run beside
// longer ones (the final 2) is in nearly every policy and only slows the
// query; so would the run separator, the commonest token of the index.
func narrowingPhrases(runs [][]rune, phrases []string) []string {
	var out []string
	for i, run := range runs {
		if len(run) > 1 {
			out = append(out, phrases[i])
		}
	}
	if len(out) == 0 {
		return phrases
	}
	return out
}

// PolicyQuery is a search of the policy library.
type PolicyQuery struct {
	Text     string `json:"text"`     // terms separated by spaces; all must match
	Category string `json:"category"` // "" for all
	Status   string `json:"status"`   // 现行有效 / 已废止 / 已被替代, or "" for all
	Year     int    `json:"year"`     // year of the effective date, 0 for all
	Limit    int    `json:"limit"`    // default 50
}

// Span is a highlighted part of a text, in rune offsets [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// PolicyHit is one search result.
type PolicyHit struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	DocNo      string `json:"doc_no"`
	Status     string `json:"status"`
	StatusText string `json:"status_text"` // with 已过期 for current policies past their date
	InForce    bool   `json:"in_force"`
	Category   string `json:"category"`
	Issuer     string `json:"issuer"`
	Effective  string `json:"effective"`
	Source     string `json:"source"`
	Snippet    string `json:"snippet"` // plain text
	Marks      []Span `json:"marks"`   // highlighted parts of Snippet
	TitleMarks []Span `json:"title_marks"`
	DocNoMarks []Span `json:"doc_no_marks"`
}

// Highlight wraps the marked parts of text in open and close.
func Highlight(text string, marks []Span, open, close string) string {
	rs := []rune(text)
	var b strings.Builder
	at := 0
	for _, m := range marks {
		if m.Start < at || m.End > len(rs) || m.Start >= m.End {
			continue
		}
		b.WriteString(string(rs[at:m.Start]))
		b.WriteString(open)
		b.WriteString(string(rs[m.Start:m.End]))
		b.WriteString(close)
		at = m.End
	}
	b.WriteString(string(rs[at:]))
	return b.String()
}

// SearchPolicies finds policies containing every term of q.Text (all if
// empty), within the filters; best first: policies in force before expired
// or superseded ones, then title and 文号 hits, then bm25.
func (s *Store) SearchPolicies(ctx context.Context, q PolicyQuery) ([]PolicyHit, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	today := clock().Format("2006-01-02")
	terms := parseSearchQuery(q.Text)
	var phrases []string
	exact := true
	for _, t := range terms {
		phrases = append(phrases, t.phrases...)
		exact = exact && t.exact
	}
	var where []string
	var fargs []any
	if q.Category != "" {
		where, fargs = append(where, "m.category = ?"), append(fargs, q.Category)
	}
	if q.Status != "" {
		where, fargs = append(where, "m.status = ?"), append(fargs, q.Status)
	}
	if q.Year > 0 {
		where, fargs = append(where, "substr(m.effective, 1, 4) = ?"), append(fargs, fmt.Sprintf("%04d", q.Year))
	}
	filter := ""
	if len(where) > 0 {
		filter = " AND " + strings.Join(where, " AND ")
	}
	late := "(m.status != '" + PolicyCurrent + "' OR (m.expires != '' AND m.expires < ?))"
	if len(terms) > 0 && len(phrases) > 0 {
		if exact {
			ids, err := s.rankedMatches(ctx, phrases, filter, fargs, late, today, q.Limit)
			if err != nil {
				return nil, err
			}
			return s.policyHits(ctx, ids, terms)
		}
		// Punctuation inside a term: narrow by its runs, then check exactly,
		// a batch at a time in rank order until the limit is reached.
		// Most candidates pass, so first try a few times the limit, then all.
		var ids []string
		v := &verifier{terms: terms, bodyMatch: "{body} : (" + strings.Join(phrases, " OR ") + ")"}
		for _, n := range []int{4 * q.Limit, 1 << 30} {
			cands, err := s.rankedMatches(ctx, phrases, filter, fargs, late, today, n)
			if err != nil {
				return nil, err
			}
			if ids, err = s.verifyMatches(ctx, cands, v, q.Limit); err != nil {
				return nil, err
			}
			if len(ids) >= q.Limit || len(cands) < n {
				break
			}
		}
		return s.policyHits(ctx, ids, terms)
	}
	var query string
	var args []any
	switch {
	case len(terms) == 0:
		query = "SELECT m.policy_id FROM policy_search_map m JOIN policies p ON p.id = m.policy_id WHERE p.deleted = 0" + filter +
			" ORDER BY " + late + ", m.effective DESC, m.policy_id" + fmt.Sprintf(" LIMIT %d", q.Limit)
		args = append(fargs, today)
	case len(phrases) == 0:
		// Only punctuation in the query: nothing to narrow by, check every policy.
		query = "SELECT p.id, p.title, p.doc_no, p.tags, p.summary, p.body FROM policy_search_map m JOIN policies p ON p.id = m.policy_id WHERE p.deleted = 0" + filter +
			" ORDER BY " + late + ", m.effective DESC, p.id"
		args = append(fargs, today)
	}
	rows, err := s.Read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: search policies: %w", err)
	}
	verify := len(terms) > 0
	var ids []string
	for rows.Next() && len(ids) < q.Limit {
		var id, title, docNo, tags, summary, body string
		dest := []any{&id}
		if verify {
			dest = append(dest, &title, &docNo, &tags, &summary, &body)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("data: search policies: %w", err)
		}
		if verify {
			var tl []string
			_ = json.Unmarshal([]byte(tags), &tl)
			if !policyContainsAll(terms, title, docNo, tl, summary, body) {
				continue
			}
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: search policies: %w", err)
	}
	return s.policyHits(ctx, ids, terms)
}

// bm25Limit is the largest match set ranked by bm25; beyond it (common one-
// and two-character terms) bm25 over every match costs more than the search
// may take, and matches come newest first within each tier instead.
const bm25Limit = 600

// rankedMatches returns the IDs of the best policies matching every phrase:
// in force before expired or superseded, title and 文号 hits before others,
// then by bm25 (column weights title 10, 文号 8, tags 4, summary 2, text 1).
func (s *Store) rankedMatches(ctx context.Context, phrases []string, filter string, fargs []any, late, today string, limit int) ([]string, error) {
	match := strings.Join(phrases, " AND ")
	inTitle := "{title doc_no} : (" + strings.Join(phrases, " OR ") + ")"
	var n int
	if err := s.Read().QueryRowContext(ctx, "SELECT count(*) FROM policy_fts WHERE policy_fts MATCH ?", match).Scan(&n); err != nil {
		return nil, fmt.Errorf("data: search policies: %w", err)
	}
	var ids []string
	collect := func(query string, args ...any) error {
		rows, err := s.Read().QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("data: search policies: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return fmt.Errorf("data: search policies: %w", err)
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}
	from := " FROM policy_fts JOIN policy_search_map m ON m.n = policy_fts.rowid WHERE policy_fts MATCH ?"
	if n <= bm25Limit {
		err := collect("SELECT m.policy_id"+from+filter+" ORDER BY "+late+
			", policy_fts.rowid NOT IN (SELECT rowid FROM policy_fts WHERE policy_fts MATCH ?), bm25(policy_fts, 10.0, 8.0, 4.0, 2.0, 1.0), m.effective DESC"+
			fmt.Sprintf(" LIMIT %d", limit), append(append([]any{match}, fargs...), today, "("+match+") AND "+inTitle)...)
		return ids, err
	}
	// Each tier streams from the index newest first and stops at the limit.
	for _, tier := range []struct {
		expr string
		late bool
	}{
		{"(" + match + ") AND " + inTitle, false},
		{"(" + match + ") NOT " + inTitle, false},
		{"(" + match + ") AND " + inTitle, true},
		{"(" + match + ") NOT " + inTitle, true},
	} {
		if len(ids) >= limit {
			break
		}
		cond := " AND NOT " + late
		if tier.late {
			cond = " AND " + late
		}
		err := collect("SELECT m.policy_id"+from+cond+filter+" ORDER BY policy_fts.rowid DESC"+fmt.Sprintf(" LIMIT %d", limit-len(ids)),
			append([]any{tier.expr, today}, fargs...)...)
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// verifyMatches keeps the candidates (in order) that really contain every term.
//
// bodyMatch is an index query that every policy whose body may hold a term
// matches: the body of any other candidate is not read (most 文号 fragments
// are in the 文号, and reading and folding bodies was most of the time).
func (s *Store) verifyMatches(ctx context.Context, cands []string, v *verifier, limit int) ([]string, error) {
	if v.inBody == nil {
		v.inBody, v.known = map[string]bool{}, map[string]bool{}
		brows, err := s.Read().QueryContext(ctx, `SELECT m.policy_id FROM policy_fts JOIN policy_search_map m ON m.n = policy_fts.rowid WHERE policy_fts MATCH ?`, v.bodyMatch)
		if err != nil {
			return nil, fmt.Errorf("data: search policies: %w", err)
		}
		for brows.Next() {
			var id string
			if err := brows.Scan(&id); err != nil {
				brows.Close()
				return nil, fmt.Errorf("data: search policies: %w", err)
			}
			v.inBody[id] = true
		}
		brows.Close()
		if err := brows.Err(); err != nil {
			return nil, fmt.Errorf("data: search policies: %w", err)
		}
	}
	var ids []string
	for start := 0; start < len(cands) && len(ids) < limit; start += 100 {
		batch := cands[start:min(len(cands), start+100)]
		var args, bodyArgs []any
		for _, id := range batch {
			if _, done := v.known[id]; done {
				continue // checked in an earlier round
			}
			args = append(args, id)
			if v.inBody[id] {
				bodyArgs = append(bodyArgs, id)
			}
		}
		if len(args) > 0 {
			body := "''"
			if len(bodyArgs) > 0 {
				body = "CASE WHEN id IN (?" + strings.Repeat(",?", len(bodyArgs)-1) + ") THEN body ELSE '' END"
			}
			rows, err := s.Read().QueryContext(ctx, "SELECT id, title, doc_no, tags, summary, "+body+" FROM policies WHERE id IN (?"+strings.Repeat(",?", len(args)-1)+")",
				append(bodyArgs, args...)...)
			if err != nil {
				return nil, fmt.Errorf("data: search policies: %w", err)
			}
			for rows.Next() {
				var id, title, docNo, tags, summary, body string
				if err := rows.Scan(&id, &title, &docNo, &tags, &summary, &body); err != nil {
					rows.Close()
					return nil, fmt.Errorf("data: search policies: %w", err)
				}
				var tl []string
				_ = json.Unmarshal([]byte(tags), &tl)
				v.known[id] = policyContainsAll(v.terms, title, docNo, tl, summary, body)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("data: search policies: %w", err)
			}
		}
		for _, id := range batch {
			if v.known[id] && len(ids) < limit {
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

// verifier carries the exact check of one search across its rounds.
type verifier struct {
	terms     []searchTerm
	bodyMatch string          // index query every policy whose body may hold a term matches
	inBody    map[string]bool // the policies bodyMatch matches (nil: not yet asked)
	known     map[string]bool // candidates checked so far, and the answer
}

// policyContainsAll is the exact rule: every term is in one of the fields.
// Fields are folded when first needed, the body last: most hits are found in
// a short field, and the body is folded only to look into it.
func policyContainsAll(terms []searchTerm, title, docNo string, tags []string, summary, body string) bool {
	fields := append([]string{title, docNo, summary}, tags...)
	fields = append(fields, body)
	folded := make([]bool, len(fields))
	for _, t := range terms {
		found := false
		for i := range fields {
			if !folded[i] {
				fields[i], folded[i] = store.FoldSearch(fields[i]), true
			}
			if strings.Contains(fields[i], t.folded) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// policyHits loads the hits for ids, in order, with their snippets.
func (s *Store) policyHits(ctx context.Context, ids []string, terms []searchTerm) ([]PolicyHit, error) {
	if len(ids) == 0 {
		return []PolicyHit{}, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.Read().QueryContext(ctx, "SELECT "+policyColumns+" FROM policies WHERE id IN (?"+strings.Repeat(",?", len(ids)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("data: search policies: %w", err)
	}
	defer rows.Close()
	byID := map[string]Policy{}
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("data: search policies: %w", err)
		}
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: search policies: %w", err)
	}
	words := make([][]rune, len(terms))
	for i, t := range terms {
		words[i] = []rune(t.folded)
	}
	today := clock()
	out := make([]PolicyHit, 0, len(ids))
	for _, id := range ids {
		p, ok := byID[id]
		if !ok {
			continue
		}
		h := PolicyHit{ID: p.ID, Title: p.Title, DocNo: p.DocNo, Status: p.Status, StatusText: p.StatusText(today),
			InForce: p.InForce(today), Category: p.Category, Issuer: p.Issuer, Effective: p.Effective, Source: p.Source}
		h.Snippet, h.Marks = makeSnippet(words, p.Summary, p.Body, tagsLine(p.Tags))
		h.TitleMarks = findMarks(store.FoldSearchRunes(p.Title), words)
		if h.Marks == nil {
			h.Marks = []Span{}
		}
		if h.TitleMarks == nil {
			h.TitleMarks = []Span{}
		}
		if h.DocNoMarks = findMarks(store.FoldSearchRunes(p.DocNo), words); h.DocNoMarks == nil {
			h.DocNoMarks = []Span{}
		}
		out = append(out, h)
	}
	return out, nil
}

// tagsLine shows the tags in a snippet when only they hold a term.
func tagsLine(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "标签：" + strings.Join(tags, "，")
}

const (
	snippetBefore = 16
	snippetLen    = 72
)

// makeSnippet cuts a window of the first field holding a term around its
// first occurrence and marks every term in it.
func makeSnippet(words [][]rune, fields ...string) (string, []Span) {
	for _, f := range fields {
		folded := store.FoldSearchRunes(f)
		first := -1
		for _, w := range words {
			if i := runeIndex(folded, w, 0); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
		if first < 0 {
			continue
		}
		return snippetWindow([]rune(f), folded, first, words)
	}
	if len(fields) == 0 {
		return "", nil
	}
	// No term in the text (a title or 文号 hit): the start of the first field.
	return snippetWindow([]rune(fields[0]), store.FoldSearchRunes(fields[0]), 0, words)
}

func snippetWindow(orig, folded []rune, first int, words [][]rune) (string, []Span) {
	// The match stays near the start: a list row shows only the first part.
	start := max(0, first-snippetBefore)
	end := min(len(orig), start+snippetLen)
	var b []rune
	shift := 0
	if start > 0 {
		b = append(b, '…')
		shift = 1
	}
	for _, r := range orig[start:end] {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		b = append(b, r)
	}
	if end < len(orig) {
		b = append(b, '…')
	}
	var marks []Span
	for _, m := range findMarks(folded[start:end], words) {
		marks = append(marks, Span{m.Start + shift, m.End + shift})
	}
	return string(b), marks
}

// findMarks finds the non-overlapping occurrences of any word, longest first at each place.
func findMarks(text []rune, words [][]rune) []Span {
	var marks []Span
	for i := 0; i < len(text); {
		best := 0
		for _, w := range words {
			if len(w) > best && hasPrefixRunes(text[i:], w) {
				best = len(w)
			}
		}
		if best == 0 {
			i++
			continue
		}
		marks = append(marks, Span{i, i + best})
		i += best
	}
	return marks
}

func hasPrefixRunes(s, p []rune) bool {
	return len(p) > 0 && len(s) >= len(p) && slices.Equal(s[:len(p)], p)
}

func runeIndex(s, w []rune, from int) int {
	for i := from; i+len(w) <= len(s); i++ {
		if hasPrefixRunes(s[i:], w) {
			return i
		}
	}
	return -1
}
