package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/guide-build/guide/internal/site"
)

// Page is the data every layout gets.
type Page struct {
	Site        *site.Site
	Kind        string // "home", "role", "category", "department", "404"
	Path        string // from the site root: "" for home, "roles/x/", "404.html"
	Title       string // the page's own title; <title> adds the site's
	Description string

	Role       *site.Role       // role pages
	Category   *site.Category   // category pages
	Department *site.Department // department pages

	// A list page (category, department) lists only its share of the
	// roles, Listed; Pager places it among the list's pages.
	Listed []*site.Entry
	Pager  *Pager

	root  string
	theme *Theme
	size  int // a guess at the page's size before minifying, or 0
}

// Rel returns a link from this page to the page or file at to, a path from
// the site root.
func (p *Page) Rel(to string) string {
	if r := p.root + to; r != "" {
		return r
	}
	return "./"
}

// URL returns the absolute URL of this page, for canonical links and Open
// Graph, which must be absolute.
func (p *Page) URL() string { return p.Abs(p.Path) }

// Abs returns the absolute URL of a path from the site root.
func (p *Page) Abs(to string) string { return p.Site.Config.BaseURL.String() + to }

// OGLocale is the site's language as Open Graph spells it: en_GB for en-GB.
func (p *Page) OGLocale() string {
	return strings.ReplaceAll(p.Site.Config.Language, "-", "_")
}

// FullTitle is the text of <title>: the page title and the site title.
func (p *Page) FullTitle() string {
	if p.Kind == "home" || p.Title == "" {
		return p.Site.Config.Title
	}
	return p.Title + " · " + p.Site.Config.Title
}

// Asset returns the link to a theme asset by its source name ("site.css").
// A missing asset fails the template with the name in the error.
func (p *Page) Asset(name string) (string, error) {
	a, ok := p.theme.assets[name]
	if !ok {
		return "", fmt.Errorf("no asset %q in assets/", name)
	}
	return p.Rel(a.Path), nil
}

// HasAsset reports whether the theme has an asset, for optional ones.
func (p *Page) HasAsset(name string) bool {
	_, ok := p.theme.assets[name]
	return ok
}

// faqSchema is the schema.org FAQPage JSON-LD of a role page.
type faqSchema struct {
	Context    string        `json:"@context"`
	Type       string        `json:"@type"`
	MainEntity []faqQuestion `json:"mainEntity"`
}

type faqQuestion struct {
	Type           string    `json:"@type"`
	Name           string    `json:"name"`
	AcceptedAnswer faqAnswer `json:"acceptedAnswer"`
}

type faqAnswer struct {
	Type string `json:"@type"`
	Text string `json:"text"`
}

// FAQSchema returns the FAQPage structured data for a role page with an FAQ,
// or nil. html/template writes it as JSON inside the script element.
func (p *Page) FAQSchema() any {
	if p.Role == nil || len(p.Role.FAQ) == 0 {
		return nil
	}
	s := faqSchema{Context: "https://schema.org", Type: "FAQPage"}
	for _, f := range p.Role.FAQ {
		s.MainEntity = append(s.MainEntity, faqQuestion{
			Type:           "Question",
			Name:           f.QuestionText,
			AcceptedAnswer: faqAnswer{Type: "Answer", Text: f.AnswerText},
		})
	}
	return s
}

// CategoryRoles lists, for a category page, each role it lists with
// questions of that category, in site order.
func (p *Page) CategoryRoles() []CategoryRole {
	if p.Category == nil {
		return nil
	}
	out := make([]CategoryRole, 0, len(p.Listed))
	refs := &pageRefs{roles: p.Listed}
	for i, e := range p.Listed {
		out = append(out, CategoryRole{Entry: e, Title: e.Title, Slug: e.Slug, Href: p.Rel(e.URL), cat: p.Category.Index, refs: refs, i: i})
	}
	return out
}

// pageRefs reads the questions of a category page's roles a chunk of roles
// at a time, with site.ReadAll, as the page's layout asks for them: a few
// calls to the system for a page, where reading each role's on its own
// made one a role, about 30,000 a build at 10,000 roles. Not safe for
// concurrent use: a page is rendered by one goroutine.
type pageRefs struct {
	roles []*site.Entry
	from  int      // the first role of the chunk read last
	data  [][]byte // its roles' questions, one for each; nil if it failed
	n     int      // its roles
}

// refsChunk is how many roles' questions a page holds at once: a guide
// with a large page-size may list thousands of roles on a page.
const refsChunk = 256

// get returns the questions of role i of the page, read with its chunk's.
func (pr *pageRefs) get(i int) site.Refs {
	e := pr.roles[i]
	if i < pr.from || i >= pr.from+pr.n {
		pr.from = i / refsChunk * refsChunk
		pr.n = min(refsChunk, len(pr.roles)-pr.from)
		blocks := make([]site.Block, pr.n)
		for j, e := range pr.roles[pr.from : pr.from+pr.n] {
			blocks[j] = e.Refs.Block
		}
		pr.data, _ = site.ReadAll(blocks)
	}
	if pr.data == nil {
		return e.Refs // read on its own, which says what failed
	}
	return site.NewRefs(e.Refs.Counts(), site.Held(pr.data[i-pr.from]))
}

// Pager places a list page among the pages of its list.
type Pager struct {
	Number int // this page's, from 1
	Roles  int // roles listed on all the pages
	paths  []string
	page   *Page
}

// Total returns the number of pages in the list.
func (pg *Pager) Total() int { return len(pg.paths) }

// Prev returns the link to the page before, or "" on the first.
func (pg *Pager) Prev() string { return pg.href(pg.Number - 1) }

