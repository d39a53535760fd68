package render

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A guide with more pages than one sitemap file may list gets numbered
// sitemap files, each within the limits, and a sitemap.xml that lists
// them; together they name every page once, in the order one file would.
func TestSitemapSplits(t *testing.T) {
	s, theme := listSite(t)
	one := sitemaps(s, SitePages(s))
	if len(one) != 1 || one[0].Name != "sitemap.xml" {
		t.Fatalf("with the protocol's limits: %d files; want sitemap.xml alone", len(one))
	}
	b, err := one[0].Make()
	if err != nil {
		t.Fatal(err)
	}
	var whole urlset
	if err := xml.Unmarshal(b, &whole); err != nil {
		t.Fatal(err)
	}
	if len(whole.URLs) < 200 {
		t.Fatalf("sitemap.xml lists %d pages; want every role and more", len(whole.URLs))
	}

	for _, limit := range []struct{ urls, bytes int }{{50, 50 << 20}, {50000, 4000}, {1, 50 << 20}} {
		t.Run(fmt.Sprintf("%d URLs %d bytes", limit.urls, limit.bytes), func(t *testing.T) {
			defer func(u, b int) { sitemapURLs, sitemapBytes = u, b }(sitemapURLs, sitemapBytes)
			sitemapURLs, sitemapBytes = limit.urls, limit.bytes
			files := sitemaps(s, SitePages(s))
			if len(files) < 3 {
				t.Fatalf("%d files; want an index and at least two sitemaps", len(files))
			}
			var index sitemapIndex
			mustXML(t, files[0], &index)
			if files[0].Name != "sitemap.xml" || len(index.Sitemaps) != len(files)-1 {
				t.Fatalf("%s lists %d sitemaps of %d files", files[0].Name, len(index.Sitemaps), len(files))
			}
			var got []sitemapURL
			for i, f := range files[1:] {
				want := fmt.Sprintf("sitemap-%d.xml", i+1)
				if f.Name != want || index.Sitemaps[i].Loc != s.Config.BaseURL.String()+want {
					t.Errorf("file %d is %s, listed as %s; want %s", i+1, f.Name, index.Sitemaps[i].Loc, want)
				}
				b, _ := f.Make()
				if len(b) > limit.bytes {
					t.Errorf("%s is %d bytes; the limit is %d", f.Name, len(b), limit.bytes)
				}
				var set urlset
				mustXML(t, f, &set)
				if len(set.URLs) == 0 || len(set.URLs) > limit.urls {
					t.Errorf("%s lists %d pages; want 1 to %d", f.Name, len(set.URLs), limit.urls)
				}
				last := ""
				for _, u := range set.URLs {
					last = max(last, u.LastMod)
				}
				if index.Sitemaps[i].LastMod != last {
					t.Errorf("%s is listed as updated %q; its latest page %q", f.Name, index.Sitemaps[i].LastMod, last)
				}
				got = append(got, set.URLs...)
			}
			if !slices.Equal(got, whole.URLs) {
				t.Errorf("the sitemaps together list %d pages; want the %d of one sitemap, in order", len(got), len(whole.URLs))
			}
			names := theme.SiteFileNames(s)
			for _, f := range files {
				if _, found := slices.BinarySearch(names, f.Name); !found {
					t.Errorf("%s is not among the site's files (guide serve would not serve it)", f.Name)
				}
				if b, ok, err := theme.SiteFile(s, f.Name); !ok || err != nil || !strings.HasPrefix(string(b), "<?xml") {
					t.Errorf("SiteFile(%s): %v %v", f.Name, ok, err)
				}
			}
		})
	}
}

func mustXML(t *testing.T, f siteFile, v any) {
	t.Helper()
	b, err := f.Make()
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
}

// A list page in the sitemap is as recent as the latest dated role it
// shows, each page of a long list by its own roles; a page whose roles have
// no date has none, and the home page is as recent as the latest role.
func TestSitemapDatesLists(t *testing.T) {
	role := func(title, dept, cat, updated string) []byte {
		u := ""
		if updated != "" {
			u = "updated: " + updated + "\n"
		}
		return []byte("---\ntitle: " + title + "\ndepartment: " + dept + "\nsummary: A role.\n" + u +
			"questions:\n  - q: What would you check first?\n    category: " + cat + "\n    look-for: A plan.\n---\n")
	}
	s := testSite(t, "page-size: {department: 2, category: 2}\n", map[string][]byte{
		"a.md": role("A", "Engineering", "technical", "2026-03-01"),
		"b.md": role("B", "Engineering", "technical", "2026-05-09"),
		"c.md": role("C", "Engineering", "behavioral", ""),
		"d.md": role("D", "Go-to-Market", "behavioral", ""),
		"e.md": role("E", "Go-to-Market", "situational", "2025-12-24"),
	})
	files := sitemaps(s, SitePages(s))
	if len(files) != 1 {
		t.Fatalf("%d sitemap files; want one", len(files))
	}
	var set urlset
	mustXML(t, files[0], &set)
	got := map[string]string{}
	for _, u := range set.URLs {
		got[strings.TrimPrefix(u.Loc, s.Config.BaseURL.String())] = u.LastMod
	}
	want := map[string]string{
		"":                                "2026-05-09",
		"departments/engineering/":        "2026-05-09", // A and B
		"departments/engineering/page/2/": "",           // C
		"departments/go-to-market/":       "2025-12-24", // D and E
		"categories/technical/":           "2026-05-09",
		"categories/behavioral/":          "", // C and D
		"categories/situational/":         "2025-12-24",
		"roles/a/":                        "2026-03-01",
		"roles/c/":                        "",
	}
	for p, w := range want {
		if g, ok := got[p]; !ok || g != w {
			t.Errorf("%q: lastmod %q (listed: %v); want %q", p, g, ok, w)
		}
	}
}
