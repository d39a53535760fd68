package node

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v4"

	"github.com/guide-build/guide/internal/diag"
)

// testFile is the file name every test reader reports.
const testFile = "guide.yaml"

// readYAML parses src with a Reader whose text starts after offset lines and
// returns its top-level mapping. It fails the test if src is not a mapping.
func readYAML(t *testing.T, src string, offset int) (Map, *diag.List) {
	t.Helper()
	diags := new(diag.List)
	r := &Reader{File: testFile, Offset: offset, Diags: diags}
	tree := r.ParseYAML([]byte(src))
	if tree == nil {
		t.Fatalf("ParseYAML(%q) = nil; diagnostics: %v", src, messages(*diags))
	}
	m, ok := r.Root(tree, "front-matter")
	if !ok {
		t.Fatalf("Root(%q) failed; diagnostics: %v", src, messages(*diags))
	}
	return m, diags
}

// messages formats diagnostics the way the build prints them.
func messages(l diag.List) []string {
	out := make([]string, 0, len(l))
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}

func checkDiags(t *testing.T, what string, got diag.List, want []string) {
	t.Helper()
	if g := messages(got); !slices.Equal(g, want) {
		t.Errorf("%s: got diagnostics\n\t%s\nwant\n\t%s", what, strings.Join(g, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestReaderLineAddsOffset(t *testing.T) {
	for _, offset := range []int{0, 1, 3, 10} {
		m, _ := readYAML(t, "a: 1\nb: 2\n\nc:\n  - x\n", offset)
		for key, want := range map[string]int{"a": 1, "b": 2, "c": 5} {
			if got := m.Line(key); got != want+offset {
				t.Errorf("offset %d: Line(%q) = %d; want %d", offset, key, got, want+offset)
			}
		}
	}
}

func TestReaderLineOfNodeWithoutLineIsZero(t *testing.T) {
	r := &Reader{File: testFile, Offset: 7, Diags: new(diag.List)}
	for _, n := range []*yaml.Node{nil, {}, {Kind: yaml.ScalarNode, Value: "x"}} {
		if got := r.Line(n); got != 0 {
			t.Errorf("Line(%+v) = %d; want 0", n, got)
		}
	}
}

func TestMapLineOfAbsentKeyIsTheMapping(t *testing.T) {
	m, _ := readYAML(t, "# comment\n\na: 1\nb: 2\n", 4)
	if got, want := m.Line("missing"), 7; got != want {
		t.Errorf("Line(%q) = %d; want %d", "missing", got, want)
	}
}

func TestStringReadsScalarsAsWritten(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		{"v: hello world", "hello world"},
		{"v: 'single quoted'", "single quoted"},
		{`v: "double \"quoted\""`, `double "quoted"`},
		{"v: 2024", "2024"},
		{"v: 1.50", "1.50"},
		{"v: true", "true"},
		{"v: 2026-01-31", "2026-01-31"},
		{"v: |\n  line one\n  line two\n", "line one\nline two\n"},
		{"v: |-\n  line one\n  line two\n", "line one\nline two"},
		{"v: >-\n  folded\n  text\n", "folded text"},
		{"v: >\n  para one\n\n  para two\n", "para one\npara two\n"},
		{"v: plain # comment", "plain"},
		{"v: ''", ""},
		{"v: ~", ""},
		{"v:", ""},
		{"other: 1", ""},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		if got := m.String("v", false); got != tt.want {
			t.Errorf("String(%q) = %q; want %q", tt.src, got, tt.want)
		}
		if len(*diags) > 0 {
			t.Errorf("String(%q): got diagnostics %v; want none", tt.src, messages(*diags))
		}
	}
}

func TestRequiredStringReportsMissingAndEmpty(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"absent", "other: 1\n", []string{`guide.yaml:11: missing required field "title"`}},
		{"empty", "other: 1\ntitle: ''\n", []string{`guide.yaml:12: title: must not be empty`}},
		{"blank", "other: 1\ntitle: '   '\n", []string{`guide.yaml:12: title: must not be empty`}},
		{"present", "other: 1\ntitle: x\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := readYAML(t, tt.src, 10)
			m.String("title", true)
			checkDiags(t, tt.src, *diags, tt.want)
		})
	}
}

