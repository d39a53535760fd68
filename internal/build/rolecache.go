package build

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"html/template"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/guide-build/guide/internal/cachefile"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/render"
	"github.com/guide-build/guide/internal/search"
	"github.com/guide-build/guide/internal/site"
)

// A role that has not changed since the last build is neither parsed nor
// rendered again. Each build published to a destination leaves, in the
// cache folder beside its record (see record), a roles cache: for every
// role, the bytes of its file (as a hash), its header, and what the pages
// made from every role and the search index need of it (its Facts, with
// the questions the category pages list, and its search terms). The next
// build to the same destination takes a role from the cache when
//
//   - the role file has the same bytes;
//   - everything else every page depends on is the same: the program, the
//     default theme, the options, guide.yaml and every file under content/,
//     layouts/ and assets/ that is not a role file (stamped.context);
//   - the site has the same structure: every role's header, so the same
//     pages at the same addresses (loaded.structure);
//   - the destination holds, untouched, the output of the build that wrote
//     the cache (its record says so, and names the same stamp).
//
// The role's page and search file are then the ones in the destination,
// which the new output links to (publish.Dir.Link), and its warnings are
// the ones the cache kept. Any doubt means a role is built as if there
// were no cache: a full build gives the same bytes, and tests compare the
// two.

// roleCacheFormat changes whenever the cache's layout or the meaning of
// what it holds does. It is part of stamped.context.
const roleCacheFormat = 5

const roleCacheMagic = "guide roles cache\n"

// reuse is what Publish tells Run of the destination's last build.
type reuse struct {
	cache   *roleCache // nil when there is none that fits
	context [32]byte   // this build's stamped.context
	stamp   string     // this build's stamp, which the next cache names
	// sums holds the bytes' hash and size of every input file, as stamp
	// read them, by slash path.
	sums map[string]inputSum
	// roles lists the role files the stamp found, sorted: the build
	// takes them from here rather than listing the folder again.
	roles []string
	// restored holds the role files whose roles the build took from the
	// cache, without reading them.
	restored map[string]bool
	// next is where Run writes the cache for the next build: the slot
	// the last build's record does not name (see roleCachePath). tag,
	// random, names the cache and the search index this build writes as a
	// pair.
	next, tag string
	slot      int
	// layouts says the guide has layouts of its own: a list page may then
	// show anything of any role, so it is made again every time.
	layouts bool
	// index is what the last build's search index saved, read from
	// indexFile, when it belongs with cache.
	index     *search.Saved
	indexFile *os.File
}

type inputSum struct {
	sum  [32]byte
	size int64
}

// lastCaches is the roles cache of dest's last build and the search index
// saved with it, as read before it is known whether they can be used.
type lastCaches struct {
	cache     *roleCache
	index     *search.Saved
	indexFile *os.File
}

// readLastCaches reads the caches the last build of dest left in slot, or
// returns nil. A cache that cannot be read costs this build its shortcut
// only.
func readLastCaches(cacheDir, dest string, slot int) *lastCaches {
	name, err := roleCachePath(cacheDir, dest, slot)
	if err != nil {
		return nil
	}
	c, err := openRoleCache(name)
	if err != nil {
		return nil
	}
	l := &lastCaches{cache: c}
	l.index, l.indexFile = openSavedIndex(indexPath(name), c.tag, c.version)
	return l
}

// close lets go of caches not used.
func (l *lastCaches) close() {
	if l == nil {
		return
	}
	l.cache.Close()
	if l.indexFile != nil {
		l.indexFile.Close()
	}
}

