package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/fold"
)

// This file is the reference query engine: the same algorithm as
// assets/search.js, in Go, reading the files Write makes. Tests use it to
// check ranking, typo tolerance and the file format, and to check that the
// browser's engine agrees with it.

// Engine answers queries from the search files.
type Engine struct {
	load   func(path string) ([]byte, error) // a file, by path from the site root
	meta   meta
	shards map[int]*shard
	tiers  map[string][]posting
	roles  map[int]*readRoleFile
	// prefixFiles are the prefix files read, by number.
	prefixFiles map[int]*prefixFile
	headFiles   map[string]map[int]*headFile // by kind, y or z
	// Loads counts the files read, for tests of how much a query costs.
	Loads int
}

type posting struct {
	doc    uint32
	impact uint8
}

// Open reads meta.js through load.
func Open(load func(path string) ([]byte, error)) (*Engine, error) {
	e := &Engine{load: load, shards: map[int]*shard{}, tiers: map[string][]posting{}, roles: map[int]*readRoleFile{}, prefixFiles: map[int]*prefixFile{}, headFiles: map[string]map[int]*headFile{"y": {}, "z": {}}}
	if err := e.read(MetaFile, &e.meta); err != nil {
		return nil, err
	}
	return e, nil
}

// read loads a file and decodes the payload inside its callback.
func (e *Engine) read(path string, v any) error {
	b, err := e.load(path)
	if err != nil {
		return err
	}
	e.Loads++
	b = bytes.TrimSpace(b)
	i := bytes.IndexByte(b, ',')
	if !bytes.HasPrefix(b, []byte("__guideSearch(")) || i < 0 || !bytes.HasSuffix(b, []byte(")")) {
		return fmt.Errorf("search: %s is not a search file", path)
	}
	return json.Unmarshal(b[i+1:len(b)-1], v)
}

// shardFor returns the index of the shard a term lives in: the one with the
// longest prefix of it.
func (e *Engine) shardFor(term string) int {
	best, bestLen := -1, -1
	for i, p := range e.meta.Shards {
		if len(p) > bestLen && strings.HasPrefix(term, p) {
			best, bestLen = i, len(p)
		}
	}
	return best
}

func (e *Engine) shard(i int) (*shard, error) {
	return readOnce(e, e.shards, i, "t", func(*shard) bool { return true })
}

// readOnce returns file n of a kind of file (t: term shards, h: prefix
// files, y: head files, r: role files), reading it the first time and
// keeping it in m. whole reports whether a file read holds what its kind
// must.
func readOnce[T any](e *Engine, m map[int]*T, n int, kind string, whole func(*T) bool) (*T, error) {
	if v, ok := m[n]; ok {
		return v, nil
	}
	v := new(T)
	path := fmt.Sprintf("%s%s/%s/%d.js", Dir, e.meta.Version, kind, n)
	if err := e.read(path, v); err != nil {
		return nil, err
	}
	if !whole(v) {
		return nil, fmt.Errorf("search: %s is damaged", path)
	}
	m[n] = v
	return v, nil
}

// alt is one dictionary term that a query word matches, with the weight of
// that kind of match.
type alt struct {
	shard, term int // the term is s's term; it lives in shard
	file        int // the term's position in its shard, which names its later tiers
	factor      float64
	loaded      int // tiers read
	s           *shard
}

func (a *alt) next() float64 {
	if a.loaded >= len(a.s.Max[a.term]) {
		return 0
	}
	return a.factor * float64(a.s.Max[a.term][a.loaded])
}

// Match weights.
const (
	prefixFactor = 0.8
	typo1Factor  = 0.6
	typo2Factor  = 0.4
	maxPrefix    = 8
	maxTypos     = 3
	phraseBoost  = 1.25
	// Rounds of later tiers a query may read: enough for the top results of
	// the words people search for, bounded so that a query of common words
	// costs tens of kilobytes rather than the whole posting lists. Asking
	// for more results allows more.
	baseRounds = 1
)

// Filter limits results to some kinds and departments; nil fields allow all.
type Filter struct {
	Kinds []int // category indexes, kindFAQ, kindRole
	Dept  *int
}

// Hit is one result.
type Hit struct {
	Doc   uint32
	Score float64
	Role  int
	Kind  int
	Idx   int
	Text  string // the document's title text, once its role is loaded
}

