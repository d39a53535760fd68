//go:build unix

package publish

import (
	"io/fs"
	"os"
	"syscall"
)

// links is the number of hard links to the file.
func links(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 2 // unknown: replace rather than overwrite
}

// mine reports whether the current user owns the file.
func mine(info fs.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

// warmable says recycled folders are read ahead here: open files do not
// stand in the way of removing or renaming them.
const warmable = true

// openNoFollow opens a regular file for reading without following a
// symbolic link or waiting on a FIFO.
func openNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// fileID is the device and inode of a file, or zeros where unknown.
func fileID(info fs.FileInfo) (dev, ino uint64) {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino)
	}
	return 0, 0
}
