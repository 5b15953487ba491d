package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// PDFToTextHowTo is the install hint for Need.
const PDFToTextHowTo = "apt-get install poppler-utils"

// PDFText extracts the text of a PDF with poppler's pdftotext, the way a
// reader's search or copy-paste would see it.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	Need(t, "pdftotext", err, PDFToTextHowTo)
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
