package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/library"
)

// languageOptions are the values of a page's language select, but "all".
func languageOptions(doc *goquery.Document) []string {
	var out []string
	doc.Find("#language option").Each(func(_ int, s *goquery.Selection) {
		if v := s.AttrOr("value", ""); v != "" {
			out = append(out, v)
		}
	})
	return out
}

// interfaceLangs are the codes of the interface languages, in their order.
func (e *env) interfaceLangs() []string {
	var out []string
	for _, l := range e.locales.Languages() {
		out = append(out, l.Code)
	}
	return out
}

// The admin form offers every material language, each named in the
// page's language: the interface's by their own names, the others by
// their messages.
func TestLibraryFormOffersMaterialLanguages(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	for _, lang := range []string{"fr", "en", "bm"} {
		doc := admin.get(t, "/admin/library/new?lang="+lang).doc(t)
		offered := languageOptions(doc)
		if want := library.MaterialLanguages(e.interfaceLangs()); !slices.Equal(offered, want) {
			t.Errorf("%s: the form offers %v, want %v", lang, offered, want)
		}
		for _, code := range library.OtherLanguages() {
			if got, name := doc.Find(`#language option[value="`+code+`"]`).Text(), e.t(lang, "library.lang."+code, nil); got != name || name == "" {
				t.Errorf("%s: %s is named %q, want %q", lang, code, got, name)
			}
		}
		if l, _ := e.locales.Language("bm"); doc.Find(`#language option[value="bm"]`).Text() != l.Name {
			t.Errorf("%s: Bambara is named %q, want its own name %q", lang, doc.Find(`#language option[value="bm"]`).Text(), l.Name)
		}
	}
}

// A language outside the list is a field error, and nothing is stored;
// an edit to another language is kept.
func TestLibraryRefusesUnknownLanguage(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	fields := url.Values{"title_fr": {"Affiche"}, "topic": {"indicators"}, "audience": {"community"},
		"licence": {"CC BY 4.0"}, "credit": {"Kalan"}}
	for _, bad := range []string{"xx", "wo", "FF", "ses-ML", "../bm", "library.lang.ff", ""} {
		fields.Set("language", bad)
		r := admin.uploadForm(t, "/admin/library?lang=en", fields, namedFile{"poster.pdf", tinyPDF})
		if r.StatusCode != http.StatusBadRequest || r.doc(t).Find("#error-language").Text() != e.t("en", "form.library.choose", nil) {
			t.Errorf("language %q: %d, error %q", bad, r.StatusCode, r.doc(t).Find("#error-language").Text())
		}
	}
	if all, _ := e.library.All(context.Background()); len(all) != 0 || e.libraryObjects(t) != 0 {
		t.Fatalf("refused forms left %d resources and %d objects", len(all), e.libraryObjects(t))
	}

	fields.Set("language", "tmh")
	if r := admin.uploadForm(t, "/admin/library", fields, namedFile{"poster.pdf", tinyPDF}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a poster in Tamasheq: %d", r.StatusCode)
	}
	all, _ := e.library.All(context.Background())
	id := all[0].ID
	fields.Set("language", "zz")
	if r := admin.post(t, "/admin/library/"+id+"?lang=fr", fields); r.StatusCode != http.StatusBadRequest ||
		r.doc(t).Find("#error-language").Text() != e.t("fr", "form.library.choose", nil) {
		t.Errorf("an edit to language zz: %d", r.StatusCode)
	}
	fields.Set("language", "snk")
	if r := admin.post(t, "/admin/library/"+id, fields); r.StatusCode != http.StatusSeeOther {
		t.Errorf("an edit to Soninke: %d", r.StatusCode)
	}
	if r, _ := e.library.Get(context.Background(), id); r.Language != "snk" {
		t.Errorf("language after the edits: %q", r.Language)
	}
	if got := e.get(t, "/library/"+id+"?lang=en").doc(t).Find(".facts").Text(); !strings.Contains(got, e.t("en", "library.lang.snk", nil)) {
		t.Errorf("the resource page does not name Soninke: %q", got)
	}
}

// The public filter: unknown values give an empty list, never an error;
// the languages offered are those with material.
func TestLibraryLanguageFilter(t *testing.T) {
	e := newEnv(t)
	addResource(t, e, "a.pdf", tinyPDF, "indicators", "ff")
	addResource(t, e, "b.pdf", tinyPDF, "indicators", "fr")
	for _, q := range []string{"language=zz", "language=%00", "language=" + strings.Repeat("x", 1000), "language=ff&language=fr", "language=library.lang.ff", "language=FF"} {
		r := e.get(t, "/library?"+q)
		if r.StatusCode != http.StatusOK {
			t.Errorf("/library?%.40s: %d", q, r.StatusCode)
			continue
		}
		if n := r.doc(t).Find(".resources .card").Length(); n != 0 && q != "language=ff&language=fr" {
			t.Errorf("/library?%.40s: %d items", q, n)
		}
	}
	doc := e.get(t, "/library?language=ff&lang=fr").doc(t)
	if n := doc.Find(".resources .card").Length(); n != 1 {
		t.Errorf("language=ff: %d items", n)
	}
	if offered, want := languageOptions(doc), append(e.interfaceLangs(), "ff"); !slices.Equal(offered, want) {
		t.Errorf("the filter offers %v, want %v", offered, want)
	}
	if got := doc.Find(".resources .card .meta").Text(); !strings.Contains(got, e.t("fr", "library.lang.ff", nil)) {
		t.Errorf("the card does not name Fulfulde: %q", got)
	}
}
