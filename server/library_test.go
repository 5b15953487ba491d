package server_test

import (
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/library"
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

func TestLibraryListFilters(t *testing.T) {
	e := newEnv(t)
	n, err := e.library.ImportBundle(context.Background(), assets.Library(), e.locales.Supported, e.publishedSlug)
	if err != nil || n < 6 {
		t.Fatalf("starter library: %d items, %v", n, err)
	}
	count := func(query string) int {
		t.Helper()
		r := e.get(t, "/library?"+query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("/library?%s = %d", query, r.StatusCode)
		}
		return r.doc(t).Find(".resources .card").Length()
	}
	all := count("")
	tests := []struct {
		query string
		want  func(int) bool
	}{
		{"language=bm", func(n int) bool { return n == 4 }},
		{"format=audio", func(n int) bool { return n == 2 }},
		{"format=audio&language=fr", func(n int) bool { return n == 1 }},
		{"topic=indicators&format=poster", func(n int) bool { return n == 6 }},
		{"q=AFFICHE", func(n int) bool { return n >= 1 && n < all }},
		{"topic=astrology", func(n int) bool { return n == 0 }},
		{"language=zz&format=%3Cscript%3E", func(n int) bool { return n == 0 }},
	}
	for _, tt := range tests {
		if got := count(tt.query); !tt.want(got) {
			t.Errorf("/library?%s: %d items (of %d)", tt.query, got, all)
		}
	}
	if msg := e.get(t, "/library?topic=astrology&lang=en").doc(t).Find("main p").Last().Text(); msg != e.t("en", "library.none_match", nil) {
		t.Errorf("an empty filtered list says %q", msg)
	}
}

func TestLibraryDownloads(t *testing.T) {
	e := newEnv(t)
	data := []byte(strings.Repeat("%PDF-1.4 Kalan poster. ", 2000))
	r := addResource(t, e, "Affiche n°1 « Kɔnɔ ».pdf", data, "indicators", "bm")
	page := e.get(t, "/library/"+r.ID+"?lang=fr").doc(t)
	if size := page.Find("[data-size]").Text(); size != "45 Ko" {
		t.Errorf("size shown before download: %q", size)
	}
	url := "/library/" + r.ID + "/download"
	full := e.get(t, url)
	h := full.Header
	if full.StatusCode != http.StatusOK || string(full.body) != string(data) || h.Get("Content-Length") != strconv.Itoa(len(data)) ||
		h.Get("Content-Type") != "application/pdf" || h.Get("Accept-Ranges") != "bytes" || h.Get("Last-Modified") == "" {
		t.Fatalf("download: %d %v", full.StatusCode, h)
	}
	if cd := h.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''Affiche%20n%C2%B01%20%C2%AB%20K%C9%94n%C9%94%20%C2%BB.pdf") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	etag := h.Get("ETag")
	if r := e.get(t, url, "If-None-Match", etag); r.StatusCode != http.StatusNotModified || len(r.body) != 0 {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	part := e.get(t, url, "Range", "bytes=100-199")
	if part.StatusCode != http.StatusPartialContent || string(part.body) != string(data[100:200]) ||
		part.Header.Get("Content-Range") != "bytes 100-199/"+strconv.Itoa(len(data)) {
		t.Errorf("Range: %d %q", part.StatusCode, part.Header.Get("Content-Range"))
	}
	if r := e.get(t, url, "Range", "bytes=-10"); string(r.body) != string(data[len(data)-10:]) {
		t.Errorf("suffix range: %q", r.body)
	}
	if r := e.get(t, url, "Range", "bytes=999999-"); r.StatusCode != http.StatusRequestedRangeNotSatisfiable || r.Header.Get("Content-Range") != "bytes */"+strconv.Itoa(len(data)) {
		t.Errorf("range past the end: %d %q", r.StatusCode, r.Header.Get("Content-Range"))
	}
	for _, bad := range []string{"bytes=a-b", "lines=1-2", "bytes=5-1", "bytes=0-1,4-5"} {
		if r := e.get(t, url, "Range", bad); r.StatusCode != http.StatusOK || len(r.body) != len(data) {
			t.Errorf("malformed range %q: %d with %d bytes, want the whole file", bad, r.StatusCode, len(r.body))
		}
	}
	if r := e.get(t, url, "Range", "bytes=0-9", "If-Range", `"stale"`); r.StatusCode != http.StatusOK {
		t.Errorf("If-Range with another ETag: %d, want the whole file", r.StatusCode)
	}
	// Counted: downloads from the first byte, not the resumed parts.
	counts, _ := e.library.Downloads(context.Background(), 1)
	if counts[r.ID] != 1+4+1 {
		t.Errorf("downloads counted: %d, want 6 (full, the four malformed ranges, the If-Range refusal)", counts[r.ID])
	}
}

func TestLibraryAdmin(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	fields := url.Values{"title_fr": {"Affiche"}, "title_bm": {"Afisi"}, "topic": {"indicators"}, "audience": {"community"},
		"language": {"bm"}, "licence": {"CC BY 4.0"}, "credit": {"Kalan"}, "courses": {basics}}
	objects := func() int {
		list, err := e.blobs.List(context.Background(), "library/")
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	// Refused: an executable, a script, missing metadata, a format that does not suit the file.
	exe := append([]byte("MZ\x90\x00\x03"), make([]byte, 600)...)
	missing := url.Values{"topic": {"indicators"}}
	wrongFormat := url.Values{}
	for k, v := range fields {
		wrongFormat[k] = v
	}
	wrongFormat.Set("format", "audio")
	for name, tc := range map[string]struct {
		fields url.Values
		file   namedFile
		field  string
	}{
		"executable":   {fields, namedFile{"poster.pdf", exe}, "file"},
		"script":       {fields, namedFile{"poster.pdf", []byte("#!/bin/sh\nrm -rf /\n")}, "file"},
		"no metadata":  {missing, namedFile{"poster.pdf", tinyPDF}, "title"},
		"wrong format": {wrongFormat, namedFile{"poster.pdf", tinyPDF}, "format"},
	} {
		// Each bad file comes second, after a good one: the good one is
		// not kept either.
		r := admin.uploadForm(t, "/admin/library?lang=en", tc.fields, namedFile{"good.pdf", tinyPDF}, tc.file)
		if r.StatusCode != http.StatusBadRequest || r.doc(t).Find(".error").Length() == 0 {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
	}
	if all, _ := e.library.All(context.Background()); len(all) != 0 || objects() != 0 {
		t.Fatalf("refused uploads left %d documents and %d objects", len(all), objects())
	}
	// The CSRF token must come first in a streamed form.
	var forged strings.Builder
	mw := multipart.NewWriter(&forged)
	_ = mw.WriteField("_csrf", strings.Repeat("F", 43))
	fw, _ := mw.CreateFormFile("file", "poster.pdf")
	_, _ = fw.Write(tinyPDF)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/admin/library", strings.NewReader(forged.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := admin.do(t, req); r.StatusCode != http.StatusForbidden {
		t.Errorf("upload with a forged token: %d", r.StatusCode)
	}

	// Two files at once, then edit, replace, withdraw, restore.
	r := admin.uploadForm(t, "/admin/library", fields, namedFile{"a.pdf", tinyPDF}, namedFile{"b.pdf", tinyPDF})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", r.StatusCode, r.body)
	}
	all, _ := e.library.All(context.Background())
	if len(all) != 2 || objects() != 2 {
		t.Fatalf("%d resources and %d objects after uploading two files", len(all), objects())
	}
	item := all[0]
	edit := url.Values{}
	for k, v := range fields {
		edit[k] = v
	}
	edit.Set("title_en", "Poster")
	if r := admin.post(t, "/admin/library/"+item.ID, edit); r.StatusCode != http.StatusSeeOther {
		t.Errorf("edit: %d", r.StatusCode)
	}
	if r := admin.uploadForm(t, "/admin/library/"+item.ID+"/file", nil, namedFile{"new.pdf", append(tinyPDF, '\n')}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("replace: %d", r.StatusCode)
	}
	if objects() != 2 {
		t.Errorf("after replacing a file: %d objects, want 2 (the old one deleted)", objects())
	}
	if r := admin.post(t, "/admin/library/"+item.ID+"/withdraw", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.StatusCode)
	}
	if r := e.get(t, "/library/"+item.ID+"/download"); r.StatusCode != http.StatusGone {
		t.Errorf("download of a withdrawn item: %d, want 410", r.StatusCode)
	}
	if n := e.get(t, "/library").doc(t).Find(".resources .card").Length(); n != 1 {
		t.Errorf("public list after withdrawal: %d items, want 1", n)
	}
	admin.post(t, "/admin/library/"+item.ID+"/restore", nil)
	if r := e.get(t, "/library/"+item.ID+"/download"); r.StatusCode != http.StatusOK || string(r.body) != string(tinyPDF)+"\n" {
		t.Errorf("download after restoring: %d", r.StatusCode)
	}
	entries, _ := e.store.Audit(context.Background(), audit.Filter{TargetID: item.ID, Limit: 10})
	if len(entries) != 5 { // added, updated, replaced, withdrawn, restored
		t.Errorf("%d audit entries for the item, want 5", len(entries))
	}
}

func TestUploadOverTheLimit(t *testing.T) {
	e := newEnv(t)
	e.library.MaxSize = 1 << 10
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	fields := url.Values{"title_fr": {"Affiche"}, "topic": {"indicators"}, "audience": {"community"}, "language": {"fr"}, "licence": {"CC"}, "credit": {"K"}}
	big := append(append([]byte(nil), tinyPDF...), make([]byte, 4<<10)...)
	if r := admin.uploadForm(t, "/admin/library", fields, namedFile{"big.pdf", big}); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("an upload over the limit: %d, want 413", r.StatusCode)
	}
	list, _ := e.blobs.List(context.Background(), "library/")
	all, _ := e.library.All(context.Background())
	if len(list) != 0 || len(all) != 0 {
		t.Errorf("a refused upload left %d objects and %d documents", len(list), len(all))
	}
}