func TestRequiredNullIsReportedAtItsKey(t *testing.T) {
	for _, src := range []string{"other: 1\ntitle: ~\n", "other: 1\ntitle:\n"} {
		m, diags := readYAML(t, src, 10)
		m.String("title", true)
		if len(*diags) != 1 || (*diags)[0].Line != 12 {
			t.Errorf("%q: got diagnostics %v; want one on line 12", src, messages(*diags))
		}
	}
}

func TestNullValuesAreAbsent(t *testing.T) {
	src := "s: ~\nb: null\ni: Null\nd: NULL\nl: ~\nm:\nsub: ~\n"
	m, diags := readYAML(t, src, 0)
	if got := m.String("s", false); got != "" {
		t.Errorf("String(s) = %q; want empty", got)
	}
	if got := m.Bool("b"); got {
		t.Errorf("Bool(b) = true; want false")
	}
	if got := m.Int("i"); got != 0 {
		t.Errorf("Int(i) = %d; want 0", got)
	}
	if got := m.Date("d"); !got.IsZero() {
		t.Errorf("Date(d) = %v; want zero", got)
	}
	if got := m.Strings("l"); got != nil {
		t.Errorf("Strings(l) = %v; want nil", got)
	}
	if got := m.Maps("m", false, "item"); got != nil {
		t.Errorf("Maps(m) = %v; want nil", got)
	}
	if _, ok := m.Sub("sub"); ok {
		t.Errorf("Sub(sub) ok = true; want false")
	}
	m.Done()
	checkDiags(t, src, *diags, nil)
}

