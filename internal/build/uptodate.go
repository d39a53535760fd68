package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/guide-build/guide/internal/cachefile"
	"github.com/guide-build/guide/internal/config"
	"github.com/guide-build/guide/internal/diag"
	"github.com/guide-build/guide/internal/publish"
	"github.com/guide-build/guide/internal/sourcefs"
)

// A build with nothing to do: Publish records, in Options.CacheDir, a stamp
// of everything the build read (the guide's files, the options, the guide
// program itself) and a list of the files it left in the destination, with
// their sizes and modification times. When the next build's stamp is the
// same and the destination still holds exactly those files, untouched, the
// site it would make is already there, byte for byte, and Publish stops.
//
// The stamp hashes content, not modification times, so touching a file or
// checking out the same commit again does not make a build. The output is
// compared by modification time too: any change to it does.
//
// To hash a large guide's files is to read them all, a quarter of a second
// at 10,000 roles; the record keeps each file's hash with its size and
// modification time, and the next stamp reads again only the files whose
// size or time differ, or whose time is so close to when they were last
// read that a change since could have left the same time (see trustedAge).

// record is what the cache keeps about one destination, in a file of
// cachefile's layout (see encode): at 10,000 roles it lists 70,000 files,
// which took a tenth of a second to read and write as JSON, and 45 ms of
// CPU as gob.
type record struct {
	Stamp     string
	Roles     int
	Questions int
	Written   int // files the build wrote
	Warnings  []diag.Diagnostic
	Files     []fileStat
	// Taken is when the stamp began to read the inputs, in nanoseconds
	// since 1970; Inputs, what it found, by path.
	Taken  int64
	Inputs []inputStat
	// Before is the output the build replaced, as it found it: its stamp
	// and files. It is the spare folder now (see publish.Options.Spares).
	Before *output
	// Slot is where the build left its roles cache: see roleCachePath.
	Slot int
	// Program is the program that made the build, as stamp found it.
	Program inputStat
	// Dirs are the folders of Files, with their details once the output
	// was in place, by path ("." for dest itself): see sameOutput. A
	// folder's Size holds its change time (see changeTime), which no tool
	// can set back; a folder changed too close to that moment to be sure
	// of has an MTime of unsure. Dirs is nil where the system does not
	// number files or give change times: the output is then read.
	Dirs []fileStat
}

// output is an output folder's stamp and files, and where known its
// folders' details, as in record.Dirs.
type output struct {
	Stamp string
	Files []fileStat
	Dirs  []fileStat
}

// inputStat is an input file as a stamp read it.
type inputStat struct {
	File  fileStat
	CTime int64    // see changeTime
	Sum   [32]byte // SHA-256
}

// inputOf returns the details of an input file that tell a later stamp it
// is unchanged.
func inputOf(p string, info fs.FileInfo) (fileStat, int64) {
	fi := publish.Info(info)
	return fileStat{p, fi.Size, fi.MTime, fi.Dev, fi.Ino}, changeTime(info)
}

const (
	recordMagic  = "guide output record\n"
	recordFormat = 11
)

// encode returns the record as its file holds it. The files of a folder
// are in path order, each path written as the length of what it shares
// with the one before and the rest.
func (rec *record) encode() ([]byte, error) {
	// About how long the encoding is, so that it is not grown as written.
	n := len(rec.Files) + len(rec.Inputs) + len(rec.Dirs)
	if rec.Before != nil {
		n += len(rec.Before.Files) + len(rec.Before.Dirs)
	}
	e := cachefile.Enc{B: make([]byte, 0, 1024+64*n)}
	e.Str(rec.Stamp)
	e.Uint(uint64(rec.Roles))
	e.Uint(uint64(rec.Questions))
	e.Uint(uint64(rec.Written))
	encodeDiags(&e, rec.Warnings)
	encodeFiles(&e, rec.Files)
	e.Int(rec.Taken)
	e.Uint(uint64(len(rec.Inputs)))
	prev := ""
	for _, in := range rec.Inputs {
		encodeFile(&e, in.File, prev)
		prev = in.File.Path
		e.Int(in.CTime)
		e.Raw(in.Sum[:])
	}
	e.Bool(rec.Before != nil)
	if rec.Before != nil {
		e.Str(rec.Before.Stamp)
		encodeFiles(&e, rec.Before.Files)
		encodeFiles(&e, rec.Before.Dirs)
	}
	e.Uint(uint64(rec.Slot))
	encodeFiles(&e, rec.Dirs)
	encodeFile(&e, rec.Program.File, "")
	e.Int(rec.Program.CTime)
	e.Raw(rec.Program.Sum[:])
	var buf bytes.Buffer
	err := cachefile.Write(&buf, recordMagic, recordFormat, e.B, func(func([]byte) error) error { return nil })
	return buf.Bytes(), err
}

