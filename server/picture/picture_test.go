package picture

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"strconv"
	"testing"
)

// photo is a w×h image with a gradient, so that resizing has work to do.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF segment carrying an orientation tag
// right after the JPEG's start marker, as a phone camera does.
func withOrientation(jpg []byte, orientation byte) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08" + // big-endian, first directory at 8
		"\x00\x01" + // one entry
		"\x01\x12\x00\x03\x00\x00\x00\x01\x00" + string([]byte{orientation}) + "\x00\x00" + // Orientation, SHORT, 1
		"\x00\x00\x00\x00") // no next directory
	seg := append([]byte("Exif\x00\x00"), tiff...)
	n := len(seg) + 2
	out := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte(n >> 8), byte(n)}, seg...)
	return append(out, jpg[2:]...)
}

func TestParseWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"320", 320}, {"480", 480}, {"640", 640},
		{"", 0}, {"0", 0}, {"-320", 0}, {"+320", 0}, {"0320", 0}, {"320 ", 0}, {"321", 0},
		{"1e3", 0}, {"99999999999999999999999", 0}, {"0x140", 0}, {"320w", 0}, {"١٢٣", 0},
	} {
		got, err := ParseWidth(tc.in)
		if got != tc.want || (tc.want == 0) != errors.Is(err, ErrWidth) {
			t.Errorf("ParseWidth(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestVariantsAreNarrowerThanTheImage(t *testing.T) {
	for _, tc := range []struct {
		ctype string
		size  Size
		want  []int
	}{
		{"image/jpeg", Size{1200, 800}, []int{320, 480, 640}},
		{"image/png", Size{640, 480}, []int{320, 480}}, // the original is the 640 one
		{"image/png", Size{300, 200}, nil},
		{"image/gif", Size{1200, 800}, nil},
		{"image/webp", Size{1200, 800}, nil},
		{"image/svg+xml", Size{1200, 800}, nil},
		{"image/jpeg", Size{6000, 4000}, nil}, // 24 megapixels: too large to decode here
		{"image/jpeg", Size{0, 0}, nil},
	} {
		if got := Variants(tc.ctype, tc.size); !slices.Equal(got, tc.want) {
			t.Errorf("Variants(%s, %v) = %v, want %v", tc.ctype, tc.size, got, tc.want)
		}
	}
}

func TestInspect(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 30, 20), palette.Plan9), nil); err != nil {
		t.Fatal(err)
	}
	jpg := encodeJPEG(t, photo(90, 60))
	for _, tc := range []struct {
		name, ctype string
		data        []byte
		want        Size
		err         error
	}{
		{"png", "image/png", encodePNG(t, photo(120, 80)), Size{120, 80}, nil},
		{"jpeg", "image/jpeg", jpg, Size{90, 60}, nil},
		{"jpeg, EXIF normal", "image/jpeg", withOrientation(jpg, 1), Size{90, 60}, nil},
		{"jpeg, EXIF rotated", "image/jpeg", withOrientation(jpg, 6), Size{}, ErrUnsupported},
		{"gif", "image/gif", g.Bytes(), Size{30, 20}, nil},
		{"png said to be a jpeg", "image/jpeg", encodePNG(t, photo(10, 10)), Size{}, ErrUnsupported},
		{"svg without a size", "image/svg+xml", []byte("<svg/>"), Size{}, ErrUnsupported},
		{"truncated", "image/png", encodePNG(t, photo(10, 10))[:12], Size{}, ErrUnsupported},
	} {
		got, err := Inspect(tc.ctype, tc.data)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: Inspect = %v, %v; want %v, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}

func TestResize(t *testing.T) {
	paletted := image.NewPaletted(image.Rect(0, 0, 800, 400), palette.WebSafe)
	for x := range 800 {
		paletted.SetColorIndex(x, x%400, uint8(x%216))
	}
	for _, tc := range []struct {
		name, ctype string
		data        []byte
		width       int
		height      int
	}{
		{"jpeg", "image/jpeg", encodeJPEG(t, photo(1000, 750)), 480, 360},
		{"png", "image/png", encodePNG(t, photo(700, 350)), 640, 320},
		{"paletted png", "image/png", encodePNG(t, paletted), 320, 160},
	} {
		out, err := Resize(bytes.NewReader(tc.data), tc.ctype, tc.width)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		img, format, err := image.Decode(bytes.NewReader(out))
		if err != nil || "image/"+format != tc.ctype {
			t.Fatalf("%s: copy is %q, %v", tc.name, format, err)
		}
		if b := img.Bounds(); b.Dx() != tc.width || b.Dy() != tc.height {
			t.Errorf("%s: copy is %v, want %d×%d", tc.name, b.Size(), tc.width, tc.height)
		}
		if _, ok := img.(*image.Paletted); ok != (tc.name == "paletted png") {
			t.Errorf("%s: paletted copy = %t", tc.name, ok)
		}
	}
	// A width the image does not offer, or a file that is not what it says.
	small := encodePNG(t, photo(400, 300))
	for _, tc := range []struct {
		ctype string
		data  []byte
		width int
	}{
		{"image/png", small, 480},
		{"image/png", small, 123},
		{"image/jpeg", small, 320},
		{"image/png", small[:len(small)/2], 320}, // header fine, data cut
	} {
		if _, err := Resize(bytes.NewReader(tc.data), tc.ctype, tc.width); !errors.Is(err, ErrUnsupported) {
			t.Errorf("Resize(%s, %d bytes, %d) = %v, want ErrUnsupported", tc.ctype, len(tc.data), tc.width, err)
		}
	}
}

// FuzzParseWidth: whatever the query says, the answer is one of Widths
// or ErrWidth, and an accepted width reads back as it was written.
func FuzzParseWidth(f *testing.F) {
	for _, s := range []string{"320", "480", "640", "", "-1", "0640", "1e9", "99999999999999999999", " 320", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWidth(s)
		if err != nil {
			if w != 0 || !errors.Is(err, ErrWidth) {
				t.Fatalf("ParseWidth(%q) = %d, %v", s, w, err)
			}
			return
		}
		if !slices.Contains(widths, w) || strconv.Itoa(w) != s {
			t.Fatalf("ParseWidth(%q) = %d", s, w)
		}
	})
}

// FuzzInspect: any bytes under any image type give a positive size or
// ErrUnsupported, never a panic.
func FuzzInspect(f *testing.F) {
	jpg := encodeJPEG(f, photo(16, 8))
	f.Add("image/jpeg", jpg)
	f.Add("image/jpeg", withOrientation(jpg, 3))
	f.Add("image/png", encodePNG(f, photo(8, 16)))
	f.Add("image/webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Add("image/svg+xml", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 344" width="320px">`))
	f.Add("image/svg+xml", []byte(`<svg width="1e308" height="NaN" viewBox="0,0,-1,Inf">`))
	f.Fuzz(func(t *testing.T, ctype string, data []byte) {
		s, err := Inspect(ctype, data)
		if err != nil && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("Inspect: %v", err)
		}
		if err == nil && (s.Width <= 0 || s.Height <= 0) {
			t.Fatalf("Inspect = %v", s)
		}
		_ = exifOrientation(data)
	})
}
