package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func startWatcher(t *testing.T, root string) <-chan []string {
	t.Helper()
	w, err := newWatcher(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	batches := make(chan []string, 16)
	go w.run(ctx, batches, func(err error) { t.Errorf("watcher: %v", err) })
	return batches
}

func nextBatch(t *testing.T, c <-chan []string) []string {
	t.Helper()
	select {
	case b := <-c:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5s")
	}
	return nil
}

func noBatch(t *testing.T, c <-chan []string) {
	t.Helper()
	select {
	case b := <-c:
		t.Errorf("unexpected batch %q", b)
	case <-time.After(3 * maxWait):
	}
}

func mkfile(t *testing.T, p, data string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherBatchesEditorSaves(t *testing.T) {
	root := t.TempDir()
	mkfile(t, filepath.Join(root, "guide.yaml"), "title: x\n")
	mkfile(t, filepath.Join(root, "content/roles/a.md"), "a")
	mkfile(t, filepath.Join(root, "public/index.html"), "out")
	batches := startWatcher(t, root)

	// Several writes in a row make one batch.
	for i := range 5 {
		mkfile(t, filepath.Join(root, "content/roles/a.md"), string(rune('a'+i)))
	}
	if b := nextBatch(t, batches); !slices.Equal(b, []string{"content/roles/a.md"}) {
		t.Errorf("got %q; want one batch with the file", b)
	}

	// An atomic save: write a temporary file, rename it over the old one.
	tmp := filepath.Join(root, "content/roles/.a.md.swp")
	mkfile(t, tmp, "new")
	if err := os.Rename(tmp, filepath.Join(root, "content/roles/a.md")); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, batches); !slices.Equal(b, []string{"content/roles/a.md"}) {
		t.Errorf("atomic save: got %q; want the file only, not the temporary one", b)
	}

	// guide.yaml at the top counts; output and litter do not.
	mkfile(t, filepath.Join(root, "guide.yaml"), "title: y\n")
	if b := nextBatch(t, batches); !slices.Equal(b, []string{"guide.yaml"}) {
		t.Errorf("got %q; want guide.yaml", b)
	}
	mkfile(t, filepath.Join(root, "public/index.html"), "out2")
	mkfile(t, filepath.Join(root, "content/roles/a.md~"), "backup")
	mkfile(t, filepath.Join(root, "notes.txt"), "not part of the guide")
	noBatch(t, batches)
}

func TestWatcherFollowsNewFolders(t *testing.T) {
	root := t.TempDir()
	mkfile(t, filepath.Join(root, "guide.yaml"), "title: x\n")
	batches := startWatcher(t, root)

	// content/ did not exist when watching began.
	mkfile(t, filepath.Join(root, "content/roles/eng/b.md"), "b")
	b := nextBatch(t, batches)
	for !slices.Contains(b, "content/roles/eng/b.md") {
		b = append(b, nextBatch(t, batches)...)
	}
	// And a file added later to the new folder is seen too.
	mkfile(t, filepath.Join(root, "content/roles/eng/c.md"), "c")
	if b := nextBatch(t, batches); !slices.Equal(b, []string{"content/roles/eng/c.md"}) {
		t.Errorf("got %q; want the new file in the new folder", b)
	}
	// A folder moved out of the guide is reported by its name.
	if err := os.Rename(filepath.Join(root, "content/roles/eng"), filepath.Join(root, "eng-away")); err != nil {
		t.Fatal(err)
	}
	if b := nextBatch(t, batches); !slices.Contains(b, "content/roles/eng") {
		t.Errorf("got %q; want the moved folder", b)
	}
}
