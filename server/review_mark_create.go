package server

import "github.com/gofiber/fiber/v2"

// reviewMarkCreate marks the course's language reviewed, by the viewer,
// today, for the published version: learners no longer see the notice of
// an unreviewed translation in that version. A later version starts
// again from what its course file says. Marking twice changes nothing.
func (h *handlers) reviewMarkCreate(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewTarget(c, lang)
	if err != nil {
		return err
	}
	if _, err := h.Reviews.MarkReviewed(c.UserContext(), currentViewer(c).User, course.Def.Slug, course.ID, lang, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashReviewMarked)
	return seeOther(c, "/review/"+course.Def.Slug+"/"+lang)
}
