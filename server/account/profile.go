package account

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Profile is what a person says about themselves: the name printed on
// certificates, where they work, and the interface language.
type Profile struct {
	Name         string
	Organisation string // a code of Organisations
	Region       string // a code of Regions
	Lang         string // "" = no preference: the browser decides
}

// Bounds of a person's name, in runes.
const (
	minNameLength = 2
	maxNameLength = 100
)

// NormalizeName trims a name, collapses inner whitespace to single spaces
// and composes it (Unicode NFC), so that the same name typed on two phones
// is stored the same way. Every letter is kept as written: Bambara ɛ ɔ ɲ ŋ,
// accents, capitals.
func NormalizeName(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// Validate checks a profile as it will be stored: the name as NormalizeName
// leaves it (callers store that), the organisation and region among the
// codes, and the language, when there is one, accepted by supported.
// It returns nil when the profile is valid.
func (p Profile) Validate(supported func(lang string) bool) FieldErrors {
	var errs FieldErrors
	if id := checkName(NormalizeName(p.Name)); id != "" {
		errs = append(errs, &FieldError{Field: "name", MessageID: id})
	}
	switch {
	case p.Organisation == "":
		errs = append(errs, &FieldError{Field: "organisation", MessageID: "form.organisation.required"})
	case !IsOrganisation(p.Organisation):
		errs = append(errs, &FieldError{Field: "organisation", MessageID: "form.organisation.invalid"})
	}
	switch {
	case p.Region == "":
		errs = append(errs, &FieldError{Field: "region", MessageID: "form.region.required"})
	case !IsRegion(p.Region):
		errs = append(errs, &FieldError{Field: "region", MessageID: "form.region.invalid"})
	}
	if p.Lang != "" && (supported == nil || !supported(p.Lang)) {
		errs = append(errs, &FieldError{Field: "lang", MessageID: "form.lang.invalid"})
	}
	return errs
}

// checkName returns the message id of what is wrong with a normalised
// name, or "". A name starts with a letter and holds letters, combining
// marks, spaces, hyphens, apostrophes, dots and commas: enough for
// Malian, French and Arabic-origin names, and it keeps out control and
// bidi characters (which would garble a certificate) and the =+-@ that
// spreadsheets read as formulas when a report is exported.
func checkName(name string) string {
	if name == "" {
		return "form.name.required"
	}
	if !utf8.ValidString(name) {
		return "form.name.invalid"
	}
	if n := utf8.RuneCountInString(name); n < minNameLength || n > maxNameLength {
		return "form.name.invalid"
	}
	for i, r := range name {
		if i == 0 && !unicode.IsLetter(r) {
			return "form.name.invalid"
		}
		if !isNameRune(r) {
			return "form.name.invalid"
		}
	}
	return ""
}

func isNameRune(r rune) bool {
	switch r {
	case ' ', '-', '\'', '.', ',', '\u2010', '\u2019', '\u02bc': // hyphen, right single quotation mark, modifier letter apostrophe
		return true
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// NormalizeLabel reduces a label a person typed (a CSV header, an
// organisation or a region) to a key that ignores case, accents and
// punctuation: it lower-cases, removes accents (NFD, then drops combining
// marks), turns every run of spaces, hyphens, underscores or apostrophes
// into one space, and trims. "Services-sociaux", "SERVICES SOCIAUX" and
// "services_sociaux" all give "services sociaux"; "Ségou" gives "segou".
func NormalizeLabel(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '-' || r == '_' || r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '`' || r == '\u2010':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// HasHiddenRunes reports whether a text holds control characters or the
// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) that make a name display other than it reads: "‮cod.exe"
// shows as "exe.doc". Left-to-right and right-to-left marks stay allowed:
// right-to-left writing needs them and they reorder nothing around them.
func HasHiddenRunes(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
	})
}
