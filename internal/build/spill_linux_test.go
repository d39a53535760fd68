package build

import (
	"bytes"
	"maps"
	"syscall"
	"testing"
)

// The real temporary file, on a machine where every write fails as on a
// full disk: the build still succeeds, with the same output.
func TestBuildWhenWritesFail(t *testing.T) {
	want := mustBuild(t, smallGuide(t), Options{})
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip(err)
	}
	// Go ignores SIGXFSZ: writes past the limit fail with EFBIG.
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 0, Max: old.Max}); err != nil {
		t.Skip(err)
	}
	got, _, err := buildFS(t, smallGuide(t), Options{})
	syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old)
	if err != nil {
		t.Fatalf("build failed when the temporary file cannot be written:\n%v", err)
	}
	if !maps.EqualFunc(got, want, bytes.Equal) {
		t.Fatal("output differs")
	}
}
