// Package config reads guide.yaml, the site configuration at the root of a
// guide folder, into a validated Config with defaults filled in.
//
// The keys, all lower-case with dashes:
//
//	title          site title (required)
//	description    one sentence for the home page and meta tags
//	base-url       absolute http(s) URL the site is served from, possibly with
//	               a subpath; required unless given on the command line
//	language       BCP 47 tag for <html lang>, default "en"
//	categories     ordered list of {key, title, description}; keys are
//	               lower-case a-z, 0-9 and dashes (required, at least one)
//	departments    optional list giving the order of departments on the home
//	               page; departments not listed follow alphabetically
//	cta            optional {heading, text, link-text, link} shown on role pages
//	page-size      optional {category, department, home}: how much a page
//	               lists before the rest goes on further pages (see PageSize)
//	unsafe-html    let raw HTML in markdown through (default false)
package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/node"
)

// File is the name of the configuration file in a guide folder.
const File = "guide.yaml"

// Config is a validated guide.yaml.
type Config struct {
	Title       string
	Description string
	BaseURL     *url.URL // absolute, path ends in "/"
	Language    string
	Categories  []Category
	Departments []string
	CTA         *CTA
	PageSize    PageSize
	UnsafeHTML  bool
}

// PageSize is how much a page that lists roles shows. A large guide's list
// would otherwise be one page of megabytes, slow to open on a phone: a
// category page goes on over further pages once it lists Category
// questions, a department page once it lists Department roles, and the
// home page shows a department's first Home roles and links to the
// department page for the rest. A role is never split across two pages.
type PageSize struct {
	Category   int
	Department int
	Home       int
}

// DefaultPageSize keeps a list page to about 100 KB before compression.
var DefaultPageSize = PageSize{Category: 400, Department: 100, Home: 24}

// Category is one question category, in the order the guide lists them.
type Category struct {
	Key         string
	Title       string
	Description string
}

// CTA is the call-to-action block shown at the end of role pages.
type CTA struct {
	Heading  string
	Text     string // inline markdown
	LinkText string
	Link     string
}

// Category returns the category with the given key.
func (c *Config) Category(key string) (Category, bool) {
	for _, cat := range c.Categories {
		if cat.Key == key {
			return cat, true
		}
	}
	return Category{}, false
}

// CategoryKeys returns the category keys in order.
func (c *Config) CategoryKeys() []string {
	keys := make([]string, len(c.Categories))
	for i, cat := range c.Categories {
		keys[i] = cat.Key
	}
	return keys
}

// PageIDs are the element ids the default layouts give parts of a page, and
// IDPrefixes the prefixes of the ids they make (questions, FAQ entries,
// search results, departments, roles). A category key becomes the id of its
// section on role pages, so it may be neither; headings in markdown are
// kept clear of both too.
var (
	PageIDs = []string{"main", "top", "questions", "faq", "related", "search", "summary", "intro", "cta",
		"toc-title", "cta-title", "by-category", "search-input", "search-listbox", "search-page-input", "guide-errors"}
	IDPrefixes = []string{"q-", "faq-", "sr-", "dept-", "r-", "h-"}
)

var (
	keyPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langPattern = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
)

// Parse reads guide.yaml. baseURL, when not empty, replaces the file's
// base-url (the --base-url flag). Every problem found is returned; the
// Config is nil when there are errors.
func Parse(data []byte, baseURL string) (*Config, diag.List) {
	var diags diag.List
	r := &node.Reader{File: File, Diags: &diags}
	doc := r.ParseYAML(data)
	if doc == nil {
		return nil, diags
	}
	m, ok := r.Root(doc, File)
	if !ok {
		return nil, diags
	}
	c := &Config{
		Title:       m.String("title", true),
		Description: m.String("description", false),
		Language:    m.String("language", false),
		UnsafeHTML:  m.Bool("unsafe-html"),
	}
	if c.Language == "" {
		c.Language = "en"
	} else if !langPattern.MatchString(c.Language) {
		diags.Errorf(File, m.Line("language"), "language: %q is not a language tag like en or en-GB", c.Language)
	}

	rawBase := m.String("base-url", baseURL == "")
	line := m.Line("base-url")
	if baseURL != "" {
		rawBase, line = baseURL, 0
	}
	if rawBase != "" {
		u, err := ParseBaseURL(rawBase)
		if err != nil {
			diags.Errorf(File, line, "base-url: %v", err)
		}
		c.BaseURL = u
	}

	c.Categories = categories(&m, &diags)
	c.Departments = departments(&m, &diags)
	c.CTA = cta(&m, &diags)
	c.PageSize = pageSize(&m)
	m.Done()
	if diags.HasErrors() {
		return nil, diags
	}
	return c, diags
}

// ParseBaseURL checks that s is an absolute http or https URL and returns it
// with a path that ends in a slash.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", s)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q must be an absolute http:// or https:// URL, like https://example.org/guide/", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not have a query or fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

func categories(m *node.Map, diags *diag.List) []Category {
	items := m.Maps("categories", true, "category")
	var out []Category
	seen := map[string]int{}
	for _, it := range items {
		cat := Category{
			Key:         it.String("key", true),
			Title:       it.String("title", true),
			Description: it.String("description", false),
		}
		it.Done()
		if cat.Key == "" {
			continue
		}
		line := it.Line("key")
		if !keyPattern.MatchString(cat.Key) {
			diags.Errorf(File, line, "%s: key %q may only hold a-z, 0-9 and single dashes", it.Path(), cat.Key)
			continue
		}
		if reservedID(cat.Key) {
			diags.Errorf(File, line, "%s: key %q is an id the page layout uses; choose another", it.Path(), cat.Key)
			continue
		}
		if first, dup := seen[cat.Key]; dup {
			diags.Errorf(File, line, "%s: duplicate category key %q (first on line %d)", it.Path(), cat.Key, first)
			continue
		}
		seen[cat.Key] = line
		out = append(out, cat)
	}
	return out
}

func reservedID(id string) bool {
	for _, p := range IDPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	for _, r := range PageIDs {
		if id == r {
			return true
		}
	}
	return false
}

func departments(m *node.Map, diags *diag.List) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range m.Strings("departments") {
		name := strings.TrimSpace(d.Value)
		if name == "" {
			diags.Errorf(File, d.Line, "departments: a department name must not be empty")
			continue
		}
		if seen[name] {
			diags.Errorf(File, d.Line, "departments: %q is listed twice", name)
			continue
		}
		seen[name] = true
		out = append(out, name)
	}
	return out
}

func pageSize(m *node.Map) PageSize {
	ps := DefaultPageSize
	if sub, ok := m.Sub("page-size"); ok {
		ps.Category = sub.Count("category", ps.Category)
		ps.Department = sub.Count("department", ps.Department)
		ps.Home = sub.Count("home", ps.Home)
		sub.Done()
	}
	return ps
}

func cta(m *node.Map, diags *diag.List) *CTA {
	sub, ok := m.Sub("cta")
	if !ok {
		return nil
	}
	c := &CTA{
		Heading:  sub.String("heading", true),
		Text:     sub.String("text", false),
		LinkText: sub.String("link-text", false),
		Link:     sub.String("link", false),
	}
	sub.Done()
	if (c.Link == "") != (c.LinkText == "") {
		diags.Errorf(File, sub.Line("link"), "cta: link and link-text go together; give both or neither")
	}
	if c.Link != "" {
		u, err := url.Parse(c.Link)
		if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
			diags.Errorf(File, sub.Line("link"), "cta: link %q must be an http, https or mailto URL, or a path within the site", c.Link)
		}
	}
	return c
}
