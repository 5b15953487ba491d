package chart

import (
	"html/template"
	"math"
	"unicode/utf8"
)

// The geometry of Columns, in viewBox units.
const (
	cWidth   = 320.0
	cHeight  = 180.0
	cFont    = 12.0
	cMinFont = 9.0  // for labels; smaller is unreadable on a phone: shorten instead
	cMinNum  = 8.0  // for values, which are never shortened: overlap is worse
	cMaxCol  = 64.0 // a column is no wider, however few there are
	cGap     = 0.25 // the gap between columns, as a share of a column's slot
)

// Columns draws vertical columns side by side (a score distribution),
// labels under the columns. When the labels are too wide for their
// columns (ten bands "0–9" … "90–100" on a phone), every other label goes
// on a second line; the value text above a narrow column gets a smaller
// font rather than overlap its neighbours. Up to a dozen columns fit a
// phone.
func Columns(c Chart) template.HTML {
	n := len(c.Bars)
	if n == 0 {
		return ""
	}
	full := fullScale(c)
	slot := cWidth / float64(n)
	col := min(slot*(1-cGap), cMaxCol)

	var labels, values []string
	labelRunes, valueRunes := 0, 0
	for _, b := range c.Bars {
		l, v := clean(b.Label), clean(b.Text)
		labels, values = append(labels, l), append(values, v)
		labelRunes = max(labelRunes, utf8.RuneCountInString(l))
		valueRunes = max(valueRunes, utf8.RuneCountInString(v))
	}

	// Labels: one line if they fit in their slot, else staggered on two
	// lines, in a smaller font if still needed. A staggered label may
	// spread over its neighbours' slots, but the first and last are pushed
	// inwards to stay in the picture: at 5/3 of a slot, even pushed, they
	// do not reach the next label on their line.
	labelRoom := slot - 2
	stagger := n > 1 && float64(labelRunes)*runeEm*cFont > labelRoom
	if stagger {
		labelRoom = min(5*slot/3-2, cWidth-2)
	}
	labelFont := fitFont(labelRunes, labelRoom, cMinFont)
	lines := 1.0
	if stagger {
		lines = 2
	}
	// The axis sits above the label lines, with room for their descenders.
	base := math.Floor(cHeight - lines*(labelFont+1) - 3 - 0.3*labelFont)

	// Values: one line above each column; they are numbers, never shortened.
	valueFont := fitFont(valueRunes, slot-1, cMinNum)
	top := valueFont + 6
	plot := base - top

	var s svg
	s.open(c, "chart-columns", cWidth, cHeight, cFont)
	for i, b := range c.Bars {
		mid := slot*float64(i) + slot/2
		h := math.Round(fraction(b.Value, full)*plot*10) / 10
		s.rect(b.Mark, mid-col/2, base-h, col, h)
		s.text(text{class: "value", x: mid, y: base - h - 4, middle: true,
			size: otherThan(valueFont, cFont), bold: b.Mark, body: values[i]})

		line := 0.0
		if stagger && i%2 == 1 {
			line = 1
		}
		label, cut := shorten(labels[i], int(labelRoom/(runeEm*labelFont)))
		half := textWidth(label, labelFont) / 2
		x := min(max(mid, half+1), cWidth-half-1)
		t := text{class: "label", x: x, y: base + 3 + labelFont + line*(labelFont+1), middle: true,
			size: otherThan(labelFont, cFont), bold: b.Mark, body: label}
		if cut {
			t.full = b.Label
		}
		s.text(t)
	}
	s.line("axis", 0, base, cWidth, base)
	return s.close()
}

// fitFont returns the chart's font size, or a smaller one (not below
// least) at which runes characters fit in room.
func fitFont(runes int, room, least float64) float64 {
	if runes == 0 || float64(runes)*runeEm*cFont <= room {
		return cFont
	}
	return max(least, math.Floor(room/(float64(runes)*runeEm)*10)/10)
}

// otherThan returns size, or 0 (no attribute: inherit) when it is the
// chart's own.
func otherThan(size, chart float64) float64 {
	if size == chart {
		return 0
	}
	return size
}
