package search

import (
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
// loses it), or two letters swapped (each loses one of them). A head file
// holds the keys that start with the same two letters, each with every
// term that has it, and where those terms are. A typed word reads the
// files of its keys, at most three, and the shards of the few terms it is
// then closest to.
//
// Every term is kept, however many share a key: kept to the commonest few
// of each key, the terms of a few documents were crowded out by commoner
// ones, and a wrong first letter found a third of them at 10,000 roles.
// Kept whole, the head files of that guide are 700 KB compressed (555 KB
// kept to sixteen a list), and the largest 12 KB.
const headRunes = 3

// headKeys returns the keys of a word, its own first, without repeats.
// Keys of fewer than headRunes letters, which a word of three letters has,
// are left out: a word to correct has four letters or more, and keys of
// three.
func headKeys(w string) []string {
	rs := []rune(w)
	if len(rs) < headRunes {
		return nil
	}
	keys := []string{string(rs[:headRunes])}
	for i := range headRunes {
		if rest := slices.Delete(slices.Clone(rs), i, i+1); len(rest) >= headRunes {
			if k := string(rest[:headRunes]); !slices.Contains(keys, k) {
				keys = append(keys, k)
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
// two letters their keys start with, in byte order) and their payloads.
func heads(inv *inverted, groups []group) ([]string, []headFile) {
	// better orders a key's terms as the engines rank typo candidates of
	// one distance: most documents first, then in byte order.
	better := func(a, b headEntry) int {
		return cmp.Or(cmp.Compare(inv.df[b.term], inv.df[a.term]), cmp.Compare(inv.terms[a.term], inv.terms[b.term]))
	}
	byKey := map[string][]headEntry{}
	for si, g := range groups {
		for ti, t := range g.terms {
			if utf8.RuneCountInString(inv.terms[t]) < minTypoTarget {
				continue
			}
			for _, k := range headKeys(inv.terms[t]) {
				byKey[k] = append(byKey[k], headEntry{t, si, ti})
			}
		}
	}
	byBucket := map[string][]string{}
	for k := range byKey {
		b := headBucket(k)
		byBucket[b] = append(byBucket[b], k)
	}
	names := slices.Sorted(maps.Keys(byBucket))
	files := make([]headFile, len(names))
	for n, b := range names {
		f := &files[n]
		f.Keys = slices.Sorted(slices.Values(byBucket[b]))
		for _, k := range f.Keys {
			var terms []string
			var shards, index, df []int
			all := byKey[k]
			slices.SortFunc(all, better)
			for _, e := range all {
				terms, shards = append(terms, inv.terms[e.term]), append(shards, e.shard)
				index, df = append(index, e.index), append(df, inv.df[e.term])
			}
			f.Terms, f.Shard = append(f.Terms, terms), append(f.Shard, shards)
			f.Index, f.DF = append(f.Index, index), append(f.DF, df)
		}
	}
	return names, files
}

// writeHeads hands the head files to put.
func writeHeads(files []headFile, base, version string, put func(string, []byte) error) error {
	for n := range files {
		name := "y/" + strconv.Itoa(n)
		if err := put(base+name+".js", callback(version+"/"+name, mustJSON(files[n]))); err != nil {
			return err
		}
	}
	return nil
}
