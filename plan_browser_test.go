package guide_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/browsertest"
	"github.com/guide-build/guide/internal/build"
)

// Questions of the bundled guide that the plan tests pick.
const (
	isolationQ = "q-what-anomalies-do-the-standard-relational" // backend developer
	planTitle  = "Onsite, round 2"
)

func run(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](js)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible("h1")); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
}

// addToPlan presses "Add to plan" beside a question of the open role page.
func addToPlan(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	browsertest.WaitJS(t, ctx, `document.querySelector("li.question .plan-add") !== null`)
	run(t, ctx, `document.getElementById(`+mustJSON(id)+`).querySelector(".plan-add").click()`)
	browsertest.WaitJS(t, ctx, `document.getElementById(`+mustJSON(id)+`).querySelector(".plan-add").textContent.startsWith("Remove from plan")`)
}

// headerCount is what the header's plan link shows.
func headerCount(t *testing.T, ctx context.Context) string {
	return evalString(t, ctx, `(c => c.hidden ? "" : c.textContent)(document.querySelector("a.plan-nav .plan-count"))`)
}

// TestBrowserPlan assembles an interview plan over HTTP under a subpath:
// questions added on two role pages gather on the plan page, in the order
// they were added, with their look-for notes as the role pages have them
// now; they can be moved, removed and restored, titled, and shared as a
// link that shows the same plan in a browser that has never seen it.
func TestBrowserPlan(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	root := served(t)
	navigate(t, ctx, root+"roles/backend-developer/")
	if got := evalString(t, ctx, `String(document.querySelectorAll("li.question .plan-add").length === document.querySelectorAll("li.question").length)`); got != "true" {
		t.Fatalf("every question has an Add to plan button: %s", got)
	}
	if c := headerCount(t, ctx); c != "" {
		t.Errorf("the header counts %q questions in a new browser's plan; want none shown", c)
	}
	firstBackend := evalString(t, ctx, `document.querySelector("li.question").id`)
	addToPlan(t, ctx, isolationQ)
	addToPlan(t, ctx, firstBackend)
	if c := headerCount(t, ctx); c != "2(2 questions)" {
		t.Errorf("the header's plan link shows %q after two questions were added; want 2", c)
	}
	if s := evalString(t, ctx, `document.querySelector("article .plan-toast").textContent`); !strings.Contains(s, "2 questions") {
		t.Errorf("the live region says %q; want the plan's new size", s)
	}

	navigate(t, ctx, root+"roles/data-engineer/")
	firstData := evalString(t, ctx, `document.querySelector("li.question").id`)
	addToPlan(t, ctx, firstData)
	// Pressed again, the button takes the question out, and back in.
	run(t, ctx, `document.getElementById(`+mustJSON(firstData)+`).querySelector(".plan-add").click()`)
	browsertest.WaitJS(t, ctx, `document.getElementById(`+mustJSON(firstData)+`).querySelector(".plan-add").textContent.startsWith("Add to plan")`)
	addToPlan(t, ctx, firstData)
	wantLook := evalString(t, ctx, `document.getElementById(`+mustJSON(firstData)+`).querySelector(".look-for p").textContent`)

	// What was stored is replaced by what the role page says now.
	run(t, ctx, `(() => {
  const k = Object.keys(localStorage).find(k => k.startsWith("guide-plan "));
  const p = JSON.parse(localStorage.getItem(k));
  p.items[0].x = "STALE TEXT";
  localStorage.setItem(k, JSON.stringify(p));
})()`)
	navigate(t, ctx, root+"plan/")
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	browsertest.WaitJS(t, ctx, items+`.length === 3 && !document.querySelector(".plan-list").textContent.includes("STALE TEXT")`)
	// ... and stored, for when the plan is opened where it cannot read
	// the role pages.
	browsertest.WaitJS(t, ctx, `(k => JSON.parse(localStorage.getItem(k)).items[0].x.includes("isolation"))(Object.keys(localStorage).find(k => k.startsWith("guide-plan ") && !k.endsWith(" test")))`)
	order := evalString(t, ctx, items+`.map(li => li.querySelector(".plan-meta a").getAttribute("href").replace(/^.*roles\//, "")).join(" ")`)
	if want := "backend-developer/#" + isolationQ + " backend-developer/#" + firstBackend + " data-engineer/#" + firstData; order != want {
		t.Errorf("plan links to %q; want the questions in the order added, %q", order, want)
	}
	first := evalString(t, ctx, items+`[0].innerText`)
	for _, want := range []string{"Backend Developer", "Technical", "isolation", "WHAT TO LOOK FOR"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first question of the plan reads %q; want it to hold %q", first, want)
		}
	}
	if got := evalString(t, ctx, items+`[2].querySelector(".look-for p").textContent`); got != wantLook {
		t.Errorf("third question's look-for note %q; want the role page's, %q", got, wantLook)
	}
	if c := headerCount(t, ctx); c != "3(3 questions)" {
		t.Errorf("the header shows %q on the plan page; want 3", c)
	}

	// Move the last question up; the focus stays on the moved question.
	run(t, ctx, items+`[2].querySelector(".plan-up").click()`)
	browsertest.WaitJS(t, ctx, items+`[1].querySelector(".plan-meta a").getAttribute("href").includes("data-engineer")`)
	if got := evalString(t, ctx, `String(document.activeElement.closest(".plan-item") === `+items+`[1])`); got != "true" {
		t.Errorf("after Move up the focus is not on the moved question")
	}
	// The list drawn again (as when a role's page arrives late, or another
	// tab changes the plan) keeps the focus where it was.
	run(t, ctx, `window.dispatchEvent(new StorageEvent("storage", {key: null}))`)
	if got := evalString(t, ctx, `(e => (e.closest(".plan-item") === `+items+`[1]) + " " + e.className)(document.activeElement)`); got != "true plan-down" && got != "true plan-up" {
		t.Errorf("after the list was drawn again the focus is %q; want the same button of the moved question", got)
	}
	// Remove one, then undo.
	run(t, ctx, items+`[0].querySelector(".plan-remove").click()`)
	browsertest.WaitJS(t, ctx, items+`.length === 2 && !document.querySelector(".plan-undo").hidden`)
	run(t, ctx, `document.querySelector(".plan-undo").click()`)
	browsertest.WaitJS(t, ctx, items+`.length === 3 && `+items+`[0].querySelector(".plan-meta a").getAttribute("href").includes(`+mustJSON(isolationQ)+`)`)

	// A title, and the link that shares the plan.
	run(t, ctx, `(i => { i.value = `+mustJSON(planTitle)+`; i.dispatchEvent(new Event("input")); })(document.getElementById("plan-title"))`)
	link := evalString(t, ctx, `document.getElementById("plan-link").value`)
	want := root + "plan/#plan=backend-developer:" + isolationQ + ";data-engineer:" + firstData + ";backend-developer:" + firstBackend + "&title=Onsite%2C%20round%202"
	if link != want {
		t.Errorf("share link\n%s\nwant\n%s", link, want)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}

	// Opened in a browser that has no plan, the link shows the same plan,
	// read from the role pages, and can be kept.
	other, otherConsole := browsertest.NewWithConsole(t)
	navigate(t, other, link)
	browsertest.WaitJS(t, other, items+`.length === 3 && `+items+`.every(li => li.querySelector(".look-for p"))`)
	if got := evalString(t, other, items+`.map(li => li.querySelector(".plan-meta a").getAttribute("href").replace(/^.*roles\//, "")).join(" ")`); got != "backend-developer/#"+isolationQ+" data-engineer/#"+firstData+" backend-developer/#"+firstBackend {
		t.Errorf("the shared plan shows %q; want the sender's order", got)
	}
	banner := evalString(t, other, `document.querySelector(".plan-shared").hidden ? "" : document.querySelector(".plan-shared").innerText`)
	if !strings.Contains(banner, "3 questions, “"+planTitle+"”") || !strings.Contains(banner, "Save as my plan") {
		t.Errorf("shared plan's banner reads %q", banner)
	}
	if got := evalString(t, other, `String(document.querySelectorAll(".plan-list .plan-remove").length)`); got != "0" {
		t.Errorf("a shared plan offers %s Remove buttons; want it read-only until saved", got)
	}
	run(t, other, `document.querySelector(".plan-save").click()`)
	browsertest.WaitJS(t, other, `location.hash === "" && document.querySelector(".plan-shared").hidden && document.querySelectorAll(".plan-list .plan-remove").length === 3`)
	if c := headerCount(t, other); c != "3(3 questions)" {
		t.Errorf("after saving a shared plan the header shows %q; want 3", c)
	}
	if got := evalString(t, other, `document.getElementById("plan-title").value`); got != planTitle {
		t.Errorf("saved plan's title %q; want %q", got, planTitle)
	}
	if errs := otherConsole.Errors(); len(errs) > 0 {
		t.Errorf("the shared plan logged errors: %q", errs)
	}
}

