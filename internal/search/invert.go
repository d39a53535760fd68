package search

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/guide-build/guide/internal/site"
)

// batchPostings bounds how many postings are inverted at once: 3 million
// take 15 MB. A guide of 10,000 roles has about 11 million, which it
// inverts in four passes over its terms rather than in 55 MB at once.
const batchPostings = 3 << 20

// postings is one term's documents and impacts, and when the index is
// saved for the next build (see Saved), the weighted frequencies.
type postings struct {
	docs    []uint32 // increasing
	impacts []uint8
	freqs   []uint32
}

// layout fixes how a document number is made from a role's position, the
// document's kind and its number within the kind.
type layout struct {
	kindBits, idxBits uint
}

func (l layout) id(role, kind, idx int) uint32 {
	return uint32(role)<<(l.kindBits+l.idxBits) | uint32(kind)<<l.idxBits | uint32(idx)
}

// inverted is the index turned around: for each term, its postings with
// their quantised BM25 impacts. The statistics are computed for every term
// at once, the postings only for a batch of terms at a time (see fill).
type inverted struct {
	layout
	terms    []string   // sorted
	df       []int      // documents of each term
	postings []postings // of the terms filled last, by position in terms
	docs     int
	slot     []int32 // by term id: 1 + the position in terms of a term being filled

	x    *Index
	list []*roleTerms // in site order
	ids  []uint32     // the Index's id of each term
	runs int
	// The store read through, by run: the roles of a run lie in it about
	// in their order (see site.Window).
	windows []site.Window
	start   [][]uint32 // by run, by term id: where the run's postings of the term go
	idf     []float64  // by term id
	best    []float64  // by term id: the highest length-normalised frequency
	avg     float64    // document length, rounded (see avgLength)
	top     float64    // the highest score, which quantises to 255

	saving bool // keep the frequencies of the postings filled
	// The blocks the postings of the batch filled last are cut from (see
	// fill).
	docBuf  []uint32
	impBuf  []uint8
	freqBuf []uint32
	raw     [][]rawPosting // by term id: the dirty terms' postings (see update)
	lengths []uint32       // by document number, when filled from saved postings
}

