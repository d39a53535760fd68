package search

import (
	"cmp"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
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
// the files of its keys, at most three (seven for a long word), and the
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

// headEntry is a term under a key: its position in inverted.terms, and
// where it lives.
type headEntry struct {
	term, shard, index int
}

// minTypoTarget is the shortest term a typo can stand for: a word must
// have four letters to be corrected, and one edit takes off one.
const minTypoTarget = 3

// heads makes the head files of the shards in groups: their names (the
// two letters their keys start with, in byte order), the payloads of those
// of one edit, for every term of minTypoTarget letters or more, and of
// those of two, for the terms a word long enough for two edits may stand
// for. Every name has a file of each kind, which may hold no key.
func heads(inv *inverted, groups []group) (names []string, one, two []headFile) {
	byKey := [2]map[string][]headEntry{{}, {}}
	for si, g := range groups {
		for ti, t := range g.terms {
			n := utf8.RuneCountInString(inv.terms[t])
			if n < minTypoTarget {
				continue
			}
			for _, k := range headKeys(inv.terms[t], false) {
				byKey[0][k] = append(byKey[0][k], headEntry{t, si, ti})
			}
			if twoEditTerm(n) {
				for _, k := range headKeys(inv.terms[t], true) {
					byKey[1][k] = append(byKey[1][k], headEntry{t, si, ti})
				}
			}
		}
	}
	buckets := map[string]bool{}
	for _, m := range byKey {
		for k := range m {
			buckets[headBucket(k)] = true
		}
	}
	names = slices.Sorted(maps.Keys(buckets))
	return names, headFiles(inv, names, byKey[0]), headFiles(inv, names, byKey[1])
}

// headFiles makes a head file for each of names, with the keys of byKey
// that start with it.
func headFiles(inv *inverted, names []string, byKey map[string][]headEntry) []headFile {
	// better orders a key's terms as the engines rank typo candidates of
	// one distance: most documents first, then in byte order.
	better := func(a, b headEntry) int {
		return cmp.Or(cmp.Compare(inv.df[b.term], inv.df[a.term]), cmp.Compare(inv.terms[a.term], inv.terms[b.term]))
	}
	files := make([]headFile, len(names))
	for n := range files {
		// A file without keys is written as empty lists, not null.
		files[n] = headFile{Keys: []string{}, Terms: [][]string{}, Shard: [][]int{}, Index: [][]int{}, DF: [][]int{}}
	}
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		n, _ := slices.BinarySearch(names, headBucket(k))
		f := &files[n]
		var terms []string
		var shards, index, df []int
		all := byKey[k]
		slices.SortFunc(all, better)
		for _, e := range all {
			terms, shards = append(terms, inv.terms[e.term]), append(shards, e.shard)
			index, df = append(index, e.index), append(df, inv.df[e.term])
		}
		f.Keys, f.Terms, f.Shard = append(f.Keys, k), append(f.Terms, terms), append(f.Shard, shards)
		f.Index, f.DF = append(f.Index, index), append(f.DF, df)
	}
	return files
}

// writeHeads hands the head files to put, from every core: those of one
// edit in folder y, those of two in z.
func writeHeads(one, two []headFile, base, version string, put func(string, []byte) error) error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, kind := range []struct {
		dir   string
		files []headFile
	}{{"y/", one}, {"z/", two}} {
		for n := range kind.files {
			g.Go(func() error {
				name := kind.dir + strconv.Itoa(n)
				return put(base+name+".js", callback(version+"/"+name, mustJSON(kind.files[n])))
			})
		}
	}
	return g.Wait()
}
