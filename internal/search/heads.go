package search

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// A typo in a word's first letters usually sends it to another shard than
// the word it stands for, and which one depends on the letter: "dtabase"
// has no shard at all, "rpelication" has another one than "replication".
// Head files find such words without reading the shards of every letter.
//
// A term's keys are its first headRunes letters, its own key, and what is
// left of them when one of its first headRunes letters is deleted (taking
// in the next letter): "database" has "dat", and "ata", "dta" and "daa".
// Two words one edit apart in their first letters share a key, whether the
// edit is a wrong letter (both lose it), a missing or an extra one (one
// loses it), or two letters swapped (each loses one of them). Words long
// enough for two edits (see twoEditTerm) also have the keys left when two
// of their first headRunes+1 letters are deleted: "database" adds "tab",
// "aab", "atb", "dab" and "dtb", so that two words two edits apart,
// one of them or both in the first letters, share a key as well. A head
// file holds the keys of one or more first two letters (see headBudget),
// each with every term that has it, and where those terms are. A typed
// word reads the files of its keys, at most three (six more for a long
// word), and the shards of the few terms it is then closest to.
//
// Every term is kept, however many share a key: kept to the commonest few
// of each key, the terms of a few documents were crowded out by commoner
// ones, and a wrong first letter found a third of them at 10,000 roles.
const headRunes = 3

// twoEdits reports whether a word of n letters may be corrected by two
// edits (eight letters or more), and twoEditTerm whether a term of n
// letters may be what such a word stands for.
func twoEdits(n int) bool    { return n >= 8 }
func twoEditTerm(n int) bool { return n >= 6 }

// headKeys returns the keys of a word, its own first, without repeats,
// with those of two deletions if two is set. Keys of fewer than headRunes
// letters, which a word of three letters has, are left out: a word to
// correct has four letters or more, and keys of three.
func headKeys(w string, two bool) []string {
	keys, _ := headKeysOne(w, two)
	return keys
}

// headKeysOne is headKeys, with how many of the keys are those of one
// deletion or none: the first ones.
func headKeysOne(w string, two bool) (keys []string, one int) {
	ks, one := appendHeadKeys(nil, w, two)
	keys = make([]string, len(ks))
	for i := range ks {
		keys[i] = ks[i].String()
	}
	return keys, one
}

// appendHeadKeys appends the keys of headKeysOne to dst, as headKeys, and
// returns them with how many are of one deletion or none. It makes no
// strings: a build makes the keys of hundreds of thousands of terms.
func appendHeadKeys(dst []headKey, w string, two bool) (keys []headKey, one int) {
	// Only the first headRunes+2 letters can be in a key.
	var head [headRunes + 2]rune
	n := 0
	for _, r := range w {
		if n == len(head) {
			break
		}
		head[n], n = r, n+1
	}
	if n < headRunes {
		return dst[len(dst):], 0
	}
	start := len(dst)
	keys = append(dst, keyOf(head[:headRunes]))
	// add adds the key left when the letters at i and j are deleted (j
	// is -1 for one deletion), if as many letters as a key has are left.
	add := func(i, j int) {
		var rest [len(head)]rune
		m := 0
		for x := range n {
			if x != i && x != j {
				rest[m], m = head[x], m+1
			}
		}
		if m >= headRunes {
			if k := keyOf(rest[:headRunes]); !slices.Contains(keys[start:], k) {
				keys = append(keys, k)
			}
		}
	}
	for i := range headRunes {
		add(i, -1)
	}
	one = len(keys) - start
	if two {
		// A deletion past the first headRunes+1 letters leaves the key
		// of the other deletion alone.
		for i := range headRunes {
			for j := i + 1; j <= headRunes && j < n; j++ {
				add(i, j)
			}
		}
	}
	return keys[start:], one
}

