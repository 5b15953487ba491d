package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"image"
	_ "image/png" // decodes QRPNG's output
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kalan-platform/kalan/server/certificate"
)

// decodeQR reads a QR code from a PNG as a phone's scanner would: with
// ZXing's full detector (no "pure barcode" shortcut), turning the image
// when upright fails. ZXing misplaces a finder pattern on about 1 in 80
// perfectly clean, upright codes (zxing/zxing#1763 reports the same with
// ZXing's own codes); a phone never sees the page at exactly 0° and reads
// them, and so does ZXing once the image is turned.
func decodeQR(t testing.TB, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	var errs []error
	for range 4 {
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatalf("bitmap: %v", err)
		}
		res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
		if err == nil {
			return res.GetText()
		}
		errs = append(errs, err)
		img = rotate(img)
	}
	t.Fatalf("decode QR code: %v", errors.Join(errs...))
	return ""
}

// rotate turns img a quarter turn.
func rotate(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			out.Set(b.Dy()-1-y, x, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func TestQRContent(t *testing.T) {
	key := testKey(t)
	c := testCert(t)
	payload, sig := certificate.Sign(key, c)
	b64 := base64.RawURLEncoding
	want := "https://kalan.example.org/verify/" + certificate.FormatSerial(c.Serial) +
		"?p=" + b64.EncodeToString(payload) + "&s=" + b64.EncodeToString(sig)
	for _, base := range []string{baseURL, baseURL + "/"} {
		if got := certificate.QRContent(base, payload, sig); got != want {
			t.Errorf("QRContent(%q) =\n%s\nwant\n%s", base, got, want)
		}
	}
	// Two "=" for p and s, none for padding; nothing to percent-encode.
	_, query, _ := strings.Cut(certificate.QRContent(baseURL, payload, sig), "?")
	if strings.Count(query, "=") != 2 || strings.ContainsAny(query, "+/% ") {
		t.Errorf("QRContent query has padding or characters to escape: %s", query)
	}
}

// TestQROffline is the offline verification a verifier does at a
// checkpoint: scan the code, then check it with only the published public
// key, no network and no database.
func TestQROffline(t *testing.T) {
	key := testKey(t)
	pubPEM, err := certificate.EncodePublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*certificate.Certificate)
		base string
	}{
		{"Bambara name", func(*certificate.Certificate) {}, baseURL},
		{"base URL with a path", func(*certificate.Certificate) {}, "https://example.org/kalan/"},
		{"plain http on a laptop", func(*certificate.Certificate) {}, "http://192.168.1.10:8080"},
		{"120-character name", func(c *certificate.Certificate) { c.Holder = longName }, baseURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := testCert(t)
			tt.edit(&want)
			payload, sig := certificate.Sign(key, want)
			content := certificate.QRContent(tt.base, payload, sig)
			png, err := certificate.QRPNG(content, 512)
			if err != nil {
				t.Fatalf("QRPNG: %v", err)
			}
			scanned := decodeQR(t, png)
			if scanned != content {
				t.Fatalf("scanned\n%s\nwant\n%s", scanned, content)
			}
			p, s, err := certificate.ParseQRContent(scanned)
			if err != nil {
				t.Fatalf("ParseQRContent: %v", err)
			}
			pub, err := certificate.DecodePublicKey(pubPEM) // all the verifier has
			if err != nil {
				t.Fatal(err)
			}
			got, err := certificate.Verify(pub, p, s)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			assertSameCert(t, got, want)
			t.Logf("%d characters in the QR code", len(content))
		})
	}
}

