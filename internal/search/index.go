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
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/swar"
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
	// imported holds the roles put back by Import and not added since.
	imported map[string]bool
	// idle holds the counters no Add is using (see counter). They are the
	// index's own, where a sync.Pool would drop them at a collection, of
	// which a build makes hundreds: each counter made again learns every
	// word of the guide again.
	idle   []*counter
	store  site.Store // where the roles' terms wait, or nil: see SetStore
	batch  int        // postings inverted at once: see invert
	budget int        // bytes of a term shard: see shardBudget
}

// roleTerms is one role's documents, as terms and weighted frequencies.
type roleTerms struct {
	docs []docTerms
	// data holds every document's terms, one document after the other,
	// each as the term id and the weighted frequency in halves, in one
	// 32-bit word (see appendPair): four bytes a term, where slices would
	// take eight, in one block a role, which a build keeps in its temporary
	// file (see SetStore): the index of a large guide is held for the
	// whole build. Writing the index reads every block five times, and
	// words of one size are read several times faster than varints.
	data site.Block
}

type docTerms struct {
	typ uint16 // document kind: a category, FAQ, role
	// Where the terms of each bucket after the first start, in 32-bit
	// words from the document's start: a document's terms come bucket by
	// bucket (see bucketOf). splitUnknown in the first, for a document
	// whose terms come in no such order, or are too many to count here.
	split  [buckets - 1]uint16
	idx    uint32 // number within the kind
	length uint32 // weighted length, in halves
	end    uint32 // where its terms end in data; they start where the previous document's end
}

// splitUnknown marks a document whose terms are not known to come bucket
// by bucket.
const splitUnknown = math.MaxUint16

// buckets is how many buckets a document's terms are in, by their first
// byte (see bucketOf). Writing the index fills the postings of a batch of
// terms at a time, and the batches of a large guide lie each within one
// bucket (see batches): each pass over the roles' terms decodes only those
// of its bucket, not all of them.
const buckets = 4

// bucketOf returns the bucket of a term: by first byte, cut where English
// words' first letters cut about evenly, digits going with a and other
// characters with s; the empty prefix is in the first.
func bucketOf(term string) int {
	switch {
	case term == "" || term[0] < 'd':
		return 0
	case term[0] < 'l':
		return 1
	case term[0] < 's':
		return 2
	}
	return 3
}

// terms returns the terms of document i of buckets lo to hi, from the
// role's data as its Bytes returned it: pairs (term id, weighted
// frequency) as appendPair wrote them, which decodeTerms reads. A document
// of unknown split gives all its terms.
func (rt *roleTerms) terms(data []byte, i, lo, hi int) []byte {
	start := uint32(0)
	if i > 0 {
		start = rt.docs[i-1].end
	}
	end := rt.docs[i].end
	if d := &rt.docs[i]; d.split[0] != splitUnknown {
		if hi < buckets-1 {
			end = start + 4*uint32(d.split[hi])
		}
		if lo > 0 {
			start += 4 * uint32(d.split[lo-1])
		}
	}
	return data[start:end]
}

// A term of a document is one little-endian 32-bit word: the term id in
// the low 24 bits, the weighted frequency in the high 8. An id or a
// frequency too large for its field, rare, sets the field to all ones and
// follows in a word of its own, the id's first.
const (
	pairID   = 1<<24 - 1
	pairFreq = 1<<8 - 1
)

// appendPair appends term id with weighted frequency freq to b.
func appendPair(b []byte, id, freq uint32) []byte {
	if id < pairID && freq < pairFreq {
		return binary.LittleEndian.AppendUint32(b, id|freq<<24)
	}
	b = binary.LittleEndian.AppendUint32(b, min(id, pairID)|min(freq, pairFreq)<<24)
	if id >= pairID {
		b = binary.LittleEndian.AppendUint32(b, id)
	}
	if freq >= pairFreq {
		b = binary.LittleEndian.AppendUint32(b, freq)
	}
	return b
}

