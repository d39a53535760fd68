package guide_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
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
	srv := newCountingServer(t, site)

	type run struct {
		Query      string
		PageBytes  int64
		Bytes      int64
		Requests   int
		Ms         float64
		Hits       int
		First      string
		Files      []string `json:",omitempty"`
		PageLoadMs float64
	}
	// The times vary from run to run by a third on a two-core machine:
	// GUIDE_SEARCHCOST_RUNS measures everything that many times over and
	// adds the medians.
	runs, _ := strconv.Atoi(os.Getenv("GUIDE_SEARCHCOST_RUNS"))
	var cold, warm [][]run
	for range max(runs, 1) {
		var c []run
		for _, q := range queries {
			ctx, console := browsertest.NewWithConsole(t)
			srv.reset()
			t0 := time.Now()
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+page), chromedp.WaitVisible("#search-input")); err != nil {
				t.Fatal(err)
			}
			loadMs := float64(time.Since(t0).Microseconds()) / 1000
			pageBytes, _, _ := srv.snapshot()
			srv.reset()
			r := measureQuery(t, ctx, q)
			time.Sleep(200 * time.Millisecond) // trailing requests
			b, n, files := srv.snapshot()
			c = append(c, run{Query: q, PageBytes: pageBytes, Bytes: b, Requests: n, Ms: r.Ms, Hits: r.Hits, First: r.First, Files: files, PageLoadMs: loadMs})
			if errs := console.Errors(); len(errs) > 0 {
				t.Errorf("%q: the page logged errors: %q", q, errs)
			}
		}
		var w []run
		ctx, _ := browsertest.NewWithConsole(t)
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+page), chromedp.WaitVisible("#search-input")); err != nil {
			t.Fatal(err)
		}
		for _, q := range queries {
			srv.reset()
			r := measureQuery(t, ctx, q)
			time.Sleep(200 * time.Millisecond)
			b, n, files := srv.snapshot()
			w = append(w, run{Query: q, Bytes: b, Requests: n, Ms: r.Ms, Hits: r.Hits, First: r.First, Files: files})
		}
		cold, warm = append(cold, c), append(warm, w)
	}
	out, _ := json.MarshalIndent(map[string]any{"site": site, "page": page, "cold": cold, "warm": warm}, "", " ")
	fmt.Println(string(out))
	for i := range cold {
		for _, r := range cold[i] {
			t.Logf("cold %-28q %7.1f KB %3d requests %6.1f ms  (page %5.1f KB)", r.Query, float64(r.Bytes)/1000, r.Requests, r.Ms, float64(r.PageBytes)/1000)
		}
		for _, r := range warm[i] {
			t.Logf("warm %-28q %7.1f KB %3d requests %6.1f ms", r.Query, float64(r.Bytes)/1000, r.Requests, r.Ms)
		}
	}
	if len(cold) > 1 {
		for _, m := range []struct {
			name string
			runs [][]run
		}{{"cold", cold}, {"warm", warm}} {
			for j, q := range queries {
				var ms, kb []float64
				for _, rs := range m.runs {
					ms, kb = append(ms, rs[j].Ms), append(kb, float64(rs[j].Bytes)/1000)
				}
				slices.Sort(ms)
				t.Logf("median of %d: %s %-28q %7.1f KB %6.1f ms (%.1f-%.1f ms)", len(ms), m.name, q, median(kb), median(ms), ms[0], ms[len(ms)-1])
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

type queryResult struct {
	Ms    float64
	Hits  int
	First string
}

// measureQuery types q into the search box at once, as a paste would, and
// times it until the live region announces the results for q, which the
// client does after it has drawn them.
func measureQuery(t *testing.T, ctx context.Context, q string) queryResult {
	t.Helper()
	js := `(async (q) => {
  const input = document.getElementById("search-input");
  const status = document.querySelector("form.search [role=status]");
  const t0 = performance.now();
  const done = new Promise(resolve => {
    const obs = new MutationObserver(() => {
      if (status.textContent.includes("“" + q + "”")) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(status, {childList: true, characterData: true, subtree: true});
  });
  input.dispatchEvent(new FocusEvent("focus"));
  input.value = q;
  input.dispatchEvent(new Event("input"));
  const ms = await done;
  const first = document.querySelector("#search-listbox [role=option] .sr-text");
  return {Ms: ms, Hits: document.querySelectorAll("#search-listbox [role=option]").length, First: first ? first.textContent : ""};
})(` + mustJSON(q) + `)`
	r, err := chromedp.Run(ctx, chromedp.Evaluate[queryResult](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%q: %v", q, err)
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
