package server_test

import (
	"context"
	"strings"
	"testing"

	"kalan/courses"
	"kalan/server/library"
)

// tinyPDF is enough of a PDF for the library to recognise one.
var tinyPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// addResource stores a resource through the service, as an admin would.
func addResource(t testing.TB, e *env, name string, data []byte, topic, lang string) *library.Resource {
	t.Helper()
	f := library.Form{Title: courses.Text{"fr": "Affiche " + name, "en": "Poster " + name}, Topic: topic, Audience: "community",
		Language: lang, Licence: "CC BY 4.0", Credit: "Kalan", Courses: []string{basics}}
	r, errs, err := e.library.Add(context.Background(), nil, f, &library.Upload{Name: name, Body: strings.NewReader(string(data))},
		e.locales.Supported, e.publishedSlug, "")
	if err != nil || errs != nil {
		t.Fatalf("add %s: %v %v", name, errs, err)
	}
	return r
}
