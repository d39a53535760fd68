package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guide-build/guide/internal/build"
	"github.com/guide-build/guide/internal/diag"
)

// fakeSite is a site whose files and problems a test sets directly.
type fakeSite struct {
	mu     sync.Mutex
	files  map[string]string
	broken map[string]bool // Render fails for these
	diags  diag.List
}

func newFakeSite() *fakeSite {
	return &fakeSite{
		files: map[string]string{
			"index.html":                      "<!doctype html><html><head><title>Home</title></head><body>home</body></html>",
			"roles/backend/index.html":        "<!doctype html><html><head><link rel=stylesheet href=../../assets/site.aaaaaaaaaa.css></head><body>backend v1</body></html>",
			"404.html":                        "<!doctype html><html><head></head><body>not found page</body></html>",
			"assets/site.aaaaaaaaaa.css":      "body{color:red}",
			"assets/site.bbbb.js":             "console.log(1)",
			"assets/favicon.svg":              "<svg/>",
			"sitemap.xml":                     "<?xml version=\"1.0\"?><urlset/>",
			"robots.txt":                      "User-agent: *\n",
			"feed.xml":                        "<feed/>",
			"categories/technical/index.html": "<html><head></head><body>cat</body></html>",
		},
		broken: map[string]bool{},
	}
}

func (f *fakeSite) Render(p string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.broken[p] {
		return nil, errors.New("the file has errors")
	}
	s, ok := f.files[p]
	if !ok {
		return nil, build.ErrNotFound
	}
	return []byte(s), nil
}

func (f *fakeSite) Diags() diag.List {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.diags
}

func (f *fakeSite) set(p, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if body == "" {
		delete(f.files, p)
	} else {
		f.files[p] = body
	}
}

