package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io/fs"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Two words one edit apart in their first letters share a key, whatever
// the edit, in any script; so do two words two edits apart, anywhere, when
// the longer has eight letters and the shorter six.
func TestHeadKeysMeetWithinOneEdit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	letters := []rune("abcdeéfgxyzжщ")
	word := func(n int) []rune {
		w := make([]rune, n)
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		return w
	}
	// edit makes one edit at i, which is less than len(w)-1.
	edit := func(w []rune, i int) ([]rune, string) {
		w = slices.Clone(w)
		switch r.IntN(4) {
		case 0:
			w[i] = letters[r.IntN(len(letters))]
			return w, "wrong letter"
		case 1:
			return slices.Insert(w, i, letters[r.IntN(len(letters))]), "extra letter"
		case 2:
			return slices.Delete(w, i, i+1), "missing letter"
		default: // the letter at i with the next, which may be the fourth
			w[i], w[i+1] = w[i+1], w[i]
			return w, "letters swapped"
		}
	}
	// shared reports whether term and word share a key, with the keys of
	// two deletions if two is set.
	shared := func(term, word []rune, two bool) bool {
		ka, kb := headKeys(string(term), two), headKeys(string(word), two)
		return slices.ContainsFunc(ka, func(k string) bool { return slices.Contains(kb, k) })
	}
	for range 20000 {
		a := word(4 + r.IntN(6))
		i := r.IntN(headRunes)
		b, what := edit(a, i)
		if !shared(a, b, false) {
			t.Fatalf("%s at %d: %q has keys %q, %q has %q: none shared", what, i, string(a), headKeys(string(a), false), string(b), headKeys(string(b), false))
		}
	}
	for range 50000 {
		a := word(6 + r.IntN(6))
		i := r.IntN(headRunes + 1)
		b, what1 := edit(a, i)
		j := r.IntN(len(b) - 1)
		b, what2 := edit(b, j)
		if len(b) < 8 {
			continue
		}
		if !shared(a, b, true) {
			t.Fatalf("%s at %d, then %s at %d: %q has keys %q, %q has %q: none shared", what1, i, what2, j, string(a), headKeys(string(a), true), string(b), headKeys(string(b), true))
		}
	}
	if keys, want := headKeys("database", false), []string{"dat", "ata", "dta", "daa"}; !slices.Equal(keys, want) {
		t.Errorf("keys of database: %q; want %q", keys, want)
	}
	if keys, want := headKeys("database", true), []string{"dat", "ata", "dta", "daa", "tab", "aab", "atb", "dab", "dtb"}; !slices.Equal(keys, want) {
		t.Errorf("keys of database, two edits: %q; want %q", keys, want)
	}
	if keys, want := headKeys("aaab", false), []string{"aaa", "aab"}; !slices.Equal(keys, want) {
		t.Errorf("keys of aaab: %q; want %q", keys, want)
	}
	for _, k := range []string{"dat", "жщa", "éab"} {
		if b := headBucket(k); b != string([]rune(k)[:2]) {
			t.Errorf("bucket of %q: %q", k, b)
		}
	}
}

