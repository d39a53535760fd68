package content

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

const headerFile = "content/roles/site-reliability-engineer.md"

// questionsYAML is a valid question list to complete a role.
const questionsYAML = `questions:
  - q: What is an SLO?
    category: technical
    look-for: Ties it to users.
`

// checkScanHeaderAgrees fails t unless ScanHeader declines data or returns
// the header ParseRole gives. It returns ScanHeader's ok.
func checkScanHeaderAgrees(t *testing.T, file string, data []byte) bool {
	t.Helper()
	got, ok := ScanHeader(file, data)
	role, diags := ParseRole(file, data, testConfig)
	if diags.HasErrors() {
		t.Fatalf("the test role has errors: %v", messages(diags))
	}
	if ok && got != role.Header() {
		t.Errorf("ScanHeader = %+v; ParseRole gives %+v", got, role.Header())
	}
	return ok
}

func TestScanHeaderAgreesWithParseRole(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		wantOK bool // the shortcut should apply, not just agree
	}{
		{"plain", `---
title: Site Reliability Engineer
department: Engineering
summary: Keeps production healthy.
` + questionsYAML + "---\nBody\n", true},
		{"every header field", `---
title: Site Reliability Engineer
slug: sre
department: Engineering
draft: true
weight: 30
summary: Keeps production healthy.
` + questionsYAML + "---\n", true},
		{"keys in any order", `---
` + questionsYAML + `weight: -2
summary: Keeps production healthy.
draft: false
department: Engineering
related: [backend-developer]
title: Site Reliability Engineer
---
`, true},
		{"quoted values", `---
title: "Site Reliability Engineer"
department: 'Product & Design'
slug: "sre"
summary: "Keeps: production healthy."
` + questionsYAML + "---\n", true},
		{"escapes in double quotes", `---
title: "Site \"Reliability\" Engineer\t"
department: "Eng\u00e9neering"
summary: S
` + questionsYAML + "---\n", true},
		{"comments", `---
# The role.
title: Site Reliability Engineer # the full name
  # an indented comment
department: Engineering
#draft: true
# weight: 5
summary: Keeps production healthy.
` + questionsYAML + "---\n", true},
		{"folded title", `---
title: >-
  Site Reliability
  Engineer
department: Engineering
summary: S
` + questionsYAML + "---\n", true},
		{"literal title", `---
title: |
  Site Reliability Engineer
department: Engineering
summary: S
` + questionsYAML + "---\n", true},
		{"plain multi-line title", `---
title: Site
  Reliability
    Engineer
department: Engineering
summary: S
` + questionsYAML + "---\n", true},
		{"quoted multi-line title", `---
title: "Site
  Reliability Engineer"
department: Engineering
summary: S
` + questionsYAML + "---\n", false}, // a quote open past its line: the full parse reads it
		{"title with blank lines", `---
title: >-
  Site

  Reliability
department: Engineering
summary: S
` + questionsYAML + "---\n", true},
		{"block summary with column-one look-alikes", `---
title: Site Reliability Engineer
department: Engineering
summary: |
  draft: true
  weight: 99
` + questionsYAML + "---\n", true},
		{"flow lists", `---
title: Site Reliability Engineer
department: Engineering
related: [backend-developer, data-engineer]
summary: S
questions: [{q: What is an SLO?, category: technical, look-for: Ties it to users.}]
---
`, true},
		{"block lists indented", `---
title: Site Reliability Engineer
department: Engineering
related:
  - backend-developer
summary: S
` + questionsYAML + "---\n", true},
		{"block list not indented", `---
title: Site Reliability Engineer
department: Engineering
related:
- backend-developer
summary: S
` + questionsYAML + "---\n", false},
		{"anchor within a header field", `---
title: &t Engineering
department: *t
summary: S
` + questionsYAML + "---\n", false}, // anchors and aliases: the full parse reads them
		{"alias to an anchor elsewhere", `---
summary: &s Engineering
title: Site Reliability Engineer
department: *s
` + questionsYAML + "---\n", false},
		{"tags", `---
title: !!str 2024
department: Engineering
weight: !!int 3
summary: S
` + questionsYAML + "---\n", false}, // tags: the full parse reads them
		{"weight and draft absent", `---
title: Site Reliability Engineer
department: Engineering
summary: S
` + questionsYAML + "---\n", true},
		{"null header fields", `---
title: Site Reliability Engineer
department: Engineering
slug:
draft: ~
weight: null
summary: S
` + questionsYAML + "---\n", true},
		{"trailing spaces", "---  \ntitle: Site Reliability Engineer  \ndepartment: Engineering\t\nsummary: S\n" + questionsYAML + "---\t \n", true},
		{"space before colon", "---\ntitle : Site Reliability Engineer\ndepartment:   Engineering\nsummary: S\n" + questionsYAML + "---\n", true},
		{"blank lines before opening", "\n\n---\ntitle: Site Reliability Engineer\ndepartment: Engineering\nsummary: S\n" + questionsYAML + "---\n", true},
		{"---yaml opener", "---yaml\ntitle: Site Reliability Engineer\ndepartment: Engineering\nsummary: S\n" + questionsYAML + "---\n", true},
		{"CRLF", strings.ReplaceAll("---\ntitle: Site Reliability Engineer\ndepartment: Engineering\nweight: 4\nsummary: S\n"+questionsYAML+"---\nBody\n", "\n", "\r\n"), true},
		{"BOM", "\ufeff---\ntitle: Site Reliability Engineer\ndepartment: Engineering\nsummary: S\n" + questionsYAML + "---\n", true},
		{"TOML", "+++\ntitle = \"Site Reliability Engineer\"\ndepartment = \"Engineering\"\nsummary = \"S\"\n[[questions]]\nq = \"Q\"\ncategory = \"technical\"\nlook-for = \"L\"\n+++\n", false},
		{"---toml opener", "---toml\ntitle = \"Site Reliability Engineer\"\ndepartment = \"Engineering\"\nsummary = \"S\"\n[[questions]]\nq = \"Q\"\ncategory = \"technical\"\nlook-for = \"L\"\n---\n", false},
		{"flow mapping", "---\n{title: Site Reliability Engineer, department: Engineering, summary: S,\n questions: [{q: Q, category: technical, look-for: L}]}\n---\n", false},
		{"explicit key", "---\n? title\n: Site Reliability Engineer\ndepartment: Engineering\nsummary: S\n" + questionsYAML + "---\n", false},
		{"body looks like fields", "---\ntitle: Site Reliability Engineer\ndepartment: Engineering\nsummary: S\n" + questionsYAML + "---\ndraft: true\nweight: 3\n---\n", true},
		{"unicode", "---\ntitle: Ingénieur·e fiabilité\ndepartment: Ingénierie\nsummary: S\n" + questionsYAML + "---\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok := checkScanHeaderAgrees(t, headerFile, []byte(tt.src))
			if ok != tt.wantOK {
				t.Errorf("ScanHeader ok = %v; want %v", ok, tt.wantOK)
			}
		})
	}
}

