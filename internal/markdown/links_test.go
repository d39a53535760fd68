package markdown

import (
	"slices"
	"testing"

	"github.com/guide-build/guide/internal/diag"
)

// pages knows the content files of a small guide.
func pages(file string) (string, bool) {
	p, ok := map[string]string{
		"content/roles/sre.md":               "roles/sre/",
		"content/roles/backend-developer.md": "roles/backend-developer/",
		"content/_index.md":                  "",
	}[file]
	return p, ok
}

// env returns the environment of a role page two levels below the root.
func env(diags *diag.List) *Env {
	return &Env{File: "content/roles/data-engineer.md", Root: "../../", Pages: pages, Diags: diags}
}

func messages(l diag.List) []string {
	out := []string{}
	for _, d := range l {
		out = append(out, d.String())
	}
	return out
}

func TestBlockDropsUnsafeLinksButKeepsText(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"javascript", "[click](javascript:alert(1))", "<p>click</p>"},
		{"mixed case", "[click](JaVaScRiPt:alert(1))", "<p>click</p>"},
		{"leading space in angle brackets", "[click](< javascript:alert(1)>)", "<p>click</p>"},
		{"tab inside scheme", "[click](<java\tscript:alert(1)>)", "<p>click</p>"},
		{"control character first", "[click](\x01javascript:alert(1))", "<p>click</p>"},
		{"vbscript", "[click](vbscript:msgbox(1))", "<p>click</p>"},
		{"VBScript", "[click](VBScript:msgbox(1))", "<p>click</p>"},
		{"data text", "[click](data:text/html;base64,PHNjcmlwdD4=)", "<p>click</p>"},
		{"data image as a link", "[click](data:image/png;base64,AAAA)", "<p>click</p>"},
		{"file", "[click](file:///etc/passwd)", "<p>click</p>"},
		{"unknown scheme", "[click](chrome://settings)", "<p>click</p>"},
		{"formatted text stays", "[**bold** and `code`](javascript:x)", "<p><strong>bold</strong> and <code>code</code></p>"},
		{"surrounding text stays", "before [click](javascript:x) after", "<p>before click after</p>"},
		{"reference link", "[click][r]\n\n[r]: javascript:alert(1)", "<p>click</p>"},
		{"autolink", "<javascript:alert(1)>", "<p>javascript:alert(1)</p>"},
		{"autolink vbscript", "see <VBSCRIPT:x>", "<p>see VBSCRIPT:x</p>"},
		{"image javascript keeps alt", "![a cat](javascript:alert(1))", "<p>a cat</p>"},
		{"image svg data", "![a cat](data:image/svg+xml;base64,PHN2Zz4=)", "<p>a cat</p>"},
		{"image mailto", "![a cat](mailto:a@example.org)", "<p>a cat</p>"},
		{"image data html", "![a cat](data:text/html,x)", "<p>a cat</p>"},
		{"link inside list", "- [click](javascript:x)", "<ul>\n<li>click</li>\n</ul>"},
		{"link text like a task box", "[x](javascript:x)", "<p>x</p>"},
	}
	for _, tt := range tests {
		for _, unsafe := range []bool{false, true} {
			var diags diag.List
			got, _ := New(unsafe).Block(tt.src, 1, env(&diags))
			if got != tt.want {
				t.Errorf("%s, unsafe %v: Block(%q) = %q; want %q", tt.name, unsafe, tt.src, got, tt.want)
			}
			if len(diags) > 0 {
				t.Errorf("%s: got diagnostics %v; want none", tt.name, messages(diags))
			}
		}
	}
}

func TestBlockKeepsSafeLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"https", "[x](https://example.org/a?b=c#d)", `<p><a href="https://example.org/a?b=c#d">x</a></p>`},
		{"http upper case", "[x](HTTP://example.org/)", `<p><a href="HTTP://example.org/">x</a></p>`},
		{"mailto", "[x](mailto:a@example.org)", `<p><a href="mailto:a@example.org">x</a></p>`},
		{"tel", "[x](tel:+15551234)", `<p><a href="tel:+15551234">x</a></p>`},
		{"relative", "[x](other/page/)", `<p><a href="other/page/">x</a></p>`},
		{"relative with colon later", "[x](a/b:c)", `<p><a href="a/b:c">x</a></p>`},
		{"fragment", "[x](#top)", `<p><a href="#top">x</a></p>`},
		{"protocol-relative", "[x](//example.org/)", `<p><a href="//example.org/">x</a></p>`},
		{"autolink", "<https://example.org/>", `<p><a href="https://example.org/">https://example.org/</a></p>`},
		{"bare URL", "see https://example.org/ now", `<p>see <a href="https://example.org/">https://example.org/</a> now</p>`},
		{"image png data", "![dot](data:image/png;base64,AAAA)", `<p><img src="data:image/png;base64,AAAA" alt="dot"></p>`},
		{"image gif data upper case", "![dot](DATA:IMAGE/GIF;base64,AAAA)", `<p><img src="DATA:IMAGE/GIF;base64,AAAA" alt="dot"></p>`},
		{"image jpeg data", "![dot](data:image/jpeg;base64,AAAA)", `<p><img src="data:image/jpeg;base64,AAAA" alt="dot"></p>`},
		{"image webp data", "![dot](data:image/webp;base64,AAAA)", `<p><img src="data:image/webp;base64,AAAA" alt="dot"></p>`},
		{"image https", "![dot](https://example.org/a.png)", `<p><img src="https://example.org/a.png" alt="dot"></p>`},
	}
	for _, tt := range tests {
		var diags diag.List
		got, _ := New(false).Block(tt.src, 1, env(&diags))
		if got != tt.want {
			t.Errorf("%s: Block(%q) = %q; want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

func TestBlockDropsEntityEncodedUnsafeLinks(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[x](javascript&#58;alert(1))", "<p>x</p>"},
		{"[x](&#x6A;avascript:alert(1))", "<p>x</p>"},
		{"[x](javascript&colon;alert(1))", "<p>x</p>"},
		{"[x](data&#58;text/html,hi)", "<p>x</p>"},
		{"![x](javascript&#58;alert(1))", "<p>x</p>"},
		{"[x][r]\n\n[r]: javascript&#58;alert(1)", "<p>x</p>"},
	}
	for _, tt := range tests {
		for _, unsafe := range []bool{false, true} {
			got, _ := New(unsafe).Block(tt.src, 1, env(new(diag.List)))
			if got != tt.want {
				t.Errorf("unsafe %v: Block(%q) = %q; want %q", unsafe, tt.src, got, tt.want)
			}
		}
	}
}

func TestBlockPrefixesRootRelativeLinks(t *testing.T) {
	tests := []struct {
		root string
		src  string
		want string
	}{
		{"../../", "[x](/roles/)", `<p><a href="../../roles/">x</a></p>`},
		{"../../", "[x](/)", `<p><a href="../../">x</a></p>`},
		{"../../", "[x](/search/?q=go#results)", `<p><a href="../../search/?q=go#results">x</a></p>`},
		{"../", "![logo](/assets/logo.png)", `<p><img src="../assets/logo.png" alt="logo"></p>`},
		{"", "[x](/roles/)", `<p><a href="roles/">x</a></p>`},
		{"", "[x](/#top)", `<p><a href="#top">x</a></p>`},
		{"../../", "[x](//cdn.example.org/a)", `<p><a href="//cdn.example.org/a">x</a></p>`},
	}
	for _, tt := range tests {
		e := env(new(diag.List))
		e.Root = tt.root
		got, _ := New(false).Block(tt.src, 1, e)
		if got != tt.want {
			t.Errorf("Root %q: Block(%q) = %q; want %q", tt.root, tt.src, got, tt.want)
		}
	}
}

func TestBlockRootLinkOnTopLevelPageIsNotEmpty(t *testing.T) {
	e := env(new(diag.List))
	e.Root = ""
	if got, want := first(New(false).Block("[x](/)", 1, e)), `<p><a href="./">x</a></p>`; got != want {
		t.Errorf("Block(%q) = %q; want %q", "[x](/)", got, want)
	}
}

func first(a, _ string) string { return a }

func TestBlockResolvesLinksToContentFiles(t *testing.T) {
	tests := []struct {
		root string
		src  string
		want string
	}{
		{"../../", "[x](sre.md)", `<p><a href="../../roles/sre/">x</a></p>`},
		{"../../", "[x](./sre.md)", `<p><a href="../../roles/sre/">x</a></p>`},
		{"../../", "[x](sre.md#slo)", `<p><a href="../../roles/sre/#slo">x</a></p>`},
		{"../../", "[x](../roles/backend-developer.md#q-indexes)", `<p><a href="../../roles/backend-developer/#q-indexes">x</a></p>`},
		{"../../", "[x](../_index.md)", `<p><a href="../../">x</a></p>`},
		{"", "[x](../_index.md)", `<p><a href="./">x</a></p>`},
		{"", "[x](../_index.md#intro)", `<p><a href="./#intro">x</a></p>`},
		{"../../", "![x](sre.md)", `<p><img src="../../roles/sre/" alt="x"></p>`},
		{"../../", "[x][sre]\n\n[sre]: sre.md", `<p><a href="../../roles/sre/">x</a></p>`},
	}
	for _, tt := range tests {
		var diags diag.List
		e := env(&diags)
		e.Root = tt.root
		got, _ := New(false).Block(tt.src, 1, e)
		if got != tt.want {
			t.Errorf("Root %q: Block(%q) = %q; want %q", tt.root, tt.src, got, tt.want)
		}
		if len(diags) > 0 {
			t.Errorf("Block(%q): got diagnostics %v; want none", tt.src, messages(diags))
		}
	}
}

func TestBlockReportsLinksToUnknownFilesAtTheirLine(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"first line", "[x](nope.md)", []string{`content/roles/data-engineer.md:20: link to "nope.md": content/roles/nope.md makes no page`}},
		{"third paragraph", "a\n\nb\n\n[x](nope.md)", []string{`content/roles/data-engineer.md:24: link to "nope.md": content/roles/nope.md makes no page`}},
		{"with fragment", "\n\n[x](nope.md#a)", []string{`content/roles/data-engineer.md:22: link to "nope.md#a": content/roles/nope.md makes no page`}},
		{"other folder", "[x](../x/nope.md)", []string{`content/roles/data-engineer.md:20: link to "../x/nope.md": content/x/nope.md makes no page`}},
		{"list item", "- a\n- b\n- [link](nope.md)", []string{`content/roles/data-engineer.md:22: link to "nope.md": content/roles/nope.md makes no page`}},
		{"table cell", "| a |\n|---|\n| b |\n| [x](nope.md) |", []string{`content/roles/data-engineer.md:23: link to "nope.md": content/roles/nope.md makes no page`}},
		{"heading", "intro\n\n## [x](nope.md)", []string{`content/roles/data-engineer.md:22: link to "nope.md": content/roles/nope.md makes no page`}},
		{"blockquote", "> a\n>\n> [x](nope.md)", []string{`content/roles/data-engineer.md:22: link to "nope.md": content/roles/nope.md makes no page`}},
		{"two links", "[x](a.md)\n\n[y](b.md)", []string{
			`content/roles/data-engineer.md:20: link to "a.md": content/roles/a.md makes no page`,
			`content/roles/data-engineer.md:22: link to "b.md": content/roles/b.md makes no page`,
		}},
		{"link in code is not a link", "`[x](nope.md)`\n\n    [y](nope.md)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.List
			New(false).Block(tt.src, 20, env(&diags))
			if g := messages(diags); !slices.Equal(g, append([]string{}, tt.want...)) {
				t.Errorf("got diagnostics %q; want %q", g, tt.want)
			}
		})
	}
}

