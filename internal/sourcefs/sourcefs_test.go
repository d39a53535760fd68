package sourcefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"testing/fstest"
	"time"
)

// tree writes a small source folder and returns it.
func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"guide.yaml":                       "title: A guide\n",
		"content/_index.md":                "# Home\n",
		"content/roles/backend.md":         "---\ntitle: Backend\n---\nBody.\n",
		"content/roles/empty.md":           "",
		"content/roles/nested/frontend.md": "---\ntitle: Frontend\n---\n",
	} {
		name = filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("backend.md", filepath.Join(dir, "content/roles/link.md")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Dir meets fs.FS's contract, folders and files alike.
func TestDirIsAFileSystem(t *testing.T) {
	dir := tree(t)
	if err := fstest.TestFS(Dir(dir), "guide.yaml", "content/_index.md", "content/roles/backend.md",
		"content/roles/empty.md", "content/roles/nested/frontend.md", "content/roles/link.md"); err != nil {
		t.Fatal(err)
	}
}

// Every file opened tells what os.DirFS tells of it, and reads the same
// bytes, a symbolic link followed.
func TestDirOpensAsOSDirFS(t *testing.T) {
	dir := tree(t)
	src, want := Dir(dir), os.DirFS(dir)
	for _, name := range []string{"guide.yaml", "content/roles/backend.md", "content/roles/empty.md", "content/roles/link.md", "content/roles"} {
		f, err := src.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		info, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		wantInfo, err := fs.Stat(want, name)
		if err != nil {
			t.Fatal(err)
		}
		if info.Name() != wantInfo.Name() || info.Size() != wantInfo.Size() || info.Mode() != wantInfo.Mode() ||
			!info.ModTime().Equal(wantInfo.ModTime()) || info.IsDir() != wantInfo.IsDir() || !reflect.DeepEqual(info.Sys(), wantInfo.Sys()) {
			t.Errorf("%s: %v %d %v %v %v; want %v %d %v %v %v", name, info.Name(), info.Size(), info.Mode(), info.ModTime(), info.IsDir(),
				wantInfo.Name(), wantInfo.Size(), wantInfo.Mode(), wantInfo.ModTime(), wantInfo.IsDir())
		}
		if !info.IsDir() {
			got, err := io.ReadAll(f)
			if err != nil {
				t.Fatal(err)
			}
			if wantBytes, _ := fs.ReadFile(want, name); string(got) != string(wantBytes) {
				t.Errorf("%s: read %q; want %q", name, got, wantBytes)
			}
		}
		if err := f.Close(); err != nil {
			t.Errorf("%s: closing: %v", name, err)
		}
	}
}

// Errors name the file as os.DirFS's do: by its path in the tree.
func TestDirErrors(t *testing.T) {
	dir := tree(t)
	src := Dir(dir)
	for name, want := range map[string]error{
		"content/roles/missing.md": fs.ErrNotExist,
		"../outside":               fs.ErrInvalid,
		"/etc/passwd":              fs.ErrInvalid,
		"guide.yaml/below":         nil, // not a folder: the system's error
	} {
		_, err := src.Open(name)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Op != "open" || pe.Path != name {
			t.Errorf("Open(%q): %v; want a *fs.PathError of open %s", name, err, name)
		}
		if want != nil && !errors.Is(err, want) {
			t.Errorf("Open(%q): %v; want %v", name, err, want)
		}
	}
	f, err := src.Open("guide.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("reading a closed file: %v; want fs.ErrClosed", err)
	}
	if _, err := f.Stat(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Stat of a closed file: %v; want fs.ErrClosed", err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("closing twice: %v; want fs.ErrClosed", err)
	}
}

// A device read through a link, which would never end, is refused.
func TestDirRefusesToReadADevice(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os.DirFS reads it here")
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.md")); err != nil {
		t.Fatal(err)
	}
	_, err := fs.ReadFile(Dir(dir), "zero.md")
	var pe *fs.PathError
	if !errors.Is(err, ErrNotRegular) || !errors.As(err, &pe) || pe.Op != "read" || pe.Path != "zero.md" {
		t.Errorf("reading /dev/zero: %v; want read zero.md: ErrNotRegular", err)
	}
}

// An empty root is refused, as os.DirFS refuses it, not taken for the
// system's root.
func TestDirOfNoFolder(t *testing.T) {
	if _, err := fs.ReadFile(Dir(""), "etc/hostname"); err == nil {
		t.Error("Dir(\"\") read etc/hostname")
	}
}

// A FIFO among the sources is opened at once, not when a writer comes, and
// says what it is.
func TestDirOpensAFIFOWithoutWaiting(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("os.DirFS waits on a FIFO here")
	}
	dir := t.TempDir()
	if err := mkfifo(filepath.Join(dir, "pipe.md")); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	opened := make(chan error, 1)
	go func() {
		f, err := Dir(dir).Open("pipe.md")
		if err == nil {
			var info fs.FileInfo
			if info, err = f.Stat(); err == nil && info.Mode().Type() != fs.ModeNamedPipe {
				err = errors.New("its mode is " + info.Mode().String())
			}
			if _, rerr := f.Read(make([]byte, 1)); err == nil && !errors.Is(rerr, ErrNotRegular) {
				err = fmt.Errorf("reading it: %v; want ErrNotRegular", rerr)
			}
			f.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a FIFO waits for a writer")
	}
}
