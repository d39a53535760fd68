//go:build unix

package publish

import (
	"os"
	"path/filepath"
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
