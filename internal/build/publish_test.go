package build

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"

	"github.com/guide-build/guide/internal/publish/publishtest"
)

// writeGuide puts the small test guide on disk.
func writeGuide(t testing.TB, dir string) {
	t.Helper()
	for name, f := range smallGuide(t) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file under dir, with its mode and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		var body []byte
		if !d.IsDir() {
			if body, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[p] = info.Mode().String() + " " + info.ModTime().String() + " " + string(body)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A FIFO among the role files, with or without the cache, is an error
// that names it, at once: the build neither waits for a writer nor
// touches the last output.
func TestFIFOAmongRolesFailsTheBuild(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(src, "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dest)
	if err := mkfifo(filepath.Join(src, "content/roles/pipe.md")); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	for _, noCache := range []bool{false, true} {
		opts.NoCache = noCache
		done := make(chan error, 1)
		go func() {
			_, err := Publish(context.Background(), src, dest, opts)
			done <- err
		}()
		select {
		case err := <-done:
			var de *diag.Errors
			if !errors.As(err, &de) || len(de.List) != 1 || de.List[0].String() != "content/roles/pipe.md: reading: not a regular file but a FIFO" {
				t.Errorf("no cache %v: got %v; want the FIFO refused", noCache, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("no cache %v: the build waits on a FIFO", noCache)
		}
		if after := snapshot(t, dest); !maps.Equal(before, after) {
			t.Errorf("no cache %v: a failed build changed the destination", noCache)
		}
	}
}

func TestFailedBuildKeepsOldOutput(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(src, "public")
	opts := Options{Theme: guide.Theme}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dest)
	if len(before) < 20 {
		t.Fatalf("only %d entries in the first build", len(before))
	}

	// Break one role and add a new one: nothing of either may appear.
	broken := "---\ntitle: Broken\ndepartment: Eng\nsummary: S\nquestions:\n  - q: Q?\n    category: nope\n    look-for: L\n---\n"
	os.WriteFile(filepath.Join(src, "content/roles/broken.md"), []byte(broken), 0o644)
	os.WriteFile(filepath.Join(src, "content/roles/new-role.md"), []byte("---\ntitle: New\ndepartment: Eng\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n"), 0o644)
	_, err := Publish(context.Background(), src, dest, opts)
	var de *diag.Errors
	if !errors.As(err, &de) {
		t.Fatalf("got %v; want content errors", err)
	}
	if after := snapshot(t, dest); !maps.Equal(before, after) {
		t.Errorf("a failed build changed the destination")
	}
	assertNoLeftovers(t, src)

	// A build interrupted part way leaves it alone too.
	os.Remove(filepath.Join(src, "content/roles/broken.md"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Publish(ctx, src, dest, opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v; want context.Canceled", err)
	}
	if after := snapshot(t, dest); !maps.Equal(before, after) {
		t.Errorf("an interrupted build changed the destination")
	}
	assertNoLeftovers(t, src)

	// And a good build replaces it.
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "roles/new-role/index.html")); err != nil {
		t.Errorf("the new role is missing after a good build: %v", err)
	}
}

func assertNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*"))
	if len(matches) > 0 {
		t.Errorf("temporary folders left behind: %v", matches)
	}
}

func TestBuildRefusesSourceAsDestination(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	before := snapshot(t, src)
	_, err := Publish(context.Background(), src, src, Options{Theme: guide.Theme})
	if err == nil {
		t.Fatal("building into the source folder succeeded")
	}
	if after := snapshot(t, src); !maps.Equal(before, after) {
		t.Errorf("the source folder changed")
	}
	if locks, _ := filepath.Glob(filepath.Join(filepath.Dir(src), ".*.lock")); len(locks) > 0 {
		t.Errorf("a refused build left %v beside the source folder", locks)
	}
}

func TestRebuildWithNothingNewStopsEarly(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(src, "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	publish := func(opts Options, wantUpToDate bool) *Result {
		t.Helper()
		res, err := Publish(context.Background(), src, dest, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.UpToDate != wantUpToDate {
			t.Fatalf("UpToDate = %v; want %v", res.UpToDate, wantUpToDate)
		}
		return res
	}
	first := publish(opts, false)
	built := snapshot(t, dest)
	again := publish(opts, true)
	if !maps.Equal(built, snapshot(t, dest)) {
		t.Errorf("an up-to-date build changed the destination")
	}
	if again.Roles != first.Roles || again.Questions != first.Questions || again.Files != first.Files ||
		len(again.Warnings) != len(first.Warnings) {
		t.Errorf("up to date: %d roles, %d questions, %d files, %d warnings; the build said %d, %d, %d, %d",
			again.Roles, again.Questions, again.Files, len(again.Warnings), first.Roles, first.Questions, first.Files, len(first.Warnings))
	}

	// Each of these must make a real build, after which the next is up to
	// date again.
	role := filepath.Join(src, "content/roles/backend-developer.md")
	changes := []struct {
		what   string
		change func()
		opts   Options
	}{
		{"a role edited", func() { appendFile(t, role, "\nOne more paragraph.\n") }, opts},
		{"a role added", func() {
			os.WriteFile(filepath.Join(src, "content/roles/new-role.md"), []byte("---\ntitle: New\ndepartment: Eng\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n"), 0o644)
		}, opts},
		{"guide.yaml edited", func() { appendFile(t, filepath.Join(src, "guide.yaml"), "\n# a comment\n") }, opts},
		{"a layout added", func() {
			os.MkdirAll(filepath.Join(src, "layouts/partials"), 0o755)
			os.WriteFile(filepath.Join(src, "layouts/partials/footer.html"), []byte(`<footer>Ours</footer>`), 0o644)
		}, opts},
		{"the home intro edited", func() { appendFile(t, filepath.Join(src, "content/_index.md"), "\nMore.\n") }, opts},
		{"an asset added", func() {
			os.MkdirAll(filepath.Join(src, "assets"), 0o755)
			os.WriteFile(filepath.Join(src, "assets/extra.txt"), []byte("x"), 0o644)
		}, opts},
		{"an asset edited", func() { appendFile(t, filepath.Join(src, "assets/extra.txt"), "y") }, opts},
		{"an output file edited", func() { appendFile(t, filepath.Join(dest, "index.html"), "<!-- hand edit -->") }, opts},
		{"an output file edited, same size", func() {
			name := filepath.Join(dest, "robots.txt")
			b, err := os.ReadFile(name)
			if err != nil || len(b) == 0 {
				t.Fatal(err)
			}
			b[0] ^= 0x20
			os.WriteFile(name, b, 0o644)
		}, opts},
		{"an output file deleted", func() { os.Remove(filepath.Join(dest, "sitemap.xml")) }, opts},
		{"a file added to the output", func() { os.WriteFile(filepath.Join(dest, "stray.html"), []byte("x"), 0o644) }, opts},
		{"another base URL", func() {}, Options{Theme: guide.Theme, CacheDir: opts.CacheDir, BaseURL: "https://other.example/"}},
		{"drafts", func() {}, Options{Theme: guide.Theme, CacheDir: opts.CacheDir, Drafts: true}},
		{"the base URL back", func() {}, opts},
		{"another default theme", func() {}, Options{Theme: otherTheme(t), CacheDir: opts.CacheDir}},
		{"the default theme back", func() {}, opts},
	}
	for _, c := range changes {
		c.change()
		publish(c.opts, false)
		want := snapshot(t, dest)
		if fresh := buildElsewhere(t, src, c.opts); !maps.Equal(publishtest.Tree(t, dest), fresh) {
			t.Errorf("%s: the destination differs from a fresh build", c.what)
		}
		publish(c.opts, true)
		if !maps.Equal(want, snapshot(t, dest)) {
			t.Errorf("%s: the up-to-date build changed the destination", c.what)
		}
	}

	// --no-cache always builds.
	publish(Options{Theme: guide.Theme, CacheDir: opts.CacheDir, NoCache: true}, false)
}

func appendFile(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// buildElsewhere builds src with no cache into a new folder and returns its
// files.
func buildElsewhere(t *testing.T, src string, opts Options) map[string]string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	opts.CacheDir = ""
	if _, err := Publish(context.Background(), src, out, opts); err != nil {
		t.Fatal(err)
	}
	return publishtest.Tree(t, out)
}

// otherTheme is the default theme with one layout changed.
func otherTheme(t *testing.T) fs.FS {
	t.Helper()
	theme := fstest.MapFS{}
	err := fs.WalkDir(guide.Theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(guide.Theme, p)
		theme[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f := theme["layouts/partials/footer.html"]
	f.Data = append(f.Data, []byte("<!-- another theme -->")...)
	return theme
}

func TestBuildsToOneDestinationAtOnce(t *testing.T) {
	srcA, srcB := t.TempDir(), t.TempDir()
	writeGuide(t, srcA)
	writeGuide(t, srcB)
	appendFile(t, filepath.Join(srcB, "content/roles/backend-developer.md"), "\nOnly in B.\n")
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			src := srcA
			if i%2 == 1 {
				src = srcB
			}
			if _, err := Publish(context.Background(), src, dest, opts); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Whatever order they ran in, the record matches the destination: a
	// build of A now leaves exactly A's site.
	for _, src := range []string{srcA, srcB, srcA} {
		if _, err := Publish(context.Background(), src, dest, opts); err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(publishtest.Tree(t, dest), buildElsewhere(t, src, opts)) {
			t.Errorf("after builds at once, building %s does not give its site", filepath.Base(src))
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) > 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the destination: %v; want it, one spare and the lock", names)
	}
}

func TestChangedSinceTheStamp(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	opts := Options{Theme: guide.Theme}
	st, err := stamp(src, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if changedSince(src, st.files, nil) {
		t.Fatal("nothing changed, but changedSince says something did")
	}
	for _, c := range []struct {
		what   string
		change func()
	}{
		{"a role edited", func() { appendFile(t, filepath.Join(src, "content/roles/backend-developer.md"), "\nMore.\n") }},
		{"a layout added", func() {
			os.MkdirAll(filepath.Join(src, "layouts"), 0o755)
			os.WriteFile(filepath.Join(src, "layouts/404.html"), []byte(`{{ define "main" }}gone{{ end }}`), 0o644)
		}},
		{"a role removed", func() { os.Remove(filepath.Join(src, "content/roles/backend-developer.md")) }},
	} {
		st, err := stamp(src, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.change()
		if !changedSince(src, st.files, nil) {
			t.Errorf("%s: changedSince says nothing changed", c.what)
		}
	}

	// A role the build took from the cache, unread, may change: the
	// output holds it as stamped. Anything else read, added or removed
	// counts.
	src = t.TempDir()
	writeGuide(t, src)
	unread := map[string]bool{"content/roles/backend-developer.md": true}
	for _, c := range []struct {
		what    string
		change  func()
		changed bool
	}{
		{"an unread role edited", func() { appendFile(t, filepath.Join(src, "content/roles/backend-developer.md"), "\nMore.\n") }, false},
		{"guide.yaml edited", func() { appendFile(t, filepath.Join(src, "guide.yaml"), "\n") }, true},
		{"a role added", func() {
			os.WriteFile(filepath.Join(src, "content/roles/new.md"), []byte("---\ntitle: New\n---\n"), 0o644)
		}, true},
		{"an unread role removed", func() { os.Remove(filepath.Join(src, "content/roles/backend-developer.md")) }, true},
	} {
		st, err := stamp(src, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.change()
		if got := changedSince(src, st.files, unread); got != c.changed {
			t.Errorf("%s, with the role unread: changedSince = %v; want %v", c.what, got, c.changed)
		}
		os.Remove(filepath.Join(src, "content/roles/new.md"))
		writeGuide(t, src)
	}
}

// A role file saved while a rebuild runs, after the stamp, and saved again
// after the build: the rebuild took the role from the cache without
// reading it, read it as saved, or read it for its header and found the
// bytes the cache holds. Whichever, the next build gives the site of the
// files as they are.
func TestRoleSavedDuringARebuild(t *testing.T) {
	const backend, recruiter = "content/roles/backend-developer.md", "content/roles/recruiter.md"
	for _, c := range []struct {
		what string
		// edited is changed before the build; saved, during it, to
		// during(its bytes then), and after it back to its bytes before
		// the build.
		edited, saved string
		during        func(b []byte) []byte
		reused        bool
	}{
		{"a role taken from the cache", backend, recruiter, appending("Saved during the build."), true},
		{"the role rebuilt", backend, backend, appending("Saved during the build."), false},
		{"a role saved back to the bytes the cache holds", recruiter, recruiter, unedit, true},
	} {
		t.Run(c.what, func(t *testing.T) {
			src := t.TempDir()
			writeGuide(t, src)
			dest := filepath.Join(t.TempDir(), "public")
			opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
			if _, err := Publish(context.Background(), src, dest, opts); err != nil {
				t.Fatal(err)
			}
			appendFile(t, filepath.Join(src, c.edited), editLine)
			saved := filepath.Join(src, c.saved)
			read := func() []byte {
				t.Helper()
				b, err := os.ReadFile(saved)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			write := func(b []byte) {
				t.Helper()
				if err := os.WriteFile(saved, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := read()
			afterStamp = func() { write(c.during(read())) }
			res, err := Publish(context.Background(), src, dest, opts)
			afterStamp = nil
			if err != nil {
				t.Fatal(err)
			}
			if c.reused && res.Reused == 0 {
				t.Fatal("the rebuild took no role from the cache")
			}
			write(before)
			if _, err := Publish(context.Background(), src, dest, opts); err != nil {
				t.Fatal(err)
			}
			if got, want := publishtest.Tree(t, dest), buildElsewhere(t, src, opts); !maps.Equal(got, want) {
				t.Error("the destination is not the site of the files as they are")
			}
		})
	}
}

// editLine is what a test appends to a role to edit it.
const editLine = "\nEdited before the build.\n"

// appending returns what appends a line of text; unedit takes editLine
// off again.
func appending(text string) func([]byte) []byte {
	return func(b []byte) []byte { return append(slices.Clip(b), "\n"+text+"\n"...) }
}

func unedit(b []byte) []byte { return bytes.TrimSuffix(b, []byte(editLine)) }

// Records of destinations not built for a month are removed when another
// is written; recent ones, and other files, stay.
func TestOldRecordsArePruned(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	cache := t.TempDir()
	outputs := filepath.Join(cache, "outputs")
	if err := os.MkdirAll(outputs, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-recordAge - time.Hour)
	files := map[string]time.Time{
		"0123456789abcdef.json":     old,
		"1111111111111111.json.tmp": old,
		"2222222222222222.json":     time.Now().Add(-recordAge + 24*time.Hour),
		"notes.txt":                 old,
	}
	for name, mtime := range files {
		p := filepath.Join(outputs, name)
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Publish(context.Background(), src, dest, Options{Theme: guide.Theme, CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	entries, _ := os.ReadDir(outputs)
	for _, e := range entries {
		left[e.Name()] = true
	}
	own, _ := recordPath(cache, dest)
	for name, want := range map[string]bool{
		"0123456789abcdef.json":     false,
		"1111111111111111.json.tmp": false,
		"2222222222222222.json":     true,
		"notes.txt":                 true,
		filepath.Base(own):          true,
	} {
		if left[name] != want {
			t.Errorf("%s left: %v; want %v", name, left[name], want)
		}
	}
}

// The stamp takes a file's hash from the last record when its size and
// modification time are the same and the time is well before the last
// stamp; else it reads the file.
func TestStampTrustsOnlyOldTimes(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	opts := Options{Theme: guide.Theme}
	role := filepath.Join(src, "content/roles/backend-developer.md")
	const path = "content/roles/backend-developer.md"
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(role, old, old); err != nil {
		t.Fatal(err)
	}
	first, err := stamp(src, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A record taken at the time given that says the role has other
	// bytes, with its size and times.
	fake := [32]byte{0xab, 0xab}
	recordAt := func(taken int64) *record {
		rec := &record{Taken: taken}
		for i, f := range first.files {
			in := inputStat{f, first.ctimes[i], first.sums[i]}
			if f.Path == path {
				in.Sum = fake
			}
			rec.Inputs = append(rec.Inputs, in)
		}
		return rec
	}
	trusted := func(rec *record) bool {
		t.Helper()
		st, err := stamp(src, opts, rec)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range st.files {
			if f.Path == path {
				return st.sums[i] == fake
			}
		}
		t.Fatalf("no %s in the stamp", path)
		return false
	}
	var changed, ctime int64
	for i, f := range first.files {
		if f.Path == path {
			changed, ctime = max(f.MTime, first.ctimes[i]), first.ctimes[i]
		}
	}
	if !trusted(recordAt(changed + int64(time.Hour))) {
		t.Errorf("the role, unchanged and changed an hour before the last stamp, was read again")
	}
	if trusted(recordAt(changed + int64(time.Second))) {
		t.Errorf("the role, changed within %v of the last stamp, was taken from the record", trustedAge)
	}
	// Its time set back after a change is a change: the change time moves.
	if ctime != 0 { // known here
		time.Sleep(10 * time.Millisecond)
		if err := os.Chtimes(role, old, old); err != nil {
			t.Fatal(err)
		}
		if trusted(recordAt(changed + int64(time.Hour))) {
			t.Errorf("the role, its modification time set back, was taken from the record")
		}
	}
	// Another time and the file is read: same bytes, same stamp.
	if err := os.Chtimes(role, old.Add(time.Second), old.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	again, err := stamp(src, opts, recordAt(changed+int64(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if again.sum != first.sum {
		t.Error("a file with another time gave another stamp although its bytes are the same")
	}
}

// A build that tunes the garbage collector, for its check and for the
// build itself, leaves the program's settings as they were.
func TestTunedBuildRestoresGCSettings(t *testing.T) {
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(t.TempDir(), "public")
	gc := debug.SetGCPercent(150)
	limit := debug.SetMemoryLimit(3 << 30)
	defer func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}()
	cached := Options{Theme: guide.Theme, CacheDir: t.TempDir(), TuneGC: true}
	cold := cached
	cold.NoCache = true
	// A cold build, then one with a record, then one told not to use it.
	for _, opts := range []Options{cached, cached, cold} {
		appendFile(t, filepath.Join(src, "content/roles/backend-developer.md"), "\nMore.\n")
		if _, err := Publish(context.Background(), src, dest, opts); err != nil {
			t.Fatal(err)
		}
		if got := debug.SetGCPercent(150); got != 150 {
			t.Errorf("after the build, GC percent = %d; want 150", got)
		}
		if got := debug.SetMemoryLimit(3 << 30); got != 3<<30 {
			t.Errorf("after the build, memory limit = %d; want %d", got, int64(3<<30))
		}
	}
}
