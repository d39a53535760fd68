package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"time"

	"github.com/guide-build/guide/internal/site"
)

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// The protocol's limits on one sitemap file: 50,000 URLs and 50 MB.
// Tests lower them.
var (
	sitemapURLs  = 50000
	sitemapBytes = 50 << 20
)

type sitemapIndex struct {
	XMLName  xml.Name       `xml:"sitemapindex"`
	NS       string         `xml:"xmlns,attr"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemaps returns the sitemap files: every page but search, plan and 404,
// with absolute URLs, and the update date of roles that have one; a page
// of a department or category is as recent as the latest dated role it
// lists, and the home page, which counts every role, as the latest dated
// role of all, as Hugo dates its lists. A guide
// whose pages fit the protocol's limits for one file gets sitemap.xml; a
// larger one gets sitemap-1.xml, sitemap-2.xml... and a sitemap.xml that
// lists them, so that robots.txt and search consoles name one file either
// way. pages are SitePages(s).
func sitemaps(s *site.Site, pages []*Page) []siteFile {
	base := s.Config.BaseURL.String()
	var all []sitemapURL
	add := func(p string, t time.Time) {
		u := sitemapURL{Loc: base + p}
		if !t.IsZero() {
			u.LastMod = t.Format(time.DateOnly)
		}
		all = append(all, u)
	}
	add("", latest(s.Roles))
	for _, p := range pages {
		if p.Kind == "department" || p.Kind == "category" {
			add(p.Path, latest(p.Listed)) // every page of each, in order
		}
	}
	for _, e := range s.Roles {
		add(e.URL, e.Updated)
	}
	// Cut where a file would pass either limit, counting each URL's
	// element as the encoder writes it, escaping aside (hence the margin).
	const head, perURL = 200, 64
	var parts [][]sitemapURL
	start, size := 0, head
	for i, u := range all {
		n := perURL + len(u.Loc) + len(u.LastMod)
		if i > start && (i-start >= sitemapURLs || size+n > sitemapBytes*9/10) {
			parts = append(parts, all[start:i])
			start, size = i, head
		}
		size += n
	}
	parts = append(parts, all[start:])
	file := func(urls []sitemapURL) func() ([]byte, error) {
		return func() ([]byte, error) {
			return marshal(urlset{NS: sitemapNS, URLs: urls})
		}
	}
	if len(parts) == 1 {
		return []siteFile{{"sitemap.xml", file(all)}}
	}
	index := sitemapIndex{NS: sitemapNS}
	var numbered []siteFile
	for i, urls := range parts {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		var last string
		for _, u := range urls {
			last = max(last, u.LastMod)
		}
		index.Sitemaps = append(index.Sitemaps, sitemapEntry{Loc: base + name, LastMod: last})
		numbered = append(numbered, siteFile{name, file(urls)})
	}
	return append([]siteFile{{"sitemap.xml", func() ([]byte, error) { return marshal(index) }}}, numbered...)
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// latest returns the latest update date of roles, or the zero time when
// none has one.
func latest(roles []*site.Entry) time.Time {
	var t time.Time
	for _, e := range roles {
		if e.Updated.After(t) {
			t = e.Updated
		}
	}
	return t
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"feed"`
	NS       string      `xml:"xmlns,attr"`
	Lang     string      `xml:"xml:lang,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Links    []atomLink  `xml:"link"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Author   atomAuthor  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title    string   `xml:"title"`
	Link     atomLink `xml:"link"`
	ID       string   `xml:"id"`
	Updated  string   `xml:"updated"`
	Category *atomCat `xml:"category,omitempty"`
	Summary  string   `xml:"summary,omitempty"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// Feed returns feed.xml, an Atom feed of the roles that have an updated
// date, newest first. Dates come only from content, so the feed of the same
// guide is the same on every build.
func Feed(s *site.Site) ([]byte, error) {
	base := s.Config.BaseURL.String()
	var dated []*site.Entry
	for _, e := range s.Roles {
		if !e.Updated.IsZero() {
			dated = append(dated, e)
		}
	}
	slices.SortStableFunc(dated, func(a, b *site.Entry) int {
		return cmp.Or(b.Updated.Compare(a.Updated), cmp.Compare(a.Title, b.Title))
	})
	f := atomFeed{
		NS:       "http://www.w3.org/2005/Atom",
		Lang:     s.Config.Language,
		Title:    s.Config.Title,
		Subtitle: s.Config.Description,
		Links: []atomLink{
			{Href: base + "feed.xml", Rel: "self", Type: "application/atom+xml"},
			{Href: base, Rel: "alternate", Type: "text/html"},
		},
		ID:      base,
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339),
		Author:  atomAuthor{Name: s.Config.Title},
	}
	if len(dated) > 0 {
		f.Updated = dated[0].Updated.Format(time.RFC3339)
	}
	for _, e := range dated {
		f.Entries = append(f.Entries, atomEntry{
			Title:    e.Title + " Interview Questions",
			Link:     atomLink{Href: base + e.URL, Rel: "alternate", Type: "text/html"},
			ID:       base + e.URL,
			Updated:  e.Updated.Format(time.RFC3339),
			Category: &atomCat{Term: e.Department.Name},
			Summary:  e.SummaryText,
		})
	}
	return marshal(f)
}

// Robots returns robots.txt, which allows everything and names the sitemap.
func Robots(s *site.Site) ([]byte, error) {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.Config.BaseURL.String() + "sitemap.xml\n"), nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
