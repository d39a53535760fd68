package cachefile

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// countingReader counts the reads that reach the file.
type countingReader struct {
	r     *bytes.Reader
	reads int
	bytes int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	c.bytes += len(p)
	return c.r.ReadAt(p, off)
}

// A Windowed reader gives the bytes the file has, for reads in order, out
// of order, at the end and past it, with few reads of the file for reads in
// order.
func TestWindowed(t *testing.T) {
	data := make([]byte, 3*windowSize+12345)
	for i := range data {
		data[i] = byte(i * 31 >> 3)
	}
	file := &countingReader{r: bytes.NewReader(data)}
	w := Windowed(file)
	check := func(off int64, n int) {
		t.Helper()
		want := make([]byte, n)
		wn, werr := bytes.NewReader(data).ReadAt(want, off)
		got := make([]byte, n)
		gn, gerr := w.ReadAt(got, off)
		if gn != wn || (gerr == nil) != (werr == nil) || !bytes.Equal(got[:gn], want[:wn]) {
			t.Fatalf("ReadAt(%d bytes at %d) = %d, %v; want %d, %v", n, off, gn, gerr, wn, werr)
		}
	}
	// In order, a block at a time: a read of the file a window.
	off := int64(0)
	for off+300 <= int64(len(data)) {
		check(off, 300)
		off += 300
	}
	if max := len(data)/windowSize + 2; file.reads > max {
		t.Errorf("%d reads of the file for reads in order; want at most %d", file.reads, max)
	}
	check(off, 300)              // past the end
	check(int64(len(data)), 10)  // at the end
	check(int64(len(data))-5, 5) // the last bytes
	check(windowSize-3, 10)      // across windows
	check(5, windowSize)         // larger than a window holds
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		check(rnd.Int64N(int64(len(data))), rnd.IntN(4000))
	}
	if _, err := w.ReadAt(make([]byte, 1), int64(len(data))); err != io.EOF {
		t.Errorf("a read at the end: %v; want io.EOF", err)
	}
}

// Reads here and there are passed on as they are, not each made a read of
// a window.
func TestWindowedScattered(t *testing.T) {
	data := make([]byte, 64*windowSize)
	file := &countingReader{r: bytes.NewReader(data)}
	w := Windowed(file)
	rnd := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 300)
	for range 1000 {
		if _, err := w.ReadAt(buf, rnd.Int64N(int64(len(data)-300))); err != nil {
			t.Fatal(err)
		}
	}
	// A window read costs a megabyte; a few may be filled by chance, where
	// one for every read would be a thousand.
	if file.bytes > 40*windowSize {
		t.Errorf("%d MB read for 1,000 scattered reads of 300 bytes", file.bytes>>20)
	}
}
