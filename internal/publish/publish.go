// Package publish writes a built site to a folder atomically.
//
// A Dir renders into a working folder beside the destination. Commit swaps
// it into place in one step (an atomic exchange of the two folders on Linux,
// two renames elsewhere); Abort gives the working folder up. A build that
// fails, or is killed, therefore leaves the destination exactly as it was,
// and a successful one leaves nothing of older builds in it.
//
// Creating and deleting tens of thousands of files is slow on many file
// systems, so the output a commit replaces is not deleted: it stays beside
// the destination as a hidden spare, ".<name>.old-*", and the next Open
// takes it as its working folder. Files are overwritten in place (a file
// with other hard links is replaced instead, so no copy made with cp -l
// changes), and with Options.SkipSame a file that already holds the new
// bytes is not written at all. Commit deletes what the new build did not
// write before the swap.
//
// Because the whole destination is replaced, Open refuses a folder that is
// the source or holds it, and a non-empty folder that guide did not make
// (it recognises its own output by a marker file).
package publish

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Marker is the file that marks a folder as guide's output.
const Marker = ".guide-output"

const markerText = "This folder is made by `guide build` and replaced on every build.\n"

// staleAfter is the age after which a temporary folder left by a killed
// build is removed. Younger ones may belong to a build running right now.
const staleAfter = time.Hour

// Options tune how a Dir writes.
type Options struct {
	// SkipSame leaves a file of the recycled folder alone when it already
	// holds the bytes to write: it is read and compared instead.
	SkipSame bool
	// NoWarm leaves the recycled folder's files unread until they are
	// written (see warm): for a build that keeps most files with Link.
	NoWarm bool
	// Live is the destination's files, by slash path, as the caller has
	// just listed them (see Info): Link takes a file's details from here
	// rather than reading them again.
	Live map[string]FileInfo
	// LiveStamp names the output now in the destination, by what it was
	// made from, when the caller knows it to be untouched since: Commit
	// sets it aside under that name, so that a later build that knows the
	// files of that output (Spares) can take the folder as it is.
	LiveStamp string
	// Spares holds the files of earlier outputs, by the name Commit set
	// them aside under. A spare of one of those names is taken to hold
	// exactly those files, untouched: guide alone writes in the folders
	// beside the destination, and a folder a build gave up is set aside
	// under another name. Link, making folders and Commit then need not
	// look at the spare's files.
	Spares map[string]map[string]FileInfo
}

// FileInfo is what tells a file of an output apart from another, or from
// itself changed: its size and modification time, and where the system
// numbers files, its device and number.
type FileInfo struct {
	Size     int64
	MTime    int64 // nanoseconds since 1970
	Dev, Ino uint64
}

// Info returns the FileInfo of a file's details.
func Info(fi fs.FileInfo) FileInfo {
	dev, ino := fileID(fi)
	return FileInfo{Size: fi.Size(), MTime: fi.ModTime().UnixNano(), Dev: dev, Ino: ino}
}

// same reports whether a and b are known to be one file.
func (a FileInfo) same(b FileInfo) bool {
	return a.Ino != 0 && a.Ino == b.Ino && a.Dev == b.Dev
}

// Dir is a sink that publishes to a destination folder.
type Dir struct {
	dest     string
	tmp      string
	recycled bool // tmp is an older output, not an empty folder
	opts     Options
	failed   bool          // a write failed; guarded by mu
	stopWarm chan struct{} // closed to stop warm; guarded by mu
	warming  sync.WaitGroup

	mu    sync.Mutex
	mkMu  sync.Mutex // serialises mkdir in a recycled folder
	dirs  map[string]bool
	files map[string]bool
	infos map[string]FileInfo // of every file written, once written
	// known holds the files of the recycled folder, when it is a spare
	// that Options.Spares describes; knownDirs, their folders.
	known     map[string]FileInfo
	knownDirs map[string]bool
	spare     string // the name of the known spare recycled: see Touched
	// listed is what warm found in the recycled folder, when it listed
	// all of it: prune need not read the folders again. moves are the
	// folders Adopt renamed since, from and to, which the listing may
	// name by their old names. Guarded by mu.
	listed *listing
	moves  [][2]string
	// touched holds the folders whose entries this build may have
	// changed; guarded by mu.
	touched map[string]bool
	stamped bool // Commit set the output it replaced aside under LiveStamp
	cleanup sync.WaitGroup
}

