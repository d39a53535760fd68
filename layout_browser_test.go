package guide_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/guide-build/guide/internal/browsertest"
)

// TestBrowserLayout opens every kind of page of the bundled guide at the
// widths it is read at: a phone, a laptop or a projector at 1,280 pixels,
// and a wide monitor. No page scrolls sideways, and from 1,280 pixels up
// the header (brand, categories, plan, search box) is one row, so that it
// takes no more of a projected screen than it needs. (The 404 page links
// its stylesheet from the base URL, which this server does not serve.)
func TestBrowserLayout(t *testing.T) {
	ctx := browsertest.New(t)
	root := served(t)
	pages := []string{"", "roles/backend-developer/", "categories/technical/", "departments/engineering/", "plan/", "search/?q=isolation"}
	for _, size := range []struct {
		w, h   int64
		oneRow bool
	}{{390, 844, false}, {1280, 800, true}, {1920, 1080, true}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			navigate(t, ctx, root+p)
			at := fmt.Sprintf("%s at %d px", "/"+p, size.w)
			if got := evalString(t, ctx, `String(document.documentElement.scrollWidth - innerWidth)`); got != "0" {
				t.Errorf("%s: the page is %s px wider than the window", at, got)
			}
			// The title stands clear of the header, breadcrumbs or not.
			gap, err := strconv.Atoi(evalString(t, ctx, `String(Math.round(document.querySelector("main h1").getBoundingClientRect().top - document.querySelector(".site-header").getBoundingClientRect().bottom))`))
			if err != nil || gap < 24 {
				t.Errorf("%s: the title is %d px below the header (%v); want at least 24", at, gap, err)
			}
			if size.w < 600 {
				phoneChecks(t, ctx, at, p)
			}
			if !size.oneRow {
				continue
			}
			// Each item of the header row sits beside the brand, not below it.
			below := evalString(t, ctx, `(() => {
  const row = document.querySelector(".header-row"), brand = row.querySelector(".brand").getBoundingClientRect();
  return [...row.children].filter(e => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().top >= brand.bottom).map(e => e.className || e.tagName).join(", ");
})()`)
			if below != "" {
				t.Errorf("%s: the header wraps; below the brand: %s", at, below)
			}
		}
	}
}

// phoneChecks looks at what a narrow screen may squeeze: each question's
// number, text and link share a row whatever the number's width, and a
// search result is not narrowed by the button beside it.
func phoneChecks(t *testing.T, ctx context.Context, at, p string) {
	t.Helper()
	switch p {
	case "roles/backend-developer/":
		off := evalString(t, ctx, `[...document.querySelectorAll("li.question")].filter(q => {
  const n = q.querySelector(".q-num").getBoundingClientRect(), l = q.querySelector(".q-link").getBoundingClientRect();
  return l.top >= n.bottom;
}).map(q => q.querySelector(".q-num").textContent).join(" ")`)
		if off != "" {
			t.Errorf("%s: the link of question %s drops below its number", at, off)
		}
	case "search/?q=isolation":
		browsertest.WaitJS(t, ctx, `document.querySelectorAll(".search-results li a").length > 0`)
		narrow := evalString(t, ctx, `String([...document.querySelectorAll(".search-results li > a")].filter(a => a.getBoundingClientRect().width < 0.9 * a.parentNode.getBoundingClientRect().width).length)`)
		if narrow != "0" {
			t.Errorf("%s: %s results are narrowed by what is beside them", at, narrow)
		}
	}
}
