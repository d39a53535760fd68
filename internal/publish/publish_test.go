package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, d *Dir, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := d.Put(name, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
}

// tree returns every file under dir with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCommitReplacesTheWholeFolder(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	d, err := Open(dest, filepath.Join(root, "src"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, map[string]string{"index.html": "one", "roles/old/index.html": "old"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err = Open(dest, filepath.Join(root, "src"))
	if err != nil {
		t.Fatalf("reopening guide's own output: %v", err)
	}
	write(t, d, map[string]string{"index.html": "two", "roles/new/index.html": "new"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dest)
	want := map[string]string{"index.html": "two", "roles/new/index.html": "new", Marker: markerText}
	if len(got) != len(want) {
		t.Fatalf("got files %v; want %v (the old role must be gone)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q; want %q", k, got[k], v)
		}
	}
	// The old output waits aside, hidden, until the next build deletes it.
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.Name() != "public" && !strings.HasPrefix(e.Name(), ".public.old-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	d, err = Open(dest, filepath.Join(root, "src"))
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()
	d.Wait()
	entries, _ = os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("after the next build: %d entries beside public; want none", len(entries)-1)
	}
	if info, _ := os.Stat(dest); info.Mode().Perm() != 0o755 {
		t.Errorf("destination mode %v; want 0755 so a web server can read it", info.Mode().Perm())
	}
}

func TestAbortLeavesDestinationAsItWas(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	d, _ := Open(dest, root+"/src")
	write(t, d, map[string]string{"index.html": "good"})
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	d, _ = Open(dest, root+"/src")
	write(t, d, map[string]string{"index.html": "half-built"})
	if err := d.Abort(); err != nil {
		t.Fatal(err)
	}
	after := tree(t, dest)
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
		_, err := Open(tc.dest, src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%s): got %v; want an error saying %q", tc.dest, err, tc.want)
		}
	}
	if got := tree(t, foreign); got["handwritten.html"] != "mine" {
		t.Errorf("the foreign folder was touched: %v", got)
	}
	// An empty folder and a folder inside the source (public/) are fine.
	for _, dest := range []string{filepath.Join(root, "empty"), filepath.Join(src, "public")} {
		os.MkdirAll(dest, 0o755)
		d, err := Open(dest, src)
		if err != nil {
			t.Errorf("Open(%s): %v", dest, err)
			continue
		}
		d.Abort()
	}
}

func TestPutRefusesPathsOutsideTheSite(t *testing.T) {
	root := t.TempDir()
	d, err := Open(filepath.Join(root, "public"), filepath.Join(root, "src"))
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
	d, err := Open(filepath.Join(root, "public"), filepath.Join(root, "src"))
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