// Check refuses a destination that a build must not replace: the source
// folder, a folder holding it, a file, or a folder of files guide did not
// make. Open checks too; Check lets a caller refuse before doing anything
// else, such as taking the Lock.
func Check(dest, source string) error {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	src, err := filepath.Abs(source)
	if err != nil {
		return err
	}
	if within(src, dest) {
		return fmt.Errorf("destination %s is the source folder or holds it; building there would delete the guide", dest)
	}
	return checkReplaceable(dest)
}

// Open prepares to publish to dest. source is the guide's folder.
func Open(dest, source string, opts Options) (*Dir, error) {
	if err := Check(dest, source); err != nil {
		return nil, err
	}
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	prefix := "." + filepath.Base(dest) + ".tmp-"
	// A build writes about as many files as the last one did.
	n := len(opts.Live)
	d := &Dir{dest: dest, opts: opts, dirs: map[string]bool{".": true}, files: make(map[string]bool, n), infos: make(map[string]FileInfo, n),
		touched: map[string]bool{".": true}}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, err
	}
	spares, killed := leftovers(entries, dest)
	// A spare whose files are known first.
	slices.SortStableFunc(spares, func(a, b string) int {
		_, ka := opts.Spares[spareStamp(a, dest)]
		_, kb := opts.Spares[spareStamp(b, dest)]
		switch {
		case ka && !kb:
			return -1
		case kb && !ka:
			return 1
		}
		return 0
	})
	for i, name := range spares {
		if tmp, ok := claim(parent, name, prefix); ok {
			d.tmp, d.recycled = tmp, true
			if files, ok := opts.Spares[spareStamp(name, dest)]; ok {
				d.known, d.knownDirs, d.spare = files, map[string]bool{}, spareStamp(name, dest)
				for p := range files {
					for dir := path.Dir(p); dir != "." && !d.knownDirs[dir]; dir = path.Dir(dir) {
						d.knownDirs[dir] = true
					}
				}
			}
			spares = slices.Delete(spares, i, i+1)
			break
		}
	}
	stale := append(spares, killed...)
	if !d.recycled {
		tmp, err := os.MkdirTemp(parent, prefix)
		if err != nil {
			return nil, fmt.Errorf("creating a temporary folder beside %s: %w", dest, err)
		}
		if err := os.Chmod(tmp, 0o755); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
		d.tmp = tmp
	}
	d.cleanup.Add(1)
	go func() {
		defer d.cleanup.Done()
		for _, name := range stale {
			os.RemoveAll(filepath.Join(parent, name))
		}
	}()
	if d.recycled && warmable && !opts.NoWarm {
		stop := make(chan struct{})
		d.stopWarm = stop
		var listed func(*listing)
		if d.known == nil { // a known spare is pruned without a listing
			listed = func(l *listing) {
				d.mu.Lock()
				d.listed = l
				d.mu.Unlock()
			}
		}
		d.warming.Add(1)
		go func() {
			defer d.warming.Done()
			warm(d.tmp, opts.SkipSame, stop, listed)
		}()
	}
	return d, nil
}

// warm reads every file under dir (or, unless whole, its last block), many
// at once, until stop is closed. A spare that has left the page cache would
// otherwise cost the build disk reads, one at a time, for every file it
// rewrites: the inode, and the last block, which a write in place must
// read, or the whole file, which SkipSame compares. On a virtual disk that
// made rewriting a 10,000-role site's folder two to five times as slow as
// writing a fresh one. Reads many at once are far cheaper.
//
// A spare still in the cache, as the last build's output mostly is, is
// left alone: reading it again would cost four calls to the system a
// file, tens of thousands of files, for nothing. Whether it is, a sample
// of its files tells (see inCache).
//
// When listed is not nil, warm hands it what it found in dir, if it
// listed all of it (see listing).
func warm(dir string, whole bool, stop <-chan struct{}, listed func(*listing)) {
	var names []string
	l := &listing{dirs: map[string]bool{}}
	complete := listed != nil
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			complete = false
			return nil
		}
		select {
		case <-stop:
			complete = false
			return fs.SkipAll
		default:
		}
		if complete {
			rel, err := filepath.Rel(dir, p)
			switch rel = filepath.ToSlash(rel); {
			case err != nil:
				complete = false
			case rel == ".":
			case e.IsDir():
				l.dirs[rel] = true
			default:
				l.files = append(l.files, rel)
			}
		}
		if e.Type().IsRegular() {
			names = append(names, p)
		}
		return nil
	})
	if complete {
		listed(l)
	}
	if inCache(names, whole) {
		return
	}
	todo := make(chan string, 256)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			var page [4096]byte
			for name := range todo {
				select {
				case <-stop:
					continue // drain
				default:
				}
				warmFile(name, whole, page[:])
			}
		})
	}
	for _, name := range names {
		todo <- name
	}
	close(todo)
	wg.Wait()
}

