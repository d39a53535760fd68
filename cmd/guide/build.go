package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/build"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/diag"
)

func buildCommand() *command {
	return &command{
		name:    "build",
		usage:   "build [--source DIR] [--destination DIR] [flags]",
		summary: "build the website into a folder",
		help: `
The destination is replaced as a whole, and only when the build succeeds:
a guide with errors leaves the previous site exactly as it was. Every error
in the guide is reported, each with its file and line.

A build remembers, in the cache folder, what it read and what it wrote: when
nothing it reads has changed and the destination is as it left it, the next
build stops at once. Otherwise, while the destination is as it left it, a
role whose file has not changed is neither read nor rendered again: its
page is kept, as long as guide.yaml, the layouts, the assets, the home
intro and every role's title, slug, department, weight and draft flag are
the same. Files are rewritten only where their bytes changed. --no-cache
makes a cold build that uses none of this.`,
		flags: func(fs *flag.FlagSet) func(context.Context, []string, io.Writer, io.Writer) int {
			source := fs.String("source", ".", "the guide `folder`, holding "+config.File)
			dest := fs.String("destination", "", "where to write the site (default SOURCE/public)")
			baseURL := fs.String("base-url", "", "absolute `URL` the site is served from; replaces base-url in "+config.File)
			drafts := fs.Bool("drafts", false, "include roles marked draft: true")
			cacheDir := fs.String("cache-dir", defaultCacheDir(), "`folder` where to remember earlier builds, so that a build with nothing new to do stops early")
			noCache := fs.Bool("no-cache", false, "a cold build: no up-to-date check, and every file written, even those an earlier build left with the same bytes")
			verbose := fs.Bool("v", false, "say where the time went")
			return func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
				if strayArgs("build", args, stderr) {
					return exitUsage
				}
				if *baseURL != "" {
					if _, err := config.ParseBaseURL(*baseURL); err != nil {
						fmt.Fprintf(stderr, "guide build: --base-url: %v\n", err)
						return exitUsage
					}
				}
				out := *dest
				if out == "" {
					out = filepath.Join(*source, "public")
				}
				start := time.Now()
				opts := build.Options{Theme: guide.Theme, BaseURL: *baseURL, Drafts: *drafts, CacheDir: *cacheDir, NoCache: *noCache,
					// Unless the user tunes the collector, the build does.
					TuneGC: os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == ""}
				res, err := build.Publish(ctx, *source, out, opts)
				if res != nil {
					printDiags(stderr, res.Warnings)
				}
				if err != nil {
					return reportError(stderr, err)
				}
				if res.UpToDate {
					fmt.Fprintf(stdout, "guide: %s is up to date: %s, %s, %s (checked in %s)\n",
						out, count(res.Roles, "role"), count(res.Questions, "question"), count(res.Files, "file"), time.Since(start).Round(time.Millisecond))
				} else {
					kept := ""
					if res.Reused > 0 {
						kept = fmt.Sprintf(" (%s unchanged since the last build, kept)", count(res.Reused, "role"))
					}
					fmt.Fprintf(stdout, "guide: built %s, %s, %s in %s to %s%s\n",
						count(res.Roles, "role"), count(res.Questions, "question"), count(res.Files, "file"), time.Since(start).Round(time.Millisecond), out, kept)
				}
				if *verbose {
					for _, p := range res.Phases {
						gcs := ""
						if p.Collections > 0 {
							gcs = fmt.Sprintf("  %s", count(int(p.Collections), "collection"))
						}
						fmt.Fprintf(stdout, "  %-46s %8s%s\n", p.Name, p.Time.Round(time.Millisecond), gcs)
					}
				}
				return exitOK
			}
		},
	}
}

// defaultCacheDir is guide's folder in the user's cache folder
// ($XDG_CACHE_HOME or ~/.cache on Linux), or "" when there is none.
func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "guide")
}

func printDiags(w io.Writer, l diag.List) {
	for _, d := range l {
		fmt.Fprintln(w, d)
	}
}

// reportError prints a failed build's errors and returns the exit status.
func reportError(stderr io.Writer, err error) int {
	var de *diag.Errors
	if errors.As(err, &de) {
		printDiags(stderr, de.List)
		files := map[string]bool{}
		for _, d := range de.List {
			files[d.File] = true
		}
		fmt.Fprintf(stderr, "guide: build failed: %s in %s; the previous output was left as it was\n",
			count(len(de.List), "error"), count(len(files), "file"))
		return exitFailure
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "guide: build interrupted; the previous output was left as it was\n")
		return exitFailure
	}
	fmt.Fprintf(stderr, "guide: %v\n", err)
	return exitFailure
}

func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
