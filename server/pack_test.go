package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/library"
)

// unzip reads a pack into a map from file name to contents.
func unzip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}

// checkLinks fails on any link or source of the pack's pages that would
// not open from the unzipped folder: absolute paths, other sites, or
// files that are not in the zip.
func checkLinks(t *testing.T, files map[string][]byte) {
	t.Helper()
	for name, body := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("[href], [src]").Each(func(_ int, s *goquery.Selection) {
			ref, ok := s.Attr("href")
			if !ok {
				ref, _ = s.Attr("src")
			}
			ref, _, _ = strings.Cut(ref, "#")
			switch {
			case ref == "":
			case strings.HasPrefix(ref, "/") || strings.Contains(ref, "://") || strings.HasPrefix(ref, "data:"):
				t.Errorf("%s links to %q, which does not open from a folder", name, ref)
			default:
				if _, ok := files[path.Join(path.Dir(name), ref)]; !ok {
					t.Errorf("%s links to %q, which is not in the pack", name, ref)
				}
			}
		})
	}
}

// A pack of course 1 in Bambara holds its five lessons in Bambara, their
// media and the Bambara library items tagged for the course, and every
// link works from the unzipped folder. It is built once, then served
// with ranges and validators; withdrawing an item gives a new pack.
func TestPackContents(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.library.ImportBundle(ctx, assets.Library(), e.locales.Supported, e.publishedSlug); err != nil {
		t.Fatal(err)
	}
	course, _ := e.catalog.Lookup(basics)

	r := e.get(t, "/courses/"+basics+"/pack?lang=bm")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("pack: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "kalan-"+basics+"-bm.zip") {
		t.Errorf("Content-Disposition %q", cd)
	}
	files := unzip(t, r.body)
	folder := "kalan-" + basics + "-bm/"
	n := len(course.Def.Lessons)
	for _, name := range []string{"index.html", "style.css", "lesson-01.html", fmt.Sprintf("lesson-%02d.html", n)} {
		if _, ok := files[folder+name]; !ok {
			t.Errorf("the pack lacks %s", name)
		}
	}
	if name := fmt.Sprintf("lesson-%02d.html", n+1); files[folder+name] != nil {
		t.Errorf("the pack has %s; course 1 has %d lessons", name, n)
	}
	for i, l := range course.Def.Lessons {
		title := l.Title["bm"]
		page := string(files[folder+strings.Replace("lesson-0N.html", "N", string(rune('1'+i)), 1)])
		if title == "" || !strings.Contains(page, title) || !strings.Contains(page, `lang="bm"`) {
			t.Errorf("lesson %d is not in Bambara (want title %q)", i+1, title)
		}
		if strings.Contains(page, "pack.") || strings.Contains(page, "lesson.next") {
			t.Errorf("lesson %d shows a message id instead of its text", i+1)
		}
	}
	var media, libFiles []string
	for name := range files {
		switch {
		case strings.HasPrefix(name, folder+"media/"):
			media = append(media, name)
		case strings.HasPrefix(name, folder+"library/"):
			libFiles = append(libFiles, name)
		}
	}
	images := 0 // the recordings come in a pack of their own (TestPackWithRecordings)
	for _, m := range course.Def.Media {
		if !courses.IsRecording(m.Path) {
			images++
		}
	}
	if len(media) != images {
		t.Errorf("%d media files in the pack, the course has %d besides its recordings", len(media), images)
	}
	// The starter library has four Bambara items for course 1 (two
	// posters, the leaflet, the facilitator guide); French and English ones
	// stay out.
	if len(libFiles) != 4 {
		t.Errorf("library files in the Bambara pack: %v", libFiles)
	}
	checkLinks(t, files)
	index := string(files[folder+"index.html"])
	if strings.Contains(index, `class="note"`) {
		t.Error("course 1 is translated into Bambara, yet the pack says it is not")
	}

	// Built once: the second request is the same file, one object stored.
	again := e.get(t, "/courses/"+basics+"/pack?lang=bm")
	etag := r.Header.Get("ETag")
	if etag == "" || again.Header.Get("ETag") != etag || !bytes.Equal(again.body, r.body) {
		t.Error("the second download differs from the first")
	}
	stored, err := e.blobs.List(ctx, "packs/"+basics+"/")
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored packs: %v %v", stored, err)
	}

	// Served like a library download.
	part := e.get(t, "/courses/"+basics+"/pack?lang=bm", "Range", "bytes=100-199")
	if part.StatusCode != http.StatusPartialContent || !bytes.Equal(part.body, r.body[100:200]) {
		t.Errorf("range: %d, %d bytes", part.StatusCode, len(part.body))
	}
	if nm := e.get(t, "/courses/"+basics+"/pack?lang=bm", "If-None-Match", etag); nm.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", nm.StatusCode)
	}
	if bad := e.get(t, "/courses/"+basics+"/pack?lang=bm", "Range", "bytes=99999999-"); bad.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("out of bounds range: %d", bad.StatusCode)
	}

	// Withdrawing the leaflet makes a new pack without it, in place of the
	// old one.
	all, err := e.library.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var leaflet *library.Resource
	for _, r := range all {
		if r.FileName == "leaflet.bm.pdf" {
			leaflet = r
		}
	}
	if leaflet == nil {
		t.Fatal("the starter library has no leaflet")
	}
	admin := e.user(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	if err := e.library.SetWithdrawn(ctx, admin, leaflet, true, ""); err != nil {
		t.Fatal(err)
	}
	after := e.get(t, "/courses/"+basics+"/pack?lang=bm")
	if after.Header.Get("ETag") == etag {
		t.Fatal("withdrawing an item left the pack as it was")
	}
	for name := range unzip(t, after.body) {
		if strings.Contains(name, "leaflet") {
			t.Errorf("the withdrawn leaflet is still in the pack: %s", name)
		}
	}
	if stored, _ := e.blobs.List(ctx, "packs/"+basics+"/"); len(stored) != 1 {
		t.Errorf("after the rebuild, %d packs are stored; want the new one only", len(stored))
	}
}

