package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
)

// pictureLesson is the lesson page of a course with a photograph, a small
// PNG, an audio and a video file, imported into e beside the fixtures.
const pictureLesson = "/courses/pictures/lessons/only"

// withPictures imports the pictures course and returns its media by file
// name.
func withPictures(t testing.TB, e *env) map[string]courses.Media {
	t.Helper()
	encode := func(w, h int, asPNG bool) []byte {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
			}
		}
		var b bytes.Buffer
		var err error
		if asPNG {
			err = png.Encode(&b, img)
		} else {
			err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
		}
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	lesson := func(words string) []byte {
		return []byte(words + " ![Un contrôle routier](../media/road.jpg) ![Logo](../media/logo.png)\n\n" +
			"[Spot radio](../media/spot.mp3) [Film](../media/film.webm)\n")
	}
	fsys := fstest.MapFS{
		"pictures/course.yaml": {Data: []byte(`languages: [fr, en]
title: {fr: Images, en: Pictures}
summary: {fr: Résumé, en: Summary}
audience: [police]
duration_minutes: 5
pass_mark: 50
access: public
order: 70
translations: {fr: {by: test, reviewed: true}, en: {by: test, reviewed: true}}
lessons:
  - {id: only, title: {fr: Seule, en: Only}}
`)},
		"pictures/lessons/only.fr.md": {Data: lesson("Regardez.")},
		"pictures/lessons/only.en.md": {Data: lesson("Look.")},
		"pictures/media/road.jpg":     {Data: encode(1200, 900, false)},
		"pictures/media/logo.png":     {Data: encode(240, 120, true)},
		"pictures/media/spot.mp3":     {Data: mp3Of(t, 40<<10+3)},
		"pictures/media/film.webm":    {Data: make([]byte, 1300<<10)},
	}
	list := e.publish(t, fsys)
	media := map[string]courses.Media{}
	for _, m := range list[0].Media {
		media[strings.TrimPrefix(m.Path, "media/")] = m
	}
	return media
}

// copies counts the stored phone-sized copies of images.
func (e *env) copies(t testing.TB) int {
	t.Helper()
	list, err := e.blobs.List(context.Background(), "media-w/")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestMediaSrcsetCopiesHaveTheirWidth(t *testing.T) {
	e := newEnv(t)
	media := withPictures(t, e)
	road := media["road.jpg"].SHA256
	img := e.get(t, pictureLesson).doc(t).Find(`img[src="/media/` + road + `"]`)
	if img.AttrOr("width", "") != "1200" || img.AttrOr("height", "") != "900" {
		t.Errorf("photo: width %q height %q, want its real size", img.AttrOr("width", ""), img.AttrOr("height", ""))
	}
	candidates := strings.Split(img.AttrOr("srcset", ""), ", ")
	if len(candidates) != 4 || img.AttrOr("sizes", "") == "" {
		t.Fatalf("photo: srcset %q, sizes %q", img.AttrOr("srcset", ""), img.AttrOr("sizes", ""))
	}
	for _, cand := range candidates {
		target, descriptor, _ := strings.Cut(cand, " ")
		want, _ := strconv.Atoi(strings.TrimSuffix(descriptor, "w"))
		r := e.get(t, target)
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("%s: %d %s\n%s", target, r.StatusCode, r.Header.Get("Content-Type"), r.body)
		}
		got, _, err := image.Decode(bytes.NewReader(r.body))
		if err != nil || got.Bounds().Dx() != want || got.Bounds().Dy() != want*3/4 {
			t.Errorf("%s: %v, %v; want %d pixels wide", target, got.Bounds(), err, want)
		}
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", target, cc)
		}
		again := e.get(t, target, "If-None-Match", r.Header.Get("ETag"))
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d", target, again.StatusCode)
		}
	}
	if n := e.copies(t); n != 3 {
		t.Errorf("%d copies stored, want 3 (one per width)", n)
	}
	// The logo is narrower than any copy: its own size, no srcset.
	logo := e.get(t, pictureLesson).doc(t).Find(`img[src="/media/` + media["logo.png"].SHA256 + `"]`)
	if logo.AttrOr("width", "") != "240" || logo.AttrOr("srcset", "none") != "none" {
		t.Errorf("logo: width %q, srcset %q", logo.AttrOr("width", ""), logo.AttrOr("srcset", "none"))
	}
}

func TestMediaBadWidthsAreRefusedAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	media := withPictures(t, e)
	road, logo := media["road.jpg"].SHA256, media["logo.png"].SHA256
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/media/" + road + "?w=", http.StatusBadRequest},
		{"/media/" + road + "?w=abc", http.StatusBadRequest},
		{"/media/" + road + "?w=321", http.StatusBadRequest},
		{"/media/" + road + "?w=-320", http.StatusBadRequest},
		{"/media/" + road + "?w=0320", http.StatusBadRequest},
		{"/media/" + road + "?w=320.0", http.StatusBadRequest},
		{"/media/" + road + "?w=99999999999999999999999", http.StatusBadRequest},
		{"/media/" + road + "?w=%00", http.StatusBadRequest},
		{"/media/" + logo + "?w=320", http.StatusNotFound},                               // wider than the logo
		{"/media/" + media["spot.mp3"].SHA256 + "?w=320", http.StatusNotFound},           // not an image
		{"/media/" + strings.Repeat("0", 64) + "?w=320", http.StatusNotFound},            // no such file
		{"/media/" + strings.Repeat("0", 64), http.StatusNotFound},                       // no such file
		{"/media/" + strings.Repeat("Z", 64) + "?w=320", http.StatusNotFound},            // not a hash
		{"/media/" + road + "?w=320&w=480", http.StatusOK},                               // the first w counts
		{"/media/" + road + "?lang=bm", http.StatusOK},                                   // other parameters are ignored
		{"/media/" + media["film.webm"].SHA256 + "?other=1", http.StatusOK},              // the original
		{"/media/" + road + "?w=640", http.StatusOK},                                     // after the refusals, still fine
		{"/media/" + road + "?w=640", http.StatusOK},                                     // and stored once
		{"/media/" + media["logo.png"].SHA256 + "?w=99999999999", http.StatusBadRequest}, // bad before missing
	} {
		r := e.get(t, tc.target, "Accept-Language", "fr")
		if r.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.target, r.StatusCode, tc.status)
		}
		if tc.status == http.StatusBadRequest && !strings.Contains(r.doc(t).Find("h1").Text(), e.t("fr", "saver.bad_width.title", nil)) {
			t.Errorf("%s: the page does not explain:\n%s", tc.target, r.body)
		}
	}
	if n := e.copies(t); n != 2 {
		t.Errorf("%d copies stored, want 2 (320 and 640)", n)
	}
}

// saverLinks is what the data saver shows of the pictures course in fr.
func saverLinks(e *env, media map[string]courses.Media, lang string) map[string]string {
	size := func(file string) string {
		id, data := locales.Size(media[file].Size)
		return e.t(lang, id, data)
	}
	return map[string]string{
		"road.jpg":  e.t(lang, "saver.image", map[string]any{"Alt": "Un contrôle routier", "Size": size("road.jpg")}),
		"logo.png":  e.t(lang, "saver.image", map[string]any{"Alt": "Logo", "Size": size("logo.png")}),
		"spot.mp3":  e.t(lang, "saver.audio", map[string]any{"Title": "Spot radio", "Size": size("spot.mp3")}),
		"film.webm": e.t(lang, "saver.video", map[string]any{"Title": "Film", "Size": size("film.webm")}),
	}
}

