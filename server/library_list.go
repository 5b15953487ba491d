package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/library"
)

// resourceCard is a resource in the public list: text only, an icon by
// format from the stylesheet, the size before anyone downloads.
type resourceCard struct {
	URL, Title, TitleLang, Format, FormatCode, Language, Size string
	Duration                                                  string // of an audio file: "2 min 10 s"; "" for others
}

type libraryPage struct {
	Page
	Resources                      []resourceCard
	Topics, Formats, MaterialLangs []option
	Search                         string
	Filtered                       bool
}

// libraryList shows the awareness material, filtered by topic, format and
// language of the material (combinable, in the URL so that a filtered
// list can be shared) and a title search. A filter value that matches
// nothing gives an empty list, not an error.
func (h *handlers) libraryList(c *fiber.Ctx) error {
	p := h.page(c)
	f := library.Filter{Topic: c.Query("topic"), Format: c.Query("format"), Language: c.Query("language"), Search: c.Query("q")}
	if len(f.Search) > 100 {
		f.Search = f.Search[:100]
	}
	list, err := h.Library.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	m := libraryPage{Page: p, Search: f.Search, Filtered: f != library.Filter{}}
	m.Topics = codeOptions(p, "library.topic.", library.Topics(), f.Topic)
	m.Formats = codeOptions(p, "library.format.", library.Formats(), f.Format)
	for _, r := range list {
		m.Resources = append(m.Resources, h.resourceCard(p, r))
	}
	all, err := h.Library.All(c.UserContext())
	if err != nil {
		return err
	}
	m.MaterialLangs = materialLangOptions(p, library.FilterLanguages(h.interfaceLangs(), all, f.Language), f.Language)
	return h.render(c, fiber.StatusOK, "library", m)
}

func (h *handlers) resourceCard(p Page, r *library.Resource) resourceCard {
	card := resourceCard{URL: resourceURL(r.ID), Format: p.T("library.format." + r.Format), FormatCode: r.Format,
		Language: materialLangName(p, r.Language), Size: humanSize(p, r.Size)}
	if r.Duration > 0 {
		card.Duration = durationLabel(p, r.Duration)
	}
	card.Title, card.TitleLang = text(p, r.Title)
	return card
}

// interfaceLangs are the codes of the interface languages.
func (h *handlers) interfaceLangs() []string {
	var codes []string
	for _, l := range h.Locales.Languages() {
		codes = append(codes, l.Code)
	}
	return codes
}

// materialLangName names the language of material: an interface language
// by its own name, another by its message (library.LanguageNameID), an
// unknown code as it is.
func materialLangName(p Page, code string) string {
	if id := library.LanguageNameID(code); id != "" {
		return p.T(id)
	}
	return p.LangName(code)
}

// materialLangOptions are the options of a select of material languages.
func materialLangOptions(p Page, codes []string, selected string) []option {
	out := make([]option, len(codes))
	for i, code := range codes {
		out[i] = option{Value: code, Label: materialLangName(p, code), Selected: code == selected}
	}
	return out
}

// humanSize says a size the way a person paying per megabyte reads it.
func humanSize(p Page, n int64) string { return p.loc.T(locales.Size(n)) }