func encodeFiles(e *cachefile.Enc, files []fileStat) {
	e.Uint(uint64(len(files)))
	prev := ""
	for _, f := range files {
		encodeFile(e, f, prev)
		prev = f.Path
	}
}

func encodeFile(e *cachefile.Enc, f fileStat, prev string) {
	n := 0
	for n < len(f.Path) && n < len(prev) && f.Path[n] == prev[n] {
		n++
	}
	e.Uint(uint64(n))
	e.Str(f.Path[n:])
	e.Int(f.Size)
	e.Int(f.MTime)
	e.Uint(f.Dev)
	e.Uint(f.Ino)
}

// decodeRecord reads what encode wrote.
func decodeRecord(data []byte) (*record, error) {
	head, _, err := cachefile.Read(bytes.NewReader(data), int64(len(data)), recordMagic, recordFormat)
	if err != nil {
		return nil, err
	}
	d := cachefile.NewDec(head)
	rec := &record{Stamp: d.Str(), Roles: int(d.Uint()), Questions: int(d.Uint()), Written: int(d.Uint())}
	rec.Warnings = decodeDiags(d)
	rec.Files = decodeFiles(d)
	rec.Taken = d.Int()
	if n := d.Count(38); n > 0 {
		rec.Inputs = make([]inputStat, n)
		prev := ""
		for i := range rec.Inputs {
			in := &rec.Inputs[i]
			in.File = decodeFile(d, prev)
			prev = in.File.Path
			in.CTime = d.Int()
			copy(in.Sum[:], d.Raw(32))
		}
	}
	if d.Bool() {
		rec.Before = &output{Stamp: d.Str(), Files: decodeFiles(d), Dirs: decodeFiles(d)}
	}
	rec.Slot = int(d.Size(1))
	rec.Dirs = decodeFiles(d)
	rec.Program.File = decodeFile(d, "")
	rec.Program.CTime = d.Int()
	copy(rec.Program.Sum[:], d.Raw(32))
	if d.Err() != nil || d.Len() != 0 {
		return nil, cachefile.ErrDamaged
	}
	return rec, nil
}

func decodeFiles(d *cachefile.Dec) []fileStat {
	n := d.Count(6)
	if n == 0 {
		return nil
	}
	files := make([]fileStat, n)
	prev := ""
	for i := range files {
		files[i] = decodeFile(d, prev)
		prev = files[i].Path
	}
	return files
}

func decodeFile(d *cachefile.Dec, prev string) fileStat {
	n := d.Size(int64(len(prev)))
	p := prev[:n] + d.Str()
	return fileStat{Path: p, Size: d.Int(), MTime: d.Int(), Dev: d.Uint(), Ino: d.Uint()}
}

// trustedAge is how much older than the last stamp a file's modification
// time must be for the file to be taken as unchanged when its size and
// time are: a file changed twice within the granularity of file times, the
// second time after the stamp read it, would otherwise keep the same time.
var trustedAge = 2 * time.Second // a variable for tests only

// fileStat is a file of the destination or of the guide: its slash path,
// size and modification time in nanoseconds.
type fileStat struct {
	Path     string
	Size     int64
	MTime    int64
	Dev, Ino uint64 // where the system numbers files; else 0
}

func (f fileStat) info() publish.FileInfo {
	return publish.FileInfo{Size: f.Size, MTime: f.MTime, Dev: f.Dev, Ino: f.Ino}
}

