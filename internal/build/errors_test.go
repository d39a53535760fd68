package build

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
)

const defaultGuideYAML = `title: T
base-url: https://example.org/
categories:
  - {key: technical, title: Technical}
  - {key: behavioral, title: Behavioral}
  - {key: situational, title: Situational}
`

// TestContentErrors builds each broken guide in testdata/errors and compares
// every diagnostic, errors and warnings, with the archive's want section.
// An empty want section means the build must succeed without warnings. The
// harness adds a guide.yaml unless the archive has one or its comment says
// "bare".
func TestContentErrors(t *testing.T) {
	cases, err := filepath.Glob("testdata/errors/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			var want string
			for _, f := range a.Files {
				if f.Name == "want" {
					want = string(f.Data)
					continue
				}
				data := bytes.ReplaceAll(f.Data, []byte("XX"), []byte{0xff})
				fsys[f.Name] = &fstest.MapFile{Data: data}
			}
			if _, ok := fsys["guide.yaml"]; !ok && !bytes.Contains(a.Comment, []byte("bare")) {
				fsys["guide.yaml"] = &fstest.MapFile{Data: []byte(defaultGuideYAML)}
			}
			_, res, err := buildFS(t, fsys, Options{})
			var got []string
			if res != nil {
				for _, d := range res.Warnings {
					got = append(got, d.String())
				}
			}
			var de *diag.Errors
			switch {
			case errors.As(err, &de):
				for _, d := range de.List {
					got = append(got, d.String())
				}
			case err != nil:
				t.Fatalf("want content errors, got a failure: %v", err)
			}
			got = sortLines(got)
			if g, w := strings.Join(got, "\n"), strings.TrimSpace(want); g != w {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", g, w)
			}
			if want == "" && err != nil {
				t.Errorf("build failed: %v", err)
			}
		})
	}
}

// sortLines orders printed diagnostics as diag.List.Sort does: by file,
// then line, so the want sections read top to bottom.
func sortLines(lines []string) []string {
	var l diag.List
	for _, s := range lines {
		l = append(l, parseDiag(s))
	}
	l = l.Sort()
	out := make([]string, len(l))
	for i, d := range l {
		out[i] = d.String()
	}
	return out
}

func parseDiag(s string) diag.Diagnostic {
	var d diag.Diagnostic
	file, rest, _ := strings.Cut(s, ": ")
	if f, line, ok := strings.Cut(file, ":"); ok {
		d.File = f
		for _, c := range line {
			d.Line = d.Line*10 + int(c-'0')
		}
	} else {
		d.File = file
	}
	if m, ok := strings.CutPrefix(rest, "warning: "); ok {
		d.Severity, rest = diag.Warning, m
	}
	d.Message = rest
	return d
}

func TestHugeFileIsRefused(t *testing.T) {
	fsys := fstest.MapFS{
		"guide.yaml":            {Data: []byte(defaultGuideYAML)},
		"content/roles/big.md":  {Data: bytes.Repeat([]byte("x"), content.MaxFileSize+1)},
		"content/roles/fine.md": {Data: []byte("---\ntitle: F\ndepartment: E\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n")},
	}
	_, _, err := buildFS(t, fsys, Options{})
	var de *diag.Errors
	if !errors.As(err, &de) || len(de.List) != 1 {
		t.Fatalf("got %v; want one error", err)
	}
	if got, want := de.List[0].String(), "content/roles/big.md: file is 4 MiB; content files are limited to 4 MiB"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

// oddFS is a guide whose role files misbehave as they are read: the
// errors a file system can give, and a file that grows as it is read.
type oddFS struct{ fstest.MapFS }

func (o oddFS) Open(name string) (fs.File, error) {
	f, err := o.MapFS.Open(name)
	if err != nil || !strings.HasPrefix(path.Base(name), "odd-") {
		return f, err
	}
	return &oddFile{File: f, name: name}, nil
}

type oddFile struct {
	fs.File
	name string
	read int
}

func (f *oddFile) Stat() (fs.FileInfo, error) {
	info, err := f.File.Stat()
	switch {
	case strings.Contains(f.name, "nostat"):
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: errors.New("the disk is gone")}
	case strings.Contains(f.name, "fifo"):
		return fifoInfo{info}, err
	}
	return info, err
}

func (f *oddFile) Read(b []byte) (int, error) {
	switch {
	case strings.Contains(f.name, "noread"):
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errors.New("a bad sector")}
	case strings.Contains(f.name, "grows") && f.read <= content.MaxFileSize:
		n := min(len(b), 64<<10)
		for i := range n {
			b[i] = 'x'
		}
		f.read += n
		return n, nil
	}
	return f.File.Read(b)
}

type fifoInfo struct{ fs.FileInfo }

func (fifoInfo) Mode() fs.FileMode { return fs.ModeNamedPipe | 0o644 }

// A role file that cannot be read, that is not a regular file, or that
// grows past the limit while it is read is an error naming the file.
func TestUnreadableRoleFiles(t *testing.T) {
	fine := []byte("---\ntitle: F\ndepartment: E\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n")
	fsys := oddFS{fstest.MapFS{"guide.yaml": {Data: []byte(defaultGuideYAML)}, "content/roles/fine.md": {Data: fine}}}
	for _, name := range []string{"odd-nostat", "odd-noread", "odd-fifo", "odd-grows"} {
		fsys.MapFS["content/roles/"+name+".md"] = &fstest.MapFile{Data: fine}
	}
	_, err := Run(context.Background(), fsys, Options{Theme: guide.Theme}, &memSink{})
	var de *diag.Errors
	if !errors.As(err, &de) {
		t.Fatalf("got %v; want errors", err)
	}
	var got []string
	for _, d := range de.List {
		got = append(got, d.String())
	}
	want := []string{
		"content/roles/odd-fifo.md: reading: not a regular file but a FIFO",
		"content/roles/odd-grows.md: file grew past 4 MiB while read; content files are limited to 4 MiB",
		"content/roles/odd-noread.md: reading: read content/roles/odd-noread.md: a bad sector",
		"content/roles/odd-nostat.md: reading: stat content/roles/odd-nostat.md: the disk is gone",
	}
	if !slices.Equal(sortLines(got), want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
