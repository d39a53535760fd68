package search

import (
	"slices"
	"strings"
	"testing"
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