// newReuse returns what Run needs to take roles from last, the caches of
// dest's last build, and to leave one for the next. It uses last only
// where dest is intact and the caches go with rec, its record; else it
// closes them.
func newReuse(cacheDir, dest string, st *stamped, rec *record, intact bool, last *lastCaches) (*reuse, error) {
	r := &reuse{context: st.context, stamp: st.sum, sums: make(map[string]inputSum, len(st.files))}
	if rec != nil {
		r.slot = 1 - rec.Slot
	}
	name, err := roleCachePath(cacheDir, dest, r.slot)
	if err != nil {
		last.close()
		return nil, err
	}
	for i, f := range st.files {
		r.sums[f.Path] = inputSum{st.sums[i], f.Size}
		if isRoleFile(f.Path) {
			r.roles = append(r.roles, f.Path)
		}
		r.layouts = r.layouts || strings.HasPrefix(f.Path, "layouts/")
	}
	if last != nil && intact && rec != nil && last.cache.stamp == rec.Stamp && last.cache.context == st.context {
		r.cache, r.index, r.indexFile = last.cache, last.index, last.indexFile
	} else {
		last.close()
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	r.tag = hex.EncodeToString(rnd[:])
	r.next = name
	return r, nil
}

// Close lets go of the cache read, if any.
func (r *reuse) Close() {
	if r.cache != nil {
		r.cache.Close()
	}
	if r.indexFile != nil {
		r.indexFile.Close()
		r.indexFile = nil
	}
}

// indexPath is where the search index saved with the roles cache at name
// lives, and where a build writes it beside the cache it writes.
func indexPath(name string) string { return name + ".index" }

// openSavedIndex reads the search index saved at name, if it was saved
// with the roles cache of that tag and search version; else it returns
// nil.
func openSavedIndex(name, tag, version string) (*search.Saved, *os.File) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil
	}
	info, err := f.Stat()
	if err == nil {
		s, err := search.ReadSaved(cachefile.Windowed(f), info.Size())
		if err == nil && s.Tag == tag && s.Version == version {
			return s, f
		}
	}
	f.Close()
	return nil, nil
}

// saveIndex returns what writes the search index in a build with a cache:
// it keeps what it can of the last build's index files (see
// search.Index.WriteFrom), and saves what the next build needs beside the
// cache this build writes. A failure to save is not the build's: the next
// build then writes the whole index.
func (g *loaded) saveIndex(r *reuse, sink linker) func(render.Sink) error {
	return func(out render.Sink) error {
		prior := &search.Prior{Ready: func(saved *search.Saved) {
			saved.Tag = r.tag
			writeOver(indexPath(r.next), saved.Save)
		}}
		if r.index != nil && g.changed != nil {
			prior.Saved, prior.Changed, prior.Keep = r.index, g.changed, sink.Link
		}
		_, err := g.index.WriteFrom(g.site, g.version, out.Put, prior)
		return err
	}
}

// roleCachePath is where the roles cache of dest lives in slot 0 or 1.
// Builds take turns: each writes over the slot the last build's record
// does not name, which the build before wrote, and its record names it.
// Writing over a file's bytes costs a third of writing a new file and
// deleting the old one, which frees its blocks: 15 ms for 70 MB, where the
// new file and the rename took 50.
func roleCachePath(cacheDir, dest string, slot int) (string, error) {
	rec, err := recordPath(cacheDir, dest)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(rec, ".record") + "." + strconv.Itoa(slot) + ".roles", nil
}

// writeOver writes a file of name over the bytes it has, from its start,
// with write, and cuts it to what write wrote: see roleCachePath. Where
// that fails, the file is removed.
func writeOver(name string, write func(io.Writer) error) (err error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		var off int64
		if off, err = f.Seek(0, io.SeekCurrent); err == nil {
			err = f.Truncate(off)
		}
	}
	if err1 := f.Close(); err == nil {
		err = err1
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}

// roleCache is a roles cache as read, or as about to be written.
type roleCache struct {
	f         *os.File // the blocks of a cache read are read from it
	stamp     string   // of the build whose output the roles are in
	tag       string   // of the search index saved with it: see reuse.tag
	context   [32]byte
	structure [32]byte
	version   string   // that build's search version
	terms     []string // the search index's dictionary
	roles     map[string]*cachedRole
	order     []string // role files, in the order written
	// pages holds a key of what each list page shows (see pageKey), by
	// path; none when the guide has layouts of its own.
	pages map[string][32]byte
}

