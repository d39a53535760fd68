// Package site is the model of a guide as a website: which pages exist, what
// they are called, where they live and how they link to each other. It does
// no I/O.
//
// A Site is made in two steps so that a build can stream roles through
// rendering instead of holding every role in memory:
//
//  1. New takes the configuration, the home intro and every role's Header
//     (title, slug, department, weight) and fixes the structure: the
//     departments and their order, the order of roles, each page's URL.
//  2. NewRole turns one parsed role into the fully resolved Role its page is
//     rendered from (markdown rendered, anchors assigned, related roles
//     picked), and records on the role's Entry the little that cross-role
//     pages need: summary, date, questions by category.
//
// Page paths are relative to the site root and end in a slash for pages
// ("roles/backend-developer/"); links between pages are made relative with
// Rel, so the output works under any subpath and from disk.
package site

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/markdown"
)

// Site is the structure of a guide.
type Site struct {
	Config      *config.Config
	Home        Home
	Roles       []*Entry // in display order: by department, then weight, title
	Departments []*Department
	Categories  []*Category
	Markdown    *markdown.Markdown

	CTA *CTA

	bySlug map[string]*Entry
	byFile map[string]*Entry
	drafts map[string]bool // slugs of drafts left out
	broken map[string]bool // slugs the role files that could not be read may have
}

// CTA is the call to action at the end of role pages, ready for a page two
// folders deep.
type CTA struct {
	Heading  string
	Text     template.HTML
	LinkText string
	Link     string
}

// Home is the home page intro.
type Home struct {
	Title       string
	Description string
	Intro       template.HTML
}

// Entry is a role as the rest of the site sees it: its header, fixed by
// New, and its Facts, set by the caller from NewRole once the role has been
// parsed. Cross-role pages read Facts only after every role's are set.
type Entry struct {
	content.Header
	URL        string // "roles/<slug>/"
	Department *Department
	Index      int // position in Site.Roles
	Facts
}

// Facts is what cross-role pages show about a role, taken from its file.
type Facts struct {
	Summary     template.HTML
	SummaryText string
	Updated     time.Time
	Questions   int
	Refs        Refs // questions by category, for the category pages
}

// Department is a group of roles.
type Department struct {
	Name  string
	Slug  string
	URL   string // "departments/<slug>/"
	Index int    // position in Site.Departments
	Roles []*Entry
}

// Category is a question category with the URL of its page.
type Category struct {
	config.Category
	URL   string // "categories/<key>/"
	Index int
}

// Page paths.
const (
	RolesDir       = "roles/"
	CategoriesDir  = "categories/"
	DepartmentsDir = "departments/"
)

// New fixes the structure of the site from every role's header. Drafts are
// left out unless drafts is true. It reports duplicate slugs and clashing
// department names.
func New(cfg *config.Config, home Home, headers []content.Header, drafts bool) (*Site, diag.List) {
	var diags diag.List
	s := &Site{
		Config:   cfg,
		Home:     home,
		Markdown: markdown.New(cfg.UnsafeHTML),
		bySlug:   map[string]*Entry{},
		byFile:   map[string]*Entry{},
		drafts:   map[string]bool{},
	}
	for i, c := range cfg.Categories {
		s.Categories = append(s.Categories, &Category{Category: c, URL: CategoriesDir + c.Key + "/", Index: i})
	}

	headers = slices.Clone(headers)
	slices.SortFunc(headers, func(a, b content.Header) int { return cmp.Compare(a.File, b.File) })
	depts := map[string]*Department{}
	deptSlugs := map[string]content.Header{} // the first role of each department page
	for _, h := range headers {
		if h.Draft && !drafts {
			s.drafts[h.Slug] = true
			continue
		}
		if prev, dup := s.bySlug[h.Slug]; dup {
			// Report it where a slug: field made the clash, if one did.
			here, there := h, prev.Header
			if here.SlugLine == 0 && there.SlugLine > 0 {
				here, there = there, here
			}
			how := ""
			if there.SlugLine == 0 {
				how = " by its file name"
			}
			diags.Errorf(here.File, here.SlugLine, "duplicate slug %q: %s has it too%s; rename one file or set slug:", h.Slug, at(there.File, there.SlugLine), how)
			continue
		}
		d := depts[h.Department]
		if d == nil {
			slug := content.Slugify(h.Department)
			if other, clash := deptSlugs[slug]; clash {
				diags.Errorf(h.File, h.DepartmentLine, "department %q makes the same page as %q of %s (departments/%s/); use one spelling",
					h.Department, other.Department, at(other.File, other.DepartmentLine), slug)
				continue
			}
			if slug == "" {
				diags.Errorf(h.File, h.DepartmentLine, "department %q has no letters or digits to name its page", h.Department)
				continue
			}
			deptSlugs[slug] = h
			d = &Department{Name: h.Department, Slug: slug, URL: DepartmentsDir + slug + "/"}
			depts[h.Department] = d
		}
		e := &Entry{Header: h, URL: RolesDir + h.Slug + "/", Department: d}
		d.Roles = append(d.Roles, e)
		s.bySlug[h.Slug] = e
		s.byFile[h.File] = e
	}
	if len(s.bySlug) == 0 && len(s.drafts) > 0 && !diags.HasErrors() {
		diags.Errorf(content.RolesDir, 0, "every role is a draft: build with --drafts to see them, or set draft: false")
	}

	s.Departments = orderDepartments(cfg, depts, &diags)
	for i, d := range s.Departments {
		d.Index = i
		slices.SortFunc(d.Roles, func(a, b *Entry) int {
			return cmp.Or(compareWeight(a.Weight, b.Weight), cmp.Compare(a.Title, b.Title), cmp.Compare(a.Slug, b.Slug))
		})
		for _, e := range d.Roles {
			e.Index = len(s.Roles)
			s.Roles = append(s.Roles, e)
		}
	}
	if c := cfg.CTA; c != nil {
		env := &markdown.Env{File: config.File, Root: PageRoot, Pages: s.PageForFile, Diags: &diags}
		text, _ := s.Markdown.Inline(c.Text, 0, env)
		s.CTA = &CTA{Heading: c.Heading, Text: template.HTML(text), LinkText: c.LinkText, Link: siteLink(c.Link, PageRoot)}
	}
	return s, diags
}

