package markdown

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var envKey = parser.NewContextKey()

// linkEnv is the page environment plus the source being parsed, so that a
// broken link is reported at its own line.
type linkEnv struct {
	*Env
	source []byte
	line   int
}

// linkTransformer makes links safe and relative after parsing.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	env, _ := pc.Get(envKey).(*linkEnv)
	if env == nil {
		return
	}
	var unlink []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(max(n.Level, env.MinHeading), 6)
		case *ast.Link:
			dest, ok := env.rewrite(n, string(n.Destination), false)
			if !ok {
				unlink = append(unlink, n)
			}
			n.Destination = []byte(dest)
		case *ast.Image:
			dest, ok := env.rewrite(n, string(n.Destination), true)
			if !ok {
				unlink = append(unlink, n)
			}
			n.Destination = []byte(dest)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && !safeScheme(resolve(string(n.URL(env.source))), false) {
				unlink = append(unlink, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unlink {
		replaceWithText(n, env.source)
	}
}

// replaceWithText puts the text of a link (or an image's alt text) in its
// place, so the words stay and the link goes.
func replaceWithText(n ast.Node, source []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if al, ok := n.(*ast.AutoLink); ok {
		parent.ReplaceChild(parent, n, ast.NewString(al.Label(source)))
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// resolve turns a destination as written into the URL goldmark will write
// into the href: backslash escapes and character references resolved, so
// that "javascript&#58;" is seen for what it is.
func resolve(dest string) string {
	b := util.UnescapePunctuations([]byte(dest))
	b = util.ResolveNumericReferences(b)
	return string(util.ResolveEntityNames(b))
}

// safeScheme reports whether dest has no scheme or one we let through.
func safeScheme(dest string, image bool) bool {
	// Browsers ignore leading spaces and control characters and tabs or
	// newlines inside a scheme; so must we.
	d := strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, dest)
	colon := strings.IndexByte(d, ':')
	if colon < 0 || strings.ContainsAny(d[:colon], "/?#") {
		return true // relative
	}
	switch scheme := strings.ToLower(d[:colon]); scheme {
	case "http", "https":
		return true
	case "mailto", "tel":
		return !image
	case "data":
		lower := strings.ToLower(d)
		for _, t := range []string{"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"} {
			if image && strings.HasPrefix(lower, t) {
				return true
			}
		}
	}
	return false
}

// rewrite returns the destination to render for a link, and false when the
// link must go.
func (env *linkEnv) rewrite(n ast.Node, dest string, image bool) (string, bool) {
	if !safeScheme(resolve(dest), image) {
		return "", false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return dest, true
	}
	switch {
	case strings.HasPrefix(u.Path, "/"):
		if out := env.Root + strings.TrimPrefix(dest, "/"); out != "" {
			return out, true
		}
		return "./", true
	case strings.HasSuffix(u.Path, ".md"):
		target := path.Join(path.Dir(env.File), u.Path)
		page, ok := "", false
		if env.Pages != nil {
			page, ok = env.Pages(target)
		}
		if !ok {
			if env.Diags != nil {
				env.Diags.Errorf(env.File, env.lineOf(n), "link to %q: %s makes no page", dest, target)
			}
			return dest, true
		}
		out := env.Root + page
		if out == "" {
			out = "./"
		}
		if u.Fragment != "" {
			out += "#" + u.Fragment
		}
		return out, true
	}
	return dest, true
}

// lineOf returns the file line of n: that of its first text, or failing
// that, of the first line of its block.
func (env *linkEnv) lineOf(n ast.Node) int {
	start := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			start = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if start >= 0 {
		return env.line + bytes.Count(env.source[:start], []byte("\n"))
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			start := p.Lines().At(0).Start
			return env.line + bytes.Count(env.source[:start], []byte("\n"))
		}
	}
	return env.line
}
