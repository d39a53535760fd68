package search

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// fineIndex writes the bundled guide's index with shards of budget bytes,
// and opens it.
func fineIndex(t *testing.T, budget int) (map[string][]byte, *Engine) {
	t.Helper()
	s, roles := bundledRoles(t)
	return indexWith(t, s, roles, budget)
}

// indexWith writes the index of a guide with shards of budget bytes, and
// opens it.
func indexWith(t *testing.T, s *site.Site, roles []*site.Role, budget int) (map[string][]byte, *Engine) {
	t.Helper()
	x := NewIndex()
	x.SetShardBudget(budget)
	files := map[string][]byte{}
	for _, r := range roles {
		x.Add(r, len(s.Categories))
		files[RolePath("v", r.Index)] = RoleFile(r, len(s.Categories))
	}
	var mu sync.Mutex
	err := x.Write(s, "v", func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		files[p] = bytes.Clone(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, openFiles(t, files)
}

func openFiles(t *testing.T, files map[string][]byte) *Engine {
	t.Helper()
	e, err := Open(func(p string) ([]byte, error) {
		if b, ok := files[p]; ok {
			return b, nil
		}
		return nil, fmt.Errorf("no file %s", p)
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// sameSearch runs q on the files of two indexes of one guide and reports
// whether they find the same hits, scores and count, with how many hits
// the first found.
func sameSearch(t *testing.T, q string, k int, x, y map[string][]byte) (same bool, hits int) {
	t.Helper()
	a, err := openFiles(t, x).Search(q, k, true, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := openFiles(t, y).Search(q, k, true, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	same = a.Count == b.Count && a.Exact == b.Exact && len(a.Hits) == len(b.Hits)
	for i := 0; same && i < len(a.Hits); i++ {
		same = a.Hits[i].Doc == b.Hits[i].Doc && a.Hits[i].Score == b.Hits[i].Score
	}
	return same, len(a.Hits)
}

// TestPrefixFilesHoldTheCommonestTerms splits the bundled guide's terms
// into shards of half a kilobyte, as a large guide's are split, and types every
// prefix that was split: its prefix matches must be the maxPrefix terms
// with the most documents that the word may continue into, read from one
// prefix file and at most five shards.
func TestPrefixFilesHoldTheCommonestTerms(t *testing.T) {
	files, e := fineIndex(t, 512)
	if len(e.meta.Prefixes) < 20 {
		t.Fatalf("%d prefix files: the test checks little", len(e.meta.Prefixes))
	}
	s, roles := bundledRoles(t)
	inv := mustInvert(t, s, roles)
	for n, p := range e.meta.Prefixes {
		w := qword{word: p, stem: Stem(p), partial: true}
		type term struct {
			t  string
			df int
		}
		var want []term
		for i, tm := range inv.terms {
			if continues(tm, p) && tm != w.stem {
				want = append(want, term{tm, inv.df[i]})
			}
		}
		slices.SortStableFunc(want, func(a, b term) int { return cmp.Compare(b.df, a.df) })
		want = want[:min(len(want), maxPrefix)]

		e := openFiles(t, files)
		alts, err := e.alternatives(w)
		if err != nil {
			t.Fatal(err)
		}
		var got []term
		for _, a := range alts {
			if a.factor == prefixFactor {
				got = append(got, term{a.s.Terms[a.term], a.s.DF[a.term]})
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q (prefix file %d): prefix matches %v; want %v", p, n, got, want)
		}
		if e.Loads > 1+1+1+4 {
			t.Errorf("%q: %d files read; want meta.js, the stem's shard, the prefix file and at most four shards", p, e.Loads)
		}
	}
}

// TestPrefixFilesChangeNoResults searches the bundled guide, split into
// fine shards with prefix files and into the usual ones, for words being
// typed, asking for enough results to read later tiers: the results must be
// the same.
func TestPrefixFilesChangeNoResults(t *testing.T) {
	fine, e := fineIndex(t, 512)
	usual, _ := fineIndex(t, shardBudget)
	for _, p := range append(e.meta.Prefixes, "isol", "manag", "pagin") {
		for _, q := range []string{p, "database " + p} {
			if same, _ := sameSearch(t, q, 100, fine, usual); !same {
				t.Errorf("%q: fine shards and the usual ones find different results", q)
			}
		}
	}
}

// TestPrefixFilesReadLaterTiers types the prefix of words so common in a
// guide that their postings run into later tiers, which a query reads from
// the files of the words' own shards: the results, far enough down to need
// them, must be those of the same guide in the usual shards.
func TestPrefixFilesReadLaterTiers(t *testing.T) {
	guideYAML, files := sitetest.CommonWords()
	s, rs := sitetest.Model(t, guideYAML, files)
	fine, e := indexWith(t, s, rs, 512)
	usual, _ := indexWith(t, s, rs, shardBudget)
	if !slices.Contains(e.meta.Prefixes, "st") || !slices.Contains(e.meta.Prefixes, "sta") {
		t.Fatalf("prefix files for %q; want st and sta among them", e.meta.Prefixes)
	}
	for _, q := range []string{"st", "sta", "stat", "steady st"} {
		if same, hits := sameSearch(t, q, 200, fine, usual); !same || hits <= firstTier {
			t.Errorf("%q: fine shards find %d hits; want the usual shards' results, over %d", q, hits, firstTier)
		}
	}
}

// TestPrefixShardsReachEveryStem types a word that runs past four stems,
// each in a shard of its own: every one must match, as in the usual
// shards, where one shard holds them all.
func TestPrefixShardsReachEveryStem(t *testing.T) {
	guideYAML, roles := sitetest.Stems()
	s, rs := sitetest.Model(t, guideYAML, roles)
	fine, _ := indexWith(t, s, rs, 1)
	usual, _ := indexWith(t, s, rs, shardBudget)
	for _, q := range []string{"bcdfghjk", "bcdfghjkm"} {
		if same, hits := sameSearch(t, q, 10, fine, usual); !same {
			t.Errorf("%q: %d hits with a term to a shard; want the results of one shard", q, hits)
		}
	}
}
