package catalog

import "testing"

// TestLessonPolicyOnSpansAndImages: the sanitiser keeps a span's language
// and the attributes the renderer writes on images, and drops the rest.
// (UGCPolicy also lets any lang value through on every element, quoted;
// Markdown cannot write one: raw HTML is omitted, spans are checked.)
func TestLessonPolicyOnSpansAndImages(t *testing.T) {
	policy := lessonPolicy()
	for _, tc := range []struct{ in, want string }{
		{`<span lang="fr">traite</span>`, `<span lang="fr">traite</span>`},
		{`<span lang="en-GB">colour</span>`, `<span lang="en-GB">colour</span>`},
		{`<span lang="fr" class="x" style="color:red" onclick="alert(1)">a</span>`, `<span lang="fr">a</span>`},
		{`<span lang="fr" dir="rtl" title="t" id="i">a</span>`, `<span lang="fr" dir="rtl" title="t" id="i">a</span>`}, // UGCPolicy's standard attributes
		{`<img src="/media/x" alt="a" fetchpriority="high">`, `<img src="/media/x" alt="a" fetchpriority="high">`},
		{`<img src="/media/x" alt="a" fetchpriority="low" loading="eager">`, `<img src="/media/x" alt="a">`},
		{`<img src="/media/x" alt="a" width="320" height="344" loading="lazy">`, `<img src="/media/x" alt="a" width="320" height="344" loading="lazy">`},
	} {
		if got := policy.Sanitize(tc.in); got != tc.want {
			t.Errorf("%s\n  sanitised to %s\n  want %s", tc.in, got, tc.want)
		}
	}
}
