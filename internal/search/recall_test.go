package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide/internal/site/sitetest"
)

// TestTypoRecall measures how often a typo finds the word it stands for in
// a built guide: for terms of a range of documents, one edit at each of
// the first six letters, it counts the cases where the term is among the
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
	lo, hi := 0, 0
	if r := os.Getenv("GUIDE_TYPO_DF"); r != "" {
		if _, err := fmt.Sscanf(r, "%d-%d", &lo, &hi); err != nil {
			t.Fatalf("GUIDE_TYPO_DF=%q: want a range such as 50-400", r)
		}
	}
	e, err := Open(func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(site, filepath.FromSlash(p))) })
	if err != nil {
		t.Fatal(err)
	}
	found, reachable := typoRecall(t, e, lo, hi, 5)
	for _, edit := range typoEdits {
		line := ""
		for at := range recallLetters {
			k := typoCase{edit, at}
			line += fmt.Sprintf("  %d: %3d/%3d %3.0f%%", at+1, found[k], reachable[k], 100*float64(found[k])/float64(max(reachable[k], 1)))
		}
		t.Logf("%-8s%s", edit, line)
	}
}

// Every typo of one edit, or of two in a long word, that an exhaustive
// search of the dictionary corrects, the engine corrects too, wherever the
// edits are, in words of three letters and more, in the bundled
// guide and in one where many terms share their first letters, most of
// them common and some in one document: with a term in each shard, so
// that a typo in a word's first letters leads to another shard than the
// word's, or to none.
func TestTypoRecallIsWhole(t *testing.T) {
	bundled, _ := fineIndex(t, 1)
	guideYAML, files := crowdedGuide()
	s, roles := sitetest.Model(t, guideYAML, files)
	crowded, _ := indexWith(t, s, roles, 1)
	for name, files := range map[string]map[string][]byte{"bundled": bundled, "crowded": crowded} {
		found, reachable := typoRecall(t, openFiles(t, files), 0, 0, 3)
		total := 0
		for k, n := range reachable {
			total += n
			if found[k] != n {
				t.Errorf("%s guide, %s letter %d: %d of %d typos corrected", name, k.edit, k.at+1, found[k], n)
			}
		}
		if total < 1000 {
			t.Errorf("%s guide: only %d typos tried", name, total)
		}
	}
}

// crowdedGuide returns a guide whose words start with one of three heads,
// forty words to a head, the first in every role and the last in one.
func crowdedGuide() (guideYAML []byte, roles map[string][]byte) {
	r := rand.New(rand.NewPCG(3, 4))
	var words []string
	for _, head := range []string{"sta", "con", "pre"} {
		for range 40 {
			w := []byte(head)
			for range 3 + r.IntN(4) {
				w = append(w, "bcdfgklmnprstvz"[r.IntN(15)], "aeiou"[r.IntN(5)])
			}
			words = append(words, string(w))
		}
	}
	roles = map[string][]byte{}
	for i := range 40 {
		var text []string
		for j, w := range words {
			if i < 40-j%40 {
				text = append(text, w)
			}
		}
		r.Shuffle(len(text), func(i, j int) { text[i], text[j] = text[j], text[i] })
		roles[fmt.Sprintf("role-%d.md", i)] = fmt.Appendf(nil, "---\ntitle: Role %d\ndepartment: D\nsummary: S.\nquestions:\n  - q: %s?\n    category: technical\n    look-for: x.\n---\nBody.\n", i, strings.Join(text, " "))
	}
	return []byte("title: Crowded\nbase-url: https://example.org/\ncategories:\n  - {key: technical, title: Technical}\n"), roles
}

// typoEdits are the edits typoRecall makes, at each of the first
// recallLetters letters: one, or in words of nine letters or more, a wrong
// letter there and another further on.
var typoEdits = []string{"wrong", "missing", "extra", "swapped", "2 wrong"}

const recallLetters = 6

type typoCase struct {
	edit string
	at   int
}

// typoRecall makes typos (see typoEdits) of up to 300 terms of minLen
// letters or more of the index e reads (those in lo to hi
// documents, or the commonest if hi is 0), and counts, for each edit and
// letter, those where the engine finds the term and those where an
// exhaustive search of the dictionary does.
func typoRecall(t *testing.T, e *Engine, lo, hi, minLen int) (found, reachable map[typoCase]int) {
	t.Helper()
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
		if twoEdits(len([]rune(stem))) {
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
	for _, x := range all {
		if len(x.t) >= minLen && isASCIILetters(x.t) && (hi == 0 || x.df >= lo && x.df < hi) {
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
	found, reachable = map[typoCase]int{}, map[typoCase]int{}
	for _, tg := range targets {
		for at := range recallLetters {
			for _, edit := range typoEdits {
				v := []rune(tg.t)
				if at+1 >= len(v) {
					continue
				}
				letter := rune('a' + r.IntN(26))
				wrong := func(i int) {
					for letter == v[i] {
						letter = rune('a' + r.IntN(26))
					}
					v[i] = letter
				}
				switch edit {
				case "wrong":
					wrong(at)
				case "2 wrong": // in a word long enough for two edits
					if len(v) < 9 || at+2 >= len(v) {
						continue
					}
					wrong(at)
					wrong(at + 2 + r.IntN(len(v)-at-2))
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
				// One engine for every typo: it keeps the files it has read,
				// which changes what a query costs, not what it finds.
				alts, err := e.alternatives(ws[0])
				if err != nil {
					t.Fatal(err)
				}
				if slices.ContainsFunc(alts, func(a *alt) bool { return a.factor == 1 }) {
					continue // the typo is itself a term
				}
				reachable[typoCase{edit, at}]++
				if slices.ContainsFunc(alts, func(a *alt) bool { return a.s.Terms[a.term] == tg.t }) {
					found[typoCase{edit, at}]++
				}
			}
		}
	}
	return found, reachable
}
