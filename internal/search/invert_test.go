package search

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// bundledRoles models the repository's own guide.
func bundledRoles(t *testing.T) (*site.Site, []*site.Role) {
	t.Helper()
	data, err := os.ReadFile("../../guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.Model(t, data, sitetest.ReadRoles(t, "../.."))
}

func writeIndex(t *testing.T, s *site.Site, roles []*site.Role, store site.Store, batch int, once bool) (map[string][]byte, error) {
	t.Helper()
	x := NewIndex()
	if store != nil {
		x.SetStore(store)
	}
	if batch > 0 {
		x.batch = batch
	}
	for _, r := range roles {
		x.Add(r, len(s.Categories))
	}
	files := map[string][]byte{}
	var mu sync.Mutex // put is called from several goroutines
	put := func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		files[p] = bytes.Clone(b)
		return nil
	}
	var err error
	if once {
		err = x.WriteOnce(s, "v", put)
	} else {
		err = x.Write(s, "v", put)
	}
	return files, err
}

// The index comes out the same however its postings are batched and
// wherever the roles' terms wait.
func TestIndexSameInBatchesAndFromStore(t *testing.T) {
	s, roles := bundledRoles(t)
	want, err := writeIndex(t, s, roles, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if bs, _ := batches(shardGroups(mustInvert(t, s, roles)), mustInvert(t, s, roles).df, batchPostings); len(bs) != 1 {
		t.Errorf("the bundled guide's postings come in %d batches; want 1", len(bs))
	}
	for _, tc := range []struct {
		name  string
		store site.Store
		batch int
		once  bool
	}{
		{"one shard a batch", nil, 1, false},
		{"small batches", nil, 200, true},
		{"from a store", &sitetest.Store{}, 0, false},
		{"from a store, one shard a batch, once", &sitetest.Store{B: []byte("earlier bytes")}, 1, true},
	} {
		got, err := writeIndex(t, s, roles, tc.store, tc.batch, tc.once)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !maps.EqualFunc(got, want, bytes.Equal) {
			for p := range want {
				if !bytes.Equal(got[p], want[p]) {
					t.Errorf("%s: %s differs", tc.name, p)
				}
			}
			t.Fatalf("%s: %d files; want the same %d", tc.name, len(got), len(want))
		}
	}
}

// A write that saves the index for the next build, which keeps each
// posting's frequency beside it, gives the same files and the same saved
// index whether its postings come in one batch or a shard at a time: a
// batch takes over the blocks the one before filled, frequencies too.
func TestSavedSameInBatches(t *testing.T) {
	s, roles := bundledRoles(t)
	write := func(batch int) (map[string][]byte, []byte) {
		t.Helper()
		x := NewIndex()
		x.batch = batch
		for _, r := range roles {
			x.Add(r, len(s.Categories))
		}
		files := map[string][]byte{}
		saved, err := x.WriteFrom(s, "v", putInto(files), &Prior{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := saved.Save(&b); err != nil {
			t.Fatal(err)
		}
		return files, b.Bytes()
	}
	wantFiles, wantSaved := write(batchPostings)
	for _, batch := range []int{1, 300} {
		files, saved := write(batch)
		if !maps.EqualFunc(files, wantFiles, bytes.Equal) {
			t.Errorf("batches of %d postings: the files differ from one batch's", batch)
		}
		if !bytes.Equal(saved, wantSaved) {
			t.Errorf("batches of %d postings: the saved index differs from one batch's", batch)
		}
	}
}

func mustInvert(t *testing.T, s *site.Site, roles []*site.Role) *inverted {
	x := NewIndex()
	for _, r := range roles {
		x.Add(r, len(s.Categories))
	}
	inv, err := x.invert(s.Roles, len(s.Categories))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestIndexStoreFailures(t *testing.T) {
	s, roles := bundledRoles(t)
	want, err := writeIndex(t, s, roles, nil, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	// A store that cannot keep: the terms stay in memory.
	got, err := writeIndex(t, s, roles, &sitetest.Store{FailAdd: true}, 0, true)
	if err != nil {
		t.Fatalf("a store that cannot keep: %v", err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("a store that cannot keep changes the index")
	}
	// A store that cannot give back: the machine failed.
	x := NewIndex()
	store := &sitetest.Store{}
	x.SetStore(store)
	for _, r := range roles {
		x.Add(r, len(s.Categories))
	}
	store.FailRead = true
	err = x.WriteOnce(s, "v", func(string, []byte) error { return nil })
	if !errors.Is(err, site.ErrStore) || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("a store that cannot read back: err = %v; want site.ErrStore and the cause", err)
	}
	// A store that gives back other bytes than it was given: an error,
	// not a panic or a wrong index.
	for _, damage := range [][]byte{{0xff}, {0x80}, {0xff, 0xff, 0x7f}} { // the last, ids past the vocabulary
		x := NewIndex()
		store := &sitetest.Store{}
		x.SetStore(store)
		for _, r := range roles {
			x.Add(r, len(s.Categories))
		}
		for i := range store.B {
			store.B[i] = damage[i%len(damage)]
		}
		err = x.WriteOnce(s, "v", func(string, []byte) error { return nil })
		if !errors.Is(err, site.ErrStore) || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("a store that gives back % x bytes: err = %v; want site.ErrStore, damaged", damage, err)
		}
	}
}

func TestBatchesCoverEveryShardOnce(t *testing.T) {
	groups := []group{{prefix: "a", terms: []int{0, 1}}, {prefix: "b", terms: []int{2}}, {prefix: "c", terms: []int{3, 4}},
		{prefix: "d", terms: []int{5}}, {prefix: "e", terms: []int{6}}, {prefix: "é", terms: []int{7}}}
	df := []int{5, 5, 30, 1, 1, 4, 1, 2}
	for _, tc := range []struct {
		budget int
		want   string
		most   int // postings of the largest batch
	}{
		{1000, "[[0 1 2 3 4 5]]", 49}, // all in one batch: no need to cut at buckets
		{40, "[[0 1] [2] [3 4] [5]]", 40},
		{10, "[[0] [1] [2] [3 4] [5]]", 30}, // shard 1 alone is over budget
		{1, "[[0] [1] [2] [3] [4] [5]]", 30},
	} {
		bs, most := batches(groups, df, tc.budget)
		if got := fmt.Sprint(bs); got != tc.want || most != tc.most {
			t.Errorf("budget %d: %s, the largest of %d postings; want %s, %d", tc.budget, got, most, tc.want, tc.most)
		}
	}
}

func shardGroups(inv *inverted) []group {
	groups, _ := shardTerms(inv, shardBudget)
	return groups
}

// The statistics come from one pass over the terms: they must be those of
// a count over every document, and the best score of all must be the one
// that quantises to 255.
func TestStatisticsMatchABruteForce(t *testing.T) {
	// Runs of roles, one per core, add up their counts and maxima: make
	// several, whatever the machine.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	s, roles := bundledRoles(t)
	inv := mustInvert(t, s, roles)
	if inv.runs < 2 {
		t.Fatalf("%d runs; want several", inv.runs)
	}
	df := map[uint32]int{}
	docs, total := 0, 0.0
	type pair struct{ t, f, length uint32 }
	var pairs []pair
	for _, rt := range inv.list {
		data, err := rt.data.Bytes(nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range rt.docs {
			ps, ok := decodeTerms(nil, rt.terms(data, i, 0, buckets-1), len(inv.x.terms))
			if !ok {
				t.Fatal("damaged terms")
			}
			for j := 0; j < len(ps); j += 2 {
				df[ps[j]]++
				pairs = append(pairs, pair{ps[j], ps[j+1], d.length})
			}
			docs++
			total += float64(d.length)
		}
	}
	// The average is rounded to a whole half-word (see avgLength).
	if avg := math.Round(total / float64(docs)); inv.docs != docs || inv.avg != avg {
		t.Errorf("%d documents of average length %v; want %d, %v", inv.docs, inv.avg, docs, avg)
	}
	for i, id := range inv.ids {
		if inv.df[i] != df[id] {
			t.Errorf("%q is in %d documents; want %d", inv.terms[i], inv.df[i], df[id])
		}
	}
	top := 0.0
	for _, p := range pairs {
		idf := math.Log(1 + (float64(docs)-float64(df[p.t])+0.5)/(float64(df[p.t])+0.5))
		tf := float64(p.f) / 2
		top = max(top, idf*(tf*(k1+1)/(tf+k1*(1-b+b*float64(p.length)/inv.avg))))
	}
	if inv.top != top {
		t.Errorf("best score %v; want %v", inv.top, top)
	}
	all := make([]int, len(inv.terms))
	for i := range all {
		all[i] = i
	}
	if err := inv.fill(all); err != nil {
		t.Fatal(err)
	}
	best := uint8(0)
	for _, p := range inv.postings {
		for _, imp := range p.impacts {
			best = max(best, imp)
		}
	}
	if best != 255 {
		t.Errorf("the highest impact is %d; want 255", best)
	}
}

// TestDecodeTermsReadsWhatAppendPairWrites writes random terms, with ids and
// frequencies of every size, those too large for their field among them,
// and reads them back; data cut short or with an id past the dictionary is
// refused.
func TestDecodeTermsReadsWhatAppendPairWrites(t *testing.T) {
	const terms = 1 << 26
	r := rand.New(rand.NewPCG(7, 8))
	number := func(bits int) uint32 {
		switch r.IntN(10) {
		case 0:
			return 1<<bits - 1 // all ones: the escape's value itself
		case 1:
			return 1<<bits + uint32(r.IntN(1000))
		}
		return uint32(r.IntN(1 << (1 + r.IntN(bits))))
	}
	for range 20000 {
		var b []byte
		var want []uint32
		for range r.IntN(8) {
			id, freq := number(24), number(8)
			b = appendPair(b, id, freq)
			want = append(want, id, freq)
		}
		got, ok := decodeTerms(nil, b, terms)
		if !ok || !slices.Equal(got, want) {
			t.Fatalf("decodeTerms(% x) = %v, %v; want %v", b, got, ok, want)
		}
	}
	for _, tc := range []struct {
		b    []byte
		what string
	}{
		{appendPair(nil, 5, 3)[:3], "cut inside a word"},
		{appendPair(nil, pairID+1, 3)[:4], "cut before the id's own word"},
		{appendPair(nil, 5, pairFreq+1)[:4], "cut before the frequency's own word"},
		{appendPair(nil, pairID+1, pairFreq+1)[:8], "cut before the frequency, after the id"},
		{appendPair(nil, terms, 1), "an id past the dictionary"},
		{appendPair(nil, terms+pairID, 1), "a large id past the dictionary"},
	} {
		if got, ok := decodeTerms(nil, tc.b, terms); ok {
			t.Errorf("%s: decodeTerms(% x) = %v, true; want false", tc.what, tc.b, got)
		}
	}
}

// A document's terms come bucket by bucket, and terms gives those of any
// run of buckets; a document of unknown split gives them all.
func TestTermsByBucket(t *testing.T) {
	x := NewIndex()
	r := &site.Role{Entry: &site.Entry{Department: &site.Department{}}}
	r.Title, r.File = "zebra", "zebra.md"
	r.BodyText = "alpha delta lima sierra 42 élan beta kilo romeo tango 日本"
	x.Add(r, 0)
	rt := x.roles[r.File]
	data, err := rt.data.Bytes(nil)
	if err != nil {
		t.Fatal(err)
	}
	for lo := range buckets {
		for hi := lo; hi < buckets; hi++ {
			pairs, ok := decodeTerms(nil, rt.terms(data, 0, lo, hi), len(x.terms))
			if !ok {
				t.Fatal("damaged terms")
			}
			var got, want []string
			for i := 0; i < len(pairs); i += 2 {
				got = append(got, x.terms[pairs[i]])
			}
			Terms(r.Title+" "+r.BodyText, func(term string) {
				if b := bucketOf(term); lo <= b && b <= hi {
					want = append(want, term)
				}
			})
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("buckets %d to %d: %q; want %q", lo, hi, got, want)
			}
		}
	}
	rt.docs[0].split[0] = splitUnknown
	if pairs, _ := decodeTerms(nil, rt.terms(data, 0, 1, 1), len(x.terms)); len(pairs) != 2*12 {
		t.Errorf("a document of unknown split gives %d terms of bucket 1; want all 12", len(pairs)/2)
	}
}

// Each document of a role counts the words of its fields by the fields'
// weights, and the role's title in every document: a word of the title
// that is also in a field adds up, and a title word twice counts twice.
func TestAddWeighsEveryField(t *testing.T) {
	x := NewIndex()
	r := &site.Role{Entry: &site.Entry{Department: &site.Department{Name: "Platform teams"}}}
	r.Title, r.File = "Latency latency engineer", "latency.md"
	r.SummaryText, r.BodyText = "Summary of caching", "The engineer keeps queues short."
	tech := &site.Category{Index: 0}
	r.Sections = []site.Section{{Category: tech, Questions: []*site.Question{
		{Text: "Explain latency budgets", Tags: []string{"budgets", "slo"}, LookForText: "Measures first",
			RedFlagsText: "Guesses", FollowUpsText: []string{"And tails?", "Queues"}},
		{Text: "Design a rate limiter"},
	}}}
	r.FAQ = []site.FAQ{{QuestionText: "Is it remote?", AnswerText: "Often, for engineers"}}
	const cats = 1
	x.Add(r, cats)
	count := func(want map[string]uint32, text string, weight uint32) {
		Terms(text, func(term string) { want[term] += weight })
	}
	type doc struct {
		typ, idx int
		want     map[string]uint32
	}
	var docs []doc
	for i, q := range r.Sections[0].Questions {
		want := map[string]uint32{}
		count(want, q.Text, wQuestion)
		for _, tag := range q.Tags {
			count(want, tag, wTags)
		}
		count(want, q.LookForText, wLookFor)
		count(want, q.RedFlagsText, wRedFlags)
		for _, f := range q.FollowUpsText {
			count(want, f, wFollowUp)
		}
		count(want, r.Title, wRoleTitle)
		docs = append(docs, doc{0, i, want})
	}
	want := map[string]uint32{}
	count(want, r.FAQ[0].QuestionText, wFAQ)
	count(want, r.FAQ[0].AnswerText, wAnswer)
	count(want, r.Title, wRoleTitle)
	docs = append(docs, doc{kindFAQ(cats), 0, want})
	want = map[string]uint32{}
	count(want, r.Title, wTitle)
	count(want, r.Department.Name, wDepartment)
	count(want, r.SummaryText, wSummary)
	count(want, r.BodyText, wBody)
	docs = append(docs, doc{kindRole(cats), 0, want})

	rt := x.roles[r.File]
	data, err := rt.data.Bytes(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rt.docs) != len(docs) {
		t.Fatalf("%d documents; want %d", len(rt.docs), len(docs))
	}
	for i, d := range docs {
		got, length := map[string]uint32{}, uint32(0)
		pairs, ok := decodeTerms(nil, rt.terms(data, i, 0, buckets-1), len(x.terms))
		if !ok {
			t.Fatal("damaged terms")
		}
		for k := 0; k < len(pairs); k += 2 {
			got[x.terms[pairs[k]]] = pairs[k+1]
		}
		for _, f := range d.want {
			length += f
		}
		if dt := rt.docs[i]; int(dt.typ) != d.typ || int(dt.idx) != d.idx || dt.length != length {
			t.Errorf("document %d: kind %d, number %d, length %d; want %d, %d, %d", i, dt.typ, dt.idx, dt.length, d.typ, d.idx, length)
		}
		if !maps.Equal(got, d.want) {
			t.Errorf("document %d: %v; want %v", i, got, d.want)
		}
	}
}
