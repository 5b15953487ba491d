package server

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/url"
	"path"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/review"
)

// lessonAudioSave saves an uploaded recording of a lesson in a language
// as a draft (multipart: _csrf and lang first, then file). The body is
// read as it arrives (isStreamingUpload) and never more than the lesson
// limit and a byte: a heavier file is refused (413) unread. The file is
// checked as `kalan courses check` checks a lesson's recording; a bad one
// is refused (400) with the reason and nothing is stored. A good one goes
// to object storage under its hash and becomes the lesson's draft
// recording in that language, replacing any: the last upload wins.
func (h *handlers) lessonAudioSave(c *fiber.Ctx) error {
	shown := false
	fields, files, err := h.eachUpload(c, func(fields url.Values, u *library.Upload) error {
		if shown {
			return errBadRequest // one recording a form
		}
		shown = true
		return h.saveRecording(c, fields.Get("lang"), u)
	})
	if err == nil && files == 0 {
		if subtle.ConstantTimeCompare([]byte(fields.Get(csrfField)), []byte(csrfToken(c))) != 1 {
			return errCSRF
		}
		return h.recordingRefused(c, fields.Get("lang"), "review.audio.error.no_file", fiber.StatusBadRequest)
	}
	if errors.Is(err, errFormShown) {
		// Read what is left of a body within the route's limit (limitBody),
		// discarding it, so that the connection can serve the next request.
		if s := c.Context().RequestBodyStream(); s != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(s, 128<<10))
		}
	}
	return uploadError(err)
}

// saveRecording checks and stores one uploaded recording, or shows the
// page again with why not (errFormShown).
func (h *handlers) saveRecording(c *fiber.Ctx, lang string, u *library.Upload) error {
	course, lesson, _, err := h.reviewLesson(c, lang, errBadRequest)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(u.Body, courses.MaxLessonRecordingSize+1))
	if err != nil {
		return err // errUploadCut: nothing was stored
	}
	rec, data, err := review.CheckRecording(path.Ext(u.Name), data)
	var re *review.RecordingError
	if errors.As(err, &re) {
		status := fiber.StatusBadRequest
		if re.TooLarge {
			status = fiber.StatusRequestEntityTooLarge
		}
		if err := h.recordingRefused(c, lang, re.MessageID, status); err != nil {
			return err
		}
		return errFormShown
	}
	if err != nil {
		return err
	}
	rec.Slug, rec.Lang, rec.Lesson = course.Def.Slug, lang, lesson.ID
	if _, err := h.Reviews.SaveRecording(c.UserContext(), currentViewer(c).User, rec, data, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashRecordingSaved)
	if err := seeOther(c, "/review/"+course.Def.Slug+"/"+lang+"/"+lesson.ID); err != nil {
		return err
	}
	return errFormShown
}

// recordingRefused shows the lesson's review page again with why the
// recording was refused, at status.
func (h *handlers) recordingRefused(c *fiber.Ctx, lang, messageID string, status int) error {
	course, lesson, i, err := h.reviewLesson(c, lang, errBadRequest)
	if err != nil {
		return err
	}
	m, err := h.reviewLessonModel(c, course, lesson, i, lang)
	if err != nil {
		return err
	}
	m.AudioError = m.T(messageID, "Duration", durationLabel(m.Page, courses.MaxLessonRecording),
		"Size", humanSize(m.Page, courses.MaxLessonRecordingSize))
	return h.render(c, status, "review_lesson", m)
}
