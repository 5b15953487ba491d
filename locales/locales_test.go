package locales

import (
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func load(t *testing.T) *Messages {
	t.Helper()
	c, err := Load(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLanguagesComeFromFiles(t *testing.T) {
	c := load(t)
	var codes []string
	for _, l := range c.Languages() {
		codes = append(codes, l.Code)
		if l.Name == "" || (l.Dir != "ltr" && l.Dir != "rtl") {
			t.Errorf("language %+v lacks its name or direction", l)
		}
	}
	if want := []string{"bm", "en", "fr"}; !slices.Equal(codes, want) {
		t.Errorf("languages = %v, want %v", codes, want)
	}
	if bm, _ := c.Language("bm"); bm.Name != "Bamanankan" {
		t.Errorf("bm is called %q", bm.Name)
	}
}

// Every language defines exactly the ids of the working language, none
// empty: a missing translation fails here, not in front of a trainee.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	c := load(t)
	source := c.IDs(Default)
	if len(source) < 20 {
		t.Fatalf("only %d messages in %s", len(source), Default)
	}
	for _, l := range c.Languages() {
		ids := c.IDs(l.Code)
		for _, id := range source {
			if !slices.Contains(ids, id) {
				t.Errorf("active.%s.toml lacks %q", l.Code, id)
				continue
			}
			if strings.TrimSpace(c.Localizer(l.Code).T(id, nil)) == "" && id != "list.separator" {
				t.Errorf("active.%s.toml: %q is empty", l.Code, id)
			}
		}
		for _, id := range ids {
			if !slices.Contains(source, id) {
				t.Errorf("active.%s.toml has %q, unknown in active.%s.toml (stale, or missing there)", l.Code, id, Default)
			}
		}
	}
}

func TestPluralsLocalizeForEveryCount(t *testing.T) {
	c := load(t)
	plurals := []string{"catalog.count", "course.minutes", "course.lessons", "course.quiz_info",
		"cohort.members", "enrol.errors", "enrol.done", "quiz.left", "report.stalled.title", "report.questions.attempts"}
	for _, l := range c.Languages() {
		loc := c.Localizer(l.Code)
		for _, id := range plurals {
			for _, n := range []int{0, 1, 2, 5, 11, 21, 101} {
				s, err := loc.localize(id, map[string]any{"Count": n, "PassMark": 70}, n)
				if err != nil {
					t.Errorf("%s %s(%d): %v", l.Code, id, n, err)
				}
				if !strings.Contains(s, strconv.Itoa(n)) {
					t.Errorf("%s %s(%d) = %q: the count is missing", l.Code, id, n, s)
				}
			}
		}
	}
}

func TestTemplateDataIsUsed(t *testing.T) {
	c := load(t)
	got := c.Localizer("en").T("lesson.fallback_note", map[string]any{"Language": "Bamanankan", "Fallback": "Français"})
	if got != "This lesson is not yet translated into Bamanankan. It is shown in Français." {
		t.Errorf("got %q", got)
	}
	if got := c.Localizer("fr").N("course.lessons", 1, nil); got != "1 leçon" {
		t.Errorf("French singular: %q", got)
	}
	if got := c.Localizer("fr").N("course.lessons", 5, nil); got != "5 leçons" {
		t.Errorf("French plural: %q", got)
	}
}

func TestOptionalTemplateValue(t *testing.T) {
	c := load(t)
	if got := c.Localizer("en").T("form.region.invalid", nil); got != "Unknown region." {
		t.Errorf("without a value: %q", got)
	}
	if got := c.Localizer("en").T("form.region.invalid", map[string]any{"Value": "Segu"}); got != "Unknown region: Segu." {
		t.Errorf("with a value: %q", got)
	}
}

func TestMissingMessageFallsBackWithoutFailing(t *testing.T) {
	fsys := fstest.MapFS{
		"active.fr.toml": {Data: []byte("[\"language.name\"]\nother = \"Français\"\n[\"language.dir\"]\nother = \"ltr\"\n[\"only.fr\"]\nother = \"seulement\"\n")},
		"active.xx.toml": {Data: []byte("[\"language.name\"]\nother = \"Xx\"\n[\"language.dir\"]\nother = \"rtl\"\n")},
	}
	c, err := LoadFS(fsys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Localizer("xx").T("only.fr", nil); got != "seulement" {
		t.Errorf("missing in xx: %q, want the French text", got)
	}
	if got := c.Localizer("xx").T("nowhere", nil); got != "nowhere" {
		t.Errorf("missing everywhere: %q, want the id", got)
	}
	if got := c.Localizer("zz").Lang(); got != Default {
		t.Errorf("unsupported language gives %q", got)
	}
}

func TestBrokenFilesAreRefused(t *testing.T) {
	tests := map[string]fstest.MapFS{
		"no default":   {"active.en.toml": {Data: []byte("[\"language.name\"]\nother = \"English\"\n[\"language.dir\"]\nother = \"ltr\"\n")}},
		"bad toml":     {"active.fr.toml": {Data: []byte("[\"language.name\"\nother = ")}},
		"no name":      {"active.fr.toml": {Data: []byte("[\"language.dir\"]\nother = \"ltr\"\n")}},
		"bad dir":      {"active.fr.toml": {Data: []byte("[\"language.name\"]\nother = \"Français\"\n[\"language.dir\"]\nother = \"up\"\n")}},
		"bad language": {"active.fr.toml": {Data: []byte("[\"language.name\"]\nother = \"F\"\n[\"language.dir\"]\nother = \"ltr\"\n")}, "active.not a tag!.toml": {Data: []byte("")}},
	}
	for name, fsys := range tests {
		if _, err := LoadFS(fsys, nil); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
}

func TestNegotiate(t *testing.T) {
	c := load(t)
	tests := []struct {
		accept  string
		choices []string
		want    string
	}{
		{"", nil, "fr"},
		{"en-US,en;q=0.9", nil, "en"},
		{"bm-ML, fr;q=0.5", nil, "bm"},
		{"de, en;q=0.3", nil, "en"},
		{"en;q=0.2, bm;q=0.8", nil, "bm"},
		{"en;q=0", nil, "fr"},
		{"*", nil, "fr"},
		{"en", []string{"bm"}, "bm"},
		{"en", []string{"xx", "", "fr"}, "fr"},
		{"en", []string{"../etc"}, "en"},
		{"en;q=abc, bm", nil, "bm"},
		{"EN-gb", nil, "en"},
	}
	for _, tt := range tests {
		if got := c.Negotiate(tt.accept, tt.choices...); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.accept, tt.choices, got, tt.want)
		}
	}
}

func FuzzParseAcceptLanguage(f *testing.F) {
	f.Add("en-US,en;q=0.9,fr;q=0.8")
	f.Add("bm;q=1.5, ;q=, ,,,")
	f.Add(strings.Repeat("fr,", 1000))
	f.Fuzz(func(t *testing.T, header string) {
		codes := ParseAcceptLanguage(header)
		if len(codes) > 16 {
			t.Fatalf("%d codes from one header", len(codes))
		}
		for _, c := range codes {
			if len(c) < 2 || len(c) > 3 || strings.Trim(c, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Fatalf("bad code %q", c)
			}
		}
	})
}
