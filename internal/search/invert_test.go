package search

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/site"
)

// bundledRoles models the repository's own guide.
func bundledRoles(t *testing.T) (*site.Site, []*site.Role) {
	t.Helper()
	data, err := os.ReadFile("../../guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Parse(data, "")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, _ := filepath.Glob("../../content/roles/*.md")
	var parsed []*content.Role
	var headers []content.Header
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, diags := content.ParseRole(filepath.Base(f), data, cfg)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		parsed = append(parsed, r)
		headers = append(headers, r.Header())
	}
	s, diags := site.New(cfg, site.Home{}, headers, false)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var roles []*site.Role
	for _, c := range parsed {
		r, _, err := s.NewRole(c)
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, r)
	}
	if len(roles) < 5 {
		t.Fatalf("%d roles in the bundled guide", len(roles))
	}
	return s, roles
}

// memStore is a site.Store in memory that can be made to fail.
type memStore struct {
	b               []byte
	failAdd, failAt bool
}

func (m *memStore) Add(b []byte) (int64, error) {
	if m.failAdd {
		return 0, errors.New("disk full")
	}
	off := int64(len(m.b))
	m.b = append(m.b, b...)
	return off, nil
}

func (m *memStore) ReadAt(p []byte, off int64) (int, error) {
	if m.failAt {
		return 0, errors.New("device gone")
	}
	return bytes.NewReader(m.b).ReadAt(p, off)
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
	if n := len(batches(shardTerms(mustInvert(t, s, roles)), mustInvert(t, s, roles).df, batchPostings)); n != 1 {
		t.Errorf("the bundled guide's postings come in %d batches; want 1", n)
	}
	for _, tc := range []struct {
		name  string
		store site.Store
		batch int
		once  bool
	}{
		{"one shard a batch", nil, 1, false},
		{"small batches", nil, 200, true},
		{"from a store", &memStore{}, 0, false},
		{"from a store, one shard a batch, once", &memStore{b: []byte("earlier bytes")}, 1, true},
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
	got, err := writeIndex(t, s, roles, &memStore{failAdd: true}, 0, true)
	if err != nil {
		t.Fatalf("a store that cannot keep: %v", err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("a store that cannot keep changes the index")
	}
	// A store that cannot give back: the machine failed.
	x := NewIndex()
	store := &memStore{}
	x.SetStore(store)
	for _, r := range roles {
		x.Add(r, len(s.Categories))
	}
	store.failAt = true
	err = x.WriteOnce(s, "v", func(string, []byte) error { return nil })
	if !errors.Is(err, site.ErrStore) || !strings.Contains(err.Error(), "device gone") {
		t.Errorf("a store that cannot read back: err = %v; want site.ErrStore and the cause", err)
	}
}

func TestBatchesCoverEveryShardOnce(t *testing.T) {
	groups := []group{{terms: []int{0, 1}}, {terms: []int{2}}, {terms: []int{3, 4}}, {terms: []int{5}}}
	df := []int{5, 5, 30, 1, 1, 4}
	for _, tc := range []struct {
		budget int
		want   string
	}{
		{1000, "[[0 1 2 3]]"},
		{10, "[[0] [1] [2 3]]"}, // shard 1 alone is over budget
		{1, "[[0] [1] [2] [3]]"},
	} {
		if got := fmt.Sprint(batches(groups, df, tc.budget)); got != tc.want {
			t.Errorf("budget %d: %s; want %s", tc.budget, got, tc.want)
		}
	}
}