// Result is what a search finds.
type Result struct {
	Hits  []Hit
	Count int  // documents matching any word (a lower bound unless Exact)
	Exact bool // every posting was read, so Count is exact
	// Corrected holds, for each word matched as a typo of other terms, in
	// query order, those terms, closest first: what the word may have been
	// meant as.
	Corrected [][]string
}

// qword is one word of a query.
type qword struct {
	word, stem string
	partial    bool
}

// parse splits a query into words. The last word is a prefix when the
// query does not end with a space (the user is still typing it).
func parse(q string, prefix bool) []qword {
	var ws []string
	Words(q, func(w string) { ws = append(ws, w) })
	allStop := true
	for _, w := range ws {
		allStop = allStop && stopwords[w]
	}
	r, _ := utf8.DecodeLastRuneInString(q)
	partialLast := prefix && len(ws) > 0 && q != "" && !isSeparator(r)
	var out []qword
	seen := map[string]bool{}
	for i, w := range ws {
		if len(w) > maxWord || (stopwords[w] && !allStop) {
			continue
		}
		st := Stem(w)
		if seen[st] {
			continue
		}
		seen[st] = true
		out = append(out, qword{word: w, stem: st, partial: partialLast && i == len(ws)-1})
	}
	return out
}

func isSeparator(r rune) bool {
	_, ok := foldOK(r)
	return !ok && r != '\'' && r != '’'
}

func foldOK(r rune) (string, bool) {
	var b [8]byte
	out, ok := fold.Rune(b[:0], r)
	return string(out), ok
}

// alternatives finds the dictionary terms a query word matches.
func (e *Engine) alternatives(w qword) ([]*alt, error) {
	si := e.shardFor(w.stem)
	prefixed := w.partial && len(w.word) >= minPrefix
	var alts []*alt
	found := false
	starts := false // some term starts with the word being typed
	if si >= 0 {
		s, err := e.shard(si)
		if err != nil {
			return nil, err
		}
		var exact int
		if exact, found = slices.BinarySearch(s.Terms, w.stem); found {
			alts = append(alts, &alt{shard: si, term: exact, file: exact, factor: 1, s: s})
		}
	}
	if prefixed {
		type cand struct {
			a  *alt
			df int
			t  string
		}
		var cands []cand
		// add considers term j of s, which lives at position file of shard
		// si.
		add := func(s *shard, j, si, file int) {
			if t := s.Terms[j]; continues(t, w.word) && t != w.stem {
				cands = append(cands, cand{&alt{shard: si, term: j, file: file, factor: prefixFactor, s: s}, s.DF[j], t})
			}
		}
		// The terms that start with the word are in its prefix file when
		// they span several shards, else in the one shard that has them.
		n, hinted := slices.BinarySearch(e.meta.Prefixes, w.word)
		if hinted {
			f, err := e.prefixFile(n)
			if err != nil {
				return nil, err
			}
			for j := range f.Terms {
				add(&f.shard, j, f.Shard[j], f.Index[j])
			}
		}
		for _, i := range e.prefixShards(w.word, hinted) {
			ps, err := e.shard(i)
			if err != nil {
				return nil, err
			}
			for ti := range ps.Terms {
				add(ps, ti, i, ti)
			}
		}
		starts = hinted || slices.ContainsFunc(cands, func(c cand) bool { return strings.HasPrefix(c.t, w.word) })
		slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(b.df, a.df), cmp.Compare(a.t, b.t)) })
		for _, c := range cands[:min(len(cands), maxPrefix)] {
			alts = append(alts, c.a)
		}
	}
	// A word being typed is corrected too when no term starts with it:
	// "isloation" is a typo rather than the start of a word, even if it
	// runs past the stem "is".
	if !found && (!w.partial || !starts) && utf8.RuneCountInString(w.stem) >= 4 {
		typos, err := e.typos(w.stem, si)
		if err != nil {
			return nil, err
		}
		alts = append(alts, typos...)
	}
	return alts, nil
}

