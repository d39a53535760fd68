package node

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/guide-build/guide/internal/diag"
)

func TestParseYAMLReportsSyntaxErrorsAtTheirLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"unclosed flow list", "a: 1\nb: [1, 2\nc: 3\n", "guide.yaml:12: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence"},
		{"bad indentation", "a: 1\n b: 2\n", "guide.yaml:12: invalid YAML: mapping values are not allowed in this context"},
		{"unterminated quote", "a: 1\nb: \"open\nc: 3\n", "guide.yaml:12: invalid YAML: found unexpected end of stream while scanning a quoted scalar"},
		{"two colons", "a: 1\nb: c: d\n", "guide.yaml:12: invalid YAML: mapping values are not allowed in this context"},
		{"unknown anchor", "a: 1\nb: *nope\n", "guide.yaml:12: invalid YAML: unknown anchor 'nope' referenced"},
		{"mapping then list", "- a\nb: 1\n", "guide.yaml:11: invalid YAML: did not find expected '-' indicator while parsing a block collection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := new(diag.List)
			r := &Reader{File: testFile, Offset: 10, Diags: diags}
			if tree := r.ParseYAML([]byte(tt.src)); tree != nil {
				t.Errorf("ParseYAML(%q) = tree; want nil", tt.src)
			}
			checkDiags(t, tt.src, *diags, []string{tt.want})
		})
	}
}

func TestParseYAMLReportsNoErrorForValidText(t *testing.T) {
	for _, src := range []string{"", "a: 1\n", "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "---\na: 1\n"} {
		diags := new(diag.List)
		r := &Reader{File: testFile, Diags: diags}
		if tree := r.ParseYAML([]byte(src)); tree == nil {
			t.Errorf("ParseYAML(%q) = nil; want a tree", src)
		}
		checkDiags(t, src, *diags, nil)
	}
}

// role is what a reader of both front-matter formats takes out of a tree.
type role struct {
	Title     string
	Draft     bool
	Weight    int
	Updated   time.Time
	Published time.Time
	Related   []string
	Questions []question
	CTA       map[string]string
	Number    string
}

type question struct {
	Q        string
	Category string
	Tags     []string
}

// readRole walks tree the way content does and returns what it found.
func readRole(t *testing.T, r *Reader, tree *yaml.Node) role {
	t.Helper()
	m, ok := r.Root(tree, "front-matter")
	if !ok {
		t.Fatalf("Root failed: %v", messages(*r.Diags))
	}
	var out role
	out.Title = m.String("title", true)
	out.Draft = m.Bool("draft")
	out.Weight = m.Int("weight")
	out.Updated = m.Date("updated")
	out.Published = m.Date("published")
	out.Number = m.String("number", false)
	for _, it := range m.Strings("related") {
		out.Related = append(out.Related, it.Value)
	}
	for _, q := range m.Maps("questions", true, "question") {
		var tags []string
		for _, it := range q.Strings("tags") {
			tags = append(tags, it.Value)
		}
		out.Questions = append(out.Questions, question{Q: q.String("q", true), Category: q.String("category", true), Tags: tags})
		q.Done()
	}
	if cta, ok := m.Sub("cta"); ok {
		out.CTA = map[string]string{"heading": cta.String("heading", false), "link": cta.String("link", false)}
		cta.Done()
	}
	m.Done()
	return out
}