func TestGettersReportWrongTypesWithLines(t *testing.T) {
	tests := []struct {
		name string
		src  string
		get  func(m *Map)
		want []string
	}{
		{"string gets list", "a: 1\nv: [x, y]\n", func(m *Map) { m.String("v", false) },
			[]string{"guide.yaml:12: v: want text, got a list"}},
		{"string gets mapping", "a: 1\nv:\n  x: 1\n", func(m *Map) { m.String("v", true) },
			[]string{"guide.yaml:13: v: want text, got a set of fields"}},
		{"bool gets text", "a: 1\nv: yes\n", func(m *Map) { m.Bool("v") },
			[]string{`guide.yaml:12: v: want true or false, got text "yes"`}},
		{"bool gets quoted true", "a: 1\nv: \"true\"\n", func(m *Map) { m.Bool("v") },
			[]string{`guide.yaml:12: v: want true or false, got text "true"`}},
		{"bool gets number", "a: 1\nv: 1\n", func(m *Map) { m.Bool("v") },
			[]string{"guide.yaml:12: v: want true or false, got a number"}},
		{"int gets text", "a: 1\nv: ten\n", func(m *Map) { m.Int("v") },
			[]string{`guide.yaml:12: v: want a whole number, got text "ten"`}},
		{"int gets float", "a: 1\nv: 1.5\n", func(m *Map) { m.Int("v") },
			[]string{"guide.yaml:12: v: want a whole number, got a number"}},
		{"int gets bool", "a: 1\nv: false\n", func(m *Map) { m.Int("v") },
			[]string{"guide.yaml:12: v: want a whole number, got true/false"}},
		{"int gets quoted number", "a: 1\nv: '5'\n", func(m *Map) { m.Int("v") },
			[]string{`guide.yaml:12: v: want a whole number, got text "5"`}},
		{"int gets list", "a: 1\nv:\n  - 1\n", func(m *Map) { m.Int("v") },
			[]string{"guide.yaml:13: v: want a whole number, got a list"}},
		{"date gets text", "a: 1\nv: next week\n", func(m *Map) { m.Date("v") },
			[]string{`guide.yaml:12: v: want a date like 2026-01-31, got text "next week"`}},
		{"date gets other layout", "a: 1\nv: 31/01/2026\n", func(m *Map) { m.Date("v") },
			[]string{`guide.yaml:12: v: want a date like 2026-01-31, got text "31/01/2026"`}},
		{"date gets impossible day", "a: 1\nv: 2026-02-30\n", func(m *Map) { m.Date("v") },
			[]string{`guide.yaml:12: v: want a date like 2026-01-31, got text "2026-02-30"`}},
		{"date gets list", "a: 1\nv: [2026-01-31]\n", func(m *Map) { m.Date("v") },
			[]string{"guide.yaml:12: v: want a date like 2026-01-31, got a list"}},
		{"strings gets text", "a: 1\nv: x\n", func(m *Map) { m.Strings("v") },
			[]string{`guide.yaml:12: v: want a list, got text "x"`}},
		{"strings gets null item", "a: 1\nv:\n  - x\n  - ~\n  -\n", func(m *Map) { m.Strings("v") },
			[]string{"guide.yaml:14: v #2: want text, got nothing", "guide.yaml:15: v #3: want text, got nothing"}},
		{"strings gets mapping item", "a: 1\nv:\n  - x\n  - y: 1\n", func(m *Map) { m.Strings("v") },
			[]string{"guide.yaml:14: v #2: want text, got a set of fields"}},
		{"strings gets list item", "a: 1\nv: [x, [y]]\n", func(m *Map) { m.Strings("v") },
			[]string{"guide.yaml:12: v #2: want text, got a list"}},
		{"maps gets mapping", "a: 1\nv:\n  x: 1\n", func(m *Map) { m.Maps("v", true, "item") },
			[]string{"guide.yaml:13: v: want a list, got a set of fields"}},
		{"maps gets scalar item", "a: 1\nv:\n  - x: 1\n  - oops\n", func(m *Map) { m.Maps("v", true, "item") },
			[]string{`guide.yaml:14: item 2: want a set of fields (key: value), got text "oops"`}},
		{"required maps gets empty list", "a: 1\nv: []\n", func(m *Map) { m.Maps("v", true, "item") },
			[]string{"guide.yaml:12: v: the list is empty; add at least one"}},
		{"optional maps gets empty list", "a: 1\nv: []\n", func(m *Map) { m.Maps("v", false, "item") }, nil},
		{"required maps absent", "a: 1\n", func(m *Map) { m.Maps("v", true, "item") },
			[]string{`guide.yaml:11: missing required field "v"`}},
		{"sub gets list", "a: 1\nv: [1]\n", func(m *Map) { m.Sub("v") },
			[]string{"guide.yaml:12: v: want a set of fields (key: value), got a list"}},
		{"long text is clipped", "a: 1\nv: abcdefghijklmnopqrstuvwxyz0123456789\n", func(m *Map) { m.Int("v") },
			[]string{`guide.yaml:12: v: want a whole number, got text "abcdefghijklmnopqrstuvwxyz0123…"`}},
		{"long text is clipped by rune", "a: 1\nv: ééééééééééééééééééééééééééééééé\n", func(m *Map) { m.Int("v") },
			[]string{`guide.yaml:12: v: want a whole number, got text "éééééééééééééééééééééééééééééé…"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := readYAML(t, tt.src, 10)
			tt.get(&m)
			checkDiags(t, tt.src, *diags, tt.want)
		})
	}
}

func TestNestedGettersNameTheirPath(t *testing.T) {
	src := `cta:
  heading: [x]
  extra: 1
questions:
  - q: fine
    tags: ok
  - q: [no]
`
	m, diags := readYAML(t, src, 0)
	cta, ok := m.Sub("cta")
	if !ok {
		t.Fatalf("Sub(cta) ok = false; want true")
	}
	if got, want := cta.Path(), "cta"; got != want {
		t.Errorf("Path() = %q; want %q", got, want)
	}
	cta.String("heading", true)
	cta.Done()
	for _, q := range m.Maps("questions", true, "question") {
		q.String("q", true)
		q.Strings("tags")
		q.Done()
	}
	m.Done()
	checkDiags(t, src, *diags, []string{
		"guide.yaml:2: cta heading: want text, got a list",
		`guide.yaml:3: cta: unknown field "extra" (known: heading)`,
		`guide.yaml:6: question 1 tags: want a list, got text "ok"`,
		"guide.yaml:7: question 2 q: want text, got a list",
	})
}

func TestBoolReadsTrueAndFalse(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"v: true", true},
		{"v: True", true},
		{"v: TRUE", true},
		{"v: false", false},
		{"v: False", false},
		{"v: FALSE", false},
		{"v: !!bool true", true},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		if got := m.Bool("v"); got != tt.want {
			t.Errorf("Bool(%q) = %v; want %v", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

func TestIntReadsWholeNumbers(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"v: 0", 0},
		{"v: 10", 10},
		{"v: -3", -3},
		{"v: +5", 5},
		{"v: 007", 7},
		{"v: !!int 12", 12},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		if got := m.Int("v"); got != tt.want {
			t.Errorf("Int(%q) = %d; want %d", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

func TestIntReadsOtherIntegerNotations(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"v: 0x10", 16},
		{"v: 0o17", 15},
		{"v: 1_000", 1000},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		if got := m.Int("v"); got != tt.want {
			t.Errorf("Int(%q) = %d; want %d", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

func TestDateReadsDatesInUTC(t *testing.T) {
	tests := []struct {
		src  string
		want time.Time
	}{
		{"v: 2026-01-31", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"v: '2026-01-31'", time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"v: 2026-01-31T10:20:30Z", time.Date(2026, 1, 31, 10, 20, 30, 0, time.UTC)},
		{"v: 2026-01-31T10:20:30+02:00", time.Date(2026, 1, 31, 8, 20, 30, 0, time.UTC)},
		{"v: 2026-01-01T00:30:00+05:00", time.Date(2025, 12, 31, 19, 30, 0, 0, time.UTC)},
		{"v: 2026-01-31T10:20:30", time.Date(2026, 1, 31, 10, 20, 30, 0, time.UTC)},
		{"v: 2026-01-31 10:20:30", time.Date(2026, 1, 31, 10, 20, 30, 0, time.UTC)},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		got := m.Date("v")
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Date(%q) = %v; want %v", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

func TestStringsReturnsItemsWithLines(t *testing.T) {
	tests := []struct {
		src  string
		want []Item
	}{
		{"a: 1\nv: [x, y]\n", []Item{{"x", 12}, {"y", 12}}},
		{"a: 1\nv:\n  - x\n  - 'y z'\n", []Item{{"x", 13}, {"y z", 14}}},
		{"a: 1\nv:\n- x\n- 2024\n", []Item{{"x", 13}, {"2024", 14}}},
		{"a: 1\nv: []\n", []Item{}},
		{"a: 1\nv: [\n  x,\n  y\n]\n", []Item{{"x", 13}, {"y", 14}}},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 10)
		if got := m.Strings("v"); !slices.Equal(got, tt.want) {
			t.Errorf("Strings(%q) = %v; want %v", tt.src, got, tt.want)
		}
		checkDiags(t, tt.src, *diags, nil)
	}
}

func TestMapsReturnsEachMapping(t *testing.T) {
	src := "questions:\n  - q: one\n  - q: two\n    extra: x\n"
	m, diags := readYAML(t, src, 0)
	qs := m.Maps("questions", true, "question")
	if len(qs) != 2 {
		t.Fatalf("Maps returned %d mappings; want 2", len(qs))
	}
	var got []string
	for _, q := range qs {
		got = append(got, fmt.Sprintf("%s=%s@%d", q.Path(), q.String("q", true), q.Line("q")))
		q.Done()
	}
	m.Done()
	if want := []string{"question 1=one@2", "question 2=two@3"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
	checkDiags(t, src, *diags, []string{`guide.yaml:4: question 2: unknown field "extra" (known: q)`})
}

func TestDoneReportsUnknownFields(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"all known", "title: x\nlook-for: y\n", nil},
		{"typo", "title: x\ntitel: y\n", []string{`guide.yaml:12: unknown field "titel" (did you mean "title"?)`}},
		{"case and underscores", "title: x\nLook_For: y\n", []string{`guide.yaml:12: unknown field "Look_For" (did you mean "look-for"?)`}},
		{"missing dash", "title: x\nlookfor: y\n", []string{`guide.yaml:12: unknown field "lookfor" (did you mean "look-for"?)`}},
		{"spaces", "title: x\nlook for: y\n", []string{`guide.yaml:12: unknown field "look for" (did you mean "look-for"?)`}},
		{"plural", "title: x\nsummaries: y\n", []string{`guide.yaml:12: unknown field "summaries" (known: look-for, summary, title)`}},
		{"nothing close", "title: x\ncolour: y\n", []string{`guide.yaml:12: unknown field "colour" (known: look-for, summary, title)`}},
		{"several in source order", "zzz: 1\ntitle: x\naaa: 2\n", []string{
			`guide.yaml:11: unknown field "zzz" (known: look-for, summary, title)`,
			`guide.yaml:13: unknown field "aaa" (known: look-for, summary, title)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, diags := readYAML(t, tt.src, 10)
			m.String("title", false)
			m.String("summary", false)
			m.String("look-for", false)
			m.String("title", false) // asked twice, listed once
			m.Done()
			checkDiags(t, tt.src, *diags, tt.want)
		})
	}
}