// infos returns files by path.
func infos(files []fileStat) map[string]publish.FileInfo {
	m := make(map[string]publish.FileInfo, len(files))
	for _, f := range files {
		m[f.Path] = f.info()
	}
	return m
}

// recordPath is where the record of dest lives in the cache folder.
func recordPath(cacheDir, dest string) (string, error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cacheDir, "outputs", hex.EncodeToString(sum[:8])+".record"), nil
}

// readRecord returns the record of the last build published to dest, or
// nil.
func readRecord(cacheDir, dest string) *record {
	name, err := recordPath(cacheDir, dest)
	if err != nil {
		return nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	rec, err := decodeRecord(data)
	if err != nil {
		return nil
	}
	return rec
}

// intact reports whether dest still holds, untouched, what the build of
// rec left there, and if so, its files.
func intact(dest string, rec *record) (bool, []fileStat) {
	if rec == nil {
		return false, nil
	}
	if rec.Dirs != nil {
		if !sameOutput(dest, rec) {
			return false, nil
		}
		return true, rec.Files
	}
	files, err := listOutput(dest)
	if err != nil || !slices.Equal(files, rec.Files) {
		return false, nil
	}
	return true, files
}

// unsure is the MTime in a record of a folder that was changed so close
// to when the output was in place that a change since might have left its
// time as it was: file systems keep times in steps of up to two seconds,
// and Linux's clock for them lags by a tick (see trustedAge). The next
// check reads such a folder instead.
const unsure = -1

// outputDirs returns the folders that the files of dest lie in, with
// their details, for the record of an output complete at done: see
// sameOutput.
//
// The output is mostly the folder of an older output recycled: a folder
// the build did not touch keeps the details that output's record gave it,
// prior (sorted by path), and is not looked at. A detail taken so is
// never wrong the other way: were the folder changed after all, its change
// time would be later, and the next check would find it changed.
func outputDirs(dest string, files []fileStat, done time.Time, prior []fileStat, touched map[string]bool) ([]fileStat, error) {
	seen := map[string]bool{".": true}
	dirs := []fileStat{{Path: "."}}
	for _, f := range files {
		for d := path.Dir(f.Path); !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, fileStat{Path: d})
		}
	}
	slices.SortFunc(dirs, func(a, b fileStat) int { return strings.Compare(a.Path, b.Path) })
	look := make([]int, 0, len(dirs))
	j := 0
	for i, d := range dirs {
		for j < len(prior) && prior[j].Path < d.Path {
			j++
		}
		if j < len(prior) && prior[j].Path == d.Path && prior[j].MTime != unsure && !touched[d.Path] {
			dirs[i] = prior[j]
			continue
		}
		look = append(look, i)
	}
	cutoff := done.Add(-trustedAge).UnixNano()
	err := inParts(len(look), func(k int) error {
		i := look[k]
		info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(dirs[i].Path)))
		if err != nil {
			return err
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is no longer a folder", dirs[i].Path)
		}
		fi := publish.Info(info)
		ctime := changeTime(info)
		dirs[i] = fileStat{dirs[i].Path, ctime, fi.MTime, fi.Dev, fi.Ino}
		if max(fi.MTime, ctime) >= cutoff {
			dirs[i].MTime = unsure
		}
		return nil
	})
	if err != nil || dirs[0].Ino == 0 || dirs[0].Size == 0 {
		// Without file numbers a folder replaced by another is not seen,
		// and without change times one whose time was set back.
		return nil, err
	}
	return dirs, nil
}

// sameOutput reports whether dest holds, untouched, the files of rec, by
// looking at each of them and at each folder rec.Dirs names, without
// reading the folders: a file added to a folder, or removed or renamed
// there, changes the folder's modification time. Only a folder recorded as
// unsure is read. At 10,000 roles this makes 42,000 calls to the system
// where reading every folder made 75,000.
func sameOutput(dest string, rec *record) bool {
	return sameFolders(dest, rec, true)
}