// typos returns the alternatives of a word not in the index: the terms
// closest to it, one edit away (two for a word of eight letters or more),
// found in its own shard and the shards typoShards names, and through the
// head files of its keys. si is its shard, or -1 if it has none.
func (e *Engine) typos(stem string, si int) ([]*alt, error) {
	limit := 1
	if twoEdits(utf8.RuneCountInString(stem)) {
		limit = 2
	}
	type cand struct {
		shard, ti, d, df int
		t                string
	}
	var cands []cand
	if si >= 0 {
		for _, i := range e.typoShards(stem, si) {
			ts, err := e.shard(i)
			if err != nil {
				return nil, err
			}
			for ti, t := range ts.Terms {
				if d := distance(stem, t, limit); d <= limit {
					cands = append(cands, cand{i, ti, d, ts.DF[ti], t})
				}
			}
		}
	}
	// heads adds the candidates listed under keys in the head files of
	// one edit (y) or two (z).
	heads := func(kind string, keys []string) error {
		for _, key := range keys {
			n := e.headFileOf(kind, key)
			if n < 0 {
				continue
			}
			f, err := e.headFile(kind, n)
			if err != nil {
				return err
			}
			j, ok := slices.BinarySearch(f.Keys, key)
			if !ok {
				continue
			}
			for m, t := range f.Terms[j] {
				if d := distance(stem, t, limit); d <= limit {
					cands = append(cands, cand{f.Shard[j][m], f.Index[j][m], d, f.DF[j][m], t})
				}
			}
		}
		return nil
	}
	keys := headKeys(stem, false)
	if err := heads("y", keys); err != nil {
		return nil, err
	}
	// A word long enough for two edits, and none of its candidates one
	// edit away, may have two in its first letters: its keys of two
	// deletions are a term's own key or one of one deletion (y), or one of
	// two deletions (z).
	if limit == 2 && !slices.ContainsFunc(cands, func(c cand) bool { return c.d <= 1 }) {
		two := headKeys(stem, true)[len(keys):]
		if err := heads("y", two); err != nil {
			return nil, err
		}
		if err := heads("z", slices.Concat(keys, two)); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(b.df, a.df), cmp.Compare(a.t, b.t))
	})
	// A term found more than one way comes more than once, side by side.
	cands = slices.CompactFunc(cands, func(a, b cand) bool { return a.t == b.t })
	var alts []*alt
	for _, c := range cands[:min(len(cands), maxTypos)] {
		s, err := e.shard(c.shard)
		if err != nil {
			return nil, err
		}
		if c.ti < 0 || c.ti >= len(s.Terms) || s.Terms[c.ti] != c.t {
			return nil, fmt.Errorf("search: head file and shard %d disagree on %q", c.shard, c.t)
		}
		f := typo1Factor
		if c.d == 2 {
			f = typo2Factor
		}
		alts = append(alts, &alt{shard: c.shard, term: c.ti, file: c.ti, factor: f, s: s})
	}
	return alts, nil
}

// headFileOf returns the number of the head file of a kind, y (one edit)
// or z (two), that holds key if any does: the last whose first key's two
// letters are at or before key's. -1 if there is none.
func (e *Engine) headFileOf(kind, key string) int {
	names := e.meta.Heads
	if kind == "z" {
		names = e.meta.Heads2
	}
	n, ok := slices.BinarySearch(names, headBucket(key))
	if !ok {
		n--
	}
	return n
}

// headFile reads head file n of a kind, y (one edit) or z (two).
func (e *Engine) headFile(kind string, n int) (*headFile, error) {
	return readOnce(e, e.headFiles[kind], n, kind, (*headFile).whole)
}

// continues reports whether the term t may be what a user typing w is on
// the way to: t starts with w, or (for English words, whose terms are
// stems) w runs at most stemSlack letters past a term of three letters or
// more, as "cachin" runs past "cach", the stem of "caching".
func continues(t, w string) bool {
	if strings.HasPrefix(t, w) {
		return true
	}
	return len(t) >= 3 && len(w)-len(t) <= stemSlack && strings.HasPrefix(w, t) && isASCIILetters(w)
}

// stemSlack is how far a word being typed may run past a stem: "-ing" and
// "-ed" with a doubled consonant come off.
const stemSlack = 4

