// Package search builds the guide's search index: static files that a
// browser loads piece by piece, so that a query downloads only what it
// needs. It is a pure function of the site model; docs/search.md describes
// the format, and assets/search.js is the client that reads it.
//
// Documents are the questions (with their notes), the FAQ entries and the
// roles themselves (title, summary, body). Each document's fields are
// weighted (a question's words count more than its look-for note, which
// counts more than a follow-up) and every term's postings carry a BM25 score
// computed at build time and quantised to a byte: its impact. A term's
// postings are stored in tiers by falling impact, so that a query reads the
// best documents first and fetches later tiers only when they could still
// change the top results.
//
// Building is streaming: Add takes one role at a time, from any goroutine,
// and keeps only its terms; Write then computes the scores and produces the
// files.
package search

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/guide-build/guide/internal/site"
)

// Field weights, in halves, so that a term's weighted frequency is a small
// integer. A question's own words weigh three times a follow-up's.
const (
	wQuestion   = 6
	wTags       = 4
	wLookFor    = 3
	wRedFlags   = 2
	wFollowUp   = 2
	wRoleTitle  = 1 // in every document of a role, so "backend isolation" finds the backend role's question
	wFAQ        = 5
	wAnswer     = 2
	wTitle      = 8
	wDepartment = 2
	wSummary    = 3
	wBody       = 2
)

// BM25 parameters.
const (
	k1 = 1.2
	b  = 0.75
)

// Index collects the terms of every role. It is safe for concurrent use.
type Index struct {
	mu    sync.Mutex
	ids   map[string]uint32 // term → id
	terms []string
	roles map[string]*roleTerms // by role file
}

// roleTerms is one role's documents, as terms and weighted frequencies.
type roleTerms struct {
	docs []docTerms
}

type docTerms struct {
	typ, idx uint16 // document kind (a category, FAQ, role) and number within it
	length   uint32 // weighted length, in halves
	// postings holds the document's terms in increasing id, each as two
	// uvarints: the difference from the previous id, and the weighted
	// frequency in halves. A few bytes a term, where slices would take
	// eight: the index of a large guide is held for the whole build.
	postings []byte
}

// each calls fn with each term id and weighted frequency of d.
func (d *docTerms) each(fn func(term, freq uint32)) {
	b, prev := d.postings, uint64(0)
	for len(b) > 0 {
		delta, n := binary.Uvarint(b)
		freq, m := binary.Uvarint(b[n:])
		b = b[n+m:]
		prev += delta
		fn(uint32(prev), uint32(freq))
	}
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{ids: map[string]uint32{}, roles: map[string]*roleTerms{}}
}

// Document kinds beyond the categories: a category's questions have kind
// Category.Index; then come FAQ entries and the role itself.
func kindFAQ(cats int) int  { return cats }
func kindRole(cats int) int { return cats + 1 }

// counter counts one document's weighted terms at a time. Counters are
// reused from role to role (see counters): each remembers the words it has
// seen, so a word is folded, stemmed and looked up in the shared dictionary
// once per worker rather than once per occurrence, and counts live in an
// array indexed by term id.
type counter struct {
	x       *Index
	words   map[string]int32 // word → term id, -1 for a word not indexed
	counts  []uint32         // weighted frequency by term id, in halves
	touched []uint32         // ids counted in this document
	length  uint32
}

var counters = sync.Pool{New: func() any { return &counter{words: map[string]int32{}} }}

func (c *counter) add(text string, weight uint32) {
	words(text, func(w []byte) {
		id, ok := c.words[string(w)]
		if !ok {
			word := string(w)
			id = -1
			if t, ok := term(word); ok {
				id = int32(c.x.termID(t))
			}
			c.words[word] = id
		}
		if id < 0 {
			return
		}
		if int(id) >= len(c.counts) {
			c.counts = append(c.counts, make([]uint32, int(id)+1-len(c.counts)+1024)...)
		}
		if c.counts[id] == 0 {
			c.touched = append(c.touched, uint32(id))
		}
		c.counts[id] += weight
		c.length += weight
	})
}

