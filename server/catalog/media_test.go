package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
)

// picture is a w×h gradient encoded as PNG, or as JPEG at quality q.
func picture(t testing.TB, w, h int, q int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 3), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	var err error
	if q == 0 {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: q})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const mediaLesson = `Photo : ![Un poste frontière](../media/poste.jpg)

Plan : ![Un plan](../media/plan.png) et ![Petit logo](../media/small.png) et ![Schéma](../media/d.svg)

Écoutez [le témoignage d'*Awa*](../media/awa.mp3), puis regardez [la vidéo](../media/film.mp4).

[![Image-lien](../media/small.png)](https://example.org)
`

// mediaCourse is the demo course with raster images, audio and video.
func mediaCourse(t testing.TB) fstest.MapFS {
	fsys := demo(mediaLesson)
	fsys["demo/media/poste.jpg"] = &fstest.MapFile{Data: picture(t, 1000, 750, 90)}
	fsys["demo/media/plan.png"] = &fstest.MapFile{Data: picture(t, 800, 400, 0)}
	fsys["demo/media/small.png"] = &fstest.MapFile{Data: picture(t, 200, 100, 0)}
	fsys["demo/media/awa.mp3"] = &fstest.MapFile{Data: mp3Of(t, 3003)}
	fsys["demo/media/film.mp4"] = &fstest.MapFile{Data: make([]byte, 3<<19)} // 1.5 MB
	return fsys
}

// published imports fsys and returns the catalog's course and its media
// hashes by file name.
func published(t *testing.T, fsys fstest.MapFS) (*catalog.Catalog, *catalog.Course, blob.Store, map[string]string) {
	t.Helper()
	ctx := context.Background()
	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.NewImporter(st, blobs).Import(ctx, fsys, load(t, fsys)); err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(catalog.Deps{Store: st, Blobs: blobs, Words: words(t), Log: quiet()})
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	c, ok := cat.Lookup("demo")
	if !ok {
		t.Fatal("demo is not published")
	}
	hashes := map[string]string{}
	for _, m := range c.Def.Media {
		hashes[strings.TrimPrefix(m.Path, "media/")] = m.SHA256
	}
	return cat, c, blobs, hashes
}

