package build

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"
)

// page is a parsed HTML output file.
type page struct {
	name string
	doc  *html.Node
	ids  map[string]bool
}

func parsePages(t *testing.T, files map[string][]byte) map[string]*page {
	t.Helper()
	pages := map[string]*page{}
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := &page{name: name, doc: doc, ids: map[string]bool{}}
		for n := range doc.Descendants() {
			if id := attr(n, "id"); id != "" {
				if p.ids[id] {
					t.Errorf("%s: id %q is used twice", name, id)
				}
				p.ids[id] = true
			}
		}
		pages[name] = p
	}
	return pages
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text returns the words of n as a reader sees them: block elements are
// separated by a space even when minifying removed the white space.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		switch {
		case d.Type == html.TextNode:
			b.WriteString(d.Data)
		case d.Type == html.ElementNode && blockTags[d.Data]:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

var blockTags = map[string]bool{"p": true, "li": true, "div": true, "ul": true, "ol": true, "h2": true, "h3": true, "h4": true, "pre": true, "table": true, "tr": true, "td": true, "th": true, "blockquote": true}

// TestEveryLinkResolves follows every href and src in the built site: each
// relative link must name a file of the output and each #fragment an id on
// the page it points to.
func TestEveryLinkResolves(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{{"default", Options{}}, {"drafts", Options{Drafts: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			files := mustBuild(t, smallGuide(t), tc.opts)
			checkLinks(t, files, "/hiring/guide/")
		})
	}
}

// A guide whose lists are cut into pages, a role a page, still links
// everywhere it should, and its sitemap names every page of every list.
func TestListsCutIntoPages(t *testing.T) {
	fsys := smallGuide(t)
	cfg := *fsys["guide.yaml"]
	cfg.Data = append(slices.Clip(cfg.Data), "page-size: {category: 1, department: 1, home: 1}\n"...)
	fsys["guide.yaml"] = &cfg
	files := mustBuild(t, fsys, Options{})
	checkLinks(t, files, "/hiring/guide/")

	// The sitemap names every page but search, plan and 404, once.
	var want, lists []string
	for name := range files {
		if strings.HasSuffix(name, "index.html") && name != "search/index.html" && name != "plan/index.html" {
			want = append(want, "https://example.org/hiring/guide/"+strings.TrimSuffix(name, "index.html"))
		}
		if strings.HasPrefix(name, "categories/") || strings.HasPrefix(name, "departments/") {
			lists = append(lists, name)
		}
	}
	var got []string
	for _, m := range regexp.MustCompile(`<loc>([^<]*)</loc>`).FindAllStringSubmatch(string(files["sitemap.xml"]), -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the sitemap names\n%q\nwant every page once:\n%q", got, want)
	}
	for _, want := range []string{"categories/technical/page/2/index.html", "departments/engineering/page/2/index.html"} {
		if !slices.Contains(lists, want) {
			t.Errorf("no %s among %q", want, lists)
		}
	}
	home := string(files["index.html"])
	if n := strings.Count(home, "class=role-card>"); n != 2 {
		t.Errorf("the home page shows %d roles; want one of each of the two departments", n)
	}
	if !strings.Contains(home, ">All 2 Engineering roles</a>") {
		t.Errorf("the home page does not link to the rest of Engineering")
	}
}

