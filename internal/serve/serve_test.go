package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/guide-build/guide"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeGuide writes the build package's small test guide to a folder.
func writeGuide(t *testing.T) string {
	t.Helper()
	a, err := txtar.ParseFile("../build/testdata/small.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		mkfile(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	return dir
}

type running struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan error
}

var urlPattern = regexp.MustCompile(`on (http://\S+/) in`)

func start(t *testing.T, opts Options) *running {
	t.Helper()
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	opts.Stdout, opts.Stderr = r.stdout, r.stderr
	if opts.Theme == nil {
		opts.Theme = guide.Theme
	}
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- Run(ctx, opts) }()
	deadline := time.Now().Add(3 * time.Minute) // a large guide takes a while to load
	for time.Now().Before(deadline) {
		if m := urlPattern.FindStringSubmatch(r.stdout.String()); m != nil {
			r.url = m[1]
			break
		}
		select {
		case err := <-r.done:
			t.Fatalf("serve ended: %v\n%s", err, r.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if r.url == "" {
		t.Fatalf("serve did not say where it serves:\n%s", r.stdout.String())
	}
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestServeUpdatesOpenPagesOnSave(t *testing.T) {
	dir := writeGuide(t)
	r := start(t, Options{Source: dir, Port: 0})
	if !strings.Contains(fetch(t, r.url+"roles/recruiter/"), "How do you write a job advert?") {
		t.Fatal("the role page is not served")
	}
	ev := subscribe(t, strings.TrimSuffix(r.url, "/"), "roles/recruiter/index.html")
	ev.next(t) // the initial problems

	// An editor's atomic save.
	file := filepath.Join(dir, "content/roles/recruiter.md")
	data, _ := os.ReadFile(file)
	mkfile(t, file+".tmp", strings.Replace(string(data), "How do you write a job advert?", "How do you write a fair job advert?", 1))
	os.Rename(file+".tmp", file)
	if e := ev.next(t); e != [2]string{"reload", `["roles/recruiter/index.html"]`} {
		t.Fatalf("got %q; want a reload of the open page", e)
	}
	if !strings.Contains(fetch(t, r.url+"roles/recruiter/"), "How do you write a fair job advert?") {
		t.Error("the page does not show the change")
	}

	// Break it: the problems arrive; the page stays as it was.
	mkfile(t, file, strings.Replace(string(data), `category = "situational"`, `category = "sourcing"`, 1))
	e := ev.next(t)
	if e[0] != "errors" || !strings.Contains(e[1], `content/roles/recruiter.md`) || !strings.Contains(e[1], `unknown category \"sourcing\"`) {
		t.Fatalf("got %q; want the problem with its file", e)
	}
	if !strings.Contains(fetch(t, r.url+"roles/recruiter/"), "How do you write a fair job advert?") {
		t.Error("while broken the last good page should be served")
	}
	// The terminal says it once.
	mkfile(t, filepath.Join(dir, "content/roles/backend-developer.md"), string(must(os.ReadFile(filepath.Join(dir, "content/roles/backend-developer.md"))))+"\nMore body.\n")
	time.Sleep(3 * maxWait)
	if n := strings.Count(r.stderr.String(), `unknown category "sourcing"`); n != 1 {
		t.Errorf("the terminal showed the problem %d times; want once:\n%s", n, r.stderr.String())
	}

	// Fix it.
	mkfile(t, file, string(data))
	for e := ev.next(t); e[0] != "errors" || e[1] != "[]"; e = ev.next(t) {
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(r.stderr.String(), "all errors fixed"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal should say the errors are fixed:\n%s", r.stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestServeBindsLoopbackAndWarnsOtherwise(t *testing.T) {
	dir := writeGuide(t)
	r := start(t, Options{Source: dir, Port: 0, Bind: "127.0.0.1"})
	if !strings.HasPrefix(r.url, "http://127.0.0.1:") || strings.Contains(r.stderr.String(), "warning") {
		t.Errorf("loopback: url %s, stderr %q", r.url, r.stderr.String())
	}
	r = start(t, Options{Source: dir, Port: 0, Bind: "0.0.0.0"})
	if !strings.Contains(r.stderr.String(), "guide: warning: listening on") || !strings.Contains(r.stderr.String(), "anyone on your network") {
		t.Errorf("binding all interfaces must warn; stderr %q", r.stderr.String())
	}
}

func TestServeTakesTheNextPortWhenTaken(t *testing.T) {
	dir := writeGuide(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	r := start(t, Options{Source: dir, Port: port})
	want := fmt.Sprintf("guide: port %d is in use; serving on ", port)
	if !strings.Contains(r.stderr.String(), want) || strings.Contains(r.url, fmt.Sprint(":", port, "/")) {
		t.Errorf("stderr %q, url %s; want a note that another port is used", r.stderr.String(), r.url)
	}

	err = Run(context.Background(), Options{Source: dir, Bind: "127.0.0.1", Port: port, PortSet: true, Theme: guide.Theme, Stdout: io.Discard, Stderr: io.Discard})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("port %d is in use", port)) || !strings.Contains(err.Error(), "--port") {
		t.Errorf("with --port given: %v; want an error suggesting --port", err)
	}
}

func TestServeStopsQuicklyWithOpenStreams(t *testing.T) {
	dir := writeGuide(t)
	r := start(t, Options{Source: dir, Port: 0})
	ev := subscribe(t, strings.TrimSuffix(r.url, "/"), "index.html")
	ev.next(t)
	t0 := time.Now()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		r.done <- err // for the cleanup
	case <-time.After(time.Second):
		t.Fatal("serve did not stop within a second of Ctrl-C")
	}
	t.Logf("stopped in %s", time.Since(t0))
}

func TestServeRefusesMissingFolder(t *testing.T) {
	err := Run(context.Background(), Options{Source: filepath.Join(t.TempDir(), "nope"), Bind: "127.0.0.1", Theme: guide.Theme, Stdout: io.Discard, Stderr: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "no guide folder") {
		t.Errorf("got %v", err)
	}
}