// flush encodes the document counted so far, in increasing term id, as
// pairs of uvarints (id difference, frequency), and starts the next one.
func (c *counter) flush() (postings []byte, length uint32) {
	slices.Sort(c.touched)
	out := make([]byte, 0, len(c.touched)*3)
	prev := uint32(0)
	for _, id := range c.touched {
		out = binary.AppendUvarint(out, uint64(id-prev))
		out = binary.AppendUvarint(out, uint64(c.counts[id]))
		c.counts[id] = 0
		prev = id
	}
	length = c.length
	c.touched, c.length = c.touched[:0], 0
	return out, length
}

// termID returns the id of a term, giving it one if it is new.
func (x *Index) termID(t string) uint32 {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.ids[t]
	if !ok {
		id = uint32(len(x.terms))
		x.ids[t] = id
		x.terms = append(x.terms, t)
	}
	return id
}

// Add indexes a role's documents, replacing what the index held for the
// same file.
func (x *Index) Add(r *site.Role, cats int) {
	rt := &roleTerms{}
	c := counters.Get().(*counter)
	defer counters.Put(c)
	if c.x != x || len(c.words) > 1<<17 {
		// Another index's ids, or a guide of very many distinct words.
		c.x, c.words, c.counts = x, map[string]int32{}, nil
	}
	next := func(typ, idx int) {
		if len(c.touched) > 0 {
			postings, length := c.flush()
			rt.docs = append(rt.docs, docTerms{typ: uint16(typ), idx: uint16(idx), length: length, postings: postings})
		}
	}
	for _, sec := range r.Sections {
		for i, q := range sec.Questions {
			c.add(q.Text, wQuestion)
			for _, t := range q.Tags {
				c.add(t, wTags)
			}
			c.add(q.LookForText, wLookFor)
			c.add(q.RedFlagsText, wRedFlags)
			for _, f := range q.FollowUpsText {
				c.add(f, wFollowUp)
			}
			c.add(r.Title, wRoleTitle)
			next(sec.Index, i)
		}
	}
	for i, f := range r.FAQ {
		c.add(f.QuestionText, wFAQ)
		c.add(f.AnswerText, wAnswer)
		c.add(r.Title, wRoleTitle)
		next(kindFAQ(cats), i)
	}
	c.add(r.Title, wTitle)
	c.add(r.Department.Name, wDepartment)
	c.add(r.SummaryText, wSummary)
	c.add(r.BodyText, wBody)
	next(kindRole(cats), 0)

	x.mu.Lock()
	x.roles[r.File] = rt
	x.mu.Unlock()
}

// Remove forgets a role.
func (x *Index) Remove(file string) {
	x.mu.Lock()
	delete(x.roles, file)
	x.mu.Unlock()
}

// postings is one term's documents and impacts.
type postings struct {
	docs    []uint32 // increasing
	impacts []uint8
}

// layout fixes how a document number is made from a role's position, the
// document's kind and its number within the kind.
type layout struct {
	kindBits, idxBits uint
}

func (l layout) id(role, kind, idx int) uint32 {
	return uint32(role)<<(l.kindBits+l.idxBits) | uint32(kind)<<l.idxBits | uint32(idx)
}

// inverted is the whole index turned around: for each term, its postings
// with their quantised impacts.
type inverted struct {
	layout
	terms    []string // sorted
	postings []postings
	docs     int
}

