package build

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
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
		blocks[i] = bytes.Repeat([]byte(fmt.Sprintf("block %d;", i)), 1+i*i*40)
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
	// Adding after reading still works: reading flushed the buffer.
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
