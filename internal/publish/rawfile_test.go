package publish

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestWfileWritesWhatOSReads holds the files Put writes to what the os
// package reads of them: their bytes, and the details Info gives.
func TestWfileWritesWhatOSReads(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f.js")
	body := bytes.Repeat([]byte("0123456789"), 10_000) // past readPool's buffer
	info, err := writeNew(name, body)
	if err != nil {
		t.Fatal(err)
	}
	check := func(info FileInfo, want []byte) {
		t.Helper()
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("the file holds %d bytes (%v); want %d", len(got), err, len(want))
		}
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if info != Info(fi) {
			t.Fatalf("details %+v; os.Stat gives %+v", info, Info(fi))
		}
	}
	check(info, body)

	f, err := openWrite(name, false)
	if err != nil {
		t.Fatal(err)
	}
	if !holds(f, body) {
		t.Error("holds: the file does not hold what was written")
	}
	if err := f.Truncate(5); err != nil {
		t.Fatal(err)
	}
	info, err = finish(f, []byte("abc"))
	if err != nil {
		t.Fatal(err)
	}
	check(info, []byte("abc34"))

	f, err = openWrite(name, false)
	if err != nil {
		t.Fatal(err)
	}
	if holds(f, []byte("abc345")) || f.Close() != nil {
		t.Error("holds: a file shorter than the bytes holds them")
	}

	_, err = openWrite(filepath.Join(t.TempDir(), "missing", "f.js"), true)
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("opening in a missing folder: %v; want a *fs.PathError for a missing file", err)
	}
}
