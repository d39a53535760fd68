package serve

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/guide-build/guide/internal/build"
	"github.com/guide-build/guide/internal/diag"
)

// Site is what the server serves: build.State in the program, a fake in
// tests.
type Site interface {
	Render(path string) ([]byte, error)
	Diags() diag.List
}

// Paths the server answers itself; no guide file can have them, since
// output paths never start with "_".
const (
	eventsPath = "/__guide/events"
	livePath   = "/__guide/live.js"
)

//go:embed live.js
var liveJS []byte

// liveTag is added to every HTML page the server sends, before </head>.
var liveTag = []byte(`<script src="` + livePath + `" defer></script>`)

// maxCached bounds the files kept: the least recently used go first.
const maxCached = 512

// Server serves a site over HTTP with live reload.
//
// Every browser page that runs the live-reload script opens an event
// stream naming the page it shows. After a change, Update renders those
// pages again, and only those, and tells the browsers whose page changed
// to reload; everything else that was kept is forgotten, to be rendered
// when next asked for. While the guide has errors, open pages are left as
// they are (the last good version) and show the errors instead.
type Server struct {
	site  Site
	hosts []string // Host header values allowed; nil allows any

	mu      sync.Mutex
	cache   map[string][]byte // rendered files by path, as Render made them
	used    map[string]int64  // when each cached file was last used, by tick
	tick    int64
	gen     int64 // bumped by Update: a render begun before it is not kept
	clients map[*client]bool
	errors  []string // the guide's errors as last sent
}

// client is one open event stream.
type client struct {
	page string // the file the browser shows, "roles/x/index.html"
	c    chan event
}

type event struct {
	name string
	data []byte
}

// NewServer returns a server for site.
func NewServer(site Site) *Server {
	s := &Server{site: site, cache: map[string][]byte{}, used: map[string]int64{}, clients: map[*client]bool{}}
	s.errors = errorStrings(site.Diags())
	return s
}

// AllowHosts makes the server answer only requests whose Host header names
// one of hosts (with any port). A server on loopback uses it so that a web
// page elsewhere cannot read the guide through a DNS name it points at
// 127.0.0.1 (DNS rebinding).
func (s *Server) AllowHosts(hosts ...string) { s.hosts = hosts }

func (s *Server) hostAllowed(hostport string) bool {
	if s.hosts == nil {
		return true
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	return slices.Contains(s.hosts, strings.ToLower(host))
}

// errorStrings lists the errors of l, as the overlay shows them; warnings
// do not stop the guide from building and are left to the terminal.
func errorStrings(l diag.List) []string {
	out := []string{}
	for _, d := range l.Errors() {
		out = append(out, d.String())
	}
	return out
}

// ServeHTTP serves files of the site, the live-reload script and the event
// stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		http.Error(w, "guide serve answers only requests for localhost", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		s.events(w, r)
		return
	case livePath:
		serveBytes(w, r, "live.js", liveJS, http.StatusOK)
		return
	}
	name, ok := filePath(r.URL.Path)
	if !ok {
		s.notFound(w, r)
		return
	}
	body, err := s.file(name)
	if errors.Is(err, build.ErrNotFound) && path.Ext(name) == "" {
		// "/roles/x" without its slash: send the browser to the folder, so
		// that the page's relative links resolve.
		if _, err := s.file(name + "/index.html"); err == nil {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
	}
	switch {
	case errors.Is(err, build.ErrNotFound):
		s.notFound(w, r)
	case err != nil && path.Ext(name) == ".html":
		// A page whose file has errors, never rendered before: say why, on
		// a page that reloads by itself once the file is fixed.
		serveBytes(w, r, name, errorPage(err, s.site.Diags()), http.StatusInternalServerError)
	case err != nil:
		http.Error(w, "guide: "+err.Error(), http.StatusInternalServerError)
	default:
		serveBytes(w, r, name, body, http.StatusOK)
	}
}

