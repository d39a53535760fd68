package search

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/swar"
)

func TestWordsFoldsAndSplits(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Résumé naïve FAÇADE", "resume naive facade"},
		{"Straße Æsir Œuvre Łódź", "strasse aesir oeuvre lodz"},
		{"Don’t isn't O'Reilly", "dont isnt oreilly"},
		{"SELECT ... FOR UPDATE;", "select for update"},
		{"v1.2.3 http2 e-mail", "v1 2 3 http2 e mail"},
		{"日本語 テキスト", "日本語 テキスト"},
		{"", ""},
	} {
		var got []string
		Words(tc.in, func(w string) { got = append(got, w) })
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Words(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestStemMeetsAtTheSameTerm(t *testing.T) {
	for stem, words := range map[string][]string{
		"index":     {"index", "indexes", "indexing", "indexed"},
		"cach":      {"cache", "caches", "caching", "cached"},
		"map":       {"map", "maps", "mapping", "mapped"},
		"policy":    {"policy", "policies"},
		"roll":      {"roll", "rolling", "rolled", "rolls"},
		"stat":      {"stat"},
		"status":    {"status"},
		"analysis":  {"analysis"},
		"class":     {"class", "classes"},
		"box":       {"box", "boxes"},
		"church":    {"church", "churches"},
		"need":      {"need", "needs"}, // -eed is not -ed
		"speed":     {"speed"},
		"isolation": {"isolation"},
		"go":        {"go"},
		"café":      {"café"}, // only ASCII words are stemmed
	} {
		for _, w := range words {
			if got := Stem(w); got != stem {
				t.Errorf("Stem(%q) = %q; want %q", w, got, stem)
			}
		}
	}
	if Stem("police") == Stem("policy") {
		t.Error("police and policy must stay apart")
	}
}

func TestTermsSkipStopwordsAndLongWords(t *testing.T) {
	var got []string
	Terms("How do you handle the "+strings.Repeat("x", maxWord+1)+" outages?", func(term string) { got = append(got, term) })
	if want := []string{"handl", "outag"}; !slices.Equal(got, want) {
		t.Errorf("Terms = %q; want %q", got, want)
	}
}

func TestDistanceCountsTranspositionsAsOneEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"isolation", "isloation", 2, 1},
		{"pagination", "paginaton", 2, 1},
		{"cache", "cahce", 1, 1},
		{"cache", "cache", 1, 0},
		{"index", "indices", 1, 2}, // beyond the limit: limit+1
		{"a", "abcdef", 2, 3},
		{"naïve", "naive", 1, 1},
	} {
		if got := distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("distance(%q, %q, %d) = %d; want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

func TestParseMarksTheWordBeingTyped(t *testing.T) {
	for _, tc := range []struct {
		q      string
		prefix bool
		want   string
	}{
		{"isolation lev", true, "isolation lev*"},
		{"isolation lev ", true, "isolation lev"},
		{"isolation lev", false, "isolation lev"},
		{"how do I index", true, "index*"},
		{"the", true, "the*"}, // only stopwords: search for them
		{"indexes index", false, "indexes"},
		{"", true, ""},
	} {
		var got []string
		for _, w := range parse(tc.q, tc.prefix) {
			s := w.word
			if w.partial {
				s += "*"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("parse(%q, %v) = %q; want %q", tc.q, tc.prefix, got, tc.want)
		}
	}
}

// countedTerms returns what a counter counts of text: weight by term.
//
// It fails t when the counter's word table does not hold each word of text
// once, under its own head and hash: a word read with a wrong head would
// be looked up in vain, and held again.
func countedTerms(t *testing.T, text string) map[string]uint32 {
	c := &counter{x: NewIndex()}
	c.add(text, 1)
	c.lookup() // the words still waiting (see counter.lookup)
	distinct := map[string]bool{}
	words(text, func(w []byte) {
		if len(w) > maxTableWord {
			return
		}
		distinct[string(w)] = true
		head := wordHead(w)
		if _, ok := c.words.get(w, head, hashWord(w, head)); !ok {
			t.Fatalf("text %q: the counter's table does not hold %q", text, w)
		}
	})
	if c.words.n != len(distinct) {
		t.Fatalf("text %q: the counter's table holds %d words; the text has %d", text, c.words.n, len(distinct))
	}
	got := map[string]uint32{}
	for b, ids := range c.touched {
		for _, id := range ids {
			if int(c.bucket[id]) != b {
				t.Fatalf("text %q: %q is counted in bucket %d, not %d", text, c.x.terms[id], b, c.bucket[id])
			}
			got[c.x.terms[id]] = c.counts[id]
		}
	}
	return got
}

// wordsTerms returns the terms of text as words and term give them: what
// countedTerms must return.
func wordsTerms(text string) map[string]uint32 {
	want := map[string]uint32{}
	words(text, func(w []byte) {
		if t, ok := term(string(w)); ok {
			want[t]++
		}
	})
	return want
}

// TestCounterCountsWhatWordsGives holds the counter's own loop over a
// text, which reads most words without words, to the words words gives:
// random texts of ASCII, apostrophes, folded and unfolded letters,
// combining marks, separators of several bytes, broken UTF-8 and words too
// long for the word table.
func TestCounterCountsWhatWordsGives(t *testing.T) {
	pieces := []string{"a", "B", "z", "7", " ", ".", "-", "'", "’", "é", "É", "ß", "ẞ", "Å", "ª", "日", "\u0301",
		"\u2014", "\u00a0", "\xff", "\xe2\x80", "Ω", "×", "ǆ", "İ", "\t", "\n", "_", "0"}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 3000 {
		var b strings.Builder
		n := r.IntN(40)
		if i%100 == 0 {
			n = 300 + r.IntN(300) // words past 64 and 255 bytes
		}
		for range n {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(3) > 0 {
				p = pieces[r.IntN(4)] // mostly ASCII letters and digits, as text is
			}
			b.WriteString(p)
		}
		text := b.String()
		if got, want := countedTerms(t, text), wordsTerms(text); !maps.Equal(got, want) {
			t.Fatalf("text %q: counted %v; words gives %v", text, got, want)
		}
	}
}

func FuzzCounterCountsWhatWordsGives(f *testing.F) {
	for _, s := range []string{"Don’t isn't O'Reilly", "Résumé naïve FAÇADE", "v1.2.3 http2 e-mail", "日本語 テキスト", "a\xffb", "café'’s", strings.Repeat("x", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := countedTerms(t, text), wordsTerms(text); !maps.Equal(got, want) {
			t.Fatalf("text %q: counted %v; words gives %v", text, got, want)
		}
	})
}

// TestAlnum8AgreesWithTable holds the eight-byte classification and
// folding to asciiFold: every byte value in every place, random numbers,
// and numbers made of the bytes at the bounds of each class, beside each
// other, where a carry from one byte into the next would show.
func TestAlnum8AgreesWithTable(t *testing.T) {
	check := func(x uint64) {
		m := alnum8(x)
		f := fold8(x, m)
		for i := range 8 {
			c, got := byte(x>>(8*i)), m>>(8*i)&0xff
			want := byte(0)
			if c < utf8.RuneSelf {
				want = asciiFold[c]
			}
			if (got == 0x80) != (want != 0) || got != 0 && got != 0x80 {
				t.Fatalf("%#016x: byte %d (%#x) marked %#x; asciiFold gives %#x", x, i, c, got, want)
			}
			if folded := byte(f >> (8 * i)); want != 0 && folded != want {
				t.Fatalf("%#016x: byte %d (%#x) folded to %#x; asciiFold gives %#x", x, i, c, folded, want)
			}
		}
	}
	for v := range 256 {
		check(uint64(v) * swar.Ones)
	}
	r := rand.New(rand.NewPCG(13, 14))
	bounds := []byte{0, '\'', '/', '0', '9', ':', '@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0x7f, 0x80, 0xc3, 0xff}
	for range 100_000 {
		check(r.Uint64())
		var x uint64
		for i := range 8 {
			x |= uint64(bounds[r.IntN(len(bounds))]) << (8 * i)
		}
		check(x)
	}
}

// A word that starts a full word table again, within a batch of
// lookups, leaves the other words of the batch with copies of the old
// table's slots, whose long words' bytes were in the old arena: they are
// looked up again, not matched against the new arena.
func TestCounterTableStartsAgainWithinALookup(t *testing.T) {
	c := &counter{x: NewIndex()}
	c.add("interviewing latency", 1)
	c.lookup()
	c.flush(0, 0)
	c.words.n = wordIDsCap // as if full: the next new word starts it again
	c.add("zebra interviewing latency interviewing", 1)
	c.lookup()
	got := map[string]uint32{}
	for _, ids := range c.touched {
		for _, id := range ids {
			got[c.x.terms[id]] = c.counts[id]
		}
	}
	want := wordsTerms("zebra interviewing latency interviewing")
	if !maps.Equal(got, want) {
		t.Errorf("counted %v; want %v", got, want)
	}
	if c.words.n != 3 {
		t.Errorf("the table started again holds %d words; want 3", c.words.n)
	}
}

// Two indexes built at once, as the dev server's and a test's may be,
// each give their own ids: a counter counts for the index it was made for,
// never the other's, whose slots would name other ids for the same words.
func TestIndexesKeepTheirOwnIDs(t *testing.T) {
	s, roles := bundledRoles(t)
	first, second := NewIndex(), NewIndex()
	second.termID("zeta") // the second index's ids start one later
	for _, r := range roles {
		first.Add(r, len(s.Categories))
		second.Add(r, len(s.Categories))
	}
	for i, x := range []*Index{first, second} {
		for _, c := range x.idle {
			if c.x != x {
				t.Fatalf("index %d holds a counter of another index", i)
			}
		}
	}
	a, b := first.Dictionary(), second.Dictionary()
	if !slices.Equal(a, b[1:]) {
		t.Fatalf("the second index's terms are not the first's after zeta: %d and %d terms", len(a), len(b))
	}
	for _, r := range roles {
		_, da, _ := first.Export(r.File)
		_, db, _ := second.Export(r.File)
		ba, _ := da.Bytes(nil)
		bb, _ := db.Bytes(nil)
		pa, _ := decodeTerms(nil, ba, len(a))
		pb, _ := decodeTerms(nil, bb, len(b))
		for k := 0; k < len(pa); k += 2 {
			if a[pa[k]] != b[pb[k]] || pa[k+1] != pb[k+1] {
				t.Fatalf("%s: term %d is %q ×%d in the first index, %q ×%d in the second", r.File, k/2, a[pa[k]], pa[k+1], b[pb[k]], pb[k+1])
			}
		}
	}
}
