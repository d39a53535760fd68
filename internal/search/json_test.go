package search

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomText mixes plain words with everything encoding/json escapes:
// quotes, backslashes, control characters, HTML's <, > and &, U+2028,
// invalid UTF-8, and text it leaves alone: accents, curly quotes, emoji.
func randomText(r *rand.Rand) string {
	pieces := []string{"isolation", " ", "levels", "\"", "\\", "\n", "\t", "\x01", "<", ">", "&", "\u2028", "\u2029",
		"\xff", "\xe2\x80", "é", "’", "😀", "日本", "'", "/", "\x7f", "=", "+"}
	var b strings.Builder
	for range r.IntN(24) {
		p := pieces[r.IntN(len(pieces))]
		if r.IntN(3) > 0 {
			p = pieces[r.IntN(3)] // mostly plain words, as text is
		}
		b.WriteString(p)
	}
	return b.String()
}

func TestAppendStringIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		s := randomText(r)
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s; encoding/json: %s", s, got, want)
		}
	}
}

func TestRoleFileIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range 300 {
		f := roleFile{Title: randomText(r), Slug: randomText(r), Dept: r.IntN(20), Kinds: make([][][]string, 1+r.IntN(14))}
		// As encoding/json sees it: a map of the kinds with documents.
		ref := readRoleFile{f.Title, f.Slug, f.Dept, map[int][][]string{}}
		for k := range f.Kinds {
			for range r.IntN(3) {
				doc := []string{randomText(r), randomText(r), randomText(r)}
				f.Kinds[k] = append(f.Kinds[k], doc)
				ref.Kinds[k] = append(ref.Kinds[k], doc)
			}
		}
		want, _ := json.Marshal(ref)
		if got := f.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("role file:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

func TestShardIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		var sh shard
		for range 1 + r.IntN(8) {
			sh.Terms = append(sh.Terms, randomText(r))
			sh.DF = append(sh.DF, r.IntN(200000))
			var maxes []int
			for range 1 + r.IntN(4) {
				maxes = append(maxes, r.IntN(256))
			}
			sh.Max = append(sh.Max, maxes)
			sh.First = append(sh.First, randomText(r))
		}
		want, _ := json.Marshal(sh)
		if got := sh.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("shard:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}

func TestHeadFileIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 300 {
		f := headFile{Keys: []string{}, Terms: [][]string{}, Shard: [][]int{}, Index: [][]int{}, DF: [][]int{}}
		for range r.IntN(5) {
			f.Keys = append(f.Keys, randomText(r))
			var terms []string
			var shards, index, df []int
			for range 1 + r.IntN(4) {
				terms = append(terms, randomText(r))
				shards, index, df = append(shards, r.IntN(5000)), append(index, r.IntN(300)), append(df, r.IntN(200000))
			}
			f.Terms, f.Shard, f.Index, f.DF = append(f.Terms, terms), append(f.Shard, shards), append(f.Index, index), append(f.DF, df)
		}
		want, _ := json.Marshal(f)
		if got := f.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("head file:\n%s\nencoding/json:\n%s", got, want)
		}
	}
}
