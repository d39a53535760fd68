// Package sitetest helps the tests of packages that take a site model or a
// site.Store: it builds the model from role files, and keeps a Store in
// memory that can be made to fail.
package sitetest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/site"
)

// Store is a site.Store in memory. FailAdd makes Add fail as on a full
// disk; Cap, when not 0, makes Add fail once the store would hold more
// than Cap bytes; FailRead makes ReadAt fail as a failing device does.
// Reads counts the calls of ReadAt.
type Store struct {
	mu                sync.Mutex
	B                 []byte // what was added, in order
	FailAdd, FailRead bool
	Cap               int
	Reads             int
}

// Add implements site.Store.
func (s *Store) Add(b []byte) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.FailAdd || s.Cap > 0 && len(s.B)+len(b) > s.Cap {
		return 0, errors.New("no space left on device")
	}
	s.B = append(s.B, b...)
	return int64(len(s.B) - len(b)), nil
}

// ReadAt implements site.Store.
func (s *Store) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Reads++
	if s.FailRead {
		return 0, errors.New("input/output error")
	}
	return bytes.NewReader(s.B).ReadAt(p, off)
}

// ReadRoles reads the role files of the guide in dir, by file name.
func ReadRoles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, content.RolesDir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no role files in %s: %v", dir, err)
	}
	roles := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		roles[filepath.Base(f)] = data
	}
	return roles
}

// Model parses guideYAML and the role files (by file name, in
// content/roles), fixes the site and resolves every role, setting each
// entry's facts as a build does. Any problem in the content fails the test.
func Model(t testing.TB, guideYAML []byte, roles map[string][]byte) (*site.Site, []*site.Role) {
	t.Helper()
	cfg, diags := config.Parse(guideYAML, "")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var parsed []*content.Role
	var headers []content.Header
	for _, name := range slices.Sorted(maps.Keys(roles)) {
		r, diags := content.ParseRole(content.RolesDir+"/"+name, roles[name], cfg)
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
	var out []*site.Role
	for _, c := range parsed {
		r, _, err := s.NewRole(c)
		if err != nil {
			t.Fatal(err)
		}
		r.Entry.Facts = r.Facts
		out = append(out, r)
	}
	return s, out
}

// CommonWords returns a guide of 40 roles whose questions are made of
// words that share the prefix "st", two of them ("status", "state") in
// most questions: a small guide whose commonest terms run into later tiers
// of the search index, and whose terms under "st" fill several shards when
// shards are small. It returns guide.yaml and the role files by name.
func CommonWords() (guideYAML []byte, roles map[string][]byte) {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("stable stack staff stage stake stall stamp stand start state static status stay steady steer step stock stone stop store storm story")
	text := func(n int) string {
		ws := []string{"status", "state"}[:r.IntN(3)%2+1]
		for range n {
			ws = append(ws, words[r.IntN(len(words))])
		}
		r.Shuffle(len(ws), func(i, j int) { ws[i], ws[j] = ws[j], ws[i] })
		return strings.Join(ws, " ")
	}
	roles = map[string][]byte{}
	for i := range 40 {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Role %d\ndepartment: Dept %d\nsummary: %s.\nquestions:\n", i, i%3, text(5))
		for range 8 {
			fmt.Fprintf(&b, "  - q: %s?\n    category: technical\n    look-for: %s.\n", text(6), text(10))
		}
		b.WriteString("---\nBody.\n")
		roles[fmt.Sprintf("role-%d.md", i)] = []byte(b.String())
	}
	return []byte("title: Common\nbase-url: https://example.org/\ncategories:\n  - {key: technical, title: Technical}\n"), roles
}

// Stems returns a guide of seven roles, each with one word of a chain in
// which every word runs one letter past the one before ("bcd", "bcdf", ...
// "bcdfghjkm"): with a term to a shard, typing the longest word must reach
// the shards of the four stems it runs past as well as its own. It returns
// guide.yaml and the role files by name.
func Stems() (guideYAML []byte, roles map[string][]byte) {
	roles = map[string][]byte{}
	for i, w := range strings.Fields("bcd bcdf bcdfg bcdfgh bcdfghj bcdfghjk bcdfghjkm") {
		roles[fmt.Sprintf("role-%d.md", i)] = fmt.Appendf(nil, "---\ntitle: Role %d\ndepartment: D\nsummary: %s.\nquestions:\n  - q: x?\n    category: technical\n    look-for: x.\n---\nBody.\n", i, w)
	}
	return []byte("title: Stems\nbase-url: https://example.org/\ncategories:\n  - {key: technical, title: Technical}\n"), roles
}
