// Package serve is the dev server behind `guide serve`: it loads a guide,
// serves it over HTTP from memory, watches its files, and updates the site
// and the open browsers as files change.
//
// The server drives the same pipeline as `guide build` (build.State renders
// every file with the build's own code), never writes to the guide folder,
// and adds to each HTML page it sends a small script that listens on a
// Server-Sent Events stream:
//
//   - "reload" names the pages that changed; a browser showing one of them
//     reloads and keeps its scroll position;
//   - "css" names a stylesheet to swap in place, after a change to CSS only;
//   - "errors" lists the guide's problems, shown over the page until fixed,
//     while the server keeps serving the last good version of each page.
//
// The watcher gathers the several events of one save into a batch (see
// watch.go); this package owns fsnotify, and build never sees an event.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/guide-build/guide/internal/build"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/sourcefs"
)

// Options configure the dev server.
type Options struct {
	Source   string // the guide folder
	Bind     string // address to listen on; loopback unless the user says
	Port     int
	PortSet  bool // the user chose the port: do not pick another
	Drafts   bool
	Open     bool // open a browser once serving
	Theme    fs.FS
	Stdout   io.Writer
	Stderr   io.Writer
	Shutdown time.Duration // how long to wait for requests to finish on exit
}

// Run serves the guide until ctx ends.
func Run(ctx context.Context, opts Options) error {
	if info, err := os.Stat(opts.Source); err != nil || !info.IsDir() {
		return fmt.Errorf("no guide folder at %s (is --source right?)", opts.Source)
	}
	ln, err := listen(opts)
	if err != nil {
		return err
	}
	defer ln.Close()
	addr := ln.Addr().(*net.TCPAddr)
	host := opts.Bind
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port)) + "/"
	if !isLoopback(opts.Bind) {
		fmt.Fprintf(opts.Stderr, "guide: warning: listening on %s, so anyone on your network can read this guide\n", ln.Addr())
	}
	if opts.Port != 0 && addr.Port != opts.Port {
		fmt.Fprintf(opts.Stderr, "guide: port %d is in use; serving on %d instead (choose one with --port)\n", opts.Port, addr.Port)
	}

	start := time.Now()
	src := sourcefs.Dir(opts.Source)
	st, err := build.Load(ctx, src, build.Options{Theme: opts.Theme, BaseURL: url, Drafts: opts.Drafts})
	if err != nil {
		return err
	}
	w, err := newWatcher(opts.Source)
	if err != nil {
		return fmt.Errorf("watching %s: %w", opts.Source, err)
	}
	srv := NewServer(st)
	if isLoopback(opts.Bind) {
		srv.AllowHosts("localhost", "127.0.0.1", "::1", opts.Bind)
	}
	rep := &reporter{w: opts.Stderr}
	rep.report(st.Diags())
	fmt.Fprintf(opts.Stdout, "guide: serving %s on %s in %s (Ctrl-C to stop)\n", opts.Source, url, time.Since(start).Round(time.Millisecond))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []string)
	go w.run(ctx, batches, func(err error) { fmt.Fprintf(opts.Stderr, "guide: watching: %v\n", err) })
	go func() {
		for batch := range chanUntil(ctx, batches) {
			t0 := time.Now()
			ch, err := st.Apply(ctx, batch)
			if err != nil {
				fmt.Fprintf(opts.Stderr, "guide: %v\n", err)
				continue
			}
			changed := srv.Update(ch)
			rep.report(ch.Diags)
			if len(changed) > 0 {
				fmt.Fprintf(opts.Stdout, "guide: %s changed; updated %d open pages in %s\n",
					summarize(batch), len(changed), time.Since(t0).Round(100*time.Microsecond))
			}
		}
	}()

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	if opts.Open {
		go openBrowser(url, opts.Stderr)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancel() // ends the event streams
	wait := opts.Shutdown
	if wait == 0 {
		wait = 500 * time.Millisecond
	}
	sctx, scancel := context.WithTimeout(context.Background(), wait)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	return nil
}

// chanUntil yields from c until ctx ends.
func chanUntil[T any](ctx context.Context, c <-chan T) func(func(T) bool) {
	return func(yield func(T) bool) {
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-c:
				if !yield(v) {
					return
				}
			}
		}
	}
}

func summarize(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%s and %d more", paths[0], len(paths)-1)
}

// listen opens the port, or when it is taken and the user did not choose
// it, the next free one.
func listen(opts Options) (net.Listener, error) {
	tries := 20
	if opts.PortSet || opts.Port == 0 {
		tries = 1
	}
	var err error
	for i := range tries {
		var ln net.Listener
		ln, err = net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port+i)))
		if err == nil {
			return ln, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("port %d is in use by another program; choose another with --port", opts.Port)
	}
	return nil, err
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// reporter prints the guide's problems to the terminal when they change,
// not on every event.
type reporter struct {
	w         io.Writer
	last      []string
	hadErrors bool
}

func (r *reporter) report(l diag.List) {
	var cur []string
	for _, d := range l {
		cur = append(cur, d.String())
	}
	if slices.Equal(cur, r.last) {
		return
	}
	hadErrors := r.hadErrors
	r.last, r.hadErrors = cur, l.HasErrors()
	for _, s := range cur {
		fmt.Fprintln(r.w, s)
	}
	switch n := len(l.Errors()); {
	case n == 1:
		fmt.Fprintf(r.w, "guide: the guide has an error; open pages keep their last good version\n")
	case n > 1:
		fmt.Fprintf(r.w, "guide: the guide has %d errors; open pages keep their last good version\n", n)
	case hadErrors:
		fmt.Fprintf(r.w, "guide: all errors fixed\n")
	}
}

func openBrowser(url string, stderr io.Writer) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "guide: could not open a browser (%v); open %s yourself\n", err, url)
	}
}
