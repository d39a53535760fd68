package build

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"
)

var update = flag.Bool("update", false, "rewrite golden files")

// memSink keeps every file in memory.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memSink) Put(p string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	if _, dup := m.files[p]; dup {
		return errors.New("duplicate file " + p)
	}
	m.files[p] = bytes.Clone(b)
	return nil
}

// readArchive loads a txtar archive as a file system.
func readArchive(t testing.TB, file string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// smallGuide is testdata/small.txtar with one role saved the way some
// editors do: CRLF line ends and a byte-order mark.
func smallGuide(t testing.TB) fstest.MapFS {
	fsys := readArchive(t, "testdata/small.txtar")
	sre := fsys["content/roles/site-reliability-engineer.md"]
	sre.Data = append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(sre.Data, []byte("\n"), []byte("\r\n"))...)
	return fsys
}

func buildFS(t testing.TB, fsys fstest.MapFS, opts Options) (map[string][]byte, *Result, error) {
	t.Helper()
	if opts.Theme == nil {
		opts.Theme = guide.Theme
	}
	sink := &memSink{}
	res, err := Run(context.Background(), fsys, opts, sink)
	return sink.files, res, err
}

func mustBuild(t testing.TB, fsys fstest.MapFS, opts Options) map[string][]byte {
	t.Helper()
	files, res, err := buildFS(t, fsys, opts)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	if len(res.Warnings) > 0 {
		t.Fatalf("unexpected warnings:\n%v", (&diag.Errors{List: res.Warnings}).Error())
	}
	return files
}

// readable breaks minified markup into one tag per line so that golden
// diffs can be reviewed.
func readable(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("><"), []byte(">\n<"))
}

func TestBuildMatchesGolden(t *testing.T) {
	files := mustBuild(t, smallGuide(t), Options{})
	var a txtar.Archive
	a.Comment = []byte("Output of testdata/small.txtar, one tag per line. Regenerate with go test -update.\n")
	// Asset fingerprints change with every edit of the theme's CSS or JS;
	// the golden file shows where they are used, not their value.
	fingerprint := regexp.MustCompile(`(assets/[a-z]+)\.[0-9a-f]{10}\.(css|js)`)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if strings.HasPrefix(name, "assets/") {
			a.Comment = append(a.Comment, fingerprint.ReplaceAll([]byte("asset: "+name+"\n"), []byte("$1.HASH.$2"))...)
			continue
		}
		data := fingerprint.ReplaceAll(readable(files[name]), []byte("$1.HASH.$2"))
		if !bytes.HasSuffix(data, []byte("\n")) {
			data = append(data, '\n')
		}
		a.Files = append(a.Files, txtar.File{Name: name, Data: data})
	}
	got := txtar.Format(&a)
	golden := filepath.Join("testdata", "small.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gotA, wantA := txtar.Parse(got), txtar.Parse(want)
		for i := 0; i < max(len(gotA.Files), len(wantA.Files)); i++ {
			var g, w txtar.File
			if i < len(gotA.Files) {
				g = gotA.Files[i]
			}
			if i < len(wantA.Files) {
				w = wantA.Files[i]
			}
			if g.Name != w.Name || !bytes.Equal(g.Data, w.Data) {
				t.Fatalf("output differs from %s, first at %s / %s:\ngot:\n%s\nwant:\n%s\n(run go test -update and review the diff)", golden, g.Name, w.Name, firstDiff(g.Data, w.Data), firstDiff(w.Data, g.Data))
			}
		}
		t.Fatalf("output differs from %s in its list of files:\n%s", golden, a.Comment)
	}
}

// firstDiff returns the lines of a around the first line that differs from b.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return strings.Join(al[max(0, i-2):min(len(al), i+3)], "\n")
		}
	}
	return "(prefix of the other)"
}

func TestBuildIsDeterministic(t *testing.T) {
	one := mustBuild(t, smallGuide(t), Options{Workers: 1})
	many := mustBuild(t, smallGuide(t), Options{Workers: 8})
	if !maps.EqualFunc(one, many, bytes.Equal) {
		for name := range one {
			if !bytes.Equal(one[name], many[name]) {
				t.Errorf("%s differs between a 1-worker and an 8-worker build", name)
			}
		}
		t.Fatalf("builds differ: %d and %d files", len(one), len(many))
	}
}

// The category pages read the questions back from a temporary file; without
// a temporary folder they are kept in memory, and the pages are the same.
func TestBuildWithoutTemporaryFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("TMPDIR is not where Windows looks")
	}
	want := mustBuild(t, smallGuide(t), Options{})
	t.Setenv("TMPDIR", "/nonexistent/guide-test")
	got := mustBuild(t, smallGuide(t), Options{})
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Fatal("a build without a temporary folder differs")
	}
	if len(want["categories/technical/index.html"]) < 1000 {
		t.Fatal("the technical category page is missing or empty")
	}
}

func TestBuildCounts(t *testing.T) {
	_, res, err := buildFS(t, smallGuide(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Roles != 3 || res.Questions != 7 {
		t.Errorf("got %d roles, %d questions; want 3 roles (the draft left out), 7 questions", res.Roles, res.Questions)
	}
	_, res, err = buildFS(t, smallGuide(t), Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Roles != 4 {
		t.Errorf("with drafts: got %d roles; want 4", res.Roles)
	}
}

func TestBaseURLOverride(t *testing.T) {
	files := mustBuild(t, smallGuide(t), Options{BaseURL: "https://preview.example.net/pr-7"})
	sitemap := string(files["sitemap.xml"])
	if !strings.Contains(sitemap, "<loc>https://preview.example.net/pr-7/roles/recruiter/</loc>") {
		t.Errorf("sitemap does not use the --base-url override:\n%s", sitemap)
	}
	if strings.Contains(sitemap, "example.org") {
		t.Errorf("sitemap still mentions guide.yaml's base-url")
	}
}

// The phases of a build count the collections that ran in each: their sum
// is at most what ran during the build, and a build of a hundred roles
// makes some.
func TestPhasesCountCollections(t *testing.T) {
	before := collections()
	res, err := Run(context.Background(), corpus(100), Options{Theme: guide.Theme}, discard{})
	if err != nil {
		t.Fatal(err)
	}
	ran := collections() - before
	var counted uint64
	for _, p := range res.Phases {
		counted += p.Collections
	}
	if counted == 0 || counted > ran {
		t.Errorf("the phases counted %d collections; %d ran during the build", counted, ran)
	}
}
