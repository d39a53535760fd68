package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

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

// resident reports whether the page of the file at name that holds off
// is in the system's cache. It asks mincore, which, unlike a read with
// RWF_NOWAIT, does not start reading a page that is missing: such a read
// would bring the page back before the code under test looked for it.
func resident(t *testing.T, name string, off int64) bool {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(info.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Skipf("cannot map a file here: %v", err)
	}
	defer unix.Munmap(b)
	pages := make([]byte, (len(b)+os.Getpagesize()-1)/os.Getpagesize())
	// x/sys/unix has no wrapper for mincore.
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&pages[0])))
	if errno != 0 {
		t.Skipf("cannot ask what is in the cache here: %v", errno)
	}
	return pages[off/int64(os.Getpagesize())]&1 != 0
}

// gone drops the whole file at name from the cache, and skips the test
// if the system keeps the page that holds off.
func gone(t *testing.T, name string, off int64) {
	t.Helper()
	drop(t, name, 0, 0)
	if resident(t, name, off) {
		t.Skip("the system keeps dropped pages in its cache here")
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
	// Looking for a missing page starts reading it in, so the file is
	// dropped again before each look.
	sampled := names[(2*5+1)*len(names)/(2*cacheSamples)] // the sixth sample
	for _, whole := range []bool{false, true} {
		gone(t, sampled, 0)
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
	if !resident(t, name, 8<<20-1) {
		t.Skip("the system let go of more than was asked")
	}
	if resident(t, name, 0) {
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
