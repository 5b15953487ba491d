package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/certificate"
)

const installPoppler = "apt-get install poppler-utils"

// frenchText is the wording a French-speaking holder gets.
func frenchText(c certificate.Certificate) certificate.Text {
	return certificate.Text{
		Heading:      "Attestation de réussite",
		Intro:        "Nous certifions que",
		Completed:    "a suivi avec succès le cours",
		DateLabel:    "Date",
		DurationText: "45 minutes",
		OrgLabel:     "Organisation",
		SerialLabel:  "N° d'attestation",
		VerifyText:   "Vérifiez-la sur " + baseURL + "/verify/" + certificate.FormatSerial(c.Serial) + " ou scannez le code.",
		Date:         "2 mars 2027",
	}
}

// render signs c and renders its PDF, returning the PDF, the QR text and
// the path of the PDF written to a temporary directory.
func render(t testing.TB, c certificate.Certificate, text certificate.Text) (pdf []byte, qr, path string) {
	t.Helper()
	payload, sig := certificate.Sign(testKey(t), c)
	qr = certificate.QRContent(baseURL, payload, sig)
	regular, bold := fonts(t)
	pdf, err := certificate.PDF(c, text, qr, regular, bold)
	if err != nil {
		t.Fatalf("PDF: %v", err)
	}
	path = filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return pdf, qr, path
}

