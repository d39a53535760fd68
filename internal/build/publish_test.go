package build

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"
)

// writeGuide puts the small test guide on disk.
func writeGuide(t *testing.T, dir string) {
	t.Helper()
	for name, f := range smallGuide(t) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file under dir, with its mode and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var body []byte
		if !d.IsDir() {
			if body, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[p] = info.Mode().String() + " " + info.ModTime().String() + " " + string(body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFailedBuildKeepsOldOutput(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(src, "public")
	opts := Options{Theme: guide.Theme}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dest)
	if len(before) < 20 {
		t.Fatalf("only %d entries in the first build", len(before))
	}

	// Break one role and add a new one: nothing of either may appear.
	broken := "---\ntitle: Broken\ndepartment: Eng\nsummary: S\nquestions:\n  - q: Q?\n    category: nope\n    look-for: L\n---\n"
	os.WriteFile(filepath.Join(src, "content/roles/broken.md"), []byte(broken), 0o644)
	os.WriteFile(filepath.Join(src, "content/roles/new-role.md"), []byte("---\ntitle: New\ndepartment: Eng\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n"), 0o644)
	_, err := Publish(context.Background(), src, dest, opts)
	var de *diag.Errors
	if !errors.As(err, &de) {
		t.Fatalf("got %v; want content errors", err)
	}
	if after := snapshot(t, dest); !maps.Equal(before, after) {
		t.Errorf("a failed build changed the destination")
	}
	assertNoLeftovers(t, src)

	// A build interrupted part way leaves it alone too.
	os.Remove(filepath.Join(src, "content/roles/broken.md"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Publish(ctx, src, dest, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want context.Canceled", err)
	}
	if after := snapshot(t, dest); !maps.Equal(before, after) {
		t.Errorf("an interrupted build changed the destination")
	}
	assertNoLeftovers(t, src)

	// And a good build replaces it.
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "roles/new-role/index.html")); err != nil {
		t.Errorf("the new role is missing after a good build: %v", err)
	}
}

func assertNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*"))
	if len(matches) > 0 {
		t.Errorf("temporary folders left behind: %v", matches)
	}
}

func TestBuildRefusesSourceAsDestination(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	before := snapshot(t, src)
	_, err := Publish(context.Background(), src, src, Options{Theme: guide.Theme})
	if err == nil {
		t.Fatal("building into the source folder succeeded")
	}
	if after := snapshot(t, src); !maps.Equal(before, after) {
		t.Errorf("the source folder changed")
	}
}
