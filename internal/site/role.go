package site

import (
	"errors"
	"fmt"
	"html/template"
	"slices"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/fold"
	"github.com/guide-build/guide/internal/markdown"
)

// Role is everything a role page shows, resolved and rendered. Its Facts
// are the ones its Entry should carry.
type Role struct {
	*Entry
	Facts
	Body     template.HTML
	BodyText string
	Sections []Section // categories in guide order, only those with questions
	FAQ      []FAQ
	Related  []*Entry
}

// Section is one category's questions on a role page.
type Section struct {
	*Category
	Questions []*Question
}

// Question is one question on a role page.
type Question struct {
	ID        string // anchor, "q-..."
	Number    int    // 1-based position on the page
	HTML      template.HTML
	Text      string
	LookFor   template.HTML
	RedFlags  template.HTML
	FollowUps []template.HTML
	Tags      []string
	Category  *Category

	// Plain text of the notes, for search.
	LookForText   string
	RedFlagsText  string
	FollowUpsText []string
}

// FAQ is one question and answer.
type FAQ struct {
	ID           string
	Question     template.HTML
	QuestionText string
	Answer       template.HTML
	AnswerText   string
}

// MaxRelated is how many roles of the same department a role page suggests
// when its front-matter names none.
const MaxRelated = 4

// anchorLen bounds the length of an anchor made from a question's words:
// long enough to stay unique and readable, short enough to share.
const anchorLen = 48

// ErrStale is returned by NewRole when a role's front-matter no longer
// matches the header the site was made from.
var ErrStale = errors.New("role header changed since the site was indexed")

// PageRoot is the relative path from a role, category or department page to
// the site root: all three live two folders deep.
const PageRoot = "../../"

// NewRole resolves a parsed role against the site and renders its markdown.
// It changes nothing: the caller copies r.Facts to r.Entry when the role is
// accepted. It returns ErrStale if the role's header differs from the one
// New was given.
func (s *Site) NewRole(c *content.Role) (*Role, diag.List, error) {
	var diags diag.List
	e, ok := s.byFile[c.File]
	if !ok || e.Header != c.Header() {
		return nil, nil, fmt.Errorf("%s: %w", c.File, ErrStale)
	}
	ids := markdown.NewIDs()
	for _, id := range config.PageIDs {
		ids.Reserve(id)
	}
	for _, p := range config.IDPrefixes {
		ids.ReservePrefix(p)
	}
	for _, cat := range s.Categories {
		ids.Reserve(cat.Key)
	}
	env := &markdown.Env{File: c.File, Root: PageRoot, Pages: s.PageForFile, IDs: ids, Diags: &diags, MinHeading: 2}
	// Notes sit in a question card under its <h3> and <h4>; answers under
	// the FAQ's <h2>.
	noteEnv, answerEnv := *env, *env
	noteEnv.MinHeading, answerEnv.MinHeading = 5, 3
	md := s.Markdown
	r := &Role{Entry: e}
	r.Summary, r.SummaryText = html(md.Inline(c.Summary.Source, c.Summary.Line, env))
	r.Updated = c.Updated
	r.Questions = len(c.Questions)

	// Questions first: their anchors are derived from their words and must
	// win over headings in the body.
	byCat := make([][]*Question, len(s.Categories))
	questions := make([]*Question, len(c.Questions))
	for i, cq := range c.Questions {
		q := &Question{Tags: cq.Tags}
		q.HTML, q.Text = html(md.Inline(cq.Text.Source, cq.Text.Line, env))
		if cq.ID != "" {
			q.ID = "q-" + cq.ID
			if ids.Unique(q.ID) != q.ID {
				diags.Errorf(c.File, cq.Line, "question id %q is used twice on this page", cq.ID)
			}
		} else {
			q.ID = ids.Unique("q-" + orDefault(fold.Slug(q.Text, anchorLen), "question"))
		}
		questions[i] = q
		cat := s.category(cq.Category)
		if cat == nil {
			continue // reported by content
		}
		q.Category = cat
		byCat[cat.Index] = append(byCat[cat.Index], q)
	}
	for i, cq := range c.Questions {
		q := questions[i]
		q.LookFor, q.LookForText = html(md.Block(cq.LookFor.Source, cq.LookFor.Line, &noteEnv))
		q.RedFlags, q.RedFlagsText = html(md.Block(cq.RedFlags.Source, cq.RedFlags.Line, &noteEnv))
		for _, f := range cq.FollowUps {
			h, text := html(md.Inline(f.Source, f.Line, env))
			q.FollowUps = append(q.FollowUps, h)
			q.FollowUpsText = append(q.FollowUpsText, text)
		}
	}
	n := 0
	for i, qs := range byCat {
		if len(qs) == 0 {
			continue
		}
		for _, q := range qs {
			n++
			q.Number = n
		}
		r.Sections = append(r.Sections, Section{Category: s.Categories[i], Questions: qs})
	}
	r.Refs = packRefs(byCat)

	for _, f := range c.FAQ {
		var item FAQ
		item.Question, item.QuestionText = html(md.Inline(f.Question.Source, f.Question.Line, env))
		item.Answer, item.AnswerText = html(md.Block(f.Answer.Source, f.Answer.Line, &answerEnv))
		item.ID = ids.Unique("faq-" + orDefault(fold.Slug(item.QuestionText, anchorLen), "question"))
		r.FAQ = append(r.FAQ, item)
	}
	r.Body, r.BodyText = html(md.Block(c.Body.Source, c.Body.Line, env))
	r.Related = s.related(c, e, &diags)
	return r, diags, nil
}

func html(h, text string) (template.HTML, string) {
	return template.HTML(h), text // #nosec: goldmark output, raw HTML filtered unless unsafe-html
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *Site) category(key string) *Category {
	for _, c := range s.Categories {
		if c.Key == key {
			return c
		}
	}
	return nil
}

// related returns the roles named in the front-matter, or else the first few
// others of the same department.
func (s *Site) related(c *content.Role, e *Entry, diags *diag.List) []*Entry {
	if len(c.Related) > 0 {
		var out []*Entry
		for _, rel := range c.Related {
			other, ok := s.bySlug[rel.Value]
			if !ok && (s.drafts[rel.Value] || s.broken[rel.Value]) {
				continue // a draft is left out of this build; a broken file is reported itself
			}
			if !ok {
				if !content.ValidSlug(rel.Value) || rel.Value == c.Slug {
					continue // reported by content
				}
				diags.Errorf(c.File, rel.Line, "related: no role has the slug %q", rel.Value)
				continue
			}
			if !slices.Contains(out, other) {
				out = append(out, other)
			}
		}
		return out
	}
	var out []*Entry
	for _, other := range e.Department.Roles {
		if other != e && len(out) < MaxRelated {
			out = append(out, other)
		}
	}
	return out
}