func checkLinks(t *testing.T, files map[string][]byte, basePath string) {
	pages := parsePages(t, files)
	checked := 0
	for name, p := range pages {
		for n := range p.doc.Descendants() {
			for _, key := range []string{"href", "src"} {
				ref := attr(n, key)
				if ref == "" || n.Type != html.ElementNode {
					continue
				}
				u, err := url.Parse(ref)
				if err != nil {
					t.Errorf("%s: bad URL %q", name, ref)
					continue
				}
				if u.Scheme != "" || u.Host != "" {
					if u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "mailto" {
						t.Errorf("%s: link %q has scheme %q", name, ref, u.Scheme)
					}
					continue
				}
				var target string
				switch {
				case u.Path == "":
					target = name
				case strings.HasPrefix(u.Path, "/"):
					if name != "404.html" {
						t.Errorf("%s: link %q is not relative", name, ref)
					}
					target = strings.TrimPrefix(u.Path, basePath)
				default:
					target = path.Join(path.Dir(name), u.Path)
				}
				if target == "." || target == "" || strings.HasSuffix(u.Path, "/") {
					target = path.Join(target, "index.html")
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s: link %q points to %s, which the build did not make", name, ref, target)
					continue
				}
				if u.Fragment != "" {
					tp := pages[target]
					if tp == nil || !tp.ids[u.Fragment] {
						t.Errorf("%s: link %q: %s has no id %q", name, ref, target, u.Fragment)
					}
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d links checked; the test is not seeing the site", checked)
	}
}

func TestSitemapAndFeedAreValidXML(t *testing.T) {
	files := mustBuild(t, smallGuide(t), Options{})
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	const base = "https://example.org/hiring/guide/"
	var locs []string
	for _, u := range sm.URLs {
		if !strings.HasPrefix(u.Loc, base) {
			t.Errorf("sitemap: %s is not under %s", u.Loc, base)
			continue
		}
		rel := strings.TrimPrefix(u.Loc, base)
		if _, ok := files[path.Join(rel, "index.html")]; !ok {
			t.Errorf("sitemap: %s has no page", u.Loc)
		}
		locs = append(locs, rel)
	}
	wantLocs := []string{"", "departments/engineering/", "departments/people/", "categories/technical/",
		"categories/behavioral/", "categories/situational/", "roles/site-reliability-engineer/",
		"roles/backend-developer/", "roles/recruiter/"}
	if !slices.Equal(locs, wantLocs) {
		t.Errorf("sitemap lists %q; want %q", locs, wantLocs)
	}

	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if feed.ID != base || feed.Updated != "2026-11-20T00:00:00Z" {
		t.Errorf("feed id %q updated %q; want %q and the newest role date", feed.ID, feed.Updated, base)
	}
	var got []string
	for _, e := range feed.Entries {
		got = append(got, e.Updated+" "+e.Link.Href)
	}
	want := []string{
		"2026-11-20T00:00:00Z " + base + "roles/backend-developer/",
		"2026-10-01T00:00:00Z " + base + "roles/recruiter/",
	}
	if !slices.Equal(got, want) {
		t.Errorf("feed entries %q; want %q (dated roles, newest first)", got, want)
	}
	if robots := string(files["robots.txt"]); !strings.Contains(robots, "Sitemap: "+base+"sitemap.xml") {
		t.Errorf("robots.txt does not point at the sitemap:\n%s", robots)
	}
}

// TestFAQJSONLDMatchesPage checks the FAQPage structured data against the
// questions and answers the page shows.
func TestFAQJSONLDMatchesPage(t *testing.T) {
	files := mustBuild(t, smallGuide(t), Options{})
	pages := parsePages(t, files)
	p := pages["roles/backend-developer/index.html"]
	var ld struct {
		Context    string `json:"@context"`
		Type       string `json:"@type"`
		MainEntity []struct {
			Type   string `json:"@type"`
			Name   string `json:"name"`
			Answer struct {
				Type string `json:"@type"`
				Text string `json:"text"`
			} `json:"acceptedAnswer"`
		} `json:"mainEntity"`
	}
	var shown [][2]string
	found := false
	for n := range p.doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "script" && attr(n, "type") == "application/ld+json" {
			found = true
			if err := json.Unmarshal([]byte(n.FirstChild.Data), &ld); err != nil {
				t.Fatalf("JSON-LD does not parse: %v\n%s", err, n.FirstChild.Data)
			}
		}
		if n.Type == html.ElementNode && n.Data == "details" {
			var q, a string
			for c := range n.ChildNodes() {
				switch attr(c, "class") {
				case "answer":
					a = text(c)
				default:
					if c.Data == "summary" {
						q = text(c)
					}
				}
			}
			shown = append(shown, [2]string{q, a})
		}
	}
	if !found {
		t.Fatal("no JSON-LD on a role page with an FAQ")
	}
	if ld.Context != "https://schema.org" || ld.Type != "FAQPage" {
		t.Errorf("JSON-LD is %s %s; want https://schema.org FAQPage", ld.Context, ld.Type)
	}
	var inLD [][2]string
	for _, e := range ld.MainEntity {
		if e.Type != "Question" || e.Answer.Type != "Answer" {
			t.Errorf("entity types %q/%q; want Question/Answer", e.Type, e.Answer.Type)
		}
		inLD = append(inLD, [2]string{e.Name, strings.Join(strings.Fields(e.Answer.Text), " ")})
	}
	if len(shown) != 2 || !slices.Equal(inLD, shown) {
		t.Errorf("JSON-LD FAQ:\n%q\npage FAQ:\n%q", inLD, shown)
	}
	if _, ok := files["roles/recruiter/index.html"]; !ok || bytes.Contains(files["roles/recruiter/index.html"], []byte("ld+json")) {
		t.Errorf("a role without an FAQ must have no FAQPage JSON-LD")
	}
}

// themeScript matches the scripts the default theme links to: its own
// assets, fingerprinted, by a relative link (or from 404.html, an absolute
// one).
var themeScript = regexp.MustCompile(`(^|/)assets/(site|plan)\.[0-9a-f]{10}\.js$`)

// TestContentCannotInjectScript builds hostile content and checks the parsed
// output: the only scripts are the theme's own and the JSON-LD, no event
// handler attributes, no javascript: URLs.
func TestContentCannotInjectScript(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		fsys := smallGuide(t)
		role := `---
title: "<script>alert('title')</script>"
department: "Engi<img src=x onerror=alert(1)>"
summary: "<b onclick=alert(2)>bold</b> [x](javascript:alert(3)) ![i](data:text/html;base64,PHNjcmlwdD4=)"
questions:
  - q: "</h3><script>alert(4)</script>"
    category: technical
    look-for: "[a](vbscript:msgbox) <svg onload=alert(5)>"
    tags: ["<script>alert(6)</script>"]
faq:
  - q: "</script><script>alert(7)</script>"
    a: "</script><script>alert(8)</script>"
---
<iframe src="javascript:alert(9)"></iframe>
[y](JAVASCRIPT:alert(10)) [z](java&#09;script:alert(11))
`
		fsys["content/roles/hostile.md"] = &fstest.MapFile{Data: []byte(role)}
		if unsafe {
			fsys["guide.yaml"].Data = append(bytes.Clone(fsys["guide.yaml"].Data), "unsafe-html: true\n"...)
		}
		files, _, err := buildFS(t, fsys, Options{})
		if err != nil {
			t.Fatalf("unsafe-html %v: %v", unsafe, err)
		}
		for name, p := range parsePages(t, files) {
			for n := range p.doc.Descendants() {
				if n.Type != html.ElementNode {
					continue
				}
				if n.Data == "script" {
					src, typ := attr(n, "src"), attr(n, "type")
					ok := typ == "application/ld+json" || (themeScript.MatchString(src) && text(n) == "")
					if !ok && !(unsafe && strings.HasPrefix(name, "roles/")) {
						t.Errorf("unsafe-html %v: %s: unexpected script %q %q", unsafe, name, src, text(n))
					}
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") && !unsafe {
						t.Errorf("%s: event handler %s=%q", name, a.Key, a.Val)
					}
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text")) {
						if !(unsafe && n.Data == "iframe") {
							t.Errorf("unsafe-html %v: %s: %s=%q", unsafe, name, a.Key, a.Val)
						}
					}
				}
			}
		}
		var h1 string
		for n := range parsePages(t, files)["roles/hostile/index.html"].doc.Descendants() {
			if n.Data == "h1" {
				h1 = text(n)
			}
		}
		if want := "Interview Questions for a <script>alert('title')</script>"; h1 != want {
			t.Errorf("h1 is %q; want the title shown as text: %q", h1, want)
		}
	}
}

// Every page names its own address as canonical, but the 404 page, which
// a host serves at any address that has no page.
func TestEveryPageButThe404IsCanonical(t *testing.T) {
	files, _, err := buildFS(t, smallGuide(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := "https://example.org/hiring/guide/"
	for name, p := range parsePages(t, files) {
		var got []string
		for n := range p.doc.Descendants() {
			if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "canonical" {
				got = append(got, attr(n, "href"))
			}
		}
		want := []string{base + strings.TrimSuffix(name, "index.html")}
		if name == "404.html" {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: canonical %q; want %q", name, got, want)
		}
	}
}
