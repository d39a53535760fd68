package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"
)

// roleSpec is a role file the property test can change field by field.
type roleSpec struct {
	title, dept, slug, summary string
	weight                     int
	updated                    string // a date, or none
	draft                      bool
	related                    []string
	questions                  [][2]string // text, category
	broken                     bool        // write invalid YAML instead
	badCategory                bool        // give the first question an unknown category
}

func (r *roleSpec) String() string {
	if r.broken {
		return "---\ntitle: [unclosed\n---\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndepartment: %s\nsummary: %q\n", r.title, r.dept, r.summary)
	if r.slug != "" {
		fmt.Fprintf(&b, "slug: %s\n", r.slug)
	}
	if r.weight != 0 {
		fmt.Fprintf(&b, "weight: %d\n", r.weight)
	}
	if r.updated != "" {
		fmt.Fprintf(&b, "updated: %s\n", r.updated)
	}
	if r.draft {
		b.WriteString("draft: true\n")
	}
	if len(r.related) > 0 {
		fmt.Fprintf(&b, "related: [%s]\n", strings.Join(r.related, ", "))
	}
	b.WriteString("questions:\n")
	for i, q := range r.questions {
		cat := q[1]
		if i == 0 && r.badCategory {
			cat = "ops"
		}
		fmt.Fprintf(&b, "  - q: %s\n    category: %s\n    look-for: Look for %s.\n", q[0], cat, strings.ToLower(q[0]))
	}
	fmt.Fprintf(&b, "---\nHow to interview a %s.\n", r.title)
	return b.String()
}

// world is the guide on disk that the property test changes at random.
type world struct {
	t     *testing.T
	dir   string
	r     *rand.Rand
	roles map[string]*roleSpec // by file name
	cats  []string
	next  int
	home  string // the role file the home intro links to
}

var (
	titles = []string{"Backend Developer", "Recruiter", "Designer", "Analyst", "Account Executive", "Data Engineer"}
	depts  = []string{"Engineering", "People", "Sales"}
	words  = []string{"index", "cache", "incident", "schema", "deadline", "customer", "queue", "budget"}
)

func (w *world) write(name, data string) string {
	p := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return name
}

func (w *world) guideYAML() string {
	var b strings.Builder
	b.WriteString("title: Property Guide\nbase-url: https://example.org/p/\ndepartments: [Engineering, People]\ncategories:\n")
	for _, c := range w.cats {
		fmt.Fprintf(&b, "  - {key: %s, title: %s}\n", c, strings.ToUpper(c[:1])+c[1:])
	}
	return b.String()
}

func (w *world) newRole() *roleSpec {
	r := &roleSpec{
		title:   titles[w.r.IntN(len(titles))] + fmt.Sprintf(" %d", w.next),
		dept:    depts[w.r.IntN(len(depts))],
		summary: "Interviews for " + words[w.r.IntN(len(words))] + ".",
	}
	w.next++
	for range 1 + w.r.IntN(4) {
		r.questions = append(r.questions, w.question())
	}
	return r
}

func (w *world) question() [2]string {
	cats := []string{"technical", "behavioral", "situational"}
	return [2]string{fmt.Sprintf("How do you handle %s %d?", words[w.r.IntN(len(words))], w.r.IntN(5)), cats[w.r.IntN(len(cats))]}
}

func (w *world) pick() (string, *roleSpec) {
	names := slices.Sorted(maps.Keys(w.roles))
	if len(names) == 0 {
		return "", nil
	}
	n := names[w.r.IntN(len(names))]
	return n, w.roles[n]
}

func (w *world) writeRole(name string) string {
	return w.write("content/roles/"+name, w.roles[name].String())
}