func TestScanHeaderReadsRealRoles(t *testing.T) {
	for _, file := range realRoles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := "content/roles/" + filepath.Base(file)
		if !checkScanHeaderAgrees(t, name, data) {
			t.Errorf("ScanHeader(%s) ok = false; want true", name)
		}
		crlf := bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
		if !checkScanHeaderAgrees(t, name, crlf) {
			t.Errorf("ScanHeader(%s with CRLF) ok = false; want true", name)
		}
	}
}

func TestScanHeaderDeclinesWhatItCannotRead(t *testing.T) {
	tests := []struct{ name, src string }{
		{"empty", ""},
		{"no front-matter", "# Title\n"},
		{"invalid UTF-8", "---\ntitle: Caf\xe9\ndepartment: E\n---\n"},
		{"missing title", "---\ndepartment: Engineering\n---\n"},
		{"blank title", "---\ntitle: '  '\ndepartment: Engineering\n---\n"},
		{"missing department", "---\ntitle: T\n---\n"},
		{"title is a list", "---\ntitle: [a]\ndepartment: Engineering\n---\n"},
		{"weight is text", "---\ntitle: T\ndepartment: E\nweight: heavy\n---\n"},
		{"draft is text", "---\ntitle: T\ndepartment: E\ndraft: yes\n---\n"},
		{"invalid slug", "---\ntitle: T\ndepartment: E\nslug: Not Valid\n---\n"},
		{"duplicate title", "---\ntitle: T\ndepartment: E\ntitle: U\n---\n"},
		{"syntax error in header field", "---\ntitle: [T\ndepartment: E\n---\n"},
		{"top-level list", "---\n- title: T\n---\n"},
		{"flow mapping", "---\n{title: T, department: E}\n---\n"},
		{"TOML", "+++\ntitle = \"T\"\ndepartment = \"E\"\n+++\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, ok := ScanHeader(headerFile, []byte(tt.src)); ok {
				t.Errorf("ScanHeader(%q) = %+v, true; want false", tt.src, h)
			}
		})
	}
}

