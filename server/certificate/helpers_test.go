package certificate_test

import (
	"crypto/ed25519"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/server/certificate"
)

// bambaraName has every Bambara letter a Latin-1 font lacks: ɔ ɛ Ɲ Ŋ.
const bambaraName = "Fanta Kɔnɛ Ɲuman Ŋara"

// frenchTitle has accents, an apostrophe and a colon.
const frenchTitle = "Détecter la traite des êtres humains : l'essentiel"

// baseURL is the public URL of the test deployment.
const baseURL = "https://kalan.example.org"

// testCert returns a certificate like the ones Kalan issues.
func testCert(t testing.TB) certificate.Certificate {
	t.Helper()
	return certificate.Certificate{
		Serial:       certificate.NewSerial(),
		Holder:       bambaraName,
		Course:       "detection-basics",
		Title:        frenchTitle,
		Lang:         "fr",
		Completed:    time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC),
		Minutes:      45,
		Organisation: "Police nationale",
		Issuer:       "Kalan kalan.example.org",
	}
}

// testKey returns a fresh signing key.
func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	k, err := certificate.NewKey()
	if err != nil {
		t.Fatalf("NewKey: %v", err)
	}
	return k
}

// fonts returns the embedded DejaVu Sans regular and bold.
func fonts(t testing.TB) (regular, bold []byte) {
	t.Helper()
	regular, err := assets.Font("DejaVuSans.ttf")
	if err != nil {
		t.Fatalf("font: %v", err)
	}
	bold, err = assets.Font("DejaVuSans-Bold.ttf")
	if err != nil {
		t.Fatalf("font: %v", err)
	}
	return regular, bold
}

// tool returns the path of an external program. When it is missing the
// test fails under CI=true (docs/DESIGN.md §9) and is skipped otherwise, with
// the way to install it.
func tool(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed (CI=true): %s", name, install)
	}
	t.Skipf("%s is not installed: %s", name, install)
	return ""
}

// run runs a program and returns its standard output; a failure fails t
// with the program's standard error.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// squash collapses every run of white space to one space, because
// pdftotext breaks and pads lines as the layout does.
func squash(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// longName is a 120-character name with Bambara letters: it must wrap on
// the PDF and still fit in the QR code.
var longName = func() string {
	s := strings.Repeat("Fanta Kɔnɛ Ɲuman Ŋara Traoré ", 5)
	return strings.TrimSpace(string([]rune(s)[:120]))
}()
