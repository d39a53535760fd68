package search

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/site"
)

// An index seeded with an earlier index's dictionary, holding some roles
// as that index exported them and the rest added anew, in another order,
// writes the same files as an index of every role added at once.
func TestExportedRolesWriteTheSameIndex(t *testing.T) {
	s, roles := bundledRoles(t)
	cats := len(s.Categories)
	want, err := writeIndex(t, s, roles, nil, 0, false)
	if err != nil {
		t.Fatal(err)
	}

	// The earlier build indexed the roles backwards, so ids differ from a
	// fresh index's.
	old := NewIndex()
	for _, r := range slices.Backward(roles) {
		old.Add(r, cats)
	}
	x := NewIndex()
	if err := x.Seed(old.Dictionary()); err != nil {
		t.Fatal(err)
	}
	// A shard a batch, so that the batches lie each within a bucket: the
	// roles indexed again give their terms by bucket, the others all at
	// once (see roleTerms.terms).
	x.batch = 1
	for i, r := range roles {
		if i%2 == 1 {
			x.Add(r, cats) // changed since: indexed again
			continue
		}
		docs, terms, ok := old.Export(r.File)
		if !ok {
			t.Fatalf("%s was not exported", r.File)
		}
		data, err := terms.Bytes(nil)
		if err != nil {
			t.Fatal(err)
		}
		// From a file, as a cache gives them back.
		if err := x.Import(r.File, docs, site.Stored(bytes.NewReader(data), 0, len(data))); err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
	}
	got := map[string][]byte{}
	if err := x.Write(s, "v", putInto(got)); err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		for p := range want {
			if !bytes.Equal(got[p], want[p]) {
				t.Errorf("%s differs", p)
			}
		}
		t.Fatalf("%d files; want %d", len(got), len(want))
	}
}

func TestImportRefusesDamagedDocuments(t *testing.T) {
	s, roles := bundledRoles(t)
	x := NewIndex()
	x.Add(roles[0], len(s.Categories))
	docs, terms, _ := x.Export(roles[0].File)
	data, err := terms.Bytes(nil)
	if err != nil {
		t.Fatal(err)
	}
	block := site.Stored(bytes.NewReader(data), 0, len(data))
	short := site.Stored(bytes.NewReader(data), 0, len(data)-1)
	for name, c := range map[string]struct {
		docs  []byte
		terms site.Block
	}{
		"documents cut short":                                 {docs[:len(docs)-1], block},
		"terms longer than docs":                              {docs, site.Stored(bytes.NewReader(append(data, 1, 1)), 0, len(data)+2)},
		"terms shorter than docs":                             {docs, short},
		"a document out of bounds":                            {append(slices.Clone(docs), 0, 0, 1, 0xff, 0x7f), block},
		"a document ending past what an int of 32 bits holds": {append(slices.Clone(docs), 0, 0, 1, 0xf0, 0xff, 0xff, 0xff, 0x0f), block},
	} {
		y := NewIndex()
		if err := y.Import(roles[0].File, c.docs, c.terms); err == nil {
			t.Errorf("%s: imported", name)
		}
	}
	y := NewIndex()
	if err := y.Seed([]string{"a", "b", "a"}); err == nil {
		t.Error("seeded a dictionary with a term twice")
	}
	if err := x.Seed([]string{"a"}); err == nil {
		t.Error("seeded an index that has terms")
	}
}

// putInto returns a put that keeps files in m.
func putInto(m map[string][]byte) func(string, []byte) error {
	var mu sync.Mutex
	return func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		m[p] = bytes.Clone(b)
		return nil
	}
}