// TestBrowserPlanFromCategory picks a question on a category page, which
// lists questions without their notes: the plan page shows it with its
// notes, read from its role's page.
func TestBrowserPlanFromCategory(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	root := served(t)
	navigate(t, ctx, root+"categories/behavioral/")
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".question-links .plan-add").length === document.querySelectorAll(".question-links a").length`)
	name := evalString(t, ctx, `(b => b.textContent)(document.querySelector(".question-links .plan-add"))`)
	if !strings.HasPrefix(name, "Add to plan: question 1 of ") {
		t.Errorf("a category page's button is named %q; want it to say which question of which role", name)
	}
	href := evalString(t, ctx, `document.querySelector(".question-links a").getAttribute("href")`)
	text := evalString(t, ctx, `document.querySelector(".question-links a").textContent`)
	run(t, ctx, `document.querySelector(".question-links .plan-add").click()`)
	browsertest.WaitJS(t, ctx, `document.querySelector(".question-links .plan-add").textContent.startsWith("Remove from plan")`)
	navigate(t, ctx, root+"plan/")
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	browsertest.WaitJS(t, ctx, items+`.length === 1 && `+items+`[0].querySelector(".look-for p") !== null`)
	item := evalString(t, ctx, items+`[0].innerText`)
	if !strings.Contains(item, text) || !strings.Contains(item, "Behavioral") {
		t.Errorf("the plan reads %q; want the question %q of the Behavioral category", item, text)
	}
	if got := evalString(t, ctx, items+`[0].querySelector(".plan-meta a").getAttribute("href")`); !strings.HasSuffix(got, strings.TrimPrefix(href, "../..")) {
		t.Errorf("the plan links to %q; want the category page's link %q", got, href)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}

// TestBrowserPlanFromSearch picks a question among the results of the
// search page, whose buttons follow the results as the query changes.
func TestBrowserPlanFromSearch(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	root := served(t)
	navigate(t, ctx, root+"search/?q=isolation")
	first := `document.querySelector(".search-results li")`
	browsertest.WaitJS(t, ctx, first+` !== null && `+first+`.querySelector(".plan-add") !== null`)
	if got := evalString(t, ctx, `String([...document.querySelectorAll(".search-results li")].every(li => !/#q-/.test(li.querySelector("a").getAttribute("href")) || li.querySelector(".plan-add")))`); got != "true" {
		t.Errorf("not every question among the results has a button")
	}
	href := evalString(t, ctx, first+`.querySelector("a").getAttribute("href")`)
	run(t, ctx, first+`.querySelector(".plan-add").click()`)
	browsertest.WaitJS(t, ctx, first+`.querySelector(".plan-add").textContent.startsWith("Remove from plan")`)
	// A new query draws new results, with their own buttons.
	run(t, ctx, `(i => { i.value = "rate limiting"; i.dispatchEvent(new Event("input")); })(document.getElementById("search-page-input"))`)
	browsertest.WaitJS(t, ctx, `document.querySelector(".search-page .search-status").textContent.includes("rate limiting") && [...document.querySelectorAll(".search-results li .plan-add")].length > 0`)
	// Each button's name says which question it adds, as a screen reader
	// lists the page's buttons: among these results, the backend role has
	// several.
	if dup := evalString(t, ctx, `(names => names.filter((n, i) => names.indexOf(n) !== i).join(" | "))([...document.querySelectorAll(".search-results .plan-add")].map(b => b.textContent))`); dup != "" {
		t.Errorf("buttons share names: %s", dup)
	}
	navigate(t, ctx, root+"plan/")
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	browsertest.WaitJS(t, ctx, items+`.length === 1 && `+items+`[0].querySelector(".look-for p") !== null`)
	if got := evalString(t, ctx, items+`[0].querySelector(".plan-meta a").getAttribute("href")`); !strings.HasSuffix(got, strings.TrimPrefix(href, "..")) || !strings.Contains(got, isolationQ) {
		t.Errorf("the plan links to %q; want the first result, %q", got, href)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}

// TestBrowserPlanBadLinks opens shared links that name what the guide does
// not have, or that try to inject markup: nothing runs, and the page says
// what it could not find.
func TestBrowserPlanBadLinks(t *testing.T) {
	ctx := browsertest.New(t)
	root := served(t)
	navigate(t, ctx, root+`plan/#plan=..%2F..:q-a;x"><img src=x onerror=alert(1)>:q-b;backend-developer:<img%20src=x%20onerror=alert(1)>&title=<img src=x onerror=alert(2)>`)
	browsertest.WaitJS(t, ctx, `!document.querySelector(".plan-shared").hidden`)
	if got := evalString(t, ctx, `document.querySelector(".plan-shared").innerText`); !strings.Contains(got, "names no question of this guide") {
		t.Errorf("a link of nothing valid says %q", got)
	}
	if n := evalString(t, ctx, `String(document.querySelectorAll("main img").length + document.querySelectorAll(".plan-list li").length)`); n != "0" {
		t.Errorf("a hostile link made %s elements; want none", n)
	}

	// A question reworded since the link was made, and a role since
	// removed, are shown as such.
	navigate(t, ctx, root+"plan/#plan=backend-developer:q-no-such-question;no-such-role:q-anything")
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	browsertest.WaitJS(t, ctx, items+`.length === 2 && `+items+`.every(li => li.querySelector(".plan-warning"))`)
	got := evalString(t, ctx, items+`.map(li => li.querySelector(".plan-warning").textContent).join("|")`)
	if !strings.Contains(got, "no longer on its role's page") || !strings.Contains(got, "role is no longer in the guide") {
		t.Errorf("missing question and role say %q", got)
	}
}

// TestBrowserPlanFromDisk builds a plan in a guide opened from file://,
// where the plan page cannot read role pages: it shows the questions as
// they were stored, and links to them on disk.
func TestBrowserPlanFromDisk(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	dir := builtGuide(t)
	navigate(t, ctx, "file://"+filepath.Join(dir, "roles/backend-developer/index.html"))
	addToPlan(t, ctx, isolationQ)
	look := evalString(t, ctx, `document.getElementById(`+mustJSON(isolationQ)+`).querySelector(".look-for p").textContent`)
	// The header's link opens the plan page itself, not a folder listing.
	run(t, ctx, `document.querySelector("a.plan-nav").click()`)
	browsertest.WaitJS(t, ctx, `location.pathname.endsWith("/plan/index.html") && document.querySelectorAll(".plan-list .plan-item").length === 1`)
	item := evalString(t, ctx, `document.querySelector(".plan-list .plan-item").innerText`)
	if !strings.Contains(item, "isolation") || !strings.Contains(item, look) {
		t.Errorf("the plan from disk reads %q; want the question and its look-for note %q", item, look)
	}
	href := evalString(t, ctx, `document.querySelector(".plan-meta a").href`)
	if !strings.HasSuffix(href, "/roles/backend-developer/index.html#"+isolationQ) {
		t.Errorf("from disk the question links to %q; want its role page's index.html", href)
	}
	if w := evalString(t, ctx, `String(document.querySelector(".plan-warning"))`); w != "null" {
		t.Errorf("a question stored with its notes has a warning: %s", w)
	}
	if link := evalString(t, ctx, `document.getElementById("plan-link").value`); !strings.Contains(link, "/plan/index.html#plan=") {
		t.Errorf("from disk the plan's link is %q; want it to name plan/index.html", link)
	}

	// A question added from a category page has no notes stored, and from
	// disk the plan page cannot read them: it says so.
	navigate(t, ctx, "file://"+filepath.Join(dir, "categories/behavioral/index.html"))
	run(t, ctx, `document.querySelector(".question-links .plan-add").click()`)
	navigate(t, ctx, "file://"+filepath.Join(dir, "plan/index.html"))
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".plan-list .plan-item").length === 2`)
	if w := evalString(t, ctx, `document.querySelectorAll(".plan-list .plan-item")[1].querySelector(".plan-warning")?.textContent ?? ""`); !strings.Contains(w, "without its notes") {
		t.Errorf("a question without notes, from disk, warns %q; want it to say the notes are missing", w)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}

// hostileRole is a role whose notes, in a guide that lets raw HTML
// through, try every way we know to run script or style on the plan page.
const hostileRole = `---
title: Hostile Role
department: Engineering
summary: A role whose notes try to run script on the plan page.
questions:
  - q: Plain question one?
    category: technical
    look-for: >-
      Safe text <svg><a xlink:href="javascript:window.pwned=1"><text y="20">svg link</text></a><animate attributeName="href" values="javascript:window.pwned=2"/></svg>
      <svg><style>.plan-item{display:none!important}</style></svg>
      <img name="createElement" src="x.png"> <img src=x onerror="window.pwned=3">
      <a href="javascript:window.pwned=4">js link</a> <a href="../other/" onclick="window.pwned=5">relative link</a>
      <STYLE>.plan-list{display:none}</STYLE><script>window.pwned=6</script><iframe src="javascript:parent.pwned=7"></iframe>
      <form name="getElementById"><input name="x"></form>
  - q: Second question?
    category: behavioral
    look-for: Listens to <b>everyone</b>.
---
`

// serveGuide builds a guide of guide.yaml plus extra text and the given
// role files, and serves it under a subpath.
func serveGuide(t *testing.T, extra string, roles map[string]string) string {
	t.Helper()
	src := t.TempDir()
	cfg, err := os.ReadFile("guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"guide.yaml": string(cfg) + extra}
	for name, body := range roles {
		files["content/roles/"+name] = body
	}
	for name, body := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := build.Publish(context.Background(), src, out, build.Options{Theme: guide.Theme}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/g/", http.StripPrefix("/g", http.FileServer(http.Dir(out))))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL + "/g/"
}

// TestBrowserPlanHostileContent shows, on the plan page, questions of a
// role whose raw HTML tries to run script, restyle the page or shadow the
// document's methods: only the text and safe markup arrive.
func TestBrowserPlanHostileContent(t *testing.T) {
	root := serveGuide(t, "unsafe-html: true\n", map[string]string{"hostile-role.md": hostileRole})
	ctx := browsertest.New(t)
	navigate(t, ctx, root+"roles/hostile-role/")
	ids := evalString(t, ctx, `[...document.querySelectorAll("li.question")].map(li => li.id).join(",")`)
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, root+"plan/#plan=hostile-role:"+ids)
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	browsertest.WaitJS(t, ctx, items+`.length === 2 && `+items+`[0].querySelector(".look-for") !== null && `+items+`[0].innerText.includes("Safe text")`)
	run(t, ctx, `document.querySelectorAll(".plan-list a").forEach(a => a.dispatchEvent(new MouseEvent("mouseover")))`)
	got := evalString(t, ctx, `JSON.stringify({
  pwned: window.pwned === undefined ? null : window.pwned,
  createElement: typeof document.createElement,
  unsafe: [...document.querySelectorAll(".plan-list svg, .plan-list style, .plan-list script, .plan-list iframe, .plan-list form, .plan-list [name]")].length,
  onattrs: [...document.querySelectorAll(".plan-list *")].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
  badLinks: [...document.querySelectorAll(".plan-list a[href]")].map(a => a.getAttribute("href")).filter(h => !/^https?:/.test(h)).length,
  shown: `+items+`.every(li => li.offsetHeight > 0) && document.querySelector(".plan-list").offsetHeight > 0,
  second: `+items+`[1].querySelector(".look-for b") !== null
})`)
	if want := `{"pwned":null,"createElement":"function","unsafe":0,"onattrs":0,"badLinks":0,"shown":true,"second":true}`; got != want {
		t.Errorf("the plan page with hostile content: %s; want %s", got, want)
	}
}

// TestBrowserPlanEdges covers what a shared link or another tab can do to
// the plan page: a title cut inside a character, the skip link's
// fragment, entries it cannot read or too many of them, and Undo after the
// plan changed elsewhere.
func TestBrowserPlanEdges(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	root := served(t)
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`

	// A title of 119 letters and an emoji is cut before the emoji, not in
	// the middle of it; saved, the plan still makes its link.
	navigate(t, ctx, root+"plan/#plan=backend-developer:"+isolationQ+"&title="+strings.Repeat("a", 119)+"%F0%9F%98%80")
	browsertest.WaitJS(t, ctx, items+`.length === 1 && !document.querySelector(".plan-shared").hidden`)
	// The skip link's fragment leaves the shared plan on screen.
	run(t, ctx, `document.querySelector("a.skip").click()`)
	if got := evalString(t, ctx, `location.hash + " " + document.querySelector(".plan-shared").hidden + " " + `+items+`.length`); got != "#main false 1" {
		t.Errorf("after the skip link: %q; want the shared plan still shown", got)
	}
	run(t, ctx, `document.querySelector(".plan-save").click()`)
	browsertest.WaitJS(t, ctx, `document.querySelector(".plan-shared").hidden`)
	if got := evalString(t, ctx, `document.getElementById("plan-title").value`); got != strings.Repeat("a", 119) {
		t.Errorf("saved title %q; want the 119 letters before the emoji", got)
	}
	if got := evalString(t, ctx, `document.getElementById("plan-link").value`); !strings.HasSuffix(got, "&title="+strings.Repeat("a", 119)) {
		t.Errorf("saved plan's link %q; want it to end with the title cut before the emoji", got)
	}
	navigate(t, ctx, root+"plan/")
	browsertest.WaitJS(t, ctx, items+`.length === 1 && document.getElementById("plan-link").value !== ""`)

	// Undo puts a removed question back into the plan as it is now, not
	// as it was: a question stored meanwhile (here by a script of this
	// tab, which the page is not told of) stays.
	run(t, ctx, items+`[0].querySelector(".plan-remove").click()`)
	browsertest.WaitJS(t, ctx, items+`.length === 0 && !document.querySelector(".plan-undo").hidden`)
	run(t, ctx, `(() => {
  const k = Object.keys(localStorage).find(k => k.startsWith("guide-plan ") && !k.endsWith(" test"));
  const p = JSON.parse(localStorage.getItem(k));
  p.items.push({r: "data-engineer", q: "q-added-elsewhere", x: "Added in another tab"});
  localStorage.setItem(k, JSON.stringify(p));
})()`)
	run(t, ctx, `document.querySelector(".plan-undo").click()`)
	browsertest.WaitJS(t, ctx, items+`.length === 2`)
	if got := evalString(t, ctx, items+`.map(li => li.querySelector(".plan-meta a").getAttribute("href").replace(/^.*#/, "")).join(" ")`); got != isolationQ+" q-added-elsewhere" {
		t.Errorf("after Undo the plan holds %q; want the removed question back in its place and the one added meanwhile", got)
	}
	if got := evalString(t, ctx, `document.activeElement.closest(".plan-item") === `+items+`[0] ? "restored" : document.activeElement.tagName`); got != "restored" {
		t.Errorf("after Undo the focus is on %s; want the restored question", got)
	}

	// A change from another tab redraws the plan and takes Undo away:
	// what it would put back may no longer fit.
	run(t, ctx, items+`[1].querySelector(".plan-remove").click()`)
	browsertest.WaitJS(t, ctx, items+`.length === 1 && !document.querySelector(".plan-undo").hidden`)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	navigate(t, tab, root+"roles/backend-developer/")
	firstBackend := evalString(t, tab, `document.querySelector("li.question").id`)
	addToPlan(t, tab, firstBackend)
	browsertest.WaitJS(t, ctx, items+`.length === 2 && document.querySelector(".plan-undo").hidden`)
	cancel()

	// A link of 201 questions, two entries it cannot read: 200 are shown,
	// and the page says what it left out.
	var b strings.Builder
	b.WriteString("plan/#plan=backend-developer:")
	for i := range 201 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("q-" + strconv.Itoa(i))
	}
	b.WriteString(";Data-Engineer:q-x;data-engineer:q-%E0")
	navigate(t, ctx, root+b.String())
	browsertest.WaitJS(t, ctx, items+`.length === 200`)
	banner := evalString(t, ctx, `document.querySelector(".plan-shared-text").textContent`)
	for _, want := range []string{"200 questions", "2 entries of the link could not be read", "1 question was left out: a plan holds at most 200"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner %q; want it to say %q", banner, want)
		}
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}

