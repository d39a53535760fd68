package build

import (
	"context"
	"encoding/hex"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guide-build/guide"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/publish"
	"github.com/guide-build/guide/internal/publish/publishtest"
)

// A record reads back as it was written, and one cut short or with a byte
// changed anywhere is refused.
func TestRecordRoundTrip(t *testing.T) {
	files := []fileStat{
		{"404.html", 120, 1700000000123456789, 2049, 77},
		{"roles/a/index.html", 5000, 1700000000123456790, 2049, 78},
		{"roles/ab/index.html", 0, -5, 0, 0},
		{"roles/b/index.html", 1 << 40, 1, 1 << 63, 1<<64 - 1},
	}
	rec := &record{
		Stamp: "stamp", Roles: 3, Questions: 48, Written: 4,
		Warnings: []diag.Diagnostic{{File: "content/roles/a.md", Line: 12, Col: 3, Severity: diag.Warning, Message: "a warning"}},
		Files:    files,
		Taken:    1700000000000000000,
		Inputs:   []inputStat{{File: fileStat{"content/roles/a.md", 10, 20, 1, 2}, CTime: 30, Sum: [32]byte{1, 2, 3}}, {File: fileStat{"guide.yaml", 11, 21, 1, 3}, CTime: 31}},
		Before:   &output{Stamp: "before", Files: files[1:]},
		Slot:     1,
		Dirs:     []fileStat{{".", 0, 1700000000123456789, 2049, 2}, {"roles", 0, unsure, 2049, 3}},
		Program:  inputStat{File: fileStat{"/usr/bin/guide", 18491929, 1700000000123456000, 2049, 9}, CTime: 1700000000123456001, Sum: [32]byte{9, 8, 7}},
	}
	data, err := rec.encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeRecord(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, rec)
	}
	rec.Before, rec.Warnings = nil, nil
	data2, _ := rec.encode()
	if got, err := decodeRecord(data2); err != nil || !reflect.DeepEqual(got, rec) {
		t.Errorf("without a folder before or warnings, read back %+v, %v", got, err)
	}
	for n := range len(data) {
		if _, err := decodeRecord(data[:n]); err == nil {
			t.Fatalf("read a record cut to %d of %d bytes", n, len(data))
		}
	}
	for i := range data {
		b := []byte(string(data))
		b[i] ^= 0x10
		if _, err := decodeRecord(b); err == nil {
			t.Fatalf("read a record with byte %d of %d changed", i, len(data))
		}
	}
}

// sameOutput sees every change to an output whose folders it does not
// read: a file added, removed, renamed or changed, a folder added or
// replaced. A folder changed too close to when the record was made is read,
// so that a change that leaves its time as it was is seen too.
func TestSameOutput(t *testing.T) {
	layout := []string{"index.html", "roles/a/index.html", "roles/b/index.html", "search/v/r/a.js", "search/v/r/b.js", "search/meta.js"}
	hour := time.Now().Add(-time.Hour)
	// make writes the output and its record; the folders in recent are
	// changed just before the record is made.
	output := func(t *testing.T, recent ...string) (string, *record) {
		dest := t.TempDir()
		for _, p := range layout {
			mkfile(t, filepath.Join(dest, p), p)
		}
		filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
			if err == nil {
				os.Chtimes(p, hour, hour)
			}
			return err
		})
		// The record is made as if three seconds from now, so that the
		// folders' change times, now, are old enough to be sure of; the
		// recent folders get a time just before it.
		done := time.Now().Add(3 * time.Second)
		for _, d := range recent {
			os.Chtimes(filepath.Join(dest, d), done, done)
		}
		files, err := listOutput(dest)
		if err != nil {
			t.Fatal(err)
		}
		dirs, err := outputDirs(dest, files, done, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			if (d.MTime == unsure) != slices.Contains(recent, d.Path) {
				t.Fatalf("folder %s: unsure = %v; want %v", d.Path, d.MTime == unsure, d.MTime != unsure)
			}
		}
		return dest, &record{Files: files, Dirs: dirs}
	}
	changes := []struct {
		name   string
		change func(dest string)
	}{
		{"a file added", func(dest string) { os.WriteFile(filepath.Join(dest, "roles/a/extra.html"), nil, 0o644) }},
		{"a file removed", func(dest string) { os.Remove(filepath.Join(dest, "search/v/r/b.js")) }},
		{"a file renamed", func(dest string) {
			os.Rename(filepath.Join(dest, "search/v/r/b.js"), filepath.Join(dest, "search/v/r/c.js"))
		}},
		{"a file written", func(dest string) { os.WriteFile(filepath.Join(dest, "roles/b/index.html"), []byte("other"), 0o644) }},
		{"a file replaced by a copy of the same time", func(dest string) {
			p := filepath.Join(dest, "index.html")
			os.Remove(p)
			os.WriteFile(p, []byte("index.html"), 0o644)
			os.Chtimes(p, hour, hour)
		}},
		{"a folder added", func(dest string) { os.Mkdir(filepath.Join(dest, "search/v/r/new"), 0o755) }},
		{"a file added, the folder's time set back", func(dest string) {
			os.WriteFile(filepath.Join(dest, "roles/a/extra.html"), nil, 0o644)
			os.Chtimes(filepath.Join(dest, "roles/a"), hour, hour)
		}},
		{"a folder replaced", func(dest string) {
			os.RemoveAll(filepath.Join(dest, "roles/a"))
			mkfile(t, filepath.Join(dest, "roles/a/index.html"), "roles/a/index.html")
		}},
	}
	dest, rec := output(t)
	if !sameOutput(dest, rec) {
		t.Fatal("an untouched output is taken for changed")
	}
	for _, c := range changes {
		dest, rec := output(t)
		c.change(dest)
		if sameOutput(dest, rec) {
			t.Errorf("%s: the output is taken for untouched", c.name)
		}
	}

	// In an unsure folder, a file added with the folder's time set back.
	dest, rec = output(t, "roles/a", ".")
	if !sameOutput(dest, rec) {
		t.Fatal("an untouched output with unsure folders is taken for changed")
	}
	dir := filepath.Join(dest, "roles/a")
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "extra.html"), nil, 0o644)
	os.Chtimes(dir, info.ModTime(), info.ModTime())
	if sameOutput(dest, rec) {
		t.Error("a file added to an unsure folder, its time set back, is not seen")
	}
}