// each runs fn(w) for every run of roles w at once.
func (inv *inverted) each(fn func(w int) error) error {
	errs := make([]error, inv.runs)
	var wg sync.WaitGroup
	for w := range inv.runs {
		wg.Go(func() { errs[w] = fn(w) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// run returns the roles of run w: the roles are cut into one run per core.
// Each pass goes over the runs at once; what they add up (counts and
// maxima) does not depend on the order, and each run writes
// its postings to its own stretch of every term's list, so the result is
// the same as one pass in order.
func (inv *inverted) run(w int) (first int, roles []*roleTerms) {
	first = len(inv.list) * w / inv.runs
	return first, inv.list[first : len(inv.list)*(w+1)/inv.runs]
}

// errCorrupt is returned when a role's terms come back from the store as
// flush did not write them.
var errCorrupt = fmt.Errorf("search: %w: a role's terms came back damaged", site.ErrStore)

// visit calls fn with every document of the roles of run w, in increasing
// document number, and with its terms of buckets lo to hi as decodeTerms
// gives them: terms of other buckets too, for a document of unknown split.
func (inv *inverted) visit(w, lo, hi int, fn func(role int, d *docTerms, pairs []uint32)) error {
	first, roles := inv.run(w)
	win := &inv.windows[w]
	var pairs []uint32
	for r, rt := range roles {
		data, err := win.Bytes(rt.data)
		if err != nil {
			return fmt.Errorf("search: reading back a role's terms: %w", err)
		}
		for i := range rt.docs {
			var ok bool
			if pairs, ok = decodeTerms(pairs[:0], rt.terms(data, i, lo, hi), len(inv.x.terms)); !ok {
				return errCorrupt
			}
			fn(first+r, &rt.docs[i], pairs)
		}
	}
	return nil
}

// newInverted starts the inverted index of the roles in order: it takes
// their terms from the index, and the documents' count, average length and
// numbering from their lengths and numbers, which are at hand (their terms
// are in the store). The caller holds x.mu.
func (x *Index) newInverted(roles []*site.Entry, cats int) (*inverted, error) {
	inv := &inverted{x: x, list: make([]*roleTerms, len(roles))}
	for i, e := range roles {
		if inv.list[i] = x.roles[e.File]; inv.list[i] == nil {
			return nil, fmt.Errorf("search: role %s was not indexed", e.File)
		}
	}
	// Documents are numbered by kind and number within the role: they must
	// come in that order for postings to come out sorted.
	for _, rt := range inv.list {
		if !slices.IsSortedFunc(rt.docs, func(a, b docTerms) int {
			return cmp.Or(cmp.Compare(a.typ, b.typ), cmp.Compare(a.idx, b.idx))
		}) {
			return nil, fmt.Errorf("search: a role's documents are out of order")
		}
	}
	maxIdx, totalLen := 1, 0.0
	for _, rt := range inv.list {
		for _, d := range rt.docs {
			maxIdx, totalLen = max(maxIdx, int(d.idx)+1), totalLen+float64(d.length)
		}
		inv.docs += len(rt.docs)
	}
	inv.avg = avgLength(totalLen, inv.docs)
	return inv, inv.setLayout(len(roles), cats, maxIdx)
}

// invert computes the statistics BM25 needs over the roles in order. The
// caller holds x.mu.
func (x *Index) invert(roles []*site.Entry, cats int) (*inverted, error) {
	inv, err := x.newInverted(roles, cats)
	if err != nil {
		return nil, err
	}
	inv.runs = min(runtime.GOMAXPROCS(0), max(len(inv.list), 1))
	inv.windows = make([]site.Window, inv.runs)
	// The average length is known before the one pass over the terms,
	// which counts each term's documents and finds its best
	// length-normalised frequency, so that its best score follows from its
	// idf once every term is counted.
	best := make([][]float64, inv.runs) // by run, by term id
	inv.start = make([][]uint32, inv.runs)
	err = inv.each(func(w int) error {
		df, bw := make([]uint32, len(x.terms)), make([]float64, len(x.terms))
		inv.start[w], best[w] = df, bw
		return inv.visit(w, 0, buckets-1, func(_ int, d *docTerms, pairs []uint32) {
			dn := inv.norm(d.length)
			for j := 0; j < len(pairs); j += 2 {
				t := pairs[j]
				df[t]++
				bw[t] = max(bw[t], saturate(pairs[j+1], dn))
			}
		})
	})
	if err != nil {
		return nil, err
	}
	df := make([]uint32, len(x.terms))
	inv.best = make([]float64, len(x.terms))
	for w := range inv.runs {
		for t, f := range inv.start[w] {
			df[t] += f
			inv.best[t] = max(inv.best[t], best[w][t])
		}
	}
	// Where each run's postings of a term start: after the earlier runs'.
	for t := range df {
		off := uint32(0)
		for w := range inv.start {
			off, inv.start[w][t] = off+inv.start[w][t], off
		}
	}
	inv.setTerms(df)
	return inv, nil
}

// setLayout fixes how documents are numbered, for roles roles with cats
// categories and at most maxIdx documents of a kind.
func (inv *inverted) setLayout(roles, cats, maxIdx int) error {
	inv.layout = layout{kindBits: uint(bits.Len(uint(kindRole(cats)))), idxBits: uint(bits.Len(uint(maxIdx - 1)))}
	if inv.idxBits == 0 {
		inv.idxBits = 1
	}
	if bits.Len(uint(roles))+int(inv.kindBits+inv.idxBits) > 32 {
		return fmt.Errorf("search: %d roles with up to %d questions of a kind do not fit the index", roles, maxIdx)
	}
	return nil
}

// setTerms computes, from every term's count of documents (by term id)
// and best normalised frequency, the terms' idf and the highest score, and
// lists the terms in documents in byte order.
func (inv *inverted) setTerms(df []uint32) {
	x := inv.x
	n := float64(inv.docs)
	inv.idf = make([]float64, len(df))
	for t, f := range df {
		inv.idf[t] = math.Log(1 + (n-float64(f)+0.5)/(float64(f)+0.5))
		// A positive factor keeps the order of floating-point numbers, so
		// this is the largest score of the term as score computes it.
		inv.top = max(inv.top, inv.idf[t]*inv.best[t])
	}
	order := make([]uint32, 0, len(x.terms))
	for t := range x.terms {
		if df[t] > 0 {
			order = append(order, uint32(t))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(x.terms[a], x.terms[b]) })
	inv.ids = order
	for _, t := range order {
		inv.terms = append(inv.terms, x.terms[t])
		inv.df = append(inv.df, int(df[t]))
	}
}

// norm is BM25's length normalisation of a document.
func (inv *inverted) norm(length uint32) float64 {
	return k1 * (1 - b + b*float64(length)/inv.avg)
}

// score is the BM25 score of term t in a document, from its weighted
// frequency and norm.
func (inv *inverted) score(t uint32, freq uint32, norm float64) float64 {
	return inv.idf[t] * saturate(freq, norm)
}

// impact quantises the score of term t (by id) in a document to a byte.
func (inv *inverted) impact(t, freq uint32, norm float64) uint8 {
	q := math.Ceil(inv.score(t, freq, norm) / inv.top * 255)
	return uint8(min(max(q, 1), 255))
}

// saturate is the part of BM25's score that depends on the document: the
// term's frequency (weighted, in halves), saturated and normalised by the
// document's length.
func saturate(freq uint32, norm float64) float64 {
	tf := float64(freq) / 2
	return tf * (k1 + 1) / (tf + norm)
}

// dropPostings lets go of the postings filled last and the blocks they
// were cut from.
func (inv *inverted) dropPostings() {
	inv.postings, inv.docBuf, inv.impBuf, inv.freqBuf = nil, nil, nil, nil
}

// reserve makes the blocks that fill cuts postings from hold n postings
// or more.
func (inv *inverted) reserve(n int) {
	if cap(inv.docBuf) < n {
		inv.docBuf, inv.impBuf = make([]uint32, n), make([]uint8, n)
	}
	if inv.saving && cap(inv.freqBuf) < n {
		inv.freqBuf = make([]uint32, n)
	}
}

// fill computes the postings of the terms at the given positions, and drops
// those filled before: inv.postings holds only these afterwards. Each term
// is filled once.
func (inv *inverted) fill(terms []int) error {
	if inv.postings == nil {
		inv.postings = make([]postings, len(inv.terms))
		inv.slot = make([]int32, len(inv.x.terms))
	}
	clear(inv.postings)
	clear(inv.slot)
	// The batch's postings share one block of each kind, which the next
	// batch takes over: nothing holds a batch's postings past it (see
	// writeAll), and every place in them is written below.
	total := 0
	for _, t := range terms {
		total += inv.df[t]
	}
	inv.reserve(total)
	inv.docBuf, inv.impBuf = inv.docBuf[:total], inv.impBuf[:total]
	if inv.saving {
		inv.freqBuf = inv.freqBuf[:total]
	}
	off := 0
	lo, hi := buckets, -1
	for _, t := range terms {
		b := bucketOf(inv.terms[t])
		lo, hi = min(lo, b), max(hi, b)
		p := &inv.postings[t]
		end := off + inv.df[t]
		p.docs, p.impacts = inv.docBuf[off:end:end], inv.impBuf[off:end:end]
		if inv.saving {
			p.freqs = inv.freqBuf[off:end:end]
		}
		off = end
		inv.slot[inv.ids[t]] = int32(t) + 1
	}
	if hi < lo {
		lo, hi = 0, buckets-1 // no terms: nothing to decode, but a range to give
	}
	return inv.each(func(w int) error {
		next := inv.start[w]
		return inv.visit(w, lo, hi, func(role int, d *docTerms, pairs []uint32) {
			id := inv.id(role, int(d.typ), int(d.idx))
			dn := inv.norm(d.length)
			for j := 0; j < len(pairs); j += 2 {
				t, f := pairs[j], pairs[j+1]
				pos := inv.slot[t]
				if pos == 0 {
					continue // another batch's
				}
				p := &inv.postings[pos-1]
				k := next[t]
				p.docs[k] = id
				p.impacts[k] = inv.impact(t, f, dn)
				if p.freqs != nil {
					p.freqs[k] = f
				}
				next[t] = k + 1
			}
		})
	})
}