// TestBrowserPlanNoStorage runs the plan where the browser refuses storage
// (a blocked site, some private modes): the buttons still work on the
// page, and both pages say why the plan will not last.
func TestBrowserPlanNoStorage(t *testing.T) {
	ctx, console := browsertest.NewWithConsole(t)
	if _, err := chromedp.Run(ctx, chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `Object.defineProperty(window, "localStorage", {get() { throw new DOMException("blocked", "SecurityError"); }});`,
		})
		return chromedp.Void{}, err
	})); err != nil {
		t.Fatal(err)
	}
	root := served(t)
	navigate(t, ctx, root+"roles/backend-developer/")
	addToPlan(t, ctx, isolationQ)
	if s := evalString(t, ctx, `document.querySelector(".plan-toast").textContent`); !strings.Contains(s, "storage is blocked") {
		t.Errorf("with storage blocked the role page says %q; want it to say the plan will not last", s)
	}
	navigate(t, ctx, root+"plan/")
	browsertest.WaitJS(t, ctx, `document.querySelector(".plan-status").textContent.includes("storage is blocked")`)
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("the pages logged errors: %q", errs)
	}
}

// visible reports whether the element sel finds takes up room on screen.
func visible(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	return evalString(t, ctx, `(e => String(e !== null && e.getClientRects().length > 0))(document.querySelector(`+mustJSON(sel)+`))`) == "true"
}

