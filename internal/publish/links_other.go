//go:build !unix

package publish

import (
	"io/fs"
	"os"
)

// links reports more than one link where it cannot tell, so that files are
// replaced rather than overwritten in place.
func links(fs.FileInfo) uint64 { return 2 }

// mine reports true: ownership is not checked here.
func mine(fs.FileInfo) bool { return true }

// warmable is false where a file open for reading cannot be removed or its
// folder renamed (Windows): recycled folders are not read ahead there.
const warmable = false

func openNoFollow(name string) (*os.File, error) { return os.Open(name) }

// fileID reports zeros: files are not told apart by number here.
func fileID(fs.FileInfo) (dev, ino uint64) { return 0, 0 }
