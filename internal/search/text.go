package search

import (
	"strings"
	"unicode/utf8"

	"github.com/guide-build/guide/internal/fold"
	"github.com/guide-build/guide/internal/swar"
)

// Words calls fn with each word of s, folded: lower case, diacritics
// removed, apostrophes dropped ("Don’t" is "dont"). A word is a run of
// letters and digits. assets/search.js splits text the same way; a test
// holds the two together.
func Words(s string, fn func(word string)) {
	words(s, func(w []byte) { fn(string(w)) })
}

// words is Words without allocating: fn gets each word in a buffer that the
// next word overwrites.
func words(s string, fn func(word []byte)) {
	var buf [64]byte
	for i := 0; i < len(s); {
		var w []byte
		if w, i = wordFrom(s, i, buf[:0]); len(w) > 0 {
			fn(w)
		}
	}
}

// asciiFold is fold.Rune for ASCII: the folded letter or digit, or 0 for a
// separator.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range utf8.RuneSelf {
		if f, ok := fold.Rune(nil, rune(c)); ok {
			t[c] = f[0]
		}
	}
	return t
}()

// alnum8 returns the mask (see package swar) of the bytes of x that are
// ASCII letters or digits, where asciiFold is not 0.
func alnum8(x uint64) uint64 {
	y := x &^ swar.High
	l := y | 0x20*swar.Ones // letters in lower case (other bytes moved, none into a-z)
	return (swar.Between(l, 'a', 'z') | swar.Between(y, '0', '9')) &^ x
}

// fold8 folds the bytes of x that alnum8 marked in m as asciiFold does:
// upper-case letters get the 0x20 bit; lower case and digits have it.
func fold8(x, m uint64) uint64 { return x | m>>2 }

// wordFrom reads on from s[i] the word whose folded bytes so far are w
// (none when the word has not started: separators before it are skipped),
// and returns the word and where reading may go on: past the separator
// that ended it, or the end of s. Letters and digits are folded, ASCII by
// table; apostrophes are dropped without ending the word.
func wordFrom(s string, i int, w []byte) ([]byte, int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if f := asciiFold[c]; f != 0 {
				w = append(w, f)
			} else if c != '\'' && len(w) > 0 {
				return w, i
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == '\'' || r == '’' {
			continue
		}
		var ok bool
		if w, ok = fold.Rune(w, r); !ok && len(w) > 0 {
			return w, i
		}
	}
	return w, i
}

// maxWord is the longest word indexed; longer runs (hashes, base64) are
// noise.
const maxWord = 40

// stopwords are words too common to search for. A query made only of
// stopwords still searches for them: they are indexed, but their postings
// are never read otherwise.
var stopwords = map[string]bool{}

// stopList is shared with assets/search.js (see TestClientAgrees).
const stopList = "a an and are as at be but by can do does for from had has have how i if in into is it its " +
	"me my no not of on or our so than that the their them then there these they this to was we " +
	"were what when where which who why will with would you your"

func init() {
	for _, w := range strings.Fields(stopList) {
		stopwords[w] = true
	}
}

// Stem reduces an English word to a light stem, so that "indexes",
// "indexing" and "indexed" all meet at "index", and "cache" and "caching" at
// "cach". It only strips plurals, -ing, -ed and a final e: heavier stemmers
// merge words that recruiters keep apart ("policy", "police").
func Stem(w string) string {
	n := len(w)
	if n <= 3 || !isASCIILetters(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		w = w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "zzes"):
		w = w[:n-2]
	case strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "s"):
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case strings.HasSuffix(w, "ing") && n > 5:
		w = undouble(w[:n-3])
	case strings.HasSuffix(w, "ed") && n > 4 && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:n-2])
	}
	if n = len(w); n > 3 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	return w
}

// undouble turns "mapp" (from "mapping") back into "map"; ll, ss and zz
// stay, as in "rolling" and "missed".
func undouble(w string) string {
	n := len(w)
	if n > 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// Terms calls fn with each indexable term of s: words stemmed, stopwords and
// over-long words skipped.
func Terms(s string, fn func(term string)) {
	words(s, func(w []byte) {
		if t, ok := term(string(w)); ok {
			fn(t)
		}
	})
}

// term returns the term a word is indexed under, or false for a word that
// is not indexed (a stopword, or longer than maxWord).
func term(word string) (string, bool) {
	if len(word) > maxWord || stopwords[word] {
		return "", false
	}
	return Stem(word), true
}