func TestDoneOnZeroMapDoesNothing(t *testing.T) {
	var m Map
	if m.Valid() {
		t.Errorf("Valid() = true for the zero Map; want false")
	}
	m.Done() // must not panic
}

func TestMapReportsDuplicateKeys(t *testing.T) {
	src := "title: a\nweight: 1\ntitle: b\ntitle: c\n"
	m, diags := readYAML(t, src, 10)
	if got := m.String("title", true); got != "a" {
		t.Errorf("String(title) = %q; want the first value %q", got, "a")
	}
	m.Int("weight")
	m.Done()
	checkDiags(t, src, *diags, []string{
		`guide.yaml:13: duplicate field "title" (first set on line 11)`,
		`guide.yaml:14: duplicate field "title" (first set on line 11)`,
	})
}

func TestDuplicateKeyNamesTheLineOfTheFirstKey(t *testing.T) {
	src := "a: 1\nb:\n  - x\nb: 2\n"
	_, diags := readYAML(t, src, 10)
	checkDiags(t, src, *diags, []string{`guide.yaml:14: duplicate field "b" (first set on line 12)`})
}

func TestMapReportsKeysThatAreNotScalars(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"[a]: 1\nb: 2\n", []string{"guide.yaml:1: a key must be a plain word, got a list"}},
		{"b: 2\n? {x: 1}\n: 1\n", []string{"guide.yaml:2: a key must be a plain word, got a set of fields"}},
	}
	for _, tt := range tests {
		m, diags := readYAML(t, tt.src, 0)
		if got := m.Int("b"); got != 2 {
			t.Errorf("Int(b) = %d; want 2", got)
		}
		m.Done()
		checkDiags(t, tt.src, *diags, tt.want)
	}
}

