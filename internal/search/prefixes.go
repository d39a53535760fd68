package search

import (
	"cmp"
	"slices"
	"strconv"
)

// Prefix files. A word being typed stands for the terms that start with
// it, and a query takes the maxPrefix of them with the most documents.
// Where those terms lie in more than one shard (in a guide of 10,000 roles,
// the terms under "st" fill seventy), reading the shards would cost
// hundreds of kilobytes a keystroke, and reading only some of them would
// miss the commonest terms. So every prefix that was split into shards
// (see shardTerms) gets a file of its own, search/<version>/h/<n>.js: the
// terms under it with the most documents, each with what its shard holds
// of it (document count, tier maxima, first tier) and where its shard and
// later tiers are.

// prefixFileTerms is how many terms a prefix file holds: the maxPrefix a
// query takes, and one more to stand in for the word's own stem, which a
// query counts as an exact match rather than a prefix match.
const prefixFileTerms = maxPrefix + 1

// minPrefix is the shortest prefix, in bytes, that queries look for terms
// under (see Engine.alternatives); shorter split prefixes get no file.
const minPrefix = 2

// prefixFile is the payload of a prefix file: a shard of the chosen terms,
// and for each, its own shard and its position there, which names its
// later tiers.
type prefixFile struct {
	shard
	Shard []int `json:"s"`
	Index []int `json:"i"`
}

// prefixes gathers the prefix files while the shards are written.
type prefixes struct {
	names []string // the split prefixes that get a file, in byte order
	terms [][]int  // for each, the positions in inverted.terms of its terms
	at    map[int]*placed
}

// placed is a term of a prefix file, as its shard has it.
type placed struct {
	shard, index int
	first        string
	max          []int
}

// choosePrefixes picks the terms of every prefix file: those with the most
// documents, ties in byte order, as the engines rank prefix matches.
func choosePrefixes(inv *inverted, groups, nodes []group) *prefixes {
	ps := &prefixes{at: map[int]*placed{}}
	for _, n := range nodes {
		if len(n.prefix) < minPrefix {
			continue
		}
		top := slices.Clone(n.terms)
		slices.SortStableFunc(top, func(a, b int) int { return cmp.Compare(inv.df[b], inv.df[a]) })
		top = top[:min(len(top), prefixFileTerms)]
		ps.names = append(ps.names, n.prefix)
		ps.terms = append(ps.terms, top)
		for _, t := range top {
			ps.at[t] = &placed{}
		}
	}
	for si, g := range groups {
		for ti, t := range g.terms {
			if p := ps.at[t]; p != nil {
				p.shard, p.index = si, ti
			}
		}
	}
	return ps
}

// record keeps what the shard being written holds of term t, if a prefix
// file lists it. Shards are written from several goroutines; each term is
// in one shard, and the map is not changed.
func (ps *prefixes) record(t int, first string, max []int) {
	if p := ps.at[t]; p != nil {
		p.first, p.max = first, max
	}
}

// write hands every prefix file to put, once every shard is written.
// kept, when not nil, is asked about each file first: when it reports
// true, it has kept the file from the last build.
func (ps *prefixes) write(inv *inverted, base string, put func(string, []byte) error, kept func(n int) (bool, error)) error {
	for n, terms := range ps.terms {
		if kept != nil {
			if ok, err := kept(n); ok || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		var f prefixFile
		for _, t := range terms {
			p := ps.at[t]
			f.Terms = append(f.Terms, inv.terms[t])
			f.DF = append(f.DF, inv.df[t])
			f.Max = append(f.Max, p.max)
			f.First = append(f.First, p.first)
			f.Shard = append(f.Shard, p.shard)
			f.Index = append(f.Index, p.index)
		}
		name := "h/" + strconv.Itoa(n)
		if err := put(base+name+".js", callback(name, mustJSON(f))); err != nil {
			return err
		}
	}
	return nil
}
