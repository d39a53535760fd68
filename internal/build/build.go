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
	"io"
	"io/fs"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/render"
	"github.com/guide-build/guide/internal/search"
	"github.com/guide-build/guide/internal/site"
)

// Options control a build.
type Options struct {
	Theme   fs.FS  // the default theme: a tree with layouts/ and assets/
	BaseURL string // replaces guide.yaml's base-url when not empty
	Drafts  bool   // include roles marked draft
	Workers int    // parallel parsers and renderers; 0 means one per CPU
	// CacheDir is where Publish keeps what it knows of earlier builds, so
	// that a build whose output is already in place does nothing. Empty
	// means no such shortcut.
	CacheDir string
	// TuneGC lets the heap grow further between collections, within a limit
	// that grows with the guide (see tuneGC), for the time of the build. It
	// changes settings of the whole program.
	TuneGC bool
	// NoCache makes Publish use nothing an earlier build left: no shortcut,
	// and every file is written, even where the folder it recycles holds it
	// already.
	NoCache bool

	// reuse, set by Publish, lets the build take unchanged roles from the
	// destination's last build (see roleCache).
	reuse *reuse

	// noIndex leaves the search index out, for BenchmarkIndexCost to
	// measure what it adds to a build.
	noIndex bool
	// shardBudget, when not 0, makes the index's term shards smaller, so
	// that tests split a small guide's terms as a large guide's are.
	shardBudget int
}

// Result describes a finished build.
type Result struct {
	Roles     int
	Questions int
	Files     int
	Warnings  diag.List
	Phases    []Phase // where the time went, for guide build -v
	// UpToDate says the destination already held this build's output, so
	// nothing was rendered or written (see Options.CacheDir).
	UpToDate bool
	// Reused counts the roles taken unchanged from the destination's last
	// build, not parsed or rendered again (see roleCache); Kept, the files
	// taken from there unchanged, theirs and others.
	Reused, Kept int
}

// Phase is one step of a build and how long it took. For steps that run on
// every core, Time is the sum over the goroutines that ran them.
type Phase struct {
	Name string
	Time time.Duration
	// Collections is how many times the garbage collector ran during a
	// step of the build's own, not summed over goroutines: a build's
	// memory limit makes it run more often the more the build holds.
	Collections uint64
}

// adopter is a sink that can reuse an older build's folder under a new
// name: see publish.Dir.Adopt.
type adopter interface {
	Adopt(parent, name string) error
}

