package cachefile

import (
	"io"
	"sync"
)

// windowSize and windows set how much of a file a Windowed reader holds:
// a few windows, so that readers going through different parts of the file
// at once each keep theirs.
const (
	windowSize = 1 << 20
	windows    = 4
)

// Windowed returns a reader of r that reads it a megabyte at a time and
// answers small reads from what it read. A build reads the blocks of the
// last build's caches (two for each role, one for each search term) mostly
// in the order they were written: at 10,000 roles, 50,000 calls to the
// system for a few hundred bytes each, where each call costs microseconds.
// It is safe for use by several goroutines.
func Windowed(r io.ReaderAt) io.ReaderAt {
	return &windowed{r: r}
}

type windowed struct {
	r    io.ReaderAt
	mu   sync.Mutex
	w    [windows]window
	next int // the window to fill next
}

type window struct {
	off  int64
	data []byte
}

func (w *windowed) ReadAt(p []byte, off int64) (int, error) {
	if len(p) > windowSize/4 || off < 0 {
		return w.r.ReadAt(p, off)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range w.w {
		if n, ok := w.w[i].read(p, off); ok {
			return n, nil
		}
	}
	win := &w.w[w.next]
	w.next = (w.next + 1) % windows
	if win.data == nil {
		win.data = make([]byte, windowSize)
	}
	n, err := w.r.ReadAt(win.data[:windowSize], off)
	win.off, win.data = off, win.data[:n]
	if n, ok := win.read(p, off); ok {
		return n, nil
	}
	// The read runs past the end of r.
	n = copy(p, win.data)
	if err == nil {
		err = io.EOF
	}
	return n, err
}

// read copies the bytes at off into p, if the window holds all of them.
func (win *window) read(p []byte, off int64) (int, bool) {
	if win.data == nil || off < win.off || off+int64(len(p)) > win.off+int64(len(win.data)) {
		return 0, false
	}
	return copy(p, win.data[off-win.off:]), true
}