func TestScanHeaderDefaultsSlugToFileName(t *testing.T) {
	src := "---\ntitle: T\ndepartment: E\n---\n"
	tests := []struct {
		file   string
		want   string
		wantOK bool
	}{
		{"content/roles/sre.md", "sre", true},
		{"content/roles/data-engineer.md", "data-engineer", true},
		{"content/roles/Data Engineer.md", "", false},
	}
	for _, tt := range tests {
		h, ok := ScanHeader(tt.file, []byte(src))
		if ok != tt.wantOK || h.Slug != tt.want {
			t.Errorf("ScanHeader(%q) = slug %q, %v; want %q, %v", tt.file, h.Slug, ok, tt.want, tt.wantOK)
		}
	}
}

// headerBugs are role files on which ScanHeader returns a header that
// differs from the one ParseRole reads, without an error from either. Each
// is the shortcut's premise (a field starts at every column-one line and
// runs until the next one; the front-matter ends at a "---" line) failing in
// a way ScanHeader does not notice.
var headerBugs = []struct {
	name, src, why string
}{
	{
		"quoted key",
		"---\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "'draft': true\n\"weight\": 5\n---\n",
		`a header key written in quotes ('draft': true) is not recognised, so ScanHeader returns Draft false and Weight 0 where ParseRole reads Draft true and Weight 5`,
	},
	{
		"indented delimiter inside a field",
		"---\ntitle: T\ndepartment: E\nsummary: |\n  a\n  ---\n  b\ndraft: true\n" + questionsYAML + "---\nBody\n",
		`only a delimiter in column one closes the front-matter; an indented "---" (a rule in a block scalar) is text, for both`,
	},
	{
		"document end marker",
		"---\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "...\ndraft: true\n---\n",
		`YAML ends the document at a "..." line and ParseRole ignores what follows, ScanHeader reads on: ScanHeader gives Draft true, ParseRole Draft false`,
	},
	{
		"double-quoted value continued in column one",
		"---\ntitle: T\ndepartment: E\nsummary: \"S\nweight: 5\n\"\n" + questionsYAML + "---\n",
		`a quoted scalar may continue on a line in column one; ScanHeader takes that line ("weight: 5") for a field: ScanHeader gives Weight 5, ParseRole Weight 0 (the summary is "S weight: 5 ")`,
	},
	{
		"single-quoted value continued in column one",
		"---\ntitle: T\ndepartment: E\nsummary: 'S\ndraft: true\n'\n" + questionsYAML + "---\n",
		`as above with single quotes: ScanHeader gives Draft true, ParseRole Draft false`,
	},
	{
		"anchor on a key",
		"---\ntitle: T\ndepartment: E\nsummary: S\n&k draft: true\n" + questionsYAML + "---\n",
		`a header key with an anchor (&k draft: true) is not recognised: ScanHeader gives Draft false, ParseRole Draft true`,
	},
	{
		"tag on a key",
		"---\ntitle: T\ndepartment: E\nsummary: S\n!!str weight: 5\n" + questionsYAML + "---\n",
		`a header key with a tag (!!str weight: 5) is not recognised: ScanHeader gives Weight 0, ParseRole Weight 5`,
	},
	{
		"alias as a key",
		"---\ntitle: T\ndepartment: &k draft\nsummary: S\n*k : true\n" + questionsYAML + "---\n",
		`an alias whose value is a header key (*k : true, with &k draft) is not recognised: ScanHeader gives Draft false, ParseRole Draft true`,
	},
	{
		"anchor redefined outside the header",
		"---\ntitle: &a T\nsummary: &a S\ndepartment: *a\n" + questionsYAML + "---\n",
		`an alias refers to the latest anchor of its name, and ScanHeader drops the non-header field that redefines it: for "title: &a T", "summary: &a S", "department: *a" ScanHeader gives Department "T", ParseRole "S"`,
	},
	{
		"carriage return line break",
		"---\ntitle: T\ndepartment: E\nsummary: S\rdraft: true\n" + questionsYAML + "---\n",
		`YAML breaks lines at a lone "\r", ScanHeader only at "\n", so "draft: true" after "summary: S\r" is a field for ParseRole (Draft true) and part of the summary line for ScanHeader (Draft false)`,
	},
	{
		"next line (U+0085) line break",
		"---\ntitle: T\ndepartment: E\nsummary: S\u0085weight: 5\n" + questionsYAML + "---\n",
		`as above with U+0085 NEXT LINE, which the YAML parser also breaks lines at: ParseRole gives Weight 5, ScanHeader Weight 0`,
	},
	{
		"line separator (U+2028) line break",
		"---\ntitle: T\ndepartment: E\nsummary: S\u2028draft: true\n" + questionsYAML + "---\n",
		`as above with U+2028 LINE SEPARATOR: ParseRole gives Draft true, ScanHeader Draft false`,
	},
}

