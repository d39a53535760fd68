// Package node reads typed fields out of a YAML node tree and reports every
// problem as a diagnostic with the line it was found on.
//
// The guide's schema is fixed, so instead of decoding into structs by
// reflection and losing positions, callers walk the tree with a Map: each
// getter marks its key as known, checks the value's kind, and on a mismatch
// records "field: want X, got Y" at the value's line. Done then reports every
// key nobody asked for, with a suggestion when one is close ("did you mean
// look-for?"). Lines are those of the YAML text plus Reader.Offset, the
// number of lines that come before that text in its file.
package node

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/guide-build/guide/internal/diag"
)

// Reader carries where the YAML came from and collects what is wrong with it.
type Reader struct {
	File   string     // slash path relative to the source folder
	Offset int        // lines in File before the YAML text starts
	Diags  *diag.List // where problems go
	// read holds the mappings read so far. One read again is reached
	// through an alias: its problems were reported the first time, and are
	// not again for every alias.
	read map[*yaml.Node]bool
}

// Line returns the file line of n, or 0 when n has none.
func (r *Reader) Line(n *yaml.Node) int {
	if n == nil || n.Line == 0 {
		return 0
	}
	return r.Offset + n.Line
}

func (r *Reader) errorf(n *yaml.Node, format string, args ...any) {
	r.Diags.Errorf(r.File, r.Line(n), format, args...)
}

// Root returns the top-level mapping of a document node. It reports an error
// and returns false if the document is empty or is not a mapping.
func (r *Reader) Root(doc *yaml.Node, what string) (Map, bool) {
	n := doc
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			n = nil
		} else {
			n = n.Content[0]
		}
	}
	if n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		r.Diags.Errorf(r.File, r.Offset, "%s is empty", what)
		return Map{}, false
	}
	return r.Map(n, "")
}

// Map checks that n is a mapping and returns it for reading. path names n in
// messages ("" for the top level).
func (r *Reader) Map(n *yaml.Node, path string) (Map, bool) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		r.errorf(n, "%swant a set of fields (key: value), got %s", prefix(path), kindName(n))
		return Map{}, false
	}
	if r.read == nil {
		r.read = map[*yaml.Node]bool{}
	}
	if r.read[n] {
		// Read as before, its problems (and those of what it holds) kept
		// quiet.
		r = &Reader{File: r.File, Offset: r.Offset, Diags: new(diag.List), read: r.read}
	}
	r.read[n] = true
	m := Map{r: r, n: n, path: path, values: make(map[string]*yaml.Node, len(n.Content)/2), keys: make(map[string]*yaml.Node, len(n.Content)/2)}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, "%sa key must be a plain word, got %s", prefix(path), kindName(k))
			continue
		}
		if prev, dup := m.keys[k.Value]; dup {
			r.errorf(k, "%sduplicate field %q (first set on line %d)", prefix(path), k.Value, r.Line(prev))
			continue
		}
		m.values[k.Value] = v
		m.keys[k.Value] = k
		m.order = append(m.order, k)
	}
	if len(merges) > 0 {
		g := merger{r: r, m: &m, done: map[*yaml.Node]bool{}}
		for _, v := range merges {
			g.merge(v, []*yaml.Node{n})
		}
	}
	return m, true
}

// maxMerges is how deep merge keys may nest: a mapping merged into one that
// is itself merged, and so on.
const maxMerges = 16

// merger adds to a Map the fields its merge keys bring in: YAML's merge
// key, "<<: *defaults", with which a writer gives several questions the
// same fields. Fields written in the mapping win over merged ones, and a
// mapping listed earlier wins over one listed later. Each merged field keeps
// the line it was written on.
type merger struct {
	r    *Reader
	m    *Map
	done map[*yaml.Node]bool // mappings merged already
	deep bool                // nesting past maxMerges was reported
}

