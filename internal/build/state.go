package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/render"
	"github.com/guide-build/guide/internal/search"
	"github.com/guide-build/guide/internal/site"
)

// State is a guide kept loaded between builds, for the dev server. It holds
// the site model (every role's header and facts) but no rendered pages:
// Render makes any output file on demand, with the same code and bytes as a
// full build, and Diags reports what a full build would. Apply takes the
// paths of changed files and re-reads only what they affect:
//
//   - a changed role file is parsed again and its facts replaced; if its
//     title, department or weight changed, the site structure is made again
//     around the facts of the other roles;
//   - a changed home intro is parsed again;
//   - changed assets reload the theme;
//   - anything that changes which pages exist or where links lead
//     (guide.yaml, layouts, a role added, removed or renamed, a new slug,
//     a draft flag) loads the whole guide again, as does any change while
//     the guide is too broken to model at all.
//
// State is safe for concurrent use.
type State struct {
	src  fs.FS
	opts Options

	mu    sync.RWMutex
	g     *loaded // nil until the guide first loads
	stale bool    // the last load failed: g is older than the folder
	home  *content.Home
	files map[string]fileState // role files by path
	// Problems: diags of guide.yaml and the theme, siteDiags of the
	// structure; role files' are in files.
	diags     diag.List
	siteDiags diag.List
	homeDiags diag.List // of parsing content/_index.md
	linkDiags diag.List // of rendering its markdown, which depends on the site

	cfgData  []byte            // guide.yaml as last loaded, for the search version
	searchMu sync.Mutex        // guards search, which readers fill in
	search   map[string][]byte // the search files Index.Write made, until the next change
}

// fileState is what State remembers of one role file.
type fileState struct {
	sum    [32]byte // SHA-256 of the bytes last read
	header content.Header
	found  bool // the front-matter could be read to a header
	diags  diag.List
}

// Change says what an Apply did.
type Change struct {
	Reloaded bool      // the whole guide was loaded again
	Assets   []string  // changed asset files ("assets/site.css"), if any
	Changed  bool      // what the site shows may have changed
	Diags    diag.List // every current problem, sorted
}

// CSSOnly reports whether the change touched nothing but stylesheets, so
// that an open page can swap its stylesheet instead of reloading.
func (c Change) CSSOnly() bool {
	if c.Reloaded || len(c.Assets) == 0 {
		return false
	}
	for _, a := range c.Assets {
		if path.Ext(a) != ".css" {
			return false
		}
	}
	return true
}

