package build

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/guide-build/guide/internal/diag"
)

func TestSpillReadsBackWhatWasAdded(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, err := newSpill()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("the spill file is visible in the temporary folder: %v", left)
		}
	}
	// Blocks from several goroutines, some larger than the write buffer.
	blocks := make([][]byte, 64)
	offs := make([]int64, len(blocks))
	var wg sync.WaitGroup
	for i := range blocks {
		blocks[i] = bytes.Repeat([]byte(fmt.Sprintf("block %d;", i)), 1+i*i*10)
		wg.Go(func() {
			off, err := s.Add(blocks[i])
			if err != nil {
				t.Error(err)
			}
			offs[i] = off
		})
	}
	wg.Wait()
	for i, b := range blocks {
		got := make([]byte, len(b))
		if _, err := s.ReadAt(got, offs[i]); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if !bytes.Equal(got, b) {
			t.Fatalf("block %d came back as %.40q...", i, got)
		}
	}
	// Adding after reading still works.
	off, _ := s.Add([]byte("late"))
	got := make([]byte, 4)
	if _, err := s.ReadAt(got, off); err != nil || string(got) != "late" {
		t.Errorf("late block: %q, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestSpillWithoutTemporaryFolder(t *testing.T) {
	t.Setenv("TMPDIR", "/nonexistent/guide-test")
	if runtime.GOOS == "windows" {
		t.Skip("TMPDIR is not where Windows looks")
	}
	if _, err := newSpill(); err == nil {
		t.Fatal("newSpill succeeded without a temporary folder")
	}
}

func TestSpillStopsWritingAfterAFailure(t *testing.T) {
	s, err := newSpill()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ok, err := s.Add([]byte("kept"))
	if err != nil {
		t.Fatal(err)
	}
	// Writes fail from now on, as on a full disk.
	ro, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	good := s.f
	s.f = ro
	if _, err := s.Add([]byte("lost")); err == nil {
		t.Fatal("Add succeeded on a file that cannot be written")
	}
	s.f = good
	if _, err := s.Add([]byte("more")); !errors.Is(err, errBroken) {
		t.Errorf("Add after a failure: %v; want errBroken", err)
	}
	got := make([]byte, 4)
	if _, err := s.ReadAt(got, ok); err != nil || string(got) != "kept" {
		t.Errorf("what was written before the failure: %q, %v", got, err)
	}
}

// failingStore is a store that fails to write after keeping limit bytes,
// or, with badRead, gives back nothing.
type failingStore struct {
	mu      sync.Mutex
	b       []byte
	limit   int
	badRead bool
}

func (f *failingStore) Add(b []byte) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.b)+len(b) > f.limit {
		return 0, errors.New("no space left on device")
	}
	f.b = append(f.b, b...)
	return int64(len(f.b) - len(b)), nil
}

func (f *failingStore) ReadAt(p []byte, off int64) (int, error) {
	if f.badRead {
		return 0, errors.New("input/output error")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return bytes.NewReader(f.b).ReadAt(p, off)
}

func (f *failingStore) Close() error { return nil }

func useStore(t *testing.T, s store) {
	t.Helper()
	old := newStore
	newStore = func() (store, error) { return s, nil }
	t.Cleanup(func() { newStore = old })
}

// A temporary folder that fills up during the build costs memory, not the
// build: what could not be written stays in memory.
func TestBuildWithFullTemporaryFolder(t *testing.T) {
	want := mustBuild(t, smallGuide(t), Options{})
	for _, limit := range []int{0, 3000, 20000} {
		useStore(t, &failingStore{limit: limit})
		got, _, err := buildFS(t, smallGuide(t), Options{})
		if err != nil {
			t.Fatalf("temporary space for %d bytes: %v", limit, err)
		}
		if !maps.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("temporary space for %d bytes: the output differs", limit)
		}
	}
}

// A temporary file that cannot be read back is the machine's failure: the
// build fails with a plain error, not a diagnostic that blames a layout.
func TestBuildWhenTheTemporaryFileFails(t *testing.T) {
	useStore(t, &failingStore{limit: 1 << 30, badRead: true})
	_, _, err := buildFS(t, smallGuide(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("err = %v; want the read error", err)
	}
	if de := (*diag.Errors)(nil); errors.As(err, &de) {
		t.Errorf("reported as content errors: %v", err)
	}
}
