package publish

import (
	"io"
	"io/fs"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/guide-build/guide/internal/eintr"
)

// wfile is a file Put writes, through the system's calls themselves: an
// os.File costs four more calls on each open, to try and fail to add a
// regular file to the network poller, and a build opens tens of thousands
// (see writeNew and rewrite).
type wfile struct {
	fd   int
	name string
}

// openWrite opens name for writing: a new file (or one truncated) when
// create is set, else the existing file for reading and writing.
func openWrite(name string, create bool) (wfile, error) {
	flags := syscall.O_RDWR | syscall.O_CLOEXEC
	if create {
		flags = syscall.O_WRONLY | syscall.O_CREAT | syscall.O_TRUNC | syscall.O_CLOEXEC
	}
	fd, err := eintr.Retry(func() (int, error) { return syscall.Open(name, flags, 0o644) })
	if err != nil {
		return wfile{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return wfile{fd: fd, name: name}, nil
}

// Read reads on from where the last read stopped, as holds needs.
func (f wfile) Read(b []byte) (int, error) {
	n, err := eintr.Retry(func() (int, error) { return syscall.Read(f.fd, b) })
	switch {
	case err != nil:
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
	case n == 0 && len(b) > 0:
		return 0, io.EOF
	}
	return n, nil
}

// WriteAt writes all of b at off.
func (f wfile) WriteAt(b []byte, off int64) (int, error) {
	done := 0
	for done < len(b) {
		n, err := eintr.Retry(func() (int, error) { return syscall.Pwrite(f.fd, b[done:], off+int64(done)) })
		if err != nil {
			return done, &fs.PathError{Op: "write", Path: f.name, Err: err}
		}
		if n == 0 {
			return done, &fs.PathError{Op: "write", Path: f.name, Err: io.ErrShortWrite}
		}
		done += n
	}
	return done, nil
}

// Truncate sets the file's size.
func (f wfile) Truncate(size int64) error {
	if _, err := eintr.Retry(func() (struct{}, error) { return struct{}{}, syscall.Ftruncate(f.fd, size) }); err != nil {
		return &fs.PathError{Op: "truncate", Path: f.name, Err: err}
	}
	return nil
}

// info returns the file's details, as Info does from os.Stat.
func (f wfile) info() (FileInfo, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return FileInfo{}, &fs.PathError{Op: "stat", Path: f.name, Err: err}
	}
	return statInfo(&st), nil
}

// statInfo is Info of what a stat call gave.
func statInfo(st *syscall.Stat_t) FileInfo {
	return FileInfo{Size: st.Size, MTime: st.Mtim.Nano(), Dev: uint64(st.Dev), Ino: st.Ino}
}

// Close closes the file. Closing is not retried on EINTR: Linux has let go
// of the descriptor by then.
func (f wfile) Close() error {
	if err := syscall.Close(f.fd); err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// warmFile reads the file at name into the system's cache, as warm
// describes: all of it when whole is set, else its last page, into page.
// It neither follows a symbolic link nor waits on a FIFO, and a file it
// cannot read is left alone.
func warmFile(name string, whole bool, page []byte) {
	fd, err := openRead(name)
	if err != nil {
		return
	}
	defer syscall.Close(fd)
	if whole {
		for {
			if n, err := eintr.Retry(func() (int, error) { return syscall.Read(fd, page) }); err != nil || n <= 0 {
				return
			}
		}
	}
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) == nil && st.Mode&syscall.S_IFMT == syscall.S_IFREG && st.Size > 0 {
		syscall.Pread(fd, page, lastPage(st.Size, len(page)))
	}
}

// cachedFile reports whether the file at name is in the system's cache as
// warmFile would read it: its first and last pages, for whole, or its
// last. A read that must not wait on the disk (RWF_NOWAIT) tells; a file
// system that does not support it, or a file that cannot be read, counts
// as not in the cache. Such a read of a missing page starts reading it in,
// so a file found missing is soon back.
func cachedFile(name string, whole bool, page []byte) bool {
	fd, err := openRead(name)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return false
	}
	if st.Size == 0 {
		return true
	}
	offs := []int64{lastPage(st.Size, len(page))}
	if whole && offs[0] > 0 {
		offs = append(offs, 0)
	}
	for _, off := range offs {
		n, err := eintr.Retry(func() (int, error) { return unix.Preadv2(fd, [][]byte{page}, off, unix.RWF_NOWAIT) })
		if err != nil || n <= 0 {
			return false
		}
	}
	return true
}

// openRead opens the file at name for reading, without following a
// symbolic link or waiting on a FIFO.
func openRead(name string) (int, error) {
	return syscall.Open(name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
}

// lastPage returns where the last page of n bytes starts in a file of
// size bytes, size > 0.
func lastPage(size int64, n int) int64 { return (size - 1) / int64(n) * int64(n) }
