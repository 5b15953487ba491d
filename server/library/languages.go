package library

import (
	"slices"
)

// OtherLanguages are the languages material may be in beyond the
// interface's: national languages of Mali that facilitators record spots
// in (Fulfulde, Songhay, Soninke, Tamasheq), into which the interface is
// not translated. Their names are messages of the interface languages:
// see LanguageNameID.
func OtherLanguages() []string { return []string{"ff", "ses", "snk", "tmh"} }

// LanguageNameID is the message id of the name of one of OtherLanguages,
// or "" for any other code: an interface language is named by its own
// locale file.
func LanguageNameID(code string) string {
	// Spelt out, not built, so that the test of used message ids sees them.
	switch code {
	case "ff":
		return "library.lang.ff"
	case "ses":
		return "library.lang.ses"
	case "snk":
		return "library.lang.snk"
	case "tmh":
		return "library.lang.tmh"
	}
	return ""
}

// MaterialLanguages lists the languages material may be in: the interface
// languages (in their order), then OtherLanguages.
func MaterialLanguages(interfaceLangs []string) []string {
	out := slices.Clone(interfaceLangs)
	for _, code := range OtherLanguages() {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

// materialLanguage reports whether code is a language material may be
// in: an interface language (supported) or one of OtherLanguages.
func materialLanguage(code string, supported func(string) bool) bool {
	return supported(code) || slices.Contains(OtherLanguages(), code)
}

// FilterLanguages lists the languages the public list offers to filter
// by: the interface languages always, the other material languages that
// have at least one resource in the list (all, withdrawn ones are not
// counted), and the selected one when it is a material language, so that
// the filter shows what it filters by. A resource in a language outside
// the list (stored before the list existed) adds its language last.
func FilterLanguages(interfaceLangs []string, all []*Resource, selected string) []string {
	used := map[string]bool{selected: true}
	for _, r := range all {
		if !r.Withdrawn() {
			used[r.Language] = true
		}
	}
	out := slices.Clone(interfaceLangs)
	for _, code := range OtherLanguages() {
		if used[code] && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	for _, r := range all {
		if !r.Withdrawn() && r.Language != "" && !slices.Contains(out, r.Language) {
			out = append(out, r.Language)
		}
	}
	return out
}
