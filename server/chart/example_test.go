package chart_test

import (
	"fmt"

	"github.com/kalan-platform/kalan/server/chart"
)

// A page model carries the chart as template.HTML and the template writes
// it as is: {{.PassRate}}. The caller formats Text in the reader's language.
func ExampleHorizontal() {
	fmt.Println(chart.Horizontal(chart.Chart{
		ID:    "pass-rate",
		Title: "Taux de réussite",
		Desc:  "Ségou 83 %, Kayes 61 %.",
		Max:   100,
		Bars: []chart.Bar{
			{Label: "Ségou", Value: 83, Text: "83 %"},
			{Label: "Kayes", Value: 61, Text: "61 %", Mark: true},
		},
	}))
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-horizontal" viewBox="0 0 320 72" width="100%" role="img" aria-labelledby="pass-rate-title pass-rate-desc" font-size="14" fill="currentColor"><title id="pass-rate-title">Taux de réussite</title><desc id="pass-rate-desc">Ségou 83 %, Kayes 61 %.</desc><text class="label" x="0" y="14">Ségou</text><rect class="bar" x="0" y="18" width="232.4" height="14"/><text class="value" x="236.4" y="30">83 %</text><text class="label" x="0" y="50" font-weight="bold">Kayes</text><rect class="bar mark" x="0" y="54" width="170.8" height="14"/><text class="value" x="174.8" y="66" font-weight="bold">61 %</text></svg>
}