// invert computes every posting's BM25 impact for the roles in order.
func (x *Index) invert(roles []*site.Entry, cats int, drop bool) (*inverted, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	list := make([]*roleTerms, len(roles))
	for i, e := range roles {
		if list[i] = x.roles[e.File]; list[i] == nil {
			return nil, fmt.Errorf("search: role %s was not indexed", e.File)
		}
	}
	// The roles are cut into one run per core. Each pass goes over the runs
	// at once; what they add up (counts, sums of whole numbers, maxima)
	// does not depend on the order, and each run writes its postings to
	// its own stretch of every term's list, so the result is the same as
	// one pass in order.
	runs := min(runtime.GOMAXPROCS(0), max(len(list), 1))
	run := func(w int) []*roleTerms { return list[len(list)*w/runs : len(list)*(w+1)/runs] }
	each := func(fn func(w int)) {
		var wg sync.WaitGroup
		for w := range runs {
			wg.Go(func() { fn(w) })
		}
		wg.Wait()
	}
	type stats struct {
		df       []uint32 // documents per term in the run
		totalLen float64
		docs     int
		maxIdx   int
		top      float64
	}
	st := make([]stats, runs)
	each(func(w int) {
		s := &st[w]
		s.df, s.maxIdx = make([]uint32, len(x.terms)), 1
		for _, rt := range run(w) {
			for i := range rt.docs {
				d := &rt.docs[i]
				s.maxIdx = max(s.maxIdx, int(d.idx)+1)
				s.totalLen += float64(d.length)
				s.docs++
				d.each(func(t, _ uint32) { s.df[t]++ })
			}
		}
	})
	maxIdx, docs, totalLen := 1, 0, 0.0
	df := make([]uint32, len(x.terms))
	for _, s := range st {
		maxIdx, docs, totalLen = max(maxIdx, s.maxIdx), docs+s.docs, totalLen+s.totalLen
		for t, f := range s.df {
			df[t] += f
		}
	}
	l := layout{kindBits: uint(bits.Len(uint(kindRole(cats)))), idxBits: uint(bits.Len(uint(maxIdx - 1)))}
	if l.idxBits == 0 {
		l.idxBits = 1
	}
	if bits.Len(uint(len(roles)))+int(l.kindBits+l.idxBits) > 32 {
		return nil, fmt.Errorf("search: %d roles with up to %d questions of a kind do not fit the index", len(roles), maxIdx)
	}
	avg := totalLen / float64(max(docs, 1))
	n := float64(docs)
	idf := make([]float64, len(df))
	for t, f := range df {
		idf[t] = math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
	}
	score := func(t uint32, freq uint32, norm float64) float64 {
		tf := float64(freq) / 2
		return idf[t] * tf * (k1 + 1) / (tf + norm)
	}
	norm := func(length uint32) float64 { return k1 * (1 - b + b*float64(length)/avg) }
	each(func(w int) {
		s := &st[w]
		for _, rt := range run(w) {
			for i := range rt.docs {
				d := &rt.docs[i]
				dn := norm(d.length)
				d.each(func(t, f uint32) { s.top = max(s.top, score(t, f, dn)) })
			}
		}
	})
	top := 0.0
	for _, s := range st {
		top = max(top, s.top)
	}
	post := make([]postings, len(x.terms))
	for t, f := range df {
		post[t] = postings{docs: make([]uint32, f), impacts: make([]uint8, f)}
	}
	// Where each run's postings of a term start: after the earlier runs'.
	for t := range df {
		off := uint32(0)
		for w := range st {
			off, st[w].df[t] = off+st[w].df[t], off
		}
	}
	// Documents are visited in increasing number, so that every term's
	// postings come out sorted by document.
	each(func(w int) {
		next := st[w].df
		first := len(list) * w / runs
		var byID []int
		for r, rt := range run(w) {
			byID = byID[:0]
			for i := range rt.docs {
				byID = append(byID, i)
			}
			slices.SortFunc(byID, func(a, b int) int {
				return cmp.Or(cmp.Compare(rt.docs[a].typ, rt.docs[b].typ), cmp.Compare(rt.docs[a].idx, rt.docs[b].idx))
			})
			for _, i := range byID {
				d := &rt.docs[i]
				id := l.id(first+r, int(d.typ), int(d.idx))
				dn := norm(d.length)
				d.each(func(t, f uint32) {
					q := math.Ceil(score(t, f, dn) / top * 255)
					k := next[t]
					post[t].docs[k] = id
					post[t].impacts[k] = uint8(min(max(q, 1), 255))
					next[t] = k + 1
				})
			}
			if drop {
				rt.docs = nil // its postings are built: let it go
			}
		}
	})
	if drop {
		x.roles = map[string]*roleTerms{}
	}
	inv := &inverted{layout: l, docs: docs}
	order := make([]int, 0, len(x.terms))
	for t := range x.terms {
		if df[t] > 0 {
			order = append(order, t)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(x.terms[a], x.terms[b]) })
	for _, t := range order {
		inv.terms = append(inv.terms, x.terms[t])
		inv.postings = append(inv.postings, post[t])
	}
	return inv, nil
}
