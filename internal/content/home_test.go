package content

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseHomeReadsFields(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want *Home
	}{
		{
			"all fields",
			"---\ntitle: Interview Guide\ndescription: Questions for every role.\n---\nWelcome.\n",
			&Home{Title: "Interview Guide", Description: "Questions for every role.", Body: Text{"Welcome.\n", 5}},
		},
		{
			"optional fields left out",
			"---\ntitle: Interview Guide\n---\n",
			&Home{Title: "Interview Guide", Body: Text{"", 4}},
		},
		{
			"blank lines first",
			"\n\n---\ndescription: d\n---\n\nBody\n",
			&Home{Description: "d", Body: Text{"\nBody\n", 6}},
		},
		{
			"CRLF and BOM",
			"\ufeff---\r\ntitle: t\r\n---\r\nBody\r\n",
			&Home{Title: "t", Body: Text{"Body\n", 4}},
		},
		{
			"TOML",
			"+++\ntitle = \"t\"\ndescription = \"d\"\n+++\nBody\n",
			&Home{Title: "t", Description: "d", Body: Text{"Body\n", 5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := ParseHome([]byte(tt.src))
			if len(diags) > 0 {
				t.Fatalf("got diagnostics %v; want none", messages(diags))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseHome = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestParseHomeReportsProblems(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantNil bool
		want    []string
	}{
		{"unknown field", "---\ntitle: t\nsummary: s\n---\n", false,
			[]string{`content/_index.md:3: unknown field "summary" (known: description, title)`}},
		{"misspelt field", "---\ntitle: t\ndescripton: s\n---\n", false,
			[]string{`content/_index.md:3: unknown field "descripton" (did you mean "description"?)`}},
		{"wrong type", "---\ntitle: [a]\n---\n", false,
			[]string{"content/_index.md:2: title: want text, got a list"}},
		{"no front-matter", "# Welcome\n", true,
			[]string{"content/_index.md:1: missing front-matter: start the file with a --- line, then the fields, then another --- line"}},
		{"unclosed", "---\ntitle: t\n", true,
			[]string{"content/_index.md:1: front-matter opened with --- is never closed: add a --- line after the last field"}},
		{"syntax error", "---\ntitle: [\n---\n", true,
			[]string{"content/_index.md:3: invalid YAML: did not find expected node content while parsing a flow node"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := ParseHome([]byte(tt.src))
			if (got == nil) != tt.wantNil {
				t.Errorf("ParseHome = %+v; want nil: %v", got, tt.wantNil)
			}
			if g := messages(diags); strings.Join(g, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got diagnostics %q; want %q", g, tt.want)
			}
		})
	}
}
