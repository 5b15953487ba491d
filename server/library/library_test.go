package library

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

func TestSniff(t *testing.T) {
	pad := func(s string) []byte { return []byte(s + strings.Repeat("\x00", 64)) }
	tests := []struct {
		name string
		head []byte
		ct   string
		kind Kind
		ok   bool
	}{
		{"pdf", pad("%PDF-1.7\n"), "application/pdf", KindDocument, true},
		{"png", pad("\x89PNG\r\n\x1a\n"), "image/png", KindImage, true},
		{"jpeg", pad("\xff\xd8\xff\xe0"), "image/jpeg", KindImage, true},
		{"opus", pad("OggS\x00\x02" + strings.Repeat("\x00", 22) + "OpusHead"), "audio/ogg", KindAudio, true},
		{"ogg video", pad("OggS\x00\x02" + strings.Repeat("\x00", 22) + "\x80theora"), "video/ogg", KindVideo, true},
		{"mp3", pad("ID3\x03\x00"), "audio/mpeg", KindAudio, true},
		{"m4a", pad("\x00\x00\x00\x20ftypM4A "), "audio/mp4", KindAudio, true},
		{"mp4", pad("\x00\x00\x00\x20ftypisom"), "video/mp4", KindVideo, true},
		{"webm", pad("\x1a\x45\xdf\xa3"), "video/webm", KindVideo, true},
		{"windows executable named .pdf", pad("MZ\x90\x00"), "application/octet-stream", "", false},
		{"linux executable", pad("\x7fELF\x02\x01"), "application/octet-stream", "", false},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), "text/plain", "", false},
		{"html", []byte("<html><script>alert(1)</script>"), "text/html", "", false},
		{"zip", pad("PK\x03\x04"), "application/zip", "", false},
		{"empty", nil, "text/plain", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, kind, ok := Sniff(tt.head)
			if ct != tt.ct || kind != tt.kind || ok != tt.ok {
				t.Errorf("Sniff = %q %q %v, want %q %q %v", ct, kind, ok, tt.ct, tt.kind, tt.ok)
			}
			if ok && KindOf(ct) != kind {
				t.Errorf("KindOf(%q) = %q, want %q", ct, KindOf(ct), kind)
			}
		})
	}
}

// FuzzSniff: whatever the bytes, a file is either refused or given a kind
// that has formats, and its stored content type maps back to that kind.
func FuzzSniff(f *testing.F) {
	f.Add([]byte("%PDF-1.4"))
	f.Add([]byte("OggSOpusHead"))
	f.Add([]byte("\x00\x00\x00\x18ftypM4A \x00"))
	f.Add([]byte("MZ"))
	f.Fuzz(func(t *testing.T, head []byte) {
		ct, kind, ok := Sniff(head)
		if !ok {
			return
		}
		if len(FormatsFor(kind)) == 0 || KindOf(ct) != kind {
			t.Fatalf("Sniff(%q) = %q %q: no formats, or a content type of another kind", head, ct, kind)
		}
	})
}