func TestPDFText(t *testing.T) {
	pdftotext := tool(t, "pdftotext", installPoppler)
	noSpaces := strings.Repeat("Ɲɛŋɔ", 30) // 120 letters, no place to break

	tests := []struct {
		name string
		edit func(*certificate.Certificate, *certificate.Text)
		// want are extra strings the text must contain, after squash.
		want []string
		// compact compares with all white space removed: a word too long
		// for a line is cut, and pdftotext then puts a break inside it.
		compact bool
	}{
		{name: "Bambara name", edit: func(*certificate.Certificate, *certificate.Text) {}},
		{
			name: "revoked",
			edit: func(_ *certificate.Certificate, x *certificate.Text) {
				x.Revoked = "RÉVOQUÉE le 2027-03-04 : erreur sur l'identité du titulaire"
			},
			want: []string{"RÉVOQUÉE le 2027-03-04 : erreur sur l'identité du titulaire"},
		},
		{
			name: "long revocation reason",
			edit: func(_ *certificate.Certificate, x *certificate.Text) {
				x.Revoked = "RÉVOQUÉE le 2027-03-04 : " + strings.Repeat("motif très long ", 12)
			},
			want: []string{"RÉVOQUÉE le 2027-03-04 : motif très long"},
		},
		{
			name: "120-character name and long title",
			edit: func(c *certificate.Certificate, _ *certificate.Text) {
				c.Holder = longName
				c.Title = frenchTitle + " — repérer, protéger et orienter les victimes de la traite et du travail forcé au Mali"
			},
		},
		{
			name:    "120 letters without a space",
			edit:    func(c *certificate.Certificate, _ *certificate.Text) { c.Holder = noSpaces },
			compact: true,
		},
		{
			name: "English",
			edit: func(c *certificate.Certificate, x *certificate.Text) {
				c.Title, c.Lang, c.Organisation = "Spotting trafficking: the basics", "en", "Ministry of Labour"
				*x = certificate.Text{Heading: "Certificate of completion", Intro: "This certifies that", Completed: "has completed the course",
					DateLabel: "Date", DurationText: "45 minutes", OrgLabel: "Organisation", SerialLabel: "Certificate no.",
					VerifyText: "Check it at " + baseURL + "/verify/" + certificate.FormatSerial(c.Serial) + " or scan the code.", Date: "2 March 2027"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCert(t)
			text := frenchText(c)
			tt.edit(&c, &text)
			pdf, _, path := render(t, c, text)
			assertA4Landscape(t, pdf)

			got := squash(run(t, pdftotext, "-layout", path, "-"))
			want := append([]string{
				c.Holder, c.Title, certificate.FormatSerial(c.Serial),
				text.Heading, text.Intro, text.Completed, text.DurationText,
				text.DateLabel + " " + text.Date, text.OrgLabel + " " + c.Organisation,
				text.SerialLabel + " " + certificate.FormatSerial(c.Serial),
				text.VerifyText, c.Issuer,
			}, tt.want...)
			for _, w := range want {
				g, w := got, squash(w)
				if tt.compact {
					g, w = strings.Join(strings.Fields(g), ""), strings.Join(strings.Fields(w), "")
				}
				if !strings.Contains(g, w) {
					t.Errorf("PDF text lacks %q; it is:\n%s", w, got)
				}
			}
			if text.Revoked == "" && strings.Contains(got, "RÉVOQUÉE") {
				t.Errorf("a valid certificate says RÉVOQUÉE")
			}
		})
	}
}

// assertA4Landscape reads the page size from the PDF's MediaBox: A4 is
// 595.28 × 841.89 pt, and landscape puts the long side across. It also
// checks there is exactly one page: nothing may spill onto a second.
func assertA4Landscape(t *testing.T, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllSubmatch(pdf, -1)
	if len(m) != 1 {
		t.Fatalf("%d MediaBox entries, want 1", len(m))
	}
	w, _ := strconv.ParseFloat(string(m[0][1]), 64)
	h, _ := strconv.ParseFloat(string(m[0][2]), 64)
	if w < 840.89 || w > 842.89 || h < 594.28 || h > 596.28 {
		t.Errorf("page is %.2f × %.2f pt, want A4 landscape 841.89 × 595.28", w, h)
	}
	if !bytes.Contains(pdf, []byte("/Count 1")) {
		t.Errorf("PDF does not have exactly one page")
	}
}

func TestPDFInfo(t *testing.T) {
	pdfinfo := tool(t, "pdfinfo", installPoppler)
	pdffonts := tool(t, "pdffonts", installPoppler)
	c := testCert(t)
	pdf, _, path := render(t, c, frenchText(c))

	info := run(t, pdfinfo, path)
	for _, want := range []string{"Pages:           1", "Page size:       841.89 x 595.28 pts (A4)", "Page rot:        0", "Attestation de réussite " + certificate.FormatSerial(c.Serial)} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}

	// Both fonts embedded, with a Unicode map (what makes the text
	// extractable); fpdf cuts them down to the glyphs used, which is why
	// the PDF is a fraction of the 1.4 MB of the two fonts.
	fontsOut := run(t, pdffonts, path)
	embedded := regexp.MustCompile(`(?m)^utf8dejavuB?\s+CID TrueType\s+Identity-H\s+yes\s+\S+\s+yes`).FindAllString(fontsOut, -1)
	if len(embedded) != 2 {
		t.Errorf("want 2 embedded DejaVu fonts with a ToUnicode map:\n%s", fontsOut)
	}
	const budget = 100 << 10
	if len(pdf) > budget {
		t.Errorf("PDF is %d KB, want at most %d KB: are the fonts still subset?", len(pdf)>>10, budget>>10)
	}
	t.Logf("PDF is %.1f KB", float64(len(pdf))/1024)
}

// TestPDFQRScans takes the QR code out of the PDF, as a scan of the printed
// page would, and verifies it offline. It also checks it is the only image:
// all the text is text.
func TestPDFQRScans(t *testing.T) {
	pdfimages := tool(t, "pdfimages", installPoppler)
	key := testKey(t)
	c := testCert(t)
	c.Holder = longName // the biggest QR code a real name makes
	payload, sig := certificate.Sign(key, c)
	qr := certificate.QRContent(baseURL, payload, sig)
	regular, bold := fonts(t)
	pdf, err := certificate.PDF(c, frenchText(c), qr, regular, bold)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "certificate.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	list := run(t, pdfimages, "-list", path)
	// "page num type width height … x-ppi y-ppi size ratio", after 2 header lines.
	rows := strings.Split(strings.TrimSpace(list), "\n")[2:]
	if len(rows) != 1 {
		t.Fatalf("want 1 image (the QR code), got:\n%s", list)
	}
	// 48 mm wide: the x-ppi column gives the printed width of the image.
	fields := strings.Fields(rows[0])
	width, _ := strconv.ParseFloat(fields[3], 64)
	ppi, _ := strconv.ParseFloat(fields[12], 64)
	if mm := width / ppi * 25.4; mm < 35 {
		t.Errorf("QR code is %.1f mm wide, want at least 35", mm)
	}

	run(t, pdfimages, "-png", path, filepath.Join(dir, "img"))
	png, err := os.ReadFile(filepath.Join(dir, "img-000.png"))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, png); got != qr {
		t.Fatalf("QR code in the PDF reads\n%s\nwant\n%s", got, qr)
	}
	p, s, err := certificate.ParseQRContent(qr)
	if err != nil {
		t.Fatal(err)
	}
	got, err := certificate.Verify(key.Public().(ed25519.PublicKey), p, s)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	assertSameCert(t, got, c)
}

