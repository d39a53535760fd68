package build

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/content"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/search"
	"github.com/guide-build/guide/internal/site"
)

// discard is a sink that drops every file, so benchmarks measure the
// pipeline rather than the disk.
type discard struct{}

func (discard) Put(string, []byte) error { return nil }

// corpus makes a synthetic guide of n roles shaped like the bench corpus in
// ../shared/bench (16 questions over three categories, 4 FAQ entries, a
// body of a few paragraphs), deterministically.
func corpus(n int) fstest.MapFS {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(`database index cache latency throughput query schema migration transaction
replication shard partition request response endpoint token session incident outage deployment rollback
pipeline test review merge memory thread lock queue stream event retry timeout budget forecast roadmap
stakeholder customer feedback mentoring priority deadline ownership team design model metric alert`)
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
			if i > 2 && r.IntN(12) == 0 {
				ws[i] = "*" + ws[i] + "*"
			}
		}
		return strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:] + "."
	}
	fsys := fstest.MapFS{"guide.yaml": {Data: []byte(`title: Bench
base-url: https://example.org/
categories:
  - {key: technical, title: Technical}
  - {key: behavioral, title: Behavioral}
  - {key: situational, title: Situational}
`)}}
	cats := []string{"technical", "technical", "behavioral", "situational"}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Role %d\ndepartment: Dept %d\nsummary: %s\nquestions:\n", i, i%12, text(50))
		for range 16 {
			q := strings.TrimSuffix(text(18), ".")
			fmt.Fprintf(&b, "  - q: %s?\n    category: %s\n    look-for: %s\n", q, cats[r.IntN(len(cats))], text(30))
		}
		b.WriteString("faq:\n")
		for range 4 {
			fmt.Fprintf(&b, "  - q: %s\n    a: %s\n", text(10), text(45))
		}
		fmt.Fprintf(&b, "---\n%s\n\n- %s\n- %s\n\n%s\n", text(80), text(6), text(6), text(80))
		fsys[fmt.Sprintf("content/roles/role-%d.md", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000} {
		fsys := corpus(n)
		b.Run(fmt.Sprintf("roles=%d", n), func(b *testing.B) {
			defer reportPeakLive(b)()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(context.Background(), fsys, Options{Theme: guide.Theme}, discard{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/role")
		})
	}
}

func BenchmarkParseRole(b *testing.B) {
	fsys := corpus(1)
	cfg, _ := config.Parse(fsys["guide.yaml"].Data, "")
	data := fsys["content/roles/role-0.md"].Data
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if r, d := content.ParseRole("content/roles/role-0.md", data, cfg); r == nil || d.HasErrors() {
			b.Fatal(d)
		}
	}
}

// BenchmarkRenderRole renders one parsed role's page: templates and
// minifying, without parsing.
func BenchmarkRenderRole(b *testing.B) {
	fsys := corpus(20)
	g, diags, err := prepare(context.Background(), fsys, Options{Theme: guide.Theme})
	if err != nil || g == nil {
		b.Fatal(err, diags)
	}
	var d diag.List
	r, err := parseRole(fsys, g.site, g.files[0], &d)
	if err != nil || r == nil || d.HasErrors() {
		b.Fatal(err, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := g.theme.PutRole(g.site, r, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexRoles indexes parsed roles for search: Index.Add, without
// parsing or writing. It uses the first 500 roles of $GUIDE_BENCH_SOURCE
// when set (a realistic vocabulary), else a small synthetic guide.
func BenchmarkIndexRoles(b *testing.B) {
	g, roles := benchRoles(b, 500)
	cats := len(g.site.Categories)
	// One index throughout, as in a build, where each worker's dictionary
	// of words seen is warm after the first few roles.
	x := search.NewIndex()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range roles {
			x.Add(r, cats)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(roles)), "µs/role")
}

// BenchmarkIndexRolesEvicted is BenchmarkIndexRoles with the processor's
// caches emptied between roles, as a build's other work empties them:
// after parsing and rendering a role, the word table is in memory, not in
// a cache. It times Index.Add alone (add-µs/role), not the 64 MB written
// between roles to empty the caches.
func BenchmarkIndexRolesEvicted(b *testing.B) {
	g, roles := benchRoles(b, 500)
	cats := len(g.site.Categories)
	x := search.NewIndex()
	for _, r := range roles {
		x.Add(r, cats) // every word learnt: a build's table is warm after its first roles
	}
	other := make([]uint64, 64<<20/8)
	var add time.Duration
	for b.Loop() {
		for _, r := range roles {
			for i := 0; i < len(other); i += 8 { // a word a cache line
				other[i]++
			}
			t0 := time.Now()
			x.Add(r, cats)
			add += time.Since(t0)
		}
	}
	b.ReportMetric(float64(add.Microseconds())/float64(b.N)/float64(len(roles)), "add-µs/role")
}

func BenchmarkScanHeader(b *testing.B) {
	data := corpus(1)["content/roles/role-0.md"].Data
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := content.ScanHeader("content/roles/role-0.md", data); !ok {
			b.Fatal("no header")
		}
	}
}

func TestBenchCorpusBuilds(t *testing.T) {
	_, res, err := buildFS(t, corpus(30), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Roles != 30 || res.Questions != 480 {
		t.Errorf("got %d roles, %d questions; want 30, 480", res.Roles, res.Questions)
	}
}

// BenchmarkBuildDir builds the guide in $GUIDE_BENCH_SOURCE (for example a
// corpus from ../shared/bench/gencorpus.go) into a discarding sink, for
// profiling the pipeline on realistic content:
//
//	GUIDE_BENCH_SOURCE=/tmp/guide-bench/corpus-1000 go test -run XXX \
//	    -bench BuildDir -cpuprofile cpu.out ./internal/build
func BenchmarkBuildDir(b *testing.B) {
	dir := os.Getenv("GUIDE_BENCH_SOURCE")
	if dir == "" {
		b.Skip("set GUIDE_BENCH_SOURCE to a guide's folder")
	}
	fsys := os.DirFS(dir)
	b.ReportAllocs()
	defer reportPeakLive(b)()
	for b.Loop() {
		if _, err := Run(context.Background(), fsys, Options{Theme: guide.Theme}, discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexCost publishes the guide in $GUIDE_BENCH_SOURCE to a
// folder with the search index and to another without, in turn, as guide
// build --no-cache does (each output recycled from one build to the next,
// as in ../shared/bench/compare.sh), and reports the median time of each
// and of their difference: what the index adds to a build. It reports the
// CPU time (user and system) the index adds as well, which the machine's
// other work disturbs less than the wall time.
//
// Two builds of each come first, untimed: the first build into a folder
// creates every file, and only the third finds an earlier output set
// aside to recycle, as every build does after a guide's first two.
//
//	GUIDE_BENCH_SOURCE=/tmp/guide-bench/corpus-10000 go test -run XXX \
//	    -bench IndexCost -benchtime 5x ./internal/build
func BenchmarkIndexCost(b *testing.B) {
	dir := os.Getenv("GUIDE_BENCH_SOURCE")
	if dir == "" {
		b.Skip("set GUIDE_BENCH_SOURCE to a guide's folder")
	}
	out := b.TempDir()
	publish := func(index bool) (wall, cpu time.Duration) {
		dest := filepath.Join(out, map[bool]string{true: "index", false: "no-index"}[index])
		t0, c0 := time.Now(), cpuTime()
		opts := Options{Theme: guide.Theme, TuneGC: true, NoCache: true, noIndex: !index}
		if _, err := Publish(context.Background(), dir, dest, opts); err != nil {
			b.Fatal(err)
		}
		wall, cpu = time.Since(t0), cpuTime()-c0
		if _, err := os.Stat(filepath.Join(dest, "search", "meta.js")); (err == nil) != index {
			b.Fatalf("index %v: search/meta.js: %v", index, err)
		}
		return wall, cpu
	}
	for range 2 {
		publish(true)
		publish(false)
	}
	var with, without, diff, cpuWith, cpuDiff []float64
	for b.Loop() {
		w, cw := publish(true)
		wo, cwo := publish(false)
		with, without, diff = append(with, w.Seconds()), append(without, wo.Seconds()), append(diff, (w-wo).Seconds())
		cpuWith, cpuDiff = append(cpuWith, cw.Seconds()), append(cpuDiff, (cw-cwo).Seconds())
	}
	median := func(xs []float64) float64 {
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	b.ReportMetric(median(with), "s-with-index")
	b.ReportMetric(median(without), "s-without")
	b.ReportMetric(median(diff), "s-index-adds")
	if cpuTime() > 0 {
		b.ReportMetric(median(cpuWith), "cpu-s-with-index")
		b.ReportMetric(median(cpuDiff), "cpu-s-index-adds")
	}
}

// reportPeakLive watches the live heap (what survived the latest
// collection) until the function it returns is called, and reports the
// largest it saw as peak-live-MB: what a build's memory limit must leave
// room for, where B/op counts everything ever allocated.
func reportPeakLive(b *testing.B) (stop func()) {
	done := make(chan struct{})
	var peak uint64
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		read()
		b.ReportMetric(float64(peak)/1e6, "peak-live-MB")
	}
}

// BenchmarkIndexWrite computes and encodes the search index of every role
// of $GUIDE_BENCH_SOURCE (else a small synthetic guide) as a build does at
// its end, with the roles' terms in a temporary file: Index.Write, without
// parsing, indexing or writing files.
func BenchmarkIndexWrite(b *testing.B) {
	sp, err := newStore()
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	x := search.NewIndex()
	x.SetStore(sp)
	g, roles := benchRoles(b, -1)
	for _, r := range roles {
		x.Add(r, len(g.site.Categories))
	}
	var files, bytes atomic.Int64
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		err := x.Write(g.site, "v", func(_ string, body []byte) error {
			files.Add(1)
			bytes.Add(int64(len(body)))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if c := cpuTime() - c0; c > 0 {
		b.ReportMetric(c.Seconds()*1e3/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(files.Load())/float64(b.N), "files/op")
	b.ReportMetric(float64(bytes.Load())/float64(b.N)/1e6, "MB/op")
}

// benchRoles loads the guide in $GUIDE_BENCH_SOURCE when set (a realistic
// vocabulary), else a small synthetic guide, and parses its first n roles,
// or all of them if n < 0.
func benchRoles(b *testing.B, n int) (*loaded, []*site.Role) {
	b.Helper()
	var src fs.FS = corpus(100)
	if dir := os.Getenv("GUIDE_BENCH_SOURCE"); dir != "" {
		src = os.DirFS(dir)
	}
	g, diags, err := prepare(context.Background(), src, Options{Theme: guide.Theme})
	if err != nil || g == nil {
		b.Fatal(err, diags)
	}
	files := g.files
	if n >= 0 {
		files = files[:min(len(files), n)]
	}
	var roles []*site.Role
	for _, f := range files {
		var d diag.List
		r, err := parseRole(src, g.site, f, &d)
		if err != nil || r == nil || d.HasErrors() {
			b.Fatal(f, err, d)
		}
		roles = append(roles, r)
	}
	return g, roles
}

// BenchmarkRebuildOneRole publishes a copy of the guide in
// $GUIDE_BENCH_SOURCE (else the small test guide) with a cache, as guide
// build does, then edits one role's summary and publishes again, once per
// iteration: the time of a rebuild after one role changed.
//
//	GUIDE_BENCH_SOURCE=/tmp/guide-bench/corpus-10000 go test -run XXX \
//	    -bench RebuildOneRole -benchtime 5x ./internal/build
func BenchmarkRebuildOneRole(b *testing.B) {
	src := filepath.Join(b.TempDir(), "guide")
	if dir := os.Getenv("GUIDE_BENCH_SOURCE"); dir != "" {
		copyGuide(b, dir, src)
	} else {
		writeGuide(b, src)
	}
	// Files saved an hour ago, as a guide's files mostly are.
	hour := time.Now().Add(-time.Hour)
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, hour, hour)
		}
		return err
	})
	roles, err := filepath.Glob(filepath.Join(src, "content", "roles", "*.md"))
	if err != nil || len(roles) == 0 {
		b.Fatalf("no roles in %s: %v", src, err)
	}
	// A role in the middle that is not a draft.
	roles = slices.DeleteFunc(roles, func(p string) bool {
		data, err := os.ReadFile(p)
		return err != nil || strings.Contains(string(data), "draft")
	})
	role := roles[len(roles)/2]
	dest := filepath.Join(b.TempDir(), "public")
	opts := Options{Theme: guide.Theme, CacheDir: b.TempDir(), TuneGC: true}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		b.Fatal(err)
	}
	original, err := os.ReadFile(role)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	edit := func() {
		n++
		edited := strings.Replace(string(original), "summary:", fmt.Sprintf("summary: Edited %d.", n), 1)
		if edited == string(original) {
			edited = string(original) + fmt.Sprintf("\nEdited %d.\n", n)
		}
		if err := os.WriteFile(role, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	rebuild := func() {
		res, err := Publish(context.Background(), src, dest, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Reused != res.Roles-1 {
			b.Fatalf("%d of %d roles taken from the cache; want all but one", res.Reused, res.Roles)
		}
	}
	// The first two rebuilds link every kept file anew, into a new folder
	// and then into the cold build's: from the third on, the spare shares
	// them already, as it does while a writer edits.
	for range 2 {
		edit()
		rebuild()
	}
	if p := os.Getenv("GUIDE_BENCH_REBUILD_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		edit()
		b.StartTimer()
		rebuild()
	}
}

// copyGuide copies the guide folder from to the folder to.
func copyGuide(b *testing.B, from, to string) {
	b.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if rel == "public" {
				return fs.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}