func TestCleanFileName(t *testing.T) {
	tests := map[string]string{
		"affiche.pdf":                     "affiche.pdf",
		`C:\Users\awa\Desktop\Fiché.pdf`:  "Fiché.pdf",
		"../../etc/passwd":                "passwd",
		"a\x00b\r\nc\".pdf":               "abc.pdf",
		"  ":                              "file",
		"..":                              "file",
		"dir/":                            "file",
		"ɲɔgɔn ka baara.pdf":              "ɲɔgɔn ka baara.pdf",
		strings.Repeat("a", 200) + ".pdf": strings.Repeat("a", 116) + ".pdf",
		"\xff\xfe.pdf":                    ".pdf",
	}
	for in, want := range tests {
		if got := CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzCleanFileName: the name is never empty, never a path, never holds a
// control character or a quote, is valid UTF-8 and at most 120 runes.
func FuzzCleanFileName(f *testing.F) {
	f.Add("affiche.pdf")
	f.Add("../..\\x\x00.pdf")
	f.Add("\xff")
	f.Fuzz(func(t *testing.T, name string) {
		got := CleanFileName(name)
		if got == "" || got == "." || got == ".." || strings.ContainsAny(got, "/\\\"\x7f") || !utf8.ValidString(got) || utf8.RuneCountInString(got) > 120 {
			t.Fatalf("CleanFileName(%q) = %q", name, got)
		}
		for _, r := range got {
			if r < 0x20 {
				t.Fatalf("CleanFileName(%q) = %q: control character", name, got)
			}
		}
	})
}

var (
	supported = func(l string) bool { return l == "fr" || l == "en" || l == "bm" }
	published = func(s string) bool { return s == "detecting-trafficking-basics" }
)

func goodForm() Form {
	return Form{Title: courses.Text{"fr": " Affiche ", "xx": "ignored"}, Topic: "indicators", Audience: "community",
		Language: "bm", Licence: "CC BY 4.0", Credit: "Kalan", Courses: []string{"detecting-trafficking-basics", "", "detecting-trafficking-basics"}}
}

func TestFormValidate(t *testing.T) {
	var r Resource
	if errs := goodForm().Validate(&r, KindDocument, supported, published); errs != nil {
		t.Fatalf("a good form: %v", errs)
	}
	if r.Format != "poster" || r.Title["fr"] != "Affiche" || r.Title["xx"] != "" || !slices.Equal(r.Courses, []string{"detecting-trafficking-basics"}) {
		t.Errorf("applied: %+v", r)
	}

	tests := map[string]struct {
		change func(*Form)
		kind   Kind
		field  string
	}{
		"no title":                           {func(f *Form) { f.Title = courses.Text{"fr": "  "} }, KindDocument, "title"},
		"title in an unknown lang":           {func(f *Form) { f.Title = courses.Text{"xx": "Affiche"} }, KindDocument, "title"},
		"title too long":                     {func(f *Form) { f.Title["fr"] = strings.Repeat("é", 201) }, KindDocument, "title"},
		"description too long":               {func(f *Form) { f.Description = courses.Text{"en": strings.Repeat("a", 2001)} }, KindDocument, "description"},
		"unknown topic":                      {func(f *Form) { f.Topic = "weather" }, KindDocument, "topic"},
		"unknown audience":                   {func(f *Form) { f.Audience = "" }, KindDocument, "audience"},
		"bad language":                       {func(f *Form) { f.Language = "../fr" }, KindDocument, "language"},
		"audio presented as poster":          {func(f *Form) { f.Format = "poster" }, KindAudio, "format"},
		"unknown format":                     {func(f *Form) { f.Format = "exe" }, KindDocument, "format"},
		"no licence":                         {func(f *Form) { f.Licence = " " }, KindDocument, "licence"},
		"credit too long":                    {func(f *Form) { f.Credit = strings.Repeat("x", 201) }, KindDocument, "credit"},
		"unpublished course":                 {func(f *Form) { f.Courses = []string{"no-such-course"} }, KindDocument, "courses"},
		"malformed course slug":              {func(f *Form) { f.Courses = []string{"../x"} }, KindDocument, "courses"},
		"no kind and no stored type":         {func(f *Form) {}, "", "format"},
		"title reversed by an override":      {func(f *Form) { f.Title["fr"] = "Affiche \u202efdp.exe" }, KindDocument, "title"},
		"control character in a description": {func(f *Form) { f.Description = courses.Text{"fr": "Affiche\x1b[2J"} }, KindDocument, "description"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := goodForm()
			f.Title = courses.Text{"fr": "Affiche"}
			tt.change(&f)
			r := Resource{Title: courses.Text{"fr": "before"}}
			errs := f.Validate(&r, tt.kind, supported, published)
			if errs == nil || !slices.ContainsFunc(errs, func(e *account.FieldError) bool { return e.Field == tt.field }) {
				t.Fatalf("errors %v, want one on %s", errs, tt.field)
			}
			if r.Title["fr"] != "before" {
				t.Error("a refused form changed the resource")
			}
		})
	}
}

// FuzzFormValidate: a form either is refused with messages and changes
// nothing, or gives a resource whose every field is one the library
// knows.
func FuzzFormValidate(f *testing.F) {
	f.Add("Affiche", "indicators", "community", "poster", "bm", "CC BY 4.0", "Kalan", "detecting-trafficking-basics", "document")
	f.Add("", "x", "", "", "", "", "", "../", "audio")
	f.Add("Spot", "prevention", "community", "audio", "ses", "CC BY 4.0", "Kalan", "", "audio")
	f.Add("Spot", "prevention", "community", "audio", "tmh\x00", "CC", "K", "", "audio")
	f.Add("Spot", "prevention", "community", "", "SES", "CC", "K", "", "audio")
	f.Add("Spot", "prevention", "community", "", "ff-Latn", "CC", "K", "", "audio")
	f.Add("Spot", "prevention", "community", "", "library.lang.snk", "CC", "K", "", "audio")
	f.Fuzz(func(t *testing.T, title, topic, audience, format, lang, licence, credit, course, kind string) {
		form := Form{Title: courses.Text{"fr": title}, Topic: topic, Audience: audience, Format: format, Language: lang,
			Licence: licence, Credit: credit, Courses: []string{course}}
		r := Resource{ContentType: "application/pdf"}
		if errs := form.Validate(&r, Kind(kind), supported, published); errs != nil {
			if r.Topic != "" || r.Title != nil {
				t.Fatal("a refused form changed the resource")
			}
			return
		}
		if !slices.Contains(Topics(), r.Topic) || !slices.Contains(Audiences(), r.Audience) || !slices.Contains(Formats(), r.Format) ||
			!slices.Contains(MaterialLanguages([]string{"fr", "en", "bm"}), r.Language) || r.Title["fr"] == "" || r.Licence == "" || r.Credit == "" {
			t.Fatalf("accepted %+v", r)
		}
		for _, c := range r.Courses {
			if !published(c) {
				t.Fatalf("tagged for %q", c)
			}
		}
	})
}