func TestPDFDeterministic(t *testing.T) {
	c := testCert(t)
	payload, sig := certificate.Sign(testKey(t), c)
	qr := certificate.QRContent(baseURL, payload, sig)
	regular, bold := fonts(t)
	a, err := certificate.PDF(c, frenchText(c), qr, regular, bold)
	if err != nil {
		t.Fatal(err)
	}
	b, err := certificate.PDF(c, frenchText(c), qr, regular, bold)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same certificate differ")
	}
}

func TestPDFOddInput(t *testing.T) {
	regular, bold := fonts(t)
	c := testCert(t)
	payload, sig := certificate.Sign(testKey(t), c)
	qr := certificate.QRContent(baseURL, payload, sig)

	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			name          string
			qr            string
			regular, bold []byte
		}{
			{"no fonts", qr, nil, nil},
			{"not a font", qr, []byte("hello, world, not a font"), bold},
			{"truncated font", qr, regular, bold[:2000]},
			{"QR text too long", strings.Repeat("x", 4000), regular, bold},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := certificate.PDF(c, frenchText(c), tt.qr, tt.regular, tt.bold); err == nil {
					t.Error("no error")
				}
			})
		}
	})
	t.Run("rendered", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			edit func(*certificate.Certificate, *certificate.Text)
		}{
			{"emoji beyond the BMP", func(c *certificate.Certificate, _ *certificate.Text) { c.Holder = "Awa 😀 Diallo 𝔸" }},
			{"control characters", func(c *certificate.Certificate, _ *certificate.Text) { c.Holder = "Awa\nDiallo\t\x00" }},
			{"invalid UTF-8", func(c *certificate.Certificate, _ *certificate.Text) { c.Title = "Cours \xff\xfe" }},
			{"letters DejaVu lacks", func(c *certificate.Certificate, _ *certificate.Text) { c.Holder = "阿瓦 ꦲꦮ" }},
			{"Arabic", func(c *certificate.Certificate, _ *certificate.Text) { c.Holder = "عائشة ديالو" }},
			{"empty everything", func(c *certificate.Certificate, x *certificate.Text) {
				*c, *x = certificate.Certificate{}, certificate.Text{}
			}},
			{"very long organisation", func(c *certificate.Certificate, _ *certificate.Text) {
				c.Organisation = strings.Repeat("Direction régionale ", 20)
			}},
			{"bad language tag", func(c *certificate.Certificate, _ *certificate.Text) { c.Lang = "fr) /Evil (" }},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c, text := c, frenchText(c)
				tt.edit(&c, &text)
				pdf, err := certificate.PDF(c, text, qr, regular, bold)
				if err != nil {
					t.Fatalf("PDF: %v", err)
				}
				assertA4Landscape(t, pdf)
			})
		}
	})
}

func BenchmarkPDF(b *testing.B) {
	c := testCert(b)
	payload, sig := certificate.Sign(testKey(b), c)
	qr := certificate.QRContent(baseURL, payload, sig)
	regular, bold := fonts(b)
	text := frenchText(c)
	var size int
	for b.Loop() {
		pdf, err := certificate.PDF(c, text, qr, regular, bold)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
}
