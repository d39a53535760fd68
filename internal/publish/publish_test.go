package publish

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guide-build/guide/internal/publish/publishtest"
)

func write(t *testing.T, d *Dir, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := d.Put(name, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCommitReplacesTheWholeFolder(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	d, err := Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, map[string]string{"index.html": "one", "roles/old/index.html": "old"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err = Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatalf("reopening guide's own output: %v", err)
	}
	write(t, d, map[string]string{"index.html": "two", "roles/new/index.html": "new"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := publishtest.Tree(t, dest)
	want := map[string]string{"index.html": "two", "roles/new/index.html": "new", Marker: markerText}
	if len(got) != len(want) {
		t.Fatalf("got files %v; want %v (the old role must be gone)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q; want %q", k, got[k], v)
		}
	}
	// The old output waits aside, hidden, for the next build to reuse; there
	// is never more than one.
	for range 3 {
		build(t, dest, Options{}, map[string]string{"index.html": "more"})
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			if e.Name() != "public" && !strings.HasPrefix(e.Name(), ".public.old-") {
				t.Errorf("left behind: %s", e.Name())
			}
		}
		if len(entries) != 2 {
			t.Errorf("%d entries beside public; want one spare", len(entries)-1)
		}
	}
	if info, _ := os.Stat(dest); info.Mode().Perm() != 0o755 {
		t.Errorf("destination mode %v; want 0755 so a web server can read it", info.Mode().Perm())
	}
}

func TestAbortLeavesDestinationAsItWas(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	d, _ := Open(dest, root+"/src", Options{})
	write(t, d, map[string]string{"index.html": "good"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	before := publishtest.Tree(t, dest)
	d, _ = Open(dest, root+"/src", Options{})
	write(t, d, map[string]string{"index.html": "half-built"})
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	after := publishtest.Tree(t, dest)
	if after["index.html"] != before["index.html"] || len(after) != len(before) {
		t.Errorf("after abort: %v; want %v", after, before)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Errorf("abort left %d entries beside the destination; want only public", len(entries))
	}
}

func TestOpenRefusesDangerousDestinations(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "guide")
	os.MkdirAll(filepath.Join(src, "content"), 0o755)
	foreign := filepath.Join(root, "docs")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "handwritten.html"), []byte("mine"), 0o644)
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	for _, tc := range []struct {
		dest, want string
	}{
		{src, "is the source folder or holds it"},
		{root, "is the source folder or holds it"},
		{foreign, "holds files that guide did not make"},
		{file, "is a file, not a folder"},
	} {
		_, err := Open(tc.dest, src, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%s): got %v; want an error saying %q", tc.dest, err, tc.want)
		}
	}
	if got := publishtest.Tree(t, foreign); got["handwritten.html"] != "mine" {
		t.Errorf("the foreign folder was touched: %v", got)
	}
	// An empty folder and a folder inside the source (public/) are fine.
	for _, dest := range []string{filepath.Join(root, "empty"), filepath.Join(src, "public")} {
		os.MkdirAll(dest, 0o755)
		d, err := Open(dest, src, Options{})
		if err != nil {
			t.Errorf("Open(%s): %v", dest, err)
			continue
		}
		d.Abort()
	}
}