// keyOf returns the key of the letters rs.
func keyOf(rs []rune) headKey {
	var k headKey
	b := k[:0]
	for _, r := range rs {
		b = utf8.AppendRune(b, r)
	}
	return k
}

// headBucket returns a key's first two letters, by which it is placed in
// the head files.
func headBucket(key string) string {
	_, a := utf8.DecodeRuneInString(key)
	_, b := utf8.DecodeRuneInString(key[a:])
	return key[:a+b]
}

// headFile is the payload of a head file: its keys in byte order, and for
// each every term that has it, commonest first, with each
// term's shard, position in the shard and number of documents.
type headFile struct {
	Keys  []string   `json:"k"`
	Terms [][]string `json:"t"`
	Shard [][]int    `json:"s"`
	Index [][]int    `json:"i"`
	DF    [][]int    `json:"f"`
}

// appendJSON appends f as encoding/json would (see TestHeadFileIsEncodingJSON).
func (f *headFile) appendJSON(b []byte) []byte {
	b = append(b, `{"k":`...)
	b = appendStrings(b, f.Keys)
	b = append(b, `,"t":`...)
	b = appendList(b, f.Terms, appendStrings)
	b = append(b, `,"s":`...)
	b = appendList(b, f.Shard, appendInts)
	b = append(b, `,"i":`...)
	b = appendList(b, f.Index, appendInts)
	b = append(b, `,"f":`...)
	b = appendList(b, f.DF, appendInts)
	return append(b, '}')
}

// whole reports whether f's lists line up.
func (f *headFile) whole() bool {
	k := len(f.Keys)
	if len(f.Terms) != k || len(f.Shard) != k || len(f.Index) != k || len(f.DF) != k {
		return false
	}
	for j := range f.Keys {
		n := len(f.Terms[j])
		if len(f.Shard[j]) != n || len(f.Index[j]) != n || len(f.DF[j]) != n {
			return false
		}
	}
	return true
}

// minTypoTarget is the shortest term a typo can stand for: a word must
// have four letters to be corrected, and one edit takes off one.
const minTypoTarget = 3

// headPair is a term under a key: the key's bytes (headRunes letters,
// zero-padded: words hold no zero byte, so the padding sorts as Go sorts
// strings), the term's position in inverted.terms, and where it lives. A
// guide of 10,000 roles has hundreds of thousands: they are kept small and
// without pointers, and made into files one at a time.
type headPair struct {
	key                headKey
	term, shard, index int32
}

// headKey is a key's bytes, zero-padded.
type headKey [utf8.UTFMax * headRunes]byte

func (k *headKey) String() string {
	n := bytes.IndexByte(k[:], 0)
	if n < 0 {
		n = len(k)
	}
	return string(k[:n])
}

// headBudget is about how many bytes of JSON a head file holds: the keys
// of several first two letters share a file up to it, so that a guide has
// as many files as its vocabulary needs, not one for every two letters (a
// query reads a few; a build writes them all). A file holds the keys of
// one first two letters at least.
const headBudget = 8 << 10

// headSet is the head files of an index, of each kind: 0 for those of one
// edit, where every term of minTypoTarget letters or more is listed under
// its own key and those of one deletion; 1 for those of two, where the
// terms a word long enough for two edits may stand for are listed under
// their keys of two deletions that are not among those. The pairs of each
// kind are sorted by key, then as the engines rank typo candidates of one
// distance (most documents first, then in byte order); a file holds the
// keys from the first two letters its name gives up to the next file's,
// from pairs[kind][cuts[kind][n]] on.
type headSet struct {
	inv   *inverted
	names [2][]string
	pairs [2][]headPair
	cuts  [2][]int
}

