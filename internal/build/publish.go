package build

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/guide-build/guide/internal/publish"
)

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
	var st string
	var inputs []fileStat
	var check []Phase
	if cache {
		// A stamp that cannot be made (an unreadable file) only means no
		// shortcut; the build reports the problem properly.
		st, inputs, _ = stamp(source, opts)
		var rec *record
		ok := false
		if st != "" {
			rec, ok = upToDate(opts.CacheDir, dest, st)
		}
		check = []Phase{{"check: hash inputs, list output", time.Since(t0)}}
		if ok {
			return &Result{Roles: rec.Roles, Questions: rec.Questions, Files: rec.Written, Warnings: rec.Warnings,
				UpToDate: true, Phases: check}, nil
		}
		forget(opts.CacheDir, dest)
	}
	dir, err := publish.Open(dest, source, publish.Options{SkipSame: !opts.NoCache})
	if err != nil {
		return nil, err
	}
	defer dir.Wait() // leftovers of older builds, deleted meanwhile
	res, err := Run(ctx, os.DirFS(source), opts, dir)
	if err != nil {
		dir.Abort()
		return res, err
	}
	t1 := time.Now()
	if err := dir.Commit(); err != nil {
		dir.Abort()
		return res, err
	}
	// Record the output only if nothing the build read changed while it
	// ran: a file saved during the build may or may not be in it.
	if cache && st != "" && !changedSince(source, inputs) {
		remember(opts.CacheDir, dest, st, res)
	}
	res.Phases = append(append(check, res.Phases...), Phase{"swap in, record output", time.Since(t1)})
	return res, nil
}