// listing is what a folder held: its files (anything not a folder) and its
// folders, by slash path from the folder.
//
// warm lists a recycled folder while the build writes in it. A listing is
// still whole: a listing of a folder gives every entry that is neither
// added nor removed meanwhile, and the build removes from a recycled
// folder only what is in the way of what it writes, which prune leaves
// alone; and a folder renamed under the walk (see Adopt) makes the walk
// fail to read it, so that the listing is not whole.
type listing struct {
	files []string
	dirs  map[string]bool
}

// moved returns the listing with the folders moved, from and to, in
// order, under their new names: a path listed before a move has its old
// name, one listed after it its new one.
func (l *listing) moved(moves [][2]string) (files []string, dirs map[string]bool) {
	if len(moves) == 0 {
		return l.files, l.dirs
	}
	files, dirs = slices.Clone(l.files), make(map[string]bool, len(l.dirs))
	for p := range l.dirs {
		for _, m := range moves {
			p = movedPath(p, m[0], m[1])
		}
		dirs[p] = true
	}
	for i, p := range files {
		for _, m := range moves {
			p = movedPath(p, m[0], m[1])
		}
		files[i] = p
	}
	return files, dirs
}

// cacheSamples is how many files inCache looks at.
const cacheSamples = 32

// inCache reports whether the files named are in the system's cache, as
// warm would read them, by a sample spread over them: the files of an
// output were written together, and leave the cache together. A folder
// of few files is not worth a sample, and a system that cannot tell
// (see cachedFile) is taken to have nothing in its cache.
func inCache(names []string, whole bool) bool {
	if len(names) < 4*cacheSamples {
		return false
	}
	var page [4096]byte
	for i := range cacheSamples {
		if !cachedFile(names[(2*i+1)*len(names)/(2*cacheSamples)], whole, page[:]) {
			return false
		}
	}
	return true
}

// leftovers lists what older builds left beside dest: the outputs they set
// aside as spares, and the temporary folders of builds killed long ago (a
// younger one may belong to a build running right now).
func leftovers(entries []fs.DirEntry, dest string) (spares, killed []string) {
	base := "." + filepath.Base(dest)
	for _, e := range entries {
		name := e.Name()
		switch {
		case !e.IsDir():
		case strings.HasPrefix(name, base+".old-"):
			spares = append(spares, name)
		case strings.HasPrefix(name, base+".tmp-"):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAfter {
				killed = append(killed, name)
			}
		}
	}
	return spares, killed
}

// spareStamp is the name Commit set the spare folder name aside under.
func spareStamp(name, dest string) string {
	return strings.TrimPrefix(name, "."+filepath.Base(dest)+".old-")
}

// claim renames the old output name, which an earlier commit set aside, to
// a working folder of this build. The rename is what claims it: a build
// running at the same time cannot take the same one.
func claim(parent, name, prefix string) (string, bool) {
	old := filepath.Join(parent, name)
	if info, err := os.Lstat(old); err != nil || !info.IsDir() || !mine(info) {
		// Another user's output (a build run with sudo, say) could not be
		// rewritten.
		return "", false
	}
	// Its age must not make another build take it for a killed build's
	// temporary folder once it is renamed.
	now := time.Now()
	os.Chtimes(old, now, now)
	tmp := filepath.Join(parent, randomName(prefix))
	if os.Rename(old, tmp) != nil {
		return "", false
	}
	return tmp, true
}

// randomName is prefix and 16 random hex digits.
func randomName(prefix string) string {
	var r [8]byte
	rand.Read(r[:])
	return prefix + hex.EncodeToString(r[:])
}

// Wait waits until the leftovers of older builds found by Open (spares
// beyond the one it took, temporary folders of killed builds) have been
// deleted.
func (d *Dir) Wait() { d.cleanup.Wait() }

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkReplaceable refuses a destination that exists and holds files guide
// did not put there.
func checkReplaceable(dest string) error {
	info, err := os.Stat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("destination %s is a file, not a folder", dest)
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("destination %s holds files that guide did not make; every build replaces the whole folder, so empty it or choose another --destination", dest)
	}
	return nil
}