// merge adds the fields of the mapping v, or of each mapping in the list v,
// that the Map does not have. into lists the mappings being merged into,
// the Map's first. A mapping merged already adds nothing the second time
// (the first merge won), so it is skipped: aliases merged ten to a level,
// nine levels deep, cost nine merges rather than a billion.
func (g *merger) merge(v *yaml.Node, into []*yaml.Node) {
	r, path := g.r, prefix(g.m.path)
	// A mapping written here, rather than reached through an alias, is
	// read nowhere else: its own problems are reported here.
	here := v.Kind != yaml.AliasNode
	v = deref(v)
	switch {
	case slices.Contains(into, v):
		r.errorf(v, "%s<<: merges a set of fields into itself", path)
	case g.done[v]:
	case len(into) > maxMerges:
		if !g.deep {
			r.errorf(v, "%s<<: merges nest more than %d deep", path, maxMerges)
			g.deep = true
		}
	case v.Kind == yaml.SequenceNode:
		for _, item := range v.Content {
			if deref(item).Kind != yaml.MappingNode {
				r.errorf(item, "%s<<: want a set of fields to merge, got %s", path, kindName(deref(item)))
				continue
			}
			if !here && item.Kind != yaml.AliasNode {
				item = &yaml.Node{Kind: yaml.AliasNode, Alias: item} // written where the list is
			}
			g.merge(item, into)
		}
	case v.Kind == yaml.MappingNode:
		g.done[v] = true
		var nested []*yaml.Node
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k := deref(v.Content[i])
			switch {
			case k.Kind == yaml.ScalarNode && k.Tag == "!!merge":
				nested = append(nested, v.Content[i+1])
				continue
			case k.Kind != yaml.ScalarNode:
				if here {
					r.errorf(k, "%s<<: a key must be a plain word, got %s", path, kindName(k))
				}
				continue
			}
			if prev, dup := seen[k.Value]; dup {
				if here {
					r.errorf(k, "%s<<: duplicate field %q (first set on line %d)", path, k.Value, r.Line(prev))
				}
				continue
			}
			seen[k.Value] = k
			if _, ok := g.m.values[k.Value]; !ok {
				g.m.values[k.Value] = v.Content[i+1]
				g.m.keys[k.Value] = k
				g.m.order = append(g.m.order, k)
			}
		}
		for _, n := range nested {
			g.merge(n, append(into, v))
		}
	default:
		r.errorf(v, "%s<<: want a set of fields to merge, or a list of them, got %s", path, kindName(v))
	}
}

// Map is a YAML mapping being read field by field.
type Map struct {
	r      *Reader
	n      *yaml.Node
	path   string
	values map[string]*yaml.Node
	keys   map[string]*yaml.Node
	order  []*yaml.Node // keys, in source order
	asked  []string
}

// Valid reports whether m holds a mapping (false for the zero Map returned
// after an error).
func (m *Map) Valid() bool { return m.n != nil }

// Line returns the line of the value of key, or of the mapping itself when the
// key is absent.
func (m *Map) Line(key string) int {
	if v, ok := m.values[key]; ok {
		return m.r.Line(v)
	}
	return m.r.Line(m.n)
}

// TextLine returns the line where the text of key starts: for a block
// scalar (| or >) the line after the key, else the line of the value.
func (m *Map) TextLine(key string) int {
	v, ok := m.values[key]
	if !ok {
		return m.r.Line(m.n)
	}
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return m.r.Line(v) + 1
	}
	return m.r.Line(v)
}

// Errorf reports a problem with the value of key (or with m itself when the
// key is absent).
func (m *Map) Errorf(key string, format string, args ...any) {
	m.r.Diags.Errorf(m.r.File, m.Line(key), format, args...)
}

// Path returns the name of m used in messages.
func (m *Map) Path() string { return m.path }

// value marks key as known and returns its value, or nil when it is absent or
// null. A required absent key is reported.
func (m *Map) value(key string, required bool) *yaml.Node {
	m.asked = append(m.asked, key)
	v, ok := m.values[key]
	if ok {
		v = deref(v)
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			v, ok = nil, false
		}
	}
	if !ok && required {
		at := m.n
		if k, present := m.keys[key]; present {
			at = k // written, but with no value
		}
		m.r.errorf(at, "%smissing required field %q", prefix(m.path), key)
	}
	return v
}

func (m *Map) wrongType(key string, v *yaml.Node, want string) {
	m.r.errorf(v, "%s: want %s, got %s", m.field(key), want, kindName(v))
}

func (m *Map) field(key string) string {
	if m.path == "" {
		return key
	}
	return m.path + " " + key
}

// String returns the text of a scalar field. Numbers and booleans are taken
// as written, so a question that happens to be "2024" is still text.
func (m *Map) String(key string, required bool) string {
	v := m.value(key, required)
	if v == nil {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		m.wrongType(key, v, "text")
		return ""
	}
	if required && strings.TrimSpace(v.Value) == "" {
		m.r.errorf(v, "%s: must not be empty", m.field(key))
	}
	return v.Value
}

