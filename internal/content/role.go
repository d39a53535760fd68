// Package content reads a guide's content files into typed, validated values.
//
// A role is one file under content/roles/. It starts with front-matter in
// YAML (between --- lines) or TOML (between +++ lines), followed by a
// markdown body. The front-matter fields:
//
//	title        required, plain text, e.g. "Backend Developer"
//	slug         optional, a-z 0-9 and dashes; defaults to the file name
//	department   required, plain text
//	summary      required, inline markdown: the lead paragraph
//	questions    required list, each with
//	    q          required, inline markdown
//	    category   required, a category key from guide.yaml
//	    look-for   required, markdown: what a strong answer shows
//	    red-flags  optional, markdown: what a weak answer shows
//	    follow-ups optional list of inline markdown
//	    tags       optional list of words
//	    id         optional anchor (without the q- prefix), to keep a link
//	               stable when the question is reworded
//	faq          optional list of {q, a}: inline markdown and markdown
//	updated      optional date, YYYY-MM-DD
//	draft        optional bool; drafts are built only with --drafts
//	related      optional list of role slugs
//	weight       optional whole number; lower first within a department
//
// Parsing never stops at the first problem: every problem is reported as a
// diagnostic naming the file and line. Markdown is kept as source here; it
// is rendered by the site stage, which knows the pages it links to.
package content

import (
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/node"
)

// RolesDir is the folder of role files, relative to the source folder.
const RolesDir = "content/roles"

// HomeFile is the optional home page intro, relative to the source folder.
const HomeFile = "content/_index.md"

// Role is one parsed role file. Markdown fields hold markdown source.
type Role struct {
	File       string // slash path relative to the source folder
	Slug       string
	Title      string
	Department string
	Summary    Text
	// SlugLine and DepartmentLine are the lines of those fields, 0 for a
	// slug the file name gives.
	SlugLine       int
	DepartmentLine int
	Questions      []Question
	FAQ            []FAQ
	Updated        time.Time
	Draft          bool
	Related        []node.Item // slugs, with their lines
	Weight         int
	Body           Text
}

// Text is markdown source with the file line it starts on, so that problems
// found while rendering it can be reported in place.
type Text struct {
	Source string
	Line   int
}

// Question is one interview question.
type Question struct {
	Text      Text // the question, inline markdown
	Category  string
	LookFor   Text
	RedFlags  Text
	FollowUps []Text
	Tags      []string
	ID        string // explicit anchor, or ""
	Line      int
}

// FAQ is one frequently asked question and its answer.
type FAQ struct {
	Question Text
	Answer   Text
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is made only of a-z, 0-9 and single dashes.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// ParseRole parses one role file. file is its slash path relative to the
// source folder. The role is nil when the front-matter could not be read at
// all; otherwise it is returned even with errors, so that a caller can go on
// checking the rest of the guide.
func ParseRole(file string, data []byte, cfg *config.Config) (*Role, diag.List) {
	var diags diag.List
	doc, ok := split(file, data, &diags)
	if !ok {
		return nil, diags
	}
	m, ok := doc.reader.Root(doc.tree, "front-matter")
	if !ok {
		return nil, diags
	}
	r := &Role{
		File:       file,
		Title:      strings.TrimSpace(m.String("title", true)),
		Department: strings.TrimSpace(m.String("department", true)),
		Summary:    text(&m, "summary", true),
		Updated:    m.Date("updated"),
		Draft:      m.Bool("draft"),
		Weight:     m.Int("weight"),
		Related:    m.Strings("related"),
		Body:       Text{Source: string(doc.body), Line: doc.bodyLine},
	}
	r.Slug, r.SlugLine = roleSlug(&m, file, &diags)
	r.DepartmentLine = m.Line("department")
	for _, rel := range r.Related {
		if !ValidSlug(rel.Value) {
			diags.Errorf(file, rel.Line, "related: %q is not a role slug (a-z, 0-9 and dashes)", rel.Value)
		} else if rel.Value == r.Slug {
			diags.Errorf(file, rel.Line, "related: a role cannot be related to itself")
		}
	}
	for _, q := range m.Maps("questions", true, "question") {
		r.Questions = append(r.Questions, question(&q, cfg))
	}
	for _, f := range m.Maps("faq", false, "faq") {
		r.FAQ = append(r.FAQ, FAQ{Question: text(&f, "q", true), Answer: text(&f, "a", true)})
		f.Done()
	}
	m.Done()
	return r, diags
}

func text(m *node.Map, key string, required bool) Text {
	return Text{Source: m.String(key, required), Line: m.TextLine(key)}
}

// FileSlug is the slug a role file's name gives it when it sets none.
func FileSlug(file string) string {
	return strings.TrimSuffix(path.Base(file), path.Ext(file))
}

// roleSlug returns the slug field and its line, or a slug made from the
// file name and 0.
func roleSlug(m *node.Map, file string, diags *diag.List) (string, int) {
	if s := m.String("slug", false); s != "" {
		line := m.Line("slug")
		if !ValidSlug(s) {
			diags.Errorf(file, line, "slug %q may only hold a-z, 0-9 and single dashes (try %q)", s, Slugify(s))
			return "", 0
		}
		return s, line
	}
	base := FileSlug(file)
	if !ValidSlug(base) {
		diags.Errorf(file, 0, "file name %q does not make a valid slug: rename the file to %s.md or set slug: %s", base, Slugify(base), Slugify(base))
		return "", 0
	}
	return base, 0
}

func question(m *node.Map, cfg *config.Config) Question {
	q := Question{
		Text:     text(m, "q", true),
		Category: m.String("category", true),
		LookFor:  text(m, "look-for", true),
		RedFlags: text(m, "red-flags", false),
		ID:       m.String("id", false),
		Line:     m.Line("q"),
	}
	for _, f := range m.Strings("follow-ups") {
		q.FollowUps = append(q.FollowUps, Text{Source: f.Value, Line: f.Line})
	}
	for _, t := range m.Strings("tags") {
		q.Tags = append(q.Tags, t.Value)
	}
	if q.Category != "" {
		if _, ok := cfg.Category(q.Category); !ok {
			m.Errorf("category", "unknown category %q (known: %s)", q.Category, strings.Join(cfg.CategoryKeys(), ", "))
		}
	}
	if q.ID != "" && !ValidSlug(q.ID) {
		m.Errorf("id", "%s: id %q may only hold a-z, 0-9 and single dashes", m.Path(), q.ID)
	}
	m.Done()
	return q
}