// decodeTerms appends the term ids and weighted frequencies of a
// document's terms, as terms returned them, to pairs: t0, f0, t1, f1... It
// reports false for data that appendPair did not write, or that names an
// id of terms or more.
func decodeTerms(pairs []uint32, b []byte, terms int) ([]uint32, bool) {
	if len(b)%4 != 0 {
		return pairs, false
	}
	for p := 0; p < len(b); {
		w := binary.LittleEndian.Uint32(b[p:])
		p += 4
		id, freq := w&pairID, w>>24
		if id == pairID {
			if p == len(b) {
				return pairs, false
			}
			id = binary.LittleEndian.Uint32(b[p:])
			p += 4
		}
		if freq == pairFreq {
			if p == len(b) {
				return pairs, false
			}
			freq = binary.LittleEndian.Uint32(b[p:])
			p += 4
		}
		if uint64(id) >= uint64(terms) { // as uint64s: int(id) may be negative where int has 32 bits
			return pairs, false
		}
		pairs = append(pairs, id, freq)
	}
	return pairs, true
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{ids: map[string]uint32{}, roles: map[string]*roleTerms{}, imported: map[string]bool{}, batch: batchPostings, budget: shardBudget}
}

// SetStore hands the terms of every role added from now on to s, to be read
// back when the index is written: the terms of a large guide then wait
// outside memory. A build sets it; the dev server, which writes the index
// again and again, does not.
func (x *Index) SetStore(s site.Store) {
	x.mu.Lock()
	x.store = s
	x.mu.Unlock()
}

// SetShardBudget sets roughly how many bytes of dictionary and first tiers
// a term shard holds (shardBudget unless set). Tests set a small one, so
// that a small guide's terms are split into shards as a large guide's are.
func (x *Index) SetShardBudget(n int) {
	x.mu.Lock()
	x.budget = n
	x.mu.Unlock()
}

// Document kinds beyond the categories: a category's questions have kind
// Category.Index; then come FAQ entries and the role itself.
func kindFAQ(cats int) int  { return cats }
func kindRole(cats int) int { return cats + 1 }

// counter counts one document's weighted terms at a time. Counters are
// reused from role to role (see Index.idle): each remembers the words it
// has seen, so a word is folded, stemmed and looked up in the shared
// dictionary once per worker rather than once per occurrence, and counts
// live in an array indexed by term id.
type counter struct {
	x      *Index
	words  wordIDs  // word → term id, -1 for a word not indexed
	counts []uint32 // weighted frequency by term id, in halves
	bucket []uint8  // bucketOf by term id, for the ids counted
	// The ids counted in this document, by bucket (see bucketOf), each
	// in the order first counted.
	touched [buckets][]uint32
	length  uint32
	// The role's documents so far, copied out at the end of the role.
	docs []docTerms
	data []byte
	// The words read and not yet looked up (see lookup), their bytes one
	// after the other in queue, where add reads them.
	pending  [lookahead]queued
	npending int
	queue    []byte
	title    []int32 // the term ids of the role's title (see Add)
}

// lookahead is how many words a counter reads before it looks them up in
// its word table, all at once (see lookup).
const lookahead = 32

// queued is a word read and waiting to be looked up.
type queued struct {
	head, hash uint64
	end        uint32   // where its bytes end in counter.queue
	weight     uint32   // as add was given it
	first      wordSlot // the slot its hash points at, when lookup began
}

