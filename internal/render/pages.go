package render

import (
	"fmt"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/site"
)

// File returns the output file of a page path: "roles/x/" is
// "roles/x/index.html".
func File(pagePath string) string {
	if pagePath == "" || strings.HasSuffix(pagePath, "/") {
		return pagePath + "index.html"
	}
	return pagePath
}

// descriptionLen is where meta descriptions are cut: search engines show
// about this much.
const descriptionLen = 160

// RolePage returns the page of a role.
func RolePage(s *site.Site, r *site.Role) *Page {
	return &Page{
		Site:        s,
		Kind:        "role",
		Path:        r.URL,
		Title:       fmt.Sprintf("%s Interview Questions", r.Title),
		Description: site.Clip(r.SummaryText, descriptionLen),
		Role:        r,
	}
}

// PutRole renders a role page and hands it to the sink.
func (t *Theme) PutRole(s *site.Site, r *site.Role, sink Sink) error {
	return t.put(RolePage(s, r), sink)
}

// SitePages returns every page that depends on all roles: home,
// departments, categories and the 404 page.
func SitePages(s *site.Site) []*Page {
	cfg := s.Config
	pages := []*Page{{
		Site:        s,
		Kind:        "home",
		Title:       firstNonEmpty(s.Home.Title, cfg.Title),
		Description: site.Clip(firstNonEmpty(s.Home.Description, cfg.Description), descriptionLen),
	}}
	for _, d := range s.Departments {
		names := make([]string, len(d.Roles))
		for i, e := range d.Roles {
			names[i] = e.Title
		}
		desc := site.Clip(fmt.Sprintf("Interview guides for %s roles: %s.", d.Name, strings.Join(names, ", ")), descriptionLen)
		pages = appendList(pages, s.DepartmentPages(d), d.URL, func(roles []*site.Entry) *Page {
			return &Page{
				Site:        s,
				Kind:        "department",
				Title:       d.Name + " Interview Questions",
				Description: desc,
				Department:  d,
			}
		})
	}
	for _, c := range s.Categories {
		desc := c.Description
		if desc == "" {
			desc = fmt.Sprintf("Every %s interview question in the guide, by role.", c.Title)
		}
		pages = appendList(pages, s.CategoryPages(c), c.URL, func(roles []*site.Entry) *Page {
			return &Page{
				Site:        s,
				Kind:        "category",
				Title:       c.Title + " Interview Questions",
				Description: site.Clip(desc, descriptionLen),
				Category:    c,
				size:        categorySize(roles, c),
			}
		})
	}
	pages = append(pages, &Page{Site: s, Kind: "search", Path: "search/", Title: "Search", Description: "Search every question, note and FAQ entry in " + cfg.Title + "."})
	pages = append(pages, &Page{Site: s, Kind: "plan", Path: "plan/", Title: "Interview plan", Description: "Questions picked from the roles of " + cfg.Title + ", in the order of an interview, with what to look for in each answer."})
	return append(pages, &Page{Site: s, Kind: "404", Path: "404.html", Title: "Page not found", Description: cfg.Description})
}

// appendList appends the pages of a list cut into pages (see
// site.CategoryPages), each made by page and placed at its path with its
// share of the roles and a pager.
func appendList(pages []*Page, cut [][]*site.Entry, path string, page func([]*site.Entry) *Page) []*Page {
	paths := make([]string, len(cut))
	for i := range cut {
		paths[i] = site.PagePath(path, i+1)
	}
	total := 0
	for _, roles := range cut {
		total += len(roles)
	}
	for i, roles := range cut {
		p := page(roles)
		p.Path, p.Listed = paths[i], roles
		p.Pager = &Pager{Number: i + 1, Roles: total, paths: paths, page: p}
		if i > 0 {
			p.Title = fmt.Sprintf("%s (page %d of %d)", p.Title, i+1, len(cut))
			p.Description = site.Clip(fmt.Sprintf("Page %d of %d. %s", i+1, len(cut), p.Description), descriptionLen)
		}
		pages = append(pages, p)
	}
	return pages
}

