package guide_test

import (
	"context"
	"os"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/build"
)

type discard struct{}

func (discard) Put(string, []byte) error { return nil }

// TestREADMEExamplesBuild builds the guide.yaml and role file shown in the
// README, so the documentation cannot drift from what guide accepts.
func TestREADMEExamplesBuild(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(yaml|markdown)\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) != 2 {
		t.Fatalf("found %d yaml/markdown examples in the README; want guide.yaml and a role file", len(blocks))
	}
	fsys := fstest.MapFS{
		"guide.yaml":                         {Data: blocks[0][2]},
		"content/roles/backend-developer.md": {Data: blocks[1][2]},
		// The example links to this role.
		"content/roles/site-reliability-engineer.md": {Data: []byte("---\ntitle: SRE\ndepartment: Engineering\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n")},
	}
	res, err := build.Run(context.Background(), fsys, build.Options{Theme: guide.Theme}, discard{})
	if err != nil {
		t.Fatalf("the README examples do not build:\n%v", err)
	}
	if len(res.Warnings) > 0 || res.Roles != 2 {
		t.Errorf("got %d roles and warnings %v; want 2 roles, no warnings", res.Roles, res.Warnings)
	}
}
