package build

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/guide-build/guide/internal/site"
)

// spill is a temporary file for what a build must keep for every role but
// reads only at the end: the questions the category pages list (see
// site.Refs) and the roles' search terms (see search.Index.SetStore). At
// 10,000 roles that is 50 MB that would otherwise stay in memory for the
// whole build. It implements site.Store.
//
// Each block is written at once, at an offset reserved for it, so that a
// failed write is known to the caller that made it, which then keeps its
// block in memory: a full temporary folder costs memory, never the build.
// After one failure the file is not written again.
type spill struct {
	f *os.File

	mu     sync.Mutex
	size   int64 // bytes reserved
	broken error // the first failed write
}

// newSpill creates the file in the system's temporary folder. Where the
// system allows it, the file is unlinked at once, so that nothing is left
// behind even if the build is killed. (On Windows an open file cannot be
// removed: a killed build leaves it in %TEMP%.)
func newSpill() (*spill, error) {
	f, err := os.CreateTemp("", "guide-build-*")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file: %w", err)
	}
	if runtime.GOOS != "windows" {
		os.Remove(f.Name())
	}
	return &spill{f: f}, nil
}

// newStore makes the store a build keeps its blocks in: a spill. Tests
// replace it.
var newStore = func() (store, error) {
	s, err := newSpill()
	if err != nil {
		return nil, err // not a nil *spill in a store
	}
	return s, nil
}

// store is a site.Store that a build closes at its end.
type store interface {
	site.Store
	Close() error
}

// errBroken is returned by Add once a write has failed.
var errBroken = errors.New("an earlier write failed")

// Add writes b and returns its offset.
func (s *spill) Add(b []byte) (int64, error) {
	s.mu.Lock()
	if s.broken != nil {
		s.mu.Unlock()
		return 0, fmt.Errorf("not writing to %s: %w", s.f.Name(), errBroken)
	}
	off := s.size
	s.size += int64(len(b))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(b, off); err != nil {
		s.mu.Lock()
		if s.broken == nil {
			s.broken = err
		}
		s.mu.Unlock()
		return 0, fmt.Errorf("writing to %s: %w", s.f.Name(), err)
	}
	return off, nil
}

// ReadAt reads back what Add wrote.
func (s *spill) ReadAt(p []byte, off int64) (int, error) {
	return s.f.ReadAt(p, off)
}

// Close removes the file.
func (s *spill) Close() error {
	err := s.f.Close()
	if runtime.GOOS == "windows" {
		os.Remove(s.f.Name())
	}
	return err
}
