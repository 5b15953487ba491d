package chart

import (
	"html/template"
	"math"
)

// The geometry of Horizontal, in viewBox units. At 320 wide a unit is
// about a CSS pixel on a phone, so 14 is a readable font size there.
const (
	hWidth    = 320.0
	hRow      = 36.0 // a label line and a bar
	hFont     = 14.0
	hLabelY   = 14.0 // the label's baseline, from the row's top
	hBarY     = 18.0 // the bar's top, from the row's top
	hBar      = 14.0 // the bar's thickness
	hValueY   = 30.0 // the value's baseline: centred on the bar
	hValueGap = 4.0  // between a bar's end and its value
)

// Horizontal draws one bar per row, the label above its bar, the Text at
// the bar's end: long labels (region names, cohort names) stay readable on
// a 320-px-wide phone. A label too long for the width is shortened with
// "…" (the whole label is its tooltip).
func Horizontal(c Chart) template.HTML {
	if len(c.Bars) == 0 {
		return ""
	}
	full := fullScale(c)

	// Keep room on the right for the longest value, so that a full-length
	// bar's value still fits; at most half the width, so a runaway Text
	// cannot squeeze the bars away (it is clipped instead).
	reserve := 0.0
	for _, b := range c.Bars {
		reserve = max(reserve, textWidth(b.Text, hFont))
	}
	if reserve > 0 {
		reserve += hValueGap + 2
	}
	reserve = min(math.Ceil(reserve), hWidth/2)
	track := hWidth - reserve
	labelRunes := int(math.Floor((hWidth - 2) / (runeEm * hFont)))

	var s svg
	s.open(c, "chart-horizontal", hWidth, hRow*float64(len(c.Bars)), hFont)
	for i, b := range c.Bars {
		top := hRow * float64(i)
		length := math.Round(fraction(b.Value, full)*track*10) / 10
		label, cut := shorten(clean(b.Label), labelRunes)
		t := text{class: "label", y: top + hLabelY, bold: b.Mark, body: label}
		if cut {
			t.full = b.Label
		}
		s.text(t)
		s.rect(b.Mark, 0, top+hBarY, length, hBar)
		s.text(text{class: "value", x: length + hValueGap, y: top + hValueY, bold: b.Mark, body: clean(b.Text)})
	}
	return s.close()
}