func mkfile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The program's hash is the last record's when the record names the same
// file, unchanged and old enough to be sure of; else it is made again.
func TestProgramOf(t *testing.T) {
	fresh, err := programOf(nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := programSum()
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(fresh.Sum[:]); got != want {
		t.Fatalf("programOf = %s; programSum = %s", got, want)
	}
	later := max(fresh.File.MTime, fresh.CTime) + int64(time.Hour)
	remembered := fresh
	remembered.Sum = [32]byte{1, 2, 3}
	for _, c := range []struct {
		name  string
		prev  *record
		reuse bool
	}{
		{"the same file", &record{Program: remembered, Taken: later}, true},
		{"another size", &record{Program: inputStat{File: fileStat{remembered.File.Path, remembered.File.Size + 1, remembered.File.MTime, remembered.File.Dev, remembered.File.Ino}, CTime: remembered.CTime, Sum: remembered.Sum}, Taken: later}, false},
		{"another change time", &record{Program: inputStat{File: remembered.File, CTime: remembered.CTime + 1, Sum: remembered.Sum}, Taken: later}, false},
		{"changed just before the record", &record{Program: remembered, Taken: max(fresh.File.MTime, fresh.CTime) + int64(trustedAge) - 1}, false},
	} {
		got, err := programOf(c.prev)
		if err != nil {
			t.Fatal(err)
		}
		if reused := got.Sum == remembered.Sum; reused != c.reuse {
			t.Errorf("%s: the record's hash used = %v; want %v", c.name, reused, c.reuse)
		}
	}
}

// A file written into the destination while a build runs, after its check
// and before its commit, lands in the output that build sets aside, which
// the next build recycles as holding only what the check found. That
// output's folders are looked at again once it is set aside, so that the
// file is neither published by the next build nor, its folder's time old
// enough to be trusted, kept for good. (Seven seconds of waiting: folders
// are trusted only two seconds after a build.)
func TestFileWrittenIntoDestinationDuringBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for folders to be trusted")
	}
	src := t.TempDir()
	writeGuide(t, src)
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	opts := Options{Theme: guide.Theme, CacheDir: t.TempDir()}
	backend := filepath.Join(src, "content/roles/backend-developer.md")
	build := func(step string) {
		t.Helper()
		time.Sleep(trustedAge + 200*time.Millisecond)
		appendFile(t, backend, "\n"+step+"\n")
		if _, err := Publish(context.Background(), src, dest, opts); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		fresh, _ := buildFresh(t, src, opts)
		if got := publishtest.Tree(t, dest); !maps.Equal(got, fresh) {
			t.Errorf("%s: the destination differs from a build with no cache: %s", step, treeDiff(got, fresh))
		}
	}
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	build("second")
	// The third build: a file goes into the destination once the build
	// has made its working folder.
	wrote := make(chan bool)
	go func() {
		defer close(wrote)
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Microsecond) {
			entries, _ := os.ReadDir(parent)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					wrote <- os.WriteFile(filepath.Join(dest, "roles/recruiter/notes.txt"), []byte("mine"), 0o644) == nil
					return
				}
			}
		}
	}()
	time.Sleep(trustedAge + 200*time.Millisecond)
	appendFile(t, backend, "\nthird\n")
	if _, err := Publish(context.Background(), src, dest, opts); err != nil {
		t.Fatal(err)
	}
	if !<-wrote {
		t.Fatal("the file was not written during the third build")
	}
	build("fourth")
	build("fifth")
}

