package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/library"
)

// resourceCard is a resource in the public list: text only, an icon by
// format from the stylesheet, the size before anyone downloads.
type resourceCard struct {
	URL, Title, TitleLang, Format, FormatCode, Language, Size string
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
	var langs []string
	for _, l := range h.Locales.Languages() {
		langs = append(langs, l.Code)
	}
	for _, r := range list {
		m.Resources = append(m.Resources, h.resourceCard(p, r))
		if !slices.Contains(langs, r.Language) {
			langs = append(langs, r.Language)
		}
	}
	for _, code := range langs {
		m.MaterialLangs = append(m.MaterialLangs, option{Value: code, Label: p.LangName(code), Selected: code == f.Language})
	}
	return h.render(c, fiber.StatusOK, "library", m)
}

func (h *handlers) resourceCard(p Page, r *library.Resource) resourceCard {
	card := resourceCard{URL: resourceURL(r.ID), Format: p.T("library.format." + r.Format), FormatCode: r.Format,
		Language: p.LangName(r.Language), Size: humanSize(p, r.Size)}
	card.Title, card.TitleLang = text(p, r.Title)
	return card
}

// humanSize says a size the way a person paying per megabyte reads it.
func humanSize(p Page, n int64) string { return p.loc.T(locales.Size(n)) }
