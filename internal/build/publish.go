package build

import (
	"context"
	"os"

	"github.com/guide-build/guide/internal/publish"
)

// Publish builds the guide in the folder source and publishes it to the
// folder dest atomically: on any error dest is left as it was.
func Publish(ctx context.Context, source, dest string, opts Options) (*Result, error) {
	dir, err := publish.Open(dest, source)
	if err != nil {
		return nil, err
	}
	res, err := Run(ctx, os.DirFS(source), opts, dir)
	if err != nil {
		dir.Abort()
		return res, err
	}
	if err := dir.Commit(); err != nil {
		dir.Abort()
		return res, err
	}
	return res, nil
}
