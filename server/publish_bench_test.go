package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
)

// BenchmarkExport downloads course 1 (six lessons in three languages,
// its diagrams and six recordings) as a zip.
func BenchmarkExport(b *testing.B) {
	e := newEnv(b)
	admin, _ := e.signedIn(b, account.RoleAdmin, "admin@kalan.test", "Admin")
	var size int
	for b.Loop() {
		r := admin.get(b, exportURL)
		if r.StatusCode != http.StatusOK {
			b.Fatalf("export = %d", r.StatusCode)
		}
		size = len(r.body)
	}
	b.ReportMetric(float64(size), "zip-bytes")
}

// BenchmarkPublish saves a lesson draft and publishes course 1: read its
// files back, write the draft, check the whole course, import it.
func BenchmarkPublish(b *testing.B) {
	e := newEnv(b)
	rev, _ := e.signedInReviewer(b, "mariam@kalan.test", "Mariam Sangaré", "bm")
	i := 0
	for b.Loop() {
		i++
		md := "## Taamasiyɛnw\n\nSɛbɛn " + strconv.Itoa(i) + ".\n"
		if r := rev.post(b, textURL, url.Values{"lang": {"bm"}, "markdown": {md}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
			b.Fatalf("save = %d", r.StatusCode)
		}
		if r := rev.post(b, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
			b.Fatalf("publish = %d", r.StatusCode)
		}
	}
}
