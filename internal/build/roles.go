package build

import (
	"context"
	"crypto/sha256"
	"errors"
	"html/template"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"

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
//
// cached, when not nil, gives the header of a file that an earlier build
// read with the same bytes, which is then not read again.
func scanHeaders(ctx context.Context, src fs.FS, files []string, cfg *config.Config, workers int, diags *diag.List, size *atomic.Int64, cached func(file string) (content.Header, [32]byte, int64, bool)) ([]content.Header, []bool, [][32]byte, error) {
	headers := make([]content.Header, len(files))
	ok := make([]bool, len(files))
	failed := make([]bool, len(files))
	sums := make([][32]byte, len(files))
	c := &collector{diags: diags}
	// The headers an earlier build read are taken in one pass: a
	// goroutine each would cost more than the lookups.
	read := make([]int, 0, len(files))
	for i, file := range files {
		if cached != nil {
			if h, sum, n, found := cached(file); found {
				headers[i], ok[i], sums[i] = h, true, sum
				size.Add(n)
				continue
			}
		}
		read = append(read, i)
	}
	err := each(ctx, len(read), workers, func(_ context.Context, j int) error {
		i := read[j]
		var d diag.List
		defer func() { c.add(d) }()
		data, read := readFile(src, files[i], &d)
		if !read {
			failed[i] = true
			return nil
		}
		sums[i] = sha256.Sum256(data)
		size.Add(int64(len(data)))
		h, found, pd := header(files[i], data, cfg)
		if !found {
			d.Append(pd) // the full parse later would say the same
			failed[i] = true
			return nil
		}
		headers[i], ok[i] = h, h.Slug != "" && h.Title != "" && h.Department != ""
		return nil
	})
	var out []content.Header
	for i, h := range headers {
		if ok[i] {
			out = append(out, h)
		}
	}
	return out, failed, sums, err
}

// header reads a role's header: with content.ScanHeader when it can, else
// by parsing the whole file. It reports false, with the parse's problems,
// when the front-matter cannot be read at all.
func header(file string, data []byte, cfg *config.Config) (content.Header, bool, diag.List) {
	if h, ok := content.ScanHeader(file, data); ok {
		return h, true, nil
	}
	role, d := content.ParseRole(file, data, cfg)
	if role == nil {
		return content.Header{}, false, d
	}
	return role.Header(), true, d
}

// parseRoles parses and resolves every role, in parallel, and sets its
// entry's facts. visit, when not nil, is called with each resolved role (to
// render it) while it is still in memory, and the list for its diagnostics.
//
// done, when not nil, is called with each role file parsed and all its
// diagnostics.
func parseRoles(ctx context.Context, src fs.FS, s *site.Site, files []string, skip []bool, workers int, diags *diag.List, spent *timer, visit func(*site.Role, *diag.List) error, done func(file string, d diag.List)) error {
	c := &collector{diags: diags}
	return each(ctx, len(files), workers, func(_ context.Context, i int) error {
		if skip[i] {
			return nil
		}
		var d diag.List
		defer func() {
			c.add(d)
			if done != nil {
				done(files[i], d)
			}
		}()
		t0 := time.Now()
		r, err := parseRole(src, s, files[i], &d)
		spent.since(t0)
		if err != nil || r == nil {
			return err
		}
		r.Entry.Facts = r.Facts
		if visit != nil {
			return visit(r, &d)
		}
		return nil
	})
}

// parseRole reads, parses and resolves one role file. It returns nil for a
// file that makes no page (unreadable, a draft, the loser of a duplicate
// slug); its problems are in diags either way.
func parseRole(src fs.FS, s *site.Site, file string, diags *diag.List) (*site.Role, error) {
	data, ok := readFile(src, file, diags)
	if !ok {
		return nil, nil
	}
	role, pd := content.ParseRole(file, data, s.Config)
	diags.Append(pd)
	if role == nil {
		return nil, nil
	}
	if _, ok := s.EntryForFile(role.File); !ok {
		return nil, nil
	}
	r, rd, err := s.NewRole(role)
	if err != nil {
		return nil, err
	}
	diags.Append(rd)
	return r, nil
}

// putRole renders a role page to the sink, reporting a layout mistake as a
// diagnostic of the layout file.
func putRole(theme *render.Theme, s *site.Site, r *site.Role, sink render.Sink, diags *diag.List) error {
	err := theme.PutRole(s, r, sink)
	if le := (*render.LayoutError)(nil); errors.As(err, &le) {
		diags.Errorf(le.File, 0, "%v", err)
		return nil
	}
	return err
}

// renderHome renders the home intro, whose links start at the site root.
func renderHome(s *site.Site, h *content.Home, diags *diag.List) site.Home {
	if h == nil {
		return site.Home{}
	}
	env := &markdown.Env{File: content.HomeFile, Root: "", Pages: s.PageForFile, Diags: diags, MinHeading: 2}
	intro, _ := s.Markdown.Block(h.Body.Source, h.Body.Line, env)
	return site.Home{Title: h.Title, Description: h.Description, Intro: template.HTML(intro)}
}
