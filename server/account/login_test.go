package account

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestParseLoginValid(t *testing.T) {
	tests := []struct {
		in, kind, want string
	}{
		{"awa@mail.ml", LoginEmail, "awa@mail.ml"},
		{"  Awa.Traore@Mail.ML \t", LoginEmail, "awa.traore@mail.ml"},
		{"AWA+KALAN@ORANGE-MALI.COM.ML", LoginEmail, "awa+kalan@orange-mali.com.ml"},
		{"o'brien_1@iom.int", LoginEmail, "o'brien_1@iom.int"},
		{"76 12 34 56", LoginPhone, "+22376123456"},
		{"76123456", LoginPhone, "+22376123456"},
		{"76.12.34.56", LoginPhone, "+22376123456"},
		{"+223 76-12-34-56", LoginPhone, "+22376123456"},
		{"(+223) 76 12 34 56", LoginPhone, "+22376123456"},
		{"0022376123456", LoginPhone, "+22376123456"},
		{"223 76 12 34 56", LoginPhone, "+22376123456"},
		{"76\u00a012\u202f34 56", LoginPhone, "+22376123456"},
		{"+33 6 12 34 56 78", LoginPhone, "+33612345678"},
		{"0033612345678", LoginPhone, "+33612345678"},
		{"+1 (202) 555-0123", LoginPhone, "+12025550123"},
		{"+221 77 123 45 67", LoginPhone, "+221771234567"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLogin(tt.in)
			if err != nil {
				t.Fatalf("ParseLogin(%q): %v", tt.in, err)
			}
			if got.Kind != tt.kind || got.Value != tt.want || got.String() != tt.want {
				t.Errorf("ParseLogin(%q) = %+v, want %s %q", tt.in, got, tt.kind, tt.want)
			}
		})
	}
}

func TestParseLoginInvalid(t *testing.T) {
	tests := []struct {
		name, in, id string
	}{
		{"empty", "", "form.login.required"},
		{"spaces", "   ", "form.login.required"},
		{"word", "abc", "form.login.invalid"},
		{"no dot in domain", "a@b", "form.login.invalid"},
		{"two ats", "a@@b.ml", "form.login.invalid"},
		{"two ats apart", "a@b@c.ml", "form.login.invalid"},
		{"no local part", "@mail.ml", "form.login.invalid"},
		{"space inside", "awa @mail.ml", "form.login.invalid"},
		{"empty label", "awa@mail..ml", "form.login.invalid"},
		{"leading dot in domain", "awa@.mail.ml", "form.login.invalid"},
		{"hyphen label", "awa@-mail.ml", "form.login.invalid"},
		{"one-letter tld", "awa@mail.m", "form.login.invalid"},
		{"numeric tld", "awa@10.0.0.1", "form.login.invalid"},
		{"accent", "awà@mail.ml", "form.login.invalid"},
		{"idn", "awa@mali.société", "form.login.invalid"},
		{"kelvin sign", "\u212a@mail.ml", "form.login.invalid"},
		{"dots in local", "awa..t@mail.ml", "form.login.invalid"},
		{"bracket", "<awa@mail.ml>", "form.login.invalid"},
		{"too long", strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".ml", "form.login.invalid"},
		{"short number", "123", "form.login.invalid"},
		{"plus one", "+1", "form.login.invalid"},
		{"letters in phone", "76 12 AB 56", "form.login.invalid"},
		{"twenty digits", "12345678901234567890", "form.login.invalid"},
		{"16 digits international", "+1234567890123456", "form.login.invalid"},
		{"nine digits", "761234567", "form.login.invalid"},
		{"plus inside", "76+123456", "form.login.invalid"},
		{"two pluses", "++22376123456", "form.login.invalid"},
		{"country code 0", "+0612345678", "form.login.invalid"},
		{"malian too short", "+223 7612345", "form.login.invalid"},
		{"malian too long", "+223 761234567", "form.login.invalid"},
		{"slash", "76/12/34/56", "form.login.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLogin(tt.in)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseLogin(%q) = %+v, %v; want a *FieldError", tt.in, got, err)
			}
			if fe.Field != "login" || fe.MessageID != tt.id {
				t.Errorf("ParseLogin(%q) error = %v, want login: %s", tt.in, fe, tt.id)
			}
			if got != (Login{}) {
				t.Errorf("ParseLogin(%q) returned %+v with its error", tt.in, got)
			}
		})
	}
}

func FuzzParseLogin(f *testing.F) {
	for _, s := range []string{"awa@mail.ml", " Awa@Mail.ML ", "76 12 34 56", "+223 76-12-34-56", "0022376123456",
		"+33 6 12 34 56 78", "a@b", "a@@b.ml", "+1", "(+223) 76.12.34.56", "\u212a@x.ml"} {
		f.Add(s)
	}
	phoneValue := regexp.MustCompile(`^\+[0-9]{8,15}$`) // every phone login once stored
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLogin(s)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "login" {
				t.Fatalf("ParseLogin(%q): error %v is not a login *FieldError", s, err)
			}
			return
		}
		again, err := ParseLogin(l.Value)
		if err != nil || again != l {
			t.Fatalf("ParseLogin(%q) = %+v, which parses to %+v, %v", s, l, again, err)
		}
		switch l.Kind {
		case LoginPhone:
			if !phoneValue.MatchString(l.Value) {
				t.Fatalf("ParseLogin(%q) = phone %q", s, l.Value)
			}
		case LoginEmail:
			if len(l.Value) > 254 || strings.Count(l.Value, "@") != 1 || strings.ToLower(l.Value) != l.Value || strings.ContainsAny(l.Value, " \t\r\n") {
				t.Fatalf("ParseLogin(%q) = email %q", s, l.Value)
			}
		default:
			t.Fatalf("ParseLogin(%q) kind %q", s, l.Kind)
		}
	})
}