func TestScanHeaderAgreesWithParseRoleOnOddYAML(t *testing.T) {
	for _, tt := range headerBugs {
		t.Run(tt.name, func(t *testing.T) {
			checkScanHeaderAgrees(t, headerFile, []byte(tt.src))
		})
	}
}

// knownHeaderBug returns why ScanHeader and ParseRole may disagree on data,
// naming one of the bugs in headerBugs, or "" when no known bug applies.
func knownHeaderBug(data []byte) string {
	s := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n", "\n")
	if strings.ContainsAny(s, "\r\u0085\u2028\u2029") {
		return "YAML breaks lines where ScanHeader does not (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
	}
	// Cut the front-matter the way adrg/frontmatter does.
	lines := strings.Split(s, "\n")
	start := 0
	for start < len(lines) && strings.TrimSpace(lines[start]) == "" {
		start++
	}
	start++
	end := start
	for end < len(lines) && strings.TrimSpace(lines[end]) != "---" {
		end++
	}
	if end < len(lines) && strings.TrimRight(lines[end], " \t") != "---" {
		return "indented or odd-space closing delimiter (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
	}
	if end > len(lines) {
		end = len(lines)
	}
	fm := lines[min(start, end):end]
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(fm, "\n")), &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return ""
	}
	keyLines := map[int]bool{}
	root := doc.Content[0]
	for i := 0; i < len(root.Content); i += 2 {
		k := root.Content[i]
		keyLines[k.Line] = true
		if k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			return "quoted key (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
		}
		if k.Anchor != "" || k.Style&yaml.TaggedStyle != 0 || k.Kind == yaml.AliasNode {
			return "key with an anchor, a tag or an alias (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
		}
	}
	if anchorRedefined(root, map[string]bool{}) {
		return "anchor defined twice (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
	}
	for i, line := range fm {
		if line != "" && line[0] != ' ' && line[0] != '\t' && line[0] != '#' && !keyLines[i+1] {
			return "a line in column one that YAML does not read as a field: a continued quoted value or text after a document end marker (see TestScanHeaderAgreesWithParseRoleOnOddYAML)"
		}
	}
	return ""
}

