package pack

import (
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

// A pack's lesson gets the notice when the language it is shown in is a
// translation not marked reviewed; the course's own language never does.
func TestReviewUnreviewed(t *testing.T) {
	c := &courses.Course{Languages: []string{"fr", "en", "bm"}, Translations: map[string]courses.Translation{
		"fr": {By: "team", Reviewed: false}, "en": {By: "team", Reviewed: true}, "bm": {By: "team", Reviewed: false}}}
	for lang, want := range map[string]bool{"fr": false, "en": false, "bm": true, "ff": true, "": false} {
		if got := unreviewed(c, lang); got != want {
			t.Errorf("unreviewed(%q) = %v, want %v", lang, got, want)
		}
	}
	english := &courses.Course{Languages: []string{"en"}, Translations: map[string]courses.Translation{"en": {}, "fr": {}}}
	if unreviewed(english, "en") || !unreviewed(english, "fr") {
		t.Error("a course written in English: its French is the translation")
	}
}

// The key of a pack names its layout, so that packs stored before the
// pages changed are built again.
func TestReviewKeyNamesTheLayout(t *testing.T) {
	c := &catalog.Course{Version: &catalog.Version{Number: 3, Def: &courses.Course{Slug: "demo"}}}
	k := key(c, "bm", nil, false)
	if k != key(c, "bm", nil, false) || k == key(c, "bm", nil, true) || k[:len("packs/demo/3/bm-")] != "packs/demo/3/bm-" {
		t.Fatalf("key %q", k)
	}
	// sha256("") starts e3b0c442: the key of a pack without library items
	// before the layout was in it.
	if k == "packs/demo/3/bm-e3b0c44298fc.zip" {
		t.Error("the key is that of the first layout: stored packs would not carry the notice")
	}
}

// A pack built while its language was unreviewed carries the notice; once
// a reviewer marks the language reviewed, the same version's pack is
// another one, without it.
func TestReviewKeyFollowsTheMark(t *testing.T) {
	def := func(reviewed bool) *catalog.Course {
		return &catalog.Course{Version: &catalog.Version{Number: 3, Def: &courses.Course{Slug: "demo", Languages: []string{"fr", "bm"},
			Translations: map[string]courses.Translation{"fr": {}, "bm": {Reviewed: reviewed}}}}}
	}
	if key(def(false), "bm", nil, false) == key(def(true), "bm", nil, false) {
		t.Error("marking Bambara reviewed keeps the pack that shows the notice")
	}
	if key(def(false), "fr", nil, false) != key(def(true), "fr", nil, false) {
		t.Error("the French pack changed with the Bambara mark")
	}
}
