package build

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/publish/publishtest"
)

// A role with a warning: its summary has two paragraphs.
const warnedRole = "---\ntitle: Warned\ndepartment: Engineering\nsummary: \"One.\\n\\nTwo.\"\nquestions:\n  - {q: Why?, category: technical, look-for: Because.}\n---\nBody.\n"

// Each rebuild takes from the cache exactly the roles it should, and
// publishes, byte for byte, what a build with no cache makes of the same
// guide, with the same warnings.
func TestRebuildKeepsUnchangedRoles(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	roles := filepath.Join(src, "content/roles")
	if err := os.WriteFile(filepath.Join(roles, "warned.md"), []byte(warnedRole), 0o644); err != nil {
		t.Fatal(err)
	}
	// Lists of several pages, so that an edit moves roles between them.
	appendFile(t, filepath.Join(src, "guide.yaml"), "page-size: {category: 2, department: 1, home: 1}\n")
	dest := filepath.Join(t.TempDir(), "public")
	// Small shards, as a large guide has, so that an edit leaves most of
	// them as they were.
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir(), shardBudget: 400}
	backend := filepath.Join(roles, "backend-developer.md")
	original, err := os.ReadFile(backend)
	if err != nil {
		t.Fatal(err)
	}

	first, err := Publish(context.Background(), src, dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Reused != 0 {
		t.Fatalf("the first build reused %d roles", first.Reused)
	}
	if !slices.ContainsFunc(first.Warnings, func(d diag.Diagnostic) bool { return d.File == "content/roles/warned.md" }) {
		t.Fatalf("no warning for warned.md: %v", first.Warnings)
	}

	steps := []struct {
		what   string
		change func()
		reused int // roles taken from the cache; -1 for every role but one
		fails  bool
		// most search shards are kept (see sharedFiles)
		keepsShards bool
	}{
		{"a role's body edited", func() { appendFile(t, backend, "\nOne more paragraph.\n") }, -1, false, false},
		{"the same role edited again", func() { appendFile(t, backend, "\nAnd another.\n") }, -1, false, false},
		{"a note of the same role edited", func() {
			edit(t, backend, "Idempotency keys", "Idempotency keys (keys)")
		}, -1, false, true},
		{"another role's summary edited", func() {
			edit(t, filepath.Join(roles, "recruiter.md"), `summary = "`, `summary = "Now longer. `)
		}, -1, false, false},
		{"a role's questions edited", func() {
			edit(t, backend, "When do you add a database index?", "When do you drop a database index?")
		}, -1, false, false},
		{"the warned role edited", func() { appendFile(t, filepath.Join(roles, "warned.md"), "More.\n") }, -1, false, false},
		{"nothing changed but the output touched", func() {
			appendFile(t, filepath.Join(dest, "roles/recruiter/index.html"), "<!-- by hand -->")
		}, 0, false, false},
		{"a role's body edited after that", func() { appendFile(t, backend, "\nThird.\n") }, -1, false, false},
		{"a role broken, another edited", func() {
			appendFile(t, backend, "\nFourth.\n")
			edit(t, filepath.Join(roles, "warned.md"), "category: technical", "category: nope")
		}, 0, true, false},
		{"the broken role mended", func() {
			os.WriteFile(filepath.Join(roles, "warned.md"), []byte(warnedRole+"More.\n"), 0o644)
		}, -1, false, false},
		{"a question added", func() {
			edit(t, backend, "questions:\n", "questions:\n  - {q: A new one?, category: behavioral, look-for: Yes.}\n")
		}, -1, false, false},
		{"a question of a new category for a role", func() {
			edit(t, filepath.Join(roles, "recruiter.md"), "+++\nRecruiters", "\n[[questions]]\nq = \"Tell me about a hard close.\"\ncategory = \"behavioral\"\nlook-for = \"Honesty.\"\n+++\nRecruiters")
		}, -1, false, false},
		{"a role's title changed", func() {
			edit(t, filepath.Join(roles, "recruiter.md"), `title = "Recruiter"`, `title = "Talent Partner"`)
		}, 0, false, false},
		{"a role's body edited after that", func() { appendFile(t, backend, "\nFifth.\n") }, -1, false, false},
		{"guide.yaml edited", func() { appendFile(t, filepath.Join(src, "guide.yaml"), "\n# a comment\n") }, 0, false, false},
		{"a role added", func() {
			os.WriteFile(filepath.Join(roles, "new-role.md"), []byte("---\ntitle: New\ndepartment: Engineering\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n"), 0o644)
		}, 0, false, false},
		{"a role's body edited after that", func() { appendFile(t, backend, "\nSixth.\n") }, -1, false, false},
		// A role's date dates its page and the lists that show it in the
		// sitemap.
		{"a role's date changed", func() { edit(t, backend, "updated: 2026-11-20", "updated: 2026-12-01") }, -1, false, false},
		{"a date given to a role without one", func() {
			edit(t, filepath.Join(roles, "site-reliability-engineer.md"), "weight: 5\r\n", "weight: 5\r\nupdated: 2026-12-02\r\n") // CRLF: see smallGuide
		}, -1, false, false},
		{"a role's date taken away", func() { edit(t, backend, "updated: 2026-12-01\n", "") }, -1, false, false},
		{"the cache damaged", func() {
			cacheFile := lastRoleCache(t, opts.CacheDir, dest)
			b, err := os.ReadFile(cacheFile)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 1
			os.WriteFile(cacheFile, b, 0o644)
			appendFile(t, backend, "\nSeventh.\n")
		}, 0, false, false},
		{"the cache back, a role edited", func() { os.WriteFile(backend, original, 0o644) }, -1, false, false},
		{"the cache gone", func() {
			os.Remove(lastRoleCache(t, opts.CacheDir, dest))
			appendFile(t, backend, "\nEighth.\n")
		}, 0, false, false},
		{"a role removed", func() { os.Remove(filepath.Join(roles, "new-role.md")) }, 0, false, false},
		{"a layout of the guide's own", func() {
			os.MkdirAll(filepath.Join(src, "layouts"), 0o755)
			os.WriteFile(filepath.Join(src, "layouts/category.html"), []byte(`{{ define "main" }}{{ range .Site.Roles }}<p>{{ .Summary }}</p>{{ end }}{{ end }}`), 0o644)
		}, 0, false, false},
		{"a role's summary edited, with that layout", func() {
			edit(t, filepath.Join(roles, "recruiter.md"), `summary = "`, `summary = "Again. `)
		}, -1, false, false},
	}
	for _, s := range steps {
		s.change()
		res, err := Publish(context.Background(), src, dest, opts)
		if s.fails {
			var de *diag.Errors
			if !errors.As(err, &de) {
				t.Fatalf("%s: got %v; want content errors", s.what, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		want := s.reused
		if want < 0 {
			want += res.Roles
		}
		if res.Reused != want {
			t.Errorf("%s: %d of %d roles taken from the cache; want %d", s.what, res.Reused, res.Roles, want)
		}
		// An unchanged role's page and search file are kept, and with the
		// default layouts, so are some list pages.
		if res.Kept < 2*res.Reused {
			t.Errorf("%s: %d files kept for %d roles", s.what, res.Kept, res.Reused)
		}
		if custom := strings.Contains(s.what, "layout"); res.Reused > 0 {
			if n, _ := sharedFiles(t, dest, "categories/*/index.html", "categories/*/page/*/index.html"); (n > 0) == custom {
				t.Errorf("%s: %d category pages kept", s.what, n)
			}
		}
		// And so are most search shards when the statistics stay.
		if s.keepsShards {
			if n, all := sharedFiles(t, dest, "search/*/t/*.js"); n*2 < all {
				t.Errorf("%s: %d of %d search shards kept", s.what, n, all)
			}
		}
		fresh, freshRes := buildFresh(t, src, opts)
		if got := publishtest.Tree(t, dest); !maps.Equal(got, fresh) {
			t.Errorf("%s: the destination differs from a build with no cache: %s", s.what, treeDiff(got, fresh))
		}
		if !slices.Equal(res.Warnings, freshRes.Warnings) || res.Roles != freshRes.Roles ||
			res.Questions != freshRes.Questions || res.Files != freshRes.Files {
			t.Errorf("%s: %d roles, %d questions, %d files, warnings %v; a build with no cache says %d, %d, %d, %v",
				s.what, res.Roles, res.Questions, res.Files, res.Warnings, freshRes.Roles, freshRes.Questions, freshRes.Files, freshRes.Warnings)
		}
	}
}

// edit replaces old with new in the file name, which must hold it.
func edit(t *testing.T, name, old, new string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s does not hold %q", name, old)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildFresh builds src with no cache into a new folder and returns its
// files and the result.
func buildFresh(t *testing.T, src string, opts Options) (map[string]string, *Result) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	opts.CacheDir = ""
	res, err := Publish(context.Background(), src, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return publishtest.Tree(t, out), res
}

// treeDiff names the files two trees disagree on.
func treeDiff(a, b map[string]string) string {
	var out []string
	for p := range a {
		if b[p] != a[p] {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// A roles cache cut short or with a byte changed anywhere is refused as a
// whole; one intact is read back as it was written.
func TestRoleCacheRefusesDamage(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	res, err := Publish(context.Background(), src, dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	name := lastRoleCache(t, opts.CacheDir, dest)
	good, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := openRoleCache(name)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again")
	if err := writeRoleCache(again, c); err != nil {
		t.Fatal(err)
	}
	// Written over a longer file, as over the slot of two builds ago.
	over := filepath.Join(t.TempDir(), "over")
	if err := os.WriteFile(over, bytes.Repeat([]byte{7}, 2*len(good)+100), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeRoleCache(over, c); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if b, _ := os.ReadFile(again); !bytes.Equal(b, good) {
		t.Error("a cache read and written again differs")
	}
	if b, _ := os.ReadFile(over); !bytes.Equal(b, good) {
		t.Errorf("a cache written over a longer file differs: %d bytes; want %d", len(b), len(good))
	}
	if len(c.order) != res.Roles {
		t.Errorf("the cache holds %d roles; want the guide's %d", len(c.order), res.Roles)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	for _, n := range []int{0, 5, len(roleCacheMagic) + 2, len(good) / 3, len(good) - 5, len(good) - 1} {
		os.WriteFile(bad, good[:n], 0o644)
		if c, err := openRoleCache(bad); err == nil {
			c.Close()
			t.Errorf("a cache cut to %d of %d bytes was read", n, len(good))
		}
	}
	for i := 0; i < len(good); i += max(1, len(good)/97) {
		b := bytes.Clone(good)
		b[i] ^= 0x10
		os.WriteFile(bad, b, 0o644)
		if c, err := openRoleCache(bad); err == nil {
			c.Close()
			t.Errorf("a cache with byte %d changed was read", i)
		}
	}
}

// sharedFiles counts the files under dest that match the patterns and
// share their bytes with another name (the spare beside dest, for a file
// kept from the last build), and all of them.
func sharedFiles(t *testing.T, dest string, patterns ...string) (shared, all int) {
	t.Helper()
	for _, pattern := range patterns {
		names, err := filepath.Glob(filepath.Join(dest, filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			info, err := os.Lstat(name)
			if err != nil {
				t.Fatal(err)
			}
			n, ok := linkCount(info)
			if !ok {
				t.Skip("no link counts here")
			}
			if n > 1 {
				shared++
			}
			all++
		}
	}
	return shared, all
}

// A saved search index that was not saved with the roles cache beside it
// (a build killed between putting the two in place) is not used with it:
// not one of an older guide, nor one of another build of the same guide.
func TestSavedIndexGoesWithItsRolesCache(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir(), shardBudget: 400}
	backend := filepath.Join(src, "content/roles/backend-developer.md")
	publish := func() *Result {
		t.Helper()
		res, err := Publish(context.Background(), src, dest, opts)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	publish()
	stale, err := os.ReadFile(indexPath(lastRoleCache(t, opts.CacheDir, dest)))
	if err != nil {
		t.Fatal(err)
	}
	// A question's words change, so the dictionary of the next cache has
	// terms the stale index does not know.
	edit(t, backend, "When do you add a database index?", "When do you add a zwirbel index?")
	publish()
	name := lastRoleCache(t, opts.CacheDir, dest)
	if err := os.WriteFile(indexPath(name), stale, 0o644); err != nil {
		t.Fatal(err)
	}
	edit(t, backend, "zwirbel", "quorkle")
	if res := publish(); res.Reused == 0 {
		t.Fatal("the roles cache was not used")
	}
	fresh, _ := buildFresh(t, src, opts)
	if got := publishtest.Tree(t, dest); !maps.Equal(got, fresh) {
		t.Errorf("the destination differs from a build with no cache: %s", treeDiff(got, fresh))
	}

	// Two builds of the same guide have the same version and stamp, but
	// may number terms differently: the tag tells them apart.
	name = lastRoleCache(t, opts.CacheDir, dest)
	c, err := openRoleCache(name)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if s, f := openSavedIndex(indexPath(name), c.tag, c.version); s == nil {
		t.Fatal("the index saved with the roles cache was not read")
	} else {
		f.Close()
	}
	if s, f := openSavedIndex(indexPath(name), "another build", c.version); s != nil {
		f.Close()
		t.Error("an index saved with another roles cache was read")
	}
}

// lastRoleCache is where the last build to dest left its roles cache: the
// slot its record names.
func lastRoleCache(t *testing.T, cacheDir, dest string) string {
	t.Helper()
	rec := readRecord(cacheDir, dest)
	if rec == nil {
		t.Fatal("no record of the last build")
	}
	name, err := roleCachePath(cacheDir, dest, rec.Slot)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// The caches an older guide left beside a record, before builds took
// turns in two slots, are removed by the next build's record.
func TestOldCachesRemoved(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	rec, err := recordPath(opts.CacheDir, dest)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.TrimSuffix(rec, ".record") + ".roles"
	for _, name := range []string{old, old + ".index"} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("an older cache"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{old, old + ".index"} {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s is still there", filepath.Base(name))
		}
	}
}
