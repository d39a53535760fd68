package render

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/site"
)

// listSite is a guide of 200 roles in four departments, of 12 questions
// each, with small pages.
func listSite(t *testing.T) (*site.Site, *Theme) {
	t.Helper()
	theme, diags := LoadTheme(guide.Theme, nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return testSite(t, "page-size: {category: 60, department: 7, home: 5}\n", manyRoles(200)), theme
}

var hrefRe = regexp.MustCompile(`href=([^ >]+)`)

// A list too long for a page goes on over further pages: every role with
// questions of a category is on exactly one of its pages, in site order,
// and a page holds at most page-size questions; every page links to the
// pages next to it, and every link on them leads to a page of the site.
func TestListPages(t *testing.T) {
	s, theme := listSite(t)
	pages := SitePages(s)
	paths := map[string]*Page{}
	for _, p := range pages {
		paths[p.Path] = p
	}
	for _, e := range s.Roles {
		paths[e.URL] = nil
	}

	for _, c := range s.Categories {
		var listed []*site.Entry
		var want []*site.Entry
		for _, e := range s.Roles {
			if e.Refs.Count(c.Index) > 0 {
				want = append(want, e)
			}
		}
		n := 0
		for _, p := range pages {
			if p.Category != c {
				continue
			}
			n++
			if p.Pager.Number != n || p.Path != site.PagePath(c.URL, n) {
				t.Fatalf("%s: page %d of the list at %s", p.Path, p.Pager.Number, c.URL)
			}
			qs := 0
			for _, e := range p.Listed {
				qs += e.Refs.Count(c.Index)
			}
			if qs > 60 && len(p.Listed) > 1 {
				t.Errorf("%s: %d questions over %d roles; want at most 60", p.Path, qs, len(p.Listed))
			}
			listed = append(listed, p.Listed...)
		}
		if n < 3 {
			t.Fatalf("%s: %d pages; the test needs a list of several", c.URL, n)
		}
		if !slices.Equal(listed, want) {
			t.Errorf("%s: the pages list %d roles; want the %d with such questions, in order", c.URL, len(listed), len(want))
		}
	}

	for _, p := range pages {
		if p.Kind != "category" && p.Kind != "department" && p.Kind != "home" {
			continue
		}
		b, err := theme.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, m := range hrefRe.FindAllStringSubmatch(html, -1) {
			u, err := url.Parse(strings.Trim(m[1], `"`))
			if err != nil || u.Scheme != "" {
				continue
			}
			if strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s links to %s, which is not relative", p.Path, m[1])
				continue
			}
			to := path.Join(path.Dir(p.Path+"x"), u.Path)
			if strings.HasSuffix(u.Path, "/") || u.Path == "" {
				to += "/"
			}
			to = strings.TrimPrefix(to, "./")
			if strings.HasPrefix(to, "assets/") || to == "feed.xml" || u.Path == "" {
				continue
			}
			if _, ok := paths[to]; !ok {
				t.Errorf("%s links to %s, which is no page", p.Path, m[1])
			}
		}
		if p.Pager == nil {
			continue
		}
		for _, rel := range []struct{ name, want string }{{"prev", p.Pager.Prev()}, {"next", p.Pager.Next()}} {
			has := strings.Contains(html, `rel=`+rel.name)
			if has != (rel.want != "") {
				t.Errorf("%s (page %d of %d): rel=%s link %v; want %v", p.Path, p.Pager.Number, p.Pager.Total(), rel.name, has, !has)
			}
		}
		if p.Pager.Number > 1 && !strings.Contains(html, fmt.Sprintf(`content="Page %d of %d. `, p.Pager.Number, p.Pager.Total())) {
			t.Errorf("%s: its description does not say which page it is", p.Path)
		}
		if p.Department != nil && p.Pager.Number > 1 {
			if nav := fmt.Sprintf(`<a href=%s aria-current=true>`, p.Rel(p.Department.URL)); !strings.Contains(html, nav) {
				t.Errorf("%s: the footer does not mark its department, %s", p.Path, nav)
			}
		}
		if p.Category != nil && p.Pager.Number > 1 {
			if nav := fmt.Sprintf(`<a href=%s aria-current=true>`, p.Rel(p.Category.URL)); !strings.Contains(html, nav) {
				t.Errorf("%s: the header does not mark its category, %s", p.Path, nav)
			}
		}
		if p.Pager.Total() > 1 && !strings.Contains(html, fmt.Sprintf(`aria-current=page aria-label="Page %d"`, p.Pager.Number)) {
			t.Errorf("%s: the pager does not mark page %d as this one", p.Path, p.Pager.Number)
		}
	}
}

// The home page shows each department's first roles, up to page-size's
// home, and links to the department for the rest.
func TestHomeShowsFirstRoles(t *testing.T) {
	s, theme := listSite(t)
	b, err := theme.Render(SitePages(s)[0])
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	if got, want := strings.Count(html, `class=role-card>`), 5*len(s.Departments); got != want {
		t.Errorf("the home page shows %d roles; want %d, 5 of each department", got, want)
	}
	for _, d := range s.Departments {
		more := fmt.Sprintf(`<a href=%s>All %d %s roles</a>`, d.URL, len(d.Roles), d.Name)
		if !strings.Contains(html, more) {
			t.Errorf("the home page has no %s", more)
		}
	}
}

// A pager of many pages shows the first and last, and two on each side of
// the current one, with a gap for two pages or more.
func TestPagerLinks(t *testing.T) {
	for _, tc := range []struct {
		total, at int
		want      string
	}{
		{1, 1, "[1]"},
		{2, 2, "1 [2]"},
		{5, 3, "1 2 [3] 4 5"},
		{9, 1, "[1] 2 3 … 9"},
		{9, 5, "1 2 3 4 [5] 6 7 8 9"}, // a gap of one page shows the page
		{10, 5, "1 2 3 4 [5] 6 7 … 10"},
		{9, 4, "1 2 3 [4] 5 6 … 9"},
		{200, 100, "1 … 98 99 [100] 101 102 … 200"},
		{200, 200, "1 … 198 199 [200]"},
	} {
		pg := &Pager{Number: tc.at, paths: make([]string, tc.total), page: &Page{}}
		var got []string
		for _, l := range pg.Links() {
			switch {
			case l.Gap:
				got = append(got, "…")
			case l.Current:
				got = append(got, fmt.Sprintf("[%d]", l.Number))
			default:
				got = append(got, fmt.Sprint(l.Number))
			}
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("page %d of %d: %s; want %s", tc.at, tc.total, s, tc.want)
		}
	}
}