// TestBrowserHiddenStaysHidden checks what the scripts hide is not shown
// by a rule of the stylesheet: the theme's buttons have a display of their
// own, which the hidden attribute alone does not beat.
func TestBrowserHiddenStaysHidden(t *testing.T) {
	ctx := browsertest.New(t)
	root := served(t)
	navigate(t, ctx, root+"plan/")
	browsertest.WaitJS(t, ctx, `!document.querySelector(".plan-empty").hidden`)
	for _, sel := range []string{".plan-print", ".plan-copy", ".plan-clear", "#plan-link", ".plan-undo", ".plan-shared"} {
		if visible(t, ctx, sel) {
			t.Errorf("an empty plan shows %s", sel)
		}
	}
	navigate(t, ctx, root+"plan/#plan=backend-developer:"+isolationQ)
	browsertest.WaitJS(t, ctx, `document.querySelectorAll(".plan-list .plan-item").length === 1`)
	for sel, want := range map[string]bool{".plan-save": true, ".plan-print": true, ".plan-merge": false, ".plan-copy": false, "#plan-link": false} {
		if got := visible(t, ctx, sel); got != want {
			t.Errorf("a shared plan, with no plan of one's own: %s shown %v; want %v", sel, got, want)
		}
	}
	navigate(t, ctx, root+"search/?q=isolation")
	browsertest.WaitJS(t, ctx, `(n => n > 0 && n < 20)(document.querySelectorAll(".search-results li").length)`)
	if visible(t, ctx, ".search-more") {
		t.Error(`the search page shows "Show more results" under all of its few results`)
	}
}

