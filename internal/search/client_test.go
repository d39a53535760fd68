package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guide-build/guide/internal/browsertest"
)

// Node runs a script with assets/search.js loaded as api.
func Node(t testing.TB, script string) []byte {
	t.Helper()
	return browsertest.Node(t, "../../assets/search.js", script)
}

func mustQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestClientSplitsTextLikeGo runs the browser's tokenizer and stemmer over
// the bundled guide and tricky text, and compares every word with Go's.
func TestClientSplitsTextLikeGo(t *testing.T) {
	texts := []string{
		"Café Résumé naïve façade — Ångström ẞtraße Œuvre Æsir Łódź ĳssel ſ",
		"Don’t isn't O'Reilly rock'n'roll",
		"1ª edición Nº 5 ½ ² 3.14 http2 v1.2.3 user@example.com",
		"日本語のテキスト 中文 한국어 हिन्दी Ελληνικά русский",
		"e\u0301 combining, tab\there, new\nline, nbsp\u00a0space",
		"indexes indexing indexed index caching cached cache policies mapping rolling missed status analysis buses boxes churches agreed",
		strings.Repeat("x", 45) + " overlong",
	}
	files, _ := filepath.Glob("../../content/roles/*.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	in, _ := json.Marshal(texts)
	out := Node(t, `
const texts = `+string(in)+`;
console.log(JSON.stringify(texts.map(s => ({words: api.words(s), terms: api.terms(s)}))));
`)
	var got []struct{ Words, Terms []string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, s := range texts {
		var words, terms []string
		Words(s, func(w string) { words = append(words, w) })
		Terms(s, func(w string) { terms = append(terms, w) })
		if strings.Join(got[i].Words, " ") != strings.Join(words, " ") {
			t.Errorf("words of text %d differ:\n go: %q\n js: %q", i, words, got[i].Words)
		}
		if strings.Join(got[i].Terms, " ") != strings.Join(terms, " ") {
			t.Errorf("terms of text %d differ:\n go: %q\n js: %q", i, terms, got[i].Terms)
		}
	}
}

// TestClientFoldsLikeGo compares the folding of every Latin letter.
func TestClientFoldsLikeGo(t *testing.T) {
	var s strings.Builder
	for r := rune(0x20); r < 0x250; r++ {
		s.WriteRune(r)
		s.WriteRune(' ')
	}
	text := s.String()
	out := Node(t, `console.log(JSON.stringify(api.words(`+mustQuote(text)+`)));`)
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	var want []string
	Words(text, func(w string) { want = append(want, w) })
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("folding differs:\n go: %q\n js: %q", want, got)
	}
}

// TestClientStopwordsMatch reads the stopword list from the client.
func TestClientStopwordsMatch(t *testing.T) {
	out := Node(t, `console.log(JSON.stringify(api.terms(`+mustQuote(stopList+" kept")+`)));`)
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "kept" {
		t.Errorf("the client keeps %q of the stopwords; want only the non-stopword", got)
	}
}

// TestClientHeadKeysLikeGo compares the keys of words, short and long, in
// several scripts, and the head files they name.
func TestClientHeadKeysLikeGo(t *testing.T) {
	ws := []string{"", "a", "ab", "abc", "abcd", "aaab", "database", "ｆｕｌｌ", "жщаб", "日本語の", "𐐨𐐩ab", "éaéb", "abcdefgh", "aabbaabb", "жщабвгде", "𐐨𐐩ab𐐨𐐩ab"}
	in, _ := json.Marshal(ws)
	out := Node(t, `console.log(JSON.stringify(`+string(in)+`.flatMap(w => [false, true].map(two => ({keys: api.headKeys(w, two), buckets: api.headKeys(w, two).map(api.headBucket)})))));`)
	var got []struct{ Keys, Buckets []string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got) != 2*len(ws) {
		t.Fatalf("%d answers for %d words", len(got), len(ws))
	}
	for i := range got {
		w, two := ws[i/2], i%2 == 1
		keys := headKeys(w, two)
		var buckets []string
		for _, k := range keys {
			buckets = append(buckets, headBucket(k))
		}
		if strings.Join(got[i].Keys, " ") != strings.Join(keys, " ") || strings.Join(got[i].Buckets, " ") != strings.Join(buckets, " ") {
			t.Errorf("%q (two edits: %v): go keys %q in %q, js %q in %q", w, two, keys, buckets, got[i].Keys, got[i].Buckets)
		}
	}
}