// Bool returns a true/false field.
func (m *Map) Bool(key string) bool {
	v := m.value(key, false)
	if v == nil {
		return false
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		m.wrongType(key, v, "true or false")
		return false
	}
	b, _ := strconv.ParseBool(strings.ToLower(v.Value))
	return b
}

// Int returns a whole-number field.
func (m *Map) Int(key string) int {
	v := m.value(key, false)
	if v == nil {
		return 0
	}
	i, err := strconv.ParseInt(strings.ReplaceAll(v.Value, "_", ""), 0, 0)
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil {
		m.wrongType(key, v, "a whole number")
		return 0
	}
	return int(i)
}

// Count returns a whole-number field that counts something, so must be 1
// or more; def when the field is absent, or after reporting a wrong value.
func (m *Map) Count(key string, def int) int {
	if v, ok := m.values[key]; !ok || deref(v).Tag == "!!null" {
		m.asked = append(m.asked, key)
		return def
	}
	n := m.Int(key)
	if v := deref(m.values[key]); n < 1 && v.Tag == "!!int" {
		m.r.errorf(v, "%s: want a whole number of 1 or more, got %s", m.field(key), v.Value)
	}
	if n < 1 {
		return def
	}
	return n
}

// Date returns a date field written as YYYY-MM-DD (or a full RFC 3339 time),
// in UTC.
func (m *Map) Date(key string) time.Time {
	v := m.value(key, false)
	if v == nil {
		return time.Time{}
	}
	if v.Kind == yaml.ScalarNode {
		for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, v.Value); err == nil {
				return t.UTC()
			}
		}
	}
	m.wrongType(key, v, "a date like 2026-01-31")
	return time.Time{}
}

// Strings returns a list of texts. Each returned Item carries its line.
func (m *Map) Strings(key string) []Item {
	v := m.value(key, false)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		m.wrongType(key, v, "a list")
		return nil
	}
	out := make([]Item, 0, len(v.Content))
	for i, c := range v.Content {
		c = deref(c)
		if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
			m.r.errorf(c, "%s #%d: want text, got %s", m.field(key), i+1, kindName(c))
			continue
		}
		out = append(out, Item{Value: c.Value, Line: m.r.Line(c)})
	}
	return out
}

// Item is one text of a list, with its line.
type Item struct {
	Value string
	Line  int
}

// Maps returns a list of mappings, each named "key #N" in messages.
func (m *Map) Maps(key string, required bool, name string) []Map {
	v := m.value(key, required)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		m.wrongType(key, v, "a list")
		return nil
	}
	if required && len(v.Content) == 0 {
		m.r.errorf(v, "%s: the list is empty; add at least one", m.field(key))
	}
	out := make([]Map, 0, len(v.Content))
	for i, c := range v.Content {
		if sub, ok := m.r.Map(c, name+" "+strconv.Itoa(i+1)); ok {
			out = append(out, sub)
		}
	}
	return out
}

// Sub returns a nested mapping field.
func (m *Map) Sub(key string) (Map, bool) {
	v := m.value(key, false)
	if v == nil {
		return Map{}, false
	}
	return m.r.Map(v, m.field(key))
}

// Done reports every key of m that no getter asked for, suggesting the
// closest known key when there is one.
func (m *Map) Done() {
	if m.n == nil {
		return
	}
	for _, k := range m.order {
		if slices.Contains(m.asked, k.Value) {
			continue
		}
		msg := fmt.Sprintf("%sunknown field %q", prefix(m.path), k.Value)
		if s := closest(k.Value, m.asked); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		} else {
			msg += fmt.Sprintf(" (known: %s)", strings.Join(unique(m.asked), ", "))
		}
		m.r.Diags.Errorf(m.r.File, m.r.Line(k), "%s", msg)
	}
}

func prefix(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a set of fields"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!bool":
			return "true/false"
		case "!!int", "!!float":
			return "a number"
		}
		return fmt.Sprintf("text %q", clip(n.Value, 30))
	}
	return "something else"
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func unique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// closest returns the candidate within two edits of s (or differing only in
// case, dashes and underscores), or "".
func closest(s string, candidates []string) string {
	norm := func(x string) string {
		return strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(x))
	}
	best, bestD := "", 3
	for _, c := range unique(candidates) {
		if norm(c) == norm(s) {
			return c
		}
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
