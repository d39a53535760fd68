package content

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/node"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/roles/*.txtar")

// testConfig has the categories of the example guide.
var testConfig = &config.Config{Categories: []config.Category{
	{Key: "technical", Title: "Technical"},
	{Key: "behavioral", Title: "Behavioral"},
	{Key: "situational", Title: "Situational"},
}}

// messages formats diagnostics the way the build prints them, sorted.
func messages(l diag.List) []string {
	out := []string{}
	for _, d := range append(diag.List(nil), l...).Sort() {
		out = append(out, d.String())
	}
	return out
}

// fullRole sets every front-matter field. Line numbers in wantFullRole refer
// to it.
const fullRole = `---
title: Backend Developer
slug: backend
department: Engineering
summary: Builds **services**.
updated: 2026-01-31
draft: true
weight: 10
related: [site-reliability-engineer, data-engineer]
questions:
  - q: How do indexes work?
    category: technical
    look-for: Knows B-trees.
    red-flags: Guesses.
    follow-ups:
      - When are they ignored?
      - What do they cost?
    tags: [databases, performance]
    id: indexes
  - q: Tell me about a failure.
    category: behavioral
    look-for: Owns it.
faq:
  - q: Is this remote?
    a: Yes.
---
# Body

Text.
`

var wantFullRole = &Role{
	File:           "content/roles/backend-developer.md",
	Slug:           "backend",
	SlugLine:       3,
	DepartmentLine: 4,
	Title:          "Backend Developer",
	Department:     "Engineering",
	Summary:        Text{"Builds **services**.", 5},
	Updated:        time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC),
	Draft:          true,
	Related:        []node.Item{{Value: "site-reliability-engineer", Line: 9}, {Value: "data-engineer", Line: 9}},
	Weight:         10,
	Questions: []Question{
		{
			Text:      Text{"How do indexes work?", 11},
			Category:  "technical",
			LookFor:   Text{"Knows B-trees.", 13},
			RedFlags:  Text{"Guesses.", 14},
			FollowUps: []Text{{"When are they ignored?", 16}, {"What do they cost?", 17}},
			Tags:      []string{"databases", "performance"},
			ID:        "indexes",
			Line:      11,
		},
		{
			Text:     Text{"Tell me about a failure.", 20},
			Category: "behavioral",
			LookFor:  Text{"Owns it.", 22},
			RedFlags: Text{"", 20}, // absent: the line of the question
			Line:     20,
		},
	},
	FAQ:  []FAQ{{Question: Text{"Is this remote?", 24}, Answer: Text{"Yes.", 25}}},
	Body: Text{"# Body\n\nText.\n", 27},
}

func TestParseRoleReadsEveryField(t *testing.T) {
	got, diags := ParseRole("content/roles/backend-developer.md", []byte(fullRole), testConfig)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v; want none", messages(diags))
	}
	if !reflect.DeepEqual(got, wantFullRole) {
		t.Errorf("ParseRole:\ngot  %+v\nwant %+v", got, wantFullRole)
	}
}

func TestParseRoleDefaults(t *testing.T) {
	src := `---
title: "  Site Reliability Engineer  "
department: Engineering
summary: Keeps production healthy.
questions:
  - q: What is an SLO?
    category: technical
    look-for: Ties it to users.
---
`
	got, diags := ParseRole("content/roles/site-reliability-engineer.md", []byte(src), testConfig)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v; want none", messages(diags))
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Slug", got.Slug, "site-reliability-engineer"},
		{"Title", got.Title, "Site Reliability Engineer"},
		{"Draft", got.Draft, false},
		{"Weight", got.Weight, 0},
		{"Updated", got.Updated, time.Time{}},
		{"Related", got.Related, []node.Item(nil)},
		{"FAQ", got.FAQ, []FAQ(nil)},
		{"Body", got.Body, Text{"", 10}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v; want %#v", c.name, c.got, c.want)
		}
	}
}

func TestParseRoleSlugComesFromFileName(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"content/roles/sre.md", "sre"},
		{"content/roles/backend-developer.md", "backend-developer"},
		{"content/roles/team/qa-engineer.markdown", "qa-engineer"},
		{"sre2.md", "sre2"},
	}
	src := strings.Replace(fullRole, "slug: backend\n", "", 1)
	for _, tt := range tests {
		got, diags := ParseRole(tt.file, []byte(src), testConfig)
		if len(diags) > 0 {
			t.Errorf("%s: got diagnostics %v; want none", tt.file, messages(diags))
			continue
		}
		if got.Slug != tt.want {
			t.Errorf("ParseRole(%q).Slug = %q; want %q", tt.file, got.Slug, tt.want)
		}
	}
}