func TestParseTOMLBuildsTheSameTreeAsYAML(t *testing.T) {
	yamlSrc := `title: Backend Developer
draft: true
weight: 20
updated: 2026-01-31
published: 2026-01-31T10:20:30+02:00
number: 2024
related: [sre, data-engineer]
questions:
  - q: How do indexes work?
    category: technical
    tags: [databases, performance]
  - q: Tell me about a failure.
    category: behavioral
cta:
  heading: Help
  link: https://example.org/
`
	tomlSrc := `title = "Backend Developer"
draft = true
weight = 20
updated = 2026-01-31
published = 2026-01-31T10:20:30+02:00
number = 2024
related = ["sre", "data-engineer"]

[cta]
heading = "Help"
link = "https://example.org/"

[[questions]]
q = "How do indexes work?"
category = "technical"
tags = ["databases", "performance"]

[[questions]]
q = "Tell me about a failure."
category = "behavioral"
`
	yr := &Reader{File: testFile, Diags: new(diag.List)}
	fromYAML := readRole(t, yr, yr.ParseYAML([]byte(yamlSrc)))
	tr := &Reader{File: testFile, Diags: new(diag.List)}
	tree := tr.ParseTOML([]byte(tomlSrc))
	if tree == nil {
		t.Fatalf("ParseTOML failed: %v", messages(*tr.Diags))
	}
	fromTOML := readRole(t, tr, tree)
	checkDiags(t, "YAML", *yr.Diags, nil)
	checkDiags(t, "TOML", *tr.Diags, nil)
	if !reflect.DeepEqual(fromTOML, fromYAML) {
		t.Errorf("TOML read as\n\t%+v\nwant the same as YAML\n\t%+v", fromTOML, fromYAML)
	}
	if want := time.Date(2026, 1, 31, 8, 20, 30, 0, time.UTC); !fromTOML.Published.Equal(want) {
		t.Errorf("TOML published = %v; want %v", fromTOML.Published, want)
	}
}