// A rewrite after some roles changed keeps the last build's files that did
// not change and writes the others, and all of it is what a full write of
// the changed guide makes.
func TestWriteFromMatchesAFullWrite(t *testing.T) {
	addWord := func(r *site.Role) {
		q := r.Sections[0].Questions[0]
		q.Text += " zwirbelkram"
	}
	for _, c := range []struct {
		name   string
		before func(r *site.Role)
		edit   func(r *site.Role)
		keeps  bool // the rewrite can keep files: the statistics stay
	}{
		{"a word added", nil, func(r *site.Role) {
			q := r.Sections[0].Questions[0]
			q.Text += " latency"
		}, true},
		{"a new word", nil, addWord, true},
		{"the last of a word gone", addWord, func(r *site.Role) {
			q := r.Sections[0].Questions[0]
			q.Text = strings.TrimSuffix(q.Text, " zwirbelkram")
		}, true},
		{"a word gone", nil, func(r *site.Role) {
			q := r.Sections[0].Questions[0]
			q.Text = q.Text[:strings.LastIndexByte(q.Text, ' ')]
		}, true},
		{"a question gone", nil, func(r *site.Role) {
			r.Sections[0].Questions = r.Sections[0].Questions[1:]
		}, false},
		// The question's other words keep their documents and
		// frequencies: their scores stay or move a step with its length.
		{"a short question grows", nil, func(r *site.Role) {
			q := r.Sections[0].Questions[1]
			q.Text = "Explain latency budgets to a product manager, kindly."
		}, true},
		{"a long summary grows", nil, func(r *site.Role) {
			r.SummaryText += " Also latency."
		}, true},
		{"a word of a short question again", func(r *site.Role) {
			r.Sections[0].Questions[1].Text = "Explain latency budgets."
		}, func(r *site.Role) {
			r.Sections[0].Questions[1].Text = "Explain latency budgets, latency first."
		}, true},
		// Its best score moves to the shorter question; its bytes may not.
		{"a long question shrinks past another", func(r *site.Role) {
			plain(r.Sections[0].Questions[1], "Qwerzt "+filler(401))
			plain(r.Sections[0].Questions[2], "Qwerzt "+filler(400))
		}, func(r *site.Role) {
			plain(r.Sections[0].Questions[1], "Qwerzt "+filler(399))
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, roles := bundledRoles(t)
			cats := len(s.Categories)
			if c.before != nil {
				c.before(roles[1])
				c.before(roles[4])
			}
			// Small shards, as a large guide has.
			const budget = 400
			first := NewIndex()
			first.SetShardBudget(budget)
			for _, r := range roles {
				first.Add(r, cats)
			}
			exported := map[string]Exported{}
			for _, r := range roles {
				docs, terms, _ := first.Export(r.File)
				exported[r.File] = Exported{docs, terms}
			}
			dict := first.Dictionary()
			before := map[string][]byte{}
			saved, err := first.WriteFrom(s, "v1", putInto(before), &Prior{})
			if err != nil {
				t.Fatal(err)
			}
			// As the next build reads it back.
			saved.Tag = "build 1"
			var file bytes.Buffer
			if err := saved.Save(&file); err != nil {
				t.Fatal(err)
			}
			if saved, err = ReadSaved(bytes.NewReader(file.Bytes()), int64(file.Len())); err != nil {
				t.Fatal(err)
			}
			if saved.Tag != "build 1" || saved.Version != "v1" {
				t.Fatalf("read back tag %q, version %q", saved.Tag, saved.Version)
			}

			c.edit(roles[1])
			c.edit(roles[4])
			next := NewIndex()
			next.SetShardBudget(budget)
			if err := next.Seed(dict); err != nil {
				t.Fatal(err)
			}
			changed := map[string]Exported{}
			for i, r := range roles {
				if i == 1 || i == 4 {
					next.Add(r, cats)
					changed[r.File] = exported[r.File]
					continue
				}
				if err := next.Import(r.File, exported[r.File].Docs, exported[r.File].Terms); err != nil {
					t.Fatal(err)
				}
			}
			got := map[string][]byte{}
			put := putInto(got)
			kept := 0
			keptFiles := map[string]bool{}
			var mu sync.Mutex
			keep := func(p, from string) error {
				b, ok := before[from] // read only
				if !ok {
					return fmt.Errorf("keeping %s: the last build has no %s", p, from)
				}
				mu.Lock()
				keptFiles[p] = true
				kept++
				mu.Unlock()
				return put(p, b)
			}
			rewritten, err := next.WriteFrom(s, "v2", put, &Prior{Saved: saved, Changed: changed, Keep: keep})
			if err != nil {
				t.Fatal(err)
			}
			// What the rewrite saves for the build after is what a full
			// write from the same dictionary saves.
			whole := NewIndex()
			whole.SetShardBudget(budget)
			if err := whole.Seed(dict); err != nil {
				t.Fatal(err)
			}
			for _, r := range roles {
				whole.Add(r, cats)
			}
			wholeSaved, err := whole.WriteFrom(s, "v2", putInto(map[string][]byte{}), &Prior{})
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if err := rewritten.Save(&a); err != nil {
				t.Fatal(err)
			}
			if err := wholeSaved.Save(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("the rewrite saves %d bytes for the next build that differ from a full write's %d", a.Len(), b.Len())
			}
			full := NewIndex()
			full.SetShardBudget(budget)
			for _, r := range roles {
				full.Add(r, cats)
			}
			want := map[string][]byte{}
			if err := full.WriteOnce(s, "v2", putInto(want)); err != nil {
				t.Fatal(err)
			}
			for p, b := range want {
				if !bytes.Equal(got[p], b) {
					t.Errorf("%s differs from a full write", p)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d files; a full write makes %d", len(got), len(want))
			}
			if c.keeps && kept == 0 {
				t.Errorf("kept none of %d files", len(want))
			}
			byDir := map[string][2]int{}
			for p := range want {
				d := p[:strings.LastIndexByte(p, '/')]
				n := byDir[d]
				n[1]++
				if keptFiles[p] {
					n[0]++
				}
				byDir[d] = n
			}
			t.Logf("kept %d of %d files: %v", kept, len(want), byDir)
		})
	}
}

// A saved index cut short or with a byte changed anywhere is refused.
func TestReadSavedRefusesDamage(t *testing.T) {
	s, roles := bundledRoles(t)
	x := NewIndex()
	for _, r := range roles {
		x.Add(r, len(s.Categories))
	}
	saved, err := x.WriteFrom(s, "v", putInto(map[string][]byte{}), &Prior{})
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := saved.Save(&file); err != nil {
		t.Fatal(err)
	}
	good := file.Bytes()
	if _, err := ReadSaved(bytes.NewReader(good), int64(len(good))); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 3, len(savedMagic) + 1, len(good) / 2, len(good) - 1} {
		if _, err := ReadSaved(bytes.NewReader(good[:n]), int64(n)); err == nil {
			t.Errorf("read a saved index cut to %d of %d bytes", n, len(good))
		}
	}
	for i := 0; i < len(good); i += max(1, len(good)/89) {
		b := bytes.Clone(good)
		b[i] ^= 0x04
		if _, err := ReadSaved(bytes.NewReader(b), int64(len(b))); err == nil {
			t.Errorf("read a saved index with byte %d changed", i)
		}
	}
}

// plain makes q a question of the given text and nothing else.
func plain(q *site.Question, text string) {
	q.Text, q.LookForText, q.RedFlagsText, q.FollowUpsText, q.Tags = text, "", "", nil, nil
}

// filler is n words of text.
func filler(n int) string {
	ws := strings.Fields("design review latency budget cache queue index shard replica failover rollout metric alert runbook")
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ws[i%len(ws)])
	}
	return b.String()
}