// Put writes one file. p is a slash path relative to the site root; a path
// that would leave the folder is refused.
func (d *Dir) Put(p string, body []byte) error {
	if err := d.claimPath(p); err != nil {
		return err
	}
	name := d.inTmp(p)
	var info FileInfo
	var err error
	if d.recycled {
		info, err = d.rewrite(name, body)
	} else {
		info, err = writeNew(name, body)
	}
	if err != nil {
		d.fail()
		return fmt.Errorf("writing %s: %w", p, err)
	}
	d.written(p, info)
	return nil
}

// written notes the details of the file at p once written.
func (d *Dir) written(p string, info FileInfo) {
	d.mu.Lock()
	d.infos[p] = info
	d.mu.Unlock()
}

// SparePath is where Commit sets aside the output it replaces, under the
// stamp that names it (see Options.LiveStamp).
func SparePath(dest, stamp string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".old-"+stamp)
}

// Stamped reports whether Commit set the output it replaced aside under
// Options.LiveStamp. It may not have (a leftover folder of that name stood
// in the way): then no later build may take that name for this output.
func (d *Dir) Stamped() bool { return d.stamped }

// Files returns, after Commit, every file of the published folder with its
// details, as a listing of the folder would find them.
func (d *Dir) Files() map[string]FileInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.infos)
}

// Touched returns, after Commit, the name of the spare described by
// Options.Spares that this build recycled, or "" when it recycled none
// such, and the folders of the output whose entries the build may have
// changed, by slash path. Every other folder of the output is the spare's
// folder, as it was: the same modification and change times.
func (d *Dir) Touched() (spare string, folders map[string]bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.known == nil {
		return "", nil
	}
	return d.spare, maps.Clone(d.touched)
}

// writeNew writes body to a new file, or over the file, at name.
func writeNew(name string, body []byte) (FileInfo, error) {
	f, err := openWrite(name, true)
	if err != nil {
		return FileInfo{}, err
	}
	return finish(f, body)
}

// finish writes body at the start of f, which it closes, and returns the
// file's details.
func finish(f wfile, body []byte) (FileInfo, error) {
	_, err := f.WriteAt(body, 0)
	var info FileInfo
	if err == nil {
		info, err = f.info()
	}
	if err1 := f.Close(); err == nil {
		err = err1
	}
	return info, err
}

// claimPath checks p, a slash path from the site root, notes that this
// build writes it, makes its folder, and returns its name in the working
// folder.
func (d *Dir) claimPath(p string) error {
	if !validPath(p) {
		return fmt.Errorf("refusing to write %q: not a path inside the site", p)
	}
	dir := path.Dir(p)
	d.mu.Lock()
	if d.files[p] {
		d.mu.Unlock()
		return fmt.Errorf("two pages want to be written to %s", p)
	}
	d.files[p] = true
	d.touched[dir] = true
	mk := !d.dirs[dir]
	d.mu.Unlock()
	if mk {
		if err := d.mkdir(dir); err != nil {
			d.fail()
			return fmt.Errorf("creating folder for %s: %w", p, err)
		}
		d.mu.Lock()
		d.dirs[dir] = true
		d.mu.Unlock()
	}
	return nil
}

// inTmp is the file name of p in the working folder.
func (d *Dir) inTmp(p string) string { return filepath.Join(d.tmp, filepath.FromSlash(p)) }

func validPath(p string) bool {
	return fs.ValidPath(p) && p != "." && !strings.Contains(p, "\\")
}

// Link puts at p the file that the destination holds at from, for a file
// the caller knows to be the same as the one this build would write: the
// destination is the output of an earlier build, untouched since, and what
// the file is made from has not changed. The two names share the file (a
// hard link), or where the file system cannot link, p gets a copy. A
// recycled folder that holds the file at p already, linked by an earlier
// build, is left as it is.
func (d *Dir) Link(p, from string) error {
	if !validPath(from) {
		return fmt.Errorf("refusing to link %q: not a path inside the site", from)
	}
	if err := d.claimPath(p); err != nil {
		return err
	}
	info, err := d.link(p, from)
	if err != nil {
		d.fail()
		return fmt.Errorf("keeping %s: %w", p, err)
	}
	d.written(p, info)
	return nil
}

