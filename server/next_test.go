package server

import (
	"net/url"
	"strings"
	"testing"
)

// Where a browser would go from a page at https://kalan.example when sent
// to the target safeNext returned: the sign-in page must only send people
// to pages of this site.
func TestSafeNextStaysOnSite(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/courses/basics", "/courses/basics"},
		{"/courses/basics?lang=bm#quiz", "/courses/basics?lang=bm#quiz"},
		{"", "/"},
		{"courses", "/"},
		{"//evil.example", "/"},
		{"/\t/evil.example", "/"}, // what next=/%09/evil.example decodes to
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/a\x00b", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // an encoded tab stays a path on this site
	} {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSafeNext: whatever the query holds, the browser stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "//x", "/\t/x", "/\\x", "https://x", "/a?b#c", "/%2F/x"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://kalan.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		// Browsers remove tabs and newlines, then resolve against the page.
		clean := strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(got)
		u, err := url.Parse(clean)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q, which does not parse", next, got)
		}
		if to := base.ResolveReference(u); to.Host != base.Host || to.Scheme != base.Scheme || strings.Contains(got, "\\") {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, to)
		}
	})
}
