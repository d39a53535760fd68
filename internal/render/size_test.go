package render

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// testSite models the repository's guide.yaml, with extra lines added,
// and the given role files.
func testSite(t *testing.T, extra string, roles map[string][]byte) *site.Site {
	t.Helper()
	data, err := os.ReadFile("../../guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sitetest.Model(t, append(data, extra...), roles)
	return s
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
// all of a category page, on one page and cut into pages.
func TestCategorySizeGuess(t *testing.T) {
	theme, diags := LoadTheme(guide.Theme, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		name  string
		extra string // added to guide.yaml
		roles map[string][]byte
		slack float64 // how far over the page's size the guess may be
		min   int     // the smallest page that tests the guess
	}{
		{"bundled", "", sitetest.ReadRoles(t, "../.."), 1.25, 0},
		{"many long questions", "page-size: {category: 100000}\n", manyRoles(200), 1.10, 200 << 10},
		{"many long questions, cut into pages", "", manyRoles(200), 1.10, 0},
	} {
		s := testSite(t, tc.extra, tc.roles)
		pages := 0
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
			if got < tc.min {
				t.Fatalf("%s: a page of %d bytes is too small to test the guess", p.Path, got)
			}
			if p.Pager.Number == 1 {
				pages++
			}
		}
		if pages != len(s.Categories) || n < pages {
			t.Errorf("%s: %d category pages, %d of them first; want a first page for each of %d categories", tc.name, n, pages, len(s.Categories))
		}
	}
}
