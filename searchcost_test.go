package guide_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/browsertest"
)

// TestSearchCost measures what a search costs a visitor of a built guide, the
// way ../shared/bench/searchcost.js measures Pagefind: bytes counted at the
// server, which compresses text with gzip as static hosts do, and time from
// the query being typed to the results on screen, in headless Chromium on
// loopback. It runs only when asked:
//
//	GUIDE_SEARCHCOST_SITE=/tmp/guide-bench/out-guide-10000 \
//	GUIDE_SEARCHCOST_PAGE=roles/backend-developer-51/ \
//	go test -run TestSearchCost -v .
//
// Cold: each query in a fresh browser (empty cache) right after the role
// page has loaded, so it includes fetching search.js. Warm: all queries in
// turn in one page; the second and later queries show what a visitor pays
// once search is running. GUIDE_SEARCHCOST_RUNS=N repeats it all N times
// and logs the medians. docs/performance.md has the results.
//
// Each is measured twice. Attached: in the page the test drives, which has
// the DevTools domains chromedp enables (network, DOM, CSS, page, log)
// reporting every request and change to the test, as searchcost.js's
// Playwright watches Pagefind's page. Detached: in a window that page
// opens, which no DevTools session watches, as no visitor's page is. On
// two cores the reports cost the page about as much as its own work.
//
// GUIDE_SEARCHCOST_DELAY=50ms holds every response back that long, as a
// network's round trip would (loopback has none): the times then show how
// many rounds of requests each query waits for.
//
// GUIDE_SEARCHCOST_PAGEFIND names a site with a Pagefind index (see
// ../shared/bench/README.md): the same page and queries then run against
// Pagefind too, as searchcost.js runs them (its start-up, search() and the
// first five data() calls), both ways.
func TestSearchCost(t *testing.T) {
	site := os.Getenv("GUIDE_SEARCHCOST_SITE")
	if site == "" {
		t.Skip("set GUIDE_SEARCHCOST_SITE to a built guide to measure search")
	}
	page := os.Getenv("GUIDE_SEARCHCOST_PAGE")
	queries := []string{"database index", "latency cache replication", "olkerien rostitraan"}
	if q := os.Getenv("GUIDE_SEARCHCOST_QUERIES"); q != "" {
		queries = strings.Split(q, ",")
	}
	type engine struct {
		name    string
		srv     *countingServer
		measure func(t *testing.T, ctx context.Context, win, q string) queryResult
		// ours: the page's errors fail the test. The Hugo site of
		// ../shared/bench logs one of its own, a missing favicon.ico.
		ours bool
	}
	engines := []engine{{"guide", newCountingServer(t, site), measureQuery, true}}
	if pf := os.Getenv("GUIDE_SEARCHCOST_PAGEFIND"); pf != "" {
		engines = append(engines, engine{"pagefind", newCountingServer(t, pf), measurePagefind, false})
	}
	if d := os.Getenv("GUIDE_SEARCHCOST_DELAY"); d != "" {
		delay, err := time.ParseDuration(d)
		if err != nil {
			t.Fatalf("GUIDE_SEARCHCOST_DELAY: %v", err)
		}
		for _, e := range engines {
			e.srv.delay = delay
		}
	}

	type run struct {
		Query     string
		PageBytes int64 `json:",omitempty"`
		Bytes     int64
		Requests  int
		Ms        float64
		Hits      int
		First     string
		Files     []string `json:",omitempty"`
	}
	// The times vary from run to run by a third on a two-core machine:
	// GUIDE_SEARCHCOST_RUNS measures everything that many times over and
	// adds the medians.
	runs, _ := strconv.Atoi(os.Getenv("GUIDE_SEARCHCOST_RUNS"))
	type key struct{ engine, way, kind string } // kind: cold or warm
	all := map[key][][]run{}
	var keys []key
	for range max(runs, 1) {
		for _, e := range engines {
			// one measures q in the open page, counting what it alone
			// costs.
			one := func(ctx context.Context, win, q string) run {
				e.srv.reset()
				r := e.measure(t, ctx, win, q)
				time.Sleep(200 * time.Millisecond) // trailing requests
				b, n, files := e.srv.snapshot()
				return run{Query: q, Bytes: b, Requests: n, Ms: r.Ms, Hits: r.Hits, First: r.First, Files: files}
			}
			for _, way := range []string{"detached", "attached"} {
				var c []run
				for _, q := range queries {
					ctx, win, errs := openCostPage(t, e.srv, page, way == "detached")
					pageBytes, _, _ := e.srv.snapshot()
					r := one(ctx, win, q)
					r.PageBytes = pageBytes
					c = append(c, r)
					if errs := errs(); len(errs) > 0 && e.ours {
						t.Errorf("%s %s %q: the page logged errors: %q", e.name, way, q, errs)
					}
				}
				var w []run
				ctx, win, errs := openCostPage(t, e.srv, page, way == "detached")
				for _, q := range queries {
					w = append(w, one(ctx, win, q))
				}
				if errs := errs(); len(errs) > 0 && e.ours {
					t.Errorf("%s %s warm: the page logged errors: %q", e.name, way, errs)
				}
				for _, k := range []key{{e.name, way, "cold"}, {e.name, way, "warm"}} {
					if all[k] == nil {
						keys = append(keys, k)
					}
				}
				all[key{e.name, way, "cold"}] = append(all[key{e.name, way, "cold"}], c)
				all[key{e.name, way, "warm"}] = append(all[key{e.name, way, "warm"}], w)
			}
		}
	}
	out := map[string]any{"site": site, "page": page}
	for _, k := range keys {
		out[k.engine+" "+k.way+" "+k.kind] = all[k]
	}
	js, _ := json.MarshalIndent(out, "", " ")
	fmt.Println(string(js))
	for _, k := range keys {
		for _, rs := range all[k] {
			for _, r := range rs {
				t.Logf("%-8s %-8s %s %-28q %7.1f KB %3d requests %6.1f ms", k.engine, k.way, k.kind, r.Query, float64(r.Bytes)/1000, r.Requests, r.Ms)
			}
		}
	}
	if max(runs, 1) > 1 {
		for _, k := range keys {
			for j, q := range queries {
				var ms, kb []float64
				for _, rs := range all[k] {
					ms, kb = append(ms, rs[j].Ms), append(kb, float64(rs[j].Bytes)/1000)
				}
				slices.Sort(ms)
				t.Logf("median of %d: %-8s %-8s %s %-28q %7.1f KB %6.1f ms (%.1f-%.1f ms)", len(ms), k.engine, k.way, k.kind, q, median(kb), median(ms), ms[0], ms[len(ms)-1])
			}
		}
	}
}