func get(t *testing.T, h http.Handler, method, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1"+target, nil)
	if target != "" && !strings.HasPrefix(target, "/") {
		req.URL.Path = target // a raw path no client library would send
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServerServesFilesWithTheirTypes(t *testing.T) {
	s := NewServer(newFakeSite())
	for _, tc := range []struct {
		path, ctype, contains string
		live                  bool
	}{
		{"/", "text/html; charset=utf-8", "home", true},
		{"/roles/backend/", "text/html; charset=utf-8", "backend v1", true},
		{"/roles/backend/index.html", "text/html; charset=utf-8", "backend v1", true},
		{"/assets/site.aaaaaaaaaa.css", "text/css; charset=utf-8", "color:red", false},
		{"/assets/site.bbbb.js", "text/javascript; charset=utf-8", "console.log", false},
		{"/assets/favicon.svg", "image/svg+xml", "<svg/>", false},
		{"/sitemap.xml", "application/xml; charset=utf-8", "urlset", false},
		{"/feed.xml", "application/xml; charset=utf-8", "feed", false},
		{"/robots.txt", "text/plain; charset=utf-8", "User-agent", false},
		{"/__guide/live.js", "text/javascript; charset=utf-8", "EventSource", false},
	} {
		r := get(t, s, "GET", tc.path)
		b := body(t, r)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != tc.ctype || !strings.Contains(b, tc.contains) {
			t.Errorf("GET %s: %d %q %q; want 200 %q containing %q", tc.path, r.StatusCode, r.Header.Get("Content-Type"), b, tc.ctype, tc.contains)
		}
		if got := strings.Contains(b, livePath); got != tc.live {
			t.Errorf("GET %s: live-reload script present %v; want %v", tc.path, got, tc.live)
		}
		if tc.live && strings.Index(b, livePath) > strings.Index(b, "</head>") {
			t.Errorf("GET %s: the live-reload script is not in <head>", tc.path)
		}
	}
}

func TestServerNotFoundAndTraversal(t *testing.T) {
	site := newFakeSite()
	site.files["secret"] = "must not be reachable by traversal"
	s := NewServer(site)
	for _, p := range []string{
		"/nope", "/roles/nope/", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/roles/%2e%2e/%2e%2e/secret",
		"/roles/../../secret", "//etc/passwd", "/roles/backend/..%2f..%2fsecret", "/roles\\..\\secret",
		"/..", "/./secret", "/roles/backend/%00", "/etc/passwd",
	} {
		r := get(t, s, "GET", p)
		b := body(t, r)
		if r.StatusCode != http.StatusNotFound && r.StatusCode != http.StatusMovedPermanently && r.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: status %d; want 404", p, r.StatusCode)
		}
		if strings.Contains(b, "must not be reachable") {
			t.Errorf("GET %s reached a file through traversal", p)
		}
		if r.StatusCode == http.StatusNotFound && !strings.Contains(b, "not found page") {
			t.Errorf("GET %s: the 404 page should be served with status 404, got %q", p, b)
		}
	}
	r := get(t, s, "HEAD", "/nope")
	if r.StatusCode != 404 || body(t, r) != "" {
		t.Errorf("HEAD of a missing page: %d with a body; want 404 without", r.StatusCode)
	}
}

func TestServerRedirectsFolderWithoutSlash(t *testing.T) {
	s := NewServer(newFakeSite())
	r := get(t, s, "GET", "/roles/backend?x=1")
	if r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != "/roles/backend/?x=1" {
		t.Errorf("got %d to %q; want 301 to /roles/backend/?x=1", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestServerHeadConditionalAndMethods(t *testing.T) {
	s := NewServer(newFakeSite())
	r := get(t, s, "GET", "/")
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if r := get(t, s, "GET", "/", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d; want 304", r.StatusCode)
	}
	r = get(t, s, "HEAD", "/")
	if r.StatusCode != 200 || body(t, r) != "" || r.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, body %q, length %q; want 200, no body, a length", r.StatusCode, body(t, r), r.Header.Get("Content-Length"))
	}
	if r := get(t, s, "POST", "/"); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d; want 405", r.StatusCode)
	}
	if r := get(t, s, "GET", "/assets/site.aaaaaaaaaa.css", "Range", "bytes=0-3"); r.StatusCode != http.StatusPartialContent || body(t, r) != "body" {
		t.Errorf("range request: %d; want 206 with the first four bytes", r.StatusCode)
	}
}

func TestServerKeepsLastGoodPage(t *testing.T) {
	site := newFakeSite()
	s := NewServer(site)
	get(t, s, "GET", "/roles/backend/")
	site.mu.Lock()
	site.broken["roles/backend/index.html"] = true
	site.diags = diag.List{{File: "content/roles/backend.md", Line: 3, Message: "invalid YAML"}}
	site.mu.Unlock()
	s.Update(build.Change{Changed: true, Diags: site.Diags()})
	r := get(t, s, "GET", "/roles/backend/")
	if b := body(t, r); r.StatusCode != 200 || !strings.Contains(b, "backend v1") {
		t.Errorf("while broken: %d %q; want the last good page", r.StatusCode, b)
	}
}

// sse reads events from the server's stream.
type sse struct {
	events chan [2]string
	cancel context.CancelFunc
}

// subscribe opens the event stream as a browser showing page would.
func subscribe(t *testing.T, url, page string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url+eventsPath+"?page="+page, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream content type %q", ct)
	}
	s := &sse{events: make(chan [2]string, 16), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				s.events <- [2]string{name, strings.TrimPrefix(line, "data: ")}
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

func (s *sse) next(t *testing.T) [2]string {
	t.Helper()
	select {
	case e := <-s.events:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return [2]string{}
}

func TestServerEvents(t *testing.T) {
	site := newFakeSite()
	s := NewServer(site)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close) // after the stream below is cancelled
	get(t, s, "GET", "/roles/backend/")
	get(t, s, "GET", "/")
	get(t, s, "GET", "/assets/site.aaaaaaaaaa.css")

	ev := subscribe(t, ts.URL, "roles/backend/index.html")
	home := subscribe(t, ts.URL, "index.html")
	home.next(t)
	if e := ev.next(t); e != [2]string{"errors", "[]"} {
		t.Fatalf("first event %q; want the current (empty) problems", e)
	}

	// A role page changes: only it is named.
	site.set("roles/backend/index.html", strings.Replace(site.files["roles/backend/index.html"], "v1", "v2", 1))
	if changed := s.Update(build.Change{Changed: true}); len(changed) != 1 {
		t.Errorf("Update says %q changed; want only the role page", changed)
	}
	if e := ev.next(t); e != [2]string{"reload", `["roles/backend/index.html"]`} {
		t.Errorf("after a role change: %q; want a reload of that page only", e)
	}
	if e := home.next(t); e != [2]string{"reload", `["roles/backend/index.html"]`} {
		t.Errorf("the home page's stream got %q", e) // the browser compares its own page
	}

	// Warnings do not show as errors.
	site.mu.Lock()
	site.diags = diag.List{{File: "content/roles/backend.md", Severity: diag.Warning, Message: "department not listed"}}
	site.mu.Unlock()
	s.Update(build.Change{Changed: true, Diags: site.Diags()})

	// The guide breaks: the problems are sent, nothing reloads.
	site.mu.Lock()
	site.broken["roles/backend/index.html"] = true
	site.diags = diag.List{{File: "content/roles/backend.md", Line: 3, Message: "invalid YAML: oops"}}
	site.mu.Unlock()
	s.Update(build.Change{Changed: true, Diags: site.Diags()})
	if e := ev.next(t); e != [2]string{"errors", `["content/roles/backend.md:3: invalid YAML: oops"]`} {
		t.Errorf("after breaking: %q; want the problem with file and line", e)
	}

	// Fixed: the overlay goes.
	site.mu.Lock()
	delete(site.broken, "roles/backend/index.html")
	site.diags = nil
	site.mu.Unlock()
	s.Update(build.Change{Changed: true})
	if e := ev.next(t); e != [2]string{"errors", "[]"} {
		t.Errorf("after fixing: %q; want no problems", e)
	}

	// A CSS-only change: the stylesheet is renamed, pages link to the new
	// one; browsers swap it instead of reloading.
	site.set("assets/site.aaaaaaaaaa.css", "")
	site.set("assets/site.cccccccccc.css", "body{color:blue}")
	site.set("roles/backend/index.html", strings.Replace(site.files["roles/backend/index.html"], "site.aaaaaaaaaa.css", "site.cccccccccc.css", 1))
	s.Update(build.Change{Changed: true, Assets: []string{"assets/site.css"}})
	if e := ev.next(t); e != [2]string{"css", `{"from":"site.aaaaaaaaaa.css","to":"site.cccccccccc.css"}`} {
		t.Errorf("after a CSS change: %q; want a stylesheet swap", e)
	}

	// A page that no longer exists is named too, so its browser reloads
	// into the 404 page.
	site.set("roles/backend/index.html", "")
	s.Update(build.Change{Changed: true, Reloaded: true})
	if e := ev.next(t); e != [2]string{"reload", `["roles/backend/index.html"]`} {
		t.Errorf("after a removal: %q", e)
	}
}

func TestServerRefusesOtherHosts(t *testing.T) {
	s := NewServer(newFakeSite())
	s.AllowHosts("localhost", "127.0.0.1", "::1")
	for host, want := range map[string]int{
		"127.0.0.1:1313":        200,
		"localhost:1313":        200,
		"LOCALHOST":             200,
		"[::1]:1313":            200,
		"attacker.example:1313": 403,
		"attacker.example":      403,
		"10.0.0.5:1313":         403,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: status %d; want %d", host, rec.Code, want)
		}
	}
}

func TestServerExplainsABrokenPage(t *testing.T) {
	site := newFakeSite()
	site.broken["roles/backend/index.html"] = true
	site.diags = diag.List{{File: "content/roles/backend.md", Line: 7, Message: `unknown category "<ops>"`}}
	s := NewServer(site)
	r := get(t, s, "GET", "/roles/backend/")
	b := body(t, r)
	if r.StatusCode != http.StatusInternalServerError || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("status %d %q; want 500 with an HTML page", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if !strings.Contains(b, "content/roles/backend.md:7: unknown category &#34;&lt;ops&gt;&#34;") {
		t.Errorf("the page does not show the error, escaped:\n%s", b)
	}
	if !strings.Contains(b, livePath) {
		t.Error("the error page must reload itself once the file is fixed")
	}
}

func TestServerForgetsLeastRecentlyUsed(t *testing.T) {
	site := newFakeSite()
	for i := range maxCached + 10 {
		site.files[fmt.Sprintf("roles/r%d/index.html", i)] = "<html><head></head><body>x</body></html>"
	}
	s := NewServer(site)
	get(t, s, "GET", "/roles/backend/")
	for i := range maxCached + 10 {
		get(t, s, "GET", fmt.Sprintf("/roles/r%d/", i))
		get(t, s, "GET", "/roles/backend/") // keeps being used
	}
	s.mu.Lock()
	_, kept := s.cache["roles/backend/index.html"]
	n := len(s.cache)
	s.mu.Unlock()
	if !kept || n > maxCached {
		t.Errorf("kept the page in use: %v, %d files cached; want it kept and at most %d", kept, n, maxCached)
	}
}

func TestServerEventsAreGETOnly(t *testing.T) {
	s := NewServer(newFakeSite())
	if r := get(t, s, "HEAD", eventsPath); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HEAD of the event stream: %d; want 405 rather than a stream that never ends", r.StatusCode)
	}
}
