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
	t0 := time.Now()
	if err := dir.Commit(); err != nil {
		dir.Abort()
		return res, err
	}
	res.Phases = append(res.Phases, Phase{"swap in", time.Since(t0)})
	return res, nil
}
