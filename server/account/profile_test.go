package account

import (
	"strings"
	"testing"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bambara letters kept", "Fanta Kɔnɛ Ɲuman Ŋara", "Fanta Kɔnɛ Ɲuman Ŋara"},
		{"trim and collapse", "  Awa \t Traoré\n ", "Awa Traoré"},
		{"no-break spaces", "Awa\u00a0\u00a0Traoré", "Awa Traoré"},
		{"nfc", "Se\u0301gou", "Ségou"},
		{"accent on a bambara letter has no precomposed form", "Kɔ\u0301nɛ", "Kɔ\u0301nɛ"},
		{"case kept", "MOUSSA diarra", "MOUSSA diarra"},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeName(tt.in); got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestProfileValidate(t *testing.T) {
	supported := func(lang string) bool { return lang == "fr" || lang == "bm" || lang == "en" }
	valid := Profile{Name: "Fanta Kɔnɛ", Organisation: "gendarmerie", Region: "segou", Lang: "bm"}
	tests := []struct {
		name string
		edit func(p *Profile)
		want map[string]string // field → message id
	}{
		{"valid", func(p *Profile) {}, nil},
		{"no language preference", func(p *Profile) { p.Lang = "" }, nil},
		{"name to normalise", func(p *Profile) { p.Name = "  Awa   Traore\u0301 " }, nil},
		{"apostrophe and hyphen", func(p *Profile) { p.Name = "N’Golo Kanté-Dembélé Jr." }, nil},
		{"two letters", func(p *Profile) { p.Name = "Bo" }, nil},
		{"hundred letters", func(p *Profile) { p.Name = strings.Repeat("ɛ", 100) }, nil},
		{"empty name", func(p *Profile) { p.Name = " \t " }, map[string]string{"name": "form.name.required"}},
		{"one letter", func(p *Profile) { p.Name = "A" }, map[string]string{"name": "form.name.invalid"}},
		{"101 letters", func(p *Profile) { p.Name = strings.Repeat("a", 101) }, map[string]string{"name": "form.name.invalid"}},
		{"control character", func(p *Profile) { p.Name = "Awa\x00Traoré" }, map[string]string{"name": "form.name.invalid"}},
		{"bidi override", func(p *Profile) { p.Name = "Awa \u202eéroarT" }, map[string]string{"name": "form.name.invalid"}},
		{"formula", func(p *Profile) { p.Name = "=HYPERLINK(1)" }, map[string]string{"name": "form.name.invalid"}},
		{"digits", func(p *Profile) { p.Name = "Awa 007" }, map[string]string{"name": "form.name.invalid"}},
		{"markup", func(p *Profile) { p.Name = "Awa <b>" }, map[string]string{"name": "form.name.invalid"}},
		{"invalid utf-8", func(p *Profile) { p.Name = "Awa \xff" }, map[string]string{"name": "form.name.invalid"}},
		{"no organisation", func(p *Profile) { p.Organisation = "" }, map[string]string{"organisation": "form.organisation.required"}},
		{"unknown organisation", func(p *Profile) { p.Organisation = "army" }, map[string]string{"organisation": "form.organisation.invalid"}},
		{"organisation label, not code", func(p *Profile) { p.Organisation = "Gendarmerie" }, map[string]string{"organisation": "form.organisation.invalid"}},
		{"no region", func(p *Profile) { p.Region = "" }, map[string]string{"region": "form.region.required"}},
		{"region with accent", func(p *Profile) { p.Region = "ségou" }, map[string]string{"region": "form.region.invalid"}},
		{"unsupported language", func(p *Profile) { p.Lang = "de" }, map[string]string{"lang": "form.lang.invalid"}},
		{"everything wrong", func(p *Profile) { *p = Profile{Lang: "xx"} }, map[string]string{
			"name": "form.name.required", "organisation": "form.organisation.required", "region": "form.region.required", "lang": "form.lang.invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid
			tt.edit(&p)
			errs := p.Validate(supported)
			if len(errs) != len(tt.want) {
				t.Fatalf("Validate(%+v) = %v, want %v", p, errs, tt.want)
			}
			for field, id := range tt.want {
				if fe := errs.For(field); fe == nil || fe.MessageID != id {
					t.Errorf("Validate(%+v).For(%q) = %v, want %s", p, field, fe, id)
				}
			}
		})
	}
	t.Run("nil supported refuses a language", func(t *testing.T) {
		if errs := valid.Validate(nil); errs.For("lang") == nil {
			t.Errorf("Validate(nil) = %v", errs)
		}
	})
}

func TestNormalizeLabel(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Ségou", "segou"},
		{"SEGOU", "segou"},
		{"  Services   sociaux ", "services sociaux"},
		{"Services-sociaux", "services sociaux"},
		{"services_sociaux", "services sociaux"},
		{"social-services", "social services"},
		{"Inspection du travail", "inspection du travail"},
		{"Côte d'Ivoire", "cote d ivoire"},
		{"Côte d’Ivoire", "cote d ivoire"},
		{"Dioïla", "dioila"},
		{"Taoudénit", "taoudenit"},
		{"Téléphone", "telephone"},
		{"E-mail", "e mail"},
		{"- _ '", ""},
		{"Kɔnɛ", "kɔnɛ"},
		{"Ɲuman", "ɲuman"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizeLabel(tt.in); got != tt.want {
				t.Errorf("NormalizeLabel(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