// LinkAll is Link for many files: it keeps at ps[i] the file of the
// destination at froms[i]. A file that the working folder holds already,
// a spare that Options.Spares describes, costs a few map lookups under
// one lock; the rest are linked on every core.
func (d *Dir) LinkAll(ps, froms []string) error {
	if len(ps) != len(froms) {
		return errors.New("LinkAll: as many paths as sources, please")
	}
	var slow []int
	d.mu.Lock()
	for i, p := range ps {
		from := froms[i]
		if !validPath(p) || !validPath(from) || d.files[p] || !d.recycled {
			slow = append(slow, i) // Link says what is wrong
			continue
		}
		live, ok := d.opts.Live[from]
		k, known := d.known[p]
		if !ok || !known || !live.same(k) || !d.markKnownDirs(path.Dir(p)) {
			slow = append(slow, i)
			continue
		}
		d.files[p] = true
		d.infos[p] = live
	}
	d.mu.Unlock()
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, i := range slow {
		g.Go(func() error { return d.Link(ps[i], froms[i]) })
	}
	return g.Wait()
}

// markKnownDirs notes that dir and the folders above it are made, when
// they are folders of the known spare, and reports whether they were.
// d.mu is held.
func (d *Dir) markKnownDirs(dir string) bool {
	for ; dir != "." && !d.dirs[dir]; dir = path.Dir(dir) {
		if !d.knownDirs[dir] {
			return false
		}
		d.dirs[dir] = true
	}
	return true
}

// link keeps at p the file of the destination at from. A rebuild of a
// large guide keeps tens of thousands of files the working folder holds
// already: that case makes no call to the system and no file names.
func (d *Dir) link(p, from string) (FileInfo, error) {
	live, ok := d.opts.Live[from]
	if !ok || live.Ino == 0 {
		fi, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(from)))
		if err != nil {
			return FileInfo{}, err
		}
		if !fi.Mode().IsRegular() {
			return FileInfo{}, fmt.Errorf("%s is not a regular file", from)
		}
		live = Info(fi)
	}
	if d.recycled {
		if k, ok := d.known[p]; ok && live.same(k) {
			return live, nil // linked by the build before
		}
	}
	name, src := d.inTmp(p), filepath.Join(d.dest, filepath.FromSlash(from))
	if d.recycled {
		fi, err := os.Lstat(name)
		switch {
		case err == nil && live.same(Info(fi)):
			return live, nil
		case err == nil:
			if err := os.RemoveAll(name); err != nil {
				return FileInfo{}, err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return FileInfo{}, err
		}
	}
	if os.Link(src, name) == nil {
		// One file: its size and time are the live file's.
		return live, nil
	}
	body, err := os.ReadFile(src)
	if err != nil {
		return FileInfo{}, err
	}
	return writeNew(name, body)
}

// fail notes that writing into the working folder went wrong: a recycled
// folder is then not trusted as a spare again.
func (d *Dir) fail() {
	d.mu.Lock()
	d.failed = true
	d.mu.Unlock()
}

// Adopt prepares the working folder for files under parent/name, a folder
// whose name changes from build to build (such as a version): when the
// folder recycled from an older build has no parent/name but another
// folder in parent, that folder is renamed to parent/name, so that its
// files are rewritten in place rather than created anew while the old ones
// are deleted. Call it before writing anything under parent.
func (d *Dir) Adopt(parent, name string) error {
	if !d.recycled || !fs.ValidPath(parent) || !fs.ValidPath(name) || strings.Contains(name, "/") {
		return nil
	}
	dir := filepath.Join(d.tmp, filepath.FromSlash(parent))
	if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // nothing to adopt
	}
	for _, e := range entries {
		if e.IsDir() {
			d.mu.Lock()
			d.touched[parent], d.touched[path.Join(parent, name)] = true, true
			d.mu.Unlock()
			if err := os.Rename(filepath.Join(dir, e.Name()), filepath.Join(dir, name)); err != nil {
				return err
			}
			from, to := path.Join(parent, e.Name()), path.Join(parent, name)
			d.mu.Lock()
			d.moves = append(d.moves, [2]string{from, to})
			d.mu.Unlock()
			d.moveKnown(from, to)
			return nil
		}
	}
	return nil
}

