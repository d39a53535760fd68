package build

import (
	"io/fs"
	"syscall"
)

// changeTime is when a file's inode last changed, in nanoseconds since
// 1970, or 0 where unknown. Unlike the modification time, no tool can set
// it back: a file written and given its old time again has a new one.
func changeTime(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Ctim.Nano()
	}
	return 0
}