func doc(t *testing.T, html string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLessonImagesHaveTheirSizeAndPhoneSizedCopies(t *testing.T) {
	_, c, _, h := published(t, mediaCourse(t))
	html, _ := c.LessonHTML(0, "fr")
	d := doc(t, string(html))
	img := func(file string) *goquery.Selection { return d.Find(`img[src="/media/` + h[file] + `"]`).First() }
	for _, tc := range []struct {
		file, width, height, srcset string
	}{
		{"poste.jpg", "1000", "750", fmt.Sprintf("/media/%[1]s?w=320 320w, /media/%[1]s?w=480 480w, /media/%[1]s?w=640 640w, /media/%[1]s 1000w", h["poste.jpg"])},
		{"plan.png", "800", "400", fmt.Sprintf("/media/%[1]s?w=320 320w, /media/%[1]s?w=480 480w, /media/%[1]s?w=640 640w, /media/%[1]s 800w", h["plan.png"])},
		{"small.png", "200", "100", ""}, // narrower than every copy
		{"d.svg", "4", "4", ""},         // its viewBox; no copies
	} {
		s := img(tc.file)
		if s.Length() == 0 {
			t.Fatalf("%s: no <img> in\n%s", tc.file, html)
		}
		if s.AttrOr("width", "") != tc.width || s.AttrOr("height", "") != tc.height || s.AttrOr("srcset", "") != tc.srcset {
			t.Errorf("%s: width %q height %q srcset %q; want %q %q %q", tc.file,
				s.AttrOr("width", ""), s.AttrOr("height", ""), s.AttrOr("srcset", ""), tc.width, tc.height, tc.srcset)
		}
		if _, has := s.Attr("sizes"); has != (tc.srcset != "") {
			t.Errorf("%s: sizes present = %t", tc.file, has)
		}
		// The first image of the lesson is fetched at once, the others
		// when the reader comes near them.
		if first := tc.file == "poste.jpg"; first != (s.AttrOr("loading", "") != "lazy") || first != (s.AttrOr("fetchpriority", "") == "high") {
			t.Errorf("%s: loading %q, fetchpriority %q", tc.file, s.AttrOr("loading", ""), s.AttrOr("fetchpriority", ""))
		}
	}
	// Audio and video: players that download nothing before play, the
	// link inside for a browser without one.
	for _, tc := range []struct{ tag, file, text string }{{"audio", "awa.mp3", "le témoignage d'Awa"}, {"video", "film.mp4", "la vidéo"}} {
		p := d.Find(tc.tag + `[src="/media/` + h[tc.file] + `"]`)
		if p.Length() != 1 || p.AttrOr("preload", "") != "none" || p.AttrOr("controls", "x") == "x" {
			t.Fatalf("%s: no <%s controls preload=none> in\n%s", tc.file, tc.tag, html)
		}
		if a := p.Find(`a[href="/media/` + h[tc.file] + `"]`); a.Text() != tc.text {
			t.Errorf("%s: fallback link %q, want %q", tc.file, a.Text(), tc.text)
		}
	}
}

func TestDataSaverLessonHasLinksThatSayTheirSize(t *testing.T) {
	_, c, _, h := published(t, mediaCourse(t))
	say := words(t)
	size := func(file string) string { // as the size messages say it
		for _, m := range c.Def.Media {
			if m.SHA256 == h[file] {
				id, data := locales.Size(m.Size)
				return say("fr", id, data)
			}
		}
		t.Fatalf("no %s", file)
		return ""
	}
	html, used := c.LessonSaverHTML(0, "bm") // falls back to French, with French words
	if used != "fr" {
		t.Errorf("used %q", used)
	}
	d := doc(t, string(html))
	if n := d.Find("img, audio, video, source").Length(); n != 0 {
		t.Errorf("%d media elements in the data saver's lesson:\n%s", n, html)
	}
	for _, tc := range []struct{ href, text string }{
		{"/media/" + h["poste.jpg"], "Image : Un poste frontière (" + size("poste.jpg") + ")"},
		{"/media/" + h["d.svg"], fmt.Sprintf("Image : Schéma (%d octets)", len(svg))},
		{"/media/" + h["awa.mp3"], "Son : le témoignage d'Awa (3 Ko)"},
		{"/media/" + h["film.mp4"], "Vidéo : la vidéo (1.5 Mo)"},
		// An image that is a link keeps its link, and says what it replaces.
		{"https://example.org", "Image : Image-lien (" + size("small.png") + ")"},
	} {
		if got := d.Find(`a[href="` + tc.href + `"]`).First().Text(); got != tc.text {
			t.Errorf("link to %s says %q, want %q", tc.href, got, tc.text)
		}
	}
	if d.Find("a a").Length() != 0 {
		t.Errorf("nested links:\n%s", html)
	}
}

func TestOpenMediaMakesEachCopyOnce(t *testing.T) {
	ctx := context.Background()
	cat, _, blobs, h := published(t, mediaCourse(t))
	copies := func() int {
		t.Helper()
		list, err := blobs.List(ctx, "media-w/")
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	var wg sync.WaitGroup
	for range 4 { // readers arriving together wait for one copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range []int{320, 640} {
				r, info, err := cat.OpenMedia(ctx, h["poste.jpg"], w)
				if err != nil {
					t.Error(err)
					return
				}
				img, format, err := image.Decode(r)
				r.Close()
				if err != nil || format != "jpeg" || info.ContentType != "image/jpeg" || img.Bounds().Dx() != w || img.Bounds().Dy() != w*3/4 {
					t.Errorf("copy at %d: %s %v, %v", w, format, img.Bounds(), err)
				}
			}
		}()
	}
	wg.Wait()
	if n := copies(); n != 2 {
		t.Errorf("%d copies stored, want 2", n)
	}
	// Widths an image does not offer, and media that are not there.
	for _, tc := range []struct {
		file  string
		width int
	}{
		{"small.png", 320}, {"d.svg", 320}, {"awa.mp3", 480}, {"nothing", 320}, {"nothing", 0},
	} {
		hash := h[tc.file]
		if hash == "" {
			hash = strings.Repeat("ab", 32)
		}
		if _, _, err := cat.OpenMedia(ctx, hash, tc.width); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("%s at %d: %v, want ErrNotFound", tc.file, tc.width, err)
		}
	}
	if n := copies(); n != 2 {
		t.Errorf("%d copies stored after refused widths, want still 2", n)
	}
}

// A copy is never heavier than its original: a JPEG saved at a very low
// quality is its own copy.
func TestACopyIsNeverHeavierThanTheOriginal(t *testing.T) {
	ctx := context.Background()
	fsys := demo("![Bas de gamme](../media/cheap.jpg)\n")
	original := picture(t, 700, 500, 1)
	fsys["demo/media/cheap.jpg"] = &fstest.MapFile{Data: original}
	cat, _, _, h := published(t, fsys)
	r, _, err := cat.OpenMedia(ctx, h["cheap.jpg"], 640)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, original) {
		t.Errorf("copy of %d bytes (%v), want the original's %d bytes", len(got), err, len(original))
	}
}
