package site

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Store keeps blocks of bytes that a build needs only at its end, out of
// memory: every role's Refs, the search index's terms. Add is called from
// many goroutines at once.
type Store interface {
	io.ReaderAt
	// Add keeps b and returns where ReadAt finds it.
	Add(b []byte) (off int64, err error)
}

// ErrStore marks the errors of reading back from a Store: a failure of the
// machine, not of the guide or its layouts.
var ErrStore = errors.New("the build's temporary file failed")

// Block is bytes kept until the end of a build: in memory, or in a Store.
// The zero Block is empty.
type Block struct {
	data  []byte      // in memory, or nil
	store io.ReaderAt // where the bytes are when not in memory
	off   int64
	size  int
}

// Keep hands a copy of b to s, or keeps one in memory when s is nil or
// fails: a store that cannot keep costs memory, never the build.
func Keep(s Store, b []byte) Block {
	if s != nil && len(b) > 0 {
		if off, err := s.Add(b); err == nil {
			return Block{store: s, off: off, size: len(b)}
		}
	}
	return Block{data: slices.Clone(b), size: len(b)}
}

// Held returns the block of b, held in memory as it is, not copied.
func Held(b []byte) Block {
	if len(b) == 0 {
		return Block{}
	}
	return Block{data: b, size: len(b)}
}

// Stored returns the block of size bytes that r holds at off: one that an
// earlier build left in a file, say.
func Stored(r io.ReaderAt, off int64, size int) Block {
	if size == 0 {
		return Block{}
	}
	return Block{store: r, off: off, size: size}
}

// Len is the block's length.
func (k Block) Len() int { return k.size }

// InMemory reports whether the block is held in memory.
func (k Block) InMemory() bool { return k.store == nil }

// Bytes returns the block: the bytes held in memory, or read from the
// store into buf, grown as needed.
func (k Block) Bytes(buf []byte) ([]byte, error) {
	if k.store == nil {
		return k.data, nil
	}
	buf = slices.Grow(buf[:0], k.size)[:k.size]
	if _, err := k.store.ReadAt(buf, k.off); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	return buf, nil
}

// move hands a block held in memory to s, and returns the block as it is
// if it is not in memory or s fails.
func (k Block) move(s Store) Block {
	if k.store != nil || k.size == 0 {
		return k
	}
	off, err := s.Add(k.data)
	if err != nil {
		return k
	}
	return Block{store: s, off: off, size: k.size}
}

// ReadAll returns the bytes of every block, in the order given: those held
// in memory as they are, those in a store read in as few calls as their
// places allow. The blocks of a store are read in the order they lie in
// it, and those no more than readGap apart by one call: a category page's
// roles, say, whose questions were kept one after the other as the roles
// were parsed. Each block's bytes are its own until it is read again.
func ReadAll(blocks []Block) ([][]byte, error) {
	out := make([][]byte, len(blocks))
	// The blocks in stores, by store (in order of first use) and place.
	// Stores are told apart with ==: each is a pointer.
	var stores []io.ReaderAt
	type place struct{ store, block int }
	var order []place
	for i, k := range blocks {
		if k.store == nil {
			out[i] = k.data
			continue
		}
		s := slices.Index(stores, k.store)
		if s < 0 {
			s, stores = len(stores), append(stores, k.store)
		}
		order = append(order, place{s, i})
	}
	slices.SortFunc(order, func(a, b place) int {
		if a.store != b.store {
			return a.store - b.store
		}
		return cmp.Compare(blocks[a.block].off, blocks[b.block].off)
	})
	for len(order) > 0 {
		// A run of blocks read by one call.
		first := blocks[order[0].block]
		start, end, n := first.off, first.off+int64(first.size), 1
		for ; n < len(order) && order[n].store == order[0].store; n++ {
			k := blocks[order[n].block]
			if k.off > end+readGap {
				break
			}
			end = max(end, k.off+int64(k.size))
		}
		buf := make([]byte, end-start)
		if _, err := readAtLeast(first.store, buf, start, len(buf)); err != nil {
			return nil, err
		}
		for _, o := range order[:n] {
			k := blocks[o.block]
			from := k.off - start
			out[o.block] = buf[from : from+int64(k.size) : from+int64(k.size)]
		}
		order = order[n:]
	}
	return out, nil
}

// readAtLeast reads buf from r at off, and returns how many bytes it read:
// at least need, or an error of ErrStore, io.ErrUnexpectedEOF where the
// store ends before.
func readAtLeast(r io.ReaderAt, buf []byte, off int64, need int) (int, error) {
	got, err := r.ReadAt(buf, off)
	if got < need {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF // the store ends within a block
		}
		return got, fmt.Errorf("%w: %w", ErrStore, err)
	}
	return got, nil
}

// readGap is how many bytes apart two blocks may lie in a store and still
// be read by one call of ReadAll: a read of a few kilobytes more costs less
// than a call to the system.
const readGap = 8 << 10

// Window reads the blocks of a store a large piece at a time, where
// Block.Bytes makes a call to the system for each: a pass over every
// role's blocks, which lie in the store about in the order the roles were
// parsed, then makes a few hundred reads rather than tens of thousands.
// Blocks held in memory are given as they are.
//
// A window may read bytes of the store that are still being written, by
// blocks being added at the time: it must be asked only for blocks kept
// before it was, as the blocks of a pass at the end of a build are. A
// Window is not safe for concurrent use; the zero Window is ready.
type Window struct {
	// Two pieces, the one read last and the one before: a role parsed
	// late has its block further on than its neighbours', and the pass
	// goes back from it to them.
	pieces [2]piece
	last   int // the piece read last
}

type piece struct {
	from io.ReaderAt // the store buf was read from, or nil
	off  int64       // where buf starts in it
	buf  []byte
}

// holds returns the bytes of k if the piece holds them.
func (p *piece) holds(k Block) ([]byte, bool) {
	end := k.off + int64(k.size)
	if p.from != k.store || k.off < p.off || end > p.off+int64(len(p.buf)) {
		return nil, false
	}
	return p.buf[k.off-p.off : end-p.off : end-p.off], true
}

// windowSize is how much of the store a piece holds; a piece starts
// windowBack before the block it is read for.
const (
	windowSize = 256 << 10
	windowBack = 16 << 10
)

// Bytes returns the bytes of k, which are the window's until the next call.
func (w *Window) Bytes(k Block) ([]byte, error) {
	if k.store == nil {
		return k.data, nil
	}
	for i := range w.pieces {
		if b, ok := w.pieces[i].holds(k); ok {
			return b, nil
		}
	}
	w.last = 1 - w.last
	p := &w.pieces[w.last]
	start, end := max(k.off-windowBack, 0), k.off+int64(k.size)
	n := max(windowSize, int(end-start))
	p.buf = slices.Grow(p.buf[:0], n)[:n]
	got, err := readAtLeast(k.store, p.buf, start, int(end-start))
	if err != nil {
		p.from, p.buf = nil, p.buf[:0]
		return nil, err
	}
	p.from, p.off, p.buf = k.store, start, p.buf[:got]
	b, _ := p.holds(k)
	return b, nil
}
