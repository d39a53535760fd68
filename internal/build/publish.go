package build

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/guide-build/guide/internal/publish"
	"github.com/guide-build/guide/internal/sourcefs"
)

// afterStamp, when set by a test, is called once the inputs are stamped.
var afterStamp func()

// Publish builds the guide in the folder source and publishes it to the
// folder dest atomically: on any error dest is left as it was.
func Publish(ctx context.Context, source, dest string, opts Options) (*Result, error) {
	if info, err := os.Stat(source); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("no guide folder at %s (is --source right?)", source)
	}
	if err := publish.Check(dest, source); err != nil {
		return nil, err
	}
	unlock, err := publish.Lock(dest)
	if err != nil {
		return nil, err
	}
	defer unlock() // after dir.Wait below: the leftovers are gone by then
	t0 := time.Now()
	cache := opts.CacheDir != "" && !opts.NoCache
	if opts.TuneGC {
		defer tuneCheckGC()()
	}
	var st *stamped
	var before *output
	var beforeRec *record // the record before says what it holds
	var spare *output     // the spare the record names, which Open may recycle
	var popts publish.Options
	var check []Phase
	if cache {
		// A stamp that cannot be made (an unreadable file) only means no
		// shortcut; the build reports the problem properly.
		rec := readRecord(opts.CacheDir, dest)
		// The destination is listed while the inputs are hashed, and the
		// caches of the last build are read, once the inputs are known to
		// have changed, while the listing goes on.
		var kept bool
		var live []fileStat
		listed := make(chan struct{})
		go func() {
			defer close(listed)
			kept, live = intact(dest, rec)
		}()
		st, _ = stamp(source, opts, rec)
		if afterStamp != nil {
			afterStamp()
		}
		var last chan *lastCaches
		if st != nil && rec != nil && rec.Stamp != st.sum {
			last = make(chan *lastCaches, 1)
			go func() { last <- readLastCaches(opts.CacheDir, dest, rec.Slot) }()
		}
		<-listed
		if st != nil {
			if kept {
				// The output in place now is the spare after this
				// build: see publish.Options.Spares.
				before, beforeRec = &output{Stamp: rec.Stamp, Files: live, Dirs: rec.Dirs}, rec
				popts.LiveStamp = rec.Stamp
				popts.Live = infos(live)
			}
			if rec != nil && rec.Before != nil {
				popts.Spares = map[string]map[string]publish.FileInfo{rec.Before.Stamp: infos(rec.Before.Files)}
				spare = rec.Before
			}
			if kept && rec.Stamp == st.sum {
				check = []Phase{{Name: "check: hash inputs, list output", Time: time.Since(t0)}}
				return &Result{Roles: rec.Roles, Questions: rec.Questions, Files: rec.Written, Warnings: rec.Warnings,
					UpToDate: true, Phases: check}, nil
			}
			// Without a folder for the cache, the build goes on without.
			var prev *lastCaches
			if last != nil {
				prev = <-last
			}
			if r, err := newReuse(opts.CacheDir, dest, st, rec, kept, prev); err == nil {
				opts.reuse = r
				defer r.Close()
			}
		}
		check = []Phase{{Name: "check: hash inputs, list output, read cache", Time: time.Since(t0)}}
	}
	// A build that keeps most files from the last has no use for reading
	// the spare folder ahead.
	reusing := opts.reuse != nil && opts.reuse.cache != nil
	popts.SkipSame, popts.NoWarm = !opts.NoCache, reusing
	dir, err := publish.Open(dest, source, popts)
	if err != nil {
		return nil, err
	}
	defer dir.Wait() // leftovers of older builds, deleted meanwhile
	res, err := Run(ctx, sourcefs.Dir(source), opts, dir)
	if err != nil {
		dir.Abort()
		return res, err
	}
	t1 := time.Now()
	// Whether an input changed while the build ran is looked at while the
	// output is swapped in and its record made.
	var changed chan bool
	if st != nil {
		changed = make(chan bool, 1)
		var unread map[string]bool
		if opts.reuse != nil {
			unread = opts.reuse.restored
		}
		go func() { changed <- changedSince(source, st.files, unread) }()
	}
	if cache {
		// The record no longer holds once the destination changes.
		forget(opts.CacheDir, dest)
	}
	if err := dir.Commit(); err != nil {
		dir.Abort()
		if changed != nil {
			<-changed
		}
		return res, err
	}
	done := time.Now()
	if !dir.Stamped() {
		before = nil // the replaced output is not under its stamp
	}
	// The output replaced is the next build's spare, which that build
	// takes to hold the files the check found. A file written into it
	// while this build ran would be in no list, and the next build would
	// publish it: its folders are looked at again, beside the record.
	var spareKept chan bool
	if before != nil && beforeRec.Dirs != nil {
		spareKept = make(chan bool, 1)
		go func() { spareKept <- sameFolders(publish.SparePath(dest, before.Stamp), beforeRec, false) }()
	}
	// Record the output only if nothing the build read changed while it
	// ran: a file saved during the build may or may not be in it. The
	// record names the slot of the roles cache this build wrote, which
	// describes this output.
	if st != nil {
		slot := 0
		if opts.reuse != nil {
			slot = opts.reuse.slot
		}
		// The spare's folders are looked at while the record is made.
		replaced := func() *output {
			if spareKept != nil && !<-spareKept {
				return nil
			}
			return before
		}
		// The folders the build left alone in the spare it recycled are
		// as the record of that spare says.
		var prior []fileStat
		name, touched := dir.Touched()
		if spare != nil && name == spare.Stamp {
			prior = spare.Dirs
		}
		remember(opts.CacheDir, dest, st, res, dir.Files(), replaced, slot, done, func() bool { return !<-changed }, prior, touched)
	}
	res.Phases = append(append(check, res.Phases...), Phase{Name: "swap in, record output", Time: time.Since(t1)})
	return res, nil
}

// tuneCheckGC sets the garbage collector for the start of a build, until
// the size of the guide is known, and returns what restores it. A build
// that may use a cache first reads the last build's record and caches,
// 40-60 MB at 10,000 roles, from a heap of a few megabytes: at the default
// setting that took nine collections in its first tenth of a second. What
// it reads it keeps, so the heap grows to about five times that at most.
// Every build then reads each role file's header, keeping a little of
// each: at the default setting, 46-55 collections at 10,000 roles. No
// memory limit is set: one of 128 MiB made a one-role rebuild at 10,000
// roles 50 ms of CPU slower (collecting, and returning memory to the
// system), for no lower peak. Run sets its own once the size of the guide
// is known (see tuneGC).
func tuneCheckGC() (restore func()) {
	gc := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(gc) }
}