func TestParseTOMLReportsWrongTypesLikeYAML(t *testing.T) {
	tests := []struct {
		name string
		src  string
		get  func(m *Map)
		want string
	}{
		{"bool gets text", `v = "yes"`, func(m *Map) { m.Bool("v") }, `guide.yaml:4: v: want true or false, got text "yes"`},
		{"int gets float", `v = 1.5`, func(m *Map) { m.Int("v") }, `guide.yaml:4: v: want a whole number, got a number`},
		{"int gets whole float", `v = 2.0`, func(m *Map) { m.Int("v") }, `guide.yaml:4: v: want a whole number, got a number`},
		{"string gets table", "[v]\nx = 1", func(m *Map) { m.String("v", false) }, `guide.yaml:4: v: want text, got a set of fields`},
		{"string gets array", `v = ["a"]`, func(m *Map) { m.String("v", false) }, `guide.yaml:4: v: want text, got a list`},
		{"strings gets table item", `v = ["a", {x = 1}]`, func(m *Map) { m.Strings("v") }, `guide.yaml:4: v #2: want text, got a set of fields`},
		{"maps gets string", `v = "a"`, func(m *Map) { m.Maps("v", false, "item") }, `guide.yaml:4: v: want a list, got text "a"`},
		{"date gets text", `v = "soon"`, func(m *Map) { m.Date("v") }, `guide.yaml:4: v: want a date like 2026-01-31, got text "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := new(diag.List)
			r := &Reader{File: testFile, Offset: 3, Diags: diags}
			tree := r.ParseTOML([]byte(tt.src))
			if tree == nil {
				t.Fatalf("ParseTOML(%q) = nil: %v", tt.src, messages(*diags))
			}
			m, ok := r.Root(tree, "front-matter")
			if !ok {
				t.Fatalf("Root failed: %v", messages(*diags))
			}
			tt.get(&m)
			checkDiags(t, tt.src, *diags, []string{tt.want})
		})
	}
}

func TestParseTOMLValuesHaveLines(t *testing.T) {
	src := "a = 1\nb.c = 2\nlist = [\n  \"x\",\n  \"z\",\n]\ninl = [\n  {y = 3},\n]\n[t]\nd = 4\n\n[[arr]]\ne = 5\n[[arr]]\ne = 6\n[arr.sub]\nf = 7\n"
	diags := new(diag.List)
	r := &Reader{File: testFile, Offset: 3, Diags: diags}
	m, ok := r.Root(r.ParseTOML([]byte(src)), "front-matter")
	if !ok {
		t.Fatalf("Root failed: %v", messages(*diags))
	}
	got := map[string]int{}
	for _, k := range []string{"a", "b", "list", "inl", "t", "arr", "missing"} {
		got[k] = m.Line(k)
	}
	b, _ := m.Sub("b")
	got["b.c"] = b.Line("c")
	tt, _ := m.Sub("t")
	got["t.d"] = tt.Line("d")
	for i, e := range m.Maps("arr", false, "arr") {
		got[fmt.Sprintf("arr %d.e", i+1)] = e.Line("e")
		if sub, ok := e.Sub("sub"); ok {
			got[fmt.Sprintf("arr %d.sub.f", i+1)] = sub.Line("f")
		}
	}
	for i, item := range m.Strings("list") {
		got[fmt.Sprintf("list %d", i+1)] = item.Line
	}
	for _, e := range m.Maps("inl", false, "inl") {
		got["inl 1.y"] = e.Line("y")
	}
	want := map[string]int{"a": 4, "b": 5, "b.c": 5, "list": 6, "list 1": 7, "list 2": 8, "inl": 10, "inl 1.y": 11,
		"t": 13, "t.d": 14, "arr": 16, "arr 1.e": 17, "arr 2.e": 19, "arr 2.sub.f": 21, "missing": 0}
	if !maps.Equal(got, want) {
		t.Errorf("lines %v; want %v", got, want)
	}
}

func TestParseTOMLReadsArraysOfTables(t *testing.T) {
	src := "[[faq]]\nq = \"one\"\n[[faq]]\nq = \"two\"\n\n[[faq]]\nq = \"three\"\n"
	diags := new(diag.List)
	r := &Reader{File: testFile, Diags: diags}
	m, ok := r.Root(r.ParseTOML([]byte(src)), "front-matter")
	if !ok {
		t.Fatalf("Root failed: %v", messages(*diags))
	}
	var got []string
	for _, f := range m.Maps("faq", true, "faq") {
		got = append(got, f.Path()+"="+f.String("q", true))
		f.Done()
	}
	m.Done()
	if want := "faq 1=one faq 2=two faq 3=three"; strings.Join(got, " ") != want {
		t.Errorf("got %q; want %q", strings.Join(got, " "), want)
	}
	checkDiags(t, src, *diags, nil)
}

func TestParseTOMLReportsSyntaxErrorsAtTheirLine(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"a = 1\nb = \n", "guide.yaml:12: invalid TOML: a key has no value"},
		{"a = 1\na = 2\n", "guide.yaml:12: invalid TOML: key a is already defined"},
		{"a = \"open\n", "guide.yaml:11: invalid TOML: basic strings cannot have new lines"},
		{"a = some words\n", "guide.yaml:11: invalid TOML: a value cannot start with 's'; text goes in quotes"},
		{"a = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "guide.yaml:11: invalid TOML: arrays and inline tables are nested more than the maximum of 10000 levels deep"},
	}
	for _, tt := range tests {
		diags := new(diag.List)
		r := &Reader{File: testFile, Offset: 10, Diags: diags}
		if tree := r.ParseTOML([]byte(tt.src)); tree != nil {
			t.Errorf("ParseTOML(%q) = tree; want nil", tt.src)
		}
		checkDiags(t, tt.src, *diags, []string{tt.want})
	}
}

func TestParseTOMLKeepsTheOffsetOfMidnightTimes(t *testing.T) {
	tests := []struct {
		src  string
		want time.Time
	}{
		{"v = 2026-01-02T00:00:00+05:00", time.Date(2026, 1, 1, 19, 0, 0, 0, time.UTC)},
		{"v = 2026-01-02T00:00:00-03:00", time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		diags := new(diag.List)
		r := &Reader{File: testFile, Diags: diags}
		m, _ := r.Root(r.ParseTOML([]byte(tt.src)), "front-matter")
		if got := m.Date("v"); !got.Equal(tt.want) {
			t.Errorf("Date(%q) = %v; want %v", tt.src, got, tt.want)
		}
	}
	diags := new(diag.List)
	r := &Reader{File: testFile, Diags: diags}
	m, _ := r.Root(r.ParseTOML([]byte("v = 10:00:00")), "front-matter")
	if got := m.Date("v"); !got.IsZero() || len(*diags) != 1 {
		t.Errorf(`Date("v = 10:00:00") = %v with %v; want zero and a wrong-type error`, got, messages(*diags))
	}
}

func TestParseTOMLTimesWithinADay(t *testing.T) {
	tests := []struct {
		src  string
		want time.Time
	}{
		{"v = 2026-01-02", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"v = 2026-01-02T10:30:00Z", time.Date(2026, 1, 2, 10, 30, 0, 0, time.UTC)},
		{"v = 2026-01-02T10:30:00+02:00", time.Date(2026, 1, 2, 8, 30, 0, 0, time.UTC)},
		{"v = 2026-01-02T10:30:00", time.Date(2026, 1, 2, 10, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		diags := new(diag.List)
		r := &Reader{File: testFile, Diags: diags}
		m, _ := r.Root(r.ParseTOML([]byte(tt.src)), "front-matter")
		if got := m.Date("v"); !got.Equal(tt.want) {
			t.Errorf("Date(%q) = %v; want %v", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

// FuzzParseYAML checks that any text either parses or is reported, and that
// reading fields out of whatever parses never panics.
func FuzzParseYAML(f *testing.F) {
	for _, s := range []string{
		"title: x\n", "a: &a [*a]\n", "- a\n", "", "a: 1\na: 2\n", "[a]: 1\n", "a: {b: [c, {d: e}]}\n",
		"a: !!binary aGk=\n", "a:\n  - &x {q: 1}\n  - *x\n", "? a\n: b\n", "a: |\n  x\n\n  y\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		diags := new(diag.List)
		r := &Reader{File: testFile, Offset: 2, Diags: diags}
		tree := r.ParseYAML([]byte(s))
		if tree == nil {
			if len(*diags) != 1 {
				t.Fatalf("ParseYAML(%q) = nil with %d diagnostics; want 1", s, len(*diags))
			}
			return
		}
		m, ok := r.Root(tree, "front-matter")
		if !ok {
			return
		}
		for _, key := range []string{"a", "title", "b"} {
			m.String(key, false)
			m.Bool(key)
			m.Int(key)
			m.Date(key)
			m.Strings(key)
			for _, sub := range m.Maps(key, false, "item") {
				sub.String("q", false)
				sub.Done()
			}
			if sub, ok := m.Sub(key); ok {
				sub.Done()
			}
		}
		m.Done()
		for _, d := range *diags {
			if d.File != testFile || d.Line < 0 {
				t.Errorf("ParseYAML(%q): diagnostic %+v; want file %q and line >= 0", s, d, testFile)
			}
		}
	})
}

// FuzzParseTOML: any text gives a tree whose every line is one of the
// text's, or one problem.
func FuzzParseTOML(f *testing.F) {
	for _, s := range []string{
		"title = \"x\"\n", "a.b.c = 1\n", "[[a]]\nb = 1\n[[a]]\n[a.c]\nd = [1, {e = 2}]\n", "", "a = 1\na = 2\n",
		"a = \"\"\"\nx\n\"\"\"\nb = 2\n", "[t]\n[t.u]\nv = 2026-01-31\n", "a = [\n  [1, 2],\n  [\"x\"],\n]\n", "'q k' = 1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		diags := new(diag.List)
		r := &Reader{File: testFile, Diags: diags}
		tree := r.ParseTOML([]byte(s))
		if tree == nil {
			if len(*diags) != 1 {
				t.Fatalf("ParseTOML(%q) = nil with %d diagnostics; want 1", s, len(*diags))
			}
			return
		}
		lines := strings.Count(s, "\n") + 1
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Line < 0 || n.Line > lines {
				t.Fatalf("ParseTOML(%q): a node at line %d of %d", s, n.Line, lines)
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(tree)
	})
}