// repair undoes one thing that makes the guide invalid, if there is one,
// so that the walk spends much of its time on valid guides.
func (w *world) repair() (string, []string, bool) {
	if len(w.cats) < 3 {
		w.cats = []string{"technical", "behavioral", "situational"}
		return "restore categories", []string{w.write("guide.yaml", w.guideYAML())}, true
	}
	if _, ok := w.roles[w.home]; w.home != "" && !ok {
		w.home = ""
		return "unlink home", []string{w.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")}, true
	}
	for _, name := range slices.Sorted(maps.Keys(w.roles)) {
		r := w.roles[name]
		if r.broken || r.badCategory {
			r.broken, r.badCategory = false, false
			return "fix " + name, []string{w.writeRole(name)}, true
		}
		for _, rel := range r.related {
			if _, ok := w.roles[rel+".md"]; !ok || w.roles[rel+".md"].draft || rel+".md" == name {
				r.related = nil
				return "unrelate " + name, []string{w.writeRole(name)}, true
			}
		}
	}
	return "", nil, false
}

// step makes one random change on disk and returns the paths it touched.
func (w *world) step() (string, []string) {
	if w.r.IntN(2) == 0 {
		if what, paths, ok := w.repair(); ok {
			return what, paths
		}
	}
	name, r := w.pick()
	switch op := w.r.IntN(16); {
	case op < 4 && r != nil:
		r.summary = "Changed: " + words[w.r.IntN(len(words))] + "."
		r.questions[w.r.IntN(len(r.questions))] = w.question()
		return "edit questions of " + name, []string{w.writeRole(name)}
	case op == 4 && r != nil:
		r.title = titles[w.r.IntN(len(titles))] + fmt.Sprintf(" %d", w.next)
		w.next++
		return "retitle " + name, []string{w.writeRole(name)}
	case op == 5 && r != nil:
		r.dept = depts[w.r.IntN(len(depts))]
		return "move " + name, []string{w.writeRole(name)}
	case op == 6 && r != nil:
		// The date dates the role's page and its lists in the sitemap.
		r.weight = w.r.IntN(3)
		r.updated = []string{"", "2026-01-15", "2026-06-30", "2026-11-02"}[w.r.IntN(4)]
		return "reweigh and redate " + name, []string{w.writeRole(name)}
	case op == 7 && r != nil:
		r.draft = !r.draft
		return "toggle draft " + name, []string{w.writeRole(name)}
	case op == 8 && r != nil:
		if w.r.IntN(2) == 0 {
			r.broken = !r.broken
		} else {
			r.badCategory = !r.badCategory
		}
		return "break/fix " + name, []string{w.writeRole(name)}
	case op == 9 && r != nil:
		other, _ := w.pick()
		r.related = []string{strings.TrimSuffix(other, ".md")}
		return "relate " + name, []string{w.writeRole(name)}
	case op == 10:
		n := fmt.Sprintf("role-%d.md", w.next)
		w.roles[n] = w.newRole()
		return "create " + n, []string{w.writeRole(n)}
	case op == 11 && r != nil && len(w.roles) > 1:
		delete(w.roles, name)
		os.Remove(filepath.Join(w.dir, "content/roles", name))
		return "delete " + name, []string{"content/roles/" + name}
	case op == 12 && r != nil:
		n := fmt.Sprintf("renamed-%d.md", w.next)
		w.next++
		w.roles[n] = r
		delete(w.roles, name)
		if err := os.Rename(filepath.Join(w.dir, "content/roles", name), filepath.Join(w.dir, "content/roles", n)); err != nil {
			w.t.Fatal(err)
		}
		return "rename " + name + " to " + n, []string{"content/roles/" + name, "content/roles/" + n}
	case op == 13:
		if len(w.cats) == 3 {
			w.cats = w.cats[:2] // roles with situational questions break
		} else {
			w.cats = []string{"technical", "behavioral", "situational"}
		}
		return "categories " + strings.Join(w.cats, ","), []string{w.write("guide.yaml", w.guideYAML())}
	case op == 14:
		w.home = name
		return "home", []string{w.write("content/_index.md", fmt.Sprintf("---\ntitle: Home %d\n---\nSee [a role](roles/%s).\n", w.next, name))}
	default:
		css := fmt.Sprintf("body { margin: %dpx }\n", w.r.IntN(9))
		return "css", []string{w.write("assets/site.css", css)}
	}
}

// TestStateMatchesFullBuild changes a guide at random, many times, applies
// each change to a State, and compares what the State serves with a fresh
// full build of the same folder: the same files, byte for byte, and the
// same problems.
func TestStateMatchesFullBuild(t *testing.T) {
	steps := 250
	if testing.Short() {
		steps = 80
	}
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			w := &world{t: t, dir: t.TempDir(), r: rand.New(rand.NewPCG(seed, 7)), roles: map[string]*roleSpec{},
				cats: []string{"technical", "behavioral", "situational"}}
			w.write("guide.yaml", w.guideYAML())
			for range 5 {
				n := fmt.Sprintf("role-%d.md", w.next)
				w.roles[n] = w.newRole()
				w.writeRole(n)
			}
			opts := Options{Theme: guide.Theme}
			src := os.DirFS(w.dir)
			st, err := Load(context.Background(), src, opts)
			if err != nil {
				t.Fatal(err)
			}
			compareWithBuild(t, "load", st, src, opts)
			valid, reloads := 0, 0
			for i := range steps {
				what, paths := w.step()
				ch, err := st.Apply(context.Background(), paths)
				if err != nil {
					t.Fatalf("step %d (%s): %v", i, what, err)
				}
				if ch.Reloaded {
					reloads++
				}
				if !compareWithBuild(t, fmt.Sprintf("step %d (%s)", i, what), st, src, opts) {
					return
				}
				if !ch.Diags.HasErrors() {
					valid++
				} else if os.Getenv("STATE_DEBUG") != "" {
					t.Logf("step %d (%s) reload=%v: %s", i, what, ch.Reloaded, ch.Diags.Errors()[0])
				}
			}
			// The test means something only if many steps leave a valid
			// guide and most are applied without a full reload.
			if valid < steps/4 || reloads > steps/2 {
				t.Errorf("%d of %d steps valid, %d full reloads: the generator needs tuning", valid, steps, reloads)
			}
		})
	}
}

// compareWithBuild checks st against a fresh full build of src and reports
// whether they agree.
func compareWithBuild(t *testing.T, what string, st *State, src fs.FS, opts Options) bool {
	t.Helper()
	sink := &memSink{}
	res, err := Run(context.Background(), src, opts, sink)
	var want diag.List
	var de *diag.Errors
	switch {
	case errors.As(err, &de):
		want = append(want, de.List...)
	case err != nil:
		t.Fatalf("%s: full build: %v", what, err)
	}
	if res != nil {
		want = append(want, res.Warnings...)
	}
	if g, w := diagText(st.Diags()), diagText(want.Sort()); g != w {
		t.Errorf("%s: state reports:\n%s\nfull build reports:\n%s", what, g, w)
		return false
	}
	if err != nil {
		return true // the state keeps its last good site; nothing to compare
	}
	files := st.Files()
	if want := slices.Sorted(maps.Keys(sink.files)); !slices.Equal(files, want) {
		t.Errorf("%s: state has files\n%q\nfull build has\n%q", what, files, want)
		return false
	}
	for _, f := range files {
		got, err := st.Render(f)
		if err != nil {
			t.Errorf("%s: rendering %s: %v", what, f, err)
			return false
		}
		if !bytes.Equal(got, sink.files[f]) {
			t.Errorf("%s: %s differs from the full build:\n%s\nwant:\n%s", what, f, firstDiff(readable(got), readable(sink.files[f])), firstDiff(readable(sink.files[f]), readable(got)))
			return false
		}
	}
	return true
}

func diagText(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}
