// Package testenv starts the real parts the tests talk to (embedded
// FerretDB, a MinIO server, headless Chromium) and decides what happens when
// one is missing: under CI=true the test fails, locally it is skipped with a
// message saying how to get the part.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run under CI=true, where every part must be
// present.
func InCI() bool { return os.Getenv("CI") == "true" }

// Need stops the test when a part could not be started: it fails under
// CI=true and skips otherwise, naming the part, the error and how to get it.
func Need(t testing.TB, part string, err error, howto string) {
	t.Helper()
	if err == nil {
		return
	}
	if InCI() {
		t.Fatalf("%s is required under CI=true: %v (%s)", part, err, howto)
	}
	t.Skipf("%s not available: %v; to run this test: %s", part, err, howto)
}