// anchorRedefined reports whether an anchor name is defined more than once
// in the tree under n; seen holds the names defined so far.
func anchorRedefined(n *yaml.Node, seen map[string]bool) bool {
	if n.Anchor != "" {
		if seen[n.Anchor] {
			return true
		}
		seen[n.Anchor] = true
	}
	for _, c := range n.Content {
		if anchorRedefined(c, seen) {
			return true
		}
	}
	return false
}

func TestKnownHeaderBugNamesEveryBug(t *testing.T) {
	for _, tt := range headerBugs {
		if knownHeaderBug([]byte(tt.src)) == "" {
			t.Errorf("knownHeaderBug(%q) = \"\"; want the %s bug", tt.src, tt.name)
		}
	}
	for _, file := range realRoles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if why := knownHeaderBug(data); why != "" {
			t.Errorf("knownHeaderBug(%s) = %q; want \"\"", file, why)
		}
	}
}

// FuzzScanHeaderAgreesWithParse checks ScanHeader's promise: when it returns
// a header for a file that parses without errors, that header is the one the
// full parse gives. Disagreements caused by the bugs in headerBugs are
// skipped so that fuzzing can find new ones.
func FuzzScanHeaderAgreesWithParse(f *testing.F) {
	for _, file := range realRoles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"---\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "---\n",
		"---\ntitle: >-\n  Site\n  Reliability\nslug: sre\ndepartment: 'E'\ndraft: true\nweight: 3\nsummary: S\n" + questionsYAML + "---\nBody\n",
		"---\ntitle: \"T\"\ndepartment: E # c\n# draft: true\nsummary: |\n  weight: 3\n" + questionsYAML + "---\n",
		"---\nsummary: &a E\ntitle: T\ndepartment: *a\n" + questionsYAML + "---\n",
		"---\ntitle: &a E\ndepartment: *a\nsummary: *a\n" + questionsYAML + "---\n",
		"\ufeff---\r\ntitle: T\r\ndepartment: E\r\nsummary: S\r\n" + strings.ReplaceAll(questionsYAML, "\n", "\r\n") + "---\r\n",
		"---\ntitle: T\ndepartment: E\nsummary: S\nrelated: [a,\n  b]\n" + questionsYAML + "---\n",
		"---\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "draft:\n  true\nweight:\n\n  7\n---\n",
		"---yaml\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "---\n",
		"---\ntitle: T\ndepartment: E\nsummary: S\n" + questionsYAML + "draft: true\nweight: 2\n---\n",
		"---\ntitle: T\ndepartment: E\nsummary: 'S'\ndraft: true\n" + questionsYAML + "---\n",
		"+++\ntitle = \"T\"\n+++\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, ok := ScanHeader(headerFile, data)
		if !ok {
			return
		}
		role, diags := ParseRole(headerFile, data, testConfig)
		if role == nil || diags.HasErrors() {
			return
		}
		if want := role.Header(); h != want {
			t.Errorf("ScanHeader = %+v; ParseRole gives %+v", h, want)
		}
	})
}

