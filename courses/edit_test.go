package courses

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// loadWith loads the course of course() with course.yaml replaced.
func loadWith(t *testing.T, courseYAML []byte) *Course {
	t.Helper()
	c, problems := Load(withCourseYAML(string(courseYAML)), "demo")
	if len(problems) > 0 {
		t.Fatalf("edited course.yaml does not load: %v\n%s", problems, courseYAML)
	}
	return c
}

func TestSetReviewedChangesOneValueAndKeepsComments(t *testing.T) {
	in := strings.Replace(validCourse, "translations:\n", "# Sources: the team's notes.\ntranslations:\n", 1)
	out, err := SetReviewed([]byte(in), "en")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(in, "en: {by: team, reviewed: false}", "en: {by: team, reviewed: true}", 1)
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if c := loadWith(t, out); !c.Translations["en"].Reviewed || !c.Translations["fr"].Reviewed {
		t.Fatalf("translations after the edit: %+v", c.Translations)
	}
	again, err := SetReviewed(out, "en")
	if err != nil || string(again) != string(out) {
		t.Fatalf("a second edit changed the file (%v)", err)
	}
}

func TestSetReviewedInABlockMapping(t *testing.T) {
	in := strings.Replace(validCourse, "  en: {by: team, reviewed: false}", "  en:\n    by: team\n    reviewed: no   # not yet", 1)
	if _, problems := Load(withCourseYAML(in), "demo"); len(problems) == 0 {
		t.Fatal(`"no" should not be a boolean here; the test needs another spelling`)
	}
	in = strings.Replace(in, "reviewed: no", "reviewed: false", 1)
	out, err := SetReviewed([]byte(in), "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "    reviewed: true   # not yet\n") {
		t.Fatalf("got\n%s", out)
	}
	if c := loadWith(t, out); !c.Translations["en"].Reviewed {
		t.Fatal("en not reviewed after the edit")
	}
}

func TestSetReviewedRefusesWhatItCannotFind(t *testing.T) {
	for name, in := range map[string]string{
		"no such language": validCourse,
		"not YAML":         "translations: {bm: [",
		"a list":           "- a\n- b\n",
	} {
		if _, err := SetReviewed([]byte(in), "bm"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestAddVoice(t *testing.T) {
	name := `Awa "la voix" Traoré`
	out, err := AddVoice([]byte(validCourse), "bm", name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), validCourse) {
		t.Fatalf("the file was changed, not added to:\n%s", out)
	}
	c := loadWith(t, out)
	if v := c.Voices["bm"]; v.By != name || v.Synthetic {
		t.Fatalf("voice: %+v", v)
	}
	// With a voices mapping: a new first entry, the others kept.
	out, err = AddVoice(out, "en", "Sam\nJones")
	if err != nil {
		t.Fatal(err)
	}
	c = loadWith(t, out)
	if c.Voices["en"].By != "Sam\nJones" || c.Voices["bm"].By != name {
		t.Fatalf("voices: %+v\n%s", c.Voices, out)
	}
	if _, err := AddVoice(out, "bm", "Other"); err == nil {
		t.Fatal("a second voice for bm was added")
	}
	flow := validCourse + "voices: {fr: {by: x}}\n"
	if _, err := AddVoice([]byte(flow), "bm", "Awa"); !errors.Is(err, ErrCannotEdit) {
		t.Fatalf("flow mapping: %v", err)
	}
}

func withCourseYAML(s string) fstest.MapFS {
	fsys := course()
	fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(s)}
	return fsys
}
