package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// guideDir writes the build package's small test guide to a folder, with
// extra files added or replaced.
func guideDir(t *testing.T, extra map[string]string) string {
	t.Helper()
	a, err := txtar.ParseFile("../../internal/build/testdata/small.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{}
	for _, f := range a.Files {
		files[f.Name] = string(f.Data)
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCommands(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // builds remember their output there
	t.Setenv("HOME", t.TempDir())
	good := guideDir(t, nil)
	broken := guideDir(t, map[string]string{
		"content/roles/recruiter.md": "---\ntitle: Recruiter\ndepartment: People\nsummary: S\nquestions:\n  - q: Q?\n    category: sourcing\n    look-for: L\n---\n",
	})
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings
		stderr     []string
		noStdout   bool
		checkBuilt string // a file that must exist afterwards
	}{
		{name: "no arguments", args: nil, code: 2, stderr: []string{"Usage:", "guide build"}},
		{name: "help", args: []string{"help"}, code: 0, stdout: []string{"guide build", "guide serve", "guide version", "guide help"}},
		{name: "--help", args: []string{"--help"}, code: 0, stdout: []string{"Usage:"}},
		{name: "version", args: []string{"version"}, code: 0, stdout: []string{"guide 0.1.0-dev go1."}},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: []string{`guide: unknown command "frobnicate"`, "guide: hint: run 'guide help'"}},
		{name: "help build", args: []string{"help", "build"}, code: 0, stdout: []string{"--source", "--destination", "--base-url", "--drafts", "Usage: guide build"}},
		{name: "help serve", args: []string{"help", "serve"}, code: 0, stdout: []string{"--source", "--port", `(default "1313")`, "--bind", `(default "127.0.0.1")`, "--drafts", "--open"}},
		{name: "serve stray argument", args: []string{"serve", "x"}, code: 2, stderr: []string{"unexpected argument"}},
		{name: "serve missing folder", args: []string{"serve", "--source", filepath.Join(good, "nowhere"), "--port", "0"}, code: 1, stderr: []string{"no guide folder at"}},
		{name: "build -h", args: []string{"build", "-h"}, code: 0, stdout: []string{"--source", "--destination", "--base-url", "--drafts", "--no-cache", "--cache-dir"}},
		{name: "version -h", args: []string{"version", "-h"}, code: 0, stdout: []string{"Usage: guide version"}},
		{name: "help unknown", args: []string{"help", "nope"}, code: 2, stderr: []string{`unknown command "nope"`}},
		{name: "unknown flag", args: []string{"build", "--bogus"}, code: 2, stderr: []string{"flag provided but not defined: -bogus", "guide help build"}},
		{name: "stray argument", args: []string{"build", good}, code: 2, stderr: []string{"unexpected argument", "--source"}},
		{name: "bad base url", args: []string{"build", "--source", good, "--base-url", "ftp://x"}, code: 2, stderr: []string{"--base-url", "absolute http"}},
		{name: "build", args: []string{"build", "--source", good}, code: 0,
			stdout:     []string{"guide: built 3 roles, 7 questions, ", " files in ", filepath.Join(good, "public")},
			checkBuilt: filepath.Join(good, "public", "roles", "recruiter", "index.html")},
		{name: "build again", args: []string{"build", "--source", good}, code: 0,
			stdout: []string{"guide: " + filepath.Join(good, "public") + " is up to date: 3 roles, 7 questions, "}},
		{name: "build again, no cache", args: []string{"build", "--source", good, "--no-cache"}, code: 0,
			stdout: []string{"guide: built 3 roles, 7 questions, "}},
		{name: "build with drafts to a destination", args: []string{"build", "--source", good, "--drafts", "--destination", filepath.Join(good, "out"), "-v"}, code: 0,
			stdout:     []string{"guide: built 4 roles", "role pages (cpu)", "search shards"},
			checkBuilt: filepath.Join(good, "out", "roles", "draft-role", "index.html")},
		{name: "broken guide", args: []string{"build", "--source", broken}, code: 1, noStdout: true,
			stderr: []string{`content/roles/recruiter.md:7: unknown category "sourcing" (known: technical, behavioral, situational)`,
				"guide: build failed: 1 error in 1 file; the previous output was left as it was"}},
		{name: "missing source", args: []string{"build", "--source", filepath.Join(good, "nowhere")}, code: 1,
			stderr: []string{"guide: no guide folder at " + filepath.Join(good, "nowhere") + " (is --source right?)"}},
		{name: "not a guide", args: []string{"build", "--source", filepath.Join(good, "content")}, code: 1,
			stderr: []string{"guide.yaml: missing: a guide folder has a guide.yaml at its root (is --source right?)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d; want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			if tc.noStdout && stdout.Len() > 0 {
				t.Errorf("stdout should be empty:\n%s", stdout.String())
			}
			if tc.checkBuilt != "" {
				if _, err := os.Stat(tc.checkBuilt); err != nil {
					t.Errorf("after the build: %v", err)
				}
			}
		})
	}
}
