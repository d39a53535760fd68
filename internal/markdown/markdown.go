// Package markdown is the guide's one goldmark setup.
//
// Two parsers are configured once and reused for every field of every page:
// Block for bodies, look-for notes and FAQ answers (GitHub-flavoured: tables,
// strikethrough, autolinks, task lists), and Inline for one-line fields such as
// a question or a summary, which only knows paragraphs, so that "1. Design
// the schema" stays text instead of becoming a list.
//
// Rendering is safe by default: raw HTML is left out unless the guide sets
// unsafe-html, and links whose scheme is not http, https, mailto or tel (such
// as javascript:) lose their link and keep their text, even with unsafe-html.
// Links are made to work under any subpath: a root-relative link "/roles/x/"
// is rewritten relative to the page, and a link to another content file
// ("site-reliability-engineer.md") becomes a relative link to its page; a
// link to a file that makes no page is reported.
package markdown

import (
	"bufio"
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/guide-build/guide/internal/diag"
)

// Markdown renders markdown to HTML and plain text. It is safe for
// concurrent use.
type Markdown struct {
	block  goldmark.Markdown
	inline goldmark.Markdown
}

// New returns a Markdown. unsafe lets raw HTML through.
func New(unsafe bool) *Markdown {
	var rendererOpts []renderer.Option
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	links := util.Prioritized(linkTransformer{}, 100)
	block := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithASTTransformers(links)),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	inline := goldmark.New(
		goldmark.WithParser(parser.NewParser(
			parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		)),
		goldmark.WithExtensions(extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(links)),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Markdown{block: block, inline: inline}
}

// Env is what rendering needs to know about the page a fragment goes on.
type Env struct {
	File  string // source file of the markdown, slash path in the source folder
	Root  string // relative path from the page to the site root: "", "../../"
	Pages Pages  // content files that make pages; nil resolves none
	IDs   *IDs   // heading ids already used on the page; nil for a fresh set
	Diags *diag.List
	// MinHeading is the highest heading level the fragment may use: a
	// heading above it is lowered to it, so that "# Title" in a role's body
	// does not make a second <h1>.
	MinHeading int
}

// Pages maps a content file (slash path in the source folder, such as
// content/roles/sre.md) to its page's path from the site root ("roles/sre/").
type Pages func(file string) (string, bool)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writerPool holds the buffered writers goldmark renders through; without
// one it would make a new 4 KB buffer for every field.
var writerPool = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

// Block renders markdown that may hold blocks (paragraphs, lists, tables).
// line is the file line src starts on.
func (m *Markdown) Block(src string, line int, env *Env) (html, plain string) {
	if h, t, ok := plainBlock(src); ok {
		return "<p>" + h + "</p>", strings.TrimSpace(collapse(t))
	}
	return m.render(m.block, src, line, env, false)
}

// Inline renders one paragraph of inline markdown without the <p> around it.
// Several paragraphs are joined by a space, with a warning.
func (m *Markdown) Inline(src string, line int, env *Env) (html, plain string) {
	if h, t, ok := plainInline(src); ok {
		return h, strings.Join(strings.Fields(t), " ")
	}
	return m.render(m.inline, dedent(src), line, env, true)
}

// Most fields are a line of prose with no markup at all, or with no more
// than a word in *emphasis* or a `code` span: goldmark would parse them
// into a few nodes and render them escaped. plainInline and plainBlock
// recognise such a line cheaply, so that rendering it skips the parser;
// the output is the same byte for byte (TestPlainFastPath compares the two
// over generated text). Anything else takes the parser.

// plainInline reports whether src, without its surrounding blanks, is such
// a line, and returns its HTML and its text.
func plainInline(src string) (html, text string, ok bool) {
	t := strings.Trim(src, " \t\r\n")
	if strings.TrimSpace(t) == "" {
		return "", "", false
	}
	return simpleLine(t)
}

// plainBlock is plainInline for block markdown, where the line must also
// not start like a block (a heading, list, quote, code block, table or
// HTML) and leading spaces matter.
func plainBlock(src string) (html, text string, ok bool) {
	t := strings.TrimRight(src, " \t\r\n")
	if strings.TrimSpace(t) == "" {
		return "", "", false
	}
	switch c := t[0]; {
	case c >= '0' && c <= '9', c == ' ', c == '#', c == '-', c == '+', c == '=', c == '|', c == '!', c == '*', c == '`':
		return "", "", false
	}
	return simpleLine(t)
}

// simpleLine renders s if it is one line in which inline markdown finds
// nothing but *emphasis* of a single word (of ASCII letters and digits,
// after a space or at the start, before a space, the end or . , ; ! ?) and
// `code` spans of plain characters. Anything else that markdown acts on
// (control characters or line breaks, the characters that start emphasis,
// code, links, HTML, entities, escapes or strikethrough, and what linkify
// would turn into a link: a scheme's colon, an e-mail's @, "www.") makes it
// report false.
func simpleLine(s string) (html, text string, ok bool) {
	var h, t strings.Builder
	plain := 0 // start of the plain text not yet written
	flush := func(end int) {
		h.Write(util.EscapeHTML([]byte(s[plain:end])))
		t.WriteString(s[plain:end])
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '*':
			j := i + 1
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			if j == i+1 || j == len(s) || s[j] != '*' || i > 0 && s[i-1] != ' ' ||
				j+1 < len(s) && !strings.ContainsRune(" .,;!?", rune(s[j+1])) {
				return "", "", false
			}
			flush(i)
			h.WriteString("<em>" + s[i+1:j] + "</em>")
			t.WriteString(s[i+1 : j])
			i, plain = j+1, j+1
		case c == '`':
			n := strings.IndexByte(s[i+1:], '`')
			if n <= 0 {
				return "", "", false
			}
			code, end := s[i+1:i+1+n], i+2+n
			if code[0] == ' ' || code[n-1] == ' ' || end < len(s) && s[end] == '`' || !plainText(code) {
				return "", "", false
			}
			flush(i)
			h.WriteString("<code>")
			h.Write(util.EscapeHTML([]byte(code)))
			h.WriteString("</code>")
			t.WriteString(code)
			i, plain = end, end
		case refused(s, i):
			return "", "", false
		default:
			i++
		}
	}
	if plain == 0 {
		e := string(util.EscapeHTML([]byte(s)))
		return e, s, true
	}
	flush(len(s))
	return h.String(), t.String(), true
}

