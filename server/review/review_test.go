package review

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanMarkdown(t *testing.T) {
	tests := []struct {
		in, want, msg string
	}{
		{"# Titre\r\n\r\nTexte ɛ ɔ ɲ ŋ.\r\n\r\n", "# Titre\n\nTexte ɛ ɔ ɲ ŋ.\n", ""},
		{"a\rb", "a\nb\n", ""},
		{"\tcode", "\tcode\n", ""},
		{"<script>alert(1)</script>", "<script>alert(1)</script>\n", ""}, // the renderer sanitises
		{"", "", "review.error.empty"},
		{" \n\t\r\n", "", "review.error.empty"},
		{"a\x00b", "", "review.error.control"},
		{"a\x1bb", "", "review.error.control"},
		{"\xff\xfe", "", "review.error.encoding"},
		{strings.Repeat("a", MaxMarkdown+1), "", "review.error.too_long"},
	}
	for _, tt := range tests {
		got, err := CleanMarkdown(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("CleanMarkdown(%.20q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		var te *TextError
		if !errors.As(err, &te) || te.MessageID != tt.msg {
			t.Errorf("CleanMarkdown(%.20q): %v, want %s", tt.in, err, tt.msg)
		}
	}
}

func FuzzCleanMarkdown(f *testing.F) {
	for _, s := range []string{"# T\r\n\r\nx", "", "\x00", "\xff", "a\rb\r\n", "ɛɔ\t", "<img src=x onerror=alert(1)>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := CleanMarkdown(s)
		if err != nil {
			var te *TextError
			if !errors.As(err, &te) || got != "" {
				t.Fatalf("CleanMarkdown(%q): %q, %v", s, got, err)
			}
			return
		}
		if !utf8.ValidString(got) || strings.Contains(got, "\r") || len(got) > MaxMarkdown+1 || strings.TrimSpace(got) == "" ||
			!strings.HasSuffix(got, "\n") {
			t.Fatalf("CleanMarkdown(%q) = %q", s, got)
		}
		if again, err := CleanMarkdown(got); err != nil || again != got {
			t.Fatalf("CleanMarkdown is not idempotent on %q: %q, %v", got, again, err)
		}
	})
}