// add counts the words of text, weight times each: the words that words
// gives, in one loop with their lookup. Most words are ASCII letters and
// digits, read eight bytes at a time (see alnum8) while eight remain, and
// folded as they are read, their first eight bytes being the number the
// word table compares (see wordIDs); a word that goes on past an
// apostrophe or into a letter of several bytes is finished by wordFrom, as
// words would.
func (c *counter) add(text string, weight uint32) {
	n := len(text)
	for i := 0; i < n; {
		// Skip separators: ASCII bytes that are neither letters nor
		// digits, apostrophes among them, which words drops.
		if i+8 <= n {
			x := swar.Load(text, i)
			start := alnum8(x) | x&swar.High // a letter or digit, or a byte of a longer character
			if start == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(start) >> 3
		} else if ch := text[i]; ch < utf8.RuneSelf && asciiFold[ch] == 0 {
			i++
			continue
		}
		// The word is read onto the end of the queue: w is the queue,
		// and the word w[base:].
		base := len(c.queue)
		w := c.queue
		var head uint64
		j := i
		ended := false
		for j+8 <= n {
			x := swar.Load(text, j)
			m := alnum8(x)
			k := bits.TrailingZeros64(^m&swar.High) >> 3 // letters and digits before any other byte
			f := fold8(x, m)
			if j == i {
				head = f & (1<<(8*k) - 1) // all of f when k is 8
			}
			w = binary.LittleEndian.AppendUint64(w, f)[:len(w)+k]
			j += k
			if k < 8 {
				ended = true
				break
			}
		}
		for ; !ended && j < n; j++ {
			ch := text[j]
			if ch >= utf8.RuneSelf || asciiFold[ch] == 0 {
				break
			}
			if j-i < 8 {
				head |= uint64(asciiFold[ch]) << (8 * (j - i))
			}
			w = append(w, asciiFold[ch])
		}
		if j < n && (text[j] >= utf8.RuneSelf || text[j] == '\'') {
			var word []byte
			word, j = wordFrom(text, j, w[base:]) // which tells a word begun by its length
			w = append(w[:base], word...)
			head = wordHead(word)
		}
		i = j
		c.queue = w
		if len(w) > base {
			p := &c.pending[c.npending]
			p.head, p.hash = head, hashWord(w[base:], head)
			p.end, p.weight = uint32(len(w)), weight
			if c.npending++; c.npending == lookahead {
				c.lookup()
			}
		}
	}
}

// lookup counts the words pending, each as many times as its weight.
// Words wait across calls of add, until lookahead of them wait or the
// document ends (see flush). Most words are in the word table, but a
// build's other work on the same core pushes the table out of the
// processor's caches between one role and the next: most lookups wait on
// memory. So the first slot of every pending word is read in one loop of
// loads that depend on nothing before them, which the processor overlaps,
// and the words are then matched against those copies; a word not in its
// first slot is looked up as usual.
func (c *counter) lookup() {
	n := c.npending
	c.npending = 0
	// The copies are trusted only as they are made here, from the table
	// as it is: an empty table makes none, and what an earlier lookup
	// copied may name the words of a table since started again. A word
	// learnt may start the table again (see count), and the copies then
	// name words in its old arena: past that they are not trusted either.
	slots := c.words.slots
	trusted := len(slots) > 0
	if trusted {
		mask := uint64(len(slots) - 1)
		for k := range n {
			c.pending[k].first = slots[c.pending[k].hash&mask]
		}
	}
	start := uint32(0)
	for k := range n {
		p := &c.pending[k]
		w := c.queue[start:p.end]
		start = p.end
		if trusted && c.words.holds(&p.first, w, p.head) {
			c.tally(p.first.id, p.weight)
			continue
		}
		held := c.words.n
		c.count(w, p.head, p.hash, p.weight)
		trusted = trusted && c.words.n == held
	}
	c.queue = c.queue[:0]
}

// count counts word w, whose first eight bytes are head (see wordHead)
// and whose hash is h.
func (c *counter) count(w []byte, head, h uint64, weight uint32) {
	c.tally(c.id(w, head, h), weight)
}