// A pack in a language the course lacks comes in the fallback language,
// and says so on its first page, in the language asked for. A language
// Kalan does not know gives the pack in the reader's language. A cohort
// course's pack is for its readers only.
func TestPackFallback(t *testing.T) {
	e := newEnv(t)
	const slug = "members" // a cohort course in French and English (fixtures)
	course, ok := e.catalog.Lookup(slug)
	if !ok || course.Def.Lessons[0].Title["bm"] != "" {
		t.Fatalf("this test needs %s without Bambara", slug)
	}
	if r := e.get(t, "/courses/"+slug+"/pack?lang=fr"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a cohort course's pack, signed out: %d", r.StatusCode)
	}
	outsider, _ := e.signedIn(t, account.RoleTrainee, "outsider@kalan.test", "Oumar Diallo")
	if r := outsider.get(t, "/courses/"+slug+"/pack?lang=fr"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a cohort course's pack, not a member: %d", r.StatusCode)
	}
	reader, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Awa Traoré")
	r := reader.get(t, "/courses/"+slug+"/pack?lang=bm")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d", r.StatusCode)
	}
	files := unzip(t, r.body)
	folder := "kalan-" + slug + "-bm/"
	note := e.locales.Localizer("bm").T("pack.fallback", map[string]any{"Language": "Bamanankan"})
	if !strings.Contains(string(files[folder+"index.html"]), note) {
		t.Errorf("the first page does not say the pack falls back; want %q", note)
	}
	lesson := string(files[folder+"lesson-01.html"])
	if !strings.Contains(lesson, course.Def.Lessons[0].Title["fr"]) || !strings.Contains(lesson, `<article lang="fr">`) {
		t.Error("lesson 1 is not in French, the fallback")
	}
	checkLinks(t, files)

	own, _ := reader.get(t, "/").doc(t).Find("html").Attr("lang")
	for _, lang := range []string{"xx", "../../etc", "fr%00", strings.Repeat("b", 300)} {
		r := reader.get(t, "/courses/"+slug+"/pack?lang="+lang)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), slug+"-"+own+".zip") {
			t.Errorf("lang=%q: %d %s", lang, r.StatusCode, r.Header.Get("Content-Disposition"))
		}
	}
	if r := reader.get(t, "/courses/no-such-course/pack?lang=fr"); r.StatusCode != http.StatusNotFound {
		t.Errorf("pack of an unknown course: %d", r.StatusCode)
	}
}

