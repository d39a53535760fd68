//go:build !linux

package publish

import (
	"io"
	"os"
)

// wfile is a file Put writes (see rawfile_linux.go).
type wfile struct{ *os.File }

// openWrite opens name for writing: a new file (or one truncated) when
// create is set, else the existing file for reading and writing.
func openWrite(name string, create bool) (wfile, error) {
	flags := os.O_RDWR
	if create {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags, 0o644)
	return wfile{f}, err
}

// info returns the file's details.
func (f wfile) info() (FileInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return FileInfo{}, err
	}
	return Info(fi), nil
}

// warmFile reads the file at name into the system's cache, as warm
// describes: all of it when whole is set, else its last page, into page.
func warmFile(name string, whole bool, page []byte) {
	f, err := openNoFollow(name)
	if err != nil {
		return
	}
	defer f.Close()
	if whole {
		io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, page)
	} else if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > 0 {
		f.ReadAt(page, (info.Size()-1)/int64(len(page))*int64(len(page)))
	}
}

// cachedFile reports false: whether a file is in the system's cache is
// not asked here, and a recycled folder is always read ahead.
func cachedFile(string, bool, []byte) bool { return false }