// outputDirs takes a folder's details from the older output's record
// unless the build touched the folder or the record was unsure of it.
func TestOutputDirsTakesUntouchedFoldersFromThePrior(t *testing.T) {
	dest := t.TempDir()
	for _, p := range []string{"index.html", "roles/a/index.html", "roles/b/index.html", "roles/c/index.html"} {
		mkfile(t, filepath.Join(dest, p), p)
	}
	files, err := listOutput(dest)
	if err != nil {
		t.Fatal(err)
	}
	done := time.Now().Add(3 * time.Second)
	real, err := outputDirs(dest, files, done, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A prior whose details are all made up: the folders outputDirs takes
	// from it keep them; the others have their real details.
	prior := slices.Clone(real)
	for i := range prior {
		prior[i].MTime++
	}
	prior[slices.IndexFunc(prior, func(d fileStat) bool { return d.Path == "roles/c" })].MTime = unsure
	got, err := outputDirs(dest, files, done, prior, map[string]bool{".": true, "roles/b": true})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range got {
		want := real[i]
		if d.Path == "roles" || d.Path == "roles/a" {
			want = prior[i]
		}
		if d != want {
			t.Errorf("%s: %+v; want %+v", d.Path, d, want)
		}
	}
}

// Over rebuilds that add, remove, rename and edit, the folder details
// each record keeps, looked at or taken from the record of the output the
// build recycled, are those of the folders in place.
func TestRecordedFoldersAreThoseInPlace(t *testing.T) {
	defer func(age time.Duration) { trustedAge = age }(trustedAge)
	trustedAge = 100 * time.Millisecond
	src := t.TempDir()
	writeGuide(t, src)
	dest := filepath.Join(t.TempDir(), "public")
	cache := t.TempDir()
	opts := Options{Theme: guide.Theme, CacheDir: cache}
	backend := filepath.Join(src, "content/roles/backend-developer.md")
	newRole := filepath.Join(src, "content/roles/new-role.md")
	steps := []struct {
		what   string
		change func()
	}{
		{"first build", func() {}},
		{"a role edited", func() { appendFile(t, backend, "\nOne.\n") }},
		{"a role edited again", func() { appendFile(t, backend, "\nTwo.\n") }},
		{"a role added", func() {
			os.WriteFile(newRole, []byte("---\ntitle: New\ndepartment: Engineering\nsummary: S\nquestions:\n  - {q: Q, category: technical, look-for: L}\n---\n"), 0o644)
		}},
		{"a role edited after", func() { appendFile(t, backend, "\nThree.\n") }},
		{"a role removed", func() { os.Remove(newRole) }},
		{"the stylesheet changed", func() {
			os.MkdirAll(filepath.Join(src, "assets"), 0o755)
			os.WriteFile(filepath.Join(src, "assets/site.css"), []byte("body { margin: 0 }\n"), 0o644)
		}},
		{"a role edited last", func() { appendFile(t, backend, "\nFour.\n") }},
		{"a role edited at the very last", func() { appendFile(t, backend, "\nFive.\n") }},
	}
	taken := 0
	for _, s := range steps {
		time.Sleep(trustedAge + 50*time.Millisecond)
		before := readRecord(cache, dest)
		s.change()
		res, err := Publish(context.Background(), src, dest, opts)
		if err != nil {
			t.Fatalf("%s: %v", s.what, err)
		}
		rec := readRecord(cache, dest)
		if rec == nil || rec.Dirs == nil {
			t.Fatalf("%s: no record of the folders", s.what)
		}
		for _, d := range rec.Dirs {
			if d.MTime == unsure {
				continue
			}
			info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(d.Path)))
			if err != nil {
				t.Fatalf("%s: %v", s.what, err)
			}
			fi := publish.Info(info)
			if fi.MTime != d.MTime || changeTime(info) != d.Size || fi.Dev != d.Dev || fi.Ino != d.Ino {
				t.Errorf("%s: folder %s recorded as %+v; it is %+v, changed at %d", s.what, d.Path, d, fi, changeTime(info))
			}
		}
		if before != nil && before.Before != nil && res.Kept > 0 {
			for _, d := range before.Before.Dirs {
				if d.MTime != unsure && slices.Contains(rec.Dirs, d) {
					taken++
				}
			}
		}
	}
	if taken == 0 {
		t.Error("no build took a folder's details from the record of the output it recycled")
	}
}