// moveKnown notes that the recycled folder's folder from is now to.
func (d *Dir) moveKnown(from, to string) {
	if d.known == nil {
		return
	}
	known := make(map[string]FileInfo, len(d.known))
	for p, fi := range d.known {
		known[movedPath(p, from, to)] = fi
	}
	dirs := make(map[string]bool, len(d.knownDirs))
	for p := range d.knownDirs {
		dirs[movedPath(p, from, to)] = true
	}
	d.known, d.knownDirs = known, dirs
}

// movedPath returns where p is once the folder from is moved to to.
func movedPath(p, from, to string) string {
	if p == from {
		return to
	}
	if rest, ok := strings.CutPrefix(p, from+"/"); ok {
		return to + "/" + rest
	}
	return p
}

// mkdir makes the folder dir (a slash path) in the working folder. In a
// recycled folder anything but a real folder that stands in the way (a
// file, a symbolic link, which must not be followed out of the folder) is
// removed first.
func (d *Dir) mkdir(dir string) error {
	if !d.recycled {
		return os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755)
	}
	// One at a time: two writers must not both remove a file that stands
	// where their folder goes. A folder is made once, so this is rare.
	d.mkMu.Lock()
	defer d.mkMu.Unlock()
	// dir and the folders above it, cut from it (path.Dir makes copies).
	var parts []string
	for p := dir; p != "." && p != ""; {
		parts = append(parts, p)
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			p = p[:i]
		} else {
			p = "."
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		d.mu.Lock()
		made := d.dirs[p]
		d.mu.Unlock()
		if made {
			continue
		}
		if d.knownDirs[p] {
			d.mu.Lock()
			d.dirs[p] = true
			d.mu.Unlock()
			continue
		}
		q := filepath.Join(d.tmp, filepath.FromSlash(p))
		info, err := os.Lstat(q)
		switch {
		case err == nil && info.IsDir():
		case err == nil:
			if err := os.Remove(q); err != nil {
				return err
			}
			fallthrough
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(q, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
		default:
			return err
		}
		d.mu.Lock()
		d.dirs[p] = true
		d.touched[p], d.touched[path.Dir(p)] = true, true
		d.mu.Unlock()
	}
	return nil
}

// readPool holds the buffers files are compared through: a fixed size, so
// that comparing a page of many megabytes costs no more memory than a
// small one.
var readPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// holds reports whether r holds exactly the bytes of want, up to its end.
func holds(r io.Reader, want []byte) bool {
	bp := readPool.Get().(*[]byte)
	defer readPool.Put(bp)
	buf := *bp
	for len(want) > 0 {
		n, err := io.ReadFull(r, buf[:min(len(buf), len(want))])
		if err != nil || !bytes.Equal(buf[:n], want[:n]) {
			return false
		}
		want = want[n:]
	}
	return true
}

// rewrite writes body to name in a recycled folder: not at all when
// SkipSame is set and the file holds body already, else in place, unless
// the file has other hard links (then a new file replaces it, so that
// copies made with cp -l keep their bytes). Anything but a regular file
// (a folder, a symbolic link) is replaced, never followed.
func (d *Dir) rewrite(name string, body []byte) (FileInfo, error) {
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return writeNew(name, body)
	}
	if err != nil {
		return FileInfo{}, err
	}
	if !fi.Mode().IsRegular() {
		if err := os.RemoveAll(name); err != nil {
			return FileInfo{}, err
		}
		return writeNew(name, body)
	}
	f, err := openWrite(name, false)
	if err != nil {
		return FileInfo{}, err
	}
	if d.opts.SkipSame && fi.Size() == int64(len(body)) && holds(f, body) {
		return Info(fi), f.Close()
	}
	if links(fi) > 1 {
		f.Close()
		if err := os.Remove(name); err != nil {
			return FileInfo{}, err
		}
		return writeNew(name, body)
	}
	if fi.Size() > int64(len(body)) {
		if err := f.Truncate(int64(len(body))); err != nil {
			f.Close()
			return FileInfo{}, err
		}
	}
	return finish(f, body)
}

