package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/cachefile"
	"github.com/guide-build/guide/internal/site"
)

// Writing the index again after a few roles changed. Scoring every term
// means a pass over the terms of every document, and encoding every term's
// tiers: most of a second at 10,000 roles, and most of it for terms whose
// documents did not change. So a build with a cache keeps, with the index
// it writes, what it knows before scoring (Saved): each term's postings as
// documents and weighted frequencies, its document count and best
// length-normalised frequency, the statistics BM25 takes from the whole
// guide, and a key of what each shard and prefix file was made from. The
// next build (WriteFrom) then
//
//   - counts again only the terms of the roles that changed (their
//     documents in the last build and now): the dirty terms;
//   - makes the statistics from the documents' lengths and the terms'
//     counts; where the number of documents, their average length (which
//     is rounded to a whole half-word so that one role's edit rarely
//     moves it), the highest score or the numbering of documents differ,
//     it writes the whole index as a build without a cache does;
//   - keeps, through Prior.Keep, every shard, tier and prefix file whose
//     key is the same and that holds no dirty term, and scores and encodes
//     only the others, from the saved postings.
//
// A clean term's postings are then the same documents with the same
// frequencies, lengths and statistics, so its scores are too: the kept
// files are what a full write would make, byte for byte, and tests compare
// the two.

// Saved is what a written index leaves for the next build's WriteFrom.
// Its term numbers are those of the index's dictionary, which the next
// build's index must be seeded with (see Seed).
type Saved struct {
	Tag     string // the caller's, to tell which build it belongs to
	Version string // the folder the files were written in

	docs              int
	avg, top          float64
	kindBits, idxBits uint
	terms             []savedTerm         // by term id
	files             map[string][32]byte // key of what each shard ("t/3") and prefix file ("h/1") was made from
}

// savedTerm is one term of a Saved.
type savedTerm struct {
	df    int
	best  float64
	raw   site.Block // postings: uvarint document delta, uvarint weighted frequency
	first string     // its first tier, as its shard holds it
	max   []int      // the highest impact of each of its tiers
}

// Prior is what WriteFrom needs of the last build.
type Prior struct {
	Saved *Saved
	// Changed holds, for every role that was added to the index again
	// rather than imported, what Export gave of it in the last build.
	Changed map[string]Exported
	// Keep puts at path the file of the last build at from, both paths
	// from the site root (see publish.Dir.Link). It is called from several
	// goroutines at once.
	Keep func(path, from string) error
	// Ready, when set, is called with the saved index as soon as it is
	// complete, on a goroutine of its own, while the head files are still
	// being made: saving it need not wait for them. WriteFrom returns once
	// Ready has.
	Ready func(*Saved)
}

// Exported is a role as Export gave it.
type Exported struct {
	Docs  []byte
	Terms site.Block
}

// avgLength rounds the average weighted length of a document, in halves,
// to a whole number: the scores change with it, and one role's edit in a
// large guide then rarely changes it.
func avgLength(total float64, docs int) float64 {
	return max(math.Round(total/float64(max(docs, 1))), 1)
}

// WriteFrom is WriteOnce that also returns what the next build's
// WriteFrom needs. With a prior that has a Saved, the index must be seeded
// with the dictionary of the last build's (see Seed) and hold, besides the
// roles imported from it unchanged, the roles added anew that
// prior.Changed names: it keeps what it can of the last build's files (see
// the comment above Saved), and writes everything anew where it cannot.
func (x *Index) WriteFrom(s *site.Site, version string, put func(path string, body []byte) error, prior *Prior) (*Saved, error) {
	return x.write(s, version, put, true, prior)
}

