// Package browsertest starts headless Chromium for tests, through chromedp.
//
// Without Chromium a browser test skips with a message saying how to get
// it; when the CI environment variable is set it fails instead, so that CI
// can never pass by skipping. Chromium talks only to the test's own
// servers: background networking, updates and sync are off.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of the browser, or "".
func Chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Console records what a page reports as going wrong: exceptions, console
// errors, and failed loads.
type Console struct {
	mu     sync.Mutex
	errors []string
}

// Errors returns what was recorded so far.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.errors)
}

func (c *Console) listen(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(e.Type) + ":"
		for _, a := range e.Args {
			msg += " " + string(a.Value) + a.Description
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level != cdplog.EntryLevelError {
			return
		}
		msg = "log: " + e.Entry.Text + " " + e.Entry.URL
	default:
		return
	}
	c.mu.Lock()
	c.errors = append(c.errors, msg)
	c.mu.Unlock()
}

// New returns a chromedp context for one test, with a fresh profile. The
// browser closes when the test ends.
func New(t *testing.T) context.Context {
	ctx, _ := NewWithConsole(t)
	return ctx
}

// NewWithConsole is New, also recording the page's errors.
func NewWithConsole(t *testing.T) (context.Context, *Console) {
	t.Helper()
	path := Chromium()
	if path == "" {
		msg := "skipping: browser tests need Chromium (apt-get install chromium, or set CHROMIUM)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("allow-file-access-from-files", false),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	console := &Console{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(console.listen))
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx, console
}

// WaitJS polls a JavaScript condition in the page until it holds, failing
// the test after fifteen seconds.
func WaitJS(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%v)", js, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
