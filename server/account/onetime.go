package account

import "strings"

// HashOneTime hashes a one-time password as typed: case, spaces and
// hyphens do not matter ("K7QX m4pa-93hr zwe2" is "k7qxm4pa93hrzwe2").
// A fast hash is enough: GeneratePassword draws 16 random symbols, and
// sign-in attempts are throttled.
func HashOneTime(pw string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(pw) {
		if r != ' ' && r != '-' {
			b.WriteRune(r)
		}
	}
	return HashToken(b.String())
}
