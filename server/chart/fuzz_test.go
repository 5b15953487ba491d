package chart

import (
	"math"
	"strings"
	"testing"
)

// FuzzHorizontal draws a chart from any label, text and value, and checks
// that the markup is still one well-formed svg with only the elements and
// attributes the package writes: a hostile string can only ever be text.
// Columns shares the writer, so it is drawn from the same input.
func FuzzHorizontal(f *testing.F) {
	f.Add("Ségou", "83 %", 83.0)
	f.Add(`<script>alert(1)</script>`, `"&'`, 50.0)
	f.Add("Tɔnbuku ɲ ŋ ɛ ɔ", "12", math.NaN())
	f.Add("]]><!--", "<style>", math.Inf(1))
	f.Add("a\x00b\xff\u0085", "style=\"x\"", -1.0)
	f.Add(strings.Repeat("ka\u0300", 40), "NaN", math.MaxFloat64)
	f.Fuzz(func(t *testing.T, label, text string, value float64) {
		c := Chart{ID: label, Title: label, Desc: text, Max: 100, Bars: []Bar{
			{Label: label, Value: value, Text: text, Mark: true},
			{Label: text, Value: 100 - value, Text: label},
		}}
		for _, d := range draws {
			out := string(d.draw(c))
			elems, err := parse(out)
			if err != nil {
				t.Fatalf("%s: output does not parse: %v\n%s", d.name, err, out)
			}
			if err := checkMarkup(elems); err != nil {
				t.Fatalf("%s: %v\n%s", d.name, err, out)
			}
			// Text is escaped, so every '<' opens or closes one of our
			// elements: read the tags alone, outside the text. (The id,
			// made from the label, may spell "script": it is lower case
			// and has no '=', so it cannot spell the rest.)
			for _, part := range strings.Split(out, "<")[1:] {
				tag, _, _ := strings.Cut(part, ">")
				name, _, _ := strings.Cut(strings.TrimPrefix(tag, "/"), " ")
				if _, ok := allowed[strings.TrimSuffix(name, "/")]; !ok {
					t.Fatalf("%s: tag <%s>\n%s", d.name, tag, out)
				}
				for _, bad := range []string{"style=", "NaN", "Inf"} {
					if strings.Contains(tag, bad) {
						t.Fatalf("%s: %q in the tag <%s>\n%s", d.name, bad, tag, out)
					}
				}
			}
			for _, e := range elems {
				if id := e.attrs["id"]; strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
					t.Fatalf("%s: id %q", d.name, id)
				}
			}
			if got := len(bars(elems)); got != 2 {
				t.Fatalf("%s: %d bars, want 2", d.name, got)
			}
		}
	})
}