// Next returns the link to the page after, or "" on the last.
func (pg *Pager) Next() string { return pg.href(pg.Number + 1) }

func (pg *Pager) href(n int) string {
	if n < 1 || n > len(pg.paths) {
		return ""
	}
	return pg.page.Rel(pg.paths[n-1])
}

// PagerLink is one entry of a pager's list of pages: a page, or a gap
// where pages are left out.
type PagerLink struct {
	Number  int
	Href    string
	Current bool
	Gap     bool
}

// Links lists the pages to link to: the first and last, and the two on
// each side of this one, with a gap for each run of two or more left out
// (a single page left out is shown: it takes no more room than the gap),
// so that a list of hundreds of pages has a pager of at most nine entries.
func (pg *Pager) Links() []PagerLink {
	total := len(pg.paths)
	shown := func(n int) bool {
		return n == 1 || n == total || (n >= pg.Number-2 && n <= pg.Number+2)
	}
	var out []PagerLink
	for n := 1; n <= total; n++ {
		if !shown(n) && !(shown(n-1) && shown(n+1)) {
			if !out[len(out)-1].Gap {
				out = append(out, PagerLink{Gap: true})
			}
			continue
		}
		out = append(out, PagerLink{Number: n, Href: pg.href(n), Current: n == pg.Number})
	}
	return out
}

// CategoryRole is one role's group on a category page. A large guide's
// category pages list every question of the guide: the fields a layout
// needs for each are at hand, not looked up through the embedded entry.
type CategoryRole struct {
	*site.Entry
	Title, Slug string
	Href        string // the role page, from the category page
	cat         int
	refs        *pageRefs // the page's roles' questions, this role's at i
	i           int
}

// QuestionLink is a question as a category page lists it.
type QuestionLink struct {
	ID   string // anchor on the role page
	Text string // plain text, as it sits inside a link
	Href string // the question on its role page, from the category page
}

// Questions returns the role's questions of the page's category. They are
// unpacked on each call: a layout that uses them twice keeps them in a
// variable.
func (c CategoryRole) Questions() ([]QuestionLink, error) {
	r := c.Refs
	if c.refs != nil {
		r = c.refs.get(c.i)
	}
	refs, err := r.In(c.cat)
	if err != nil {
		return nil, err
	}
	out := make([]QuestionLink, len(refs))
	for i, q := range refs {
		out[i] = QuestionLink{ID: q.ID, Text: q.Text, Href: c.Href + "#" + q.ID}
	}
	return out, nil
}

var funcs = template.FuncMap{
	"article": article,
	"plural":  plural,
	"clip":    site.Clip,
	"date":    func(t time.Time) string { return t.Format("2 January 2006") },
	"isodate": func(t time.Time) string { return t.Format(time.DateOnly) },
	"add":     func(a, b int) int { return a + b },
}

// plural returns "1 question" or "16 questions".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// article returns "a" or "an" for the English noun phrase s, by sound:
// "an Account Executive", "a UX Designer", "an SRE", "a User Researcher".
func article(s string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	if word == "" {
		return "a"
	}
	if len(word) > 1 && isUpper(word[0]) && isUpper(word[1]) {
		// An initialism (SRE, HR, MLOps) is read letter by letter: F, H,
		// L, M, N, R, S, X and the vowels but U start with a vowel sound.
		if strings.ContainsRune("AEFHILMNORSX", rune(word[0])) {
			return "an"
		}
		return "a"
	}
	w := strings.ToLower(word)
	for _, p := range []string{"uni", "use", "usu", "uti", "ure", "uro", "eu", "one", "once", "ubi"} {
		if strings.HasPrefix(w, p) {
			return "a"
		}
	}
	for _, p := range []string{"hour", "honest", "honor", "honour", "heir"} {
		if strings.HasPrefix(w, p) {
			return "an"
		}
	}
	if strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer bufPool keeps.
const maxPooled = 1 << 20

// Render executes the layout of p.Kind and returns the minified HTML.
func (t *Theme) Render(p *Page) ([]byte, error) {
	tmpl, ok := t.pages[p.Kind]
	if !ok {
		return nil, fmt.Errorf("no layout for %s pages", p.Kind)
	}
	p.theme = t
	if p.Kind == "404" {
		// The 404 page is served for any missing URL, at any depth, so its
		// links start from the site's path on the host instead.
		p.root = p.Site.Config.BaseURL.Path
	} else {
		p.root = site.Root(p.Path)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		// A category page of a large guide is megabytes: let its buffer go
		// rather than keep it for pages a hundred times smaller.
		if buf.Cap() <= maxPooled {
			bufPool.Put(buf)
		}
	}()
	buf.Reset()
	buf.Grow(p.size)
	if err := tmpl.ExecuteTemplate(buf, "base.html", p); err != nil {
		if errors.Is(err, site.ErrStore) {
			return nil, fmt.Errorf("rendering %s: %w", File(p.Path), err) // not the layout's fault
		}
		return nil, &LayoutError{File: layoutsDir + "/" + p.Kind + ".html", Err: err}
	}
	var out bytes.Buffer
	out.Grow(buf.Len())
	if err := minifier.Minify("text/html", &out, buf); err != nil {
		return nil, fmt.Errorf("minifying %s: %v", p.Path, err)
	}
	return out.Bytes(), nil
}

// Cards pairs a list of roles with the page, for the role-list partial.
// level is the heading level of each card's title, so that headings never
// skip a level.
func (p *Page) Cards(roles []*site.Entry, level int) CardList {
	return CardList{Page: p, Roles: roles, Level: level}
}

// CardList is the data of the role-list partial.
type CardList struct {
	Page  *Page
	Roles []*site.Entry
	Level int
}