// cachedRole is what the cache keeps of one role.
type cachedRole struct {
	sum      [32]byte
	header   content.Header
	facts    site.Facts // Refs read from the cache file
	docs     []byte     // search.Index.Export's documents
	terms    site.Block // and terms
	warnings diag.List
}

func (c *roleCache) Close() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

// The file is a cachefile of roleCacheMagic: its head holds everything but
// the blocks (each role's Refs and search terms, in role order), and their
// lengths; see writeRoleCache for its fields.

// writeRoleCache writes c to name, as a new file.
func writeRoleCache(name string, c *roleCache) error {
	size := 64
	for _, t := range c.terms {
		size += len(t) + 2
	}
	for file, r := range c.roles {
		size += len(file) + len(r.header.Title) + len(r.header.Slug) + len(r.header.Department) + len(r.facts.Summary) +
			len(r.facts.SummaryText) + len(r.docs) + 100
		for _, d := range r.warnings {
			size += len(d.File) + len(d.Message) + 16
		}
	}
	e := cachefile.Enc{B: make([]byte, 0, size+len(c.pages)*64)}
	e.Str(c.stamp)
	e.Str(c.tag)
	e.Raw(c.context[:])
	e.Raw(c.structure[:])
	e.Str(c.version)
	e.Uint(uint64(len(c.terms)))
	for _, t := range c.terms {
		e.Str(t)
	}
	e.Uint(uint64(len(c.order)))
	for _, file := range c.order {
		r := c.roles[file]
		e.Str(file)
		e.Raw(r.sum[:])
		h := r.header
		e.Str(h.Slug)
		e.Str(h.Title)
		e.Str(h.Department)
		e.Bool(h.Draft)
		e.Int(int64(h.Weight))
		e.Uint(uint64(h.SlugLine))
		e.Uint(uint64(h.DepartmentLine))
		e.Str(string(r.facts.Summary))
		e.Str(r.facts.SummaryText)
		t, err := r.facts.Updated.MarshalBinary()
		if err != nil {
			return err
		}
		e.Str(string(t))
		e.Uint(uint64(r.facts.Questions))
		counts := r.facts.Refs.Counts()
		e.Uint(uint64(len(counts)))
		for _, n := range counts {
			e.Uint(uint64(n))
		}
		e.Uint(uint64(r.facts.Refs.Len()))
		e.Str(string(r.docs))
		e.Uint(uint64(r.terms.Len()))
		encodeDiags(&e, r.warnings)
	}
	e.Uint(uint64(len(c.pages)))
	for _, p := range slices.Sorted(maps.Keys(c.pages)) {
		key := c.pages[p]
		e.Str(p)
		e.Raw(key[:])
	}
	return writeOver(name, func(f io.Writer) error {
		return cachefile.Write(f, roleCacheMagic, roleCacheFormat, e.B, func(write func([]byte) error) error {
			var buf []byte
			for _, file := range c.order {
				r := c.roles[file]
				for _, b := range []site.Block{r.facts.Refs.Block, r.terms} {
					data, err := b.Bytes(buf)
					if err != nil {
						return err
					}
					if !b.InMemory() {
						buf = data
					}
					if err := write(data); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
}

// openRoleCache reads the cache at name. Its blocks stay in the file, which
// stays open until Close.
func openRoleCache(name string) (c *roleCache, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	head, off, err := cachefile.Read(f, size, roleCacheMagic, roleCacheFormat)
	if err != nil {
		return nil, err
	}
	d := cachefile.NewDec(head)
	c = &roleCache{f: f, roles: map[string]*cachedRole{}}
	blocks := cachefile.Windowed(f)
	c.stamp = d.Str()
	c.tag = d.Str()
	copy(c.context[:], d.Raw(32))
	copy(c.structure[:], d.Raw(32))
	c.version = d.Str()
	c.terms = make([]string, d.Count(1))
	for i := range c.terms {
		c.terms[i] = d.Str()
	}
	roles := d.Count(1)
	for range roles {
		file := d.Str()
		r := &cachedRole{}
		copy(r.sum[:], d.Raw(32))
		r.header = content.Header{File: file, Slug: d.Str(), Title: d.Str(), Department: d.Str(), Draft: d.Bool(), Weight: int(d.Int()),
			SlugLine: int(d.Uint()), DepartmentLine: int(d.Uint())}
		r.facts.Summary = template.HTML(d.Str())
		r.facts.SummaryText = d.Str()
		if err := r.facts.Updated.UnmarshalBinary([]byte(d.Str())); err != nil {
			return nil, cachefile.ErrDamaged
		}
		r.facts.Questions = int(d.Uint())
		counts := make([]uint32, d.Count(1))
		for i := range counts {
			counts[i] = uint32(d.Uint())
		}
		refs := d.Size(size - 4 - off)
		r.facts.Refs = site.NewRefs(counts, site.Stored(blocks, off, refs))
		off += int64(refs)
		r.docs = []byte(d.Str())
		terms := d.Size(size - 4 - off)
		r.terms = site.Stored(blocks, off, terms)
		off += int64(terms)
		r.warnings = decodeDiags(d)
		if d.Err() != nil {
			return nil, d.Err()
		}
		c.roles[file] = r
		c.order = append(c.order, file)
	}
	c.pages = map[string][32]byte{}
	for range d.Count(33) {
		p := d.Str()
		var key [32]byte
		copy(key[:], d.Raw(32))
		c.pages[p] = key
	}
	if d.Err() != nil || d.Len() > 0 || off != size-4 {
		return nil, cachefile.ErrDamaged
	}
	return c, nil
}

// structureOf hashes the headers a site is made from, in file order.
func structureOf(headers []content.Header) [32]byte {
	h := sha256.New()
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, x := range headers {
		b = b[:0]
		str(x.File)
		str(x.Slug)
		str(x.Title)
		str(x.Department)
		b = strconv.AppendBool(b, x.Draft)
		b = binary.AppendVarint(b, int64(x.Weight))
		h.Write(b)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// linker is a sink that can keep a file of the destination's current
// output, one file or many: see publish.Dir.Link and LinkAll.
type linker interface {
	Link(p, from string) error
	LinkAll(ps, froms []string) error
}

// restore takes every role it can from the cache of the destination's last
// build: the role's facts and search terms, and its page and search file
// from the destination. Those roles are not parsed. From here on, the
// diagnostics of every role are kept, for the next cache.
func (g *loaded) restore(ctx context.Context, r *reuse, sink *counter, diags *diag.List) (int, error) {
	g.roleDiags = map[string]diag.List{}
	c := r.cache
	if c == nil || g.index == nil || c.structure != g.structure || c.context != r.context {
		return 0, nil
	}
	if g.index.Seed(c.terms) != nil {
		return 0, nil
	}
	var kept []*site.Entry
	for i, file := range g.files {
		cr := c.roles[file]
		e, ok := g.site.EntryForFile(file)
		if g.skip[i] || cr == nil || !ok || cr.sum != g.sums[i] || cr.header != e.Header {
			continue
		}
		if g.index.Import(file, cr.docs, cr.terms) != nil {
			continue
		}
		e.Facts = cr.facts
		diags.Append(cr.warnings)
		g.roleDiags[file] = cr.warnings
		g.skip[i] = true
		kept = append(kept, e)
	}
	// The roles to parse again, as the last build indexed them.
	g.changed = map[string]search.Exported{}
	for i, file := range g.files {
		if cr := c.roles[file]; cr != nil && !g.skip[i] {
			g.changed[file] = search.Exported{Docs: cr.docs, Terms: cr.terms}
		}
	}
	r.restored = make(map[string]bool, len(kept))
	ps, froms := make([]string, 0, 2*len(kept)), make([]string, 0, 2*len(kept))
	for _, e := range kept {
		// Unread only if the stamp's bytes are the cache's: else the
		// build read the file for its header (see scanHeaders), and what
		// it read may not be what was stamped.
		if in, ok := r.sums[e.File]; ok && in.sum == c.roles[e.File].sum {
			r.restored[e.File] = true
		}
		page := render.File(e.URL)
		ps, froms = append(ps, page, search.RolePath(g.version, e.Index)), append(froms, page, search.RolePath(c.version, e.Index))
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return len(kept), sink.LinkAll(ps, froms)
}

// nextCache returns the cache of this build, for the next: every role
// parsed or restored without errors. It is called once every role is
// indexed, and before the index is written, which lets go of the terms.
func (g *loaded) nextCache(r *reuse) *roleCache {
	c := &roleCache{stamp: r.stamp, tag: r.tag, context: r.context, structure: g.structure, version: g.version,
		terms: g.index.Dictionary(), roles: map[string]*cachedRole{}, pages: map[string][32]byte{}}
	for i, file := range g.files {
		e, ok := g.site.EntryForFile(file)
		if !ok {
			continue
		}
		docs, terms, ok := g.index.Export(file)
		d, seen := g.roleDiags[file]
		if !ok || !seen || d.HasErrors() {
			continue
		}
		c.roles[file] = &cachedRole{sum: g.sums[i], header: e.Header, facts: e.Facts, docs: docs, terms: terms, warnings: d}
		c.order = append(c.order, file)
	}
	return c
}

// keepPages returns the keep of render.Theme.PutSitePages: a list page (of
// a category or department) that shows what it showed in the last build,
// by its key, is kept from the destination. It sets the key of every list
// page in next.
//
// A list page of the default layouts shows its own roles, what their
// files say, and where it stands in its list: its key (pageKey) hashes
// those, and the cache is used only for a site of the same structure,
// made with the same everything else. Layouts of the guide's own may show
// anything of any role on any page: with them, no page is kept.
func (g *loaded) keepPages(r *reuse, next *roleCache, sink linker) func(*render.Page) (bool, error) {
	if r.layouts {
		return nil
	}
	sums := make(map[string][32]byte, len(g.files))
	for i, f := range g.files {
		sums[f] = g.sums[i]
	}
	for _, p := range render.SitePages(g.site) {
		if p.Pager != nil {
			next.pages[p.Path] = pageKey(p, sums)
		}
	}
	c := r.cache
	if c == nil || c.structure != g.structure {
		return nil
	}
	return func(p *render.Page) (bool, error) {
		key, ok := next.pages[p.Path]
		if old, had := c.pages[p.Path]; !ok || !had || old != key {
			return false, nil
		}
		return true, sink.Link(render.File(p.Path), render.File(p.Path))
	}
}

// pageKey hashes what a list page of the default layouts shows: its kind,
// place in its list, and the file of each role it lists.
func pageKey(p *render.Page, sums map[string][32]byte) [32]byte {
	h := sha256.New()
	var b []byte
	b = append(b, p.Kind...)
	b = append(b, 0)
	b = append(b, p.Path...)
	b = append(b, 0)
	for _, n := range []int{p.Pager.Number, p.Pager.Total(), p.Pager.Roles, len(p.Listed)} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	h.Write(b)
	for _, e := range p.Listed {
		sum := sums[e.File]
		h.Write(binary.AppendUvarint(nil, uint64(len(e.File))))
		h.Write([]byte(e.File))
		h.Write(sum[:])
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// encodeDiags and decodeDiags write and read warnings in a cache file.
func encodeDiags(e *cachefile.Enc, ds []diag.Diagnostic) {
	e.Uint(uint64(len(ds)))
	for _, d := range ds {
		e.Str(d.File)
		e.Uint(uint64(d.Line))
		e.Uint(uint64(d.Col))
		e.Uint(uint64(d.Severity))
		e.Str(d.Message)
	}
}

func decodeDiags(d *cachefile.Dec) diag.List {
	n := d.Count(5)
	if n == 0 {
		return nil
	}
	ds := make(diag.List, n)
	for i := range ds {
		ds[i] = diag.Diagnostic{File: d.Str(), Line: int(d.Uint()), Col: int(d.Uint()), Severity: diag.Severity(d.Uint()), Message: d.Str()}
	}
	return ds
}