func TestQRPNG(t *testing.T) {
	img := func(t *testing.T, png []byte) image.Rectangle {
		t.Helper()
		cfg, _, err := image.Decode(bytes.NewReader(png))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Bounds()
	}
	t.Run("size", func(t *testing.T) {
		png, err := certificate.QRPNG("https://kalan.example.org/verify/7QX-4M2-PAQ", 300)
		if err != nil {
			t.Fatal(err)
		}
		if b := img(t, png); b.Dx() != 300 || b.Dy() != 300 {
			t.Errorf("image is %v, want 300×300", b)
		}
	})
	for _, tt := range []struct {
		name    string
		content string
		size    int
	}{
		{"zero size", "x", 0},
		{"negative size", "x", -5},
		{"huge size", "x", 100_000},
		{"too much for a QR code", strings.Repeat("x", 3000), 512},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := certificate.QRPNG(tt.content, tt.size); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestParseQRContentRefuses(t *testing.T) {
	key := testKey(t)
	c := testCert(t)
	payload, sig := certificate.Sign(key, c)
	good := certificate.QRContent(baseURL, payload, sig)
	b64 := base64.RawURLEncoding
	p, s := b64.EncodeToString(payload), b64.EncodeToString(sig)
	serial := certificate.FormatSerial(c.Serial)
	other := testCert(t) // another serial
	otherPayload, otherSig := certificate.Sign(key, other)

	if _, _, err := certificate.ParseQRContent(good); err != nil {
		t.Fatalf("ParseQRContent(good): %v", err)
	}
	lower := strings.Replace(good, serial, strings.ToLower(c.Serial), 1)
	if _, _, err := certificate.ParseQRContent(lower); err != nil {
		t.Errorf("ParseQRContent with a lower-case, unformatted serial: %v", err)
	}

	tests := []struct{ name, in string }{
		{"empty", ""},
		{"not a URL", "Fanta Kɔnɛ"},
		{"control character", "https://kalan.example.org/verify/\x00"},
		{"no scheme", "kalan.example.org/verify/" + serial + "?p=" + p + "&s=" + s},
		{"other scheme", "ftp://kalan.example.org/verify/" + serial + "?p=" + p + "&s=" + s},
		{"no host", "https:///verify/" + serial + "?p=" + p + "&s=" + s},
		{"not /verify/", baseURL + "/check/" + serial + "?p=" + p + "&s=" + s},
		{"no serial", baseURL + "/verify/?p=" + p + "&s=" + s},
		{"bad serial", baseURL + "/verify/AAA-AAA-AAB?p=" + p + "&s=" + s},
		{"serial of another certificate", baseURL + "/verify/" + certificate.FormatSerial(other.Serial) + "?p=" + p + "&s=" + s},
		{"path after the serial", baseURL + "/verify/" + serial + "/x?p=" + p + "&s=" + s},
		{"no query", baseURL + "/verify/" + serial},
		{"no signature", baseURL + "/verify/" + serial + "?p=" + p},
		{"no payload", baseURL + "/verify/" + serial + "?s=" + s},
		{"extra parameter", good + "&x=1"},
		{"repeated signature", good + "&s=" + s},
		{"semicolon", strings.Replace(good, "&", ";", 1)},
		{"bad escape", good + "%zz"},
		{"padded base64", baseURL + "/verify/" + serial + "?p=" + base64.URLEncoding.EncodeToString(payload) + "&s=" + base64.URLEncoding.EncodeToString(sig)},
		{"standard base64", baseURL + "/verify/" + serial + "?p=" + strings.NewReplacer("-", "+", "_", "/").Replace(p) + "&s=" + strings.NewReplacer("-", "+", "_", "/").Replace(s) + "+/"},
		{"short signature", baseURL + "/verify/" + serial + "?p=" + p + "&s=" + b64.EncodeToString(sig[:63])},
		{"payload not JSON", baseURL + "/verify/" + serial + "?p=" + b64.EncodeToString([]byte("hello")) + "&s=" + s},
		{"payload of another certificate", baseURL + "/verify/" + serial + "?p=" + b64.EncodeToString(otherPayload) + "&s=" + b64.EncodeToString(otherSig)},
		{"too long", good + strings.Repeat("A", 3000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p, s, err := certificate.ParseQRContent(tt.in); err == nil {
				t.Errorf("ParseQRContent(%q) = %q, %x; want an error", tt.in, p, s)
			}
		})
	}
}

func FuzzParseQRContent(f *testing.F) {
	key := testKey(f)
	payload, sig := certificate.Sign(key, testCert(f))
	f.Add(certificate.QRContent(baseURL, payload, sig))
	f.Add(certificate.QRContent("http://10.0.0.1:8080/kalan", payload, sig))
	f.Add("https://kalan.example.org/verify/7QX-4M2-PAQ?p=e30&s=AA")
	f.Add("https://h/verify/7QX4M2PAQ?p=&s=")
	f.Add("%")
	f.Fuzz(func(t *testing.T, content string) {
		p, s, err := certificate.ParseQRContent(content)
		if err != nil {
			return
		}
		// Whatever was accepted encodes back to a QR text that gives the
		// same payload and signature.
		again := certificate.QRContent(baseURL, p, s)
		p2, s2, err := certificate.ParseQRContent(again)
		if err != nil {
			t.Fatalf("ParseQRContent(%q) accepted, but its re-encoding %q is refused: %v", content, again, err)
		}
		if !bytes.Equal(p, p2) || !bytes.Equal(s, s2) {
			t.Fatalf("re-encoding changed the payload or signature:\n%q %x\n%q %x", p, s, p2, s2)
		}
	})
}