func TestAliasesAreResolved(t *testing.T) {
	src := `defaults: &d
  category: technical
  tags: &t [a, b]
name: &n Backend
title: *n
cat: *d
tags: *t
list: [*n, x]
nothing: &z ~
also: *z
weight: &w 3
w: *w
`
	m, diags := readYAML(t, src, 0)
	if _, ok := m.Sub("defaults"); !ok {
		t.Fatal("Sub(defaults) failed")
	}
	m.String("name", false)
	if got := m.String("title", true); got != "Backend" {
		t.Errorf("String(title) = %q; want %q", got, "Backend")
	}
	if got := m.Line("title"); got != 5 {
		t.Errorf("Line(title) = %d; want 5, the line of the alias", got)
	}
	sub, ok := m.Sub("cat")
	if !ok {
		t.Fatal("Sub(cat) failed")
	}
	if got := sub.String("category", true); got != "technical" {
		t.Errorf("cat category = %q; want %q", got, "technical")
	}
	sub.Strings("tags")
	sub.Done()
	if got := m.Strings("tags"); !slices.Equal(got, []Item{{"a", 3}, {"b", 3}}) {
		t.Errorf("Strings(tags) = %v; want a and b on line 3", got)
	}
	if got := m.Strings("list"); !slices.Equal(got, []Item{{"Backend", 4}, {"x", 8}}) {
		t.Errorf("Strings(list) = %v; want Backend (line 4) and x (line 8)", got)
	}
	m.String("nothing", false)
	if got := m.String("also", false); got != "" {
		t.Errorf("String(also) = %q; want empty", got)
	}
	m.Int("weight")
	if got := m.Int("w"); got != 3 {
		t.Errorf("Int(w) = %d; want 3", got)
	}
	m.Done()
	checkDiags(t, src, *diags, nil)
}