// errorPageTemplate is the page for a page that has never rendered. It lists
// the guide's errors once: live.js keeps the list current in place of the
// overlay other pages show, and reloads the page once the list is empty
// (so a page without a list, whose error is not the guide's, does not).
var errorPageTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"{{ if .Diags }} data-guide-errors{{ end }}><head><meta charset="utf-8"><title>This page has errors</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem">
<h1>This page cannot be shown yet</h1>
<p>The file it is made from has errors. Fix them and save: this page reloads by itself.</p>
<ul id="guide-error-list">{{ range .Diags }}<li><code>{{ . }}</code></li>{{ else }}<li><code>{{ .Err }}</code></li>{{ end }}</ul>
</body></html>`))

func errorPage(err error, l diag.List) []byte {
	var b bytes.Buffer
	errorPageTemplate.Execute(&b, map[string]any{"Err": err.Error(), "Diags": errorStrings(l)})
	return b.Bytes()
}

// filePath turns a URL path into a file of the site. The site is a set of
// rendered files, not a folder, so no path can reach outside it; paths with
// "..", backslashes or NUL bytes are refused outright all the same.
func filePath(urlPath string) (string, bool) {
	if !strings.HasPrefix(urlPath, "/") || strings.ContainsAny(urlPath, "\\\x00") {
		return "", false
	}
	for _, part := range strings.Split(urlPath, "/") {
		if part == ".." || part == "." {
			return "", false
		}
	}
	name := strings.TrimPrefix(urlPath, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if strings.Contains(name, "//") {
		return "", false
	}
	return name, true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	body, err := s.file("404.html")
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	serveBytes(w, r, "404.html", body, http.StatusNotFound)
}

// file returns a rendered file, from the cache when it is there.
func (s *Server) file(name string) ([]byte, error) {
	s.mu.Lock()
	s.tick++
	gen := s.gen
	body, ok := s.cache[name]
	if ok {
		s.used[name] = s.tick
	}
	s.mu.Unlock()
	if ok {
		return body, nil
	}
	body, err := s.site.Render(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.gen == gen { // no change since the render began
		s.keep(name, body)
	}
	s.mu.Unlock()
	return body, nil
}

// keep caches a file, forgetting the least recently used beyond the bound.
// The caller holds s.mu.
func (s *Server) keep(name string, body []byte) {
	s.cache[name] = body
	s.used[name] = s.tick
	if len(s.cache) <= maxCached {
		return
	}
	oldest, at := "", int64(-1)
	for n, t := range s.used {
		if at < 0 || t < at {
			oldest, at = n, t
		}
	}
	delete(s.cache, oldest)
	delete(s.used, oldest)
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".xml":  "application/xml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".svg":  "image/svg+xml",
}

// serveBytes sends body with its content type, adding the live-reload tag
// to HTML. http.ServeContent handles HEAD, ranges and If-None-Match.
func serveBytes(w http.ResponseWriter, r *http.Request, name string, body []byte, status int) {
	ext := path.Ext(name)
	ct, ok := contentTypes[ext]
	if !ok {
		ct = mime.TypeByExtension(ext)
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	if ext == ".html" {
		body = inject(body)
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-cache")
	if fingerprinted.MatchString(name) {
		// Its name changes with its content: a reload need not ask again.
		h.Set("Cache-Control", "max-age=31536000, immutable")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	if status != http.StatusOK {
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
		return
	}
	sum := sha256.Sum256(body)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// inject adds the live-reload tag before </head>, or at the end.
func inject(page []byte) []byte {
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		return slices.Concat(page, liveTag)
	}
	return slices.Concat(page[:i], liveTag, page[i:])
}

// events streams Server-Sent Events to the page named by the query's page
// parameter: the current errors on connect, then reloads, stylesheet swaps
// and errors as they happen.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	page, _ := filePath("/" + strings.TrimPrefix(r.URL.Query().Get("page"), "/"))
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	c := &client{page: page, c: make(chan event, 16)}
	s.mu.Lock()
	s.clients[c] = true
	first := errorsEvent(s.errors)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	write := func(e event) bool {
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, e.data)
		flusher.Flush()
		return err == nil
	}
	if !write(first) {
		return
	}
	keepAlive := time.NewTicker(20 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-c.c:
			if !write(e) {
				return
			}
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

func errorsEvent(errs []string) event {
	b, _ := json.Marshal(errs)
	return event{name: "errors", data: b}
}

// broadcast sends e to every connected browser. A browser too slow to keep
// up misses the event rather than holding up the others. The caller holds
// s.mu.
func (s *Server) broadcast(e event) {
	for c := range s.clients {
		select {
		case c.c <- e:
		default:
		}
	}
}

// Update tells the server that the site changed. It sends the guide's
// errors if they changed. Unless the guide has errors, it renders again the
// pages that browsers show, tells those whose page changed to reload (or,
// after a change to stylesheets only, which stylesheet to swap), and
// forgets every other file it kept. It returns the pages that changed.
func (s *Server) Update(ch build.Change) []string {
	s.mu.Lock()
	s.gen++
	errs := errorStrings(ch.Diags)
	if !slices.Equal(errs, s.errors) {
		s.errors = errs
		s.broadcast(errorsEvent(errs))
	}
	if len(errs) > 0 {
		// Keep the last good version of every open page.
		s.mu.Unlock()
		return nil
	}
	var open []string
	for c := range s.clients {
		if c.page != "" && !slices.Contains(open, c.page) {
			open = append(open, c.page)
		}
	}
	old := s.cache
	s.cache, s.used = map[string][]byte{}, map[string]int64{}
	s.mu.Unlock()

	slices.Sort(open)
	var changed []string
	fresh := map[string][]byte{}
	for _, name := range open {
		body, err := s.site.Render(name)
		prev, had := old[name]
		switch {
		case errors.Is(err, build.ErrNotFound):
			changed = append(changed, name) // gone: the browser gets the 404 page
		case err != nil:
			if had {
				fresh[name] = prev // keep serving what the browser shows
			}
		default:
			fresh[name] = body
			if !had || !bytes.Equal(prev, body) {
				changed = append(changed, name)
			}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for name, body := range fresh {
		s.keep(name, body)
	}
	if len(changed) == 0 {
		return nil
	}
	if ch.CSSOnly() {
		if from, to, ok := stylesheetSwap(old, fresh); ok {
			b, _ := json.Marshal(map[string]string{"from": from, "to": to})
			s.broadcast(event{name: "css", data: b})
			return changed
		}
	}
	b, _ := json.Marshal(changed)
	s.broadcast(event{name: "reload", data: b})
	return changed
}

var fingerprinted = regexp.MustCompile(`^assets/.+\.[0-9a-f]{10}\.(css|js)$`)

var stylesheetLink = regexp.MustCompile(`assets/[^"' >]+\.[0-9a-f]{10}\.css`)

// stylesheetSwap finds, after a CSS-only change, the stylesheet the open
// pages linked to and the one they link to now.
func stylesheetSwap(old, fresh map[string][]byte) (from, to string, ok bool) {
	for name, body := range fresh {
		prev, had := old[name]
		if !had {
			continue
		}
		a, b := stylesheetLink.Find(prev), stylesheetLink.Find(body)
		if a != nil && b != nil && !bytes.Equal(a, b) {
			return path.Base(string(a)), path.Base(string(b)), true
		}
	}
	return "", "", false
}