func TestBlockReportsLinkOnItsOwnLine(t *testing.T) {
	var diags diag.List
	New(false).Block("one\ntwo [x](nope.md)", 20, env(&diags))
	want := []string{`content/roles/data-engineer.md:21: link to "nope.md": content/roles/nope.md makes no page`}
	if g := messages(diags); !slices.Equal(g, want) {
		t.Errorf("got diagnostics %q; want %q", g, want)
	}
}

func TestBlockWithoutPagesReportsEveryContentLink(t *testing.T) {
	var diags diag.List
	e := &Env{File: "content/_index.md", Diags: &diags}
	got, _ := New(false).Block("[x](roles/sre.md)", 3, e)
	if want := `<p><a href="roles/sre.md">x</a></p>`; got != want {
		t.Errorf("Block = %q; want %q", got, want)
	}
	want := []string{`content/_index.md:3: link to "roles/sre.md": content/roles/sre.md makes no page`}
	if g := messages(diags); !slices.Equal(g, want) {
		t.Errorf("got diagnostics %q; want %q", g, want)
	}
}

func TestBlockWithoutDiagsDoesNotReport(t *testing.T) {
	e := &Env{File: "content/roles/sre.md", Root: "../../"}
	got, _ := New(false).Block("[x](nope.md) and [y](javascript:x)", 1, e)
	if want := `<p><a href="nope.md">x</a> and y</p>`; got != want {
		t.Errorf("Block = %q; want %q", got, want)
	}
}

func TestInlineReportsLinksAtItsLine(t *testing.T) {
	var diags diag.List
	got, _ := New(false).Inline("see [x](nope.md) and [y](/roles/)", 7, env(&diags))
	if want := `see <a href="nope.md">x</a> and <a href="../../roles/">y</a>`; got != want {
		t.Errorf("Inline = %q; want %q", got, want)
	}
	want := []string{`content/roles/data-engineer.md:7: link to "nope.md": content/roles/nope.md makes no page`}
	if g := messages(diags); !slices.Equal(g, want) {
		t.Errorf("got diagnostics %q; want %q", g, want)
	}
}

func TestSafeScheme(t *testing.T) {
	tests := []struct {
		dest        string
		link, image bool
	}{
		{"", true, true},
		{"page", true, true},
		{"a/b:c", true, true},
		{"?q=a:b", true, true},
		{"#a:b", true, true},
		{"http://x", true, true},
		{"HTTPS://x", true, true},
		{"mailto:a@b", true, false},
		{"tel:1", true, false},
		{"javascript:x", false, false},
		{" \tjava\nscript:x", false, false},
		{"\x00javascript:x", false, false},
		{"vbscript:x", false, false},
		{"data:text/html,x", false, false},
		{"data:image/png;base64,x", false, true},
		{"data:image/svg+xml,x", false, false},
		{"ftp://x", false, false},
		{"x:y", false, false},
	}
	for _, tt := range tests {
		if got := safeScheme(tt.dest, false); got != tt.link {
			t.Errorf("safeScheme(%q, link) = %v; want %v", tt.dest, got, tt.link)
		}
		if got := safeScheme(tt.dest, true); got != tt.image {
			t.Errorf("safeScheme(%q, image) = %v; want %v", tt.dest, got, tt.image)
		}
	}
}