// A merge key brings in the fields of another mapping, or of each of a
// list of them, that the mapping does not set itself; the first listed
// wins, merges may nest, and each field keeps its own line.
func TestMergeKeysAddFieldsNotSet(t *testing.T) {
	src := `base: &base
  category: technical
  look-for: A reason.
  <<: &deep
    tags: [a]
    category: behavioral
other: &other
  look-for: Another.
  red-flags: None.
q1:
  <<: *base
  q: Why?
q2:
  q: Why not?
  look-for: Its own.
  <<: [*other, *base]
`
	m, diags := readYAML(t, src, 0)
	m.Sub("base")
	m.Sub("other")
	for _, tc := range []struct {
		key  string
		want map[string]string // field → value@line
	}{
		{"q1", map[string]string{"q": "Why?@12", "category": "technical@2", "look-for": "A reason.@3", "tags": "@5"}},
		{"q2", map[string]string{"q": "Why not?@14", "look-for": "Its own.@15", "red-flags": "None.@9", "category": "technical@2", "tags": "@5"}},
	} {
		sub, ok := m.Sub(tc.key)
		if !ok {
			t.Fatalf("Sub(%s) failed", tc.key)
		}
		for field, want := range tc.want {
			var got string
			if field == "tags" {
				got = fmt.Sprintf("@%d", sub.Strings(field)[0].Line)
			} else {
				got = fmt.Sprintf("%s@%d", sub.String(field, true), sub.Line(field))
			}
			if got != want {
				t.Errorf("%s.%s = %s; want %s", tc.key, field, got, want)
			}
		}
		sub.Done()
	}
	m.Done()
	checkDiags(t, src, *diags, nil)
}

// What a merge key cannot merge is reported at its line, and a merged
// field nobody knows is reported where it is written.
func TestMergeKeysReportWhatTheyCannotMerge(t *testing.T) {
	src := `a: &a
  known: 1
  stray: 2
b:
  <<: [*a, 3]
c:
  <<: just text
`
	m, diags := readYAML(t, src, 0)
	a, _ := m.Sub("a")
	a.Int("known")
	for _, key := range []string{"b", "c"} {
		sub, _ := m.Sub(key)
		sub.Int("known")
		sub.Done()
	}
	checkDiags(t, src, *diags, []string{
		`guide.yaml:5: b: <<: want a set of fields to merge, got a number`,
		`guide.yaml:3: b: unknown field "stray" (known: known)`,
		`guide.yaml:7: c: <<: want a set of fields to merge, or a list of them, got text "just text"`,
	})
}

