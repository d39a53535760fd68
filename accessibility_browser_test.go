package guide_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/guide-build/guide/internal/browsertest"
)

// axeTags are the rules axe-core runs: WCAG 2.0, 2.1 and 2.2 at levels A
// and AA, and Deque's best practices (landmarks, one main heading, and the
// like).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// findAxe returns axe-core's script: $AXE_JS, or the copy npm ci puts in
// .ci/node_modules. Without it, browser tests of accessibility skip, except
// in CI.
func findAxe(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("AXE_JS"), ".ci/node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	msg := "skipping: the accessibility check needs axe-core (run: cd .ci && npm ci, or set AXE_JS)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// axeViolations runs axe-core over the open page and returns its
// violations, one line each with the elements at fault.
func axeViolations(t *testing.T, ctx context.Context, axe string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe+";0")); err != nil {
		t.Fatalf("loading axe-core: %v", err)
	}
	js := `(async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + ": " +
    v.nodes.slice(0, 5).map(n => n.target.join(" ")).join("; ") + (v.nodes.length > 5 ? "; and " + (v.nodes.length - 5) + " more" : ""));
})(` + mustJSON(axeTags) + `)`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	return v
}

// TestBrowserAccessibility runs axe-core over every kind of page of the
// built bundled guide, on a phone and a desktop, in the light and the dark
// colour scheme: the home page, a role page (also with the search box's
// results open), a category and a department page, the search results
// page, the plan page empty and with questions, and the page-not-found
// page. Any violation of WCAG 2.2 A and AA, or of axe's best practices,
// fails it.
func TestBrowserAccessibility(t *testing.T) {
	axe := findAxe(t)
	root := served(t)
	// The page-not-found page links by absolute paths under the guide's
	// base-url, since a host serves it at any address: serve the guide
	// there too.
	notFound, err := os.ReadFile(builtGuide(t) + "/404.html")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`href=(/[^ >]*/)assets/`).FindSubmatch(notFound)
	if m == nil {
		t.Fatal("404.html: no stylesheet under the base-url's path")
	}
	underBase := servedAt(t, string(m[1]))

	type page struct {
		name, url string
		prepare   func(ctx context.Context)
	}
	pages := []page{
		{"home", root, nil},
		{"role", root + "roles/backend-developer/", nil},
		{"role, search results open", root + "roles/backend-developer/", func(ctx context.Context) {
			if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", "isolation")); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.querySelectorAll("#search-listbox [role=option]").length > 0`)
		}},
		{"category", root + "categories/technical/", nil},
		{"department", root + "departments/engineering/", nil},
		{"search page", root + "search/?q=isolation", func(ctx context.Context) {
			browsertest.WaitJS(t, ctx, `document.querySelectorAll("[data-search-page] .search-results a").length > 0`)
		}},
		{"plan, empty", root + "plan/", nil},
		{"plan, two questions", root + "roles/backend-developer/", func(ctx context.Context) {
			addToPlan(t, ctx, "q-how-do-optimistic-and-pessimistic-locking-differ")
			addToPlan(t, ctx, "q-when-do-you-decide-a-table-needs-a-new-index-and")
			navigate(t, ctx, root+"plan/")
			browsertest.WaitJS(t, ctx, `document.querySelectorAll(".plan-list .plan-item").length === 2`)
		}},
		{"page not found", underBase + "404.html", nil},
	}
	for _, scheme := range []string{"light", "dark"} {
		for _, size := range []struct{ w, h int64 }{{390, 844}, {1280, 800}} {
			ctx := browsertest.New(t)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
				t.Fatal(err)
			}
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pages {
				navigate(t, ctx, p.url)
				if i == 0 && evalString(t, ctx, `String(matchMedia("(prefers-color-scheme: `+scheme+`)").matches)`) != "true" {
					t.Fatalf("the %s colour scheme was not applied", scheme)
				}
				if p.prepare != nil {
					p.prepare(ctx)
				}
				for _, v := range axeViolations(t, ctx, axe) {
					t.Errorf("%s, %d px, %s: %s", p.name, size.w, scheme, v)
				}
			}
			// The check itself: a search box without its label is caught.
			navigate(t, ctx, root)
			run(t, ctx, `document.querySelectorAll("label[for=search-input]").forEach(l => l.remove()); const i = document.getElementById("search-input"); i.removeAttribute("aria-label"); i.removeAttribute("placeholder")`)
			if v := axeViolations(t, ctx, axe); !strings.Contains(fmt.Sprint(v), "label") {
				t.Errorf("%d px, %s: a search box without a label passed axe-core: %q", size.w, scheme, v)
			}
		}
	}
}