func heads(inv *inverted, groups []group) *headSet {
	h := &headSet{inv: inv}
	// The terms in the order the engines rank typo candidates of one
	// distance, and where each lives.
	order := make([]int32, len(inv.terms))
	for t := range order {
		order[t] = int32(t)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(inv.df[b], inv.df[a]), cmp.Compare(inv.terms[a], inv.terms[b]))
	})
	type place struct{ shard, index int32 }
	places := make([]place, len(inv.terms))
	for t := range places {
		places[t].shard = -1 // in no shard
	}
	for si, g := range groups {
		for ti, t := range g.terms {
			places[t] = place{int32(si), int32(ti)}
		}
	}
	h.pairs[0] = make([]headPair, 0, 4*len(order))
	var buf []headKey
	for _, t := range order {
		n := utf8.RuneCountInString(inv.terms[t])
		if n < minTypoTarget || places[t].shard < 0 {
			continue
		}
		keys, one := appendHeadKeys(buf[:0], inv.terms[t], twoEditTerm(n))
		buf = keys
		for i, k := range keys {
			kind := 0
			if i >= one {
				kind = 1
			}
			h.pairs[kind] = append(h.pairs[kind], headPair{key: k, term: t, shard: places[t].shard, index: places[t].index})
		}
	}
	// The two kinds are sorted and cut at once, on two cores.
	var wg sync.WaitGroup
	defer wg.Wait()
	for kind := range h.pairs {
		wg.Go(func() { h.sortAndCut(kind) })
	}
	return h
}

// sortAndCut sorts the pairs of a kind and cuts them into files.
func (h *headSet) sortAndCut(kind int) {
	inv := h.inv
	h.pairs[kind] = sortPairs(h.pairs[kind])
	ps := h.pairs[kind]
	// Cut the files: a new one where the keys of the next first two
	// letters would take this one past headBudget.
	type run struct {
		bucket      string
		start, size int
	}
	var runs []run
	for i := range ps {
		// A key's first two letters change only where the key does.
		if i == 0 || ps[i].key != ps[i-1].key {
			// headBucket, without making a string of every key.
			k := ps[i].key[:]
			_, x := utf8.DecodeRune(k)
			_, y := utf8.DecodeRune(k[x:])
			if b := k[:x+y]; len(runs) == 0 || runs[len(runs)-1].bucket != string(b) {
				runs = append(runs, run{string(b), i, 0})
			}
		}
		runs[len(runs)-1].size += len(inv.terms[ps[i].term]) + 16
	}
	size := 0
	for _, r := range runs {
		if len(h.cuts[kind]) == 0 || size+r.size > headBudget {
			h.names[kind], h.cuts[kind] = append(h.names[kind], r.bucket), append(h.cuts[kind], r.start)
			size = 0
		}
		size += r.size
	}
}

// sortPairs returns ps sorted by key, and under a key in the order they
// come in. A sort by comparisons took a quarter of the index's end-of-build
// work at 1,000 roles; this counts the pairs of each key, places the keys
// in order, and the pairs under them.
func sortPairs(ps []headPair) []headPair {
	ids := map[headKey]int32{}
	var keys []headKey
	var count []int32
	of := make([]int32, len(ps)) // each pair's key
	for i, p := range ps {
		id, ok := ids[p.key]
		if !ok {
			id = int32(len(keys))
			ids[p.key] = id
			keys, count = append(keys, p.key), append(count, 0)
		}
		count[id]++
		of[i] = id
	}
	byKey := make([]int32, len(keys))
	for i := range byKey {
		byKey[i] = int32(i)
	}
	slices.SortFunc(byKey, func(a, b int32) int { return bytes.Compare(keys[a][:], keys[b][:]) })
	start := make([]int32, len(keys))
	at := int32(0)
	for _, id := range byKey {
		start[id], at = at, at+count[id]
	}
	out := make([]headPair, len(ps))
	for i, p := range ps {
		id := of[i]
		out[start[id]] = p
		start[id]++
	}
	return out
}

