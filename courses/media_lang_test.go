package courses

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestImageTranslationsArePartOfTheCourse: media/d.bm.svg beside a
// referenced media/d.svg is loaded, checked and fingerprinted with it;
// MediaIn picks it for a lesson in Bambara, and falls back as lesson text
// does.
func TestImageTranslationsArePartOfTheCourse(t *testing.T) {
	fsys := course()
	fsys["demo/media/d.bm.svg"] = &fstest.MapFile{Data: []byte(svg)}
	fsys["demo/media/d.en.svg"] = &fstest.MapFile{Data: []byte(svg)}
	fsys["demo/media/d.notalang.svg"] = &fstest.MapFile{Data: []byte("<html>")}
	fsys["demo/media/dd.bm.svg"] = &fstest.MapFile{Data: []byte("<html>")}
	fsys["demo/media/unused.bm.png"] = &fstest.MapFile{Data: []byte("a translation of an unused file is unused")}
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var paths []string
	for _, m := range c.Media {
		paths = append(paths, m.Path)
	}
	if want := []string{"media/d.bm.svg", "media/d.en.svg", "media/d.svg"}; !slices.Equal(paths, want) {
		t.Errorf("media %v, want %v", paths, want)
	}
	for _, tc := range []struct{ lang, want string }{
		{"bm", "media/d.bm.svg"}, {"en", "media/d.en.svg"}, {"fr", "media/d.en.svg"}, {"ff", "media/d.en.svg"},
	} {
		if m, ok := c.MediaIn("media/d.svg", tc.lang); !ok || m.Path != tc.want {
			t.Errorf("MediaIn(d.svg, %s) = %s, want %s", tc.lang, m.Path, tc.want)
		}
	}
	if m, ok := c.MediaIn("media/d.bm.svg", "en"); !ok || m.Path != "media/d.bm.svg" {
		t.Errorf("a translation referenced directly is kept: %s", m.Path)
	}
	if _, ok := c.MediaIn("media/none.svg", "bm"); ok {
		t.Error("MediaIn found a file that is not there")
	}

	// A translation changes the course's hash, and is checked as any media.
	before, _ := Load(course(), "demo")
	if c.Hash == before.Hash {
		t.Error("adding translations kept the hash")
	}
	fsys["demo/media/d.bm.svg"] = &fstest.MapFile{Data: []byte(`<svg onload="alert(1)"/>`)}
	if _, problems := Load(fsys, "demo"); len(problems) != 1 || problems[0].String() != "demo/media/d.bm.svg:1: SVG must be an <svg> image without scripts or event handlers" {
		t.Errorf("problems = %v", problems)
	}
}