// sameFolders is sameOutput, looking at the files too or only at the
// folders.
func sameFolders(dest string, rec *record, files bool) bool {
	// What an unsure folder should hold.
	var want map[string][]string
	for _, d := range rec.Dirs {
		if d.MTime == unsure {
			if want == nil {
				want = map[string][]string{}
			}
			want[d.Path] = []string{}
		}
	}
	if want != nil {
		for _, l := range [][]fileStat{rec.Dirs, rec.Files} {
			for _, f := range l {
				if dir := path.Dir(f.Path); f.Path != "." {
					if names, ok := want[dir]; ok {
						want[dir] = append(names, path.Base(f.Path))
					}
				}
			}
		}
	}
	nd, n := len(rec.Dirs), len(rec.Dirs)
	if files {
		n += len(rec.Files)
	}
	err := inParts(n, func(i int) error {
		var f fileStat
		if i < nd {
			f = rec.Dirs[i]
		} else {
			f = rec.Files[i-nd]
		}
		name := filepath.Join(dest, filepath.FromSlash(f.Path))
		info, err := os.Lstat(name)
		if err != nil {
			return err
		}
		fi := publish.Info(info)
		switch {
		case i >= nd:
			if info.IsDir() || fi != f.info() {
				return errChanged
			}
		case !info.IsDir() || fi.Dev != f.Dev || fi.Ino != f.Ino:
			return errChanged
		case f.MTime != unsure:
			if fi.MTime != f.MTime || changeTime(info) != f.Size {
				return errChanged
			}
		default:
			entries, err := os.ReadDir(name)
			if err != nil {
				return err
			}
			names := want[f.Path]
			if len(entries) != len(names) {
				return errChanged
			}
			slices.Sort(names)
			for j, e := range entries { // ReadDir sorts them by name
				if e.Name() != names[j] {
					return errChanged
				}
			}
		}
		return nil
	})
	return err == nil
}

var errChanged = errors.New("changed")

