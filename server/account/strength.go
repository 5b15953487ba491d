package account

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/text/unicode/norm"
)

// Password length bounds. The minimum counts runes (what a person sees);
// the maximum counts bytes, because bytes are what argon2 hashes and a cap
// keeps a huge pasted "password" from costing the server.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
)

// minPasswordScore is the lowest zxcvbn score accepted: 3 means about 10^8
// guesses or more, "safely unguessable" behind a slow hash.
const minPasswordScore = 3

// CheckPassword returns nil when a new password is acceptable, else a
// *FieldError on the field "password": "form.password.short" (Data
// {"Min": MinPasswordLength}), "form.password.long" (Data {"Max":
// MaxPasswordLength}) or "form.password.common" when zxcvbn scores it
// below 3. userInputs are what the person typed elsewhere (name, login…):
// a password made of them is easy to guess for anyone who knows them.
func CheckPassword(pw string, userInputs ...string) *FieldError {
	pw = norm.NFC.String(pw)
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return &FieldError{Field: "password", MessageID: "form.password.short", Data: map[string]any{"Min": MinPasswordLength}}
	}
	if len(pw) > MaxPasswordLength {
		return &FieldError{Field: "password", MessageID: "form.password.long", Data: map[string]any{"Max": MaxPasswordLength}}
	}
	inputs := expandInputs(userInputs)
	for i, s := range inputs {
		inputs[i] = stripAccents(s)
	}
	// zxcvbn's dictionaries are English and ASCII (and it cuts multi-byte
	// letters at the end of a word), so "Traoré123" would not match the
	// user input "traoré": both sides are compared without accents. Letters
	// with no decomposition (ɛ ɔ ɲ ŋ) stay and count as unusual.
	if zxcvbn.PasswordStrength(strengthSample(pw), inputs).Score < minPasswordScore {
		return &FieldError{Field: "password", MessageID: "form.password.common"}
	}
	return nil
}

// maxStrengthRunes bounds what zxcvbn looks at: its cost grows faster
// than the square of the length (about 10 ms for 64 runes, 200 ms for
// 256 bytes here), and the public join form must not be a way to burn the
// server's CPU. A password whose first 64 runes are hard to guess is hard
// to guess; one whose first 64 are easy is refused, which is the safe side.
const maxStrengthRunes = 64

// strengthSample is the part of a password that zxcvbn judges: its first
// maxStrengthRunes runes, without accents.
func strengthSample(pw string) string {
	pw = stripAccents(pw)
	n := 0
	for i := range pw {
		if n == maxStrengthRunes {
			return pw[:i]
		}
		n++
	}
	return pw
}

// expandInputs returns the caller's inputs, the words in them and the
// built-in local words, lower-cased: zxcvbn only matches whole dictionary
// entries, so "Awa Traoré" must also be given as "awa", "traoré" and
// "awatraoré" for "Awatraore2024" to be caught.
func expandInputs(userInputs []string) []string {
	words := localWords()
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		words = append(words, in)
		if local, _, ok := strings.Cut(in, "@"); ok {
			words = append(words, local)
		}
		parts := strings.FieldsFunc(in, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(parts) > 1 {
			words = append(words, strings.Join(parts, ""))
		}
		for _, p := range parts {
			if utf8.RuneCountInString(p) >= 3 {
				words = append(words, p)
			}
			if len(p) > maliDigits && strings.Trim(p, "0123456789") == "" {
				words = append(words, p[len(p)-maliDigits:]) // a phone number without its country code
			}
		}
	}
	return words
}

// localWords are guessable words that zxcvbn's English-centric
// dictionaries miss for French and Bambara speakers in Mali: keyboard
// rows of AZERTY, "password" in French (and "secret", gundo, in Bambara),
// greetings, religious and family words, places, common family names, and
// the platform's own vocabulary, and recent years. Lower-case ASCII, as
// zxcvbn compares.
func localWords() []string {
	words := []string{
		"azerty", "azertyuiop", "qsdfghjklm", "wxcvbn", "azertyuiopqsdfghjklmwxcvbn",
		"motdepasse", "mdp", "passe", "secret", "gundo", "danyegundo",
		"bonjour", "bonsoir", "salut", "merci", "soleil", "amour", "jetaime", "chouchou", "doudou", "cherie", "princesse",
		"famille", "maman", "papa", "bebe", "dieu", "allah", "inchallah", "bismillah", "alhamdoulillah",
		"inice", "anice", "barika", "baara", "jamana", "bambara",
		"bamako", "mali", "malien", "malienne", "aigles", "djoliba", "niger",
		"kayes", "koulikoro", "sikasso", "segou", "mopti", "tombouctou", "gao", "kidal", "kati",
		"traore", "keita", "diarra", "coulibaly", "konate", "diallo", "sidibe", "cisse", "toure", "sangare", "kone", "doumbia", "dembele", "maiga",
		"kalan", "police", "policier", "gendarmerie", "gendarme", "traite", "trafic", "formation", "formateur", "stagiaire", "securite", "justice", "oim", "iom",
	}
	// zxcvbn (2017) knows years up to 2019 only; later ones are as common.
	for y := 2020; y < 2040; y++ {
		words = append(words, strconv.Itoa(y))
	}
	return words
}

// stripAccents removes combining marks after decomposition, keeping case.
func stripAccents(s string) string {
	return norm.NFC.String(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s)))
}