func TestDataSaver(t *testing.T) {
	e := newEnv(t)
	media := withPictures(t, e)
	links := saverLinks(e, media, "fr")
	if links["film.webm"] != "Vidéo : Film (1.3 Mo)" || links["spot.mp3"] != "Son : Spot radio (41 Ko)" {
		t.Fatalf("the saver's links say %q", links) // one check of the words themselves
	}
	isSaver := func(t *testing.T, r response) {
		t.Helper()
		d := r.doc(t)
		if n := d.Find("article img, article audio, article video").Length(); n != 0 {
			t.Errorf("%d media elements with the data saver on", n)
		}
		for file, text := range links {
			if got := d.Find(`article a[href="/media/` + media[file].SHA256 + `"]`).Text(); got != text {
				t.Errorf("link to %s says %q, want %q", file, got, text)
			}
		}
		if d.Find(`p.saver a[href*="saver=off"]`).Text() != e.t("fr", "saver.turn_off", nil) {
			t.Errorf("no link to turn the data saver off")
		}
	}
	isFull := func(t *testing.T, r response) {
		t.Helper()
		d := r.doc(t)
		if d.Find(`article img[srcset]`).Length() != 1 || d.Find("article img").Length() != 2 {
			t.Errorf("images missing with the data saver off:\n%s", r.body)
		}
		for _, p := range []string{"audio", "video"} {
			if s := d.Find("article " + p); s.Length() != 1 || s.AttrOr("preload", "") != "none" {
				t.Errorf("no <%s preload=none>: %d", p, s.Length())
			}
		}
		if d.Find(`p.saver a[href*="saver=on"]`).Text() != e.t("fr", "saver.turn_on", nil) {
			t.Errorf("no link to turn the data saver on")
		}
	}
	varies := func(t *testing.T, r response) {
		t.Helper()
		for _, h := range []string{"Save-Data", "Cookie"} {
			if !strings.Contains(r.Header.Get("Vary"), h) {
				t.Errorf("Vary %q lacks %s", r.Header.Get("Vary"), h)
			}
		}
	}

	t.Run("off by default", func(t *testing.T) {
		r := e.get(t, pictureLesson)
		isFull(t, r)
		varies(t, r)
		for _, c := range r.Cookies() {
			if c.Name == "kalan_saver" {
				t.Errorf("a kalan_saver cookie without a choice: %q", c.Value)
			}
		}
	})
	t.Run("on with Save-Data", func(t *testing.T) {
		r := e.get(t, pictureLesson, "Save-Data", "on")
		isSaver(t, r)
		varies(t, r)
	})
	t.Run("on with the cookie", func(t *testing.T) {
		isSaver(t, e.get(t, pictureLesson, "Cookie", "kalan_saver=on"))
	})
	t.Run("an explicit off beats Save-Data", func(t *testing.T) {
		isFull(t, e.get(t, pictureLesson, "Cookie", "kalan_saver=off", "Save-Data", "on"))
	})
	t.Run("a bad cookie is no choice", func(t *testing.T) {
		isFull(t, e.get(t, pictureLesson, "Cookie", "kalan_saver=maybe"))
		isSaver(t, e.get(t, pictureLesson, "Cookie", "kalan_saver=ON%00", "Save-Data", "on"))
	})
	t.Run("set by ?saver= and remembered", func(t *testing.T) {
		c := e.client()
		isSaver(t, c.get(t, pictureLesson+"?saver=on"))
		if c.cookies["kalan_saver"] != "on" {
			t.Fatalf("cookie %q after ?saver=on", c.cookies["kalan_saver"])
		}
		saver := c.get(t, pictureLesson)
		isSaver(t, saver)
		// The page's link turns it off; the other page's validator does not match.
		off := saver.doc(t).Find(`p.saver a`).AttrOr("href", "")
		full := c.do(t, httpGet(off, "If-None-Match", saver.Header.Get("ETag")))
		isFull(t, full)
		if c.cookies["kalan_saver"] != "off" {
			t.Errorf("cookie %q after ?saver=off", c.cookies["kalan_saver"])
		}
		isFull(t, c.get(t, pictureLesson+"?saver=sometimes")) // ignored, the cookie stays
		if c.cookies["kalan_saver"] != "off" {
			t.Errorf("cookie %q after ?saver=sometimes", c.cookies["kalan_saver"])
		}
	})
	t.Run("in the reader's language", func(t *testing.T) {
		r := e.get(t, pictureLesson+"?lang=en", "Save-Data", "on")
		road := r.doc(t).Find(`article a[href="/media/` + media["road.jpg"].SHA256 + `"]`).Text()
		if !strings.HasPrefix(road, "Image: Un contrôle routier (") { // the English lesson has the same alt text
			t.Errorf("English link %q", road)
		}
	})
	t.Run("chosen on the account page", func(t *testing.T) {
		c, _ := e.signedIn(t, account.RoleTrainee, "saver@kalan.test", "Awa Traoré")
		page := c.get(t, "/account").doc(t)
		form := page.Find(`form[method="get"] select[name="saver"]`)
		if form.Length() != 1 || form.Find("option[selected]").AttrOr("value", "") != "off" {
			t.Fatalf("no data saver choice on the account page")
		}
		r := c.get(t, "/account?saver=on")
		if r.StatusCode != http.StatusOK || r.doc(t).Find(`select[name="saver"] option[selected]`).AttrOr("value", "") != "on" {
			t.Errorf("account page after choosing on: %d", r.StatusCode)
		}
		isSaver(t, c.get(t, pictureLesson))
	})
}

