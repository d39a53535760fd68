package site

import (
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