// Merging the same mappings over and over (ten aliases to a level, ten
// levels deep: ten billion paths) merges each mapping once, and a chain too
// deep is reported once, however many paths reach past it.
func TestMergeKeysDoNotMultiply(t *testing.T) {
	bomb := func(fan, depth int) string {
		var b strings.Builder
		b.WriteString("a0: &a0 {k0: 0}\n")
		for d := 1; d <= depth; d++ {
			fmt.Fprintf(&b, "a%d: &a%d {k%d: %d, <<: [%s]}\n", d, d, d, d, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", d-1), fan), ", "))
		}
		fmt.Fprintf(&b, "top:\n  <<: *a%d\n", depth)
		return b.String()
	}
	for _, tc := range []struct {
		fan, depth int
		want       []string
	}{
		{10, 10, nil},
		{3, 20, []string{ // once for each mapping read that nests too deep
			"guide.yaml:2: a17: <<: merges nest more than 16 deep",
			"guide.yaml:3: a18: <<: merges nest more than 16 deep",
			"guide.yaml:4: a19: <<: merges nest more than 16 deep",
			"guide.yaml:5: a20: <<: merges nest more than 16 deep",
			"guide.yaml:6: top: <<: merges nest more than 16 deep",
		}},
	} {
		src := bomb(tc.fan, tc.depth)
		m, diags := readYAML(t, src, 0)
		for d := 0; d <= tc.depth; d++ {
			m.Sub(fmt.Sprintf("a%d", d))
		}
		top, _ := m.Sub("top")
		for d := tc.depth; d > tc.depth-min(tc.depth, 16); d-- {
			if got := top.Int(fmt.Sprintf("k%d", d)); got != d {
				t.Errorf("fan %d, depth %d: k%d = %d; want %d", tc.fan, tc.depth, d, got, d)
			}
		}
		checkDiags(t, fmt.Sprintf("fan %d, depth %d", tc.fan, tc.depth), *diags, tc.want)
	}
}

// A mapping written inline after a merge key is read nowhere else: its
// duplicate fields and keys that are not words are reported there.
func TestMergeKeysReportInlineProblems(t *testing.T) {
	src := `q:
  <<: {a: 1, a: 2, [x]: 3}
r:
  <<: [&d {b: 1, b: 2}]
s:
  <<: *d
`
	m, diags := readYAML(t, src, 0)
	for _, key := range []string{"q", "r", "s"} {
		sub, _ := m.Sub(key)
		sub.Int("a")
		sub.Int("b")
		sub.Done()
	}
	checkDiags(t, src, *diags, []string{
		`guide.yaml:2: q: <<: duplicate field "a" (first set on line 2)`,
		`guide.yaml:2: q: <<: a key must be a plain word, got a list`,
		`guide.yaml:4: r: <<: duplicate field "b" (first set on line 4)`,
	})
}

func TestRootRejectsEmptyAndNonMappingDocuments(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", []string{"guide.yaml:5: front-matter is empty"}},
		{"comment only", "# nothing here\n", []string{"guide.yaml:5: front-matter is empty"}},
		{"null", "~\n", []string{"guide.yaml:5: front-matter is empty"}},
		{"list", "\n- a\n- b\n", []string{"guide.yaml:7: want a set of fields (key: value), got a list"}},
		{"text", "hello\n", []string{`guide.yaml:6: want a set of fields (key: value), got text "hello"`}},
		{"number", "42\n", []string{"guide.yaml:6: want a set of fields (key: value), got a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := new(diag.List)
			r := &Reader{File: testFile, Offset: 5, Diags: diags}
			tree := r.ParseYAML([]byte(tt.src))
			if tree == nil {
				t.Fatalf("ParseYAML(%q) = nil; want a tree", tt.src)
			}
			m, ok := r.Root(tree, "front-matter")
			if ok || m.Valid() {
				t.Errorf("Root(%q) = valid map, %v; want invalid, false", tt.src, ok)
			}
			checkDiags(t, tt.src, *diags, tt.want)
		})
	}
}

