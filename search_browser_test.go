package guide_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/browsertest"
	"github.com/guide-build/guide/internal/build"
)

var (
	builtOnce sync.Once
	builtDir  string
	builtErr  error
)

// builtGuide builds the bundled guide once for all browser tests.
func builtGuide(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		builtDir, builtErr = os.MkdirTemp("", "guide-browser-")
		if builtErr == nil {
			builtDir = filepath.Join(builtDir, "site")
			_, builtErr = build.Publish(context.Background(), ".", builtDir, build.Options{Theme: guide.Theme})
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtDir
}

// served serves the built guide under a subpath, as a static host would.
func served(t *testing.T) string { return servedAt(t, "/hiring/guide/") }

// servedAt serves the built guide under the path prefix, which begins and
// ends with a slash, and returns its URL.
func servedAt(t *testing.T, prefix string) string {
	t.Helper()
	dir := builtGuide(t)
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir))))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL + prefix
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// TestBrowserSearch drives the search box of the built guide: it stays
// unloaded until used, "/" focuses it, typing "isolation" puts the backend
// role's isolation-levels question first, the keyboard opens it at its
// anchor, a filter narrows the results, and nothing logs an error. It runs
// over HTTP under a subpath and again from file://.
func TestBrowserSearch(t *testing.T) {
	for _, where := range []string{"http", "file"} {
		t.Run(where, func(t *testing.T) {
			ctx, console := browsertest.NewWithConsole(t)
			start := served(t) + "roles/data-engineer/"
			if where == "file" {
				start = "file://" + filepath.Join(builtGuide(t), "roles/data-engineer/index.html")
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(start), chromedp.WaitVisible("h1")); err != nil {
				t.Fatal(err)
			}
			if n := evalString(t, ctx, `String(performance.getEntriesByType("resource").filter(e => /search/.test(e.name)).length)`); n != "0" {
				t.Errorf("%s search files loaded before the box was used; want none", n)
			}
			// "/" focuses the box from anywhere on the page.
			if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.activeElement && document.activeElement.id === "search-input"`)
			if err := chromedp.Do(ctx, chromedp.SendKeys("#search-input", "isolation")); err != nil {
				t.Fatal(err)
			}
			// The results of the whole word, not of a prefix typed on the
			// way, which a later update would replace under the arrow keys.
			// (The "/" that focused the box reaches it too: chromedp sends
			// the character apart from the key press that was cancelled.)
			browsertest.WaitJS(t, ctx, `document.querySelector("form.search [role=status]").textContent.includes("isolation”") && document.querySelectorAll("#search-listbox [role=option]").length > 0`)
			first := evalString(t, ctx, `document.querySelector("#search-listbox [role=option]").innerText`)
			if !strings.Contains(first, "isolation level") || !strings.Contains(first, "Backend Developer") {
				t.Errorf("first result %q; want the backend role's isolation-levels question", first)
			}
			// meta.js is asked for once, alongside search.js rather than
			// after it.
			if where == "http" {
				got := evalString(t, ctx, `(() => {
  const es = performance.getEntriesByType("resource");
  const meta = es.filter(e => /\/search\/meta\.js$/.test(e.name)), js = es.find(e => /\/search\.[0-9a-f]+\.js$/.test(e.name));
  return meta.length + " " + (meta.length > 0 && js !== undefined && meta[0].startTime < js.responseEnd);
})()`)
				if got != "1 true" {
					t.Errorf("meta.js requests, and whether the first began before search.js had arrived: %q; want \"1 true\"", got)
				}
			}
			if m := evalString(t, ctx, `document.querySelector("#search-listbox [role=option] mark").textContent.toLowerCase()`); m != "isolation" {
				t.Errorf("highlighted %q; want the matched word", m)
			}
			status := evalString(t, ctx, `document.querySelector("form.search [role=status]").textContent`)
			if !strings.Contains(status, "result") {
				t.Errorf("live region says %q; want a count", status)
			}
			if got := evalString(t, ctx, `document.getElementById("search-input").getAttribute("aria-expanded")`); got != "true" {
				t.Errorf("aria-expanded %q; want true", got)
			}

			// Keyboard: down to the first option, Enter opens it at its anchor.
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.getElementById("search-input").getAttribute("aria-activedescendant") === "sr-0"`)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `location.pathname.includes("/roles/backend-developer/") && location.hash.startsWith("#q-")`)
			browsertest.WaitJS(t, ctx, `document.querySelector(":target") !== null && document.querySelector(":target").innerText.toLowerCase().includes("isolation")`)

			// A filter narrows the results to one category.
			setQuery := `(q => { const i = document.getElementById("search-input"); i.value = q; i.dispatchEvent(new Event("input")); })`
			if err := chromedp.Do(ctx, chromedp.Click("#search-input")); err != nil {
				t.Fatal(err)
			}
			// search.js has taken over from site.js's stand-in.
			browsertest.WaitJS(t, ctx, `typeof __guideSearch === "function" && !__guideSearch.early`)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](setQuery+`("incident")`)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.querySelectorAll("#search-listbox [role=option]").length > 0`)
			labels := `[...document.querySelectorAll("#search-listbox [role=option] .sr-meta")].map(e => e.textContent)`
			before := evalString(t, ctx, labels+`.join("|")`)
			if !strings.Contains(before, "Situational") {
				t.Fatalf("unfiltered results %q; want more than behavioral questions among them", before)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`(() => { const s = document.querySelector("form.search .search-cat"); s.value = "1"; s.dispatchEvent(new Event("change")); })()`)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, labels+`.length > 0 && `+labels+`.every(l => l.endsWith("· Behavioral"))`)

			// A typo is read as the word it stands for, and the results say
			// so, spelt as the guide spells it.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`(() => { const s = document.querySelector("form.search .search-cat"); s.value = ""; s.dispatchEvent(new Event("change")); })()`)); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct{ typed, read, first string }{
				{"osolation", "isolation", "isolation"},
				{"osilation", "isolation", "isolation"},   // two edits
				{"dtabase index", "database", "index"},    // the term is "databas"
				{"postgrsql", "PostgreSQL", "postgresql"}, // the term is "postgresql"
			} {
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](setQuery+`(`+mustJSON(tc.typed)+`)`)); err != nil {
					t.Fatal(err)
				}
				browsertest.WaitJS(t, ctx, `document.querySelector("form.search [role=status]").textContent.includes(`+mustJSON("“"+tc.typed+"”, read as “"+tc.read+"”")+`)`)
				if note := evalString(t, ctx, `(n => n.hidden ? "" : n.textContent)(document.querySelector("form.search .search-note"))`); note != "Read as “"+tc.read+"”" {
					t.Errorf("%s: the note above the results says %q; want Read as “%s”", tc.typed, note, tc.read)
				}
				if first := evalString(t, ctx, `document.querySelector("#search-listbox [role=option]").innerText.toLowerCase()`); !strings.Contains(first, tc.first) {
					t.Errorf("%s: first result %q; want one about %s", tc.typed, first, tc.first)
				}
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](setQuery+`("isolation")`)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.querySelector("form.search [role=status]").textContent.includes("“isolation”") && document.querySelector("form.search .search-note").hidden`)
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`(() => { const s = document.querySelector("form.search .search-cat"); s.value = "1"; s.dispatchEvent(new Event("change")); })()`)); err != nil {
				t.Fatal(err)
			}

			// A query with no results says so and helps.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](setQuery+`("qwxzv")`)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `(document.querySelector("form.search .sr-empty") || {}).textContent?.includes("No results for “qwxzv”")`)
			if got := evalString(t, ctx, `document.querySelector("form.search .sr-empty button").textContent`); got != "Search everything" {
				t.Errorf("with a filter on, the empty state offers %q; want a way to drop the filters", got)
			}

			// A burst of input (fast typing, an input method) shows the
			// results of its last value: the first event searches at once,
			// the rest once the burst is over.
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelector("form.search .sr-empty button").click()`)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`["r", "ra", "rat", "rate l", "rate limiting"].forEach(`+setQuery+`)`)); err != nil {
				t.Fatal(err)
			}
			browsertest.WaitJS(t, ctx, `document.querySelector("form.search [role=status]").textContent.includes("“rate limiting”")`)
			if first := evalString(t, ctx, `document.querySelector("#search-listbox [role=option]").innerText.toLowerCase()`); !strings.Contains(first, "rate limit") {
				t.Errorf("after a burst of input the first result is %q; want one for the last value, rate limiting", first)
			}
			if errs := console.Errors(); len(errs) > 0 {
				t.Errorf("the page logged errors: %q", errs)
			}
		})
	}
}

// TestBrowserSearchPage checks the shareable results page, /search/?q=.
func TestBrowserSearchPage(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(served(t)+"search/?q=pagination")); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".search-results li a").length > 0`)
	first := evalString(t, ctx, `document.querySelector(".search-results li a").innerText.toLowerCase()`)
	if !strings.Contains(first, "paginat") {
		t.Errorf("first result %q; want the pagination question", first)
	}
	if v := evalString(t, ctx, `document.getElementById("search-page-input").value`); v != "pagination" {
		t.Errorf("the query box holds %q; want the query from the URL", v)
	}
	// A result that shows a matched word says no more; one that shows
	// none says where it matched.
	whys := evalString(t, ctx, `[...document.querySelectorAll(".search-results li a")].map(a => a.querySelectorAll("mark").length + ":" + ((a.querySelector(".sr-why") || {}).innerText || "")).join("|")`)
	if !strings.HasPrefix(whys, "1:|") || !strings.Contains(whys, "|0:Matched further into the answer") {
		t.Errorf("marks and reasons of the results for pagination: %q; want the first to show the word and say no more, and an FAQ entry matched further into its answer", whys)
	}
	// A word that only a question's red flags hold: the result shows no
	// matched word, so it says where it matched.
	if err := chromedp.Do(ctx, chromedp.Navigate(served(t)+"search/?q=sandbagging")); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".search-results li a").length > 0`)
	got := evalString(t, ctx, `(a => a.querySelectorAll("mark").length + " | " + a.querySelector(".sr-text").innerText + " | " + (a.querySelector(".sr-why") || {}).innerText)(document.querySelector(".search-results li a"))`)
	if want := "0 | How do you decide whether a deal goes in commit"; !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "| Matched in its look-for notes, red flags, follow-ups or tags") {
		t.Errorf("first result for sandbagging: %q; want the forecasting question, no word marked, and where it matched", got)
	}
	// Only words too common to be indexed: the page says that, rather than
	// to try fewer words.
	if err := chromedp.Do(ctx, chromedp.Navigate(served(t)+"search/?q=it+was")); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `document.querySelector(".search-page").textContent.includes("No results for “it was”")`)
	if text := evalString(t, ctx, `document.querySelector(".search-page").textContent`); !strings.Contains(text, "not searched for on their own") {
		t.Errorf("for common words only, the page says %q; want it to say they are too common", text)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %q", errs)
	}
}

// TestBrowserSearchPageAgreesWithTheBox follows the box's "All results" link
// with a filter set: the page keeps the query and the filter, shows at
// least what the box showed, names the query in its title, and takes "/"
// to its own field; "Show more results" hands the focus to the first new
// result.
func TestBrowserSearchPageAgreesWithTheBox(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	navigate(t, ctx, served(t)+"roles/backend-developer/")
	if err := chromedp.Do(ctx, chromedp.Click("#search-input")); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `typeof __guideSearch === "function" && !__guideSearch.early`)
	run(t, ctx, `(() => {
  document.querySelector("form.search .search-cat").value = "1";
  const i = document.getElementById("search-input");
  i.value = "incident";
  i.dispatchEvent(new Event("input"));
})()`)
	browsertest.WaitJS(t, ctx, `document.querySelector("form.search [role=status]").textContent.includes("incident”") && document.querySelectorAll("#search-listbox [role=option]").length > 0`)
	box := evalString(t, ctx, `[...document.querySelectorAll("#search-listbox [role=option] .sr-text")].map(e => e.textContent).join("\n")`)
	run(t, ctx, `document.querySelector("form.search .search-all").click()`)
	browsertest.WaitJS(t, ctx, `location.pathname.endsWith("/search/") && document.querySelectorAll(".search-results li a").length > 0`)
	if v := evalString(t, ctx, `document.querySelector("[data-search-page] .search-cat").value`); v != "1" {
		t.Errorf("the results page's category filter is %q; want the box's, 1", v)
	}
	page := evalString(t, ctx, `[...document.querySelectorAll(".search-results li .sr-text")].map(e => e.textContent).join("\n")`)
	for _, r := range strings.Split(box, "\n") {
		if !strings.Contains(page, r) {
			t.Errorf("the box showed %q; the results page does not", r)
		}
	}
	if title := evalString(t, ctx, `document.title`); !strings.Contains(title, "incident") {
		t.Errorf("the results page's title is %q; want the query in it", title)
	}
	run(t, ctx, `document.activeElement.blur()`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `document.activeElement && document.activeElement.id === "search-page-input"`)

	navigate(t, ctx, served(t)+"search/?q=data")
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".search-results li").length === 20 && !document.querySelector(".search-more").hidden`)
	run(t, ctx, `document.querySelector(".search-more").click()`)
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".search-results li").length > 20`)
	browsertest.WaitJS(t, ctx, `document.activeElement === document.querySelectorAll(".search-results li")[20].querySelector("a")`)
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}