// TestBrowserOpensFAQAtAnchor follows a link to an FAQ entry (as a search
// result does): its answer is open, and so is one linked to later.
func TestBrowserOpensFAQAtAnchor(t *testing.T) {
	ctx := browsertest.New(t)
	root := served(t)
	navigate(t, ctx, root+"roles/backend-developer/")
	ids := evalString(t, ctx, `[...document.querySelectorAll(".faq details")].slice(0, 2).map(d => d.id).join(" ")`)
	first, second, _ := strings.Cut(ids, " ")
	if first == "" || second == "" {
		t.Fatalf("the backend role has FAQ entries %q; want two", ids)
	}
	// From another page, so that the page loads with the fragment rather
	// than gaining it.
	navigate(t, ctx, root)
	navigate(t, ctx, root+"roles/backend-developer/#"+first)
	browsertest.WaitJS(t, ctx, `document.getElementById(`+mustJSON(first)+`).open && !document.getElementById(`+mustJSON(second)+`).open`)
	run(t, ctx, `location.hash = `+mustJSON("#"+second))
	browsertest.WaitJS(t, ctx, `document.getElementById(`+mustJSON(second)+`).open`)
}

// TestBrowserPlanUndoInSight removes a question far down a long plan: the
// message and Undo are on screen, not above it.
func TestBrowserPlanUndoInSight(t *testing.T) {
	ctx := browsertest.New(t)
	root := served(t)
	navigate(t, ctx, root+"roles/backend-developer/")
	n := evalString(t, ctx, `(() => { document.querySelectorAll("li.question .plan-add").forEach(b => b.click()); return String(document.querySelectorAll("li.question").length); })()`)
	items := `[...document.querySelectorAll(".plan-list .plan-item")]`
	for _, size := range []struct{ w, h int64 }{{1280, 800}, {390, 844}} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)); err != nil {
			t.Fatal(err)
		}
		navigate(t, ctx, root+"plan/")
		browsertest.WaitJS(t, ctx, items+`.length === `+n)
		// The question with the longest text, removed from the end of the list.
		run(t, ctx, `(b => { b.scrollIntoView(); b.click(); })(`+items+`.reduce((a, b) => b.querySelector(".plan-text").textContent.length >= a.querySelector(".plan-text").textContent.length ? b : a).querySelector(".plan-remove"))`)
		browsertest.WaitJS(t, ctx, `!document.querySelector(".plan-undo").hidden`)
		in := evalString(t, ctx, `(r => String(r.top >= 0 && r.bottom <= innerHeight))(document.querySelector(".plan-undo").getBoundingClientRect())`)
		if in != "true" {
			t.Errorf("%d px: after removing a question of a long plan, Undo is off screen", size.w)
		}
		// The bar that stays on top covers little of a phone's screen.
		share, err := strconv.Atoi(evalString(t, ctx, `String(Math.round(100 * document.querySelector(".plan-feedback").getBoundingClientRect().height / innerHeight))`))
		if err != nil || share > 12 {
			t.Errorf("%d px: the bar with Undo covers %d%% of the screen (%v); want at most 12%%", size.w, share, err)
		}
		run(t, ctx, `document.querySelector(".plan-undo").click()`)
		browsertest.WaitJS(t, ctx, items+`.length === `+n)
	}
}

