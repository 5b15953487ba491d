package server

import (
	"bytes"
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

// publishPage says why a publication was refused: the course checks'
// problems (path:line: message, as `kalan courses check` prints them), or
// a sentence.
type publishPage struct {
	Page
	Slug, Course, Back string
	Message            string
	Problems           []string
}

// coursePublish publishes the drafts of a course as its next version
// (review.Service.Publish): a reviewer's drafts in the languages they
// review, an admin's in every language. Field lang, optional, names the
// review page to go back to.
func (h *handlers) coursePublish(c *fiber.Ctx) error {
	course, ok := h.Catalog.Lookup(c.Params("slug"))
	if !ok {
		return errNotFound
	}
	v := currentViewer(c)
	langs := reviewLangs(v.User, course.Def)
	if len(langs) == 0 {
		return errForbidden
	}
	back := "/admin/courses"
	if lang := c.FormValue("lang"); slices.Contains(langs, lang) {
		back = "/review/" + course.Def.Slug + "/" + lang
	} else if v.Role != account.RoleAdmin {
		back = "/review"
	}
	_, err := h.Reviews.Publish(c.UserContext(), v.User, course.ID, langs, h.clientIP(c))
	var pe *review.PublishError
	switch {
	case err == nil:
		h.flash(c, flashPublished)
		return seeOther(c, back)
	case errors.Is(err, review.ErrNothingToPublish):
		h.flash(c, flashNothingToPublish)
		return seeOther(c, back)
	case errors.As(err, &pe):
		m := h.publishPage(c, course, back, "publish.error.checks")
		for _, p := range pe.Problems {
			m.Problems = append(m.Problems, p.String())
		}
		return h.render(c, fiber.StatusUnprocessableEntity, "publish", m)
	case errors.Is(err, catalog.ErrPublishedMeanwhile):
		return h.render(c, fiber.StatusConflict, "publish", h.publishPage(c, course, back, "publish.error.meanwhile"))
	case errors.Is(err, catalog.ErrNoFiles):
		return h.render(c, fiber.StatusConflict, "publish", h.publishPage(c, course, back, "publish.error.no_files"))
	case errors.Is(err, courses.ErrCannotEdit):
		return h.render(c, fiber.StatusConflict, "publish", h.publishPage(c, course, back, "publish.error.course_yaml"))
	}
	return err
}

func (h *handlers) publishPage(c *fiber.Ctx, course *catalog.Course, back, messageID string) publishPage {
	p := h.page(c)
	title, _ := text(p, course.Def.Title)
	return publishPage{Page: p, Slug: course.Def.Slug, Course: title, Back: back, Message: p.T(messageID)}
}

// courseExport downloads the published version of a course as the zip of
// its folder in the course format: `kalan courses check` accepts it and
// `kalan courses import` publishes it again as the same version, so that
// reviewed work can go back into the repository's courses/. Built whole
// before the first byte, so that a failure is an error page, not a cut
// file.
func (h *handlers) courseExport(c *fiber.Ctx) error {
	course, ok := h.Catalog.Lookup(c.Params("slug"))
	if !ok {
		return errNotFound
	}
	if len(reviewLangs(currentViewer(c).User, course.Def)) == 0 {
		return errForbidden
	}
	var buf bytes.Buffer
	err := h.Reviews.Export(c.UserContext(), &buf, course.ID)
	if errors.Is(err, catalog.ErrNoFiles) {
		return h.render(c, fiber.StatusConflict, "publish", h.publishPage(c, course, "/admin/courses", "publish.error.no_files"))
	}
	if err != nil {
		return err
	}
	name := course.Def.Slug + "-v" + strconv.Itoa(course.Number) + ".zip"
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// reviewLangs are the translations of c that u reviews: all of them for
// an admin.
func reviewLangs(u *account.User, c *courses.Course) []string {
	var out []string
	for _, lang := range c.Languages {
		if reviewable(c, lang) && u.Reviews(lang) {
			out = append(out, lang)
		}
	}
	return out
}
