package site_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// A window gives every block's bytes, whether in memory, in one store or
// another, smaller or larger than a window, asked for in order, a little
// out of order, or after a jump back; and a pass in about the order the
// blocks were kept reads the store a window at a time.
func TestWindowGivesEveryBlock(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	stores := []*sitetest.Store{{}, {}}
	var blocks []site.Block
	var want [][]byte
	stored := 0
	for i := range 3000 {
		n := 1 + r.IntN(12<<10)
		if i == 1500 {
			n = 3 * site.WindowSize // larger than a window
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		var s site.Store = stores[0]
		switch {
		case i%97 == 0:
			s = nil // kept in memory
		case i%89 == 0:
			s = stores[1]
		default:
			stored += n
		}
		blocks, want = append(blocks, site.Keep(s, b)), append(want, b)
	}
	order := make([]int, len(blocks))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i += 7 {
		order[i-1], order[i] = order[i], order[i-1] // neighbours swapped, as two workers keep them
	}
	var w site.Window
	check := func(i int) {
		t.Helper()
		got, err := w.Bytes(blocks[i])
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if !bytes.Equal(got, want[i]) {
			t.Fatalf("block %d: %d bytes, not the %d kept", i, len(got), len(want[i]))
		}
		if !blocks[i].InMemory() && cap(got) != len(got) {
			t.Fatalf("block %d: capacity %d past its %d bytes: an append would write over the window", i, cap(got), len(got))
		}
	}
	for _, i := range order {
		check(i)
	}
	// Each read gives a window, of which all but what comes before the
	// block it was read for is new: with blocks a little out of order and
	// blocks of another store between, a pass still reads no more often.
	if max := stored/(site.WindowSize-site.WindowBack) + 2; stores[0].Reads > max {
		t.Errorf("a pass in order read the store %d times, for %d bytes of %d blocks; want at most %d", stores[0].Reads, stored, len(blocks), max)
	}
	for _, i := range []int{2999, 0, 1500, 1499, 1501, 5, 2000} {
		check(i)
	}
}

// A block the store cannot give back is an error of the store; the
// window reads on for the next block.
func TestWindowReadFailure(t *testing.T) {
	s := &sitetest.Store{}
	k := site.Keep(s, []byte("terms of a role"))
	past := site.Stored(s, 10, 100) // runs past what the store holds
	var w site.Window
	if _, err := w.Bytes(past); !errors.Is(err, site.ErrStore) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a block past the end: %v; want ErrStore and io.ErrUnexpectedEOF", err)
	}
	s.FailRead = true
	var fresh site.Window
	if _, err := fresh.Bytes(k); !errors.Is(err, site.ErrStore) {
		t.Errorf("a failing store: %v; want ErrStore", err)
	}
	s.FailRead = false
	if got, err := fresh.Bytes(k); err != nil || string(got) != "terms of a role" {
		t.Errorf("after the failure: %q, %v", got, err)
	}
}
