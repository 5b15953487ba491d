package server

import "testing"

func TestSaverWanted(t *testing.T) {
	for _, tc := range []struct {
		query, cookie, saveData string
		want                    bool
	}{
		{"", "", "", false},
		{"", "", "on", true},
		{"", "", " On ", true},
		{"", "", "off", false},
		{"", "", "1", false},
		{"", "on", "", true},
		{"", "off", "on", false}, // an explicit choice beats the browser's hint
		{"on", "off", "", true},  // the query beats the cookie
		{"off", "on", "on", false},
		{"yes", "", "", false}, // not a choice
		{"ON", "", "on", true}, // not a choice: the header decides
		{"on\x00", "off", "", false},
	} {
		if got := saverWanted(tc.query, tc.cookie, tc.saveData); got != tc.want {
			t.Errorf("saverWanted(%q, %q, %q) = %t, want %t", tc.query, tc.cookie, tc.saveData, got, tc.want)
		}
	}
}

// FuzzParseSaver: only "on" and "off" are choices; anything else leaves
// the decision to the cookie and the Save-Data header.
func FuzzParseSaver(f *testing.F) {
	for _, s := range []string{"on", "off", "", "ON", "of", "on ", "\x00", "1", "true"} {
		f.Add(s, "off", "on")
	}
	f.Fuzz(func(t *testing.T, query, cookie, saveData string) {
		on, ok := parseSaver(query)
		if ok != (query == "on" || query == "off") || on != (query == "on") {
			t.Fatalf("parseSaver(%q) = %t, %t", query, on, ok)
		}
		got := saverWanted(query, cookie, saveData)
		if ok && got != on {
			t.Fatalf("saverWanted(%q, %q, %q) = %t: the query's choice must win", query, cookie, saveData, got)
		}
		if !ok && got != saverWanted("", cookie, saveData) {
			t.Fatalf("saverWanted(%q, …) differs from no query", query)
		}
	})
}
