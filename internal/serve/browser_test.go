package serve

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/guide-build/guide/internal/browsertest"
)

// TestBrowserLiveReload opens a role page in headless Chromium, saves
// changes to its file, and watches the page follow: a new question text
// appears without a manual reload, the scroll position survives it, a
// broken file shows the error overlay naming the file, and fixing it
// removes the overlay.
func TestBrowserLiveReload(t *testing.T) {
	ctx := browsertest.New(t)
	dir := writeGuide(t)
	r := start(t, Options{Source: dir, Port: 0})
	file := filepath.Join(dir, "content/roles/backend-developer.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Make the page long enough to scroll.
	long := strings.Replace(string(orig), "## How to run the loop", strings.Repeat("Filler paragraph for scrolling.\n\n", 120)+"## How to run the loop", 1)
	mkfile(t, file, long)
	time.Sleep(3 * maxWait)

	wait := func(js string) { t.Helper(); browsertest.WaitJS(t, ctx, js) }
	if err := chromedp.Do(ctx, chromedp.Navigate(r.url+"roles/backend-developer/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	wait(`typeof EventSource !== "undefined" && document.querySelector('script[src="/__guide/live.js"]') !== null`)
	time.Sleep(200 * time.Millisecond) // let the event stream connect
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.scrollTo(0, 1500); window.marker = "same page"`)); err != nil {
		t.Fatal(err)
	}

	mkfile(t, file, strings.Replace(long, "When do you add a database index?", "When do you add a partial index?", 1))
	wait(`document.body.innerText.includes("When do you add a partial index?")`)
	wait(`window.scrollY > 1000`)
	if marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.marker || ""`)); marker != "" {
		t.Error("the page did not reload") // a reload drops window.marker
	}

	mkfile(t, file, strings.Replace(long, "category: situational", "category: hallway", 1))
	wait(`!!document.getElementById("guide-errors")`)
	overlay, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("guide-errors").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(overlay, "content/roles/backend-developer.md:") || !strings.Contains(overlay, `unknown category "hallway"`) {
		t.Errorf("overlay says %q; want the file, line and problem", overlay)
	}

	mkfile(t, file, long)
	wait(`!document.getElementById("guide-errors")`)
}

// TestBrowserSwapsStylesheet changes only CSS and checks that the page
// picks up the new stylesheet without reloading.
func TestBrowserSwapsStylesheet(t *testing.T) {
	ctx := browsertest.New(t)
	dir := writeGuide(t)
	css, err := os.ReadFile("../../assets/site.css")
	if err != nil {
		t.Fatal(err)
	}
	mkfile(t, filepath.Join(dir, "assets/site.css"), string(css))
	r := start(t, Options{Source: dir, Port: 0})
	if err := chromedp.Do(ctx, chromedp.Navigate(r.url+"roles/recruiter/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	chromedp.Run(ctx, chromedp.Evaluate[any](`window.marker = 1`))
	mkfile(t, filepath.Join(dir, "assets/site.css"), string(css)+"\nh1 { color: rgb(1, 2, 3); }\n")
	deadline := time.Now().Add(10 * time.Second)
	for {
		color, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("h1")).color`))
		if color == "rgb(1, 2, 3)" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new stylesheet was not applied; h1 color %q", color)
		}
		time.Sleep(25 * time.Millisecond)
	}
	if marker, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`window.marker || 0`)); marker != 1 {
		t.Error("the page reloaded; a CSS change should swap the stylesheet in place")
	}
}

// TestBrowserManyPages walks through more pages than a browser keeps
// connections to one host (six): pages kept for the back button must let
// go of their live-reload stream, or the next page never loads. Back to a
// kept page, it shows the guide as it is now.
func TestBrowserManyPages(t *testing.T) {
	ctx := browsertest.New(t)
	dir := writeGuide(t)
	r := start(t, Options{Source: dir, Port: 0})
	pages := []string{"", "roles/backend-developer/", "roles/recruiter/", "categories/technical/", "categories/behavioral/",
		"categories/situational/", "search/", "plan/", "roles/backend-developer/"}
	for i, p := range pages {
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Do(tctx, chromedp.Navigate(r.url+p), chromedp.WaitVisible("h1"))
		cancel()
		if err != nil {
			t.Fatalf("page %d, /%s: %v", i+1, p, err)
		}
		time.Sleep(100 * time.Millisecond) // let the stream connect
	}
	file := filepath.Join(dir, "content/roles/recruiter.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(orig), `title = "Recruiter"`) {
		t.Fatal("the test guide's recruiter has another title")
	}
	// Back to the recruiter's page, changed while it waited.
	// (history.back rather than chromedp.NavigateBack: a page reloads as it
	// comes back, which that action reports as an aborted navigation.)
	for i := len(pages) - 2; i >= 3; i-- {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`)); err != nil {
			t.Fatal(err)
		}
		browsertest.WaitJS(t, ctx, `location.pathname === `+strconv.Quote("/"+pages[i])+` && document.readyState === "complete"`)
	}
	mkfile(t, file, strings.Replace(string(orig), `title = "Recruiter"`, `title = "Talent Partner"`, 1))
	// The server has the change before the page comes back.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := http.Get(r.url + "roles/recruiter/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(body), "Talent Partner") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server never showed the changed title")
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`history.back()`)); err != nil {
		t.Fatal(err)
	}
	browsertest.WaitJS(t, ctx, `location.pathname.endsWith("/roles/recruiter/") && document.querySelector("h1").textContent.includes("Talent Partner")`)
}

// TestBrowserPageNeverShown opens the page of a role that was broken when
// the server started, so there is no earlier version to show. The page
// lists the error once, with no overlay over it, keeps the list current as
// another file breaks, and shows the role once both are fixed.
func TestBrowserPageNeverShown(t *testing.T) {
	ctx := browsertest.New(t)
	dir := writeGuide(t)
	file := filepath.Join(dir, "content/roles/backend-developer.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	mkfile(t, file, strings.Replace(string(orig), "category: situational", "category: hallway", 1))
	r := start(t, Options{Source: dir, Port: 0})
	if err := chromedp.Do(ctx, chromedp.Navigate(r.url+"roles/backend-developer/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	wait := func(js string) { t.Helper(); browsertest.WaitJS(t, ctx, js) }
	time.Sleep(300 * time.Millisecond) // let the stream connect and say what is wrong
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text, `unknown category "hallway"`); n != 1 {
		t.Errorf("the page names the error %d times; want once:\n%s", n, text)
	}
	if strings.Contains(text, "last good version") || strings.Contains(text, "follows") {
		t.Errorf("the page shows the overlay meant for pages with an earlier version:\n%s", text)
	}

	other := filepath.Join(dir, "content/roles/site-reliability-engineer.md")
	sre, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	mkfile(t, other, "---\ntitle: [unclosed\n---\n")
	wait(`document.querySelectorAll("#guide-error-list li").length === 2 && !document.getElementById("guide-errors")`)

	mkfile(t, other, string(sre))
	mkfile(t, file, string(orig))
	wait(`document.querySelector("h1").textContent.includes("Backend Developer")`)
}
