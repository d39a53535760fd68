package build

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"sync"
)

// spill is a temporary file for what a build must keep for every role but
// reads only at the end: the questions the category pages list (see
// site.Refs). At 10,000 roles that is 40 MB that would otherwise stay in
// memory for the whole build. It implements site.Store.
type spill struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes added, written or still in w
}

// newSpill creates the file in the system's temporary folder. Where the
// system allows it, the file is unlinked at once, so that nothing is left
// behind even if the build is killed.
func newSpill() (*spill, error) {
	f, err := os.CreateTemp("", "guide-build-*")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file: %w", err)
	}
	if runtime.GOOS != "windows" { // open files cannot be removed there
		os.Remove(f.Name())
	}
	return &spill{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Add appends b and returns its offset.
func (s *spill) Add(b []byte) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	off := s.size
	if _, err := s.w.Write(b); err != nil {
		return 0, fmt.Errorf("writing to %s: %w", s.f.Name(), err)
	}
	s.size += int64(len(b))
	return off, nil
}

// ReadAt reads back what Add wrote, writing out what is still buffered
// first.
func (s *spill) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	if s.w.Buffered() > 0 {
		if err := s.w.Flush(); err != nil {
			s.mu.Unlock()
			return 0, fmt.Errorf("writing to %s: %w", s.f.Name(), err)
		}
	}
	s.mu.Unlock()
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
