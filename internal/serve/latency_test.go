package serve

import (
	"bufio"
	"strconv"

	"github.com/chromedp/chromedp"

	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guide-build/guide/internal/browsertest"
)

// TestServeLatency measures, on a guide of your choice, how long the dev
// server takes from a saved file to the reload event and to the reloaded
// page, and how much memory it holds. It edits a role file in place, so
// point it at a scratch copy:
//
//	cp -r /tmp/guide-bench/corpus-10000 /tmp/serve-bench
//	GUIDE_SERVE_SOURCE=/tmp/serve-bench GUIDE_SERVE_ROLE=backend-developer-51 \
//	go test -run TestServeLatency -v ./internal/serve
//
// docs/performance.md has the results.
func TestServeLatency(t *testing.T) {
	src := os.Getenv("GUIDE_SERVE_SOURCE")
	role := os.Getenv("GUIDE_SERVE_ROLE")
	if src == "" || role == "" {
		t.Skip("set GUIDE_SERVE_SOURCE and GUIDE_SERVE_ROLE to measure the dev server")
	}
	t0 := time.Now()
	r := start(t, Options{Source: src, Port: 0})
	t.Logf("loaded and serving in %s", time.Since(t0).Round(time.Millisecond))
	page := r.url + "roles/" + role + "/"
	fetch(t, page)
	ev := subscribe(t, strings.TrimSuffix(r.url, "/"), "roles/"+role+"/index.html")
	ev.next(t)
	file := filepath.Join(src, "content/roles", role+".md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(file, orig, 0o644)
	var toEvent, toPage []time.Duration
	for i := range 15 {
		marker := fmt.Sprintf("Edited %d times.", i+1)
		body := strings.Replace(string(orig), "\n---\n", "\n---\n"+marker+"\n\n", 1)
		w0 := time.Now()
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		e := ev.next(t)
		if e[0] != "reload" {
			t.Fatalf("got %q; want a reload", e)
		}
		toEvent = append(toEvent, time.Since(w0))
		resp, err := http.Get(page)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		found := false
		for sc.Scan() {
			found = found || strings.Contains(sc.Text(), marker)
		}
		resp.Body.Close()
		if !found {
			t.Fatalf("the page does not show edit %d", i+1)
		}
		toPage = append(toPage, time.Since(w0))
		time.Sleep(100 * time.Millisecond)
	}
	med := func(d []time.Duration) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	rss := ""
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmRSS:") || strings.HasPrefix(l, "VmHWM:") {
				rss += strings.Join(strings.Fields(l), " ") + " "
			}
		}
	}
	t.Logf("save to reload event: median %s (min %s, max %s)", med(toEvent), slices.Min(toEvent), slices.Max(toEvent))
	t.Logf("save to reloaded page: median %s (min %s, max %s)", med(toPage), slices.Min(toPage), slices.Max(toPage))
	t.Logf("memory of the test process: %s", rss)
	for _, l := range strings.Split(r.stdout.String(), "\n") {
		if strings.Contains(l, "updated") {
			t.Log(l)
			break
		}
	}
}

// TestServeLatencyInBrowser measures what a writer sees: from saving a role
// file to the open page in Chromium having reloaded with the change (its
// load event). Like TestServeLatency it runs only when asked.
func TestServeLatencyInBrowser(t *testing.T) {
	src := os.Getenv("GUIDE_SERVE_SOURCE")
	role := os.Getenv("GUIDE_SERVE_ROLE")
	if src == "" || role == "" {
		t.Skip("set GUIDE_SERVE_SOURCE and GUIDE_SERVE_ROLE to measure the dev server")
	}
	ctx := browsertest.New(t)
	r := start(t, Options{Source: src, Port: 0})
	if err := chromedp.Do(ctx, chromedp.Navigate(r.url+"roles/"+role+"/"), chromedp.WaitVisible("h1")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the event stream connects
	file := filepath.Join(src, "content/roles", role+".md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(file, orig, 0o644)
	var took []time.Duration
	for i := range 10 {
		marker := fmt.Sprintf("Browser edit %d.", i+1)
		body := strings.Replace(string(orig), "\n---\n", "\n---\n"+marker+"\n\n", 1)
		w0 := time.Now()
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		var loaded float64
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("edit %d never showed", i+1)
			}
			v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.body && document.body.innerText.includes(`+strconv.Quote(marker)+`) && performance.getEntriesByType("navigation")[0].loadEventEnd > 0 ? performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventEnd : 0`))
			if err == nil && v > 0 {
				loaded = v
				break
			}
		}
		took = append(took, time.UnixMicro(int64(loaded*1000)).Sub(w0))
		time.Sleep(150 * time.Millisecond)
	}
	s := slices.Clone(took)
	slices.Sort(s)
	t.Logf("save to reloaded page in Chromium: median %s (min %s, max %s)", s[len(s)/2], s[0], s[len(s)-1])
}