// each hands fn head file n of a kind for every n, in order, but those
// skip, when not nil, reports true for; f is fn's only while it runs.
func (h *headSet) each(kind int, skip func(n int) bool, fn func(n int, f *headFile) error) error {
	cuts := append(h.cuts[kind], len(h.pairs[kind]))
	f := new(headFile)
	for n := range h.names[kind] {
		if skip != nil && skip(n) {
			continue
		}
		*f = headFile{}
		ps := h.pairs[kind][cuts[n]:cuts[n+1]]
		for len(ps) > 0 {
			key := ps[0].key
			m := 1
			for m < len(ps) && ps[m].key == key {
				m++
			}
			terms, shards := make([]string, m), make([]int, m)
			index, df := make([]int, m), make([]int, m)
			for i, p := range ps[:m] {
				terms[i], shards[i] = h.inv.terms[p.term], int(p.shard)
				index[i], df[i] = int(p.index), h.inv.df[p.term]
			}
			ps = ps[m:]
			f.Keys, f.Terms, f.Shard = append(f.Keys, key.String()), append(f.Terms, terms), append(f.Shard, shards)
			f.Index, f.DF = append(f.Index, index), append(f.DF, df)
		}
		if err := fn(n, f); err != nil {
			return err
		}
	}
	return nil
}

// headDirs are the folders of the head files of each kind.
var headDirs = [2]string{"y/", "z/"}

// write hands the head files to put: those of one edit in folder y, those
// of two in z. A file that kept, when not nil, reports unchanged since the
// last build goes to keep instead.
func (h *headSet) write(base string, put func(string, []byte) error, kept func(name string) bool, keep func(name string) error) error {
	for kind, dir := range headDirs {
		var skip func(int) bool
		if kept != nil {
			skip = func(n int) bool { return kept(dir + strconv.Itoa(n)) }
		}
		err := h.each(kind, skip, func(n int, f *headFile) error {
			name := dir + strconv.Itoa(n)
			sc := scratches.Get().(*scratch)
			defer scratches.Put(sc)
			return put(base+name+".js", sc.script(name, 2*headBudget, f.appendJSON))
		})
		if err != nil {
			return err
		}
		if kept == nil {
			continue
		}
		for n := range h.names[kind] {
			if name := dir + strconv.Itoa(n); kept(name) {
				if err := keep(name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// keys returns the key of every head file, by name: a hash of all its file
// holds, so that a file of the same name and key can be kept from the
// last build (see fileKeys).
func (h *headSet) keys() map[string][32]byte {
	// The pairs are hashed a few kilobytes at a time, each kind on a core
	// of its own: a write for every pair took most of the time.
	var sums [2][][32]byte
	var wg sync.WaitGroup
	for kind := range headDirs {
		wg.Go(func() {
			cuts := append(h.cuts[kind][:len(h.cuts[kind]):len(h.cuts[kind])], len(h.pairs[kind]))
			sums[kind] = make([][32]byte, len(h.names[kind]))
			b := make([]byte, 0, 8<<10)
			for n := range h.names[kind] {
				d := sha256.New()
				for _, p := range h.pairs[kind][cuts[n]:cuts[n+1]] {
					b = append(b, p.key[:]...)
					b = binary.AppendUvarint(b, uint64(len(h.inv.terms[p.term])))
					b = append(b, h.inv.terms[p.term]...)
					b = binary.AppendUvarint(b, uint64(p.shard))
					b = binary.AppendUvarint(b, uint64(p.index))
					b = binary.AppendUvarint(b, uint64(h.inv.df[p.term]))
					if len(b) > 7<<10 {
						d.Write(b)
						b = b[:0]
					}
				}
				d.Write(b)
				b = b[:0]
				d.Sum(sums[kind][n][:0])
			}
		})
	}
	wg.Wait()
	keys := make(map[string][32]byte, len(sums[0])+len(sums[1]))
	for kind, dir := range headDirs {
		for n, k := range sums[kind] {
			keys[dir+strconv.Itoa(n)] = k
		}
	}
	return keys
}
