package site

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// clipAll is Clip as first written, collapsing the whole text before
// cutting it: Clip, which collapses only what it keeps, must give the same
// result.
func clipAll(s string, n int) string {
	return cut(strings.Join(strings.Fields(s), " "), n)
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  runs   of\n\tspace  ", 40, "runs of space"},
		{"The candidate explains isolation levels clearly.", 30, "The candidate explains…"},
		{"Supercalifragilisticexpialidocious words", 12, "Supercalifra…"},
		{"Naïve café résumé déjà vu", 10, "Naïve…"},
		{"Ends with a comma, then more words", 19, "Ends with a comma…"},
		{"hello world \t", 11, "hello world"},
		{"hello world \u00a0", 11, "hello world"},
		{"hello world \n\n", 11, "hello world"},
		{"hello world ", 11, "hello world"},
	} {
		if got := Clip(tc.in, tc.n); got != tc.want {
			t.Errorf("Clip(%q, %d) = %q; want %q", tc.in, tc.n, got, tc.want)
		}
	}
	pieces := []string{"a", "word", "longerword", " ", "  ", "\n", "\t", "é", "日本", ",", ".", ";", "\u00a0", "\u2003"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(30) {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(3) > 0 {
				p = pieces[r.IntN(4)] // mostly words and single spaces, as text is
			}
			b.WriteString(p)
		}
		n := r.IntN(80)
		if got, want := Clip(b.String(), n), clipAll(b.String(), n); got != want {
			t.Fatalf("Clip(%q, %d) = %q; want %q", b.String(), n, got, want)
		}
	}
}

// FuzzClip holds Clip, with its shortcut for text spaced already, to
// collapsing the whole text before cutting it.
func FuzzClip(f *testing.F) {
	for _, s := range []string{"hello world \t", "hello world \u00a0", "a b c", " lead", "two  spaces", "tail \n", "é\u2003x"} {
		f.Add(s, 11)
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 300 {
			return
		}
		if got, want := Clip(s, n), clipAll(s, n); got != want {
			t.Fatalf("Clip(%q, %d) = %q; want %q", s, n, got, want)
		}
	})
}