// Load reads the whole guide into a new State. It fails only on I/O errors;
// problems with the guide are in Diags.
func Load(ctx context.Context, src fs.FS, opts Options) (*State, error) {
	st := &State{src: src, opts: opts}
	if err := st.reload(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// reload loads everything again. If the guide cannot be modelled at all
// (guide.yaml or the theme is broken) the previous model stays for
// rendering, and the state is stale until a load succeeds.
func (st *State) reload(ctx context.Context) error {
	g, diags, err := prepare(ctx, st.src, st.opts)
	if err == nil && g != nil {
		err = g.parse(ctx, &diags, nil)
	}
	if err != nil {
		return err
	}
	if g == nil {
		// Keep what is known of the role files, so that the search files'
		// names stay put while guide.yaml is broken, but report only what
		// a full build would: the problems that stopped it.
		for name, f := range st.files {
			f.diags = nil
			st.files[name] = f
		}
		st.stale, st.diags, st.siteDiags, st.homeDiags, st.linkDiags = true, diags, nil, nil, nil
		return nil
	}
	st.files = map[string]fileState{}
	st.g, st.stale, st.diags, st.siteDiags, st.search = g, false, nil, g.siteDiags, nil
	st.cfgData, _ = readAll(st.src, config.File)
	for _, d := range diags {
		switch {
		case slices.Contains(g.siteDiags, d), d.File == content.HomeFile:
		case isRoleFile(d.File):
			f := st.files[d.File]
			f.diags = append(f.diags, d)
			st.files[d.File] = f
		default:
			st.diags = append(st.diags, d)
		}
	}
	for _, name := range g.files {
		data, err := readAll(st.src, name)
		if err != nil {
			return err
		}
		f := st.files[name]
		f.sum = sha256.Sum256(data)
		f.header, f.found, _ = header(name, data, g.cfg)
		st.files[name] = f
	}
	st.readHome()
	return nil
}

// readHome parses the home intro and renders it again, since its links
// depend on the site.
func (st *State) readHome() {
	st.home, st.homeDiags = nil, nil
	if data, err := readAll(st.src, content.HomeFile); err == nil {
		st.home, st.homeDiags = content.ParseHome(data)
	}
	st.renderHome()
}

func (st *State) renderHome() {
	st.linkDiags = nil
	st.g.site.Home = renderHome(st.g.site, st.home, &st.linkDiags)
}

func readAll(src fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(src, name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return data, err
}

// Diags returns every current problem with the guide, sorted.
func (st *State) Diags() diag.List {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.allDiags()
}

func (st *State) allDiags() diag.List {
	all := slices.Concat(st.diags, st.siteDiags, st.homeDiags, st.linkDiags)
	for _, f := range slices.Sorted(maps.Keys(st.files)) {
		all = append(all, st.files[f].diags...)
	}
	return all.Sort()
}

// Apply brings the state up to date with changed files, given as slash
// paths relative to the source folder. Paths that do not belong to the
// guide are ignored.
func (st *State) Apply(ctx context.Context, paths []string) (Change, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var ch Change
	var roles []string
	home, full := false, st.stale || st.g == nil
	for _, p := range paths {
		switch {
		case p == config.File || strings.HasPrefix(p, "layouts/"):
			full = true
		case strings.HasPrefix(p, "assets/"):
			ch.Assets = append(ch.Assets, p)
		case p == content.HomeFile:
			home = true
		case isRoleFile(p):
			roles = append(roles, p)
		case strings.HasPrefix(p, "content/") && path.Ext(p) == "":
			full = true // a folder appeared, moved or went
		}
	}
	if len(ch.Assets) > 0 && !full {
		theme, d := render.LoadTheme(st.opts.Theme, st.src)
		if theme == nil {
			full = true // a full build would stop at the theme
		} else {
			st.diags = append(removeFiles(st.diags, "assets/"), d...)
			st.g.theme, ch.Changed = theme, true
		}
	}
	if len(roles) > 0 && !full {
		var err error
		if full, err = st.applyRoles(roles, &ch); err != nil {
			return ch, err
		}
	}
	if full {
		if err := st.reload(ctx); err != nil {
			return ch, err
		}
		ch = Change{Reloaded: true, Changed: !st.stale, Diags: st.allDiags()}
		return ch, nil
	}
	switch {
	case home:
		st.readHome()
		ch.Changed = true
	case ch.Changed:
		st.renderHome()
	}
	if ch.Changed {
		st.search = nil
	}
	ch.Diags = st.allDiags()
	return ch, nil
}

// isRoleFile reports whether p, a slash path in the source folder, is a role
// file: a .md file under content/roles with no part of its path starting
// with "_" or ".". roleFiles lists them; State.Apply sorts changed paths by
// it.
func isRoleFile(p string) bool {
	rest, ok := strings.CutPrefix(p, content.RolesDir+"/")
	if !ok || path.Ext(p) != ".md" {
		return false
	}
	for _, part := range strings.Split(rest, "/") {
		if strings.HasPrefix(part, "_") || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

func removeFiles(l diag.List, prefix string) diag.List {
	return slices.DeleteFunc(l, func(d diag.Diagnostic) bool { return strings.HasPrefix(d.File, prefix) })
}

// applyRoles re-reads changed role files. It reports true when the change
// needs a full reload: a role added or removed, or a change to which roles
// make pages at which URLs.
func (st *State) applyRoles(files []string, ch *Change) (bool, error) {
	type parsed struct {
		file string
		data []byte
	}
	var todo []parsed
	restructure := false
	for _, f := range files {
		old, known := st.files[f]
		data, err := readAll(st.src, f)
		if errors.Is(err, fs.ErrNotExist) {
			if known {
				return true, nil
			}
			continue
		}
		if err != nil {
			return false, err
		}
		if !known {
			return true, nil
		}
		sum := sha256.Sum256(data)
		if sum == old.sum {
			continue
		}
		ch.Changed = true
		var d diag.List
		if len(data) > content.MaxFileSize {
			readFile(st.src, f, &d)
			st.files[f] = fileState{sum: sum, diags: d}
			return true, nil
		}
		h, found, pd := header(f, data, st.g.cfg)
		if found != old.found {
			return true, nil
		}
		if h != old.header {
			restructure = true
		}
		st.files[f] = fileState{sum: sum, header: h, found: found, diags: pd}
		if found {
			todo = append(todo, parsed{f, data})
		}
	}
	if restructure && st.restructure() {
		return true, nil
	}
	for _, p := range todo {
		role, d := content.ParseRole(p.file, p.data, st.g.cfg)
		f := st.files[p.file]
		f.diags = d
		if _, ok := st.g.site.EntryForFile(p.file); ok && role != nil {
			r, rd, err := st.g.site.NewRole(role)
			if err != nil {
				return true, nil
			}
			f.diags = append(f.diags, rd...)
			r.Entry.Facts = r.Facts
			st.g.index.Add(r, len(st.g.site.Categories))
		}
		st.files[p.file] = f
	}
	return false, nil
}

// restructure makes the site model again from every file's current header,
// keeping every role's facts. It reports true, changing nothing, when the
// new model has other pages than the old (a slug or draft changed): then
// links elsewhere may resolve differently and only a full load is right.
func (st *State) restructure() bool {
	var headers []content.Header
	for _, f := range st.files {
		if h := f.header; f.found && h.Slug != "" && h.Title != "" && h.Department != "" {
			headers = append(headers, h)
		}
	}
	s, d := site.New(st.g.cfg, st.g.site.Home, headers, st.opts.Drafts)
	old := st.g.site
	if len(s.Roles) != len(old.Roles) {
		return true
	}
	for _, e := range s.Roles {
		prev, ok := old.EntryForFile(e.File)
		if !ok || prev.Slug != e.Slug {
			return true
		}
		e.Facts = prev.Facts
	}
	st.g.site, st.siteDiags = s, d
	return false
}

// Files lists every file a full build of the current model makes.
func (st *State) Files() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.g == nil {
		return nil
	}
	out := st.g.theme.SiteFileNames(st.g.site)
	version := st.version()
	for _, e := range st.g.site.Roles {
		out = append(out, render.File(e.URL), search.RolePath(version, e.Index))
	}
	files, err := st.searchFiles()
	if err == nil {
		for p := range files {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// version names the search files' folder, as the full build would.
func (st *State) version() string {
	files := slices.Sorted(maps.Keys(st.files))
	sums := make([][32]byte, len(files))
	for i, f := range files {
		sums[i] = st.files[f].sum
	}
	return searchVersion(st.cfgData, files, sums, st.opts.Drafts)
}

// searchFiles makes the index's files, once per change. The caller holds
// st.mu, for reading at least.
func (st *State) searchFiles() (map[string][]byte, error) {
	st.searchMu.Lock()
	defer st.searchMu.Unlock()
	if st.search != nil {
		return st.search, nil
	}
	files := map[string][]byte{}
	var mu sync.Mutex
	err := st.g.index.Write(st.g.site, st.version(), func(p string, b []byte) error {
		b = bytes.Clone(b) // Write makes its next file in the same room
		mu.Lock()
		files[p] = b
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	st.search = files
	return files, nil
}

// ErrNotFound is returned by Render for a path the site has no file at.
var ErrNotFound = errors.New("no such file in the site")

// Render makes the output file at p, a slash path from the site root such
// as "roles/backend-developer/index.html", exactly as a full build would.
func (st *State) Render(p string) ([]byte, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.g == nil {
		return nil, ErrNotFound
	}
	s := st.g.site
	if rest, ok := strings.CutPrefix(p, search.Dir); ok && strings.HasSuffix(p, ".js") {
		version := st.version()
		if n, ok := strings.CutPrefix(rest, version+"/r/"); ok {
			i, err := strconv.Atoi(strings.TrimSuffix(n, ".js"))
			if err != nil || i < 0 || i >= len(s.Roles) {
				return nil, ErrNotFound
			}
			var d diag.List
			r, err := parseRole(st.src, s, s.Roles[i].File, &d)
			if err != nil || r == nil {
				return nil, fmt.Errorf("%s has errors: %w", s.Roles[i].File, d.Err())
			}
			return search.RoleFile(r, len(s.Categories)), nil
		}
		files, err := st.searchFiles()
		if err != nil {
			return nil, err
		}
		if b, ok := files[p]; ok {
			return b, nil
		}
		return nil, ErrNotFound
	}
	if slug, ok := strings.CutPrefix(p, site.RolesDir); ok {
		if slug, ok = strings.CutSuffix(slug, "/index.html"); ok {
			e, ok := s.Entry(slug)
			if !ok {
				return nil, ErrNotFound
			}
			var d diag.List
			r, err := parseRole(st.src, s, e.File, &d)
			if err != nil {
				return nil, err
			}
			if r == nil || d.HasErrors() {
				return nil, fmt.Errorf("%s has errors: %w", e.File, d.Err())
			}
			return st.g.theme.Render(render.RolePage(s, r))
		}
	}
	b, ok, err := st.g.theme.SiteFile(s, p)
	if !ok {
		return nil, ErrNotFound
	}
	return b, err
}
