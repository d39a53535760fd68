package content

import (
	"github.com/guide-build/guide/internal/diag"
)

// Home is the optional home page intro, content/_index.md.
type Home struct {
	Title       string
	Description string
	Body        Text
}

// ParseHome parses content/_index.md: front-matter with an optional title
// and description, and a markdown body.
func ParseHome(data []byte) (*Home, diag.List) {
	var diags diag.List
	doc, ok := split(HomeFile, data, &diags)
	if !ok {
		return nil, diags
	}
	m, ok := doc.reader.Root(doc.tree, "front-matter")
	if !ok {
		return nil, diags
	}
	h := &Home{
		Title:       m.String("title", false),
		Description: m.String("description", false),
		Body:        Text{Source: string(doc.body), Line: doc.bodyLine},
	}
	m.Done()
	return h, diags
}