// Commit swaps the new output into place and sets the old one aside.
func (d *Dir) Commit() error {
	d.stop()
	if err := d.Put(Marker, []byte(markerText)); err != nil {
		return err
	}
	if d.recycled {
		if err := d.prune(); err != nil {
			return fmt.Errorf("deleting files of an older build: %w", err)
		}
	}
	if _, err := os.Lstat(d.dest); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			return fmt.Errorf("moving the new site into %s: %w", d.dest, err)
		}
		return nil
	}
	old, err := swap(d.tmp, d.dest)
	if err != nil {
		return fmt.Errorf("moving the new site into %s: %w", d.dest, err)
	}
	// Set the old output aside for the next build to reuse. The new site is
	// in place whatever happens now: failing here is not failing the build.
	prefix := SparePath(d.dest, "")
	if s := d.opts.LiveStamp; s != "" && fs.ValidPath(s) && !strings.Contains(s, "/") && os.Rename(old, prefix+s) == nil {
		d.stamped = true
		return nil
	}
	if os.Rename(old, prefix+filepath.Base(old)[len(filepath.Base(d.dest))+6:]) != nil {
		os.RemoveAll(old)
	}
	return nil
}

// stop ends warming the folder and waits until no file of it is open, so
// that it can be pruned and renamed.
func (d *Dir) stop() {
	d.mu.Lock()
	if d.stopWarm != nil {
		close(d.stopWarm)
		d.stopWarm = nil
	}
	d.mu.Unlock()
	d.warming.Wait()
}

// prune deletes from a recycled folder every file and folder this build
// did not write.
func (d *Dir) prune() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.known != nil {
		// In a known spare, every folder above a file written is made
		// (see mkdir and markKnownDirs), and only those.
		return d.pruneListed(d.dirs, maps.Keys(d.known), d.knownDirs)
	}
	keep := map[string]bool{".": true}
	for p := range d.files {
		for dir := path.Dir(p); !keep[dir]; dir = path.Dir(dir) {
			keep[dir] = true
		}
	}
	if d.listed != nil {
		// Since warm listed the folder, only this build has written
		// in it.
		files, dirs := d.listed.moved(d.moves)
		return d.pruneListed(keep, slices.Values(files), dirs)
	}
	// Folders are read on every core: a large site has ten thousand.
	var g errgroup.Group
	g.SetLimit(2 * runtime.GOMAXPROCS(0))
	var walk func(rel string) error
	walk = func(rel string) error {
		dir := filepath.Join(d.tmp, filepath.FromSlash(rel))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := path.Join(rel, e.Name())
			name := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir() && keep[p]:
				if !g.TryGo(func() error { return walk(p) }) {
					if err := walk(p); err != nil {
						return err
					}
				}
			case e.IsDir():
				if err := os.RemoveAll(name); err != nil {
					return err
				}
			case !d.files[p] && p != Marker:
				if err := os.Remove(name); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err := walk(".")
	if err1 := g.Wait(); err == nil {
		err = err1
	}
	return err
}

// pruneListed is prune for a recycled folder whose files and folders are
// known, as they were before this build wrote in it: it deletes the files
// this build did not write, and the folders not in keep, without reading
// any folder.
func (d *Dir) pruneListed(keep map[string]bool, files iter.Seq[string], dirs map[string]bool) error {
	// A path whose kind changed (a known file where this build made a
	// folder, a known folder where it wrote a file) holds this build's
	// output now: it is left alone.
	for p := range files {
		if !d.files[p] && !keep[p] && p != Marker && keep[path.Dir(p)] {
			d.touched[path.Dir(p)] = true
			if err := os.Remove(filepath.Join(d.tmp, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	for dir := range dirs {
		if !keep[dir] && !d.files[dir] && keep[path.Dir(dir)] {
			d.touched[path.Dir(dir)] = true
			if err := os.RemoveAll(filepath.Join(d.tmp, filepath.FromSlash(dir))); err != nil {
				return err
			}
		}
	}
	return nil
}

// Abort gives up the build; the destination is untouched. A fresh working
// folder is removed. A recycled one is set aside again as a spare, since
// deleting it would take long and the next build rewrites it anyway,
// unless writing into it failed: then it is removed too.
func (d *Dir) Abort() error {
	d.stop()
	d.mu.Lock()
	keep := d.recycled && !d.failed
	d.mu.Unlock()
	if keep {
		spare := filepath.Join(filepath.Dir(d.dest), randomName("."+filepath.Base(d.dest)+".old-"))
		if os.Rename(d.tmp, spare) == nil {
			return nil
		}
	}
	return os.RemoveAll(d.tmp)
}

// Lock waits until no other build publishes to dest and keeps others out
// until unlock is called: two builds to one destination would otherwise
// share spares and records. The lock is a file beside dest,
// ".<name>.lock", which stays.
func Lock(dest string) (unlock func(), err error) {
	dest, err = filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return nil, err
	}
	name := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", dest, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", dest, err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}
