package content

import (
	"bytes"
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
	// SlugLine and DepartmentLine are the lines of those fields, 0 for a
	// slug the file name gives, so that problems across files can be
	// reported in place.
	SlugLine       int
	DepartmentLine int
}

// Header returns r's header.
func (r *Role) Header() Header {
	return Header{File: r.File, Slug: r.Slug, Title: r.Title, Department: r.Department, Draft: r.Draft, Weight: r.Weight,
		SlugLine: r.SlugLine, DepartmentLine: r.DepartmentLine}
}

// headerKeys are the front-matter fields a Header is made of.
var headerKeys = []string{"title", "slug", "department", "draft", "weight"}

// otherBreaks reports whether data holds a line break YAML knows other than
// \n. It looks for each byte sequence apart: bytes.ContainsAny decodes every
// rune of the file, ten times slower on a file of ten kilobytes.
func otherBreaks(data []byte) bool {
	for _, br := range [...]string{"\r", "\u0085", "\u2028", "\u2029"} {
		if bytes.Contains(data, []byte(br)) {
			return true
		}
	}
	return false
}

// ScanHeader reads a role's header without parsing the whole front-matter,
// so that a build can learn every role's title before rendering any page
// while parsing each file fully only once.
//
// In YAML front-matter whose top level is a block mapping of plain keys,
// every line that starts in column one (and is not a comment) begins a new
// top-level field, and a field's value runs until the next such line.
// ScanHeader cuts out the header fields that way and parses only them. It
// reports false whenever that shortcut might not read the file the way the
// YAML parser does, and the caller then parses the whole file instead:
// TOML, a flow mapping, a key that is quoted, tagged, anchored or an alias,
// an anchor or alias in a header value, a quoted value that goes on past its
// line, line breaks other than \n, a delimiter that is not in column one,
// or anything the header parse itself finds wrong. The full parse of every
// file later checks the header against what it finds.
func ScanHeader(file string, data []byte) (Header, bool) {
	var diags diag.List
	data, ok := normalize(file, data, &diags)
	if !ok || otherBreaks(data) {
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
		trimmed := bytes.TrimSpace(line)
		if string(trimmed) == "---" {
			if line[0] != '-' {
				return Header{}, false // an indented delimiter
			}
			break
		}
		// Every line is kept, those of other fields blank, so that the
		// parse's lines are the file's.
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' || line[0] == '#' {
			if take {
				picked = append(picked, line...)
			}
			picked = append(picked, '\n')
			continue
		}
		key, value, ok := plainField(line)
		if !ok {
			return Header{}, false
		}
		take = isHeaderKey(key)
		if take && len(value) > 0 && (value[0] == '&' || value[0] == '*' || value[0] == '!') {
			return Header{}, false
		}
		if take {
			picked = append(picked, line...)
		}
		picked = append(picked, '\n')
	}
	r := &node.Reader{File: file, Offset: openLine, Diags: &diags}
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
		if h.Slug = m.String("slug", false); h.Slug != "" {
			h.SlugLine = m.Line("slug")
		}
		h.DepartmentLine = m.Line("department")
		h.Department = strings.TrimSpace(m.String("department", false))
		h.Draft = m.Bool("draft")
		h.Weight = m.Int("weight")
		m.Done()
	}
	if h.Slug == "" {
		h.Slug = FileSlug(file)
	}
	if len(diags) > 0 || h.Title == "" || h.Department == "" || !ValidSlug(h.Slug) {
		return Header{}, false
	}
	return h, true
}

// plainField splits a top-level line "key: value" whose key is a plain word.
// It reports false for anything else, and for a value that opens a quote it
// does not close on the same line (the value would go on below).
func plainField(line []byte) (key string, value []byte, ok bool) {
	i := 0
	for i < len(line) && (line[i] == '-' || line[i] == '_' || 'a' <= line[i] && line[i] <= 'z' || 'A' <= line[i] && line[i] <= 'Z' || '0' <= line[i] && line[i] <= '9') {
		i++
	}
	if i == 0 || line[0] == '-' {
		return "", nil, false
	}
	k := i
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if i >= len(line) || line[i] != ':' || (i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t') {
		return "", nil, false
	}
	value = bytes.TrimSpace(line[i+1:])
	if len(value) > 0 && (value[0] == '"' || value[0] == '\'') && !closesQuote(value) {
		return "", nil, false
	}
	return string(line[:k]), value, true
}

// closesQuote reports whether the quoted scalar that value starts with ends
// on this line.
func closesQuote(value []byte) bool {
	q := value[0]
	for i := 1; i < len(value); i++ {
		switch {
		case q == '"' && value[i] == '\\':
			i++
		case value[i] == q && q == '\'' && i+1 < len(value) && value[i+1] == '\'':
			i++
		case value[i] == q:
			return true
		}
	}
	return false
}

func isHeaderKey(k string) bool {
	for _, h := range headerKeys {
		if k == h {
			return true
		}
	}
	return false
}
