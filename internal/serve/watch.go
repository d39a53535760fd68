package serve

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watched are the parts of a guide folder the server watches: guide.yaml
// sits at the top, the rest are folders watched with everything in them.
var watched = []string{"content", "layouts", "assets"}

// Batching: editors save with several events (write a temporary file,
// rename it over the old one, change its mode). Events are gathered until
// the folder has been quiet for settle, or for at most maxWait after the
// first, and delivered as one batch.
const (
	settle  = 10 * time.Millisecond
	maxWait = 200 * time.Millisecond
)

// watcher turns file system events under a guide folder into batches of
// changed paths, slash-separated and relative to the folder.
type watcher struct {
	root string
	fsw  *fsnotify.Watcher
	dirs map[string]bool // folders being watched
}

func newWatcher(root string) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, fsw: fsw, dirs: map[string]bool{}}
	if err := fsw.Add(root); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, d := range watched {
		if _, err := w.addTree(filepath.Join(root, d)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// addTree watches dir and every folder below it, and returns the files it
// holds: when a folder appears, files may be in it before its watch is.
func (w *watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && ignored(d.Name()) {
				return filepath.SkipDir
			}
			w.dirs[p] = true
			return w.fsw.Add(p)
		}
		files = append(files, p)
		return nil
	})
	return files, err
}

// ignored reports names that are editor or system litter, never content.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, ".tmp") || name == "4913" // vim's write test
}

// relevant reports whether the absolute path p belongs to the guide, and
// returns it relative to the root.
func (w *watcher) relevant(p string) (string, bool) {
	rel, err := filepath.Rel(w.root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "guide.yaml" {
		return rel, true
	}
	top, _, _ := strings.Cut(rel, "/")
	if !slices.Contains(watched, top) {
		return "", false
	}
	for _, part := range strings.Split(rel, "/") {
		if ignored(part) {
			return "", false
		}
	}
	return rel, true
}

// run delivers batches until ctx ends. Errors of the watcher itself (such
// as too many open files) go to errs.
func (w *watcher) run(ctx context.Context, batches chan<- []string, errs func(error)) {
	defer w.fsw.Close()
	pending := map[string]bool{}
	var timer *time.Timer
	var timerC <-chan time.Time
	var first time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			errs(err)
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.note(ev, pending)
			if len(pending) == 0 {
				continue
			}
			now := time.Now()
			if timer == nil {
				first = now
				timer = time.NewTimer(settle)
				timerC = timer.C
			} else {
				timer.Stop()
				timer.Reset(min(settle, maxWait-now.Sub(first)))
			}
		case <-timerC:
			batch := make([]string, 0, len(pending))
			for p := range pending {
				batch = append(batch, p)
			}
			slices.Sort(batch)
			clear(pending)
			timer, timerC = nil, nil
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
		}
	}
}

// note records what one event changed. A new folder is watched at once, and
// the files already in it count as changed.
func (w *watcher) note(ev fsnotify.Event, pending map[string]bool) {
	rel, ok := w.relevant(ev.Name)
	if !ok {
		// A watched folder itself appearing at the top, such as content/.
		if ev.Has(fsnotify.Create) && slices.Contains(watched, filepath.Base(ev.Name)) && filepath.Dir(ev.Name) == w.root {
			rel = filepath.Base(ev.Name)
		} else {
			return
		}
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			files, _ := w.addTree(ev.Name)
			for _, f := range files {
				if r, ok := w.relevant(f); ok {
					pending[r] = true
				}
			}
			return
		}
	}
	if ev.Has(fsnotify.Chmod) && !ev.Has(fsnotify.Write) {
		return // a mode change alone changes no content
	}
	if rel == "" || slices.Contains(watched, rel) {
		return
	}
	if w.dirs[ev.Name] {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			// A folder that moved away is reported by its own name; the
			// files in it are not. build.State reloads everything for a
			// folder's path.
			delete(w.dirs, ev.Name)
			pending[rel] = true
		}
		return
	}
	if filepath.Ext(rel) == "" {
		return // not a guide file: sed's and other tools' temporary files
	}
	pending[rel] = true
}
