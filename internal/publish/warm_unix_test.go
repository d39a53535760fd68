//go:build unix

package publish

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/guide-build/guide/internal/publish/publishtest"
)

// A spare may hold anything someone put in the output: reading it ahead
// must not follow links out of it or wait on a FIFO.
func TestWarmingSkipsWhatIsNotAFile(t *testing.T) {
	for _, skip := range []bool{false, true} {
		root, dest := twoBuilds(t)
		spares, _ := filepath.Glob(filepath.Join(root, ".public.old-*"))
		if len(spares) != 1 {
			t.Fatalf("spares: %v", spares)
		}
		if err := syscall.Mkfifo(filepath.Join(spares[0], "fifo"), 0o644); err != nil {
			t.Skipf("no FIFOs here: %v", err)
		}
		os.Symlink("/dev/zero", filepath.Join(spares[0], "zero"))
		done := make(chan struct{})
		go func() {
			defer close(done)
			build(t, dest, Options{SkipSame: skip}, map[string]string{"index.html": "three"})
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("SkipSame=%v: a build recycling a folder with a FIFO and a link to /dev/zero never finished", skip)
		}
		if got := publishtest.Tree(t, dest); got["index.html"] != "three" || len(got) != 2 {
			t.Errorf("got %v", got)
		}
	}
}

// warm lists every file and folder, the links and FIFOs among them, for
// prune; stopped before it is done, it lists nothing.
func TestWarmListsTheFolder(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.html", "roles/a/index.html", "roles/b/index.html", "empty/"} {
		p := dir + "/" + name
		folder, ok := strings.CutSuffix(p, "/")
		if !ok {
			folder = filepath.Dir(p)
		}
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		if !ok {
			os.WriteFile(p, []byte(name), 0o644)
		}
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "roles/zero"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	var got *listing
	warm(dir, false, make(chan struct{}), func(l *listing) { got = l })
	if got == nil {
		t.Fatal("no listing")
	}
	slices.Sort(got.files)
	if want := []string{"fifo", "index.html", "roles/a/index.html", "roles/b/index.html", "roles/zero"}; !slices.Equal(got.files, want) {
		t.Errorf("files %v; want %v", got.files, want)
	}
	if want := map[string]bool{"empty": true, "roles": true, "roles/a": true, "roles/b": true}; !maps.Equal(got.dirs, want) {
		t.Errorf("folders %v; want %v", got.dirs, want)
	}
	stop := make(chan struct{})
	close(stop)
	warm(dir, false, stop, func(*listing) { t.Error("a stopped warm gave a listing") })
}
