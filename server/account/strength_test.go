package account

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw     string
		inputs []string
		id     string // "" = accepted
	}{
		// Too short or too long.
		{"", nil, "form.password.short"},
		{"Kɔnɔ-7-bi", nil, "form.password.short"}, // 9 runes, 11 bytes
		{long256() + "q", nil, "form.password.long"},
		// Easy to guess.
		{"password123", nil, "form.password.common"},
		{"azerty1234", nil, "form.password.common"},
		{"azertyuiop", nil, "form.password.common"},
		{"motdepasse1", nil, "form.password.common"},
		{"MotDePasse2024", nil, "form.password.common"},
		{"Bamako2024!", nil, "form.password.common"},
		{"1234567890", nil, "form.password.common"},
		{"aaaaaaaaaa", nil, "form.password.common"},
		{"gendarmerie1", nil, "form.password.common"},
		{"Kalan2025!", nil, "form.password.common"},
		{"Sikasso2031", nil, "form.password.common"},
		{"bonjour1234", nil, "form.password.common"},
		{"wxcvbn12345", nil, "form.password.common"},
		{"Coulibaly123", nil, "form.password.common"},
		{"Ousmane Sidibé123", []string{"Ousmane Sidibé", "+22376123456"}, "form.password.common"},
		{"OusmaneSidibe123", []string{"Ousmane Sidibé", "+22376123456"}, "form.password.common"},
		{"sidibé1976!", []string{"Ousmane Sidibé"}, "form.password.common"},
		{"76123456ab", []string{"Ousmane Sidibé", "+22376123456"}, "form.password.common"},
		{"zumbudi.wagu@x", []string{"zumbudi.wagu@mail.ml"}, "form.password.common"},
		// Strong enough.
		{"violet cactus mango tribune", nil, ""},
		{"zebre-pirogue-cajou-lanterne", nil, ""},
		{"q8#Vz!2mLp@9wRt4", nil, ""},
		{"h3KfT9wQx2LmZr7P", nil, ""},
		{"Kɔnɔ-ni-sogo-7-dugu", []string{"Fanta Kɔnɛ"}, ""},
		{"k7qx-m4pa-93hr-zwe2", nil, ""},
		{long256(), nil, ""},
		// Long but repetitive, or easy at the start: only the first 64 runes are judged.
		{strings.Repeat("kx7-", 64), nil, "form.password.common"},
		{strings.Repeat("a", 64) + long256()[:100], nil, "form.password.common"},
		{long256()[:64] + strings.Repeat("a", 100), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.pw[:min(len(tt.pw), 30)], func(t *testing.T) {
			fe := CheckPassword(tt.pw, tt.inputs...)
			switch {
			case tt.id == "" && fe != nil:
				t.Errorf("CheckPassword(%q) = %v, want nil", tt.pw, fe)
			case tt.id != "" && (fe == nil || fe.MessageID != tt.id || fe.Field != "password"):
				t.Errorf("CheckPassword(%q) = %v, want password: %s", tt.pw, fe, tt.id)
			}
		})
	}
	t.Run("short carries the minimum", func(t *testing.T) {
		fe := CheckPassword("abc")
		if fe == nil || fe.Data["Min"] != MinPasswordLength {
			t.Errorf("CheckPassword(abc) = %+v", fe)
		}
	})
}

// long256 is a random-looking password of exactly MaxPasswordLength bytes.
func long256() string {
	var b strings.Builder
	for i := range 4 {
		fmt.Fprintf(&b, "%x", sha256.Sum256([]byte{byte(i)}))
	}
	return b.String()
}

func TestStrengthSample(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Traoré", "Traore"},
		{strings.Repeat("ɛ", 70), strings.Repeat("ɛ", 64)},
		{strings.Repeat("é", 70), strings.Repeat("e", 64)},
		{strings.Repeat("e\u0301", 40), strings.Repeat("e", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 10)], func(t *testing.T) {
			if got := strengthSample(tt.in); got != tt.want {
				t.Errorf("strengthSample(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
