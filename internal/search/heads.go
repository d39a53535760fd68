package search

import (
	"bytes"
	"cmp"
	"maps"
	"slices"
	"strconv"
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
// file holds the keys that start with the same two letters, each with
// every term that has it, and where those terms are. A typed word reads
// the files of its keys, at most three (six more for a long word), and the
// shards of the few terms it is then closest to.
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
	rs := []rune(w)
	if len(rs) < headRunes {
		return nil
	}
	keys := []string{string(rs[:headRunes])}
	add := func(rest []rune) {
		if len(rest) >= headRunes {
			if k := string(rest[:headRunes]); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	for i := range headRunes {
		add(slices.Delete(slices.Clone(rs), i, i+1))
	}
	if two {
		// A deletion past the first headRunes+1 letters leaves the key
		// of the other deletion alone.
		for i := range headRunes {
			for j := i + 1; j <= headRunes && j < len(rs); j++ {
				rest := slices.Delete(slices.Clone(rs), j, j+1)
				add(slices.Delete(rest, i, i+1))
			}
		}
	}
	return keys
}

// headBucket names the head file that holds a key: its first two letters.
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
// strings), the term's position in inverted.terms, and where it lives. At
// 10,000 roles there are 360,000 of them: they are kept small and without
// pointers, and made into files one at a time.
type headPair struct {
	key                [utf8.UTFMax * headRunes]byte
	term, shard, index int32
}

func (p *headPair) keyString() string {
	n := bytes.IndexByte(p.key[:], 0)
	if n < 0 {
		n = len(p.key)
	}
	return string(p.key[:n])
}

// headSet is the head files of an index: their names (the two letters
// their keys start with, in byte order), and the pairs of those of one
// edit, for every term of minTypoTarget letters or more, and of those of
// two, for the terms a word long enough for two edits may stand for, each
// sorted by key, then as the engines rank typo candidates of one distance:
// most documents first, then in byte order. Every name has a file of each
// kind, which may hold no key.
type headSet struct {
	inv   *inverted
	names []string
	pairs [2][]headPair
}

func heads(inv *inverted, groups []group) *headSet {
	h := &headSet{inv: inv}
	buckets := map[string]bool{}
	for si, g := range groups {
		for ti, t := range g.terms {
			n := utf8.RuneCountInString(inv.terms[t])
			if n < minTypoTarget {
				continue
			}
			for kind, two := range []bool{false, true} {
				if two && !twoEditTerm(n) {
					continue
				}
				for _, k := range headKeys(inv.terms[t], two) {
					p := headPair{term: int32(t), shard: int32(si), index: int32(ti)}
					copy(p.key[:], k)
					h.pairs[kind] = append(h.pairs[kind], p)
					buckets[headBucket(k)] = true
				}
			}
		}
	}
	h.names = slices.Sorted(maps.Keys(buckets))
	// rank numbers the terms as the engines rank typo candidates of one
	// distance, so that the pairs sort by numbers alone.
	order := make([]int32, len(inv.terms))
	for t := range order {
		order[t] = int32(t)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(inv.df[b], inv.df[a]), cmp.Compare(inv.terms[a], inv.terms[b]))
	})
	rank := make([]int32, len(inv.terms))
	for r, t := range order {
		rank[t] = int32(r)
	}
	for _, ps := range h.pairs {
		slices.SortFunc(ps, func(a, b headPair) int {
			return cmp.Or(bytes.Compare(a.key[:], b.key[:]), cmp.Compare(rank[a.term], rank[b.term]))
		})
	}
	return h
}

// each hands fn head file n of a kind (0: one edit, 1: two) for every n,
// in order; f is fn's only while it runs.
func (h *headSet) each(kind int, fn func(n int, f *headFile) error) error {
	ps := h.pairs[kind]
	f := new(headFile)
	for n, name := range h.names {
		*f = headFile{Keys: []string{}, Terms: [][]string{}, Shard: [][]int{}, Index: [][]int{}, DF: [][]int{}}
		for len(ps) > 0 {
			k := ps[0].keyString()
			if headBucket(k) != name {
				break
			}
			key := ps[0].key
			var terms []string
			var shards, index, df []int
			for len(ps) > 0 && ps[0].key == key {
				p := ps[0]
				terms, shards = append(terms, h.inv.terms[p.term]), append(shards, int(p.shard))
				index, df = append(index, int(p.index)), append(df, h.inv.df[p.term])
				ps = ps[1:]
			}
			f.Keys, f.Terms, f.Shard = append(f.Keys, k), append(f.Terms, terms), append(f.Shard, shards)
			f.Index, f.DF = append(f.Index, index), append(f.DF, df)
		}
		if err := fn(n, f); err != nil {
			return err
		}
	}
	return nil
}

// write hands the head files to put: those of one edit in folder y, those
// of two in z.
func (h *headSet) write(base, version string, put func(string, []byte) error) error {
	for kind, dir := range []string{"y/", "z/"} {
		err := h.each(kind, func(n int, f *headFile) error {
			name := dir + strconv.Itoa(n)
			return put(base+name+".js", callback(version+"/"+name, mustJSON(f)))
		})
		if err != nil {
			return err
		}
	}
	return nil
}
