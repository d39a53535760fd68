package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// writeSynced writes n files of size bytes under a new folder, on the
// disk, and returns their names.
func writeSynced(t *testing.T, n, size int) []string {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf("%03d.html", i))
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(strings.Repeat("x", size)); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		names = append(names, name)
	}
	return names
}

// drop asks the system to let go of the cached bytes of a file from off
// for n bytes (0: to its end), and skips the test if it keeps them.
func drop(t *testing.T, name string, off, n int64) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), off, n, unix.FADV_DONTNEED); err != nil {
		t.Skipf("cannot drop a file from the cache here: %v", err)
	}
}

// A sample of a folder's files tells whether it is in the cache: a folder
// just written is; one whose sampled file has left it is not, nor is a
// folder too small to sample.
func TestInCacheTellsByASample(t *testing.T) {
	names := writeSynced(t, 8*cacheSamples, 10000)
	var page [4096]byte
	if !cachedFile(names[0], true, page[:]) {
		t.Skip("this file system does not tell what is in the cache")
	}
	for _, whole := range []bool{false, true} {
		if !inCache(names, whole) {
			t.Errorf("whole=%v: a folder just written is not in the cache", whole)
		}
	}
	if inCache(names[:4*cacheSamples-1], false) {
		t.Error("a folder too small to sample is taken to be in the cache")
	}
	sampled := names[(2*5+1)*len(names)/(2*cacheSamples)] // the sixth sample
	drop(t, sampled, 0, 0)
	if cachedFile(sampled, false, page[:]) {
		t.Skip("the system keeps dropped pages in its cache here")
	}
	for _, whole := range []bool{false, true} {
		if inCache(names, whole) {
			t.Errorf("whole=%v: a folder whose sampled file left the cache is in the cache", whole)
		}
	}
}

// For SkipSame, which compares whole files, a file is in the cache only
// if its first page is, as well as its last.
func TestCachedFileWholeLooksAtTheFirstPage(t *testing.T) {
	name := writeSynced(t, 1, 8<<20)[0]
	var page [4096]byte
	if !cachedFile(name, true, page[:]) {
		t.Skip("this file system does not tell what is in the cache")
	}
	drop(t, name, 0, 4<<20) // the first half
	if !cachedFile(name, false, page[:]) {
		t.Skip("the system let go of more than was asked")
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, _ := unix.Preadv2(int(f.Fd()), [][]byte{page[:]}, 0, unix.RWF_NOWAIT); n > 0 {
		t.Skip("the system keeps dropped pages in its cache here")
	}
	if cachedFile(name, true, page[:]) {
		t.Error("a file whose first page left the cache is in it, for a whole read")
	}
}

// A file that is not a regular file, or cannot be opened, is not in the
// cache; an empty file is.
func TestCachedFileOfOddFiles(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(empty, link)
	var page [4096]byte
	if !cachedFile(empty, true, page[:]) {
		t.Error("an empty file is not in the cache")
	}
	for _, name := range []string{dir, link, filepath.Join(dir, "missing")} {
		if cachedFile(name, false, page[:]) {
			t.Errorf("%s is in the cache", name)
		}
	}
}