// inParts calls do for 0 to n-1, in parts on every core, and returns the
// first error, after which it calls do no more.
func inParts(n int, do func(i int) error) error {
	parts := runtime.GOMAXPROCS(0)
	var failed atomic.Bool
	var g errgroup.Group
	for p := range parts {
		g.Go(func() error {
			for i := p; i < n; i += parts {
				if failed.Load() {
					return nil
				}
				if err := do(i); err != nil {
					failed.Store(true)
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// remember writes the record of a build just published to dest. A record
// that cannot be written only costs the next build its shortcut.
//
// files, when not nil, are the files of dest with their details, as the
// publisher wrote them; else dest is listed. before returns the output the
// build replaced, or nil; slot is where the build left its roles cache.
// before and unchanged are called once the listing is made, so that what
// they find out is found out meanwhile. The record is written only if
// unchanged reports that the inputs are still those the build read.
// prior and touched are as in outputDirs.
func remember(cacheDir, dest string, st *stamped, res *Result, files map[string]publish.FileInfo, before func() *output, slot int, done time.Time, unchanged func() bool, prior []fileStat, touched map[string]bool) error {
	name, err := recordPath(cacheDir, dest)
	if err != nil {
		return err
	}
	listing, err := listed(dest, files)
	if err != nil {
		return err
	}
	dirs, err := outputDirs(dest, listing, done, prior, touched)
	if err != nil {
		return err
	}
	rec := record{Stamp: st.sum, Roles: res.Roles, Questions: res.Questions, Written: res.Files,
		Warnings: res.Warnings, Files: listing, Taken: st.taken, Inputs: make([]inputStat, len(st.files)), Before: before(), Slot: slot, Dirs: dirs, Program: st.program}
	for i, f := range st.files {
		rec.Inputs[i] = inputStat{f, st.ctimes[i], st.sums[i]}
	}
	data, err := rec.encode()
	if err != nil {
		return err
	}
	if !unchanged() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	prune(filepath.Dir(name), time.Now().Add(-recordAge))
	// The caches of guide before slots (see roleCachePath), 100 MB at
	// 10,000 roles.
	base := strings.TrimSuffix(name, ".record")
	os.Remove(base + ".roles")
	os.Remove(base + ".roles.index")
	return nil
}

// recordAge is how long a record is kept without a build of its
// destination: every build rewrites its own, so an older one is most likely
// of a folder that is gone (a CI checkout, a temporary destination), and
// at 10,000 roles a record is 2 MB.
const recordAge = 30 * 24 * time.Hour

// prune removes the records in dir, and the leftovers of writing them, last
// written before cutoff. It does its best: a record it cannot remove costs
// only disk space.
func prune(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !isCacheFile(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// isCacheFile reports whether name is a record, a roles cache or a
// leftover of writing one.
func isCacheFile(name string) bool {
	// .json: records of guide before 2026-11-27.
	for _, suffix := range []string{".json", ".json.tmp", ".record", ".record.tmp", ".roles", ".index"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return strings.Contains(name, ".roles.tmp-")
}

// forget removes the record of dest, before dest changes.
func forget(cacheDir, dest string) {
	if name, err := recordPath(cacheDir, dest); err == nil {
		os.Remove(name)
	}
}

// listed returns the listing of dest, from files when not nil.
func listed(dest string, files map[string]publish.FileInfo) ([]fileStat, error) {
	if files == nil {
		return listOutput(dest)
	}
	l := make([]fileStat, 0, len(files))
	for p, fi := range files {
		l = append(l, fileStat{p, fi.Size, fi.MTime, fi.Dev, fi.Ino})
	}
	slices.SortFunc(l, func(a, b fileStat) int { return strings.Compare(a.Path, b.Path) })
	return l, nil
}

// listOutput lists the files under dest, sorted by path. Folders are read
// on every core: a large site's output is tens of thousands of files.
func listOutput(dest string) ([]fileStat, error) {
	var (
		mu    sync.Mutex
		files []fileStat
		g     errgroup.Group
	)
	g.SetLimit(2 * runtime.GOMAXPROCS(0))
	var walk func(rel string) error
	walk = func(rel string) error {
		dir := filepath.Join(dest, filepath.FromSlash(rel))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		var here []fileStat
		for _, e := range entries {
			p := path.Join(rel, e.Name())
			if e.IsDir() {
				if !g.TryGo(func() error { return walk(p) }) {
					if err := walk(p); err != nil {
						return err
					}
				}
				continue
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			fi := publish.Info(info)
			here = append(here, fileStat{p, fi.Size, fi.MTime, fi.Dev, fi.Ino})
		}
		mu.Lock()
		files = append(files, here...)
		mu.Unlock()
		return nil
	}
	err := walk(".")
	if err1 := g.Wait(); err == nil {
		err = err1
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b fileStat) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// inputDirs are the folders of a guide whose files a build may read, besides
// guide.yaml: roles and the home intro, and the theme overrides.
var inputDirs = []string{"content", "layouts", "assets"}

// stamped is what stamp found of a guide's inputs.
type stamped struct {
	sum    string     // of everything a build reads
	files  []fileStat // every input file, sorted by path, for changedSince
	sums   [][32]byte // the SHA-256 of each file's bytes
	ctimes []int64    // and its change time (see changeTime)
	// context hashes what every page depends on, which is everything but
	// the role files: see roleCache.
	context [32]byte
	taken   int64 // when it began, in nanoseconds since 1970
	program inputStat
}

// stamp hashes everything a build of source with opts depends on: the
// program, the default theme, the options that change output, guide.yaml
// and every file under content/, layouts/ and assets/. It also returns the
// size and modification time each file had, for changedSince. A file that
// prev, the record of the last build, says is unchanged is not read again
// (see trustedAge).
func stamp(source string, opts Options, prev *record) (*stamped, error) {
	taken := time.Now().UnixNano()
	known := map[string]inputStat{}
	if prev != nil {
		for _, in := range prev.Inputs {
			if max(in.File.MTime, in.CTime) < prev.Taken-int64(trustedAge) {
				known[in.File.Path] = in
			}
		}
	}
	program, err := programOf(prev)
	if err != nil {
		return nil, err
	}
	prog := hex.EncodeToString(program.Sum[:])
	theme, err := treeSum(opts.Theme)
	if err != nil {
		return nil, err
	}
	fsys := sourcefs.Dir(source)
	names, err := inputFiles(fsys)
	if err != nil {
		return nil, err
	}
	sums := make([][sha256.Size]byte, len(names))
	files := make([]fileStat, len(names))
	ctimes := make([]int64, len(names))
	// In parts on every core, not a goroutine a file: most files are
	// only looked at, and that costs less than starting a goroutine.
	err = inParts(len(names), func(i int) error {
		name := names[i]
		files[i].Path = name
		if in, ok := known[name]; ok {
			// Same size, times and file number: the same bytes.
			info, err := fs.Stat(fsys, name)
			if err == nil && info.Mode().IsRegular() {
				if f, ctime := inputOf(name, info); f == in.File && ctime == in.CTime {
					files[i], ctimes[i], sums[i] = in.File, in.CTime, in.Sum
					return nil
				}
			}
		}
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // guide.yaml missing: the build says so
		}
		if err != nil {
			return err
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil {
			files[i], ctimes[i] = inputOf(name, info)
		}
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		h.Sum(sums[i][:0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	field := func(h hash.Hash, s string) {
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		io.WriteString(h, s)
	}
	h, ctx := sha256.New(), sha256.New()
	for _, h := range []hash.Hash{h, ctx} {
		field(h, prog)
		field(h, theme)
		field(h, opts.BaseURL)
		field(h, fmt.Sprint(opts.Drafts))
	}
	field(ctx, "roles cache "+strconv.Itoa(roleCacheFormat))
	for i, name := range names {
		field(h, name)
		h.Write(sums[i][:])
		if !isRoleFile(name) {
			field(ctx, name)
			ctx.Write(sums[i][:])
		}
	}
	st := &stamped{sum: hex.EncodeToString(h.Sum(nil)), files: files, ctimes: ctimes, sums: sums, taken: taken, program: program}
	ctx.Sum(st.context[:0])
	return st, nil
}

// inputFiles lists guide.yaml and the files under inputDirs, sorted.
func inputFiles(fsys fs.FS) ([]string, error) {
	names := []string{config.File}
	for _, dir := range inputDirs {
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				names = append(names, p)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	slices.Sort(names)
	return names, nil
}

// changedSince reports whether the inputs of source are no longer those
// stamp saw (a file added, removed, or with another size or modification
// time): a file saved while the build ran may or may not be in its output.
//
// unread, when not nil, names files the build did not read: the roles it
// took from the cache, as they were when stamped. What such a file holds
// now is not in the output, so its details are not looked at; the next
// stamp finds it changed.
func changedSince(source string, files []fileStat, unread map[string]bool) bool {
	fsys := sourcefs.Dir(source)
	names, err := inputFiles(fsys)
	if err != nil || len(names) != len(files) {
		return true
	}
	for i, name := range names {
		f := files[i]
		if unread[name] && f.Path == name {
			continue
		}
		info, err := fs.Stat(fsys, name)
		if errors.Is(err, fs.ErrNotExist) && f.Size == 0 && f.MTime == 0 && f.Path == name {
			continue // missing then and now
		}
		if err != nil || f.Path != name || info.Size() != f.Size || info.ModTime().UnixNano() != f.MTime {
			return true
		}
	}
	return false
}

// programOf returns the running program's file with its hash. The hash
// of 18 MB takes 15 ms: it is the last record's when the file is the one
// that record names, unchanged by its change time too, on the same terms
// as an input's (see trustedAge).
func programOf(prev *record) (inputStat, error) {
	exe, err := os.Executable()
	if err != nil {
		return inputStat{}, err
	}
	info, err := os.Stat(exe)
	if err != nil {
		return inputStat{}, err
	}
	f, ctime := inputOf(exe, info)
	// Only where the change time is known: a same-size program given its
	// old modification time would pass for the old one without it.
	if prev != nil && ctime != 0 && prev.Program.File == f && prev.Program.CTime == ctime && max(f.MTime, ctime) < prev.Taken-int64(trustedAge) {
		return prev.Program, nil
	}
	sum, err := programSum()
	if err != nil {
		return inputStat{}, err
	}
	in := inputStat{File: f, CTime: ctime}
	if _, err := hex.Decode(in.Sum[:], []byte(sum)); err != nil {
		return inputStat{}, err
	}
	return in, nil
}

var programSum = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
})

// treeSum hashes the names and contents of every file in fsys.
func treeSum(fsys fs.FS) (string, error) {
	if fsys == nil {
		return "", nil
	}
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%d:%s%d:", len(p), p, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
