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
	"github.com/guide-build/guide/internal/site/sitetest"
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

// closingStore is a sitetest.Store that a build can close.
type closingStore struct{ sitetest.Store }

func (*closingStore) Close() error { return nil }

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
		useStore(t, &closingStore{sitetest.Store{FailAdd: limit == 0, Cap: limit}})
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
	useStore(t, &closingStore{sitetest.Store{FailRead: true}})
	_, _, err := buildFS(t, smallGuide(t), Options{})
	if err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("err = %v; want the read error", err)
	}
	if de := (*diag.Errors)(nil); errors.As(err, &de) {
		t.Errorf("reported as content errors: %v", err)
	}
}
