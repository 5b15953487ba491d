package picture

import (
	"errors"
	"testing"
)

func TestInspectSVG(t *testing.T) {
	for _, tc := range []struct {
		name, svg string
		want      Size
	}{
		{"viewBox", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 344"><rect/></svg>`, Size{320, 344}},
		{"width and height", `<svg width="640" height="688" viewBox="0 0 320 344">`, Size{640, 688}},
		{"px", `<svg width="100px" height=" 50px ">`, Size{100, 50}},
		{"width only", `<svg width="160" viewBox="0 0 320 344">`, Size{160, 172}},
		{"height only", `<svg height="172" viewBox="0,0,320,344">`, Size{160, 172}},
		{"percentages", `<svg width="100%" height="100%" viewBox="0 0 4 4">`, Size{4, 4}},
		{"fractions", `<svg viewBox="0 0 10.4 10.6">`, Size{10, 11}},
		{"prolog and comments", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg>\n<!-- a diagram -->\n<svg viewBox=\"0 0 8 6\">", Size{8, 6}},
		{"truncated after the root", `<svg viewBox="0 0 8 6"><text>abc`, Size{8, 6}},
	} {
		got, err := Inspect("image/svg+xml", []byte(tc.svg))
		if err != nil || got != tc.want {
			t.Errorf("%s: Inspect = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

func TestInspectSVGMalformed(t *testing.T) {
	for _, tc := range []struct{ name, svg string }{
		{"empty", ""},
		{"no size", `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`},
		{"other root", `<html width="10" height="10">`},
		{"bad viewBox", `<svg viewBox="0 0 ten 10">`},
		{"three numbers", `<svg viewBox="0 0 10">`},
		{"negative", `<svg width="-10" height="-10" viewBox="0 0 -1 -1">`},
		{"zero", `<svg viewBox="0 0 0 0">`},
		{"huge", `<svg viewBox="0 0 1e9 1e9">`},
		{"infinite", `<svg width="Inf" height="1e400">`},
		{"unit", `<svg width="3cm" height="2cm">`},
		{"not xml", "\x00\x01\x02"},
		{"unclosed root", `<svg viewBox="0 0 8 6"`},
	} {
		if got, err := Inspect("image/svg+xml", []byte(tc.svg)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Inspect = %v, %v; want ErrUnsupported", tc.name, got, err)
		}
	}
	if !Sized("image/svg+xml") || Raster("image/svg+xml") || !Sized("image/png") || Sized("audio/mpeg") {
		t.Error("Sized or Raster is wrong")
	}
}
