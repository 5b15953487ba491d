package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzPages sends arbitrary paths, languages and headers: whatever comes
// in, the answer is never a server error, and a page always says its
// language.
func FuzzPages(f *testing.F) {
	e := newEnv(f)
	f.Add("/courses/"+basics+"/lessons/indicators", "bm", "bm-ML;q=0.9,fr", "kalan_lang=en", "gzip, br")
	f.Add("/courses/../../etc/passwd", "<script>", "*;q=abc", "kalan_lang=%00", "br;q=0")
	f.Add("/media/"+strings.Repeat("a", 64), "", "", "", "")
	f.Add("/static/css/kalan.x.css", "fr", strings.Repeat("en,", 200), "", "identity")
	f.Fuzz(func(t *testing.T, path, lang, accept, cookie, encoding string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(http.MethodGet, "http://kalan.test"+path+"?lang="+url.QueryEscape(lang), nil)
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Accept-Language", accept)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Accept-Encoding", encoding)
		resp, err := e.app.Test(req, 10_000)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s (lang %q, Accept-Language %q, Cookie %q) = %d", path, lang, accept, cookie, resp.StatusCode)
		}
	})
}
