package sourcefs

import (
	"io"
	"io/fs"
	"path"
	"syscall"
	"time"

	"github.com/guide-build/guide/internal/eintr"
)

func newDir(dir string, osfs fs.FS) fs.FS {
	if dir == "" {
		return osfs // which refuses every name, as it must
	}
	return dirFS{dir: dir, os: osfs}
}

// open opens the file at name, a valid path: a folder as os.DirFS does,
// anything else as a file of its own.
func (d dirFS) open(name string) (fs.File, error) {
	full := d.dir + "/" + name
	fd, err := eintr.Retry(func() (int, error) {
		return syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := &file{fd: fd, name: name}
	if err := syscall.Fstat(fd, &f.st); err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if f.st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		syscall.Close(fd)
		return d.os.Open(name)
	}
	return f, nil
}

// file is a file that is not a folder, read through the system's calls
// themselves. Its details are those of when it was opened.
type file struct {
	fd   int // -1 once closed
	name string
	st   syscall.Stat_t
}

func (f *file) Stat() (fs.FileInfo, error) {
	if f.fd < 0 {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: fs.ErrClosed}
	}
	return &fileInfo{name: path.Base(f.name), st: f.st}, nil
}

func (f *file) Read(b []byte) (int, error) {
	if f.fd < 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if f.st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: ErrNotRegular}
	}
	if len(b) == 0 {
		return 0, nil
	}
	n, err := eintr.Retry(func() (int, error) { return syscall.Read(f.fd, b) })
	switch {
	case err != nil:
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

func (f *file) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	fd := f.fd
	f.fd = -1
	// Not retried on EINTR: Linux has let go of the descriptor by then.
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// fileInfo is what fstat told of a file, as os.Stat would tell it; Sys
// returns the *syscall.Stat_t.
type fileInfo struct {
	name string
	st   syscall.Stat_t
}

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.st.Size }
func (fi *fileInfo) ModTime() time.Time { return time.Unix(fi.st.Mtim.Unix()) }
func (fi *fileInfo) IsDir() bool        { return fi.Mode().IsDir() }
func (fi *fileInfo) Sys() any           { return &fi.st }

func (fi *fileInfo) Mode() fs.FileMode {
	m := fs.FileMode(fi.st.Mode & 0o777)
	switch fi.st.Mode & syscall.S_IFMT {
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	}
	if fi.st.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if fi.st.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if fi.st.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
