package content

import (
	"bytes"
	"path"
	"strings"

	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/node"
)

// Header is what the pages of other roles need to know about a role before
// it is rendered: its name, where it lives, and how it sorts.
type Header struct {
	File       string
	Slug       string
	Title      string
	Department string
	Draft      bool
	Weight     int
}

// Header returns r's header.
func (r *Role) Header() Header {
	return Header{File: r.File, Slug: r.Slug, Title: r.Title, Department: r.Department, Draft: r.Draft, Weight: r.Weight}
}

// headerKeys are the front-matter fields a Header is made of.
var headerKeys = []string{"title", "slug", "department", "draft", "weight"}

// ScanHeader reads a role's header without parsing the whole front-matter,
// so that a build can learn every role's title before rendering any page
// while parsing each file fully only once.
//
// In YAML front-matter whose top level is a block mapping, every line that
// starts in column one (and is not a comment) begins a new top-level field,
// and a field's value runs until the next such line. ScanHeader cuts out the
// header fields that way and parses only them. It reports false whenever that
// shortcut does not apply or finds anything odd (TOML, a flow mapping, an
// anchor defined elsewhere, a syntax error), and the caller then parses the
// whole file instead. The full parse of the file later checks the header
// against what it finds.
func ScanHeader(file string, data []byte) (Header, bool) {
	var diags diag.List
	data, ok := normalize(file, data, &diags)
	if !ok {
		return Header{}, false
	}
	openLine, f := findOpening(data)
	if f == nil || f.toml || f.close != "---" {
		return Header{}, false
	}
	// Skip to the line after the opening delimiter.
	rest := data
	for range openLine {
		_, rest, _ = bytes.Cut(rest, []byte("\n"))
	}
	var picked []byte
	take := false
	for len(rest) > 0 {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, " \t")) == "---" {
			break
		}
		if len(line) > 0 && line[0] != ' ' && line[0] != '\t' && line[0] != '#' {
			if line[0] == '{' || line[0] == '[' || line[0] == '-' || line[0] == '?' {
				return Header{}, false
			}
			key, _, _ := bytes.Cut(line, []byte(":"))
			take = isHeaderKey(string(bytes.TrimSpace(key)))
		}
		if take {
			picked = append(picked, line...)
			picked = append(picked, '\n')
		}
	}
	r := &node.Reader{File: file, Diags: &diags}
	var h Header
	h.File = file
	if len(picked) > 0 {
		tree := r.ParseYAML(picked)
		if tree == nil {
			return Header{}, false
		}
		m, ok := r.Root(tree, "header")
		if !ok {
			return Header{}, false
		}
		h.Title = strings.TrimSpace(m.String("title", false))
		h.Slug = m.String("slug", false)
		h.Department = strings.TrimSpace(m.String("department", false))
		h.Draft = m.Bool("draft")
		h.Weight = m.Int("weight")
		m.Done()
	}
	if h.Slug == "" {
		h.Slug = strings.TrimSuffix(path.Base(file), path.Ext(file))
	}
	if len(diags) > 0 || h.Title == "" || h.Department == "" || !ValidSlug(h.Slug) {
		return Header{}, false
	}
	return h, true
}

func isHeaderKey(k string) bool {
	for _, h := range headerKeys {
		if k == h {
			return true
		}
	}
	return false
}
