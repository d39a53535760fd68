//go:build unix

package build

import (
	"io/fs"
	"syscall"
)

// linkCount returns how many names the file of info has, and whether the
// system tells.
func linkCount(info fs.FileInfo) (uint64, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Nlink), true
}

// mkfifo makes a FIFO at name.
func mkfifo(name string) error { return syscall.Mkfifo(name, 0o644) }
