package render

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/site"
)

// testSite models the repository's guide.yaml with the given role files,
// every role parsed.
func testSite(t *testing.T, roles map[string][]byte) *site.Site {
	t.Helper()
	data, err := os.ReadFile("../../guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Parse(data, "")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var parsed []*content.Role
	var headers []content.Header
	for _, name := range slices.Sorted(maps.Keys(roles)) {
		r, diags := content.ParseRole("content/roles/"+name, roles[name], cfg)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		parsed = append(parsed, r)
		headers = append(headers, r.Header())
	}
	s, diags := site.New(cfg, site.Home{}, headers, false)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, c := range parsed {
		r, _, err := s.NewRole(c)
		if err != nil {
			t.Fatal(err)
		}
		r.Entry.Facts = r.Facts
	}
	return s
}

// bundledRoles reads the repository's own role files.
func bundledRoles(t *testing.T) map[string][]byte {
	files, _ := filepath.Glob("../../content/roles/*.md")
	roles := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		roles[filepath.Base(f)] = data
	}
	return roles
}

// manyRoles makes n roles of long questions, so that the questions, not the
// page around them, make most of a category page.
func manyRoles(n int) map[string][]byte {
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("index cache latency replication schema migration incident rollback review budget roadmap customer mentoring priority")
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		return "Why " + strings.Join(ws, " ")
	}
	cats := []string{"technical", "behavioral", "situational"}
	roles := map[string][]byte{}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Role %d\ndepartment: Dept %d\nsummary: A role.\nquestions:\n", i, i%4)
		for j := range 12 {
			fmt.Fprintf(&b, "  - q: %s %d?\n    category: %s\n    look-for: Knows it.\n", text(30), j, cats[r.IntN(3)])
		}
		b.WriteString("---\n")
		roles[fmt.Sprintf("role-%d.md", i)] = []byte(b.String())
	}
	return roles
}

// A category page's buffer is sized from its questions before it is
// rendered: not short (the buffer would double its way up), and not far
// over, for the bundled guide and for one where the questions are nearly
// all of a category page.
func TestCategorySizeGuess(t *testing.T) {
	theme, diags := LoadTheme(guide.Theme, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		name  string
		roles map[string][]byte
		slack float64 // how far over the page's size the guess may be
	}{
		{"bundled", bundledRoles(t), 1.25},
		{"many long questions", manyRoles(200), 1.10},
	} {
		s := testSite(t, tc.roles)
		n := 0
		for _, p := range SitePages(s) {
			if p.Kind != "category" {
				continue
			}
			n++
			p.theme, p.root = theme, site.Root(p.Path)
			var buf bytes.Buffer
			if err := theme.pages["category"].ExecuteTemplate(&buf, "base.html", p); err != nil {
				t.Fatal(err)
			}
			got := buf.Len()
			if p.size < got || float64(p.size) > float64(got)*tc.slack+16<<10 {
				t.Errorf("%s, %s: guessed %d bytes for a page of %d", tc.name, p.Path, p.size, got)
			}
			if tc.name == "many long questions" && got < 200<<10 {
				t.Fatalf("%s: a page of %d bytes is too small to test the guess", p.Path, got)
			}
		}
		if n != len(s.Categories) {
			t.Errorf("%s: %d category pages; want %d", tc.name, n, len(s.Categories))
		}
	}
}
