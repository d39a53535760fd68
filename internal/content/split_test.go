package content

import (
	"testing"

	"github.com/guide-build/guide/internal/diag"
)

func TestFindOpeningSkipsBlankLines(t *testing.T) {
	tests := []struct {
		src      string
		wantLine int
		wantOpen string // "" for none
	}{
		{"---\n", 1, "---"},
		{"---", 1, "---"},
		{"\n\n---\n", 3, "---"},
		{"  \n\t\n  ---  \n", 3, "---"},
		{"---yaml\n", 1, "---yaml"},
		{"+++\n", 1, "+++"},
		{"---toml\n", 1, "---toml"},
		{"\n# Title\n---\n", 2, ""},
		{"----\n", 1, ""},
		{"--- x\n", 1, ""},
		{"", 0, ""},
		{"\n\n", 2, ""},
	}
	for _, tt := range tests {
		line, f := findOpening([]byte(tt.src))
		open := ""
		if f != nil {
			open = f.open
		}
		if line != tt.wantLine || open != tt.wantOpen {
			t.Errorf("findOpening(%q) = %d, %q; want %d, %q", tt.src, line, open, tt.wantLine, tt.wantOpen)
		}
	}
}

func TestNormalizeStripsBOMAndCRLF(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb\n", "a\nb\n"},
		{"a\r\nb\r\n", "a\nb\n"},
		{"\ufeffa\r\nb", "a\nb"},
		{"\ufeff", ""},
		{"a\rb\r\n", "a\rb\n"}, // a lone CR is left alone
		{"a\ufeffb", "a\ufeffb"},
	}
	for _, tt := range tests {
		var diags diag.List
		got, ok := normalize("f.md", []byte(tt.in), &diags)
		if !ok || string(got) != tt.want || len(diags) > 0 {
			t.Errorf("normalize(%q) = %q, %v, %v; want %q, true, no diagnostics", tt.in, got, ok, messages(diags), tt.want)
		}
	}
}

func TestRoleHeaderCopiesFields(t *testing.T) {
	r := &Role{File: "f", Slug: "s", Title: "t", Department: "d", Draft: true, Weight: 3, Summary: Text{"x", 1}}
	want := Header{File: "f", Slug: "s", Title: "t", Department: "d", Draft: true, Weight: 3}
	if got := r.Header(); got != want {
		t.Errorf("Header() = %+v; want %+v", got, want)
	}
}