// prefixShards lists the shards that can hold terms a user typing p is on
// the way to: the one holding the terms that start with p, unless p has a
// prefix file (hinted), and those holding the stems p may run past.
func (e *Engine) prefixShards(p string, hinted bool) []int {
	var out []int
	add := func(i int) {
		if i >= 0 && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	if !hinted {
		add(e.shardFor(p))
	}
	if isASCIILetters(p) {
		for k := max(3, len(p)-stemSlack); k < len(p); k++ {
			add(e.shardFor(p[:k]))
		}
	}
	return out
}

func (e *Engine) prefixFile(n int) (*prefixFile, error) {
	return readOnce(e, e.prefixFiles, n, "h", func(f *prefixFile) bool {
		k := len(f.Terms)
		return len(f.Shard) == k && len(f.Index) == k && len(f.DF) == k && len(f.Max) == k && len(f.First) == k
	})
}

// typoShards lists the shards to look for a word's typo candidates in: its
// own shard si, and those that a transposed or an extra letter within that
// shard's prefix sent it away from ("siolation" and "xisolation" belong
// with "isolation"), at most four in all. A missing or wrong letter there
// could be any letter, and every one a shard: the head files find those
// (see heads.go).
func (e *Engine) typoShards(stem string, si int) []int {
	out := []int{si}
	add := func(i int) {
		if i >= 0 && !slices.Contains(out, i) && len(out) < 4 {
			out = append(out, i)
		}
	}
	rs := []rune(stem)
	n := utf8.RuneCountInString(e.meta.Shards[si])
	for i := 0; i < n && i+1 < len(rs); i++ {
		v := slices.Clone(rs)
		v[i], v[i+1] = v[i+1], v[i]
		add(e.shardFor(string(v)))
	}
	for i := 0; i < n && i < len(rs) && len(rs) > 1; i++ {
		add(e.shardFor(string(slices.Delete(slices.Clone(rs), i, i+1))))
	}
	return out
}

// distance is the optimal string alignment distance between a and b (a
// transposition counts as one edit), or limit+1 if it is more than limit.
func distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// postings reads tier k (0-based) of an alternative.
func (e *Engine) postings(a *alt, k int) ([]posting, error) {
	var enc string
	if k == 0 {
		enc = a.s.First[a.term]
	} else {
		key := fmt.Sprintf("%d.%d.%d", a.shard, a.file, k+1)
		if p, ok := e.tiers[key]; ok {
			return p, nil
		}
		if err := e.read(fmt.Sprintf("%s%s/p/%s.js", Dir, e.meta.Version, key), &enc); err != nil {
			return nil, err
		}
	}
	docs, imps, err := decode(enc)
	if err != nil {
		return nil, err
	}
	out := make([]posting, len(docs))
	for i := range docs {
		out[i] = posting{docs[i], imps[i]}
	}
	if k > 0 {
		e.tiers[fmt.Sprintf("%d.%d.%d", a.shard, a.file, k+1)] = out
	}
	return out, nil
}

// split returns a document's role, kind and number.
func (e *Engine) split(doc uint32) (role, kind, idx int) {
	m := e.meta
	return int(doc >> (m.KindBits + m.IdxBits)), int(doc>>m.IdxBits) & (1<<m.KindBits - 1), int(doc) & (1<<m.IdxBits - 1)
}

func (e *Engine) allowed(doc uint32, f Filter) bool {
	role, kind, _ := e.split(doc)
	if f.Kinds != nil && !slices.Contains(f.Kinds, kind) {
		return false
	}
	if f.Dept != nil {
		d := *f.Dept
		first := int(e.meta.Depts[d][1].(float64))
		end := e.meta.Roles
		if d+1 < len(e.meta.Depts) {
			end = int(e.meta.Depts[d+1][1].(float64))
		}
		if role < first || role >= end {
			return false
		}
	}
	return true
}

// Search returns the k best documents for q. prefix treats the last word
// as unfinished.
func (e *Engine) Search(q string, k int, prefix bool, f Filter) (*Result, error) {
	words := parse(q, prefix)
	if len(words) == 0 {
		return &Result{Exact: true}, nil
	}
	alts := make([][]*alt, len(words))
	for i, w := range words {
		a, err := e.alternatives(w)
		if err != nil {
			return nil, err
		}
		alts[i] = a
	}
	n := float64(len(words))
	// contrib[doc][i] is the best known weighted impact of word i.
	contrib := map[uint32][]float64{}
	add := func(i int, a *alt, ps []posting) {
		for _, p := range ps {
			if !e.allowed(p.doc, f) {
				continue
			}
			c := contrib[p.doc]
			if c == nil {
				c = make([]float64, len(words))
				contrib[p.doc] = c
			}
			c[i] = max(c[i], a.factor*float64(p.impact))
		}
	}
	load := func(i int, a *alt) error {
		ps, err := e.postings(a, a.loaded)
		if err != nil {
			return err
		}
		a.loaded++
		add(i, a, ps)
		return nil
	}
	for i := range alts {
		for _, a := range alts[i] {
			if err := load(i, a); err != nil {
				return nil, err
			}
		}
	}
	var ranked []Hit
	for rounds := 0; ; rounds++ {
		bound := make([]float64, len(words))
		unseen := 0.0
		for i := range alts {
			for _, a := range alts[i] {
				bound[i] = max(bound[i], a.next())
			}
			unseen += bound[i]
		}
		ranked = ranked[:0]
		for doc, c := range contrib {
			sum, matched := 0.0, 0
			for _, v := range c {
				if v > 0 {
					sum += v
					matched++
				}
			}
			ranked = append(ranked, Hit{Doc: doc, Score: sum * math.Pow(float64(matched)/n, 2)})
		}
		slices.SortFunc(ranked, func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc)) })
		if unseen == 0 || rounds >= baseRounds+k/20 {
			break
		}
		threshold := -1.0
		if len(ranked) >= k {
			threshold = ranked[k-1].Score
		}
		done := threshold >= unseen
		for _, h := range ranked[min(k, len(ranked)):] {
			if !done {
				break
			}
			upper := 0.0
			for i, v := range contrib[h.Doc] {
				upper += max(v, bound[i])
			}
			done = upper <= threshold
		}
		if done {
			break
		}
		// Read, for each word, the next tier that could add the most: the
		// words' tiers are fetched together, in one round.
		for i := range alts {
			var best *alt
			for _, a := range alts[i] {
				if a.next() > 0 && (best == nil || a.next() > best.next()) {
					best = a
				}
			}
			if best != nil {
				if err := load(i, best); err != nil {
					return nil, err
				}
			}
		}
	}
	// Count the documents that match any word: those seen, and, without a
	// filter, at least as many as the commonest term has.
	res := &Result{Exact: true, Count: len(contrib)}
	for i := range alts {
		var typos []string
		for _, a := range alts[i] {
			if a.factor < prefixFactor {
				typos = append(typos, a.s.Terms[a.term])
			}
		}
		if typos != nil {
			res.Corrected = append(res.Corrected, typos)
		}
		for _, a := range alts[i] {
			res.Exact = res.Exact && a.next() == 0
			if f.Kinds == nil && f.Dept == nil {
				res.Count = max(res.Count, a.s.DF[a.term])
			}
		}
	}
	top := ranked[:min(k, len(ranked))]
	if err := e.boostPhrase(top, words); err != nil {
		return nil, err
	}
	res.Hits = top
	return res, nil
}

