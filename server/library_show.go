package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/library"
)

var errGone = &pageError{status: fiber.StatusGone, title: "error.gone.title", body: "error.gone.body"}

type resourcePage struct {
	Page
	Card             resourceCard
	About, AboutLang string // the resource's description
	Topic, Audience  string
	Licence, Credit  string
	DownloadURL      string
	Audio            bool   // an audio file: a player, unless the data saver is on
	Saver            bool   // the data saver is on: the download link only
	SaverURL         string // this page with the data saver switched
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
// download; an audio file has a player that downloads nothing until
// played, or only its link when the data saver is on.
func (h *handlers) libraryShow(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, false)
	if err != nil {
		return err
	}
	p := h.page(c)
	m := resourcePage{Page: p, Card: h.resourceCard(p, r), Topic: p.T("library.topic." + r.Topic), Audience: p.T("library.audience." + r.Audience),
		Licence: r.Licence, Credit: r.Credit, DownloadURL: resourceDownloadURL(r.ID)}
	if m.Audio = library.KindOf(r.ContentType) == library.KindAudio; m.Audio {
		m.Saver = saverOn(c)
		m.SaverURL = saverURL(c, !m.Saver)
	}
	m.About, m.AboutLang = text(p, r.Description)
	m.Description = m.About
	return h.render(c, fiber.StatusOK, "resource", m)
}
