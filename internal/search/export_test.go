package search

import (
	"bytes"
	"maps"
	"slices"
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
	var mu sync.Mutex
	err = x.Write(s, "v", func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		got[p] = bytes.Clone(b)
		return nil
	})
	if err != nil {
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
		"documents cut short":      {docs[:len(docs)-1], block},
		"terms longer than docs":   {docs, site.Stored(bytes.NewReader(append(data, 1, 1)), 0, len(data)+2)},
		"terms shorter than docs":  {docs, short},
		"a document out of bounds": {append(slices.Clone(docs), 0, 0, 1, 0xff, 0x7f), block},
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