// boostPhrase loads the role files of the hits, fills in their text, and
// moves up those whose text holds the query's words in order.
func (e *Engine) boostPhrase(hits []Hit, words []qword) error {
	var phrase []string
	for _, w := range words {
		phrase = append(phrase, w.word)
	}
	for i := range hits {
		h := &hits[i]
		h.Role, h.Kind, h.Idx = e.split(h.Doc)
		rf, err := readOnce(e, e.roles, h.Role, "r", func(*readRoleFile) bool { return true })
		if err != nil {
			return err
		}
		if docs := rf.Kinds[h.Kind]; h.Idx < len(docs) {
			h.Text = docs[h.Idx][1]
		}
		if len(phrase) > 1 && containsPhrase(h.Text, phrase) {
			h.Score *= phraseBoost
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc)) })
	return nil
}

// containsPhrase reports whether the words of text hold phrase in order,
// the last word of the phrase possibly as a prefix.
func containsPhrase(text string, phrase []string) bool {
	var ws []string
	Words(text, func(w string) { ws = append(ws, w) })
	for i := 0; i+len(phrase) <= len(ws); i++ {
		ok := true
		for j, p := range phrase {
			if j == len(phrase)-1 {
				ok = ok && strings.HasPrefix(ws[i+j], p)
			} else {
				ok = ok && ws[i+j] == p
			}
		}
		if ok {
			return true
		}
	}
	return false
}