// update makes the inverted index from prior.Saved and the changed roles,
// and the plan of what to keep. It returns a nil inverted index where the
// whole index must be made anew. The caller holds x.mu.
func (x *Index) update(roles []*site.Entry, cats int, prior *Prior) (*inverted, *plan, error) {
	old := prior.Saved
	inv, err := x.newInverted(roles, cats)
	if err != nil {
		return nil, nil, err
	}
	changed := make([]bool, len(roles))
	for i, e := range roles {
		if !x.imported[e.File] {
			if _, ok := prior.Changed[e.File]; !ok {
				return nil, nil, nil // a role the last build did not index
			}
			changed[i] = true
		}
	}
	if inv.docs != old.docs || inv.avg != old.avg || inv.kindBits != old.kindBits || inv.idxBits != old.idxBits || len(old.terms) > len(x.terms) {
		return nil, nil, nil
	}

	// The dirty terms: those of every document of a changed role that is
	// not as it was (other terms, frequencies or length), as it was and
	// as it is; and the postings the changed roles give them now.
	nt := len(x.terms)
	dirty := make([]bool, nt)
	fresh := map[uint32][]rawPosting{}
	wasIn, isIn := map[uint32][]change{}, map[uint32][]change{}
	var pairs []uint32
	for i, e := range roles {
		if !changed[i] {
			continue
		}
		was := prior.Changed[e.File]
		before := &roleTerms{data: was.Terms}
		if err := before.setDocs(was.Docs); err != nil {
			return nil, nil, nil // not as Export made it: start afresh
		}
		now := inv.list[i]
		oldData, err := before.data.Bytes(nil)
		if err != nil {
			return nil, nil, fmt.Errorf("search: reading back a role's terms: %w", err)
		}
		newData, err := now.data.Bytes(nil)
		if err != nil {
			return nil, nil, fmt.Errorf("search: reading back a role's terms: %w", err)
		}
		same := map[[2]uint32]bool{} // documents as they were, by kind and number
		for j, d := range now.docs {
			k := slices.IndexFunc(before.docs, func(o docTerms) bool { return o.typ == d.typ && o.idx == d.idx })
			if k >= 0 && before.docs[k].length == d.length && string(before.terms(oldData, k, 0, buckets-1)) == string(now.terms(newData, j, 0, buckets-1)) {
				same[[2]uint32{uint32(d.typ), d.idx}] = true
			}
		}
		mark := func(rt *roleTerms, data []byte, now bool) error {
			for j := range rt.docs {
				d := &rt.docs[j]
				var ok bool
				if pairs, ok = decodeTerms(pairs[:0], rt.terms(data, j, 0, buckets-1), nt); !ok {
					return errCorrupt
				}
				unchanged := same[[2]uint32{uint32(d.typ), d.idx}]
				doc := inv.id(i, int(d.typ), int(d.idx))
				for k := 0; k < len(pairs); k += 2 {
					t := pairs[k]
					if !unchanged {
						dirty[t] = true
						if now {
							isIn[t] = append(isIn[t], change{doc, pairs[k+1], d.length})
						} else {
							wasIn[t] = append(wasIn[t], change{doc, pairs[k+1], d.length})
						}
					}
					if now {
						fresh[t] = append(fresh[t], rawPosting{doc, pairs[k+1]})
					}
				}
			}
			return nil
		}
		if err := mark(before, oldData, false); err != nil {
			return nil, nil, err
		}
		if err := mark(now, newData, true); err != nil {
			return nil, nil, err
		}
	}

	// Every term's count and best normalised frequency: the saved ones for
	// the clean terms, counted again for the dirty ones.
	inv.lengths = inv.docLengths()
	df := make([]uint32, nt)
	inv.best = make([]float64, nt)
	inv.raw = make([][]rawPosting, nt)
	quiet := quietTerms(inv, old, dirty, wasIn, isIn)
	for t := range old.terms {
		if !dirty[t] {
			df[t], inv.best[t] = uint32(old.terms[t].df), old.terms[t].best
		}
	}
	for t, best := range quiet {
		dirty[t], df[t], inv.best[t] = false, uint32(old.terms[t].df), best
	}
	roleShift := inv.kindBits + inv.idxBits
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for t := range dirty {
		if !dirty[t] {
			continue
		}
		g.Go(func() error {
			var kept []rawPosting
			if t < len(old.terms) {
				was, err := old.terms[t].postings()
				if err != nil {
					return err
				}
				kept = slices.DeleteFunc(was, func(p rawPosting) bool { return changed[p.doc>>roleShift] })
			}
			ps := mergePostings(kept, fresh[uint32(t)])
			best := 0.0
			for _, p := range ps {
				best = max(best, saturate(p.freq, inv.norm(inv.lengths[p.doc])))
			}
			df[t], inv.best[t], inv.raw[t] = uint32(len(ps)), best, ps
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	inv.setTerms(df)
	if inv.top != old.top {
		return nil, nil, nil
	}
	// A quiet term whose changed documents' scores moved to another byte
	// is dirty after all: its postings are the same documents and
	// frequencies as before.
	var again errgroup.Group
	again.SetLimit(runtime.GOMAXPROCS(0))
	for t := range quiet {
		for j, c := range wasIn[t] {
			if inv.impact(t, c.freq, inv.norm(c.length)) == inv.impact(t, c.freq, inv.norm(isIn[t][j].length)) {
				continue
			}
			dirty[t] = true
			again.Go(func() error {
				ps, err := old.terms[t].postings()
				inv.raw[t] = ps
				return err
			})
			break
		}
	}
	if err := again.Wait(); err != nil {
		return nil, nil, err
	}
	return inv, &plan{prior: prior, dirty: dirty, old: old}, nil
}

// change is what a changed document gave a term, or gives it now.
type change struct {
	doc, freq, length uint32
}

// quietTerms returns, with their best length-normalised frequency, the
// dirty terms whose changed documents hold them as before, with the same
// frequencies: only the documents' lengths changed. Such a term keeps its
// postings, documents and frequencies; its best normalised frequency
// follows from the changed documents alone where none of them held the
// old best, and such a term is left dirty otherwise. Whether its scores
// are the same bytes is known once the statistics are (see update).
func quietTerms(inv *inverted, old *Saved, dirty []bool, was, is map[uint32][]change) map[uint32]float64 {
	quiet := map[uint32]float64{}
	byDoc := func(a, b change) int { return cmp.Compare(a.doc, b.doc) }
	for t, w := range was {
		n := is[t]
		if !dirty[t] || int(t) >= len(old.terms) || len(n) != len(w) || old.terms[t].df == 0 {
			continue
		}
		slices.SortFunc(w, byDoc)
		slices.SortFunc(n, byDoc)
		best, ok := old.terms[t].best, true
		for j, c := range w {
			if n[j].doc != c.doc || n[j].freq != c.freq || saturate(c.freq, inv.norm(c.length)) >= old.terms[t].best {
				ok = false
				break
			}
			best = max(best, saturate(c.freq, inv.norm(n[j].length)))
		}
		if ok {
			quiet[t] = best
		}
	}
	return quiet
}

// rawPosting is a posting before scoring.
type rawPosting struct {
	doc, freq uint32
}

// postings decodes a saved term's postings.
func (st savedTerm) postings() ([]rawPosting, error) {
	if st.df == 0 {
		return nil, nil
	}
	b, err := st.raw.Bytes(nil)
	if err != nil {
		return nil, fmt.Errorf("search: reading back saved postings: %w", err)
	}
	out := make([]rawPosting, 0, st.df)
	doc := uint64(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errSavedDamaged
		}
		f, m := binary.Uvarint(b[n:])
		if m <= 0 || f > math.MaxUint32 {
			return nil, errSavedDamaged
		}
		doc += d
		if doc > math.MaxUint32 {
			return nil, errSavedDamaged
		}
		out = append(out, rawPosting{uint32(doc), uint32(f)})
		b = b[n+m:]
	}
	if len(out) != st.df {
		return nil, errSavedDamaged
	}
	return out, nil
}

// encodeRaw is the inverse of savedTerm.postings, for postings given as
// documents and frequencies.
func encodeRaw(docs, freqs []uint32) []byte {
	b := make([]byte, 0, 3*len(docs))
	prev := uint32(0)
	for i, d := range docs {
		b = binary.AppendUvarint(b, uint64(d-prev))
		b = binary.AppendUvarint(b, uint64(freqs[i]))
		prev = d
	}
	return b
}

// encodePostings is encodeRaw for postings as update makes them.
func encodePostings(ps []rawPosting) []byte {
	b := make([]byte, 0, 3*len(ps))
	prev := uint32(0)
	for _, p := range ps {
		b = binary.AppendUvarint(b, uint64(p.doc-prev))
		b = binary.AppendUvarint(b, uint64(p.freq))
		prev = p.doc
	}
	return b
}

// mergePostings merges two lists in document order.
func mergePostings(a, b []rawPosting) []rawPosting {
	if len(b) == 0 {
		return a
	}
	out := make([]rawPosting, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].doc < b[0].doc {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// docLengths returns every document's length by document number.
func (inv *inverted) docLengths() []uint32 {
	n := len(inv.list) << (inv.kindBits + inv.idxBits)
	lengths := make([]uint32, n)
	for r, rt := range inv.list {
		for _, d := range rt.docs {
			lengths[inv.id(r, int(d.typ), int(d.idx))] = d.length
		}
	}
	return lengths
}

// plan is what an update keeps of the last build's files.
type plan struct {
	prior *Prior
	old   *Saved
	dirty []bool // by term id
	// Decided once the shards are known: see decide.
	keepShard  []bool
	keepPrefix []bool
	shardKeys  [][32]byte
	prefixKeys [][32]byte
}

// shardKey hashes what shard g is made from, but its terms' postings:
// its prefix, and its terms with their counts.
func shardKey(inv *inverted, g group) [32]byte {
	h := sha256.New()
	b := appendString(nil, g.prefix)
	for _, t := range g.terms {
		b = appendString(b, inv.terms[t])
		b = strconv.AppendInt(b, int64(inv.df[t]), 10)
	}
	h.Write(b)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// prefixKey hashes what prefix file n is made from, but its terms'
// postings.
func prefixKey(inv *inverted, ps *prefixes, n int) [32]byte {
	h := sha256.New()
	b := appendString(nil, ps.names[n])
	for _, t := range ps.terms[n] {
		p := ps.at[t]
		b = appendString(b, inv.terms[t])
		b = strconv.AppendInt(b, int64(inv.df[t]), 10)
		b = strconv.AppendInt(b, int64(p.shard), 10)
		b = strconv.AppendInt(b, int64(p.index), 10)
	}
	h.Write(b)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// fileKeys returns the key of every shard and prefix file. pl, when not
// nil, learns which of them it keeps.
func fileKeys(inv *inverted, groups []group, pfs *prefixes, pl *plan) map[string][32]byte {
	keys := make(map[string][32]byte, len(groups)+len(pfs.names))
	clean := func(terms []int) bool {
		for _, t := range terms {
			if pl.dirty[inv.ids[t]] {
				return false
			}
		}
		return true
	}
	if pl != nil {
		pl.keepShard, pl.keepPrefix = make([]bool, len(groups)), make([]bool, len(pfs.names))
	}
	for si, g := range groups {
		name := "t/" + strconv.Itoa(si)
		k := shardKey(inv, g)
		keys[name] = k
		if pl != nil {
			old, ok := pl.old.files[name]
			pl.keepShard[si] = ok && old == k && clean(g.terms)
		}
	}
	for n := range pfs.names {
		name := "h/" + strconv.Itoa(n)
		k := prefixKey(inv, pfs, n)
		keys[name] = k
		if pl != nil {
			old, ok := pl.old.files[name]
			pl.keepPrefix[n] = ok && old == k && clean(pfs.terms[n])
		}
	}
	return keys
}

// tierCount is how many tiers splitTiers cuts n postings into.
func tierCount(n int) int {
	count, size := 0, firstTier
	for start := 0; start < n; count++ {
		end := min(start+size, n)
		if n-end < size/2 {
			end = n
		}
		start = end
		if count == 0 {
			size = secondTier
		} else {
			size *= tierGrowth
		}
	}
	return max(count, 1)
}

// fillRaw computes the postings of the terms at the given positions from
// the saved postings (and the dirty terms' new ones), and drops those
// filled before.
func (inv *inverted) fillRaw(old *Saved, terms []int) error {
	inv.postings = make([]postings, len(inv.terms))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, t := range terms {
		g.Go(func() error {
			id := inv.ids[t]
			ps := inv.raw[id]
			if ps == nil && int(id) < len(old.terms) {
				var err error
				if ps, err = old.terms[id].postings(); err != nil {
					return err
				}
			}
			if len(ps) != inv.df[t] {
				return errSavedDamaged
			}
			p := postings{docs: make([]uint32, len(ps)), impacts: make([]uint8, len(ps))}
			for i, r := range ps {
				if int(r.doc) >= len(inv.lengths) || (i > 0 && r.doc <= ps[i-1].doc) {
					return errSavedDamaged
				}
				p.docs[i] = r.doc
				p.impacts[i] = inv.impact(id, r.freq, inv.norm(inv.lengths[r.doc]))
			}
			inv.postings[t] = p
			return nil
		})
	}
	return g.Wait()
}

var errSavedDamaged = fmt.Errorf("search: %w: the saved index came back damaged", site.ErrStore)

// The file a Saved is kept in is a cachefile of savedMagic: its head
// holds all but every term's postings, which follow as its blocks, in term
// order.

const (
	savedMagic  = "guide index cache\n"
	savedFormat = 1
)

// Save writes s to w.
func (s *Saved) Save(w io.Writer) error {
	// The head's size, ahead: at 10,000 roles the first tiers make it
	// tens of megabytes, and growing it as it is written took 20 ms.
	size := 64 + len(s.Tag) + len(s.Version)
	for _, t := range s.terms {
		size += 32 + len(t.first) + len(t.max)
	}
	for name := range s.files {
		size += 40 + len(name)
	}
	e := cachefile.Enc{B: make([]byte, 0, size)}
	e.Str(s.Tag)
	e.Str(s.Version)
	e.Uint(uint64(s.docs))
	e.Float(s.avg)
	e.Float(s.top)
	e.Uint(uint64(s.kindBits))
	e.Uint(uint64(s.idxBits))
	e.Uint(uint64(len(s.terms)))
	for _, t := range s.terms {
		e.Uint(uint64(t.df))
		e.Float(t.best)
		e.Uint(uint64(t.raw.Len()))
		e.Str(t.first)
		e.Uint(uint64(len(t.max)))
		for _, m := range t.max {
			e.Raw([]byte{byte(m)})
		}
	}
	e.Uint(uint64(len(s.files)))
	for _, name := range slices.Sorted(maps.Keys(s.files)) {
		k := s.files[name]
		e.Str(name)
		e.Raw(k[:])
	}
	return cachefile.Write(w, savedMagic, savedFormat, e.B, func(write func([]byte) error) error {
		var buf []byte
		for _, t := range s.terms {
			b, err := t.raw.Bytes(buf)
			if err != nil {
				return err
			}
			if !t.raw.InMemory() {
				buf = b
			}
			if err := write(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReadSaved reads a Saved that Save wrote to r, size bytes long. The
// postings stay in r, which must stay open while the Saved is used.
func ReadSaved(r io.ReaderAt, size int64) (*Saved, error) {
	head, off, err := cachefile.Read(r, size, savedMagic, savedFormat)
	if err != nil {
		return nil, err
	}
	d := cachefile.NewDec(head)
	s := &Saved{Tag: d.Str(), Version: d.Str(), docs: int(d.Uint()), avg: d.Float(), top: d.Float(),
		kindBits: uint(d.Uint()), idxBits: uint(d.Uint()), files: map[string][32]byte{}}
	s.terms = make([]savedTerm, d.Count(12))
	for i := range s.terms {
		t := &s.terms[i]
		t.df, t.best = int(d.Uint()), d.Float()
		l := d.Size(size - 4 - off)
		t.raw = site.Stored(r, off, l)
		off += int64(l)
		t.first = d.Str()
		t.max = make([]int, d.Count(1))
		for k, b := range d.Raw(len(t.max)) {
			t.max[k] = int(b)
		}
		if t.df > 0 && len(t.max) != tierCount(t.df) {
			return nil, errSavedDamaged
		}
	}
	for range d.Count(33) {
		name := d.Str()
		var k [32]byte
		copy(k[:], d.Raw(32))
		s.files[name] = k
	}
	if d.Err() != nil || d.Len() > 0 || off != size-4 || s.kindBits > 32 || s.idxBits > 32 {
		return nil, errSavedDamaged
	}
	return s, nil
}