func TestPutRefusesPathsOutsideTheSite(t *testing.T) {
	root := t.TempDir()
	d, err := Open(filepath.Join(root, "public"), filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, p := range []string{"../escape.html", "/etc/passwd", "a/../../b", "", ".", "a\\..\\b", "roles//x"} {
		if err := d.Put(p, []byte("x")); err == nil {
			t.Errorf("Put(%q) succeeded; want it refused", p)
		}
	}
	if err := d.Put("roles/x/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Put("roles/x/index.html", []byte("y")); err == nil {
		t.Errorf("writing the same file twice succeeded; want an error")
	}
	if _, err := os.Stat(filepath.Join(root, "escape.html")); err == nil {
		t.Errorf("a file escaped the destination")
	}
}

func TestOpenRemovesStaleTemporaryFolders(t *testing.T) {
	root := t.TempDir()
	stale := filepath.Join(root, ".public.tmp-123")
	fresh := filepath.Join(root, ".public.tmp-456")
	os.MkdirAll(stale, 0o755)
	os.MkdirAll(fresh, 0o755)
	old := mustTime(t, "2020-01-01T00:00:00Z")
	os.Chtimes(stale, old, old)
	d, err := Open(filepath.Join(root, "public"), filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	d.Wait()
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("a temporary folder from a killed build long ago is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary folder (maybe a build running now) was removed")
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// twoBuilds publishes two builds of index.html to a new destination, so
// that a spare waits beside it, and returns its folder and the destination.
func twoBuilds(t *testing.T) (root, dest string) {
	t.Helper()
	root = t.TempDir()
	dest = filepath.Join(root, "public")
	build(t, dest, Options{}, map[string]string{"index.html": "one"})
	build(t, dest, Options{}, map[string]string{"index.html": "two"})
	return root, dest
}

// build publishes files to dest with a fresh Dir and returns it.
func build(t *testing.T, dest string, opts Options, files map[string]string) *Dir {
	t.Helper()
	d, err := Open(dest, filepath.Join(filepath.Dir(dest), "src"), opts)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, files)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	return d
}

// A recycled folder holds only what the new build wrote, whether prune
// reads its folders or takes what warm listed.
func TestRecycledFolderHoldsOnlyTheNewBuild(t *testing.T) {
	for _, c := range []struct{ skip, listed bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		if c.listed && !warmable {
			continue
		}
		skip := c.skip
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		build(t, dest, Options{SkipSame: skip}, map[string]string{
			"index.html": "a long first version", "gone.html": "x", "roles/a/index.html": "a",
			"was-file": "f", "was-dir/index.html": "d", "keep/deep/x.js": "x"})
		build(t, dest, Options{SkipSame: skip}, map[string]string{"index.html": "second"})
		// The third build recycles the first one's folder.
		d, err := Open(dest, filepath.Join(root, "src"), Options{SkipSame: skip, NoWarm: !c.listed})
		if err != nil {
			t.Fatal(err)
		}
		d.warming.Wait() // warm has listed the folder, when it runs
		write(t, d, map[string]string{
			"index.html": "third", "roles/b/index.html": "b", "was-file/index.html": "now a folder",
			"was-dir": "now a file", "keep/deep/x.js": "x"})
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		d.Wait()
		if !d.recycled {
			t.Fatalf("skip=%v: the third build did not recycle the first one's folder", skip)
		}
		if (d.listed != nil) != c.listed {
			t.Fatalf("listed=%v: warm's listing is %v", c.listed, d.listed)
		}
		want := map[string]string{"index.html": "third", "roles/b/index.html": "b",
			"was-file/index.html": "now a folder", "was-dir": "now a file", "keep/deep/x.js": "x", Marker: markerText}
		got := publishtest.Tree(t, dest)
		if len(got) != len(want) {
			t.Errorf("skip=%v: got files %v; want %v", skip, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("skip=%v: %s = %q; want %q", skip, k, got[k], v)
			}
		}
		if _, err := os.Stat(filepath.Join(dest, "roles", "a")); err == nil {
			t.Errorf("skip=%v: the folder of a role that is gone is still there", skip)
		}
	}
}

func TestRecyclingLeavesHardLinkedCopiesAlone(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	build(t, dest, Options{}, map[string]string{"index.html": "one"})
	// Someone keeps a copy of the first build made with hard links.
	copyPath := filepath.Join(root, "copy.html")
	if err := os.Link(filepath.Join(dest, "index.html"), copyPath); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	build(t, dest, Options{}, map[string]string{"index.html": "two"})
	build(t, dest, Options{}, map[string]string{"index.html": "three"}) // rewrites the first folder
	if b, _ := os.ReadFile(copyPath); string(b) != "one" {
		t.Errorf("a hard-linked copy of an old file now reads %q; want %q", b, "one")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "three" {
		t.Errorf("index.html = %q; want three", b)
	}
}

func TestSkipSameLeavesIdenticalFilesUntouched(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	files := map[string]string{"same.html": "same bytes", "changed.html": "version 1"}
	build(t, dest, Options{SkipSame: true}, files)
	build(t, dest, Options{SkipSame: true}, files)
	stat := func(name string) os.FileInfo {
		info, err := os.Stat(filepath.Join(dest, name))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	before := map[string]os.FileInfo{"same.html": stat("same.html"), "changed.html": stat("changed.html")}
	old := mustTime(t, "2020-01-01T00:00:00Z")
	for name := range before {
		os.Chtimes(filepath.Join(dest, name), old, old)
	}
	// The next build recycles the folder that is the destination now.
	build(t, dest, Options{SkipSame: true}, map[string]string{"x": "y"})
	build(t, dest, Options{SkipSame: true}, map[string]string{"same.html": "same bytes", "changed.html": "version 2"})
	if got := stat("same.html"); !os.SameFile(got, before["same.html"]) || !got.ModTime().Equal(old) {
		t.Errorf("same.html was written again although it held the same bytes")
	}
	if got := stat("changed.html"); got.ModTime().Equal(old) {
		t.Errorf("changed.html was not written")
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "changed.html")); string(b) != "version 2" {
		t.Errorf("changed.html = %q", b)
	}
}

func TestAbortKeepsTheRecycledFolderAsSpare(t *testing.T) {
	root, dest := twoBuilds(t)
	d, err := Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, map[string]string{"index.html": "broken build"})
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	if got := publishtest.Tree(t, dest); got["index.html"] != "two" {
		t.Errorf("after an aborted build index.html = %q; want two", got["index.html"])
	}
	entries, _ := os.ReadDir(root)
	var spares int
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public.old-") {
			spares++
		} else if e.Name() != "public" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if spares != 1 {
		t.Errorf("%d spare folders; want 1", spares)
	}
	build(t, dest, Options{}, map[string]string{"index.html": "three"})
	if got := publishtest.Tree(t, dest); len(got) != 2 || got["index.html"] != "three" {
		t.Errorf("the build after an aborted one: %v", got)
	}
}

// Adopt renames the older version's folder, and prune then deletes what
// the build did not write in it, whether it reads the folders or takes
// what warm listed before the rename.
func TestAdoptRenamesTheOlderVersionFolder(t *testing.T) {
	for _, listed := range []bool{false, true} {
		if listed && !warmable {
			continue
		}
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		v1 := map[string]string{"search/meta.js": "v1", "search/v1/a.js": "same", "search/v1/old.js": "gone", "search/v1/r/1.js": "gone too"}
		build(t, dest, Options{SkipSame: true}, v1)
		first, err := os.Stat(filepath.Join(dest, "search/v1/a.js"))
		if err != nil {
			t.Fatal(err)
		}
		build(t, dest, Options{SkipSame: true}, map[string]string{"search/meta.js": "v2", "search/v2/a.js": "same"})
		// The third build recycles the first one's folder, and adopts its
		// search/v1 as search/v3.
		d, err := Open(dest, filepath.Join(root, "src"), Options{SkipSame: true, NoWarm: !listed})
		if err != nil {
			t.Fatal(err)
		}
		d.warming.Wait() // warm has listed the folder, when it runs
		if err := d.Adopt("search", "v3"); err != nil {
			t.Fatal(err)
		}
		write(t, d, map[string]string{"search/meta.js": "v3", "search/v3/a.js": "same", "search/v3/new.js": "new"})
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if (d.listed != nil) != listed {
			t.Fatalf("listed=%v: warm's listing is %v", listed, d.listed)
		}
		got := publishtest.Tree(t, dest)
		want := map[string]string{"search/meta.js": "v3", "search/v3/a.js": "same", "search/v3/new.js": "new", Marker: markerText}
		if !maps.Equal(got, want) {
			t.Errorf("listed=%v: got %v; want %v", listed, got, want)
		}
		if info, err := os.Stat(filepath.Join(dest, "search/v3/a.js")); err != nil || !os.SameFile(info, first) {
			t.Errorf("listed=%v: search/v3/a.js is a new file; want the first build's search/v1/a.js, renamed with its folder", listed)
		}
	}
}

// A listing made before a folder moved names it by its old name, one
// made after by its new name: both come out under the new.
func TestListingMoved(t *testing.T) {
	l := &listing{
		files: []string{"index.html", "search/v1/a.js", "search/v1/r/1.js", "search/v3/b.js", "search/v10/c.js", "search/v1"},
		dirs:  map[string]bool{"search": true, "search/v1": true, "search/v1/r": true, "search/v10": true},
	}
	files, dirs := l.moved([][2]string{{"search/v1", "search/v3"}})
	if want := []string{"index.html", "search/v3/a.js", "search/v3/r/1.js", "search/v3/b.js", "search/v10/c.js", "search/v3"}; !slices.Equal(files, want) {
		t.Errorf("files %v; want %v", files, want)
	}
	if want := map[string]bool{"search": true, "search/v3": true, "search/v3/r": true, "search/v10": true}; !maps.Equal(dirs, want) {
		t.Errorf("folders %v; want %v", dirs, want)
	}
	if l.files[1] != "search/v1/a.js" || !l.dirs["search/v1"] {
		t.Error("moved changed the listing itself")
	}
}

func TestRecyclingNeverFollowsSymbolicLinks(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	outside := filepath.Join(root, "outside")
	os.MkdirAll(filepath.Join(outside, "dir"), 0o755)
	os.WriteFile(filepath.Join(outside, "robots.txt"), []byte("mine"), 0o644)
	build(t, dest, Options{}, map[string]string{"robots.txt": "one", "roles/a/index.html": "a"})
	// Someone replaces parts of the output with links out of it.
	os.Remove(filepath.Join(dest, "robots.txt"))
	os.RemoveAll(filepath.Join(dest, "roles"))
	if err := os.Symlink(filepath.Join(outside, "robots.txt"), filepath.Join(dest, "robots.txt")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	os.Symlink(filepath.Join(outside, "dir"), filepath.Join(dest, "roles"))
	build(t, dest, Options{}, map[string]string{"robots.txt": "two"})
	// The third build recycles the folder with the links.
	build(t, dest, Options{SkipSame: true}, map[string]string{"robots.txt": "three", "roles/a/index.html": "a3"})
	if b, _ := os.ReadFile(filepath.Join(outside, "robots.txt")); string(b) != "mine" {
		t.Errorf("a file a link pointed to was written: %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Join(outside, "dir")); len(entries) > 0 {
		t.Errorf("a folder a link pointed to was written into")
	}
	got := publishtest.Tree(t, dest)
	if got["robots.txt"] != "three" || got["roles/a/index.html"] != "a3" {
		t.Errorf("got %v", got)
	}
	for _, p := range []string{"robots.txt", "roles"} {
		if info, err := os.Lstat(filepath.Join(dest, p)); err != nil || info.Mode()&os.ModeSymlink != 0 {
			t.Errorf("%s is still a link (or missing: %v)", p, err)
		}
	}
}

func TestAbortDiscardsARecycledFolderThatFailed(t *testing.T) {
	root, dest := twoBuilds(t)
	d, err := Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.recycled {
		t.Fatal("the folder was not recycled")
	}
	if err := d.Put(strings.Repeat("x", 300)+".html", []byte("a name too long")); err == nil {
		t.Fatal("writing a file with a 300-byte name succeeded")
	}
	d.Abort()
	d.Wait()
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != ".public.lock" {
			t.Errorf("left behind after a failed write: %s", e.Name())
		}
	}
}

func TestOpenLeavesOtherUsersSparesAlone(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can give a folder to another user")
	}
	root, dest := twoBuilds(t)
	spares, _ := filepath.Glob(filepath.Join(root, ".public.old-*"))
	if len(spares) != 1 {
		t.Fatalf("spares: %v", spares)
	}
	if err := os.Chown(spares[0], 65534, 65534); err != nil {
		t.Skip(err)
	}
	d, err := Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if d.recycled {
		t.Errorf("Open took another user's spare as its working folder")
	}
}

func TestLockKeepsOtherBuildsOut(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	unlock, err := Lock(dest)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		unlock2, err := Lock(dest)
		if err != nil {
			t.Error(err)
		} else {
			unlock2()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second build took the lock while the first held it")
	case <-time.After(200 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the second build never got the lock after the first let it go")
	}
}

func TestRecycledFoldersAreMadeOnceUnderConcurrentWrites(t *testing.T) {
	for range 50 {
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		// The first build's "a" is a file; the third build wants a folder
		// there, from eight writers at once.
		build(t, dest, Options{}, map[string]string{"a": "file"})
		build(t, dest, Options{}, map[string]string{"x": "y"})
		d, err := Open(dest, filepath.Join(root, "src"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 8)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() { errs <- d.Put(fmt.Sprintf("a/b/f%d", i), []byte("z")) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		d.Wait()
		if got := publishtest.Tree(t, dest); len(got) != 9 {
			t.Fatalf("got %v; want 8 files under a/b and the marker", got)
		}
	}
}

// holds compares through a small buffer: files larger than it, differing
// only far in, must not pass as the same.
func TestHoldsComparesWholeFiles(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320 KB, five buffers
	last := bytes.Clone(big)
	last[len(last)-1] = 'X'
	mid := bytes.Clone(big)
	mid[200<<10] = 'X'
	for _, tc := range []struct {
		name       string
		file, want []byte
		same       bool
	}{
		{"same", big, big, true},
		{"empty", nil, nil, true},
		{"last byte", big, last, false},
		{"middle", big, mid, false},
		{"shorter file", big[:1000], big, false},
		{"longer file", big, big[:1000], true}, // callers compare sizes first
	} {
		if got := holds(bytes.NewReader(tc.file), tc.want); got != tc.same {
			t.Errorf("%s: holds = %v; want %v", tc.name, got, tc.same)
		}
	}
}

// Link keeps a file of the live output under the same or another name, in
// a fresh folder and in a recycled one; writing over a linked file later
// never changes the spare that shares it.
func TestLinkKeepsFilesOfTheLiveOutput(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	link := func(d *Dir, p, from string) {
		t.Helper()
		if err := d.Link(p, from); err != nil {
			t.Fatal(err)
		}
	}
	build(t, dest, Options{}, map[string]string{"index.html": "one", "v1/r/0.js": "role 0", "page.html": "page"})

	// A fresh working folder: the second build keeps two files.
	d, err := Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.recycled {
		t.Fatal("the second build recycled a folder")
	}
	link(d, "page.html", "page.html")
	link(d, "v2/r/0.js", "v1/r/0.js")
	write(t, d, map[string]string{"index.html": "two"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	want := map[string]string{"index.html": "two", "v2/r/0.js": "role 0", "page.html": "page", Marker: markerText}
	if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
		t.Fatalf("after linking into a fresh folder: %v; want %v", got, want)
	}

	// The third build recycles the first one's folder, whose page.html is
	// the live one's file.
	d, err = Open(dest, filepath.Join(root, "src"), Options{SkipSame: true})
	if err != nil {
		t.Fatal(err)
	}
	if !d.recycled {
		t.Fatal("the third build did not recycle a folder")
	}
	link(d, "page.html", "page.html")
	link(d, "v2/r/0.js", "v2/r/0.js")
	write(t, d, map[string]string{"index.html": "three"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	want = map[string]string{"index.html": "three", "v2/r/0.js": "role 0", "page.html": "page", Marker: markerText}
	if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
		t.Fatalf("after linking into a recycled folder: %v; want %v", got, want)
	}

	// The fourth build writes page.html anew: the spare, which shares it,
	// keeps its bytes.
	build(t, dest, Options{SkipSame: true}, map[string]string{"page.html": "new page"})
	if got := publishtest.Tree(t, dest)["page.html"]; got != "new page" {
		t.Errorf("page.html = %q; want the new page", got)
	}
	spares, _ := filepath.Glob(filepath.Join(root, ".public.old-*", "page.html"))
	for _, s := range spares {
		if b, _ := os.ReadFile(s); string(b) != "page" {
			t.Errorf("the spare's page.html now reads %q; want %q", b, "page")
		}
	}

	// Paths outside the site, a file the live output does not have, and a
	// path written twice are refused.
	d, err = Open(dest, filepath.Join(root, "src"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, c := range [][2]string{{"../x", "page.html"}, {"x", "../page.html"}, {"x", "missing.html"}} {
		if err := d.Link(c[0], c[1]); err == nil {
			t.Errorf("Link(%q, %q) succeeded", c[0], c[1])
		}
	}
	link(d, "twice.html", "page.html")
	if err := d.Link("twice.html", "page.html"); err == nil {
		t.Error("linking one path twice succeeded")
	}
}

// Files gives, after Commit, what a listing of the destination finds:
// every file with its size, time and number, whether it was written anew,
// rewritten in place, left as it was, or linked.
func TestFilesMatchAListing(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	listing := func() map[string]FileInfo { return listFiles(t, dest) }
	check := func(what string, d *Dir) {
		t.Helper()
		if got, want := d.Files(), listing(); !maps.Equal(got, want) {
			t.Errorf("%s: Files() = %v; a listing finds %v", what, got, want)
		}
	}
	files := map[string]string{"index.html": "one", "a/b.html": "b", "same.html": "same", "long.html": "a long file"}
	check("a fresh folder", build(t, dest, Options{SkipSame: true}, files))
	files["index.html"], files["long.html"] = "two", "short"
	check("a second fresh folder", build(t, dest, Options{SkipSame: true}, files))
	files["index.html"] = "three"
	check("a recycled folder", build(t, dest, Options{SkipSame: true}, files))

	for _, live := range []bool{false, true} {
		opts := Options{SkipSame: true}
		if live {
			opts.Live = listing()
		}
		d, err := Open(dest, filepath.Join(root, "src"), opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Link("kept.html", "same.html"); err != nil {
			t.Fatal(err)
		}
		if err := d.Link("same.html", "same.html"); err != nil {
			t.Fatal(err)
		}
		if err := d.Link("a/b.html", "a/b.html"); err != nil {
			t.Fatal(err)
		}
		write(t, d, map[string]string{"index.html": fmt.Sprint("four ", live)})
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		d.Wait()
		check(fmt.Sprintf("links, live listing given: %v", live), d)
	}
}

// A spare set aside under the stamp of its output, whose files the next
// build is given, is taken as it is: what the build does not write is
// deleted, folders it renames (Adopt) are followed, and the result is the
// new build's files alone. A spare a failed build set aside is not taken
// for the output it came from.
func TestKnownSparesAreTakenAsTheyAre(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	src := filepath.Join(root, "src")
	listing := func() map[string]FileInfo { return listFiles(t, dest) }
	publishWith := func(opts Options, files map[string]string, links map[string]string, adopt string, abort bool) *Dir {
		t.Helper()
		d, err := Open(dest, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		if adopt != "" {
			if err := d.Adopt("v", adopt); err != nil {
				t.Fatal(err)
			}
		}
		for p, from := range links {
			if err := d.Link(p, from); err != nil {
				t.Fatal(err)
			}
		}
		write(t, d, files)
		if abort {
			if err := d.Abort(); err != nil {
				t.Fatal(err)
			}
			return d
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		d.Wait()
		return d
	}
	// Build 1, then build 2 with build 1's output named s1.
	publishWith(Options{}, map[string]string{"index.html": "1", "gone.html": "g", "old/x.html": "x", "v/a/r/0.js": "r0", "v/a/r/1.js": "r1"}, nil, "", false)
	first := listing()
	publishWith(Options{LiveStamp: "s1", Live: first}, map[string]string{"index.html": "2", "v/b/r/0.js": "r0", "v/b/r/1.js": "r1"}, nil, "", false)
	second := listing()

	// Build 3 recycles build 1's folder, knowing its files.
	d := publishWith(Options{LiveStamp: "s2", Live: second, Spares: map[string]map[string]FileInfo{"s1": first}, SkipSame: true},
		map[string]string{"index.html": "3", "new/y.html": "y"}, map[string]string{"v/c/r/0.js": "v/b/r/0.js"}, "c", false)
	if d.known == nil {
		t.Fatal("the third build did not take the spare named s1 as known")
	}
	want := map[string]string{"index.html": "3", "new/y.html": "y", "v/c/r/0.js": "r0", Marker: markerText}
	if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
		t.Errorf("after a known spare: %v; want %v", got, want)
	}
	if got := d.Files(); !maps.Equal(got, listing()) {
		t.Errorf("Files() = %v; a listing finds %v", got, listing())
	}
	for _, stale := range []string{"old", "v/a", "v/b", "gone.html"} {
		if _, err := os.Lstat(filepath.Join(dest, stale)); err == nil {
			t.Errorf("%s is still there", stale)
		}
	}

	// A build that fails sets its folder (build 2's, named s2) aside under
	// another name: the next build, told of s2, does not trust it.
	third := listing()
	publishWith(Options{LiveStamp: "s3", Live: third, SkipSame: true}, map[string]string{"index.html": "4", "stray.html": "s"}, nil, "", true)
	d = publishWith(Options{LiveStamp: "s3", Live: third, Spares: map[string]map[string]FileInfo{"s2": second}, SkipSame: true},
		map[string]string{"index.html": "5"}, nil, "", false)
	if d.known != nil {
		t.Error("a folder a failed build set aside was taken as known")
	}
	want = map[string]string{"index.html": "5", Marker: markerText}
	if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
		t.Errorf("after a failed build: %v; want %v", got, want)
	}
}

// listFiles lists the files under dir with their details.
func listFiles(t *testing.T, dir string) map[string]FileInfo {
	t.Helper()
	out := map[string]FileInfo{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = Info(fi)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A known spare where a folder stands at a path the new build writes a
// file to, or a file where it makes a folder, ends up holding the new
// build's output.
func TestKnownSparesWhosePathsChangeKind(t *testing.T) {
	for _, c := range []struct {
		name          string
		first, second map[string]string
	}{
		{"a folder becomes a file", map[string]string{"index.html": "1", "img/logo.png": "l"}, map[string]string{"index.html": "3", "img": "now a file"}},
		{"a file becomes a folder", map[string]string{"index.html": "1", "img": "a file"}, map[string]string{"index.html": "3", "img/logo.png": "l"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			dest := filepath.Join(root, "public")
			build(t, dest, Options{}, c.first)
			first := listFiles(t, dest)
			build(t, dest, Options{LiveStamp: "s1", Live: first}, map[string]string{"index.html": "2"})
			d := build(t, dest, Options{LiveStamp: "s2", Live: listFiles(t, dest), Spares: map[string]map[string]FileInfo{"s1": first}, SkipSame: true}, c.second)
			if d.known == nil {
				t.Fatal("the spare named s1 was not taken as known")
			}
			want := maps.Clone(c.second)
			want[Marker] = markerText
			if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
				t.Errorf("got %v; want %v", got, want)
			}
			if got := d.Files(); !maps.Equal(got, listFiles(t, dest)) {
				t.Errorf("Files() = %v; a listing finds %v", got, listFiles(t, dest))
			}
		})
	}
}

// Commit reports whether it set the replaced output aside under its stamp:
// not when something of that name is in the way.
func TestStampedReportsTheNameUsed(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	build(t, dest, Options{}, map[string]string{"index.html": "1"})
	if d := build(t, dest, Options{LiveStamp: "s1"}, map[string]string{"index.html": "2"}); !d.Stamped() {
		t.Error("the first output was not set aside under s1")
	}
	// A file named s2, which no build takes for a spare, is in the way of
	// the next.
	if err := os.WriteFile(filepath.Join(root, ".public.old-s2"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := build(t, dest, Options{LiveStamp: "s2"}, map[string]string{"index.html": "3"}); d.Stamped() {
		t.Error("Stamped reports s2, which another folder holds")
	}
}

// LinkAll keeps what Link would: files the known spare holds already,
// files it holds with other bytes, files in folders it lacks, and it
// refuses what Link refuses.
func TestLinkAllKeepsWhatLinkWould(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	src := filepath.Join(root, "src")
	open := func(opts Options) *Dir {
		t.Helper()
		d, err := Open(dest, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	commit := func(d *Dir) {
		t.Helper()
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		d.Wait()
	}
	// Build 1; build 2 keeps two of its files, by link, and changes one.
	build(t, dest, Options{}, map[string]string{"a/kept.html": "k", "a/changed.html": "c1", "v/1/r/0.js": "r0"})
	first := listFiles(t, dest)
	d := open(Options{LiveStamp: "s1", Live: first})
	if err := d.LinkAll([]string{"a/kept.html", "v/2/r/0.js"}, []string{"a/kept.html", "v/1/r/0.js"}); err != nil {
		t.Fatal(err)
	}
	write(t, d, map[string]string{"a/changed.html": "c2", "b/new.html": "n"})
	commit(d)
	second := listFiles(t, dest)

	// Build 3 recycles build 1's folder, known: a/kept.html is there
	// already; a/changed.html there has the old bytes; b/ and v/2 are not
	// there at all.
	d = open(Options{LiveStamp: "s2", Live: second, Spares: map[string]map[string]FileInfo{"s1": first}, SkipSame: true})
	if d.known == nil {
		t.Fatal("build 3 did not take the spare as known")
	}
	ps := []string{"a/kept.html", "a/changed.html", "b/new.html", "v/3/r/0.js"}
	froms := []string{"a/kept.html", "a/changed.html", "b/new.html", "v/2/r/0.js"}
	if err := d.LinkAll(ps, froms); err != nil {
		t.Fatal(err)
	}
	write(t, d, map[string]string{"index.html": "3"})
	commit(d)
	want := map[string]string{"a/kept.html": "k", "a/changed.html": "c2", "b/new.html": "n", "v/3/r/0.js": "r0", "index.html": "3", Marker: markerText}
	if got := publishtest.Tree(t, dest); !maps.Equal(got, want) {
		t.Errorf("after LinkAll: %v; want %v", got, want)
	}
	if got, listed := d.Files(), listFiles(t, dest); !maps.Equal(got, listed) {
		t.Errorf("Files() = %v; a listing finds %v", got, listed)
	}
	spare, touched := d.Touched()
	if spare != "s1" {
		t.Errorf("Touched names the spare %q; want s1", spare)
	}
	for _, dir := range []string{".", "a", "b", "v", "v/3", "v/3/r"} {
		if !touched[dir] {
			t.Errorf("Touched leaves out %s", dir)
		}
	}
	third := listFiles(t, dest)
	for i, p := range ps {
		if !third[p].same(second[froms[i]]) {
			t.Errorf("%s is not the live output's file", p)
		}
	}

	d = open(Options{Live: third})
	defer d.Abort()
	for _, c := range [][2]string{{"../x", "index.html"}, {"x", "../index.html"}, {"x", "missing.html"}} {
		if err := d.LinkAll([]string{c[0]}, []string{c[1]}); err == nil {
			t.Errorf("LinkAll(%q, %q) succeeded", c[0], c[1])
		}
	}
	if err := d.LinkAll([]string{"twice.html", "twice.html"}, []string{"index.html", "index.html"}); err == nil {
		t.Error("linking one path twice succeeded")
	}
	if err := d.LinkAll([]string{"one.html"}, nil); err == nil {
		t.Error("LinkAll with fewer sources than paths succeeded")
	}
}
