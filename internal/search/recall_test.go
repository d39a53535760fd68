package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTypoRecall measures how often a typo finds the word it stands for in
// a built guide: for terms of a range of documents, one edit at each of
// the first four letters, it counts the cases where the term is among the
// typo alternatives the engine keeps, out of those where an exhaustive
// search of the whole dictionary has it among its best three. It runs only
// when asked (docs/search.md has the results):
//
//	GUIDE_TYPO_SITE=/tmp/out-10000 GUIDE_TYPO_DF=50-400 go test -run TestTypoRecall -v ./internal/search
//
// Without GUIDE_TYPO_DF it takes the 300 commonest terms.
func TestTypoRecall(t *testing.T) {
	site := os.Getenv("GUIDE_TYPO_SITE")
	if site == "" {
		t.Skip("set GUIDE_TYPO_SITE to a built guide to measure typo recall")
	}
	load := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(site, filepath.FromSlash(p))) }
	e, err := Open(load)
	if err != nil {
		t.Fatal(err)
	}
	type term struct {
		t  string
		df int
	}
	var all []term
	for i := range e.meta.Shards {
		s, err := e.shard(i)
		if err != nil {
			t.Fatal(err)
		}
		for j, x := range s.Terms {
			all = append(all, term{x, s.DF[j]})
		}
	}
	// best returns the three terms closest to stem, as the engine ranks
	// typo candidates, from the whole dictionary.
	best := func(stem string) []string {
		limit := 1
		if len([]rune(stem)) >= 8 {
			limit = 2
		}
		type cand struct {
			t     string
			d, df int
		}
		var cs []cand
		for _, x := range all {
			if d := distance(stem, x.t, limit); d <= limit {
				cs = append(cs, cand{x.t, d, x.df})
			}
		}
		slices.SortFunc(cs, func(a, b cand) int {
			return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(b.df, a.df), cmp.Compare(a.t, b.t))
		})
		var out []string
		for _, c := range cs[:min(3, len(cs))] {
			out = append(out, c.t)
		}
		return out
	}
	var targets []term
	lo, hi := 0, 0
	if r := os.Getenv("GUIDE_TYPO_DF"); r != "" {
		if _, err := fmt.Sscanf(r, "%d-%d", &lo, &hi); err != nil {
			t.Fatalf("GUIDE_TYPO_DF=%q: want a range such as 50-400", r)
		}
	}
	for _, x := range all {
		if len(x.t) >= 5 && isASCIILetters(x.t) && (hi == 0 || x.df >= lo && x.df < hi) {
			targets = append(targets, x)
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	if hi == 0 {
		slices.SortFunc(targets, func(a, b term) int { return cmp.Compare(b.df, a.df) })
	} else {
		r.Shuffle(len(targets), func(i, j int) { targets[i], targets[j] = targets[j], targets[i] })
	}
	targets = targets[:min(len(targets), 300)]
	edits := []string{"wrong", "missing", "extra", "swapped"}
	type key struct {
		edit string
		at   int
	}
	found, reachable := map[key]int{}, map[key]int{}
	for _, tg := range targets {
		for at := range 4 {
			for _, edit := range edits {
				v := []rune(tg.t)
				letter := rune('a' + r.IntN(26))
				switch edit {
				case "wrong":
					for letter == v[at] {
						letter = rune('a' + r.IntN(26))
					}
					v[at] = letter
				case "missing":
					v = slices.Delete(v, at, at+1)
				case "extra":
					v = slices.Insert(v, at, letter)
				case "swapped":
					if v[at] == v[at+1] {
						continue
					}
					v[at], v[at+1] = v[at+1], v[at]
				}
				ws := parse(string(v), false)
				if len(ws) != 1 || len([]rune(ws[0].stem)) < 4 || !slices.Contains(best(ws[0].stem), tg.t) {
					continue
				}
				fresh, err := Open(load) // each query cold, as a visitor's first
				if err != nil {
					t.Fatal(err)
				}
				alts, err := fresh.alternatives(ws[0])
				if err != nil {
					t.Fatal(err)
				}
				if slices.ContainsFunc(alts, func(a *alt) bool { return a.factor == 1 }) {
					continue // the typo is itself a term
				}
				reachable[key{edit, at}]++
				if slices.ContainsFunc(alts, func(a *alt) bool { return a.s.Terms[a.term] == tg.t }) {
					found[key{edit, at}]++
				}
			}
		}
	}
	for _, edit := range edits {
		line := ""
		for at := range 4 {
			k := key{edit, at}
			line += fmt.Sprintf("  letter %d: %3d of %3d (%3.0f %%)", at+1, found[k], reachable[k], 100*float64(found[k])/float64(max(reachable[k], 1)))
		}
		t.Logf("%-8s%s", edit, line)
	}
}
