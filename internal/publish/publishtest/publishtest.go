// Package publishtest helps the tests of packages that write output folders.
package publishtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Tree returns every file under dir with its content, by its slash path
// relative to dir.
func Tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
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
