//go:build !unix

package build

import (
	"errors"
	"io/fs"
)

// linkCount reports that the system does not tell how many names a file
// has: os.Lstat does not ask it here.
func linkCount(fs.FileInfo) (uint64, bool) { return 0, false }

// mkfifo fails: there are no FIFOs here.
func mkfifo(string) error { return errors.New("no FIFOs here") }