// Typos in a word's first letters find it however the vocabulary is
// split: here a shard holds one term, so that every such typo leads to
// another shard than the word's, or to none.
func TestTyposInTheFirstLetters(t *testing.T) {
	_, e := fineIndex(t, 1)
	for _, tc := range []struct{ query, word, term string }{
		{"osolation", "isolation", "isolation"},  // a wrong first letter
		{"solation", "isolation", "isolation"},   // a missing one
		{"wisolation", "isolation", "isolation"}, // an extra one
		{"siolation", "isolation", "isolation"},  // two swapped
		{"iaolation", "isolation", "isolation"},  // a wrong second letter
		{"dtabase", "database", "databas"},       // a missing second letter: no shard starts "dt"
		{"adtabase", "database", "databas"},
		{"pqgination", "pagination", "pagination"},
		{"idwmpotency", "idempotency", "idempotency"}, // two edits in a long word, one in its head
	} {
		// As a word typed in full, and as the word being typed, which has
		// no term that starts with it either.
		for _, prefix := range []bool{false, true} {
			res, err := e.Search(tc.query, 5, prefix, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Errorf("%q (being typed: %v): no results; want those of %q", tc.query, prefix, tc.word)
				continue
			}
			want, err := e.Search(tc.word, 5, false, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Hits) == 0 || res.Hits[0].Doc != want.Hits[0].Doc {
				t.Errorf("%q (being typed: %v): first hit %q; want %q's, %q", tc.query, prefix, res.Hits[0].Text, tc.word, want.Hits[0].Text)
			}
			if len(res.Corrected) != 1 || !slices.Contains(res.Corrected[0], tc.term) || want.Corrected != nil {
				t.Errorf("%q (being typed: %v): read as %q, %q as %q; want %q among one word's, and nothing", tc.query, prefix, res.Corrected, tc.word, want.Corrected, tc.term)
			}
		}
	}
	// A word being typed that runs past a stem, but that no term starts
	// with, is corrected as well.
	for _, tc := range []struct{ typed, term string }{{"databsae", "databas"}, {"replicaiton", "replication"}, {"latenyc", "latency"}} {
		alts, err := e.alternatives(parse(tc.typed, true)[0])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(alts, func(a *alt) bool { return a.s.Terms[a.term] == tc.term }) {
			var got []string
			for _, a := range alts {
				got = append(got, a.s.Terms[a.term])
			}
			t.Errorf("%q, being typed: alternatives %q; want %q among them", tc.typed, got, tc.term)
		}
	}
	// A word being typed that terms start with is on its way to them, not
	// a typo of another term one edit away.
	s, roles := bundledRoles(t)
	terms := mustInvert(t, s, roles).terms
	tried := 0
	for _, term := range terms {
		p := term[:len(term)-1]
		if len(p) < 4 || !isASCIILetters(term) || slices.Contains(terms, p) {
			continue
		}
		other := slices.ContainsFunc(terms, func(u string) bool { return !strings.HasPrefix(u, p) && distance(p, u, 1) <= 1 })
		if !other {
			continue
		}
		tried++
		alts, err := e.alternatives(parse(p, true)[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alts {
			if a.factor < prefixFactor {
				t.Errorf("%q, being typed: corrected to %q", p, a.s.Terms[a.term])
			}
		}
	}
	if tried == 0 {
		t.Error("no word being typed both starts terms and is a typo of another")
	}
}

// The head files of two edits are read for a long word only when nothing
// one edit away was found.
func TestTwoEditHeadFilesOnlyWhenNeeded(t *testing.T) {
	files, _ := fineIndex(t, 1)
	for _, tc := range []struct {
		query string
		z     bool
	}{
		{"osolation", false},   // one edit, a short word
		{"replicaiton", false}, // one edit, a long word
		{"osilation", true},    // two edits, both in the head
		{"rpelicaiton", true},  // two edits
	} {
		var read []string
		e, err := Open(func(p string) ([]byte, error) {
			read = append(read, p)
			if b, ok := files[p]; ok {
				return b, nil
			}
			return nil, fs.ErrNotExist
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Search(tc.query, 5, false, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Corrected) != 1 || len(res.Hits) == 0 {
			t.Errorf("%q: %d hits, read as %q; want hits and a correction", tc.query, len(res.Hits), res.Corrected)
		}
		z := slices.ContainsFunc(read, func(p string) bool { return strings.Contains(p, "/z/") })
		if z != tc.z {
			t.Errorf("%q: read head files of two edits: %v; want %v (read %q)", tc.query, z, tc.z, read)
		}
	}
}

// A head file keeps every term of each key, and points at where each
// lives: those of one edit every term under its own key and those of one
// deletion, those of two the terms of six letters or more under their
// other keys of two deletions. A file holds the keys from the first two
// letters its name gives up to the next file's, and no more than about
// headBudget bytes unless those of its first two letters alone take more.
func TestHeadFilesPointAtTheirTerms(t *testing.T) {
	s, roles := bundledRoles(t)
	inv := mustInvert(t, s, roles)
	groups := shardGroups(inv)
	hs := heads(inv, groups)
	for kind, name := range []string{"one edit", "two edits"} {
		names, files := hs.names[kind], headFilesOf(t, hs, kind)
		if !slices.IsSorted(names) || len(names) != len(files) || len(names) < 2 {
			t.Fatalf("%s: %d head files named %q", name, len(files), names)
		}
		// Under each key, exactly the terms that have it, commonest
		// first, ties in byte order.
		type entry struct {
			t  string
			df int
		}
		rank := func(a, b entry) int { return cmp.Or(cmp.Compare(b.df, a.df), cmp.Compare(a.t, b.t)) }
		lists := map[string][]entry{}
		for i, term := range inv.terms {
			n := len([]rune(term))
			if n < minTypoTarget {
				continue
			}
			keys := headKeys(term, false)
			if kind == 1 {
				if !twoEditTerm(n) {
					continue
				}
				keys = headKeys(term, true)[len(keys):]
			}
			for _, k := range keys {
				lists[k] = append(lists[k], entry{term, inv.df[i]})
			}
		}
		keys, crowded, merged := 0, 0, 0
		for n, f := range files {
			if !f.whole() || !slices.IsSorted(f.Keys) || len(f.Keys) == 0 {
				t.Fatalf("%s: head file %q is not whole, sorted and with keys: %+v", name, names[n], f)
			}
			if b := headBucket(f.Keys[0]); b != names[n] {
				t.Errorf("%s: head file %q starts with key %q", name, names[n], f.Keys[0])
			}
			size := 0
			for j, k := range f.Keys {
				keys++
				if headBucket(k) < names[n] || n+1 < len(names) && headBucket(k) >= names[n+1] {
					t.Errorf("%s: key %q is in head file %q", name, k, names[n])
				}
				for m, term := range f.Terms[j] {
					g := groups[f.Shard[j][m]]
					if got := inv.terms[g.terms[f.Index[j][m]]]; got != term {
						t.Errorf("%s: key %q: term %q points at %q", name, k, term, got)
					}
					if f.DF[j][m] != inv.df[g.terms[f.Index[j][m]]] {
						t.Errorf("%s: key %q: term %q has %d documents, not %d", name, k, term, inv.df[g.terms[f.Index[j][m]]], f.DF[j][m])
					}
					size += len(term) + 16
				}
				l := lists[k]
				slices.SortFunc(l, rank)
				var want []string
				for _, e := range l {
					want = append(want, e.t)
				}
				if !slices.Equal(f.Terms[j], want) {
					t.Errorf("%s: key %q keeps %q; want %q", name, k, f.Terms[j], want)
				}
				if len(want) > 16 {
					crowded++
				}
			}
			if first := headBucket(f.Keys[0]); headBucket(f.Keys[len(f.Keys)-1]) != first {
				merged++
				if size > headBudget {
					t.Errorf("%s: head file %q holds the keys of several first two letters in %d bytes", name, names[n], size)
				}
			}
		}
		if keys != len(lists) {
			t.Errorf("%s: %d keys in the head files; the terms have %d", name, keys, len(lists))
		}
		if crowded == 0 {
			t.Errorf("%s: no key has more than 16 terms: the test does not show that crowded keys keep them all", name)
		}
		if merged == 0 {
			t.Errorf("%s: no head file holds the keys of several first two letters", name)
		}
	}
}

// headFilesOf returns the head files of a kind in hs.
func headFilesOf(t *testing.T, hs *headSet, kind int) []headFile {
	t.Helper()
	var files []headFile
	err := hs.each(kind, nil, func(n int, f *headFile) error {
		if n != len(files) {
			t.Fatalf("head file %d handed over after %d others", n, len(files))
		}
		files = append(files, *f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A damaged head file, or one that disagrees with the shards, makes a
// query fail with an error, never a panic or a wrong term.
func TestDamagedHeadFiles(t *testing.T) {
	files, e := fineIndex(t, 1)
	for _, c := range []struct{ query, term, kind string }{
		{"osolation", "isolation", "y"}, // one edit
		{"osilation", "isolation", "z"}, // two, both in the first letters
	} {
		damagedHeadFile(t, files, e, c.query, c.term, c.kind)
	}
}

// damagedHeadFile damages, in turn, the head file of a kind through which
// query finds term.
func damagedHeadFile(t *testing.T, files map[string][]byte, e *Engine, query, term, kind string) {
	t.Helper()
	var (
		name    string
		n, j, m = 0, 0, -1
		f       headFile
	)
	for _, k := range headKeys(Stem(query), kind == "z") {
		if n = e.headFileOf(kind, k); n < 0 {
			continue
		}
		name = Dir + "v/" + kind + "/" + strconv.Itoa(n) + ".js"
		b := files[name]
		if err := json.Unmarshal(b[bytes.IndexByte(b, ',')+1:bytes.LastIndexByte(b, ')')], &f); err != nil {
			t.Fatal(err)
		}
		var ok bool
		if j, ok = slices.BinarySearch(f.Keys, k); ok {
			if m = slices.Index(f.Terms[j], term); m >= 0 {
				break
			}
		}
		m = -1
	}
	if m < 0 {
		t.Fatalf("no head file of kind %s leads %q to %q", kind, query, term)
	}
	for _, tc := range []struct {
		name   string
		damage func(f *headFile)
	}{
		{"index before the start", func(f *headFile) { f.Index[j][m] = -1 }},
		{"index past the end", func(f *headFile) { f.Index[j][m] = 1 << 20 }},
		{"shard past the end", func(f *headFile) { f.Shard[j][m] = 1 << 20 }},
		{"the next term's place", func(f *headFile) { f.Index[j][m]++ }},
		{"lists of different lengths", func(f *headFile) { f.DF[j] = f.DF[j][1:] }},
		{"keys without terms", func(f *headFile) { f.Terms = f.Terms[:j] }},
	} {
		var g headFile
		if err := json.Unmarshal(mustJSON(f), &g); err != nil {
			t.Fatal(err)
		}
		tc.damage(&g)
		damaged := maps.Clone(files)
		damaged[name] = callback("v/"+kind+"/"+strconv.Itoa(n), mustJSON(g))
		if _, err := openFiles(t, damaged).Search(query, 5, false, Filter{}); err == nil {
			t.Errorf("%s, %s: no error", name, tc.name)
		}
	}
	damaged := maps.Clone(files)
	damaged[name] = []byte("__guideSearch(\"v/" + kind + "/" + strconv.Itoa(n) + "\",{\"k\":[")
	if _, err := openFiles(t, damaged).Search(query, 5, false, Filter{}); err == nil {
		t.Errorf("%s cut short: no error", name)
	}
}
