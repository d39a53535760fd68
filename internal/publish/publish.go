// Package publish writes a built site to a folder atomically.
//
// A Dir renders into a fresh temporary folder beside the destination. Commit
// swaps it into place in one step (an atomic exchange of the two folders on
// Linux, two renames elsewhere); Abort removes the temporary folder. A build
// that fails, or is killed, therefore leaves the destination exactly as it
// was, and a successful one leaves nothing of older builds in it.
//
// Deleting a large old output takes long (tens of thousands of files), so
// Commit moves it aside to a hidden folder beside the destination,
// ".<name>.old-*", and the next Open deletes such folders in the
// background while the next build renders; Wait waits for that.
//
// Because the whole destination is replaced, Open refuses a folder that is
// the source or holds it, and a non-empty folder that guide did not make
// (it recognises its own output by a marker file).
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Marker is the file that marks a folder as guide's output.
const Marker = ".guide-output"

const markerText = "This folder is made by `guide build` and replaced on every build.\n"

// staleAfter is the age after which a temporary folder left by a killed
// build is removed. Younger ones may belong to a build running right now.
const staleAfter = time.Hour

// Dir is a sink that publishes to a destination folder.
type Dir struct {
	dest string
	tmp  string

	mu      sync.Mutex
	dirs    map[string]bool
	files   map[string]bool
	cleanup sync.WaitGroup
}

// Open prepares to publish to dest. source is the guide's folder.
func Open(dest, source string) (*Dir, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	src, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	if within(src, dest) {
		return nil, fmt.Errorf("destination %s is the source folder or holds it; building there would delete the guide", dest)
	}
	if err := checkReplaceable(dest); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	prefix := "." + filepath.Base(dest) + ".tmp-"
	tmp, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, fmt.Errorf("creating a temporary folder beside %s: %w", dest, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	d := &Dir{dest: dest, tmp: tmp, dirs: map[string]bool{".": true}, files: map[string]bool{}}
	d.cleanup.Add(1)
	go func() {
		defer d.cleanup.Done()
		removeStale(parent, dest, tmp)
	}()
	return d, nil
}

// Wait waits until the output of older builds, moved aside by earlier
// commits, has been deleted.
func (d *Dir) Wait() { d.cleanup.Wait() }

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkReplaceable refuses a destination that exists and holds files guide
// did not put there.
func checkReplaceable(dest string) error {
	info, err := os.Stat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("destination %s is a file, not a folder", dest)
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("destination %s holds files that guide did not make; every build replaces the whole folder, so empty it or choose another --destination", dest)
	}
	return nil
}

// removeStale deletes what older builds left beside dest: old outputs they
// moved aside, and temporary folders of builds killed long ago (a younger
// one may belong to a build running right now). mine is this build's.
func removeStale(parent, dest, mine string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	base := "." + filepath.Base(dest)
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(parent, name)
		if !e.IsDir() || p == mine {
			continue
		}
		switch {
		case strings.HasPrefix(name, base+".old-"):
			os.RemoveAll(p)
		case strings.HasPrefix(name, base+".tmp-"):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
				os.RemoveAll(p)
			}
		}
	}
}

// Put writes one file. p is a slash path relative to the site root; a path
// that would leave the folder is refused.
func (d *Dir) Put(p string, body []byte) error {
	if !fs.ValidPath(p) || p == "." || strings.Contains(p, "\\") {
		return fmt.Errorf("refusing to write %q: not a path inside the site", p)
	}
	name := filepath.Join(d.tmp, filepath.FromSlash(p))
	dir := filepath.Dir(p)
	d.mu.Lock()
	if d.files[p] {
		d.mu.Unlock()
		return fmt.Errorf("two pages want to be written to %s", p)
	}
	d.files[p] = true
	mk := !d.dirs[dir]
	d.mu.Unlock()
	if mk {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fmt.Errorf("creating folder for %s: %w", p, err)
		}
		d.mu.Lock()
		d.dirs[dir] = true
		d.mu.Unlock()
	}
	if err := os.WriteFile(name, body, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", p, err)
	}
	return nil
}

// Commit swaps the new output into place and removes the old.
func (d *Dir) Commit() error {
	if err := os.WriteFile(filepath.Join(d.tmp, Marker), []byte(markerText), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", Marker, err)
	}
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			return fmt.Errorf("moving the new site into %s: %w", d.dest, err)
		}
		return nil
	}
	old, err := swap(d.tmp, d.dest)
	if err != nil {
		return fmt.Errorf("moving the new site into %s: %w", d.dest, err)
	}
	// Set the old output aside for the next build to delete.
	aside := filepath.Join(filepath.Dir(d.dest), "."+filepath.Base(d.dest)+".old-"+filepath.Base(old)[len(filepath.Base(d.dest))+6:])
	if err := os.Rename(old, aside); err != nil {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes everything written so far; the destination is untouched.
func (d *Dir) Abort() error {
	return os.RemoveAll(d.tmp)
}
