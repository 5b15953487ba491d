package account

import (
	"strings"
	"unicode"
)

// Login kinds.
const (
	LoginEmail = "email"
	LoginPhone = "phone"
)

// Login is a sign-in identifier: an email address or a phone number, since
// many trainees have no email. Value is normalised, so two spellings of the
// same identifier compare equal and the store can index it.
type Login struct {
	Kind  string // LoginEmail or LoginPhone
	Value string // "awa@mail.ml" or "+22376123456"
}

// String returns the normalised value.
func (l Login) String() string { return l.Value }

// Limits of what ParseLogin accepts.
const (
	maxEmailLength = 254 // RFC 5321, path limit less the brackets
	maxLocalLength = 64
	maxPhoneInput  = 40 // digits and their separators, as typed
	maliCode       = "223"
	maliDigits     = 8 // a Malian number, without the country code
)

// ParseLogin normalises what a person types in the login field. An input
// with an '@' is an email address: trimmed and lower-cased, ASCII only
// (no IDN). Anything else is a phone number: digits with optional spaces,
// dots, hyphens and parentheses; a leading '+' or "00" is international
// (country code and number, 8 to 15 digits: E.164); 8 digits alone, or
// "223" and 8 digits, are a Malian number. A phone is stored as
// "+<digits>". Errors are *FieldError on the field "login" with the
// message id "form.login.required" or "form.login.invalid".
func ParseLogin(s string) (Login, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Login{}, &FieldError{Field: "login", MessageID: "form.login.required"}
	}
	var (
		v  string
		ok bool
		k  = LoginPhone
	)
	if strings.Contains(s, "@") {
		k = LoginEmail
		v, ok = parseEmail(s)
	} else {
		v, ok = parsePhone(s)
	}
	if !ok {
		return Login{}, &FieldError{Field: "login", MessageID: "form.login.invalid"}
	}
	return Login{Kind: k, Value: v}, nil
}

// parseEmail checks an address with a deliberately plain grammar: the
// sign-in form needs to tell typing mistakes from addresses, not to
// accept every address RFC 5322 allows.
func parseEmail(s string) (string, bool) {
	if len(s) > maxEmailLength {
		return "", false
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 0x80 {
			return "", false // ASCII only; lower-casing other scripts could turn one address into another
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	s = string(b)
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") {
		return "", false
	}
	if local == "" || len(local) > maxLocalLength || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", false
	}
	for i := 0; i < len(local); i++ {
		if !isLocalChar(local[i]) {
			return "", false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isLowerAlnum(c) && c != '-' {
				return "", false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return "", false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return "", false // a numeric "top-level domain" is an IP address, not a mail domain
		}
	}
	return s, true
}

// isLocalChar reports whether c may appear in the local part: RFC 5322
// atext and the dot, after lower-casing.
func isLocalChar(c byte) bool {
	return isLowerAlnum(c) || c == '.' || strings.IndexByte("!#$%&'*+/=?^_`{|}~-", c) >= 0
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// parsePhone reduces a phone number to "+<digits>".
func parsePhone(s string) (string, bool) {
	if len(s) > maxPhoneInput {
		return "", false
	}
	var d strings.Builder
	for _, r := range s {
		switch {
		case '0' <= r && r <= '9':
			d.WriteRune(r)
		case r == '+':
			if d.Len() > 0 {
				return "", false // '+' only in front
			}
			d.WriteRune(r)
		case r == '.' || r == '-' || r == '(' || r == ')' || unicode.IsSpace(r):
			// Separators people type or copy from a spreadsheet (French
			// number formats group digits with no-break spaces).
		default:
			return "", false
		}
	}
	n := d.String()
	var intl string
	switch {
	case strings.HasPrefix(n, "+"):
		intl = n[1:]
	case strings.HasPrefix(n, "00"):
		intl = n[2:]
	case len(n) == maliDigits:
		intl = maliCode + n
	case len(n) == len(maliCode)+maliDigits && strings.HasPrefix(n, maliCode):
		intl = n
	default:
		return "", false
	}
	if len(intl) < 8 || len(intl) > 15 || intl[0] == '0' || strings.Contains(intl, "+") {
		return "", false // E.164: at most 15 digits, and no country code starts with 0
	}
	if strings.HasPrefix(intl, maliCode) && len(intl) != len(maliCode)+maliDigits {
		return "", false // every Malian number has 8 digits
	}
	return "+" + intl, true
}
