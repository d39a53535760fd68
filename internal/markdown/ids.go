package markdown

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/guide-build/guide/internal/fold"
)

// IDs hands out heading ids that are unique on one page. A page reserves its
// own anchors first (sections, questions), so a heading in a body can never
// take an id the page needs.
type IDs struct {
	used     map[string]bool
	prefixes []string
}

// NewIDs returns an empty set of ids.
func NewIDs() *IDs { return &IDs{used: map[string]bool{}} }

// Reserve marks id as used.
func (s *IDs) Reserve(id string) { s.used[id] = true }

// ReservePrefix keeps headings off ids that start with p: a heading whose
// id would is given "h-" in front.
func (s *IDs) ReservePrefix(p string) { s.prefixes = append(s.prefixes, p) }

// Unique returns base if it is free, else base-2, base-3, and so on, and
// marks the result used.
func (s *IDs) Unique(base string) string {
	id := base
	for i := 2; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return id
}

// Generate implements goldmark's parser.IDs for headings.
func (s *IDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := fold.Slug(string(value), 60)
	if base == "" {
		base = "section"
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(base, p) {
			base = "h-" + base
			break
		}
	}
	return []byte(s.Unique(base))
}

// Put implements goldmark's parser.IDs for explicit ids.
func (s *IDs) Put(value []byte) { s.used[string(value)] = true }