// roleParts are the fields FuzzScanHeaderOnAssembledRoles builds front-matter
// from: one slot a field, each with variants that are valid YAML alone and
// that probe the ways a field can be written. "" leaves the slot out.
var roleParts = [][]string{
	{"title: T", "title: >-\n  Site\n  Reliability", "title: \"Site\n  Reliability\"", "title: &a T", "'title': T", "title: |\n  T", "title: 'T # x'", "title: T # c", "title:   T  "},
	{"department: E", "department: *a", "department: &a E", "\"department\": E", "department: &k draft", "department:\n  E", "department: !!str 10"},
	{"summary: S", "summary: &a S", "summary: \"S\nweight: 5\n\"", "summary: 'S\ndraft: true\n'", "summary: |\n  draft: true\n  weight: 2", "summary: >-\n  S\n\n  T", "summary: *a", "summary: \"S\n# c\"", "summary: [S"},
	{strings.TrimSuffix(questionsYAML, "\n"), "questions: [{q: Q, category: technical, look-for: L}]", "questions:\n- q: Q\n  category: technical\n  look-for: L"},
	roleExtras,
	roleExtras,
	roleExtras,
}

var roleExtras = []string{
	"", "draft: true", "draft: false", "weight: 3", "weight: -1", "slug: sre", "slug: \"\"", "'draft': true", "&k draft: true", "*k : true",
	"!!str weight: 5", "...\ndraft: true", "  ---\ndraft: true", "# draft: true", "related: [a,\n  b]", "related:\n- a",
	"draft:\n  true", "weight:\n\n  7", "updated: 2026-01-01", "faq: []", "draft: ~", "slug: &a sre",
}

var roleSeparators = []string{"\n", "\n", "\n", "\n", "\r\n", "\r", "\u0085", "\u2028", "\n\n", "\n# c\n", "\n  # c\n"}

// assembleRole builds a role file from choices: a variant for each slot of
// roleParts, then a separator after each, then swaps that reorder the slots.
func assembleRole(choices []byte) []byte {
	at := func(i int) int {
		if i < len(choices) {
			return int(choices[i])
		}
		return 0
	}
	n := len(roleParts)
	parts := make([]string, n)
	for i, variants := range roleParts {
		parts[i] = variants[at(i)%len(variants)]
	}
	for i := n - 1; i > 0; i-- {
		j := at(2*n+i) % (i + 1)
		parts[i], parts[j] = parts[j], parts[i]
	}
	var b strings.Builder
	b.WriteString("---\n")
	for i, p := range parts {
		if p == "" {
			continue
		}
		b.WriteString(p)
		b.WriteString(roleSeparators[at(n+i)%len(roleSeparators)])
	}
	b.WriteString("\n---\nBody\n")
	return []byte(b.String())
}

// FuzzScanHeaderOnAssembledRoles checks the same promise as
// FuzzScanHeaderAgreesWithParse on role files assembled from roleParts, which
// reaches combinations of fields that byte mutations of real files rarely
// do.
func FuzzScanHeaderOnAssembledRoles(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 1, 1, 1, 3, 4})
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 5, 4, 3, 2, 1})
	f.Fuzz(func(t *testing.T, choices []byte) {
		data := assembleRole(choices)
		h, ok := ScanHeader(headerFile, data)
		if !ok {
			return
		}
		role, diags := ParseRole(headerFile, data, testConfig)
		if role == nil || diags.HasErrors() {
			return
		}
		if want := role.Header(); h != want {
			t.Errorf("role file %q: ScanHeader = %+v; ParseRole gives %+v", data, h, want)
		}
	})
}

func TestOtherBreaks(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", false},
		{"title: T\ndepartment: E\n", false},
		{"café \u0084 \u2027 \u202a \u00c2\u00a0 naïve — ok\n", false}, // neighbours of the breaks
		{"a\rb", true},
		{"\r", true},
		{"summary: S\u0085weight: 5", true},
		{"x\u2028", true},
		{"\u2029y", true},
	} {
		if got := otherBreaks([]byte(tc.s)); got != tc.want {
			t.Errorf("otherBreaks(%q) = %v; want %v", tc.s, got, tc.want)
		}
		if want := strings.ContainsAny(tc.s, "\r\u0085\u2028\u2029"); want != tc.want {
			t.Errorf("test case %q is wrong", tc.s)
		}
	}
}
