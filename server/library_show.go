package server

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
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

var errGone = &pageError{status: fiber.StatusGone, title: "error.gone.title", body: "error.gone.body"}

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

type resourcePage struct {
	Page
	Card                         resourceCard
	Description, DescriptionLang string
	Topic, Audience              string
	Licence, Credit              string
	DownloadURL                  string
}

// resourceLoad finds the resource of the URL; a withdrawn one is gone (410).
func (h *handlers) resourceLoad(c *fiber.Ctx, allowWithdrawn bool) (*library.Resource, error) {
	id := c.Params("id")
	if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, errNotFound
	}
	r, err := h.Library.Get(c.UserContext(), id)
	if errors.Is(err, library.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if r.Withdrawn() && !allowWithdrawn {
		return nil, errGone
	}
	return r, nil
}

// libraryShow shows one resource, with its size and format before the
// download.
func (h *handlers) libraryShow(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, false)
	if err != nil {
		return err
	}
	p := h.page(c)
	m := resourcePage{Page: p, Card: h.resourceCard(p, r), Topic: p.T("library.topic." + r.Topic), Audience: p.T("library.audience." + r.Audience),
		Licence: r.Licence, Credit: r.Credit, DownloadURL: resourceDownloadURL(r.ID)}
	m.Description, m.DescriptionLang = text(p, r.Description)
	return h.render(c, fiber.StatusOK, "resource", m)
}

// libraryDownload streams the file, resumable (Range), revalidated by
// ETag, and counts the downloads of the day (those starting at byte 0).
func (h *handlers) libraryDownload(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, false)
	if err != nil {
		return err
	}
	meta := fileMeta{Name: downloadName(r), ContentType: r.ContentType, Size: r.Size, ETag: `"` + r.SHA256 + `"`, Modified: r.UpdatedAt}
	first, err := serveFile(c, meta, func(offset, length int64) (io.ReadCloser, error) {
		return h.Library.Open(c.UserContext(), r, offset, length)
	})
	if err == nil && first {
		if cerr := h.Library.CountDownload(c.UserContext(), r); cerr != nil {
			h.Log.Warn("download not counted", "resource", r.ID, "err", cerr)
		}
	}
	return err
}

// downloadName is the uploaded name, or one made from the title.
func downloadName(r *library.Resource) string {
	if r.FileName != "" && r.FileName != "file" {
		return r.FileName
	}
	title, _ := courses.Text(r.Title).Get(r.Language)
	return library.CleanFileName(title)
}
