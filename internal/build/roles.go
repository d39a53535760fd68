package build

import (
	"context"
	"errors"
	"html/template"
	"io/fs"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/markdown"
	"github.com/guide-build/guide/internal/render"
	"github.com/guide-build/guide/internal/site"
)

// each runs fn for every index in [0, n) on workers goroutines, stopping at
// the first error.
func each(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(gctx, i) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// collector gathers diagnostics from parallel workers.
type collector struct {
	mu    sync.Mutex
	diags *diag.List
}

func (c *collector) add(d diag.List) {
	if len(d) == 0 {
		return
	}
	c.mu.Lock()
	c.diags.Append(d)
	c.mu.Unlock()
}

// scanHeaders reads every role's header. Files whose front-matter cannot be
// read at all are reported and marked failed, so they are not parsed again.
func scanHeaders(ctx context.Context, src fs.FS, files []string, cfg *config.Config, workers int, exact bool, diags *diag.List) ([]content.Header, []bool, error) {
	headers := make([]content.Header, len(files))
	ok := make([]bool, len(files))
	failed := make([]bool, len(files))
	c := &collector{diags: diags}
	err := each(ctx, len(files), workers, func(_ context.Context, i int) error {
		var d diag.List
		defer func() { c.add(d) }()
		data, read := readFile(src, files[i], &d)
		if !read {
			failed[i] = true
			return nil
		}
		if !exact {
			if h, found := content.ScanHeader(files[i], data); found {
				headers[i], ok[i] = h, true
				return nil
			}
		}
		role, pd := content.ParseRole(files[i], data, cfg)
		if role == nil {
			d.Append(pd) // the full parse later would say the same
			failed[i] = true
			return nil
		}
		if role.Slug != "" && role.Title != "" && role.Department != "" {
			headers[i], ok[i] = role.Header(), true
		}
		return nil
	})
	var out []content.Header
	for i, h := range headers {
		if ok[i] {
			out = append(out, h)
		}
	}
	return out, failed, err
}

// renderRoles parses, resolves and renders every role, handing each page to
// the sink as soon as it is made.
func renderRoles(ctx context.Context, src fs.FS, s *site.Site, theme *render.Theme, files []string, failed []bool, workers int, sink render.Sink, diags *diag.List) error {
	c := &collector{diags: diags}
	return each(ctx, len(files), workers, func(_ context.Context, i int) error {
		if failed[i] {
			return nil
		}
		var d diag.List
		defer func() { c.add(d) }()
		data, ok := readFile(src, files[i], &d)
		if !ok {
			return nil
		}
		role, pd := content.ParseRole(files[i], data, s.Config)
		d.Append(pd)
		if role == nil {
			return nil
		}
		if _, ok := s.EntryForFile(role.File); !ok {
			return nil // a draft, or the loser of a duplicate slug: checked, not built
		}
		r, rd, err := s.NewRole(role)
		if err != nil {
			return err
		}
		d.Append(rd)
		if err := theme.PutRole(s, r, sink); err != nil {
			if le := (*render.LayoutError)(nil); errors.As(err, &le) {
				d.Errorf(le.File, 0, "%v", err)
				return nil
			}
			return err
		}
		return nil
	})
}

// renderHome renders the home intro, whose links start at the site root.
func renderHome(s *site.Site, h *content.Home, diags *diag.List) site.Home {
	if h == nil {
		return site.Home{}
	}
	env := &markdown.Env{File: content.HomeFile, Root: "", Pages: s.PageForFile, Diags: diags}
	intro, _ := s.Markdown.Block(h.Body.Source, h.Body.Line, env)
	return site.Home{Title: h.Title, Description: h.Description, Intro: template.HTML(intro)}
}