// id returns the term id of word w, or -1 for a word not indexed, as
// count does, learning the word if it is new.
func (c *counter) id(w []byte, head, h uint64) int32 {
	id, ok := c.words.get(w, head, h)
	if !ok {
		word := string(w)
		id = -1
		if t, ok := term(word); ok {
			id = int32(c.x.termID(t))
			if int(id) >= len(c.bucket) {
				c.bucket = append(c.bucket, make([]uint8, int(id)+1-len(c.bucket)+1024)...)
			}
			c.bucket[id] = uint8(bucketOf(t))
		}
		if !c.words.put(w, head, h, id) {
			c.words = wordIDs{} // a guide of very many distinct words
			c.words.put(w, head, h, id)
		}
	}
	return id
}

// appendIDs appends the term ids of the words of text to ids, in order,
// as add would count them: -1 for a word not indexed.
func (c *counter) appendIDs(ids []int32, text string) []int32 {
	words(text, func(w []byte) {
		head := wordHead(w)
		ids = append(ids, c.id(w, head, hashWord(w, head)))
	})
	return ids
}

// addIDs counts ids, as appendIDs gave them, weight times each, after the
// words still pending: as add would count the words they came from.
func (c *counter) addIDs(ids []int32, weight uint32) {
	if c.npending > 0 {
		c.lookup()
	}
	for _, id := range ids {
		c.tally(id, weight)
	}
}

// tally counts term id, weight times, in the document; an id below 0 is a
// word not indexed.
func (c *counter) tally(id int32, weight uint32) {
	if id < 0 {
		return
	}
	if int(id) >= len(c.counts) {
		c.counts = append(c.counts, make([]uint32, int(id)+1-len(c.counts)+1024)...)
	}
	if c.counts[id] == 0 {
		b := c.bucket[id]
		c.touched[b] = append(c.touched[b], uint32(id))
	}
	c.counts[id] += weight
	c.length += weight
}

// flush ends the document counted so far, if it has terms: it appends them
// to the role's data (see appendPair), and starts the next document.
func (c *counter) flush(typ, idx int) {
	if c.npending > 0 {
		c.lookup()
	}
	if c.empty() {
		return
	}
	start := len(c.data)
	var split [buckets - 1]uint16
	for b, ids := range c.touched {
		if b > 0 {
			split[b-1] = uint16(min((len(c.data)-start)/4, splitUnknown))
		}
		for _, id := range ids {
			c.data = appendPair(c.data, id, c.counts[id])
			c.counts[id] = 0
		}
		c.touched[b] = ids[:0]
	}
	if (len(c.data)-start)/4 >= splitUnknown {
		split[0] = splitUnknown
	}
	c.docs = append(c.docs, docTerms{typ: uint16(typ), split: split, idx: uint32(idx), length: c.length, end: uint32(len(c.data))})
	c.length = 0
}

// empty reports whether the document counted so far has no terms.
func (c *counter) empty() bool {
	for _, ids := range c.touched {
		if len(ids) > 0 {
			return false
		}
	}
	return true
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
// same file. Where the index's store fails to keep the role's terms, they
// stay in memory.
func (x *Index) Add(r *site.Role, cats int) {
	x.mu.Lock()
	var c *counter
	if n := len(x.idle); n > 0 {
		c, x.idle = x.idle[n-1], x.idle[:n-1]
	} else {
		c = &counter{x: x}
	}
	x.mu.Unlock()
	defer func() {
		x.mu.Lock()
		x.idle = append(x.idle, c)
		x.mu.Unlock()
	}()
	c.docs, c.data = c.docs[:0], c.data[:0]
	// The role's title is in every document: its words are looked up
	// once.
	c.title = c.appendIDs(c.title[:0], r.Title)
	title := c.title
	next := c.flush
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
			c.addIDs(title, wRoleTitle)
			next(sec.Index, i)
		}
	}
	for i, f := range r.FAQ {
		c.add(f.QuestionText, wFAQ)
		c.add(f.AnswerText, wAnswer)
		c.addIDs(title, wRoleTitle)
		next(kindFAQ(cats), i)
	}
	c.addIDs(title, wTitle)
	c.add(r.Department.Name, wDepartment)
	c.add(r.SummaryText, wSummary)
	c.add(r.BodyText, wBody)
	next(kindRole(cats), 0)
	x.mu.Lock()
	store := x.store
	x.mu.Unlock()
	rt := &roleTerms{docs: slices.Clone(c.docs), data: site.Keep(store, c.data)}
	x.mu.Lock()
	x.roles[r.File] = rt
	delete(x.imported, r.File)
	x.mu.Unlock()
}

