package build

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// The real temporary file, on a machine where every write fails as on a
// full disk: the build still succeeds, with the same output.
func TestBuildWhenWritesFail(t *testing.T) {
	if os.Getenv("GUIDE_TEST_NO_WRITES") == "" {
		// The limit holds for the whole process: in this one, the test
		// runner's own log could not be written while it holds. So the
		// test runs again in a process of its own.
		cmd := exec.Command(os.Args[0], "-test.run=^TestBuildWhenWritesFail$", "-test.v")
		cmd.Env = append(os.Environ(), "GUIDE_TEST_NO_WRITES=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if bytes.Contains(out, []byte("--- SKIP")) {
			t.Skipf("%s", out)
		}
		if !bytes.Contains(out, []byte("--- PASS: TestBuildWhenWritesFail")) {
			t.Fatalf("the test did not run:\n%s", out)
		}
		return
	}
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