func TestParseRoleSlugFieldWinsOverFileName(t *testing.T) {
	got, diags := ParseRole("content/roles/Not A Slug.md", []byte(fullRole), testConfig)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v; want none", messages(diags))
	}
	if got.Slug != "backend" {
		t.Errorf("Slug = %q; want %q", got.Slug, "backend")
	}
}

// TestParseRoleIgnoresCRLFAndBOM checks that a file saved with CRLF line
// ends, a byte-order mark or both parses to the same role, with the same
// diagnostics on the same lines, as the LF original.
func TestParseRoleIgnoresCRLFAndBOM(t *testing.T) {
	broken := strings.NewReplacer("category: behavioral", "category: ops", "weight: 10", "weight: ten", "faq:", "fax:").Replace(fullRole)
	for name, src := range map[string]string{"valid": fullRole, "with errors": broken} {
		t.Run(name, func(t *testing.T) {
			const file = "content/roles/backend-developer.md"
			want, wantDiags := ParseRole(file, []byte(src), testConfig)
			if name == "with errors" && len(wantDiags) != 3 {
				t.Fatalf("the LF file has diagnostics %v; want 3", messages(wantDiags))
			}
			crlf := strings.ReplaceAll(src, "\n", "\r\n")
			variants := map[string]string{
				"CRLF":       crlf,
				"BOM":        "\ufeff" + src,
				"BOM+CRLF":   "\ufeff" + crlf,
				"CRLF, last": strings.TrimSuffix(crlf, "\r\n"),
			}
			for vname, v := range variants {
				got, gotDiags := ParseRole(file, []byte(v), testConfig)
				if vname == "CRLF, last" {
					got.Body.Source += "\n"
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got\n\t%+v\nwant\n\t%+v", vname, got, want)
				}
				if g, w := messages(gotDiags), messages(wantDiags); !reflect.DeepEqual(g, w) {
					t.Errorf("%s: got diagnostics %q; want %q", vname, g, w)
				}
			}
		})
	}
}

func TestParseRoleReadsTOML(t *testing.T) {
	toml := `+++
title = "Backend Developer"
slug = "backend"
department = "Engineering"
summary = "Builds **services**."
updated = 2026-01-31
draft = true
weight = 10
related = ["site-reliability-engineer", "data-engineer"]

[[questions]]
q = "How do indexes work?"
category = "technical"
look-for = "Knows B-trees."
red-flags = "Guesses."
follow-ups = ["When are they ignored?", "What do they cost?"]
tags = ["databases", "performance"]
id = "indexes"

[[questions]]
q = "Tell me about a failure."
category = "behavioral"
look-for = "Owns it."

[[faq]]
q = "Is this remote?"
a = "Yes."
+++
# Body

Text.
`
	// Every field carries its line, as in YAML; a field left out, that of
	// its table.
	want := *wantFullRole
	want.Summary.Line = 5
	want.SlugLine, want.DepartmentLine = 3, 4
	want.Related = []node.Item{{Value: "site-reliability-engineer", Line: 9}, {Value: "data-engineer", Line: 9}}
	want.Questions = []Question{
		{
			Text: Text{"How do indexes work?", 12}, Category: "technical",
			LookFor: Text{"Knows B-trees.", 14}, RedFlags: Text{"Guesses.", 15},
			FollowUps: []Text{{"When are they ignored?", 16}, {"What do they cost?", 16}},
			Tags:      []string{"databases", "performance"}, ID: "indexes", Line: 12,
		},
		{Text: Text{"Tell me about a failure.", 21}, Category: "behavioral", LookFor: Text{"Owns it.", 23}, RedFlags: Text{"", 20}, Line: 21},
	}
	want.FAQ = []FAQ{{Question: Text{"Is this remote?", 26}, Answer: Text{"Yes.", 27}}}
	want.Body = Text{"# Body\n\nText.\n", 29}

	for name, src := range map[string]string{
		"+++":     toml,
		"---toml": strings.Replace(strings.Replace(toml, "+++\n", "---toml\n", 1), "+++\n", "---\n", 1),
	} {
		got, diags := ParseRole("content/roles/backend-developer.md", []byte(src), testConfig)
		if len(diags) > 0 {
			t.Errorf("%s: got diagnostics %v; want none", name, messages(diags))
			continue
		}
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", name, got, &want)
		}
	}
}

