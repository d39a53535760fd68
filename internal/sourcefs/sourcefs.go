// Package sourcefs reads a guide's source folder as an fs.FS: what
// os.DirFS gives, with its files opened in fewer calls to the system.
//
// A build reads every role file twice (for its header, then to parse it)
// and hashes it for the record of its output: tens of thousands of files
// opened at 10,000 roles. os.DirFS opens each as an os.File, which costs
// five calls beyond the open itself on Linux: it makes the file
// non-blocking, tries to add it to the network poller, which no regular
// file can join, and makes it blocking again. Dir opens a file with open
// and fstat, and reads it with read. Folders, Stat, ReadDir, ReadLink and Lstat
// are os.DirFS's own.
//
// A FIFO is opened without waiting for a writer, where os.DirFS would
// wait for ever, and its Stat says what it is; reading anything but a
// regular file (a FIFO, a device) fails with ErrNotRegular, where it
// would wait, or never end. Neither has a place among a guide's sources.
package sourcefs

import (
	"errors"
	"io/fs"
	"os"
)

// ErrNotRegular is the error of reading what is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// Dir returns the tree of files under the folder dir, as os.DirFS(dir)
// does.
func Dir(dir string) fs.FS { return newDir(dir, os.DirFS(dir)) }

// dirFS is os.DirFS, but for how it opens files that are not folders (see
// open).
type dirFS struct {
	dir string
	os  fs.FS // os.DirFS(dir)
}

func (d dirFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	return d.open(name)
}

func (d dirFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(d.os, name) }

func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.os, name) }

func (d dirFS) ReadLink(name string) (string, error) { return fs.ReadLink(d.os, name) }

func (d dirFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(d.os, name) }