func TestRootAcceptsBareMappingNode(t *testing.T) {
	diags := new(diag.List)
	r := &Reader{File: testFile, Diags: diags}
	tree := r.ParseYAML([]byte("a: 1\n"))
	m, ok := r.Root(tree.Content[0], "x")
	if !ok || m.Int("a") != 1 {
		t.Errorf("Root(mapping node) = %v, a=%d; want ok, a=1", ok, m.Int("a"))
	}
	if _, ok := r.Root(nil, "x"); ok {
		t.Errorf("Root(nil) ok = true; want false")
	}
	checkDiags(t, "Root", *diags, []string{"guide.yaml: x is empty"})
}

func TestErrorfReportsAtValueOrMapping(t *testing.T) {
	m, diags := readYAML(t, "a: 1\nb:\n  - x\n", 20)
	m.Errorf("b", "bad %s", "b")
	m.Errorf("zzz", "bad %s", "zzz")
	checkDiags(t, "Errorf", *diags, []string{"guide.yaml:23: bad b", "guide.yaml:21: bad zzz"})
}

func TestClosestSuggestsNearKeys(t *testing.T) {
	known := []string{"title", "slug", "department", "summary", "look-for", "red-flags", "follow-ups", "tags", "q"}
	tests := []struct {
		s    string
		want string
	}{
		{"titel", "title"},
		{"Title", "title"},
		{"TITLE", "title"},
		{"look_for", "look-for"},
		{"lookfor", "look-for"},
		{"Look For", "look-for"},
		{"redflags", "red-flags"},
		{"followups", "follow-ups"},
		{"follow-up", "follow-ups"},
		{"tag", "tags"},
		{"slugg", "slug"},
		{"deprtment", "department"},
		{"departmnet", "department"},
		{"sumary", "summary"},
		{"description", ""},
		{"xyzzy", ""},
		{"", "q"},
	}
	for _, tt := range tests {
		if got := closest(tt.s, known); got != tt.want {
			t.Errorf("closest(%q) = %q; want %q", tt.s, got, tt.want)
		}
	}
}

func TestClosestBreaksTiesAlphabetically(t *testing.T) {
	if got := closest("ab", []string{"ad", "ac", "ad"}); got != "ac" {
		t.Errorf("closest(ab, [ad ac]) = %q; want %q", got, "ac")
	}
	if got := closest("x", nil); got != "" {
		t.Errorf("closest(x, nil) = %q; want empty", got)
	}
}

func TestDistanceIsLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"", "abc", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"title", "titel", 2},
		{"tag", "tags", 1},
		{"ab", "ba", 2},
		{"saturday", "sunday", 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance(tt.b, tt.a); got != tt.want {
			t.Errorf("distance(%q, %q) = %d; want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("kitten", "sitting")
	f.Add("", "abc")
	f.Add("look-for", "lookfor")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := distance(a, b)
		if d != distance(b, a) {
			t.Errorf("distance(%q, %q) = %d but distance(%q, %q) = %d; want equal", a, b, d, b, a, distance(b, a))
		}
		if lo, hi := abs(len(a)-len(b)), max(len(a), len(b)); d < lo || d > hi {
			t.Errorf("distance(%q, %q) = %d; want between %d and %d", a, b, d, lo, hi)
		}
		if (d == 0) != (a == b) {
			t.Errorf("distance(%q, %q) = %d; want 0 exactly when equal", a, b, d)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
