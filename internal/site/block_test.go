package site_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
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

// ReadAll gives every block, in the order asked, with one read for each run
// of blocks that lie close together in a store, whatever the order asked.
func TestReadAllGivesEveryBlock(t *testing.T) {
	stores := []*sitetest.Store{{}, {}}
	var blocks []site.Block
	var want [][]byte
	keep := func(s site.Store, b string) {
		blocks, want = append(blocks, site.Keep(s, []byte(b))), append(want, []byte(b))
	}
	// Store 0: two runs, apart by more than ReadGap; store 1: one run,
	// its blocks kept between store 0's.
	for i := range 40 {
		if i == 20 {
			stores[0].Add(make([]byte, site.ReadGap+1)) // what other pages' roles keep
		}
		keep(stores[0], strings.Repeat(string(rune('a'+i%26)), 100+i))
		if i%10 == 0 {
			keep(stores[1], fmt.Sprintf("block %d of the other store", i))
		}
		if i%13 == 0 {
			keep(nil, fmt.Sprintf("block %d in memory", i))
		}
		stores[0].Add([]byte("a gap of a role on no page here"))
	}
	blocks = append(blocks, blocks[3], site.Block{}) // asked twice; empty
	want = append(want, want[3], nil)
	// Asked in an order that is not the stores'.
	r := rand.New(rand.NewPCG(3, 4))
	r.Shuffle(len(blocks), func(i, j int) {
		blocks[i], blocks[j] = blocks[j], blocks[i]
		want[i], want[j] = want[j], want[i]
	})
	got, err := site.ReadAll(blocks)
	if err != nil {
		t.Fatal(err)
	}
	for i := range blocks {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("block %d: %q; want %q", i, got[i], want[i])
		}
		if !blocks[i].InMemory() && cap(got[i]) != len(got[i]) {
			t.Errorf("block %d: capacity %d past its %d bytes: an append would write over its neighbour", i, cap(got[i]), len(got[i]))
		}
	}
	if stores[0].Reads != 2 || stores[1].Reads != 1 {
		t.Errorf("%d and %d reads; want 2 and 1", stores[0].Reads, stores[1].Reads)
	}
}

func TestReadAllFailures(t *testing.T) {
	s := &sitetest.Store{}
	k := site.Keep(s, []byte("questions of a role"))
	past := site.Stored(s, 10, 100) // runs past what the store holds
	if _, err := site.ReadAll([]site.Block{k, past}); !errors.Is(err, site.ErrStore) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a block past the end: %v; want ErrStore and io.ErrUnexpectedEOF", err)
	}
	s.FailRead = true
	if _, err := site.ReadAll([]site.Block{k}); !errors.Is(err, site.ErrStore) || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("a failing store: %v; want ErrStore and the cause", err)
	}
}