func TestParseRoleCountsBodyLines(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		body   string
		want   Text
	}{
		{"after front-matter", "", "Body.\n", Text{"Body.\n", 10}},
		{"blank lines before front-matter", "\n\n", "Body.\n", Text{"Body.\n", 12}},
		{"blank first body line", "", "\nBody.\n", Text{"\nBody.\n", 10}},
		{"no body", "", "", Text{"", 10}},
		{"---yaml opener", "", "Body.\n", Text{"Body.\n", 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open := "---"
			if tt.name == "---yaml opener" {
				open = "---yaml"
			}
			src := tt.prefix + open + `
title: Site Reliability Engineer
department: Engineering
summary: Keeps production healthy.
questions:
  - q: What is an SLO?
    category: technical
    look-for: Ties it to users.
---
` + tt.body
			got, diags := ParseRole("content/roles/sre.md", []byte(src), testConfig)
			if len(diags) > 0 {
				t.Fatalf("got diagnostics %v; want none", messages(diags))
			}
			if got.Body != tt.want {
				t.Errorf("Body = %+v; want %+v", got.Body, tt.want)
			}
		})
	}
}

func TestParseRoleBlockScalarTextStartsOnItsFirstLine(t *testing.T) {
	src := `---
title: Site Reliability Engineer
department: Engineering
summary: |
  one

  [two](missing.md)
questions:
  - q: What is an SLO?
    category: technical
    look-for: >-
      Ties it
      to users.
---
`
	got, diags := ParseRole("content/roles/sre.md", []byte(src), testConfig)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v; want none", messages(diags))
	}
	if got.Summary.Line != 5 {
		t.Errorf("Summary.Line = %d; want 5", got.Summary.Line)
	}
	if got.Questions[0].LookFor.Line != 12 {
		t.Errorf("LookFor.Line = %d; want 12", got.Questions[0].LookFor.Line)
	}
}

func TestParseRoleKeepsIndentedRuleInsideFrontMatter(t *testing.T) {
	src := `---
title: Site Reliability Engineer
department: Engineering
summary: Keeps production healthy.
questions:
  - q: What is an SLO?
    category: technical
    look-for: |
      Part one.
      ---
      Part two.
---
Body.
`
	got, diags := ParseRole("content/roles/sre.md", []byte(src), testConfig)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v; want none", messages(diags))
	}
	if want := (Text{"Part one.\n---\nPart two.\n", 9}); got.Questions[0].LookFor != want {
		t.Errorf("LookFor = %+v; want %+v", got.Questions[0].LookFor, want)
	}
	if want := (Text{"Body.\n", 13}); got.Body != want {
		t.Errorf("Body = %+v; want %+v", got.Body, want)
	}
}

func TestParseRoleReportsInvalidUTF8AtItsLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"in front-matter", "---\ntitle: Caf\xe9\n---\n", "content/roles/sre.md:2: invalid UTF-8 (byte 0xe9 at offset 14); save the file as UTF-8"},
		{"in body", "---\ntitle: x\n---\n\nbody \xff\n", "content/roles/sre.md:5: invalid UTF-8 (byte 0xff at offset 23); save the file as UTF-8"},
		{"CRLF", "---\r\ntitle: x\r\n\xc3\r\n", "content/roles/sre.md:3: invalid UTF-8 (byte 0xc3 at offset 15); save the file as UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := ParseRole("content/roles/sre.md", []byte(tt.src), testConfig)
			if got != nil {
				t.Errorf("ParseRole returned a role; want nil")
			}
			if g := messages(diags); len(g) != 1 || g[0] != tt.want {
				t.Errorf("got diagnostics %q; want %q", g, tt.want)
			}
		})
	}
}

// TestParseRoleErrors runs the cases in testdata/roles: each archive holds
// one role file and, under "want", the diagnostics it must give, sorted.
// go test -update rewrites the want sections.
func TestParseRoleErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/roles/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test cases in testdata/roles")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var role *txtar.File
			want := -1
			for i := range a.Files {
				switch a.Files[i].Name {
				case "want":
					want = i
				default:
					role = &a.Files[i]
				}
			}
			if role == nil || want < 0 {
				t.Fatalf("%s needs a role file and a want section", file)
			}
			_, diags := ParseRole(role.Name, role.Data, testConfig)
			got := strings.Join(messages(diags), "\n") + "\n"
			if *update {
				a.Files[want].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if w := string(a.Files[want].Data); got != w {
				t.Errorf("got diagnostics\n%swant\n%s", got, w)
			}
		})
	}
}

