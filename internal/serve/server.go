package serve

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
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

// maxCached bounds the pages kept for change detection: the pages open in
// browsers are the ones recently requested.
const maxCached = 256

// Server serves a site over HTTP with live reload. Pages are rendered on
// request and kept, so that after a change the server can tell which of
// them changed and tell the browsers showing them; a page that fails to
// render (its file has errors) keeps being served as it last was.
type Server struct {
	site Site

	mu      sync.Mutex
	cache   map[string][]byte // rendered files by path, as Render made them
	order   []string          // cache keys, oldest first
	clients map[chan event]bool
	diags   []string
}

type event struct {
	name string
	data []byte
}

// NewServer returns a server for site.
func NewServer(site Site) *Server {
	s := &Server{site: site, cache: map[string][]byte{}, clients: map[chan event]bool{}}
	s.diags = diagStrings(site.Diags())
	return s
}

func diagStrings(l diag.List) []string {
	out := make([]string, 0, len(l))
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}

// ServeHTTP serves files of the site, the live-reload script and the event
// stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
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
	if errors.Is(err, build.ErrNotFound) && !strings.HasSuffix(name, "index.html") && path.Ext(name) == "" {
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
	if errors.Is(err, build.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "guide: "+err.Error(), http.StatusInternalServerError)
		return
	}
	serveBytes(w, r, name, body, http.StatusOK)
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
	body, ok := s.cache[name]
	s.mu.Unlock()
	if ok {
		return body, nil
	}
	body, err := s.site.Render(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if _, ok := s.cache[name]; !ok {
		s.order = append(s.order, name)
		if len(s.order) > maxCached {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
	}
	s.cache[name] = body
	s.mu.Unlock()
	return body, nil
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

// events streams Server-Sent Events: the current problems on connect, then
// reloads, stylesheet swaps and problems as they happen.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	ch := make(chan event, 16)
	s.mu.Lock()
	s.clients[ch] = true
	first := errorsEvent(s.diags)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, ch)
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
		case e := <-ch:
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

func errorsEvent(diags []string) event {
	b, _ := json.Marshal(diags)
	return event{name: "errors", data: b}
}

// broadcast sends e to every connected browser. A browser too slow to keep
// up misses the event rather than holding up the others.
func (s *Server) broadcast(e event) {
	for ch := range s.clients {
		select {
		case ch <- e:
		default:
		}
	}
}

// Update tells the server that the site changed. It renders every page it
// has served again, and tells browsers which changed (or, for a change to
// stylesheets only, which stylesheet to swap) and what problems the guide
// has now. It returns the paths that changed.
func (s *Server) Update(ch build.Change) []string {
	s.mu.Lock()
	names := slices.Clone(s.order)
	s.mu.Unlock()

	var changed []string
	fresh := map[string][]byte{}
	gone := map[string]bool{}
	var drop []string
	for _, name := range names {
		if ext := path.Ext(name); ext != ".html" && ext != ".css" {
			// Search data and other files no page shows directly: forget
			// them, to be made again if asked for, rather than make them now.
			drop = append(drop, name)
			continue
		}
		body, err := s.site.Render(name)
		switch {
		case errors.Is(err, build.ErrNotFound):
			gone[name] = true
			changed = append(changed, name)
		case err != nil:
			// Keep serving the last good version; the problem is in the
			// errors event.
		default:
			fresh[name] = body
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for name, body := range fresh {
		if old, ok := s.cache[name]; ok && !bytes.Equal(old, body) {
			changed = append(changed, name)
		}
		s.cache[name] = body
	}
	for _, name := range drop {
		gone[name] = true
	}
	for name := range gone {
		delete(s.cache, name)
	}
	s.order = slices.DeleteFunc(s.order, func(n string) bool { return gone[n] })
	slices.Sort(changed)

	if diags := diagStrings(ch.Diags); !slices.Equal(diags, s.diags) {
		s.diags = diags
		s.broadcast(errorsEvent(diags))
	}
	if len(changed) == 0 {
		return nil
	}
	if ch.CSSOnly() {
		if from, to, ok := stylesheetSwap(gone, fresh); ok {
			b, _ := json.Marshal(map[string]string{"from": from, "to": to})
			s.broadcast(event{name: "css", data: b})
			return changed
		}
	}
	b, _ := json.Marshal(changed)
	s.broadcast(event{name: "reload", data: b})
	return changed
}

// stylesheetSwap finds the old and new names of a fingerprinted stylesheet
// after a CSS-only change: the old file is gone, and the pages now link to
// the new one.
func stylesheetSwap(gone map[string]bool, pages map[string][]byte) (from, to string, ok bool) {
	for name := range gone {
		if path.Ext(name) != ".css" {
			continue
		}
		from = path.Base(name)
		stem, _, _ := strings.Cut(from, ".")
		re := regexp.MustCompile(regexp.QuoteMeta(path.Dir(name)+"/"+stem) + `\.[0-9a-f]+\.css`)
		for _, body := range pages {
			if m := re.Find(body); m != nil {
				return from, path.Base(string(m)), true
			}
		}
	}
	return "", "", false
}