// Broken tells the site that the role file could not be read: a role that
// names it under related, by the slug its file name gives, is not
// reported, since the file's own errors are.
func (s *Site) Broken(file string) {
	if s.broken == nil {
		s.broken = map[string]bool{}
	}
	s.broken[content.FileSlug(file)] = true
}

// siteLink makes a link from guide.yaml usable on a page whose root is root:
// absolute URLs stay, paths are taken from the site root.
func siteLink(link, root string) string {
	if u, err := url.Parse(link); err == nil && (u.Scheme != "" || u.Host != "") {
		return link
	}
	return root + strings.TrimPrefix(link, "/")
}

// compareWeight sorts lower weights first and unweighted (0) roles last.
func compareWeight(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// orderDepartments puts the departments guide.yaml lists first, in its order,
// and the rest alphabetically. A department a role names that is close to a
// listed one is probably a typo and gets a warning.
func orderDepartments(cfg *config.Config, depts map[string]*Department, diags *diag.List) []*Department {
	var out []*Department
	for _, name := range cfg.Departments {
		if d, ok := depts[name]; ok {
			out = append(out, d)
		}
	}
	var rest []*Department
	for name, d := range depts {
		if !slices.Contains(cfg.Departments, name) {
			rest = append(rest, d)
			if len(cfg.Departments) > 0 {
				diags.Warnf(d.Roles[0].File, d.Roles[0].DepartmentLine, "department %q is not in the departments list of guide.yaml (%s); it is shown after them",
					name, strings.Join(cfg.Departments, ", "))
			}
		}
	}
	slices.SortFunc(rest, func(a, b *Department) int { return cmp.Compare(a.Name, b.Name) })
	return append(out, rest...)
}

// Entry returns the role with the given slug.
func (s *Site) Entry(slug string) (*Entry, bool) {
	e, ok := s.bySlug[slug]
	return e, ok
}

// EntryForFile returns the role made from the given content file.
func (s *Site) EntryForFile(file string) (*Entry, bool) {
	e, ok := s.byFile[file]
	return e, ok
}

// PageForFile maps a content file to its page path, for links in markdown.
func (s *Site) PageForFile(file string) (string, bool) {
	if file == content.HomeFile {
		return "", true
	}
	if e, ok := s.byFile[file]; ok {
		return e.URL, true
	}
	return "", false
}

// QuestionCount returns the number of questions in the guide.
func (s *Site) QuestionCount() int {
	n := 0
	for _, e := range s.Roles {
		n += e.Questions
	}
	return n
}

// Root returns the relative path from the page at p to the site root.
func Root(p string) string {
	return strings.Repeat("../", strings.Count(p, "/"))
}

// at names a place in a file as an error message does: "file:line", or the
// file alone when the line is not known.
func at(file string, line int) string {
	if line > 0 {
		return file + ":" + strconv.Itoa(line)
	}
	return file
}
