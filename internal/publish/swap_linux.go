package publish

import (
	"errors"

	"golang.org/x/sys/unix"
)

// swap exchanges the folders tmp and dest in one atomic step, so that dest
// is never missing, and returns where the old output now is (tmp). On file
// systems without RENAME_EXCHANGE it falls back to two renames.
func swap(tmp, dest string) (string, error) {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE)
	if err == nil {
		return tmp, nil
	}
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return swapByRename(tmp, dest)
	}
	return "", err
}