// plainText reports whether s holds none of what simpleLine refuses.
func plainText(s string) bool {
	for i := range len(s) {
		if refused(s, i) {
			return false
		}
	}
	return true
}

// refused reports whether markdown may act on s at byte i: a control
// character, one of the special characters, or the start of "www.".
func refused(s string, i int) bool {
	c := s[i]
	return c < 0x20 || c == 0x7f || special[c] ||
		(c == 'w' || c == 'W') && i+3 < len(s) && strings.EqualFold(s[i:i+4], "www.")
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

var special = func() (t [256]bool) {
	for _, c := range []byte("\\`*_[]<>&~:@") {
		t[c] = true
	}
	return t
}()

// dedent removes the indentation of every line. Inline fields have no code
// blocks, so indentation means nothing, but four spaces would otherwise stop
// a line from starting a paragraph and drop it.
func dedent(s string) string {
	if !strings.Contains(s, "\n ") && !strings.Contains(s, "\n\t") && !strings.HasPrefix(s, " ") && !strings.HasPrefix(s, "\t") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}

func (m *Markdown) render(md goldmark.Markdown, src string, line int, env *Env, inline bool) (string, string) {
	if strings.TrimSpace(src) == "" {
		return "", ""
	}
	source := []byte(src)
	ids := env.IDs
	if ids == nil {
		ids = NewIDs()
	}
	pc := parser.NewContext(parser.WithIDs(ids))
	pc.Set(envKey, &linkEnv{Env: env, source: source, line: line})
	doc := md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))

	out := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(out)
	out.Reset()
	buf := writerPool.Get().(*bufio.Writer)
	defer writerPool.Put(buf)
	buf.Reset(out) // goldmark flushes it after each Render
	var plain strings.Builder
	if inline {
		n := 0
		for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
			if n > 0 {
				buf.WriteByte(' ')
				plain.WriteByte(' ')
			}
			n++
			for in := c.FirstChild(); in != nil; in = in.NextSibling() {
				if err := md.Renderer().Render(buf, source, in); err != nil {
					env.Diags.Errorf(env.File, line, "rendering markdown: %v", err)
				}
			}
			writeText(&plain, c, source)
		}
		if n > 1 && env.Diags != nil {
			env.Diags.Warnf(env.File, line, "this field takes one paragraph of text; its %d paragraphs were joined", n)
		}
		buf.Flush()
		return out.String(), strings.Join(strings.Fields(plain.String()), " ")
	}
	if err := md.Renderer().Render(buf, source, doc); err != nil {
		env.Diags.Errorf(env.File, line, "rendering markdown: %v", err)
	}
	writeText(&plain, doc, source)
	buf.Flush()
	return strings.TrimRight(out.String(), "\n"), strings.TrimSpace(collapse(plain.String()))
}

// writeText appends the plain text of n to b: the words a reader sees, with
// blocks separated by newlines and no markup.
func writeText(b *strings.Builder, n ast.Node, source []byte) {
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				v := n.Value(source)
				if p := n.Parent(); p == nil || p.Kind() != ast.KindCodeSpan {
					// What the HTML shows: escapes and references resolved.
					v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
				}
				b.Write(v)
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.Label(source))
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if entering {
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(source))
				}
			}
		default:
			if !entering && n.Type() == ast.TypeBlock {
				b.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
}

// collapse turns runs of blank lines and spaces into single separators: a
// newline where the run holds one, else a space; none at either end.
func collapse(s string) string {
	if !utf8.ValidString(s) {
		return collapseRunes(s) // which writes U+FFFD for each bad byte
	}
	var b strings.Builder
	b.Grow(len(s))
	sep := byte(0) // owed before the next word
	for i := 0; i < len(s); {
		switch s[i] {
		case '\n':
			sep = '\n'
			i++
		case ' ', '\t', '\r':
			if sep == 0 {
				sep = ' '
			}
			i++
		default:
			j := i + 1
			for j < len(s) && !isSpace(s[j]) {
				j++
			}
			if sep != 0 && b.Len() > 0 {
				b.WriteByte(sep)
			}
			sep = 0
			b.WriteString(s[i:j])
			i = j
		}
	}
	return b.String()
}

func isSpace(c byte) bool { return c == '\n' || c == ' ' || c == '\t' || c == '\r' }

// collapseRunes is collapse rune by rune, for text that is not valid UTF-8.
func collapseRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newline := false, false
	for _, r := range s {
		switch r {
		case '\n':
			newline = true
		case ' ', '\t', '\r':
			space = true
		default:
			if b.Len() > 0 {
				if newline {
					b.WriteByte('\n')
				} else if space {
					b.WriteByte(' ')
				}
			}
			space, newline = false, false
			b.WriteRune(r)
		}
	}
	return b.String()
}
