// Package build is the pipeline every command drives: read a guide folder,
// model it as a site, render every page and hand each file to a sink.
//
// The steps, in order:
//
//  1. guide.yaml is parsed and the theme (embedded default plus the guide's
//     layouts/ and assets/) is loaded. Problems here stop the build: without
//     categories or layouts nothing else can be checked.
//  2. Every role file's header (title, slug, department, weight) is read, in
//     parallel. content.ScanHeader does this without a full parse; a file it
//     cannot shortcut is parsed whole.
//  3. site.New fixes the structure: departments, order, URLs.
//  4. Every role is parsed fully, resolved and rendered, in parallel, and its
//     page goes straight to the sink; only the little that cross-role pages
//     need stays in memory.
//  5. The home, department and category pages, 404 page, sitemap, feed,
//     robots.txt and assets are rendered.
//
// Problems in content are collected from every file and returned together as
// a *diag.Errors; the caller then discards what the sink received. The same
// input always gives the same bytes.
package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/render"
	"github.com/guide-build/guide/internal/site"
)

// Options control a build.
type Options struct {
	Theme   fs.FS  // the default theme: a tree with layouts/ and assets/
	BaseURL string // replaces guide.yaml's base-url when not empty
	Drafts  bool   // include roles marked draft
	Workers int    // parallel parsers and renderers; 0 means one per CPU
}

// Result describes a finished build.
type Result struct {
	Roles     int
	Questions int
	Files     int
	Warnings  diag.List
}

// Run builds the guide in src and hands every output file to sink. Content
// errors are returned as a *diag.Errors, other failures (reading, writing)
// as plain errors. Warnings are in the result either way.
func Run(ctx context.Context, src fs.FS, opts Options, sink render.Sink) (*Result, error) {
	res, err := run(ctx, src, opts, sink, false)
	if errors.Is(err, site.ErrStale) {
		// A header shortcut disagreed with a full parse: build again
		// the slow, exact way rather than publish a wrong link.
		res, err = run(ctx, src, opts, sink, true)
	}
	return res, err
}

// counter wraps a sink to count the files it receives.
type counter struct {
	render.Sink
	mu sync.Mutex
	n  int
}

func (c *counter) Put(p string, b []byte) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Sink.Put(p, b)
}

func run(ctx context.Context, src fs.FS, opts Options, out render.Sink, exact bool) (*Result, error) {
	sink := &counter{Sink: out}
	var diags diag.List
	fail := func() (*Result, error) {
		return &Result{Warnings: diags.Warnings().Sort()}, diags.Err()
	}

	cfg := loadConfig(src, opts.BaseURL, &diags)
	if cfg == nil {
		return fail()
	}
	theme, d := render.LoadTheme(opts.Theme, src)
	diags.Append(d)
	if theme == nil {
		return fail()
	}
	files, err := roleFiles(src)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		diags.Errorf(content.RolesDir, 0, "no roles to build: add a role file such as %s/backend-developer.md", content.RolesDir)
		return fail()
	}
	home := loadHome(src, &diags)

	workers := cmp.Or(opts.Workers, runtime.GOMAXPROCS(0))
	headers, failed, err := scanHeaders(ctx, src, files, cfg, workers, exact, &diags)
	if err != nil {
		return nil, err
	}
	s, d := site.New(cfg, site.Home{}, headers, opts.Drafts)
	diags.Append(d)
	s.Home = renderHome(s, home, &diags)

	if err := renderRoles(ctx, src, s, theme, files, failed, workers, sink, &diags); err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return fail()
	}
	if err := theme.PutAssets(sink); err != nil {
		return nil, err
	}
	if _, err := theme.PutSitePages(s, sink); err != nil {
		if le := (*render.LayoutError)(nil); errors.As(err, &le) {
			diags.Errorf(le.File, 0, "%v", err)
			return fail()
		}
		return nil, err
	}
	return &Result{
		Roles:     len(s.Roles),
		Questions: s.QuestionCount(),
		Files:     sink.n,
		Warnings:  diags.Warnings().Sort(),
	}, nil
}

func loadConfig(src fs.FS, baseURL string, diags *diag.List) *config.Config {
	data, err := fs.ReadFile(src, config.File)
	if errors.Is(err, fs.ErrNotExist) {
		diags.Errorf(config.File, 0, "missing: a guide folder has a %s at its root (is --source right?)", config.File)
		return nil
	}
	if err != nil {
		diags.Errorf(config.File, 0, "reading: %v", err)
		return nil
	}
	cfg, d := config.Parse(data, baseURL)
	diags.Append(d)
	return cfg
}

// roleFiles lists the role files: every .md file under content/roles, except
// those whose name starts with "_" or ".", sorted.
func roleFiles(src fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(src, content.RolesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != content.RolesDir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && path.Ext(name) == ".md" {
			files = append(files, p)
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("listing %s: %w", content.RolesDir, err)
	}
	slices.Sort(files)
	return files, nil
}

// readFile reads a content file, refusing one too large to be real content.
func readFile(src fs.FS, name string, diags *diag.List) ([]byte, bool) {
	info, err := fs.Stat(src, name)
	if err == nil && info.Size() > content.MaxFileSize {
		diags.Errorf(name, 0, "file is %d MiB; content files are limited to %d MiB", info.Size()>>20, content.MaxFileSize>>20)
		return nil, false
	}
	data, err := fs.ReadFile(src, name)
	if err != nil {
		diags.Errorf(name, 0, "reading: %v", err)
		return nil, false
	}
	return data, true
}

func loadHome(src fs.FS, diags *diag.List) *content.Home {
	if _, err := fs.Stat(src, content.HomeFile); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	data, ok := readFile(src, content.HomeFile, diags)
	if !ok {
		return nil
	}
	h, d := content.ParseHome(data)
	diags.Append(d)
	return h
}
