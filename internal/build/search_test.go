package build

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/browsertest"
	"github.com/guide-build/guide/internal/search"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// bundled builds the repository's own guide into memory.
func bundled(t testing.TB) map[string][]byte {
	return bundledWith(t, Options{Theme: guide.Theme})
}

func bundledWith(t testing.TB, opts Options) map[string][]byte {
	t.Helper()
	sink := &memSink{}
	if _, err := Run(context.Background(), os.DirFS("../.."), opts, sink); err != nil {
		t.Fatal(err)
	}
	return sink.files
}

func engine(t *testing.T, files map[string][]byte) *search.Engine {
	t.Helper()
	return recordingEngine(t, files, nil)
}

// recordingEngine is engine, noting in read the files it reads, each once,
// by the name the browser engine gives them ("<version>/t/0" for
// search/<version>/t/0.js), if read is not nil.
func recordingEngine(t *testing.T, files map[string][]byte, read *[]string) *search.Engine {
	t.Helper()
	e, err := search.Open(func(p string) ([]byte, error) {
		b, ok := files[p]
		if !ok {
			return nil, fmt.Errorf("no file %s", p)
		}
		if read != nil {
			*read = append(*read, strings.TrimSuffix(strings.TrimPrefix(p, search.Dir), ".js"))
		}
		return b, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSearchRanksTheBundledGuide(t *testing.T) {
	files := bundled(t)
	for _, tc := range []struct {
		query  string
		prefix bool
		want   string // text of the first hit, a substring
	}{
		{"isolation", false, "isolation level"},
		{"isolation levels", false, "isolation level"},
		{"isolat", true, "isolation level"},
		{"isloation", false, "isolation level"},  // a transposition
		{"siolation", false, "isolation level"},  // one in the first letters
		{"xisolation", false, "isolation level"}, // an extra first letter
		{"pagination", false, "paginat"},
		{"paginaton", false, "paginat"},         // a letter missing
		{"osolation", false, "isolation level"}, // a wrong first letter
		{"dtabase", false, "database"},          // a missing second letter
		{"rate limiter", false, "rate limit"},
		{"webhook duplicates", false, "webhook"},
		{"optimistic locking", false, "optimistic"},
		{"ISOLATION", false, "isolation level"},
	} {
		e := engine(t, files)
		res, err := e.Search(tc.query, 8, tc.prefix, search.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 {
			t.Errorf("%q: no results", tc.query)
			continue
		}
		if got := strings.ToLower(res.Hits[0].Text); !strings.Contains(got, tc.want) {
			var texts []string
			for _, h := range res.Hits {
				texts = append(texts, h.Text)
			}
			t.Errorf("%q: first hit %q; want one containing %q\nall: %q", tc.query, res.Hits[0].Text, tc.want, texts)
		}
	}
}

// TestClientEngineAgreesWithGo runs the same queries through the Go engine
// and assets/search.js in Node, over the built bundled guide and the small
// test guide, and compares every hit, score and count.
func TestClientEngineAgreesWithGo(t *testing.T) {
	type query struct {
		q      string
		prefix bool
		f      search.Filter
		k      int // results asked for; 0 means 10
	}
	queries := []query{
		{"isolation", false, search.Filter{}, 0},
		{"isol", true, search.Filter{}, 0},
		{"isloation levels", false, search.Filter{}, 0},
		{"siolation levels", false, search.Filter{}, 0},
		{"xisolation", false, search.Filter{}, 0},
		{"aptience", false, search.Filter{}, 0},
		// Typos in the first letters, found through the head files.
		{"osolation levels", false, search.Filter{}, 0},
		{"dtabase index", false, search.Filter{}, 0},
		{"pqgination", false, search.Filter{}, 0},
		{"wisolation", false, search.Filter{Kinds: []int{0}}, 0},
		{"idwmpotency keys", false, search.Filter{}, 0},
		{"osolation", true, search.Filter{}, 0},
		{"database idnex", true, search.Filter{}, 0},
		{"isloa", true, search.Filter{}, 0},
		{"databsae", true, search.Filter{}, 0},
		{"replicaiton", true, search.Filter{}, 0},
		// Two edits in a long word's first letters: the head files of two
		// edits.
		{"osilation levels", false, search.Filter{}, 0},
		{"rpelicaiton", true, search.Filter{}, 0},
		// Over forty bytes, though not forty letters: not a word to look for.
		{"ааааааааааааааааааааа isolation", false, search.Filter{}, 0},
		{"cache stampede", false, search.Filter{}, 0},
		{"database index", false, search.Filter{}, 0},
		{"the", false, search.Filter{}, 0},
		{"incident", false, search.Filter{Kinds: []int{1}}, 0},
		{"customer", false, search.Filter{Dept: ptr(2)}, 0},
		{"how do you handle a difficult stakeholder", true, search.Filter{}, 0},
		{"Ångström façade", false, search.Filter{}, 0},
		{"zzzz", false, search.Filter{}, 0},
		{"pagi", true, search.Filter{Kinds: []int{0, 3}}, 0},
	}
	corpora := map[string]map[string][]byte{
		"bundled": bundled(t),
		"small":   mustBuild(t, smallGuide(t), Options{}),
		// Shards of half a kilobyte, as a large guide's terms are split:
		// words being typed read prefix files.
		"fine": bundledWith(t, Options{Theme: guide.Theme, shardBudget: 512}),
		// Words so common that a prefix's results need later tiers, which
		// a prefix file locates in other shards.
		"common": mustBuild(t, guideFS(sitetest.CommonWords()), Options{shardBudget: 512}),
		// A term to a shard: a word reaches the shards of all its stems.
		"stems": mustBuild(t, guideFS(sitetest.Stems()), Options{shardBudget: 1}),
	}
	for name, files := range corpora {
		t.Run(name, func(t *testing.T) {
			queries := queries
			if name == "fine" {
				var m struct {
					Prefixes []string `json:"h"`
				}
				b := files[search.MetaFile]
				if err := json.Unmarshal(b[bytes.IndexByte(b, ',')+1:bytes.LastIndexByte(b, ')')], &m); err != nil || len(m.Prefixes) < 10 {
					t.Fatalf("meta.js names %d prefix files (%v); want 10 or more", len(m.Prefixes), err)
				}
				for i, p := range m.Prefixes[:10] {
					queries = append(queries, query{p, true, search.Filter{}, 0})
					queries = append(queries, query{"database " + p, true, search.Filter{Kinds: []int{i % 3}}, 0})
				}
			}
			if name == "stems" {
				queries = append(queries, query{"bcdfghjk", true, search.Filter{}, 0}, query{"bcdfghjkm", true, search.Filter{}, 0})
			}
			if name == "common" {
				for _, q := range []string{"st", "sta", "stat", "steady st"} {
					queries = append(queries, query{q, true, search.Filter{}, 200})
				}
			}
			dir := t.TempDir()
			for p, b := range files {
				if strings.HasPrefix(p, search.Dir) {
					os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
					os.WriteFile(filepath.Join(dir, p), b, 0o644)
				}
			}
			type hit struct {
				Doc   uint32
				Score float64
			}
			type result struct {
				Hits      []hit
				Count     int
				Exact     bool
				Corrected [][]string
				Read      []string // the files read, sorted
			}
			var want []result
			for _, q := range queries {
				var read []string
				res, err := recordingEngine(t, files, &read).Search(q.q, cmp.Or(q.k, 10), q.prefix, q.f)
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(read)
				r := result{Count: res.Count, Exact: res.Exact, Hits: []hit{}, Corrected: append([][]string{}, res.Corrected...), Read: read}
				for _, h := range res.Hits {
					r.Hits = append(r.Hits, hit{h.Doc, h.Score})
				}
				want = append(want, r)
			}
			type jsQuery struct {
				Q      string
				K      int
				Prefix bool
				Kinds  []int
				Dept   *int
			}
			var js []jsQuery
			for _, q := range queries {
				js = append(js, jsQuery{q.q, cmp.Or(q.k, 10), q.prefix, q.f.Kinds, q.f.Dept})
			}
			qs, _ := json.Marshal(js)
			out := browsertest.Node(t, "../../assets/search.js", `
const fs = require("fs"), path = require("path");
const dir = `+quote(dir)+`;
let read;
function load(name) {
  read.add(name);
  const src = fs.readFileSync(path.join(dir, "search", name + ".js"), "utf8");
  let out;
  const __guideSearch = (n, d) => { out = d; };
  eval(src);
  return Promise.resolve(out);
}
(async () => {
  const out = [];
  for (const q of `+string(qs)+`) {
    read = new Set();
    const e = new api.Engine(load, await load("meta"));
    const f = {};
    if (q.Kinds) f.kinds = q.Kinds;
    if (q.Dept !== null) f.dept = q.Dept;
    const r = await e.search(q.Q, q.K, q.Prefix, f);
    out.push({Hits: r.hits.map(h => ({Doc: h.doc, Score: h.score})), Count: r.count, Exact: r.exact, Corrected: r.corrected, Read: [...read].sort()});
  }
  console.log(JSON.stringify(out));
})();
`)
			var got []result
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			for i, q := range queries {
				g, w := got[i], want[i]
				same := g.Count == w.Count && g.Exact == w.Exact && len(g.Hits) == len(w.Hits) && slices.EqualFunc(g.Corrected, w.Corrected, slices.Equal) && slices.Equal(g.Read, w.Read)
				for j := 0; same && j < len(g.Hits); j++ {
					same = g.Hits[j].Doc == w.Hits[j].Doc && math.Abs(g.Hits[j].Score-w.Hits[j].Score) < 1e-9
				}
				if !same {
					t.Errorf("%q: the browser engine finds\n%+v\nthe Go engine\n%+v", q.q, g, w)
				}
			}
			if len(want[0].Hits) == 0 && name == "bundled" {
				t.Error("no hits at all: the test compares nothing")
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestSearchAsYouType types words one letter at a time and expects results
// at every step from the third letter on, including where the letters run
// past a word's stem ("cachi" on the way to "caching").
func TestSearchAsYouType(t *testing.T) {
	files := bundled(t)
	for _, word := range []string{"caching", "locking", "indexing", "scaling", "isolation", "pagination", "replication"} {
		for n := 3; n <= len(word); n++ {
			res, err := engine(t, files).Search(word[:n], 8, true, search.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Errorf("typing %q: no results at %q", word, word[:n])
			}
		}
	}
}

// TestSearchRanksTheSmallGuide checks ranking, field weights, typos,
// filters and counts on the small test guide, where every answer is known.
func TestSearchRanksTheSmallGuide(t *testing.T) {
	files := mustBuild(t, smallGuide(t), Options{})
	for _, tc := range []struct {
		q      string
		prefix bool
		f      search.Filter
		want   []string // texts of the hits, in order (a prefix of the list)
		count  int
	}{
		// The question's own words outrank a look-for note's.
		{"index", false, search.Filter{}, []string{"When do you add a database index?", "When do you add a database index?"}, 2},
		{"webhok", false, search.Filter{}, []string{"A webhook is retried and creates duplicates. What now?"}, 1},
		{"duplicat", true, search.Filter{}, []string{"A webhook is retried and creates duplicates. What now?"}, 1},
		{"recruiters", false, search.Filter{}, []string{"Recruiter"}, 4}, // its questions and a link to it match too
		{"idempotency", false, search.Filter{Kinds: []int{1}}, nil, 0},
		{"idempotency", false, search.Filter{Kinds: []int{2}}, []string{"A webhook is retried and creates duplicates. What now?"}, 1},
		{"rounds", false, search.Filter{Dept: ptr(1)}, nil, 0},
		{"rounds", false, search.Filter{Dept: ptr(0)}, []string{"How many rounds?"}, 1},
	} {
		res, err := engine(t, files).Search(tc.q, 8, tc.prefix, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Text)
		}
		if len(got) < len(tc.want) || !slicesEqual(got[:len(tc.want)], tc.want) || (tc.want == nil && len(got) > 0) {
			t.Errorf("%q %+v: hits %q; want %q first", tc.q, tc.f, got, tc.want)
		}
		if res.Count != tc.count || !res.Exact {
			t.Errorf("%q %+v: count %d (exact %v); want %d, exact", tc.q, tc.f, res.Count, res.Exact, tc.count)
		}
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// guideFS makes a guide folder of guide.yaml and role files by name.
func guideFS(guideYAML []byte, roles map[string][]byte) fstest.MapFS {
	fsys := fstest.MapFS{"guide.yaml": {Data: guideYAML}}
	for name, b := range roles {
		fsys["content/roles/"+name] = &fstest.MapFile{Data: b}
	}
	return fsys
}