// TestBrowserPlanDock follows the link to the plan that stays on screen
// once a question is added and the header has scrolled away, over HTTP and
// from disk: it shows the count, hides while the header's own link is in
// sight, and opens the plan page.
func TestBrowserPlanDock(t *testing.T) {
	for _, where := range []string{"http", "file"} {
		t.Run(where, func(t *testing.T) {
			ctx := browsertest.New(t)
			start := served(t) + "roles/backend-developer/"
			if where == "file" {
				start = "file://" + filepath.Join(builtGuide(t), "roles/backend-developer/index.html")
			}
			navigate(t, ctx, start)
			browsertest.WaitJS(t, ctx, `document.querySelector(".plan-dock") !== null`)
			if visible(t, ctx, ".plan-dock") {
				t.Error("with an empty plan, the link to it shows")
			}
			addToPlan(t, ctx, isolationQ)
			// Give the observer a moment: at the top, the header's link is in sight.
			run(t, ctx, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`)
			if visible(t, ctx, ".plan-dock") {
				t.Error("the link to the plan shows beside the header's own")
			}
			run(t, ctx, `window.scrollTo(0, document.documentElement.scrollHeight)`)
			browsertest.WaitJS(t, ctx, `(d => !d.hidden && d.getBoundingClientRect().bottom <= innerHeight && d.getBoundingClientRect().top >= 0)(document.querySelector(".plan-dock"))`)
			if text := evalString(t, ctx, `document.querySelector(".plan-dock").textContent`); !strings.Contains(text, "1 question") {
				t.Errorf("the link to the plan reads %q; want the count, 1 question", text)
			}
			// It leaves room for the message above it.
			over := evalString(t, ctx, `(() => { const a = document.querySelector(".plan-dock").getBoundingClientRect(), b = document.querySelector(".plan-toast").getBoundingClientRect(); return String(b.bottom > a.top && b.top < a.bottom && b.right > a.left && b.left < a.right); })()`)
			if over != "false" {
				t.Error("the link to the plan and the message overlap")
			}
			run(t, ctx, `document.querySelector(".plan-dock").click()`)
			want := `location.pathname.endsWith("/plan/")`
			if where == "file" {
				want = `location.pathname.endsWith("/plan/index.html")`
			}
			browsertest.WaitJS(t, ctx, want+` && document.querySelectorAll(".plan-list .plan-item").length === 1`)
		})
	}
}
