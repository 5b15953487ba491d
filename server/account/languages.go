package account

import (
	"strings"
)

// MaxLanguages bounds the languages of one reviewer: a person reviews a
// few languages, never a list pasted by mistake.
const MaxLanguages = 8

// ParseLanguages reads the content languages of a reviewer as typed on the
// command line (`--languages bm,ff`) or in the admin form: codes of two or
// three lower-case ASCII letters (ISO 639-1 or 639-3: bm, ff, ses, snk),
// separated by commas or spaces, case and surrounding spaces ignored,
// duplicates dropped, order kept. An empty list is an error: a reviewer
// with no language could review nothing.
func ParseLanguages(s string) ([]string, error) {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == ';' })
	var out []string
	for _, f := range fields {
		if !isLanguageCode(f) {
			return nil, &FieldError{Field: "languages", MessageID: "form.languages.invalid", Data: map[string]any{"Code": shorten(f)}}
		}
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, &FieldError{Field: "languages", MessageID: "form.languages.missing"}
	}
	if len(out) > MaxLanguages {
		return nil, &FieldError{Field: "languages", MessageID: "form.languages.too_many", Data: map[string]any{"Max": MaxLanguages}}
	}
	return out, nil
}

// IsLanguageCode reports whether s is a content language code as
// ParseLanguages accepts it.
func IsLanguageCode(s string) bool { return isLanguageCode(s) }

func isLanguageCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// shorten keeps an invalid code short enough to show back in a message.
func shorten(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > 12 {
		return string(r[:12]) + "…"
	}
	return s
}