// median returns the middle value of xs, or the mean of the two middle
// values.
func median(xs []float64) float64 {
	xs = slices.Sorted(slices.Values(xs))
	n := len(xs)
	return (xs[(n-1)/2] + xs[n/2]) / 2
}

// openCostPage starts a fresh browser (an empty cache) and opens page on
// srv in it, leaving srv's count at what the page cost. It returns the
// browser, the JavaScript that names the page's window in the browser's
// first page, and a function returning the errors the page has logged.
//
// Attached, the page is the browser's first page, the one chromedp drives.
// Detached, that page is a blank one of srv's, which opens the page with
// window.open: a window of the same origin, whose document the first page
// can script, but which no DevTools session is attached to.
func openCostPage(t *testing.T, srv *countingServer, page string, detached bool) (ctx context.Context, win string, errs func() []string) {
	t.Helper()
	ctx, console := browsertest.NewWithConsole(t)
	if !detached {
		srv.reset()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+page), chromedp.WaitVisible("body")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // trailing requests
		return ctx, "window", console.Errors
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+blankPage)); err != nil {
		t.Fatal(err)
	}
	srv.reset()
	// The window's errors: uncaught exceptions, rejected promises, files
	// that failed to load and console.error calls.
	js := `(async (u) => {
  const w = window.open(u, "_blank");
  if (!w) throw new Error("window.open was refused");
  window.__w = w;
  await new Promise((resolve) => {
    const check = () => {
      try {
        if (w.location.href === u && w.document.readyState === "complete") return resolve();
      } catch (e) {}
      setTimeout(check, 5);
    };
    check();
  });
  const errs = window.__errs = [];
  w.addEventListener("error", (e) => errs.push(e.message || "could not load " + (e.target && (e.target.src || e.target.href))), true);
  w.addEventListener("unhandledrejection", (e) => errs.push("unhandled rejection: " + e.reason));
  const log = w.console.error;
  w.console.error = function () { errs.push(Array.from(arguments).join(" ")); return log.apply(this, arguments); };
  return 0;
})(` + mustJSON(srv.url+page) + `)`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](js, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("opening %s: %v", page, err)
	}
	time.Sleep(200 * time.Millisecond) // trailing requests, such as the window's icon
	return ctx, "window.__w", func() []string {
		e, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__errs || []`))
		if err != nil {
			return []string{err.Error()}
		}
		return append(console.Errors(), e...)
	}
}

// blankPage is the page of countingServer that opens the detached window:
// empty, and not counted.
const blankPage = "__searchcost-blank"

type queryResult struct {
	Ms    float64
	Hits  int
	First string
}

// measureQuery types q into the search box of the window win names at once,
// as a paste would, and times it until the live region announces the
// results for q, which the client does after it has drawn them.
func measureQuery(t *testing.T, ctx context.Context, win, q string) queryResult {
	t.Helper()
	js := `(async (q) => {
  const w = ` + win + `, d = w.document;
  const input = d.getElementById("search-input");
  const status = d.querySelector("form.search [role=status]");
  const t0 = w.performance.now();
  const done = new Promise(resolve => {
    const obs = new w.MutationObserver(() => {
      if (status.textContent.includes("“" + q + "”")) { obs.disconnect(); resolve(w.performance.now() - t0); }
    });
    obs.observe(status, {childList: true, characterData: true, subtree: true});
  });
  input.dispatchEvent(new w.FocusEvent("focus"));
  input.value = q;
  input.dispatchEvent(new w.Event("input"));
  const ms = await done;
  const first = d.querySelector("#search-listbox [role=option] .sr-text");
  return {Ms: ms, Hits: d.querySelectorAll("#search-listbox [role=option]").length, First: first ? first.textContent : ""};
})(` + mustJSON(q) + `)`
	r, err := chromedp.Run(ctx, chromedp.Evaluate[queryResult](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return r
}

// measurePagefind runs q through Pagefind in the window win names, as
// ../shared/bench/searchcost.js does: its start-up the first time, then
// search() and the first five results' data().
func measurePagefind(t *testing.T, ctx context.Context, win, q string) queryResult {
	t.Helper()
	js := `(async (q) => {
  const w = ` + win + `;
  const t0 = w.performance.now();
  if (!w.__pf) { w.__pf = await w.eval("import('/pagefind/pagefind.js')"); await w.__pf.init(); }
  const s = await w.__pf.search(q);
  const data = await Promise.all(s.results.slice(0, 5).map((r) => r.data()));
  return {Ms: w.performance.now() - t0, Hits: s.results.length, First: data.length ? data[0].url : ""};
})(` + mustJSON(q) + `)`
	r, err := chromedp.Run(ctx, chromedp.Evaluate[queryResult](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("pagefind %q: %v", q, err)
	}
	return r
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// countingServer serves a folder as a static host would, gzip for text,
// and counts what it sends. It compresses every text file before it
// starts serving, as a host does that keeps compressed copies (nginx's
// gzip_static, a CDN's cache): the time measured is then the browser's and
// the network's, not the compressor's, as in ../shared/bench/searchcost.js,
// whose server sends Pagefind's files as they are stored, compressed.
type countingServer struct {
	url   string
	root  string
	mu    sync.Mutex
	bytes int64
	files []string
	gz    map[string][]byte // file → its gzipped body
	delay time.Duration     // before each response: see GUIDE_SEARCHCOST_DELAY
}

var textTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
	".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".txt": "text/plain",
}

func newCountingServer(t *testing.T, root string) *countingServer {
	t.Helper()
	gz, err := compressAll(root)
	if err != nil {
		t.Fatal(err)
	}
	s := &countingServer{root: root, gz: gz}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: s}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	s.url = "http://" + ln.Addr().String() + "/"
	return s
}

// compressAll gzips every text file under root, on every core.
func compressAll(root string) (map[string][]byte, error) {
	var names []string
	err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && textTypes[path.Ext(name)] != "" {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(names))
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(runtime.NumCPU())
	for _, name := range names {
		g.Go(func() error {
			body, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, 6)
			zw.Write(body)
			zw.Close()
			mu.Lock()
			out[name] = buf.Bytes()
			mu.Unlock()
			return nil
		})
	}
	return out, g.Wait()
}

func (s *countingServer) reset() {
	s.mu.Lock()
	s.bytes, s.files = 0, nil
	s.mu.Unlock()
}

func (s *countingServer) snapshot() (int64, int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes, len(s.files), append([]string(nil), s.files...)
}

func (s *countingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/"+blankPage {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><link rel="icon" href="data:,"><title>searchcost</title>`)
		return
	}
	p := path.Clean(r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		p += "/index.html"
	}
	name := filepath.Join(s.root, filepath.FromSlash(p))
	body, err := os.ReadFile(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	time.Sleep(s.delay)
	ct, text := textTypes[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "max-age=3600")
	if gz, ok := s.gz[name]; ok && text && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		body = gz
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	headerBytes := len("HTTP/1.1 200 OK\r\n") + 2
	for k, v := range h {
		headerBytes += len(k) + 2 + len(strings.Join(v, ", ")) + 2
	}
	s.mu.Lock()
	s.bytes += int64(len(body) + headerBytes)
	s.files = append(s.files, fmt.Sprintf("%s:%d", p, len(body)))
	s.mu.Unlock()
}
