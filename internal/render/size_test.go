package render

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/site"
)

// bundledSite models the repository's own guide, every role parsed.
func bundledSite(t *testing.T) *site.Site {
	t.Helper()
	data, err := os.ReadFile("../../guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Parse(data, "")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, _ := filepath.Glob("../../content/roles/*.md")
	var parsed []*content.Role
	var headers []content.Header
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, diags := content.ParseRole("content/roles/"+filepath.Base(f), data, cfg)
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

// A category page's buffer is sized from its questions before it is
// rendered: never short (the buffer would double its way up), and not far
// over.
func TestCategorySizeGuess(t *testing.T) {
	theme, diags := LoadTheme(guide.Theme, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s := bundledSite(t)
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
		if got := buf.Len(); p.size < got || p.size > got+got/4+16<<10 {
			t.Errorf("%s: guessed %d bytes for a page of %d", p.Path, p.size, got)
		}
	}
	if n != len(s.Categories) {
		t.Errorf("%d category pages; want %d", n, len(s.Categories))
	}
}