func TestParseRoleReturnsRoleDespiteErrors(t *testing.T) {
	src := strings.Replace(fullRole, "category: behavioral", "category: ops", 1)
	got, diags := ParseRole("content/roles/backend-developer.md", []byte(src), testConfig)
	if !diags.HasErrors() {
		t.Fatalf("got no errors; want the unknown category")
	}
	if got == nil || got.Title != "Backend Developer" || len(got.Questions) != 2 {
		t.Errorf("ParseRole = %+v; want the role with its title and both questions", got)
	}
}

func TestParseRoleReturnsNilWhenFrontMatterIsUnreadable(t *testing.T) {
	for _, src := range []string{
		"",
		"no front-matter\n",
		"---\ntitle: x\n",
		"---\n---\n",
		"---\n: [\n---\n",
		"+++\ntitle =\n+++\n",
		"---\n- a\n---\n",
		"---\n# only a comment\n---\n",
	} {
		got, diags := ParseRole("content/roles/sre.md", []byte(src), testConfig)
		if got != nil {
			t.Errorf("ParseRole(%q) = %+v; want nil", src, got)
		}
		if !diags.HasErrors() {
			t.Errorf("ParseRole(%q): no errors; want one", src)
		}
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"sre", true},
		{"backend-developer", true},
		{"web3", true},
		{"3d-artist", true},
		{"a", true},
		{"", false},
		{"-sre", false},
		{"sre-", false},
		{"back--end", false},
		{"Backend", false},
		{"back_end", false},
		{"back end", false},
		{"café", false},
		{"sre\n", false},
	}
	for _, tt := range tests {
		if got := ValidSlug(tt.s); got != tt.want {
			t.Errorf("ValidSlug(%q) = %v; want %v", tt.s, got, tt.want)
		}
	}
}

func TestParseRoleReadsRealRoles(t *testing.T) {
	for _, file := range realRoles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := "content/roles/" + filepath.Base(file)
		got, diags := ParseRole(name, data, testConfig)
		if diags.HasErrors() {
			t.Errorf("%s: got errors %v; want none", name, messages(diags))
			continue
		}
		if got.Body.Line < 1 || !bytes.Contains(data, []byte(got.Body.Source)) {
			t.Errorf("%s: body %+v is not from the file", name, got.Body)
		}
	}
}

// realRoles returns the role files of the example guide.
func realRoles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../../content/roles/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no role files in ../../content/roles")
	}
	return files
}

// FuzzParseRole checks that no input makes ParseRole panic and that every
// diagnostic names the file and a line that is 0 (unknown) or more.
func FuzzParseRole(f *testing.F) {
	for _, file := range realRoles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(fullRole))
	f.Add([]byte(strings.ReplaceAll(fullRole, "\n", "\r\n")))
	f.Add([]byte("\ufeff" + fullRole))
	f.Add([]byte("+++\ntitle = \"x\"\n[[questions]]\nq = \"y\"\n+++\n"))
	f.Add([]byte("---toml\ntitle = 1\n---\n"))
	f.Add([]byte("---\na: &a [*a]\nb: *a\n---\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "content/roles/sre.md"
		role, diags := ParseRole(file, data, testConfig)
		for _, d := range diags {
			if d.File != file {
				t.Errorf("diagnostic %q has file %q; want %q", d.Message, d.File, file)
			}
			if d.Line < 0 {
				t.Errorf("diagnostic %q has line %d; want >= 0", d.Message, d.Line)
			}
		}
		if role == nil {
			if !diags.HasErrors() {
				t.Errorf("ParseRole returned no role and no error")
			}
			return
		}
		if role.File != file {
			t.Errorf("role.File = %q; want %q", role.File, file)
		}
		if role.Body.Line < 1 {
			t.Errorf("role.Body.Line = %d; want >= 1", role.Body.Line)
		}
		if role.Slug != "" && !ValidSlug(role.Slug) {
			t.Errorf("role.Slug = %q; want a valid slug or none", role.Slug)
		}
	})
}
