package render

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/site"
	"github.com/guide-build/guide/internal/site/sitetest"
)

// A category page whose roles' questions wait in a store reads them a
// chunk of roles at a time, in as few calls as their places allow, and
// renders the same bytes as from memory, whatever order they were kept in.
func TestCategoryPagesReadQuestionsByChunk(t *testing.T) {
	theme, diags := LoadTheme(guide.Theme, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	render := func(s *site.Site) (out [][]byte, chunks int) {
		for _, p := range SitePages(s) {
			if p.Kind != "category" {
				continue
			}
			p.theme, p.root = theme, site.Root(p.Path)
			var buf bytes.Buffer
			if err := theme.pages["category"].ExecuteTemplate(&buf, "base.html", p); err != nil {
				t.Fatal(err)
			}
			out = append(out, buf.Bytes())
			chunks += (len(p.Listed) + refsChunk - 1) / refsChunk
		}
		return out, chunks
	}
	for _, shuffled := range []bool{false, true} {
		// Pages of over refsChunk roles.
		s := testSite(t, "page-size: {category: 100000}\n", manyRoles(2*refsChunk+50))
		want, chunks := render(s)
		if chunks <= len(want) {
			t.Fatalf("%d chunks on %d pages: no page has more than one", chunks, len(want))
		}
		order := slices.Clone(s.Roles)
		if shuffled {
			rand.New(rand.NewPCG(5, 6)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		store := &sitetest.Store{}
		for _, e := range order {
			e.Refs = e.Refs.Move(store)
		}
		got, _ := render(s)
		if !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("shuffled=%v: the category pages differ when their questions are read back", shuffled)
		}
		if !shuffled && store.Reads != chunks {
			t.Errorf("%d reads for %d chunks of roles kept in page order; want one each", store.Reads, chunks)
		}
		// A store that fails: the page fails, with the store's error.
		store.FailRead = true
		for _, p := range SitePages(s) {
			if p.Kind != "category" {
				continue
			}
			p.theme, p.root = theme, site.Root(p.Path)
			err := theme.pages["category"].ExecuteTemplate(io.Discard, "base.html", p)
			if !errors.Is(err, site.ErrStore) || !strings.Contains(err.Error(), "input/output error") {
				t.Errorf("%s from a failing store: %v; want site.ErrStore and the cause", p.Path, err)
			}
		}
		store.FailRead = false
	}
}