// tuneGC sets the garbage collector for a build of role files of size
// bytes and returns what restores it. A build allocates tens of kilobytes
// for every kilobyte it keeps: collecting when the heap is five times what
// survived, rather than twice, saves a collection in two or three. What
// survives is small, because the roles' questions and search terms wait in
// a temporary file (see spill): at its peak, while a category page is
// minified and the search shards are written beside it, about 25 MB and
// 0.6-0.7 bytes for each byte of content (85-95 MB at 10,000 roles of 10
// KB). So the memory limit, which keeps the heap near its goal, is 96 MiB
// and a sixth of the content, and never less than the content itself, so
// that the collector does not run without end on a guide far larger.
//
// A build that takes most roles from the cache (see roleCache) keeps more
// at once: the cache's facts of every role, listings of the output and
// the scores of the terms of the changed roles, 80-120 MB at 10,000 roles.
// Within the limit above it would collect garbage twenty times over; it
// gets 64 MiB more.
func tuneGC(size int64, reusing bool) (restore func()) {
	gc := debug.SetGCPercent(400)
	extra := int64(0)
	if reusing {
		extra = 64 << 20
	}
	limit := debug.SetMemoryLimit(max(96<<20+size/6, size) + extra)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

// collections returns how many times the garbage collector has run.
func collections() uint64 {
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// timer adds up durations from several goroutines.
type timer struct{ ns atomic.Int64 }

func (t *timer) since(start time.Time) { t.ns.Add(int64(time.Since(start))) }

// Run builds the guide in src and hands every output file to sink. Content
// errors are returned as a *diag.Errors, other failures (reading, writing)
// as plain errors. Warnings are in the result either way.
func Run(ctx context.Context, src fs.FS, opts Options, out render.Sink) (*Result, error) {
	sink := &counter{Sink: out}
	var phases []Phase
	mark, gcs := time.Now(), collections()
	lap := func(name string) {
		n := collections()
		phases = append(phases, Phase{Name: name, Time: time.Since(mark), Collections: n - gcs})
		mark, gcs = time.Now(), n
	}
	g, diags, err := prepare(ctx, src, opts)
	if err != nil {
		return nil, err
	}
	lap("config, theme, headers")
	fail := func() (*Result, error) {
		return &Result{Warnings: diags.Warnings().Sort()}, diags.Err()
	}
	if g == nil {
		return fail()
	}
	if opts.TuneGC {
		defer tuneGC(g.size, opts.reuse != nil && opts.reuse.cache != nil)()
	}
	if opts.noIndex {
		g.index = nil
	} else if opts.shardBudget > 0 {
		g.index.SetShardBudget(opts.shardBudget)
	}
	// The search files' folder is named after their version: a sink that
	// recycles an older output can rename the older version's folder, so
	// that unchanged files need not be created again.
	if a, ok := out.(adopter); ok && !opts.noIndex {
		if err := a.Adopt(strings.TrimSuffix(search.Dir, "/"), g.version); err != nil {
			return nil, err
		}
	}
	// What the category pages list of each role, and its terms for the
	// search index, wait in temporary files until they are needed at the
	// end. Where no temporary file can be made, or written, they stay in
	// memory, which only costs memory. The terms have a file of their own,
	// which the index reads through from start to end, a quarter
	// megabyte at a time, five times over (see site.Window).
	sp, err := newStore()
	if err == nil {
		defer sp.Close()
	}
	if g.index != nil {
		if terms, err := newStore(); err == nil {
			defer terms.Close()
			g.index.SetStore(terms)
		}
	}
	// Roles unchanged since the destination's last build are taken from
	// its cache, their pages and search files from the destination.
	reused := 0
	if _, ok := out.(linker); ok && opts.reuse != nil {
		if reused, err = g.restore(ctx, opts.reuse, sink, &diags); err != nil {
			return nil, err
		}
		lap("unchanged roles, from the cache")
	}
	// Each role's page and search file are written as soon as the role is
	// parsed, so that no more than a few roles are in memory at once.
	var pages, roleFiles timer
	err = g.parse(ctx, &diags, func(r *site.Role, d *diag.List) error {
		if sp != nil {
			// On a failed write the questions stay in memory.
			r.Entry.Refs = r.Entry.Refs.Move(sp)
		}
		if !opts.noIndex {
			t0 := time.Now()
			err := sink.Put(search.RolePath(g.version, r.Index), search.RoleFile(r, len(g.site.Categories)))
			roleFiles.since(t0)
			if err != nil {
				return err
			}
		}
		t0 := time.Now()
		defer pages.since(t0)
		return putRole(g.theme, g.site, r, sink, d)
	})
	if err != nil {
		return nil, err
	}
	lap("roles (wall)")
	phases = append(phases,
		Phase{Name: "  parse (cpu)", Time: time.Duration(g.parseTime.ns.Load())},
		Phase{Name: "  search index (cpu)", Time: time.Duration(g.indexTime.ns.Load())},
		Phase{Name: "  search role files (cpu)", Time: time.Duration(roleFiles.ns.Load())},
		Phase{Name: "  role pages (cpu)", Time: time.Duration(pages.ns.Load())})
	if diags.HasErrors() {
		return fail()
	}
	if err := g.theme.PutAssets(sink); err != nil {
		return nil, err
	}
	lap("assets")
	// The cache for the next build is written while the last pages are
	// made; the index lets go of the roles' terms once it is written.
	var next *roleCache
	var keep func(*render.Page) (bool, error)
	if r := opts.reuse; r != nil && g.index != nil {
		next = g.nextCache(r)
		keep = g.keepPages(r, next, sink)
		g.writeIndex = g.saveIndex(r, sink)
	}
	sitePhase, shardsPhase, pagesErr, shardsErr := g.finish(sink, keep, func() error {
		if next == nil {
			return nil
		}
		return writeRoleCache(opts.reuse.next, next)
	})
	lap("site pages, search shards, cache (wall)")
	phases = append(phases, sitePhase, shardsPhase)
	if le := (*render.LayoutError)(nil); errors.As(pagesErr, &le) {
		diags.Errorf(le.File, 0, "%v", pagesErr)
		return fail()
	}
	if err := cmp.Or(pagesErr, shardsErr); err != nil {
		return nil, err
	}
	return &Result{
		Roles:     len(g.site.Roles),
		Questions: g.site.QuestionCount(),
		Files:     sink.n,
		Reused:    reused,
		Kept:      sink.kept,
		Warnings:  diags.Warnings().Sort(),
		Phases:    phases,
	}, nil
}

// finish renders the pages made from every role and writes the search
// index's shards at the same time: they need nothing of each other, and
// the category pages, the largest, are made one after the other, which
// leaves a core for the shards. It returns the wall time and the error of
// each.
//
// save runs at the same time too; a failure to save is not the build's, so
// its error is dropped, and the cache it meant to write is not made.
func (g *loaded) finish(sink render.Sink, keep func(*render.Page) (bool, error), save func() error) (pages, shards Phase, pagesErr, shardsErr error) {
	pages.Name, shards.Name = "  site pages (wall)", "  search shards (wall)"
	var wg sync.WaitGroup
	wg.Go(func() { save() })
	wg.Go(func() {
		t0 := time.Now()
		_, pagesErr = g.theme.PutSitePages(g.site, sink, keep)
		// The category pages were the last to need every role's
		// questions (in memory when there was no temporary file).
		for _, e := range g.site.Roles {
			e.Refs = site.Refs{}
		}
		pages.Time = time.Since(t0)
	})
	wg.Go(func() {
		t0 := time.Now()
		switch {
		case g.index == nil:
		case g.writeIndex != nil:
			shardsErr = g.writeIndex(sink)
		default:
			shardsErr = g.index.WriteOnce(g.site, g.version, sink.Put)
		}
		shards.Time = time.Since(t0)
	})
	wg.Wait()
	return pages, shards, pagesErr, shardsErr
}

// counter wraps a sink to count the files it receives, and of them those
// kept from the destination (see linker).
type counter struct {
	render.Sink
	mu   sync.Mutex
	n    int
	kept int
}

// Link passes on to a sink that is a linker.
func (c *counter) Link(p, from string) error {
	l, ok := c.Sink.(linker)
	if !ok {
		return fmt.Errorf("cannot keep %s: the output is not a folder", p)
	}
	c.mu.Lock()
	c.n++
	c.kept++
	c.mu.Unlock()
	return l.Link(p, from)
}

// LinkAll is Link for many files: see publish.Dir.LinkAll.
func (c *counter) LinkAll(ps, froms []string) error {
	c.mu.Lock()
	c.n += len(ps)
	c.kept += len(ps)
	c.mu.Unlock()
	l, ok := c.Sink.(linker)
	if !ok {
		return fmt.Errorf("cannot keep %d files: the output is not a folder", len(ps))
	}
	return l.LinkAll(ps, froms)
}

func (c *counter) Put(p string, b []byte) error {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.Sink.Put(p, b)
}

// loaded is a guide as the build sees it: everything but the rendered
// pages. prepare makes it up to the site structure; parse reads the roles.
type loaded struct {
	cfg       *config.Config
	theme     *render.Theme
	site      *site.Site
	siteDiags diag.List     // what site.New found: problems across files
	index     *search.Index // nil when the build leaves the index out
	version   string        // of the search files: see searchVersion

	src     fs.FS
	files   []string   // role files
	sums    [][32]byte // the SHA-256 of each one's bytes
	size    int64      // their bytes
	failed  []bool     // role files whose front-matter could not be read
	skip    []bool     // role files not to parse: failed, or taken from a cache
	workers int
	// structure hashes every role's header: see roleCache.
	structure [32]byte
	// writeIndex, when set, writes the search index instead of WriteOnce:
	// see saveIndex.
	writeIndex func(render.Sink) error
	// changed holds what the cache kept of the roles parsed again: see
	// search.Prior.
	changed map[string]search.Exported
	// roleDiags are the diagnostics of each role file, when a cache is
	// to be written.
	roleDiags   map[string]diag.List
	roleDiagsMu sync.Mutex

	parseTime, indexTime timer
}

// prepare reads guide.yaml, the theme, the home intro and every role's
// header, and fixes the site's structure. The guide is nil when guide.yaml
// or the theme cannot be loaded; diagnostics are returned either way.
func prepare(ctx context.Context, src fs.FS, opts Options) (*loaded, diag.List, error) {
	var diags diag.List
	cfg, cfgData := loadConfig(src, opts.BaseURL, &diags)
	if cfg == nil {
		return nil, diags, nil
	}
	theme, d := render.LoadTheme(opts.Theme, src)
	diags.Append(d)
	var err error
	if theme == nil {
		return nil, diags, nil
	}
	// The stamp listed the role files already; a file added since is
	// found out after the build (see changedSince).
	var files []string
	if opts.reuse != nil {
		files = opts.reuse.roles
	} else if files, err = roleFiles(src); err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		diags.Errorf(content.RolesDir, 0, "no roles to build: add a role file such as %s/backend-developer.md", content.RolesDir)
		return nil, diags, nil
	}
	home := loadHome(src, &diags)

	workers := cmp.Or(opts.Workers, runtime.GOMAXPROCS(0))
	var size atomic.Int64
	var cached func(string) (content.Header, [32]byte, int64, bool)
	if r := opts.reuse; r != nil && r.cache != nil {
		cached = func(file string) (content.Header, [32]byte, int64, bool) {
			in, ok := r.sums[file]
			cr := r.cache.roles[file]
			if !ok || cr == nil || cr.sum != in.sum {
				return content.Header{}, [32]byte{}, 0, false
			}
			return cr.header, in.sum, in.size, true
		}
	}
	headers, failed, sums, err := scanHeaders(ctx, src, files, cfg, workers, &diags, &size, cached)
	if err != nil {
		return nil, nil, err
	}
	s, siteDiags := site.New(cfg, site.Home{}, headers, opts.Drafts)
	read := make(map[string]bool, len(headers))
	for _, h := range headers {
		read[h.File] = true
	}
	for _, f := range files {
		if !read[f] {
			s.Broken(f)
		}
	}
	diags.Append(siteDiags)
	s.Home = renderHome(s, home, &diags)
	return &loaded{
		cfg: cfg, theme: theme, site: s, siteDiags: siteDiags, index: search.NewIndex(),
		version: searchVersion(cfgData, files, sums, opts.Drafts),
		src:     src, files: files, sums: sums, failed: failed, skip: slices.Clone(failed), workers: workers, size: size.Load(),
		structure: structureOf(headers),
	}, diags, nil
}

// parse reads, resolves and indexes every role and sets its facts. visit,
// when not nil, is called with each role while it is in memory (the full
// build renders it there).
func (g *loaded) parse(ctx context.Context, diags *diag.List, visit func(*site.Role, *diag.List) error) error {
	cats := len(g.site.Categories)
	var done func(string, diag.List)
	if g.roleDiags != nil {
		done = func(file string, d diag.List) {
			g.roleDiagsMu.Lock()
			g.roleDiags[file] = d
			g.roleDiagsMu.Unlock()
		}
	}
	err := parseRoles(ctx, g.src, g.site, g.files, g.skip, g.workers, diags, &g.parseTime, func(r *site.Role, d *diag.List) error {
		t0 := time.Now()
		if g.index != nil {
			g.index.Add(r, cats)
			g.indexTime.since(t0)
		}
		if visit != nil {
			return visit(r, d)
		}
		return nil
	}, done)
	if errors.Is(err, site.ErrStale) {
		// content.ScanHeader read a header that the full parse disagrees
		// with. Fuzzing says this cannot happen; if it does, stop rather
		// than publish a wrong link.
		err = fmt.Errorf("internal error, please report it: %w", err)
	}
	return err
}

func loadConfig(src fs.FS, baseURL string, diags *diag.List) (*config.Config, []byte) {
	data, err := fs.ReadFile(src, config.File)
	if errors.Is(err, fs.ErrNotExist) {
		diags.Errorf(config.File, 0, "missing: a guide folder has a %s at its root (is --source right?)", config.File)
		return nil, nil
	}
	if err != nil {
		diags.Errorf(config.File, 0, "reading: %v", err)
		return nil, nil
	}
	cfg, d := config.Parse(data, baseURL)
	diags.Append(d)
	return cfg, data
}

// roleFiles lists the role files (see isRoleFile), sorted.
func roleFiles(src fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(src, content.RolesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != content.RolesDir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir // nothing in it is a role
			}
			return nil
		}
		if isRoleFile(p) {
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

// readFile reads a content file, refusing one too large to be real content,
// or that is not a regular file (a FIFO would never end).
func readFile(src fs.FS, name string, diags *diag.List) ([]byte, bool) {
	f, err := src.Open(name)
	if err != nil {
		diags.Errorf(name, 0, "reading: %v", err)
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		diags.Errorf(name, 0, "reading: %v", err)
		return nil, false
	case !info.Mode().IsRegular():
		diags.Errorf(name, 0, "reading: not a regular file but %s", kindOf(info.Mode()))
		return nil, false
	case info.Size() > content.MaxFileSize:
		diags.Errorf(name, 0, "file is %d MiB; content files are limited to %d MiB", info.Size()>>20, content.MaxFileSize>>20)
		return nil, false
	}
	// One byte more than the file holds, so that the read that finds its
	// end is the second, as os.ReadFile does.
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, true
		}
		if err != nil {
			diags.Errorf(name, 0, "reading: %v", err)
			return nil, false
		}
		if len(data) > content.MaxFileSize {
			diags.Errorf(name, 0, "file grew past %d MiB while read; content files are limited to %d MiB", content.MaxFileSize>>20, content.MaxFileSize>>20)
			return nil, false
		}
		if len(data) == cap(data) {
			data = slices.Grow(data, 4096)
		}
	}
}

// kindOf names the kind of a file that is not a regular file.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
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
