package library

import (
	"slices"
	"testing"
	"time"
)

func TestMaterialLanguages(t *testing.T) {
	got := MaterialLanguages([]string{"fr", "en", "bm"})
	if want := []string{"fr", "en", "bm", "ff", "ses", "snk", "tmh"}; !slices.Equal(got, want) {
		t.Errorf("MaterialLanguages = %v, want %v", got, want)
	}
	// Should the interface be translated into one of them one day, it is
	// listed once, in the interface's place.
	if got := MaterialLanguages([]string{"fr", "ff"}); !slices.Equal(got, []string{"fr", "ff", "ses", "snk", "tmh"}) {
		t.Errorf("with ff an interface language: %v", got)
	}
	for _, code := range OtherLanguages() {
		if id := LanguageNameID(code); id != "library.lang."+code {
			t.Errorf("LanguageNameID(%q) = %q", code, id)
		}
	}
	for _, code := range []string{"fr", "en", "bm", "", "xx", "library.lang.ff"} {
		if id := LanguageNameID(code); id != "" {
			t.Errorf("LanguageNameID(%q) = %q, want none", code, id)
		}
	}
}

func TestFormLanguage(t *testing.T) {
	for _, lang := range []string{"fr", "en", "bm", "ff", "ses", "snk", "tmh"} {
		f := goodForm()
		f.Language = lang
		var r Resource
		if errs := f.Validate(&r, KindAudio, supported, published); errs != nil || r.Language != lang {
			t.Errorf("language %q: %v, stored %q", lang, errs, r.Language)
		}
	}
	for _, lang := range []string{"", "xx", "wo", "FF", "ses ", "ff-SN", "../bm", "library.lang.ff", "\x00"} {
		f := goodForm()
		f.Language = lang
		var r Resource
		errs := f.Validate(&r, KindAudio, supported, published)
		if errs.For("language") == nil || r.Language != "" || r.Title != nil {
			t.Errorf("language %q: errors %v, resource %+v", lang, errs, r)
		}
	}
}

func TestFilterLanguages(t *testing.T) {
	iface := []string{"fr", "en", "bm"}
	all := []*Resource{
		{Language: "tmh"}, {Language: "fr"}, {Language: "ses"}, {Language: "ses"},
		{Language: "snk", WithdrawnAt: time.Now()}, // withdrawn: not offered
		{Language: "wo"}, // stored before the list: offered last
	}
	tests := []struct {
		selected string
		want     []string
	}{
		{"", []string{"fr", "en", "bm", "ses", "tmh", "wo"}},
		{"ff", []string{"fr", "en", "bm", "ff", "ses", "tmh", "wo"}}, // selected, though nothing is in it
		{"zz", []string{"fr", "en", "bm", "ses", "tmh", "wo"}},       // not a material language
		{"<script>", []string{"fr", "en", "bm", "ses", "tmh", "wo"}},
	}
	for _, tt := range tests {
		if got := FilterLanguages(iface, all, tt.selected); !slices.Equal(got, tt.want) {
			t.Errorf("FilterLanguages(selected %q) = %v, want %v", tt.selected, got, tt.want)
		}
	}
	if got := FilterLanguages(iface, nil, ""); !slices.Equal(got, iface) {
		t.Errorf("an empty library offers %v", got)
	}
}