// httpGet is a GET request with headers, for client.do.
func httpGet(target string, headers ...string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// FuzzMediaWidth sends arbitrary ?w= values for a photograph: the answer
// is its copy (one of the offered widths) or a 400 that stores nothing,
// never a server error.
func FuzzMediaWidth(f *testing.F) {
	e := newEnv(f)
	road := withPictures(f, e)["road.jpg"].SHA256
	for _, w := range []string{"320", "640", "", "0", "-1", "1e3", "99999999999999999999", "320 ", "%", "480&w=1"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		before := e.copies(t)
		r := e.get(t, "/media/"+road+"?w="+url.QueryEscape(w))
		switch {
		case r.StatusCode == http.StatusOK:
			if _, err := strconv.Atoi(w); err != nil {
				t.Fatalf("w=%q: 200 for a width that is not a number", w)
			}
		case r.StatusCode == http.StatusBadRequest:
			if after := e.copies(t); after != before {
				t.Fatalf("w=%q: refused, yet %d copies became %d", w, before, after)
			}
		default:
			t.Fatalf("w=%q: %d", w, r.StatusCode)
		}
	})
}

// An offline pack holds the originals only: its srcset points every
// width at the file in the pack, and its players at theirs.
func TestPackPointsCopiesAtTheOriginal(t *testing.T) {
	e := newEnv(t)
	media := withPictures(t, e)
	r := e.get(t, "/courses/pictures/pack?lang=fr")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("pack: %d", r.StatusCode)
	}
	lesson := unzip(t, r.body)["kalan-pictures-fr/lesson-01.html"]
	if lesson == nil {
		t.Fatal("no lesson in the pack")
	}
	d := response{body: lesson}.doc(t)
	road := "media/" + media["road.jpg"].SHA256 + ".jpg"
	for _, cand := range strings.Split(d.Find("img[srcset]").AttrOr("srcset", ""), ", ") {
		if file, _, _ := strings.Cut(cand, " "); file != road {
			t.Errorf("srcset candidate %q, want %s", cand, road)
		}
	}
	if src := d.Find("audio").AttrOr("src", ""); src != "media/"+media["spot.mp3"].SHA256+".mp3" {
		t.Errorf("audio src %q", src)
	}
	if bytes.Contains(lesson, []byte("/media/")) {
		t.Errorf("the pack's lesson points at the server:\n%s", lesson)
	}
}
