package account

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestParseLanguages(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		msg  string
	}{
		{"bm", []string{"bm"}, ""},
		{" BM, ff ,bm", []string{"bm", "ff"}, ""},
		{"bm ses;snk", []string{"bm", "ses", "snk"}, ""},
		{"", nil, "form.languages.missing"},
		{" , ", nil, "form.languages.missing"},
		{"bambara", nil, "form.languages.invalid"},
		{"b", nil, "form.languages.invalid"},
		{"bm,f1", nil, "form.languages.invalid"},
		{"ɛɛ", nil, "form.languages.invalid"},
		{"aa,bb,cc,dd,ee,ff,gg,hh,ii", nil, "form.languages.too_many"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLanguages(tt.in)
			if tt.msg == "" {
				if err != nil || !slices.Equal(got, tt.want) {
					t.Fatalf("ParseLanguages(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.MessageID != tt.msg || got != nil {
				t.Fatalf("ParseLanguages(%q) = %v, %v; want %s", tt.in, got, err, tt.msg)
			}
		})
	}
}

func TestReviews(t *testing.T) {
	rev := &User{Role: RoleReviewer, Languages: []string{"bm"}}
	if !rev.Reviews("bm") || rev.Reviews("ff") {
		t.Error("a reviewer of bm reviews bm only")
	}
	if !(&User{Role: RoleAdmin}).Reviews("ff") {
		t.Error("an admin reviews every language")
	}
	if (&User{Role: RoleTrainer, Languages: []string{"bm"}}).Reviews("bm") {
		t.Error("a trainer reviews nothing, whatever its stored languages")
	}
}

func FuzzParseLanguages(f *testing.F) {
	for _, s := range []string{"bm", "bm,ff", " BM ; ses snk ", "", "bambara", "ɛ,ɔ", "aa,bb,cc,dd,ee,ff,gg,hh,ii", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseLanguages(s)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "languages" || got != nil {
				t.Fatalf("ParseLanguages(%q): %v, %v", s, got, err)
			}
			if c, ok := fe.Data["Code"].(string); ok && !utf8.ValidString(c) && utf8.ValidString(s) {
				t.Fatalf("ParseLanguages(%q): code %q shown back is not valid UTF-8", s, c)
			}
			return
		}
		if len(got) == 0 || len(got) > MaxLanguages {
			t.Fatalf("ParseLanguages(%q) = %v", s, got)
		}
		for i, c := range got {
			if !IsLanguageCode(c) || slices.Contains(got[:i], c) {
				t.Fatalf("ParseLanguages(%q) = %v: bad or repeated %q", s, got, c)
			}
		}
	})
}
