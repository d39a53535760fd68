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
	// ends are where recent reads that no window held ended. A window is
	// filled only for a read that starts near one of them: a read that
	// goes on from the last. Reads here and there (the postings of terms
	// in another order than the file's) are passed on as they are, rather
	// than each reading a megabyte.
	ends [8]int64
	end  int // the entry of ends to set next
}

type window struct {
	off  int64
	data []byte
}

func (w *windowed) ReadAt(p []byte, off int64) (int, error) {
	if len(p) > windowSize/4 || off < 0 {
		return w.r.ReadAt(p, off)
	}
	if n, ok, err := w.fromWindow(p, off); ok {
		return n, err
	}
	return w.r.ReadAt(p, off)
}

// fromWindow answers a read from a window, filling one if the read goes
// on from an earlier one. It reports false for a read to pass on.
func (w *windowed) fromWindow(p []byte, off int64) (int, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range w.w {
		if n, ok := w.w[i].read(p, off); ok {
			return n, true, nil
		}
	}
	near := func(e int64) bool { return e > 0 && off > e-64<<10 && off < e+64<<10 }
	onward := false
	for i, e := range w.ends {
		onward = onward || near(e) || w.w[i%windows].data != nil && near(w.w[i%windows].off+int64(len(w.w[i%windows].data)))
	}
	if !onward {
		w.ends[w.end], w.end = off+int64(len(p)), (w.end+1)%len(w.ends)
		return 0, false, nil
	}
	win := &w.w[w.next]
	w.next = (w.next + 1) % windows
	if win.data == nil {
		win.data = make([]byte, windowSize)
	}
	n, err := w.r.ReadAt(win.data[:windowSize], off)
	win.off, win.data = off, win.data[:n]
	if n, ok := win.read(p, off); ok {
		return n, true, nil
	}
	// The read runs past the end of r.
	n = copy(p, win.data)
	if err == nil {
		err = io.EOF
	}
	return n, true, err
}

// read copies the bytes at off into p, if the window holds all of them.
func (win *window) read(p []byte, off int64) (int, bool) {
	if win.data == nil || off < win.off || off+int64(len(p)) > win.off+int64(len(win.data)) {
		return 0, false
	}
	return copy(p, win.data[off-win.off:]), true
}