// The pack with the recordings holds each lesson's recording in the
// pack's language, played from the folder, the voice said synthetic;
// the pack without holds none, and the course page offers both, saying
// what the recordings add. A language without recordings gets none.
func TestPackWithRecordings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, _ := e.catalog.Lookup(basics)
	var total int64
	for _, l := range course.Def.Lessons {
		m, ok := course.Def.Recording(l.Audio, "fr")
		if !ok {
			t.Fatalf("lesson %s has no French recording", l.ID)
		}
		total += m.Size
	}
	d := e.get(t, "/courses/"+basics+"?lang=fr").doc(t)
	link := d.Find(`a[href="/courses/` + basics + `/pack?lang=fr&audio=1"]`)
	if want := e.t("fr", "course.pack_audio", map[string]any{"Size": e.size("fr", total)}); link.Text() != want {
		t.Errorf("the course page offers %q, want %q", link.Text(), want)
	}
	if n := e.get(t, "/courses/"+basics+"?lang=bm").doc(t).Find(`a[href*="audio=1"]`).Length(); n != 0 {
		t.Error("the Bambara course page offers recordings it has not")
	}

	r := e.get(t, "/courses/"+basics+"/pack?lang=fr&audio=1")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), "kalan-"+basics+"-fr-audio.zip") {
		t.Fatalf("pack with recordings: %d %s", r.StatusCode, r.Header.Get("Content-Disposition"))
	}
	files := unzip(t, r.body)
	checkLinks(t, files)
	folder := "kalan-" + basics + "-fr/"
	for i, l := range course.Def.Lessons {
		m, _ := course.Def.Recording(l.Audio, "fr")
		file := "media/" + m.SHA256 + ".opus"
		if len(files[folder+file]) != int(m.Size) {
			t.Errorf("lesson %s: its recording is not in the pack", l.ID)
		}
		page := e.docOf(t, files[folder+fmt.Sprintf("lesson-%02d.html", i+1)])
		player := page.Find("article audio")
		if player.AttrOr("src", "") != file || player.AttrOr("preload", "") != "none" || !strings.Contains(page.Find("article").Text(), "Voix de synthèse") {
			t.Errorf("lesson %s: player %s", l.ID, outer(player))
		}
	}
	plain := unzip(t, e.get(t, "/courses/"+basics+"/pack?lang=fr").body)
	for name := range plain {
		if strings.HasSuffix(name, ".opus") {
			t.Errorf("the pack without recordings holds %s", name)
		}
	}
	if len(r.body) < int(total)*9/10 { // deflate takes a few percent off Ogg pages

		t.Errorf("pack with recordings %d bytes, recordings %d", len(r.body), total)
	}
	if stored, err := e.blobs.List(ctx, "packs/"+basics+"/"); err != nil || len(stored) != 2 {
		t.Errorf("stored packs %v, %v: want both, neither replacing the other", stored, err)
	}
	for name := range unzip(t, e.get(t, "/courses/"+basics+"/pack?lang=bm&audio=1").body) {
		if strings.HasSuffix(name, ".opus") {
			t.Errorf("the Bambara pack holds a French recording: %s", name)
		}
	}
	// Anything but audio=1 is the pack without recordings.
	if other := e.get(t, "/courses/"+basics+"/pack?lang=fr&audio=yes"); !bytes.Equal(other.body, e.get(t, "/courses/"+basics+"/pack?lang=fr").body) {
		t.Error("audio=yes is not the plain pack")
	}
}

func (e *env) docOf(t testing.TB, html []byte) *goquery.Document {
	t.Helper()
	return response{body: html}.doc(t)
}