// categorySize guesses the size of a category page before it is minified,
// from its questions: with a large page-size a category page is megabytes,
// and a buffer that doubles its way there holds half as much again in
// garbage. The guess counts text as it is in the content; text that
// html/template escapes or percent-encodes (most of it, in a script other
// than Latin) makes the page larger, and the buffer then grows as it would
// have.
func categorySize(roles []*site.Entry, c *site.Category) int {
	n := int64(16 << 10)
	for _, e := range roles {
		if k := int64(e.Refs.Count(c.Index)); k > 0 {
			// The role's heading; each question's anchor and text (its
			// share of the role's), link and list item.
			share := int64(e.Refs.Len()) / max(int64(e.Questions), k) * k
			n += 160 + 2*int64(len(e.Title)) + share + k*(int64(len(e.URL))+48)
		}
	}
	return int(min(n, 1<<30))
}

// bigPage is the size guess above which pages are rendered one at a time.
const bigPage = 1 << 20

// siteFile is a file made from the site model without a layout.
type siteFile struct {
	Name string
	Make func() ([]byte, error)
}

// siteFiles are the sitemap files (see sitemaps), feed and robots.txt.
// pages are SitePages(s).
func siteFiles(s *site.Site, pages []*Page) []siteFile {
	return append(sitemaps(s, pages),
		siteFile{"feed.xml", func() ([]byte, error) { return Feed(s) }},
		siteFile{"robots.txt", func() ([]byte, error) { return Robots(s) }})
}

// PutSitePages renders every page and file that depends on all roles (see
// SitePages, plus sitemap, feed and robots.txt) and hands them to the sink.
// It returns the number of files.
//
// keep, when not nil, is asked first about each page, from several
// goroutines at once: when it reports true, it has put the page's file in
// the sink itself (as an earlier build made it), and the page is not
// rendered.
func (t *Theme) PutSitePages(s *site.Site, sink Sink, keep func(*Page) (bool, error)) (int, error) {
	pages := SitePages(s)
	put := func(p *Page) error {
		if keep != nil {
			if kept, err := keep(p); kept || err != nil {
				return err
			}
		}
		return t.put(p, sink)
	}
	files := siteFiles(s, pages)
	// Pages are rendered on every core, but pages of megabytes (a category
	// page of a large guide with a large page-size) one at a time, as each
	// is held twice while it is minified. The error reported is that of
	// the first file in order, as if they had been made one by one.
	errs := make([]error, len(pages)+len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	g.Go(func() error {
		for i, p := range pages {
			if p.size > bigPage {
				errs[i] = put(p)
			}
		}
		return nil
	})
	for i, p := range pages {
		if p.size <= bigPage {
			g.Go(func() error {
				errs[i] = put(p)
				return nil
			})
		}
	}
	for i, f := range files {
		g.Go(func() error {
			b, err := f.Make()
			if err != nil {
				errs[len(pages)+i] = fmt.Errorf("making %s: %w", f.Name, err)
				return nil
			}
			errs[len(pages)+i] = sink.Put(f.Name, b)
			return nil
		})
	}
	g.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return len(pages) + len(files), nil
}

// SiteFile renders the one file at path (from the site root) that does not
// come from a single role: a site page, sitemap, feed, robots.txt or an
// asset. It reports false if no such file exists.
func (t *Theme) SiteFile(s *site.Site, path string) ([]byte, bool, error) {
	pages := SitePages(s)
	for _, p := range pages {
		if File(p.Path) == path {
			b, err := t.Render(p)
			return b, true, err
		}
	}
	for _, a := range t.assets {
		if a.Path == path {
			return a.Body, true, nil
		}
	}
	if !strings.HasSuffix(path, ".xml") && path != "robots.txt" {
		return nil, false, nil // not worth making the sitemap's list to look
	}
	for _, f := range siteFiles(s, pages) {
		if f.Name == path {
			b, err := f.Make()
			return b, true, err
		}
	}
	return nil, false, nil
}

// SiteFileNames lists the files SiteFile makes, sorted.
func (t *Theme) SiteFileNames(s *site.Site) []string {
	var out []string
	pages := SitePages(s)
	for _, p := range pages {
		out = append(out, File(p.Path))
	}
	for _, f := range siteFiles(s, pages) {
		out = append(out, f.Name)
	}
	for _, n := range t.names {
		out = append(out, t.assets[n].Path)
	}
	slices.Sort(out)
	return out
}

func (t *Theme) put(p *Page, sink Sink) error {
	b, err := t.Render(p)
	if err != nil {
		return err
	}
	return sink.Put(File(p.Path), b)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
