package markdown

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/guide-build/guide/internal/diag"
)

func TestBlockRendersGitHubMarkdown(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>"},
		{"emphasis", "*a* **b** ~~c~~", "<p><em>a</em> <strong>b</strong> <del>c</del></p>"},
		{"list", "1. Design\n2. Build", "<ol>\n<li>Design</li>\n<li>Build</li>\n</ol>"},
		{"task list", "- [ ] todo\n- [x] done", "<ul>\n<li><input disabled=\"\" type=\"checkbox\"> todo</li>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> done</li>\n</ul>"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"},
		{"code", "```go\nx := 1\n```", "<pre><code class=\"language-go\">x := 1\n</code></pre>"},
		{"escaped text", "a < b & c", "<p>a &lt; b &amp; c</p>"},
		{"empty", "", ""},
		{"blank", "  \n\t\n", ""},
	}
	for _, tt := range tests {
		got, _ := New(false).Block(tt.src, 1, env(new(diag.List)))
		if got != tt.want {
			t.Errorf("%s: Block(%q) = %q; want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

func TestBlockOmitsRawHTMLUnlessUnsafe(t *testing.T) {
	tests := []struct {
		src          string
		safe, unsafe string
	}{
		{"a <b>bold</b> c", "<p>a <!-- raw HTML omitted -->bold<!-- raw HTML omitted --> c</p>", "<p>a <b>bold</b> c</p>"},
		{"<script>alert(1)</script>", "<!-- raw HTML omitted -->", "<script>alert(1)</script>"},
		{"<div>\nblock\n</div>", "<!-- raw HTML omitted -->", "<div>\nblock\n</div>"},
		{"x <img src=x onerror=alert(1)>", "<p>x <!-- raw HTML omitted --></p>", "<p>x <img src=x onerror=alert(1)></p>"},
		{"<!-- note -->", "<!-- raw HTML omitted -->", "<!-- note -->"},
	}
	for _, tt := range tests {
		if got, _ := New(false).Block(tt.src, 1, env(new(diag.List))); got != tt.safe {
			t.Errorf("New(false).Block(%q) = %q; want %q", tt.src, got, tt.safe)
		}
		if got, _ := New(true).Block(tt.src, 1, env(new(diag.List))); got != tt.unsafe {
			t.Errorf("New(true).Block(%q) = %q; want %q", tt.src, got, tt.unsafe)
		}
	}
}

func TestInlineStripsParagraph(t *testing.T) {
	tests := []struct{ src, want string }{
		{"Design the *schema*", "Design the <em>schema</em>"},
		{"a `b` c", "a <code>b</code> c"},
		{"~~old~~ new", "<del>old</del> new"},
		{"see www.example.org", `see <a href="http://www.example.org">www.example.org</a>`},
		{"one\ntwo", "one\ntwo"},
		{"  padded  ", "padded"},
		{"", ""},
	}
	for _, tt := range tests {
		got, _ := New(false).Inline(tt.src, 1, env(new(diag.List)))
		if got != tt.want {
			t.Errorf("Inline(%q) = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestInlineKeepsBlockSyntaxAsText(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1. Design the schema", "1. Design the schema"},
		{"# Not a heading", "# Not a heading"},
		{"- not a list", "- not a list"},
		{"* not a list", "* not a list"},
		{"> not a quote", "&gt; not a quote"},
		{"```not code```", "<code>not code</code>"},
		{"| a | b |", "| a | b |"},
		{"---", "---"},
		{"2024. A year", "2024. A year"},
	}
	for _, tt := range tests {
		got, plain := New(false).Inline(tt.src, 1, env(new(diag.List)))
		if got != tt.want {
			t.Errorf("Inline(%q) = %q; want %q", tt.src, got, tt.want)
		}
		if strings.Contains(got, "<p>") || strings.Contains(got, "<ol") || strings.Contains(got, "<h1") {
			t.Errorf("Inline(%q) = %q; want no block elements", tt.src, got)
		}
		if plain == "" {
			t.Errorf("Inline(%q) plain text is empty", tt.src)
		}
	}
}

func TestInlineJoinsParagraphsWithWarning(t *testing.T) {
	var diags diag.List
	got, _ := New(false).Inline("one\n\ntwo\n\nthree", 12, env(&diags))
	if want := "one two three"; got != want {
		t.Errorf("Inline = %q; want %q", got, want)
	}
	want := []string{"content/roles/data-engineer.md:12: warning: this field takes one paragraph of text; its 3 paragraphs were joined"}
	if g := messages(diags); !slices.Equal(g, want) {
		t.Errorf("got diagnostics %q; want %q", g, want)
	}
	if diags.HasErrors() {
		t.Errorf("joining paragraphs is an error; want a warning")
	}
}

func TestInlineJoinedPlainTextIsOneLine(t *testing.T) {
	_, plain := New(false).Inline("a\n\nb", 1, env(new(diag.List)))
	if plain != "a b" {
		t.Errorf("Inline plain = %q; want %q", plain, "a b")
	}
}

func TestInlineKeepsIndentedText(t *testing.T) {
	tests := []struct{ src, want string }{
		{"    indented", "indented"},
		{"a\n\n    b", "a b"},
	}
	for _, tt := range tests {
		if got, _ := New(false).Inline(tt.src, 1, env(new(diag.List))); got != tt.want {
			t.Errorf("Inline(%q) = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestPlainTextHasNoMarkup(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"emphasis", "a *b* **c** ~~d~~", "a b c d"},
		{"code span", "run `go test` now", "run go test now"},
		{"link", "see [the docs](https://example.org/)", "see the docs"},
		{"autolink", "mail <a@example.org> or <https://example.org/>", "mail a@example.org or https://example.org/"},
		{"bare URL", "visit https://example.org/ today", "visit https://example.org/ today"},
		{"image", "![a cat](cat.png) sits", "a cat sits"},
		{"raw HTML", "a <b>bold</b> c", "a bold c"},
		{"unsafe link", "[click](javascript:x) here", "click here"},
		{"soft line break", "one\ntwo", "one two"},
		{"paragraphs", "one\n\n\n\ntwo", "one\ntwo"},
		{"heading and list", "# Title\n\n- a\n- b", "Title\na\nb"},
		{"code block", "```\nx := 1\ny := 2\n```", "x := 1\ny := 2"},
		{"indented code", "    x := 1", "x := 1"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "a\nb\n1\n2"},
		{"code span keeps references", "`a&amp;b`", "a&amp;b"},
		{"spaces", "a   b", "a b"},
	}
	for _, tt := range tests {
		_, got := New(false).Block(tt.src, 1, env(new(diag.List)))
		if got != tt.want {
			t.Errorf("%s: Block(%q) plain = %q; want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

func TestPlainTextResolvesEscapesAndReferences(t *testing.T) {
	tests := []struct{ src, want string }{
		{"AT&amp;T &lt;3", "AT&T <3"},
		{"a &copy; b", "a © b"},
		{`\*not emphasis\*`, "*not emphasis*"},
		{`[a\]b](x)`, "a]b"},
	}
	for _, tt := range tests {
		if _, got := New(false).Block(tt.src, 1, env(new(diag.List))); got != tt.want {
			t.Errorf("Block(%q) plain = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestInlinePlainText(t *testing.T) {
	tests := []struct{ src, want string }{
		{"Design the *schema*", "Design the schema"},
		{"a `b` [c](https://x/) <https://y/>", "a b c https://y/"},
		{"one\ntwo", "one two"},
		{"1. Step", "1. Step"},
	}
	for _, tt := range tests {
		_, got := New(false).Inline(tt.src, 1, env(new(diag.List)))
		if got != tt.want {
			t.Errorf("Inline(%q) plain = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestCollapse(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{"  a  ", "a"},
		{"a  \t b", "a b"},
		{"a\n\n\nb", "a\nb"},
		{"a \n b", "a\nb"},
		{"\n\na\n", "a"},
		{"a\r\nb", "a\nb"},
	}
	for _, tt := range tests {
		if got := collapse(tt.in); got != tt.want {
			t.Errorf("collapse(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadingIDsAreUniqueAndAvoidReserved(t *testing.T) {
	ids := NewIDs()
	ids.Reserve("questions")
	ids.Reserve("faq")
	e := env(new(diag.List))
	e.IDs = ids
	got, _ := New(false).Block("# Questions\n\n## FAQ\n\n## Setup\n\n### Setup\n\n## Setup 2\n\n## Café Résumé\n\n## !!!\n\n## ???", 1, e)
	want := strings.Join([]string{
		`<h1 id="questions-2">Questions</h1>`,
		`<h2 id="faq-2">FAQ</h2>`,
		`<h2 id="setup">Setup</h2>`,
		`<h3 id="setup-2">Setup</h3>`,
		`<h2 id="setup-2-2">Setup 2</h2>`,
		`<h2 id="cafe-resume">Café Résumé</h2>`,
		`<h2 id="section">!!!</h2>`,
		`<h2 id="section-2">???</h2>`,
	}, "\n")
	if got != want {
		t.Errorf("Block headings =\n%s\nwant\n%s", got, want)
	}
	// The ids stay taken for the next fragment on the same page.
	got, _ = New(false).Block("## Setup", 1, e)
	if want := `<h2 id="setup-3">Setup</h2>`; got != want {
		t.Errorf("second fragment = %q; want %q", got, want)
	}
}

func TestHeadingIDsStartFreshWithoutIDs(t *testing.T) {
	for range 2 {
		got, _ := New(false).Block("## Setup", 1, env(new(diag.List)))
		if want := `<h2 id="setup">Setup</h2>`; got != want {
			t.Errorf("Block = %q; want %q", got, want)
		}
	}
}

func TestHeadingIDIsCutAtAWord(t *testing.T) {
	long := strings.Repeat("word ", 20)
	got, _ := New(false).Block("## "+long, 1, env(new(diag.List)))
	want := strings.TrimSuffix(strings.Repeat("word-", 12), "-")
	if !strings.Contains(got, `id="`+want+`"`) {
		t.Errorf("Block(## %s) = %q; want id %q", long, got, want)
	}
}

func TestHeadingIDOfLongNonLatinHeadingIsUTF8(t *testing.T) {
	got, _ := New(false).Block("## a"+strings.Repeat("日", 30), 1, env(new(diag.List)))
	if want := `id="a` + strings.Repeat("日", 19) + `"`; !strings.Contains(got, want) || !utf8.ValidString(got) {
		t.Errorf("Block = %q; want %s", got, want)
	}
}

func TestIDsUnique(t *testing.T) {
	ids := NewIDs()
	ids.Reserve("a")
	ids.Put([]byte("b"))
	got := []string{ids.Unique("a"), ids.Unique("a"), ids.Unique("b"), ids.Unique("c"), ids.Unique("c"), ids.Unique("a-2")}
	want := []string{"a-2", "a-3", "b-2", "c", "c-2", "a-2-2"}
	if !slices.Equal(got, want) {
		t.Errorf("Unique = %q; want %q", got, want)
	}
	if got := string(ids.Generate([]byte("C"), 0)); got != "c-3" {
		t.Errorf("Generate(C) = %q; want %q", got, "c-3")
	}
}

func TestMarkdownIsSafeForConcurrentUse(t *testing.T) {
	md := New(false)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := range 16 {
		wg.Go(func() {
			src := fmt.Sprintf("# Title %d\n\n[x](sre.md) and [y](javascript:x)", i)
			want := fmt.Sprintf("<h1 id=\"title-%d\">Title %d</h1>\n<p><a href=\"../../roles/sre/\">x</a> and y</p>", i, i)
			for range 50 {
				if got, _ := md.Block(src, 1, env(new(diag.List))); got != want {
					errs <- fmt.Sprintf("Block(%q) = %q; want %q", src, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// dangerous reports whether a URL in an href or src attribute would run
// script or load an unvetted document, the way a browser reads it: leading
// spaces and control characters are ignored, as are tabs and newlines
// anywhere, and the scheme is case-insensitive.
func dangerous(v string) bool {
	v = strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	v = strings.ToLower(v)
	if strings.HasPrefix(v, "data:") {
		for _, ok := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if strings.HasPrefix(v, ok) {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:")
}

func TestDangerous(t *testing.T) {
	for _, v := range []string{"javascript:x", " JavaScript:x", "\x01java\tscript:x", "java\nscript:x", "vbscript:x", "data:text/html,x", "DATA:image/svg+xml,x"} {
		if !dangerous(v) {
			t.Errorf("dangerous(%q) = false; want true", v)
		}
	}
	for _, v := range []string{"", "https://x", "page", "java%09script:x", "./javascript:x", "data:image/png;base64,x", "#javascript:x"} {
		if dangerous(v) {
			t.Errorf("dangerous(%q) = true; want false", v)
		}
	}
}

// dangerousAttr returns the first href or src in doc that dangerous reports,
// or "".
func dangerousAttr(t *testing.T, out string) string {
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("html.Parse(%q): %v", out, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if (a.Key == "href" || a.Key == "src") && dangerous(a.Val) {
				return a.Key + "=" + a.Val
			}
		}
	}
	return ""
}

// FuzzBlock checks that no markdown makes rendering panic or produces an
// href or src that runs script. With unsafe-html, raw HTML is the writer's
// own, so only text without "<" is checked there.
func FuzzBlock(f *testing.F) {
	for _, s := range []string{
		"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](<java\tscript:x>)", "![x](javascript:x)",
		"<javascript:alert(1)>", "[x][r]\n\n[r]: vbscript:x", "![x](data:image/png;base64,AAAA)", "[x](data:text/html,x)",
		"<a href=\"javascript:x\">y</a>", "<img src=javascript:x>", "# H\n\n- [ ] a\n\n| a |\n|---|\n| [b](/c) |",
		"[x](sre.md#a)", "[x](/)", "www.example.org", "https://example.org/", "```\n[x](javascript:x)\n```",
		"[x](\x01javascript:x)", "[x](java&#x09;script:x)", "[x](&#32;javascript:x)", "[x](javascript&#59;x)",
	} {
		f.Add(s)
	}
	safe, unsafe := New(false), New(true)
	f.Fuzz(func(t *testing.T, src string) {
		var diags diag.List
		out, _ := safe.Block(src, 1, env(&diags))
		if a := dangerousAttr(t, out); a != "" {
			t.Errorf("New(false).Block(%q) = %q, with %s", src, out, a)
		}
		out, _ = safe.Inline(src, 1, env(&diags))
		if a := dangerousAttr(t, out); a != "" {
			t.Errorf("New(false).Inline(%q) = %q, with %s", src, out, a)
		}
		for _, d := range diags {
			if d.File != "content/roles/data-engineer.md" || d.Line < 1 {
				t.Errorf("diagnostic %+v; want the file and a line >= 1", d)
			}
		}
		if strings.Contains(src, "<") {
			return
		}
		out, _ = unsafe.Block(src, 1, env(new(diag.List)))
		if a := dangerousAttr(t, out); a != "" {
			t.Errorf("New(true).Block(%q) = %q, with %s", src, out, a)
		}
	})
}

// TestPlainFastPath checks that text taking the fast path renders exactly
// as goldmark renders it, over text built from the characters markdown
// cares about, and that text with markup does not take it.
func TestPlainFastPath(t *testing.T) {
	m := New(false)
	pieces := []string{"a", "word", " ", "  ", "\t", "\n", "é", "—", "\u00a0", ".", ",", "?", "!", "-", "+", "=",
		"#", "|", "1", "1.", "*", "_", "`", "[", "]", "(", ")", "<", ">", "&", "&amp;", "\\", "~", ":", "@",
		"www.", "http://x.org", "'", "\"", "---", "    ", "\r\n", "a@b.org", "\x00", "\x7f",
		" *word* ", "*w*", "*", "**", "*a b*", " `code` ", "`", "``", "`a b`", "` a`", "*x*y", "*x*.", "*x*,", "(*x*)",
		" `x\"y` ", "`x*`", " *é* ", "*1*", "W"}
	r := rand.New(rand.NewPCG(7, 9))
	fast, em, code := 0, 0, 0
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		src := b.String()
		for _, inline := range []bool{true, false} {
			md, check := m.block, plainBlock
			if inline {
				md, check = m.inline, plainInline
			}
			if _, _, ok := check(src); !ok {
				continue
			}
			fast++
			in := src
			if inline {
				in = dedent(src)
			}
			wantHTML, wantText := m.render(md, in, 1, &Env{}, inline)
			var gotHTML, gotText string
			if inline {
				gotHTML, gotText = m.Inline(src, 1, &Env{})
			} else {
				gotHTML, gotText = m.Block(src, 1, &Env{})
			}
			if gotHTML != wantHTML || gotText != wantText {
				t.Fatalf("inline=%v %q:\nfast  %q %q\nslow  %q %q", inline, src, gotHTML, gotText, wantHTML, wantText)
			}
			if strings.Contains(gotHTML, "<em>") {
				em++
			}
			if strings.Contains(gotHTML, "<code>") {
				code++
			}
		}
	}
	if fast < 2000 || em < 200 || code < 200 {
		t.Errorf("only %d generated texts took the fast path, %d with emphasis, %d with code", fast, em, code)
	}
	for _, src := range []string{"a *b* c", "a `c` d"} {
		if _, _, ok := plainBlock(src); !ok {
			t.Errorf("plainBlock(%q) did not take the fast path", src)
		}
	}
	for _, src := range []string{"a **b**", "a *b c*", "a*b*", "a *b*c", "see www.example.org", "x@y.org", "a\nb", "# h", "- item", "1. one", "    code", "a <b>", "a &amp; b", "a ``c``", "a `c*`", "~~s~~", "a: http://x", "*a* b", "`a` b"} {
		if _, _, ok := plainBlock(src); ok {
			t.Errorf("plainBlock(%q) took the fast path", src)
		}
	}
}

// collapse works on bytes; collapseRunes, the plain rune loop, says what it
// must return.
func TestCollapseMatchesRuneLoop(t *testing.T) {
	pieces := []string{"a", "word", "é", "日本", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u2028", "x\ny", ""}
	r := rand.New(rand.NewPCG(7, 7))
	for range 20000 {
		var sb strings.Builder
		for range r.IntN(12) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
		if got, want := collapse(s), collapseRunes(s); got != want {
			t.Fatalf("collapse(%q) = %q; want %q", s, got, want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"  a  b \n\n c\t", "a b\nc"},
		{"\n a \n", "a"},
		{"a \n b", "a\nb"},
		{"caf\xe9 ok", "caf\ufffd ok"}, // not UTF-8: as the rune loop writes it
	} {
		if got := collapse(tc.in); got != tc.want {
			t.Errorf("collapse(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
