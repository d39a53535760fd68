//go:build !linux

package sourcefs

import "io/fs"

// newDir returns os.DirFS itself: elsewhere than on Linux, an os.File
// costs no calls to spare.
func newDir(_ string, osfs fs.FS) fs.FS { return osfs }

func (d dirFS) open(name string) (fs.File, error) { return d.os.Open(name) }
