package certificate

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// verifyPath is the public verification route (docs/CONTRACT.md: GET /verify/{serial}).
const verifyPath = "/verify/"

// maxQRContent bounds what ParseQRContent reads: a QR code holds at most
// 2,953 bytes, so anything longer did not come from one.
const maxQRContent = 2953

// maxQRPixels bounds QRPNG's size: a paletted image costs size² bytes.
const maxQRPixels = 4096

// QRContent returns the text of the QR code: the verification URL, which a
// phone opens, carrying the payload and the signature so that a verifier
// holding the public key can check it with no network (unpadded base64url:
// nothing to percent-encode and no padding, to keep the code small):
//
//	baseURL + "/verify/" + FormatSerial(serial) + "?p=" + base64url(payload) + "&s=" + base64url(sig)
//
// The serial is read from payload; if payload does not parse the serial is
// left empty (the URL then verifies nothing, which Sign never produces).
// A trailing "/" on baseURL is dropped.
func QRContent(baseURL string, payload, sig []byte) string {
	serial := ""
	if c, err := ParsePayload(payload); err == nil {
		serial = FormatSerial(c.Serial)
	}
	return strings.TrimRight(baseURL, "/") + verifyPath + serial +
		"?p=" + base64.RawURLEncoding.EncodeToString(payload) + "&s=" + base64.RawURLEncoding.EncodeToString(sig)
}

// ParseQRContent extracts the payload and the signature from a scanned QR
// text. It checks the form only, not the signature (that is Verify's job):
// an http(s) URL whose path ends in /verify/{serial}, exactly one p and one
// s parameter in unpadded base64url, a 64-byte signature, and a payload
// that parses and states the serial of the path, so the page a phone opens
// is the certificate the payload describes. It never panics.
func ParseQRContent(content string) (payload, sig []byte, err error) {
	if len(content) > maxQRContent {
		return nil, nil, errors.New("certificate: QR text too long")
	}
	u, err := url.Parse(content)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: QR text: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, nil, errors.New("certificate: QR text is not an http(s) URL")
	}
	i := strings.LastIndex(u.Path, verifyPath)
	if i < 0 {
		return nil, nil, errors.New("certificate: QR URL is not a verification URL")
	}
	pathSerial, ok := NormalizeSerial(u.Path[i+len(verifyPath):])
	if !ok {
		return nil, nil, errors.New("certificate: QR URL has no valid serial")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: QR URL query: %w", err)
	}
	if len(q) != 2 || len(q["p"]) != 1 || len(q["s"]) != 1 {
		return nil, nil, errors.New("certificate: QR URL wants exactly one p and one s")
	}
	payload, err = base64.RawURLEncoding.DecodeString(q["p"][0])
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: QR payload: %w", err)
	}
	sig, err = base64.RawURLEncoding.DecodeString(q["s"][0])
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: QR signature: %w", err)
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, nil, fmt.Errorf("certificate: QR signature has %d bytes, want %d", len(sig), ed25519.SignatureSize)
	}
	c, err := ParsePayload(payload)
	if err != nil {
		return nil, nil, err
	}
	if c.Serial != pathSerial {
		return nil, nil, errors.New("certificate: QR URL serial differs from the payload's")
	}
	return payload, sig, nil
}

// QRPNG renders content as a PNG QR code, size pixels wide, with medium
// error correction (15%: survives a fold or a stain, yet keeps the code of
// a ~600-byte URL small enough to scan from print) and the standard 4-module
// quiet zone. Every module is the same whole number of pixels, centred in
// the white square, because modules of uneven width (6 and 7 pixels side
// by side) are what makes a scanner miss. size must be in 1…4096; if it is
// smaller than the code has modules, the image is larger.
func QRPNG(content string, size int) ([]byte, error) {
	if size <= 0 || size > maxQRPixels {
		return nil, fmt.Errorf("certificate: QR size %d out of 1…%d", size, maxQRPixels)
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	bits := q.Bitmap() // quiet zone included
	ppm := max(1, size/len(bits))
	size = max(size, len(bits))
	offset := (size - ppm*len(bits)) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range ppm {
				i := img.PixOffset(offset+x*ppm, offset+y*ppm+dy)
				for dx := range ppm {
					img.Pix[i+dx] = 1
				}
			}
		}
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("certificate: QR code: %w", err)
	}
	return b.Bytes(), nil
}

// qrModules returns how many modules wide content's QR code is, quiet zone
// included, so that PDF can ask QRPNG for a whole number of pixels per
// module and get evenly sized modules.
func qrModules(content string) (int, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return 0, fmt.Errorf("certificate: QR code: %w", err)
	}
	return len(q.Bitmap()), nil
}
