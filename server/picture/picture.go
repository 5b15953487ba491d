// Package picture decides the phone-sized copies of course images: which
// widths exist, which width a request may ask for, an image's size read
// from its first bytes, and the resizing itself. It does no I/O: callers
// hand it bytes or a reader and store what it returns.
package picture

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // registers the GIF decoder, for Inspect
	"image/jpeg"
	"image/png"
	"io"
	"slices"
	"strconv"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers the WebP decoder, for Inspect
)

// widths are the widths, in pixels, offered in a srcset: a 320-pixel-wide
// phone at 1×, 1.5× and 2×. Keeping the list short keeps the number of
// stored copies per image small.
var widths = []int{320, 480, 640}

// Widths returns the widths that ParseWidth accepts, smallest first.
func Widths() []int { return slices.Clone(widths) }

// maxPixels bounds the images that get copies: decoding takes up to 4
// bytes a pixel, and the server's memory budget is 150 MB. 12 megapixels
// is a 4000×3000 phone photograph.
const maxPixels = 12_000_000

// HeadLen is how many first bytes of an image Inspect needs: enough for
// the header and, for a JPEG, the EXIF segment before the frame header.
const HeadLen = 128 << 10

var (
	// ErrWidth means a requested width is not one of Widths.
	ErrWidth = errors.New("picture: width not offered")
	// ErrUnsupported means the image has no phone-sized copies: not a
	// raster format that can be re-encoded, not decodable, too large, or a
	// JPEG that browsers rotate (EXIF orientation), which a copy would not.
	ErrUnsupported = errors.New("picture: image has no resized copies")
)

// ParseWidth reads the w query parameter of a media URL. Only the exact
// decimal spelling of one of Widths is accepted, so that each copy has one
// URL (and one cache entry).
func ParseWidth(s string) (int, error) {
	for _, w := range widths {
		if s == strconv.Itoa(w) {
			return w, nil
		}
	}
	return 0, ErrWidth
}

// Size is the width and height of an image in pixels.
type Size struct{ Width, Height int }

// formats maps the content types Inspect knows to image package format
// names: a file must be what its content type says.
var formats = map[string]string{"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}

// Raster reports whether the content type is a raster format that Inspect
// decodes: PNG, JPEG, GIF, WebP (not SVG, see Sized).
func Raster(contentType string) bool { return formats[contentType] != "" }

// Inspect reads the size of an image of the given content type from its
// first bytes (HeadLen of them suffice). A JPEG with an EXIF orientation
// other than "normal" gives ErrUnsupported: browsers rotate it, so its
// stored width and height would be the wrong way round. An SVG's size is
// the one its root element declares (see inspectSVG).
func Inspect(contentType string, head []byte) (Size, error) {
	if contentType == svgType {
		return inspectSVG(head)
	}
	want, ok := formats[contentType]
	if !ok {
		return Size{}, ErrUnsupported
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(head))
	if err != nil || format != want || cfg.Width <= 0 || cfg.Height <= 0 {
		return Size{}, ErrUnsupported
	}
	if format == "jpeg" && exifOrientation(head) > 1 {
		return Size{}, ErrUnsupported
	}
	return Size{cfg.Width, cfg.Height}, nil
}

// Variants returns the widths offered for an image: those of Widths
// narrower than the image, for the formats re-encoded in kind (PNG, JPEG;
// there is no WebP encoder, and a GIF copy would lose its animation).
func Variants(contentType string, s Size) []int {
	if contentType != "image/png" && contentType != "image/jpeg" {
		return nil
	}
	if s.Width <= 0 || s.Height <= 0 || s.Width > maxPixels/s.Height {
		return nil
	}
	var out []int
	for _, w := range widths {
		if w < s.Width {
			out = append(out, w)
		}
	}
	return out
}

// Resize reads a whole image and returns a copy width pixels wide, in the
// same format: JPEG at quality 75, PNG with the palette of a paletted
// original (diagrams stay small). It checks, before decoding, that width
// is one of the image's Variants, so a crafted file cannot make it decode
// a huge image.
func Resize(src io.Reader, contentType string, width int) ([]byte, error) {
	br := bufio.NewReaderSize(src, HeadLen)
	head, err := br.Peek(HeadLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	size, err := Inspect(contentType, head)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Variants(contentType, size), width) {
		return nil, ErrUnsupported
	}
	img, _, err := image.Decode(br)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	b := img.Bounds()
	rect := image.Rect(0, 0, width, max(1, (b.Dy()*width+b.Dx()/2)/b.Dx()))
	var out bytes.Buffer
	switch contentType {
	case "image/jpeg":
		dst := image.NewRGBA(rect)
		xdraw.CatmullRom.Scale(dst, rect, img, b, xdraw.Src, nil)
		err = jpeg.Encode(&out, dst, &jpeg.Options{Quality: 75})
	default: // image/png
		dst := image.NewNRGBA(rect)
		xdraw.CatmullRom.Scale(dst, rect, img, b, xdraw.Src, nil)
		var final image.Image = dst
		if p, ok := img.(*image.Paletted); ok {
			// Back to the original's colours: a truecolour copy of a
			// paletted diagram can weigh more than the original.
			pal := image.NewPaletted(rect, p.Palette)
			draw.Draw(pal, rect, dst, image.Point{}, draw.Src)
			final = pal
		}
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, final)
	}
	if err != nil {
		return nil, fmt.Errorf("picture: encode: %w", err)
	}
	return out.Bytes(), nil
}
