// Package sitetest helps the tests of packages that take a site model or a
// site.Store: it builds the model from role files, and keeps a Store in
// memory that can be made to fail.
package sitetest

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/site"
)

// Store is a site.Store in memory. FailAdd makes Add fail as on a full
// disk; Cap, when not 0, makes Add fail once the store would hold more
// than Cap bytes; FailRead makes ReadAt fail as a failing device does.
type Store struct {
	mu                sync.Mutex
	B                 []byte // what was added, in order
	FailAdd, FailRead bool
	Cap               int
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
