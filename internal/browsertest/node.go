package browsertest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Node runs script in Node.js with the file js loaded as `api` (through
// require) and returns what it prints. Tests use it to run the site's
// JavaScript against the Go code it must agree with. Without Node it skips,
// except in CI.
func Node(t testing.TB, js, script string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		msg := "skipping: this test runs JavaScript in Node.js, which is not installed"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	abs, err := filepath.Abs(js)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(abs)
	file := filepath.Join(t.TempDir(), "test.js")
	if err := os.WriteFile(file, []byte("const api = require("+string(q)+");\n"+script), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, file).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node: %v\n%s", err, stderr)
	}
	return out
}
