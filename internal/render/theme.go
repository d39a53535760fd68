// Package render turns the site model into the bytes of every output file:
// HTML pages from html/template layouts, fingerprinted CSS and JS, and the
// sitemap, feed and robots.txt. Everything is minified with tdewolff/minify.
// It writes nothing itself: each file is handed to a Sink.
//
// A theme is two folders, layouts/ and assets/. The default theme is
// embedded in the binary; a file of the same name in the guide's own
// layouts/ or assets/ replaces the default one, file by file.
//
// Layouts: base.html defines the "base" template, the page skeleton, which
// calls the blocks "head" and "main". Each page layout (home.html,
// role.html, category.html, department.html, search.html, plan.html, 404.html) is parsed together
// with base.html and every file in layouts/partials/, and defines "main".
// Templates are named after their files, so an error reads
// "template: role.html:12: ...". Each page gets a *Page as its data.
//
// Assets: CSS and JS files are minified and renamed with a hash of their
// content (site.css becomes site.3f2a9c1e0b.css) so hosts can cache them for
// good; a layout links to one with {{ .Asset "site.css" }}. Other files keep
// their names (SVG is minified).
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/guide-build/guide/internal/diag"
)

// Sink receives the output files. path is slash-separated and relative to
// the site root. Put must not keep body once it returns: a caller may make
// its next file in the same room. Implementations are safe for concurrent
// use.
type Sink interface {
	Put(path string, body []byte) error
}

// Theme is a loaded set of layouts and assets.
type Theme struct {
	pages  map[string]*template.Template
	assets map[string]*Asset // by source name, "site.css"
	names  []string          // asset source names, sorted
}

// Asset is one processed asset file.
type Asset struct {
	Path string // output path from the site root, "assets/site.3f2a9c1e0b.css"
	Body []byte
}

// Pages are the page layouts every theme has.
var Pages = []string{"home", "role", "category", "department", "search", "plan", "404"}

const (
	layoutsDir = "layouts"
	assetsDir  = "assets"
	partials   = "layouts/partials"
)

// LoadTheme reads the default theme and the guide's overrides. Problems are
// reported against the file that has them ("layouts/role.html").
func LoadTheme(def, guide fs.FS) (*Theme, diag.List) {
	var diags diag.List
	files, err := overlay(def, guide)
	if err != nil {
		diags.Errorf("", 0, "reading the theme: %v", err)
		return nil, diags
	}
	t := &Theme{pages: map[string]*template.Template{}, assets: map[string]*Asset{}}
	for name, f := range files {
		if strings.HasPrefix(name, assetsDir+"/") {
			a, err := processAsset(name, f)
			if err != nil {
				diags.Errorf(name, 0, "%v", err)
				continue
			}
			rel := strings.TrimPrefix(name, assetsDir+"/")
			t.assets[rel] = a
			t.names = append(t.names, rel)
		}
	}
	slices.Sort(t.names)

	base, ok := files[layoutsDir+"/base.html"]
	if !ok {
		diags.Errorf(layoutsDir+"/base.html", 0, "missing: every theme needs a base layout")
		return nil, diags
	}
	var shared []string
	for name := range files {
		if strings.HasPrefix(name, partials+"/") && strings.HasSuffix(name, ".html") {
			shared = append(shared, name)
		}
	}
	slices.Sort(shared)
	// base.html and the partials are parsed once; each page layout is
	// parsed into a clone, last, so that its blocks replace the defaults.
	common := template.New("base.html").Funcs(funcs)
	if _, err := common.Parse(string(base)); err != nil {
		diags.Errorf(layoutsDir+"/base.html", 0, "%v", err)
		return nil, diags
	}
	for _, p := range shared {
		if _, err := common.New(path.Base(p)).Parse(string(files[p])); err != nil {
			diags.Errorf(p, 0, "%v", err)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	for _, page := range Pages {
		name := layoutsDir + "/" + page + ".html"
		src, ok := files[name]
		if !ok {
			diags.Errorf(name, 0, "missing page layout")
			continue
		}
		tmpl, err := common.Clone()
		if err == nil {
			_, err = tmpl.New(page + ".html").Parse(string(src))
		}
		if err != nil {
			diags.Errorf(name, 0, "%v", err)
			continue
		}
		t.pages[page] = tmpl
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return t, diags
}

// overlay lists the files of layouts/ and assets/ in def, replaced by those
// of the same name in guide.
func overlay(def, guide fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, fsys := range []fs.FS{def, guide} {
		if fsys == nil {
			continue
		}
		for _, dir := range []string{layoutsDir, assetsDir} {
			err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
					return nil
				}
				b, err := fs.ReadFile(fsys, p)
				if err != nil {
					return err
				}
				files[p] = b
				return nil
			})
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	return files, nil
}

// processAsset minifies CSS, JS and SVG, and fingerprints CSS and JS.
func processAsset(name string, body []byte) (*Asset, error) {
	out := strings.TrimPrefix(name, assetsDir+"/")
	ext := path.Ext(name)
	if mt := mediaTypes[ext]; mt != "" && (ext == ".css" || ext == ".js" || ext == ".svg") {
		var buf bytes.Buffer
		if err := minifier.Minify(mt, &buf, bytes.NewReader(body)); err != nil {
			return nil, fmt.Errorf("minifying: %v", err)
		}
		body = buf.Bytes()
	}
	if ext == ".css" || ext == ".js" {
		sum := sha256.Sum256(body)
		out = strings.TrimSuffix(out, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	}
	return &Asset{Path: assetsDir + "/" + out, Body: body}, nil
}

// PutAssets hands every asset to the sink.
func (t *Theme) PutAssets(sink Sink) error {
	for _, name := range t.names {
		a := t.assets[name]
		if err := sink.Put(a.Path, a.Body); err != nil {
			return err
		}
	}
	return nil
}

// LayoutError is a failure to execute a layout: a theme mistake, such as a
// field that does not exist, rather than a problem with content.
type LayoutError struct {
	File string // "layouts/role.html"
	Err  error
}

func (e *LayoutError) Error() string { return e.Err.Error() }
func (e *LayoutError) Unwrap() error { return e.Err }