// Remove forgets a role.
func (x *Index) Remove(file string) {
	x.mu.Lock()
	delete(x.roles, file)
	delete(x.imported, file)
	x.mu.Unlock()
}

// Dictionary returns every term the index has given an id, by id. With
// Seed and Export, it lets a later build take an unchanged role's terms
// from a cache instead of indexing the role again.
func (x *Index) Dictionary() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.terms)
}

// Seed gives an empty index the dictionary of an earlier one, so that the
// terms Export gave out keep their ids. Terms added later get new ids. It
// fails, changing nothing, on an index that has terms already or on a
// dictionary with a term twice.
func (x *Index) Seed(terms []string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.terms) > 0 {
		return errors.New("search: seeding an index that has terms")
	}
	ids := make(map[string]uint32, len(terms))
	for i, t := range terms {
		if _, dup := ids[t]; dup {
			return fmt.Errorf("search: the dictionary has %q twice", t)
		}
		ids[t] = uint32(i)
	}
	x.ids, x.terms = ids, slices.Clone(terms)
	return nil
}

// Export returns what the index holds of a role: its documents, encoded,
// and its terms, by the ids of Dictionary. It reports false for a role the
// index does not hold.
func (x *Index) Export(file string) (docs []byte, terms site.Block, ok bool) {
	x.mu.Lock()
	rt := x.roles[file]
	x.mu.Unlock()
	if rt == nil {
		return nil, site.Block{}, false
	}
	for _, d := range rt.docs {
		docs = binary.AppendUvarint(docs, uint64(d.typ))
		docs = binary.AppendUvarint(docs, uint64(d.idx))
		docs = binary.AppendUvarint(docs, uint64(d.length))
		docs = binary.AppendUvarint(docs, uint64(d.end))
	}
	return docs, rt.data, true
}

// Import puts back a role that Export gave, from an index whose dictionary
// this one was seeded with. It fails on documents that Export did not
// make, or that do not fit terms; the terms themselves are checked as they
// are read, when the index is written.
func (x *Index) Import(file string, docs []byte, terms site.Block) error {
	rt := &roleTerms{data: terms}
	if err := rt.setDocs(docs); err != nil {
		return err
	}
	x.mu.Lock()
	x.roles[file] = rt
	x.imported[file] = true
	x.mu.Unlock()
	return nil
}

// setDocs sets the documents of rt, whose data is set, from docs as Export
// encoded them.
func (rt *roleTerms) setDocs(docs []byte) error {
	var prev uint32
	for len(docs) > 0 {
		var f [4]uint64
		for i := range f {
			v, n := binary.Uvarint(docs)
			if n <= 0 || v > math.MaxUint32 {
				return errBadDocs
			}
			f[i], docs = v, docs[n:]
		}
		// The order of the terms within a document is not saved.
		d := docTerms{typ: uint16(f[0]), split: [buckets - 1]uint16{splitUnknown}, idx: uint32(f[1]), length: uint32(f[2]), end: uint32(f[3])}
		if f[0] > math.MaxUint16 || d.end <= prev || uint64(d.end) > uint64(rt.data.Len()) {
			return errBadDocs
		}
		rt.docs, prev = append(rt.docs, d), d.end
	}
	if int(prev) != rt.data.Len() {
		return errBadDocs
	}
	return nil
}

var errBadDocs = errors.New("search: a role's saved documents are damaged")
